"""Legacy base URLs built from a bare host: `f"https://{host}/v1"` with `host` one of the legacy
hosts (`"openapi.staging.pleo.io" if staging else "openapi.pleo.io"`, a constant, an
`os.getenv(NAME, "openapi.pleo.io")` default).

No single string literal is the base there, so PLM001's literal swap cannot move it. What moves
it is two kinds of edit, found here: each bare legacy host literal the host field can take
becomes the new host of its environment, and the `/v1` after the field leaves the f-string
(every new path carries its own version). Both are edits of the one shared thing, the base:
`holdback` keeps them while a call on that base stays legacy.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from dataclasses import dataclass

from migrate import pleo
from migrate.codemod.find.evaluate import Base, Evaluator, Hole
from migrate.codemod.find.facts import Binding, ModuleFacts, Scope
from migrate.codemod.find.hosts import LEGACY_BASE, LEGACY_BASE_ONLY
from migrate.codemod.find.resolve import Clients
from migrate.codemod.find.runtime_bases import wraps_version
from migrate.codemod.find.site import Site, call_receiver, keyword

_SCHEME = re.compile(r"\Ahttps?://\Z")
# what may follow the host field for the whole f-string to be a base: `/v1`, `/v1/`, `/`, ``
_AFTER_HOST = re.compile(rf"\A(?P<v1>{re.escape(pleo.LEGACY_BASE_PATH)})?/?\Z")


@dataclass(frozen=True)
class HostSwap:
    """One textual edit: `node`'s text becomes `text` (a whole literal, or an f-string)."""

    node: ast.expr
    text: str


def built_base_swaps(
    facts: ModuleFacts, evaluator: Evaluator, text_of: Callable[[ast.AST], str]
) -> list[HostSwap]:
    """The edits that move every f-string base built from a bare legacy host to the new API
    (all of one base's edits, or none of them)."""
    swaps: dict[ast.expr, HostSwap] = {}
    for string in facts.strings:
        node = string.node
        if string.prose or not isinstance(node, ast.JoinedStr):
            continue
        shape = _host_field(node)
        if shape is None:
            continue
        field, after = shape
        scope = _scope_of(facts, field)
        if scope is None:
            continue
        samples = evaluator.samples(node, scope)
        if not samples or not all(LEGACY_BASE_ONLY.match(text) for text in samples):
            continue
        literals = _host_literals(field, scope, evaluator)
        if not literals:
            continue
        found = [HostSwap(literal, _new_host(text_of(literal))) for literal in literals]
        if after:
            found.append(HostSwap(node, _without_v1(text_of(node))))
        if all(swap.text for swap in found):
            swaps.update((swap.node, swap) for swap in found)
    return list(swaps.values())


def _host_field(node: ast.JoinedStr) -> tuple[ast.expr, bool] | None:
    """(the host field's value, whether `/v1` follows it) for `f"https://{host}…"`."""
    values = node.values
    if len(values) not in (2, 3):
        return None
    scheme, field = values[0], values[1]
    if not (isinstance(scheme, ast.Constant) and isinstance(scheme.value, str)):
        return None
    if not _SCHEME.match(scheme.value):
        return None
    if not isinstance(field, ast.FormattedValue) or field.conversion != -1 or field.format_spec:
        return None
    after = ""
    if len(values) == 3:
        tail = values[2]
        if not (isinstance(tail, ast.Constant) and isinstance(tail.value, str)):
            return None
        after = tail.value
    found = _AFTER_HOST.match(after)
    if found is None or not isinstance(field.value, ast.Name | ast.Attribute):
        return None
    return field.value, bool(found["v1"])


def _scope_of(facts: ModuleFacts, field: ast.expr) -> Scope | None:
    name = field
    while isinstance(name, ast.Attribute):
        name = name.value
    return facts.scope_of_name.get(name) if isinstance(name, ast.Name) else None


def _host_literals(
    field: ast.expr, scope: Scope, evaluator: Evaluator
) -> list[ast.Constant] | None:
    """The bare legacy host literals the field can hold (None: a value that is not one)."""
    found: list[ast.Constant] = []
    work: list[tuple[ast.expr, Scope]] = [(field, scope)]
    seen: set[ast.expr] = set()
    while work:
        node, where = work.pop()
        if node in seen:
            continue
        if len(seen) > 16:
            return None
        seen.add(node)
        if isinstance(node, ast.Constant):
            if not isinstance(node.value, str) or node.value not in pleo.LEGACY_HOSTS:
                return None
            found.append(node)
        elif isinstance(node, ast.IfExp):
            work += [(node.body, where), (node.orelse, where)]
        elif isinstance(node, ast.BoolOp):
            work += [(value, where) for value in node.values]
        elif evaluator.env_lookup(node) is not None:
            default = evaluator.env_lookup(node)
            if default is None or default[1] is None:
                return None
            work.append((default[1], where))
        else:
            values = evaluator.name_values(node, where)
            if not values:
                return None
            work += [(value, evaluator.scope_of(value, where)) for value in values]
    return found


