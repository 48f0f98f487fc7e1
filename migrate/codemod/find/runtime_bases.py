"""Legacy bases whose value is known only at run time: an environment variable with a legacy
default (`os.environ.get("PLEO_URL", "https://openapi.pleo.io") + "/v1"`,
`os.getenv("PLEO_API_URL", "https://openapi.pleo.io/v1")` in a settings object or dict).

Swapping the default alone would leave a deployment that sets the variable to a legacy host
on it, with every moved call's new path sent there. So the read is wrapped in a function the
rewrite adds to the module (`_pleo_new_base`): a legacy base becomes the new API's base of the
same environment (production or staging, version dropped, trailing slash kept); any other
URL (the new host, a mock server) is passed through. The default becomes the new host and a
version piece after the read (`+ "/v1"`) goes, since every new path carries its own version.
The new API's variable (`PLEO_NEW_API_URL`) is read first, so a deployment that sets it gets
it; one that sets only the old variable keeps working, on the same environment.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from migrate import pleo
from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import EnvRead, ModuleFacts, Scope
from migrate.codemod.find.hosts import LEGACY_BASE_ONLY, NEW_BASE_FUNCTION, new_base_for
from migrate.codemod.text.literals import str_literal, style_of

# where a wrapped base may sit: its whole value, never a piece of a URL built around it
_HOLDERS = (
    ast.Assign, ast.AnnAssign, ast.Return, ast.keyword, ast.Dict, ast.BoolOp, ast.IfExp,
    ast.Lambda,  # `field(default_factory=lambda: os.getenv(…))`
    ast.Attribute,  # `os.environ.get(…).rstrip("/")`
)


@dataclass(frozen=True)
class BaseWrap:
    """One textual edit: `node` (an environment read, or it plus its version piece) becomes
    `text`, the read wrapped in `_pleo_new_base(…)` with its default on the new host."""

    node: ast.expr
    read: EnvRead
    text: str


def runtime_base_wraps(
    facts: ModuleFacts,
    evaluator: Evaluator,
    text_of: Callable[[ast.AST], str],
    span: Callable[[ast.AST], tuple[int, int]],
) -> list[BaseWrap]:
    """Every environment read with a legacy base default, wrapped (see the module docstring)."""
    found: list[BaseWrap] = []
    for read in facts.env_reads:
        wrap = _wrap(read, facts, evaluator, text_of, span)
        if wrap is not None:
            found.append(wrap)
    return found


def translated_reads(facts: ModuleFacts, evaluator: Evaluator) -> set[ast.expr]:
    """The environment reads `runtime_base_wraps` wraps (PLM009 leaves their name to the wrap)."""
    return {
        read.node
        for read in facts.env_reads
        if (_default_base(read, facts, evaluator) is not None and _target(read, facts) is not None)
        or _inside_wrap(read, facts)
    }


def _inside_wrap(read: EnvRead, facts: ModuleFacts) -> bool:
    """A read an earlier rewrite wrapped already (`_pleo_new_base(… or os.getenv(…))`)."""
    return any(
        isinstance(above, ast.Call)
        and isinstance(above.func, ast.Name)
        and above.func.id == NEW_BASE_FUNCTION
        for above in facts.ancestors(read.node)
    )


def _wrap(
    read: EnvRead,
    facts: ModuleFacts,
    evaluator: Evaluator,
    text_of: Callable[[ast.AST], str],
    span: Callable[[ast.AST], tuple[int, int]],
) -> BaseWrap | None:
    default = _default_base(read, facts, evaluator)
    if default is None or _inside_wrap(read, facts):
        return None  # (a default whose legacy literal stays elsewhere is translated already)
    target = _target(read, facts)
    if target is None:
        return None
    node, version = target
    text = text_of(read.node)
    if isinstance(read.default, ast.Constant):  # a name's literal moves where it is written
        literal = text_of(read.default)
        new = new_base_for(default)
        style = style_of(literal)
        if new is None or style is None:
            return None
        start, end = span(read.default)
        offset = span(read.node)[0]
        text = text[: start - offset] + str_literal(new, style) + text[end - offset :]
    if read.name != pleo.NEW_URL_VAR:  # a deployment that sets the new variable gets it
        getter = text_of(read.node.func) if isinstance(read.node, ast.Call) else ""
        text = f'{getter}("{pleo.NEW_URL_VAR}") or {text}'
    wrapped = f"{NEW_BASE_FUNCTION}({text})"
    if version is not None:
        found = LEGACY_BASE_ONLY.match(default + version)
        if found is None:
            return None
        if found["slash"]:
            wrapped += ' + "/"'
    return BaseWrap(node, read, wrapped)


def _default_base(read: EnvRead, facts: ModuleFacts, evaluator: Evaluator) -> str | None:
    """The legacy base the read's default is, when it is a literal or a name whose every
    value is one (PLM001 moves those)."""
    default = read.default
    if not isinstance(read.node, ast.Call) or default is None:
        return None
    scope = _scope(facts, read)
    if isinstance(default, ast.Name | ast.Attribute):
        values = evaluator.name_values(default, scope)
        if not values or not all(_literal_base(value) for value in values):
            return None
    elif not _literal_base(default):
        return None
    value = evaluator.static_str(default, scope)
    return value if value is not None and LEGACY_BASE_ONLY.match(value) else None


def _literal_base(node: ast.expr) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and LEGACY_BASE_ONLY.match(node.value) is not None
    )


def _target(read: EnvRead, facts: ModuleFacts) -> tuple[ast.expr, str | None] | None:
    """What the wrap replaces: the read, or the read and the version piece after it
    (`read + "/v1"`, with the version's text); None when the read is a piece of a longer
    URL built around it."""
    parent = facts.parent(read.node)
    if (
        isinstance(parent, ast.BinOp)
        and isinstance(parent.op, ast.Add)
        and parent.left is read.node
        and isinstance(parent.right, ast.Constant)
        and isinstance(parent.right.value, str)
    ):
        version = parent.right.value
        if version.strip("/") != pleo.LEGACY_BASE_PATH.strip("/"):
            return None
        if not isinstance(facts.parent(parent), _HOLDERS):
            return None
        return parent, version
    if not isinstance(parent, _HOLDERS):
        return None
    return read.node, None


def _scope(facts: ModuleFacts, read: EnvRead) -> Scope:
    for above in facts.ancestors(read.node):
        if above in facts.functions:
            return facts.functions[above]
    return facts.module_scope


def new_base_function() -> str:
    """The text of `_pleo_new_base`, from Pleo's hosts (`migrate.pleo`)."""
    pairs = "".join(
        f'        "{legacy}": "{new}",\n'
        for legacy, env in pleo.LEGACY_HOSTS.items()
        for new, where in pleo.NEW_HOSTS.items()
        if where == env
    )
    version = pleo.LEGACY_BASE_PATH.strip("/")
    return (
        f"def {NEW_BASE_FUNCTION}(url):\n"
        '    """A legacy Pleo base URL read at run time as the new API\'s base of the same\n'
        "    environment (each new path carries its own version); any other URL as it is\n"
        '    (added by pleo-migrate)."""\n'
        f"    hosts = {{\n{pairs}    }}\n"
        '    _scheme, _, rest = str(url).partition("://")\n'
        '    host, _, path = rest.partition("/")\n'
        f'    if host.lower() not in hosts or path.strip("/") not in ("", "{version}"):\n'
        "        return url\n"
        '    return "https://" + hosts[host.lower()] + ("/" if rest.endswith("/") else "")\n'
    )


def calls_new_base(pieces: object) -> bool:
    """Whether an edit's text pieces call `_pleo_new_base`."""
    marker = NEW_BASE_FUNCTION + "("
    return isinstance(pieces, tuple) and any(
        isinstance(piece, str) and marker in piece for piece in pieces
    )


def wraps_version(node: ast.expr, facts: ModuleFacts, evaluator: Evaluator) -> bool:
    """Whether `node` is `read + "/v1"` that the wrap replaces whole (its version goes)."""
    if not isinstance(node, ast.BinOp):
        return False
    read = next((r for r in facts.env_reads if r.node is node.left), None)
    if read is None or _default_base(read, facts, evaluator) is None:
        return False
    target = _target(read, facts)
    return target is not None and target[0] is node
