"""HTTP calls made through `functools.partial`: `get = partial(requests.get, headers=H)`.

Scripts and notebooks bind the headers and timeout once and then call `get(API + "tax-codes")`.
Such a call is an HTTP call of the wrapped callable (`requests.get`, `httpx.post`,
`session.get`, an imported `get`), with the URL and everything else given at the call. Only a
partial that binds nothing the request is built from besides transport settings counts: bound
`params=`, `json=`, a bound URL or method would change what the call sends, so those calls are
left to the general PLM101 path.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import Imports, Scope

# keywords a partial may bind without taking part in what the request asks for; `headers` is
# the shared auth the module-wide rules move, the rest are transport settings
TRANSPORT = frozenset(
    {
        "headers",
        "timeout",
        "verify",
        "cert",
        "proxies",
        "stream",
        "allow_redirects",
        "follow_redirects",
    }
)


def partial_target(
    name: ast.Name, scope: Scope, evaluator: Evaluator, imports: Imports
) -> ast.expr | None:
    """The callable a name bound once to `functools.partial(callable, **transport)` wraps."""
    bindings = evaluator.bindings(name.id, scope)
    if not bindings or len(bindings) != 1 or bindings[0].kind != "assign":
        return None
    value = bindings[0].value
    if not isinstance(value, ast.Call) or not _is_partial(value.func, imports):
        return None
    if len(value.args) != 1 or isinstance(value.args[0], ast.Starred):
        return None
    if any(item.arg not in TRANSPORT for item in value.keywords):
        return None
    wrapped = value.args[0]
    return wrapped if isinstance(wrapped, ast.Name | ast.Attribute) else None


def partial_call(node: ast.Call, wrapped: ast.expr) -> ast.Call:
    """The call as if made on the wrapped callable (arguments shared, for reading only)."""
    return ast.Call(func=wrapped, args=node.args, keywords=node.keywords)


def _is_partial(func: ast.expr, imports: Imports) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr == "partial" and imports.module_alias(func.value, "functools")
    return isinstance(func, ast.Name) and imports.is_name(func, "functools", "partial")