def _new_host(text: str) -> str:
    """A plain quoted legacy host literal → the new host of its environment, same quotes
    (empty: not a plain literal, so the base is left alone)."""
    if len(text) < 2 or text[0] not in "\"'" or text[-1] != text[0]:
        return ""
    env = pleo.LEGACY_HOSTS.get(text[1:-1])
    if env is None:
        return ""
    new = next(name for name, where in pleo.NEW_HOSTS.items() if where == env)
    return text[0] + new + text[-1]


def _without_v1(text: str) -> str:
    """The f-string's text with the `/v1` after the host field dropped (empty: not found once)."""
    marker = "}" + pleo.LEGACY_BASE_PATH
    if text.count(marker) != 1:
        return ""
    return text.replace(marker, "}", 1)


def version_apart(node: ast.expr, scope: Scope, evaluator: Evaluator, depth: int = 0) -> bool:
    """Whether the base `node` evaluates to spells the legacy `/v1` in a piece of its own
    (`HOST + "/v1"`, `f"{self.api_url}/{self.version}"` with `version = "v1"`): PLM001 moves
    the host literal but not that piece, so a call on the base cannot move by itself."""
    if depth > 8:
        return True  # too deep to tell: say so rather than guess
    version = pleo.LEGACY_BASE_PATH.strip("/")
    if isinstance(node, ast.Constant):
        if not isinstance(node.value, str) or LEGACY_BASE_ONLY.match(node.value):
            return False
        return node.value.strip("/") == version or pleo.LEGACY_BASE_PATH in node.value
    if isinstance(node, ast.BinOp | ast.JoinedStr) and _host_piece(node, scope, evaluator):
        return False  # `HOST + "/v1"`, `f"{HOST}/{VERSION}"`: moved whole by `version_drops`
    if wraps_version(node, evaluator.facts, evaluator):
        return False  # `os.getenv(NAME, HOST) + "/v1"`: wrapped whole by `runtime_bases`
    if isinstance(node, ast.JoinedStr):
        shape = _host_field(node)
        if shape is not None:
            return False  # `f"https://{host}/v1"`: moved whole by `built_base_swaps`
        return any(
            version_apart(value.value if isinstance(value, ast.FormattedValue) else value,
                          scope, evaluator, depth + 1)
            for value in node.values
        )
    if isinstance(node, ast.BinOp):
        return version_apart(node.left, scope, evaluator, depth + 1) or version_apart(
            node.right, scope, evaluator, depth + 1
        )
    env = evaluator.env_lookup(node)
    if env is not None:
        return env[1] is not None and version_apart(env[1], scope, evaluator, depth + 1)
    if isinstance(node, ast.BoolOp):
        return any(version_apart(value, scope, evaluator, depth + 1) for value in node.values)
    if isinstance(node, ast.List | ast.Tuple):  # `"/".join([HOST, "v1"])`
        return any(version_apart(value, scope, evaluator, depth + 1) for value in node.elts)
    if isinstance(node, ast.IfExp):
        return any(
            version_apart(value, scope, evaluator, depth + 1) for value in (node.body, node.orelse)
        )
    if isinstance(node, ast.Call):
        func = node.func
        parts = [*node.args, *(item.value for item in node.keywords)]
        if isinstance(func, ast.Attribute):
            parts.append(func.value)  # `"{}/v1".format(host)`, `(base or BASE).rstrip("/")`
        return any(version_apart(part, scope, evaluator, depth + 1) for part in parts)
    values = evaluator.name_values(node, scope)
    return any(
        version_apart(value, evaluator.scope_of(value, scope), evaluator, depth + 1)
        for value in values or []
    )


