"""Whether an instance of a Session subclass keeps the legacy base its class sets itself.

```python
class PleoSession(requests.Session):
    def __init__(self, token, base_url="https://openapi.pleo.io/v1"):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.headers.update({"Authorization": "Bearer " + token})

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        return super().request(method, url, *args, **kwargs)

session = PleoSession(os.environ["PLEO_TOKEN"])
```

The instance is made with an argument (the token), but not with the one the base is read from:
the base is the parameter's default, so `session.get("/employees")` is a legacy call. An
instance given the base's parameter (by position or by name), or made with `*args`/`**kw`, may
join any base and does not count.
"""

from __future__ import annotations

import ast

_ENVIRONMENT = frozenset({"environ", "getenv"})


def keeps_own_base(klass: ast.ClassDef, base: ast.expr, construction: ast.Call) -> bool:
    """Whether `construction` (an instance of `klass`) leaves alone every `__init__` parameter
    the attribute the override joins (`self.base_url`) is set from."""
    if any(isinstance(arg, ast.Starred) for arg in construction.args) or any(
        item.arg is None for item in construction.keywords
    ):
        return False
    init = next(
        (item for item in klass.body if isinstance(item, ast.FunctionDef)
         and item.name == "__init__"),
        None,
    )
    if init is None:
        return not construction.args and not construction.keywords
    if not isinstance(base, ast.Attribute) or init.args.vararg or init.args.posonlyargs:
        return False
    params = [arg.arg for arg in init.args.args]
    values = [
        sub.value
        for sub in ast.walk(init)
        if isinstance(sub, ast.Assign)
        and any(isinstance(t, ast.Attribute) and t.attr == base.attr for t in sub.targets)
    ]
    read = {
        node.id for value in values for node in ast.walk(value) if isinstance(node, ast.Name)
    }
    given = {item.arg for item in construction.keywords}
    for index, name in enumerate(params[1:]):
        if name in read and (index < len(construction.args) or name in given):
            return False
    keyword_only = {arg.arg for arg in init.args.kwonlyargs}
    return not (keyword_only & read & given)


def token_handed_in(klass: ast.ClassDef) -> bool:
    """Whether the class writes its auth header from an `__init__` parameter alone
    (`self.headers.update({"Authorization": f"Bearer {token}"})`): the token comes from
    whoever makes the instance, where no auth rule follows it, so its calls cannot move. A
    header that also reads the environment (`token or os.environ["PLEO_TOKEN"]`) is the auth
    rules' to rewrite."""
    init = next(
        (item for item in klass.body if isinstance(item, ast.FunctionDef)
         and item.name == "__init__"),
        None,
    )
    if init is None:
        return False
    every = [*init.args.posonlyargs, *init.args.args[1:], *init.args.kwonlyargs]
    params = {arg.arg for arg in every}
    for statement in ast.walk(init):
        if not isinstance(statement, ast.stmt) or isinstance(statement, ast.FunctionDef):
            continue
        nodes = list(ast.walk(statement))
        if any(
            isinstance(node, ast.Constant) and isinstance(node.value, str)
            and node.value.lower().startswith(("authorization", "bearer"))
            for node in nodes
        ) and any(isinstance(node, ast.Name) and node.id in params for node in nodes) and not any(
            (isinstance(node, ast.Attribute) and node.attr in _ENVIRONMENT)
            or (isinstance(node, ast.Name) and node.id in _ENVIRONMENT)
            for node in nodes
        ):
            return True
    return False
