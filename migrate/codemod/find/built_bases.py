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
from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import ModuleFacts, Scope
from migrate.codemod.find.hosts import LEGACY_BASE_ONLY

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


def _host_literals(field: ast.expr, scope: Scope, evaluator: Evaluator) -> list[ast.Constant] | None:
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