def site_version_apart(site: Site, clients: Clients) -> bool:
    """`version_apart` for the base a call's URL is on: the one in its URL, its client's
    `base_url`, or the one its Session subclass joins."""
    evaluator = clients.evaluator
    first = site.template.parts[0] if site.template.parts else None
    scope = evaluator.scope_of(site.template.root, site.call.scope)
    if isinstance(first, Base):
        return version_apart(first.node, scope, evaluator)
    if isinstance(first, Hole) and isinstance(first.node, ast.Name | ast.Attribute):
        # a base the finder resolved only as a whole (`BASE = "{}/v1".format(HOST)`), not a
        # whole URL in a name (`EMPLOYEES = "https://…/v1/employees"`)
        samples = evaluator.samples(first.node, scope)
        if any(LEGACY_BASE.match(s) and not LEGACY_BASE_ONLY.match(s) for s in samples):
            return False
        return version_apart(first.node, scope, evaluator)
    if site.resolution.how != "client base_url":
        return False
    receiver = call_receiver(site.node)
    session = clients.own_session(receiver, site.call.scope)
    if session is not None and session.base is not None:
        return version_apart(session.base.node, session.scope, evaluator)
    for made in clients.constructions(receiver, site.call.scope):
        base_url = keyword(made, "base_url")
        where = evaluator.scope_of(made, site.call.scope)
        if base_url is not None and version_apart(base_url, where, evaluator):
            return True
        named = made.func.id if isinstance(made.func, ast.Name) else None
        based = clients.sessions.get(named) if named else None
        if (
            based is not None
            and based.base is not None
            and version_apart(based.base.node, based.scope, evaluator)
        ):
            return True
    return False


# --- a version spelt apart from its host --------------------------------------------------


@dataclass(frozen=True)
class VersionDrop:
    """One textual edit that takes the legacy version out of a base whose host PLM001 moves:
    `node`'s text (an expression or a whole `+=` statement) becomes `text`."""

    node: ast.AST
    text: str


def version_drops(
    facts: ModuleFacts,
    evaluator: Evaluator,
    source: str,
    span: Callable[[ast.AST], tuple[int, int]],
) -> list[VersionDrop]:
    """The edits that drop the version piece of a base built as (host, version) pieces, when
    every value the host piece can take is a host-only legacy base literal (which PLM001
    moves): `ROOT = HOST + "/v1"` and `root = f"{API}/{VERSION}"` (VERSION = "v1") become the
    host piece alone; `URL += "/v1"` after the host's assignments goes. Every new path carries
    its own version, so the moved calls' paths stay right; `holdback` keeps these edits, like
    the host literals, while a call on the base stays legacy. Found once per module (the
    holdback asks for every call on a base; only the last module's are kept)."""
    found = _DROPS.get(id(facts))
    if found is not None and found[0] is facts:
        return found[1]
    drops = _version_drops(facts, evaluator, source, span)
    _DROPS.clear()
    _DROPS[id(facts)] = (facts, drops)
    return drops


_DROPS: dict[int, tuple[ModuleFacts, list[VersionDrop]]] = {}


def _version_drops(
    facts: ModuleFacts,
    evaluator: Evaluator,
    source: str,
    span: Callable[[ast.AST], tuple[int, int]],
) -> list[VersionDrop]:
    drops: list[VersionDrop] = []
    for scope in (facts.module_scope, *facts.functions.values()):
        for bindings in scope.bindings.values():
            drop = _augassign_drop(bindings, scope, evaluator, source, span)
            if drop is not None:
                drops.append(drop)
    for node in facts.statements():
        if isinstance(node, ast.Assign | ast.AnnAssign | ast.Return) and node.value is not None:
            host = _host_piece(node.value, _value_scope(facts, node), evaluator)
            if host is not None:
                start, end = span(host)
                drops.append(VersionDrop(node.value, source[start:end]))
    return drops


def _value_scope(facts: ModuleFacts, stmt: ast.stmt) -> Scope:
    """The scope the statement's value is evaluated in."""
    value = getattr(stmt, "value", None)
    if value is not None and value in facts.value_scope:
        return facts.value_scope[value]
    for above in facts.ancestors(stmt):
        if above in facts.functions:
            return facts.functions[above]
    return facts.module_scope


def _host_piece(value: ast.expr, scope: Scope, evaluator: Evaluator) -> ast.expr | None:
    """The host piece of `HOST + "/v1"`, `f"{HOST}/v1"` or `f"{HOST}/{VERSION}"` (VERSION's
    every value `"v1"`), when every value HOST can take is a host-only legacy base literal."""
    host: ast.expr | None = None
    if (
        isinstance(value, ast.BinOp)
        and isinstance(value.op, ast.Add)
        and _is_str(value.right, pleo.LEGACY_BASE_PATH)
    ):
        host = value.left
    elif isinstance(value, ast.JoinedStr) and value.values:
        first, rest = value.values[0], value.values[1:]
        if not _plain_field(first):
            return None
        assert isinstance(first, ast.FormattedValue)
        if (len(rest) == 1 and _is_str(rest[0], pleo.LEGACY_BASE_PATH)) or (
            len(rest) == 2
            and _is_str(rest[0], "/")
            and _plain_field(rest[1])
            and _always_version(rest[1], scope, evaluator)
        ):
            host = first.value
    if not isinstance(host, ast.Name | ast.Attribute):
        return None
    return host if _host_only_literals(host, scope, evaluator) else None


