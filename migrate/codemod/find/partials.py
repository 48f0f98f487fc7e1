"""HTTP calls made through `functools.partial`: `get = partial(requests.get, headers=H)`.

Scripts and notebooks bind the headers and timeout once and then call `get(API + "tax-codes")`.
Such a call is an HTTP call of the wrapped callable (`requests.get`, `httpx.post`,
`session.get`, an imported `get`), with the URL and everything else given at the call. The
partial may be held three ways:

- by a module-level (or local) name: `get = partial(requests.get, headers=H)`;
- returned by a factory the caller binds first: `def _getter(): return partial(requests.get,
  headers=_auth())` and `get = _getter()` then `get(BASE + "expenses/" + id)`;
- by an attribute set once in `__init__`: `self._get = partial(self.session.get, timeout=9)`
  and `self._get(f"{self.base}/employees")`.

A partial that binds only transport settings (and the headers) is rewritten at the call. One
that also binds what the request asks for (`params=`, `json=`, `data=`) sends it with every
call: the call is still a site named with its operation, but it stays, with a TODO naming the
partial and what it binds (`partial_problem`). A bound URL or method (a second positional
argument) is not followed. A factory's partial must wrap a callable the caller reads the same
way (`requests.get`, a module-level session's `get`), not one made inside the factory.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Wrapped:
    """What a partial wraps, and the request keywords it binds besides transport settings."""

    target: ast.Name | ast.Attribute
    binds: tuple[str, ...]


def partial_problem(func: ast.expr, wrapped: Wrapped) -> str | None:
    """Why a call through the partial cannot be rewritten at the call (None: it can)."""
    if not wrapped.binds:
        return None
    named = ast.unparse(func)
    bound = ", ".join(f"{name}=" for name in wrapped.binds)
    return f"the partial `{named}` binds {bound}: merge it into the call"

# keywords that name the request line itself: a partial binding one is not followed
_SENT_AS_IS = frozenset({"url", "method"})


def partial_target(
    name: ast.Name | ast.Attribute, scope: Scope, evaluator: Evaluator, imports: Imports
) -> Wrapped | None:
    """The callable a name (or `self.` attribute) bound once to `functools.partial(callable,
    **keywords)`, directly or by calling a factory that returns one, wraps."""
    if isinstance(name, ast.Attribute):
        bindings = evaluator.attribute_bindings(name, scope)
    else:
        bindings = evaluator.bindings(name.id, scope)
    if not bindings or len(bindings) != 1 or bindings[0].kind != "assign":
        return None
    value = bindings[0].value
    made_in = evaluator.scope_of(value, scope) if value is not None else scope
    if isinstance(value, ast.Call) and not _is_partial(value.func, imports):
        value, made_in = _factory_partial(value, scope, evaluator, imports)
    if not isinstance(value, ast.Call) or not _is_partial(value.func, imports):
        return None
    if len(value.args) != 1 or isinstance(value.args[0], ast.Starred):
        return None
    if any(item.arg is None or item.arg in _SENT_AS_IS for item in value.keywords):
        return None  # `**options`, or a keyword that changes the request line itself
    wrapped = value.args[0]
    if not isinstance(wrapped, ast.Name | ast.Attribute):
        return None
    if not _reads_alike(wrapped, made_in.function_scope(), scope.function_scope()):
        return None
    binds = tuple(item.arg for item in value.keywords if item.arg and item.arg not in TRANSPORT)
    return Wrapped(wrapped, binds)


def partial_call(node: ast.Call, wrapped: Wrapped) -> ast.Call:
    """The call as if made on the wrapped callable (arguments shared, for reading only)."""
    return ast.Call(func=wrapped.target, args=node.args, keywords=node.keywords)


def _factory_partial(
    call: ast.Call, scope: Scope, evaluator: Evaluator, imports: Imports
) -> tuple[ast.Call | None, Scope]:
    """`_getter()` of a plain function whose one `return` gives `partial(…)`: that partial,
    and the factory's scope (where what it wraps is read)."""
    if not isinstance(call.func, ast.Name) or call.args or call.keywords:
        return None, scope
    defs = evaluator.bindings(call.func.id, scope)
    if not defs or len(defs) != 1 or defs[0].kind != "def":
        return None, scope
    factory = defs[0].stmt
    inner = evaluator.facts.functions.get(factory) if factory is not None else None
    if not isinstance(factory, ast.FunctionDef) or inner is None:
        return None, scope
    returns = [node for node in ast.walk(factory) if isinstance(node, ast.Return)]
    if len(returns) != 1 or not isinstance(returns[0].value, ast.Call):
        return None, scope
    made = returns[0].value
    return (made, inner) if _is_partial(made.func, imports) else (None, scope)


def _reads_alike(wrapped: ast.expr, made_in: Scope, caller: Scope) -> bool:
    """Whether the wrapped callable means the same at the call as where the partial is made:
    `requests.get`, a module-level session's `get`, `self.http.get` read by a method of the same
    object; not a session local to the factory or to `__init__`."""
    root = wrapped
    while isinstance(root, ast.Attribute):
        root = root.value
    if not isinstance(root, ast.Name):
        return False
    if made_in is caller or made_in.kind == "module":
        return True
    if root.id == made_in.self_name:
        return caller.self_name is not None and made_in.klass is caller.klass
    return root.id not in made_in.bindings


def _is_partial(func: ast.expr, imports: Imports) -> bool:
    if isinstance(func, ast.Attribute):
        return func.attr == "partial" and imports.module_alias(func.value, "functools")
    return isinstance(func, ast.Name) and imports.is_name(func, "functools", "partial")
