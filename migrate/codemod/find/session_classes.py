"""`requests.Session` subclasses that join a base onto every URL in their `request()` override.

```python
class PleoSession(requests.Session):
    def __init__(self, base_url=PLEO_API):
        super().__init__()
        self.base_url = base_url

    def request(self, method, url, *args, **kwargs):
        if not url.startswith("http"):
            url = self.base_url + url.lstrip("/")
        return super().request(method, url, *args, **kwargs)

    def people(self):
        return self.get("employees").json()["employees"]
```

The base may also be the constructor's argument (`PrefixedSession(base)`, with `__init__`
storing `self.prefix = prefix if prefix.endswith("/") else prefix + "/"` and `request()`
sending `urljoin(self.prefix, url.lstrip("/"))`): each instance made with a legacy base, one
literal ending with `/` or put there by that normalisation, is then such a client.

`Session.get/post/…` all send through `self.request`, so such a class is a client with a base,
like an httpx client made with `base_url`: `self.get("employees")` (or `pleo.get(…)` on an
instance) is a call of the legacy API when the base the override joins is a legacy one. The
override's own `super().request(method, url, …)` only carries the base and the auth: its
callers are the sites.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Text
from migrate.codemod.find.facts import Imports, ModuleFacts, Scope
from migrate.codemod.find.hosts import LEGACY_BASE_ONLY
from migrate.codemod.find.session_defaults import keeps_own_base, token_handed_in

SESSION_BASES = (("requests", "Session"), ("requests.sessions", "Session"))
_STRIPS = ("lstrip", "strip")


@dataclass(frozen=True)
class BasedSession:
    klass: ast.ClassDef
    base: Base | None  # the legacy base the override joins onto a relative URL; None: another
    inner: ast.Call  # the override's `super().request(…)`
    scope: Scope  # the override's, where the base is read
    # the base is the constructor's argument: its position after `self`, its name, and whether
    # `__init__` puts a trailing slash on it; None: the class sets its own base
    given: tuple[int, str, bool] | None = None

    @property
    def legacy(self) -> bool:
        return self.base is not None

    @property
    def sets_auth(self) -> bool:
        """Whether a class given its base also writes an auth header itself
        (`self.headers["Authorization"] = f"Bearer {token}"`, the token handed in with the
        base): the auth rules do not follow it there, so its calls cannot move."""
        if token_handed_in(self.klass):  # `Bearer {token}`, the token an `__init__` argument
            return True
        return self.given is not None and any(
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and node.value.lower().startswith(("authorization", "bearer"))
            for node in ast.walk(self.klass)
        )

    def legacy_for(self, construction: ast.Call, evaluator: Evaluator, scope: Scope) -> bool:
        """Whether an instance made by `construction` joins a legacy base."""
        if self.given is None:  # its own base, unless the instance is given one
            base = self.base
            return base is not None and keeps_own_base(self.klass, base.node, construction)
        index, name, slash = self.given
        arg = construction.args[index] if index < len(construction.args) else None
        arg = arg or next((k.value for k in construction.keywords if k.arg == name), None)
        if arg is None or isinstance(arg, ast.Starred):
            return False
        text = _one_literal(arg, evaluator, scope)
        return text is not None and (slash or text.endswith("/"))


def based_sessions(
    facts: ModuleFacts, evaluator: Evaluator, imports: Imports
) -> dict[str, BasedSession]:
    """The module's Session subclasses whose `request()` joins a base, by class name: a legacy
    one, or another host's (a client that is not the legacy API's)."""
    found: dict[str, BasedSession] = {}
    for node in facts.tree.body:
        if not isinstance(node, ast.ClassDef) or not any(
            _is_session(base, imports) for base in node.bases
        ):
            continue
        override = next(
            (
                item
                for item in node.body
                if isinstance(item, ast.FunctionDef) and item.name == "request"
            ),
            None,
        )
        if override is None:
            continue
        based = _joined_base(node, override, facts, evaluator)
        if based is not None:
            found[node.name] = based
    return found


def _is_session(node: ast.expr, imports: Imports) -> bool:
    if isinstance(node, ast.Attribute):
        return any(
            node.attr == name and imports.module_alias(node.value, module)
            for module, name in SESSION_BASES
        )
    return isinstance(node, ast.Name) and any(
        imports.is_name(node, module, name) for module, name in SESSION_BASES
    )


def _joined_base(
    klass: ast.ClassDef, override: ast.FunctionDef, facts: ModuleFacts, evaluator: Evaluator
) -> BasedSession | None:
    """The base the override joins onto its `url` parameter before `super().request`."""
    params = [arg.arg for arg in override.args.args]
    if len(params) < 3:
        return None
    url = params[2]
    scope = facts.functions.get(override)
    if scope is None:
        return None
    inner = None
    joins: list[ast.expr] = []
    for sub in ast.walk(override):
        if isinstance(sub, ast.Assign) and [_target(t) for t in sub.targets] == [url]:
            joins.append(sub.value)
        elif isinstance(sub, ast.Call) and _is_super_request(sub):
            inner = sub
    if inner is None or len(inner.args) < 2:
        return None
    sent = inner.args[1]
    if not (isinstance(sent, ast.Name) and sent.id == url):
        joins = [sent]  # `super().request(method, self.base_url + url, …)`
    if len(joins) != 1:
        return None
    parts = evaluator.parts(joins[0], scope, own=False)
    if len(parts) != 2 or not isinstance(parts[1], Hole) or not _is_param(parts[1].node, url):
        return None
    first = parts[0]
    if isinstance(first, Base) and first.value is not None:
        return BasedSession(klass, first, inner, scope)
    given = _given_base(klass, first, parts[1], facts)
    if given is not None:
        return BasedSession(klass, None, inner, scope, given)
    known = first.value if isinstance(first, Hole) else None
    if known is not None and known.startswith(("http://", "https://")):
        return BasedSession(klass, None, inner, scope)  # another host's base, known statically
    return None


def _given_base(
    klass: ast.ClassDef, first: Base | Hole | Text, path: Base | Hole | Text, facts: ModuleFacts
) -> tuple[int, str, bool] | None:
    """`self.prefix` set once in `__init__` from one of its parameters, as it is or with a
    trailing slash put on it; the URL joined after it with its leading slashes stripped."""
    if not isinstance(first, Hole) or not isinstance(path, Hole) or not _stripped(path.node):
        return None
    node = first.node
    if not (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)):
        return None
    init = next(
        (item for item in klass.body if isinstance(item, ast.FunctionDef)
         and item.name == "__init__"),
        None,
    )
    if init is None or init.args.vararg or init.args.posonlyargs:
        return None
    params = [arg.arg for arg in init.args.args][1:]
    values = [
        sub.value
        for sub in ast.walk(init)
        if isinstance(sub, ast.Assign)
        and any(
            isinstance(t, ast.Attribute) and t.attr == node.attr
            and isinstance(t.value, ast.Name) and t.value.id == init.args.args[0].arg
            for t in sub.targets
        )
    ]
    if len(values) != 1:
        return None
    value, slash = values[0], False
    ensured = _slash_ensured(value)
    if ensured is not None:
        value, slash = ensured, True
    if not isinstance(value, ast.Name) or value.id not in params:
        return None
    return params.index(value.id), value.id, slash


def _slash_ensured(node: ast.expr) -> ast.Name | None:
    """`p if p.endswith("/") else p + "/"`, or `p.rstrip("/") + "/"`: `p`."""
    if isinstance(node, ast.IfExp):
        test, body, orelse = node.test, node.body, node.orelse
        if (
            isinstance(body, ast.Name)
            and isinstance(test, ast.Call)
            and isinstance(test.func, ast.Attribute)
            and test.func.attr == "endswith"
            and _is_name(test.func.value, body.id)
            and [_slash(arg) for arg in test.args] == [True]
            and isinstance(orelse, ast.BinOp)
            and isinstance(orelse.op, ast.Add)
            and _is_name(orelse.left, body.id)
            and _slash(orelse.right)
        ):
            return body
        return None
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add) and _slash(node.right):
        left = node.left
        if (
            isinstance(left, ast.Call)
            and isinstance(left.func, ast.Attribute)
            and left.func.attr == "rstrip"
            and [_slash(arg) for arg in left.args] == [True]
            and isinstance(left.func.value, ast.Name)
        ):
            return left.func.value
    return None


def _is_name(node: ast.expr, name: str) -> bool:
    return isinstance(node, ast.Name) and node.id == name


def _slash(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and node.value == "/"


def _stripped(node: ast.expr) -> bool:
    """`url.lstrip("/")`: a relative path whatever the caller writes."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _STRIPS
        and [_slash(arg) for arg in node.args] == [True]
    )


def _one_literal(node: ast.expr, evaluator: Evaluator, scope: Scope) -> str | None:
    """The legacy base `node` holds when it is one literal (through names and parameter
    defaults): a base built from pieces (`HOST + "/v1/"`) would keep its `/v1` when the host
    moves, so it does not count."""
    for _ in range(8):
        if isinstance(node, ast.Constant):
            text = node.value
            return text if isinstance(text, str) and LEGACY_BASE_ONLY.match(text) else None
        values = evaluator.name_values(node, scope)
        if not values or len(values) != 1:
            return None
        node, scope = values[0], evaluator.scope_of(values[0], scope)
    return None


def _target(node: ast.expr) -> str | None:
    return node.id if isinstance(node, ast.Name) else None


def _is_super_request(call: ast.Call) -> bool:
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "request"
        and isinstance(func.value, ast.Call)
        and isinstance(func.value.func, ast.Name)
        and func.value.func.id == "super"
    )


def _is_param(node: ast.expr, name: str) -> bool:
    """`url`, or `url.lstrip("/")`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in _STRIPS
    ):
        node = node.func.value
    return isinstance(node, ast.Name) and node.id == name
