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

`Session.get/post/…` all send through `self.request`, so such a class is a client with a base,
like an httpx client made with `base_url`: `self.get("employees")` (or `pleo.get(…)` on an
instance) is a call of the legacy API when the base the override joins is a legacy one. The
override's own `super().request(method, url, …)` only carries the base and the auth: its
callers are the sites.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from migrate.codemod.find.evaluate import Base, Evaluator, Hole
from migrate.codemod.find.facts import Imports, ModuleFacts, Scope

SESSION_BASES = (("requests", "Session"), ("requests.sessions", "Session"))
_STRIPS = ("lstrip", "strip")


@dataclass(frozen=True)
class BasedSession:
    klass: ast.ClassDef
    base: Base | None  # the legacy base the override joins onto a relative URL; None: another
    inner: ast.Call  # the override's `super().request(…)`
    scope: Scope  # the override's, where the base is read

    @property
    def legacy(self) -> bool:
        return self.base is not None


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
    known = first.value if isinstance(first, Hole) else None
    if known is not None and known.startswith(("http://", "https://")):
        return BasedSession(klass, None, inner, scope)  # another host's base, known statically
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