def _is_str(node: ast.expr, text: str) -> bool:
    return isinstance(node, ast.Constant) and node.value == text


def _plain_field(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.FormattedValue)
        and node.conversion == -1
        and node.format_spec is None
        and isinstance(node.value, ast.Name | ast.Attribute)
    )


def _always_version(node: ast.expr, scope: Scope, evaluator: Evaluator) -> bool:
    """Whether a version field's every value is the legacy version (`"v1"`)."""
    assert isinstance(node, ast.FormattedValue)
    values = evaluator.name_values(node.value, scope)
    version = pleo.LEGACY_BASE_PATH.strip("/")
    return bool(values) and all(_is_str(value, version) for value in values or ())


def _host_only_literals(node: ast.expr, scope: Scope, evaluator: Evaluator) -> bool:
    """Whether every value a name can take is a legacy base literal without version or
    trailing slash (`"https://openapi.pleo.io"`, production or staging), through names."""
    work: list[tuple[ast.expr, Scope]] = [(node, scope)]
    seen: set[ast.expr] = set()
    found = False
    while work:
        current, where = work.pop()
        if current in seen or len(seen) > 16:
            return False
        seen.add(current)
        if isinstance(current, ast.Constant):
            text = current.value if isinstance(current.value, str) else ""
            match = LEGACY_BASE_ONLY.match(text)
            if match is None or match["v1"] or match["slash"]:
                return False
            found = True
        elif isinstance(current, ast.Name | ast.Attribute):
            values = evaluator.name_values(current, where)
            if not values:
                return False
            work += [(value, evaluator.scope_of(value, where)) for value in values]
        else:
            return False
    return found


def _augassign_drop(
    bindings: list[Binding],
    scope: Scope,
    evaluator: Evaluator,
    source: str,
    span: Callable[[ast.AST], tuple[int, int]],
) -> VersionDrop | None:
    """`URL += "/v1"`, the name's one `+=`, after assignments of host-only legacy literals:
    the statement goes (its line is left blank), unless it is alone in its block or shares
    its line with other code."""
    extended = [b for b in bindings if b.kind == "augassign"]
    if len(extended) != 1 or extended[0].stmt is None:
        return None
    stmt = extended[0].stmt
    if not (
        isinstance(stmt, ast.AugAssign)
        and isinstance(stmt.op, ast.Add)
        and isinstance(stmt.target, ast.Name)
        and _is_str(stmt.value, pleo.LEGACY_BASE_PATH)
    ):
        return None
    assigned = [b for b in bindings if b is not extended[0]]
    if not assigned or any(
        b.kind != "assign" or b.stmt is None or b.stmt.lineno > stmt.lineno for b in assigned
    ):
        return None
    for binding in assigned:
        value = binding.value
        if value is None or not _host_only_literals(value, scope, evaluator):
            return None
    return _statement_removal(stmt, evaluator, source, span)


def _statement_removal(
    stmt: ast.stmt,
    evaluator: Evaluator,
    source: str,
    span: Callable[[ast.AST], tuple[int, int]],
) -> VersionDrop | None:
    parent = evaluator.facts.parent(stmt)
    siblings: list[ast.stmt] = next(
        (
            getattr(parent, name)
            for name in ("body", "orelse", "finalbody")
            if stmt in getattr(parent, name, [])
        ),
        [],
    )
    if len(siblings) < 2:
        return None  # the block would be empty
    start, end = span(stmt)
    line_start = source.rfind("\n", 0, start) + 1
    line_end = source.find("\n", end)
    line_end = len(source) if line_end < 0 else line_end
    after = source[end:line_end].strip()
    if source[line_start:start].strip() or (after and not after.startswith("#")):
        return None  # another statement on the same line
    return VersionDrop(stmt, "")


def drops_version(stmt: ast.stmt, drops: list[VersionDrop]) -> bool:
    """Whether `stmt` (a `+=` of a base) is one that `version_drops` removes."""
    return any(drop.node is stmt for drop in drops)
