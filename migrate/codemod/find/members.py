"""What `config.api_url` or `config.root` holds when `config` is a settings object of this module.

```python
@dataclass(frozen=True)
class PleoConfig:
    api_url: str = "https://openapi.pleo.io"
    version: str = "v1"

    @property
    def root(self) -> str:
        return f"{self.api_url}/{self.version}"


def expenses(config: PleoConfig | None = None):
    config = config or PleoConfig()
    requests.get(config.root + "/expenses", …)
```

A name whose every value (apart from `None` and the name itself, `config or PleoConfig()`) is an
instance made with no arguments of a class of this module (a dataclass, a NamedTuple, a plain
class) reads that class's defaults: a class-level attribute (a field default) or what a
`@property` returns, evaluated with `self` being the instance. Anything else (an instance made
with arguments, a value from elsewhere) is not followed: the caller may have set another base.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import Binding, ModuleFacts, Scope

MAX_VALUES = 8


def member_values(
    facts: ModuleFacts, bindings: list[Binding] | None, attr: str
) -> list[tuple[ast.expr, Scope]] | None:
    """The expressions `<name>.attr` can evaluate to, each with the scope to evaluate it in,
    given the name's bindings (None: not a settings object of this module)."""
    classes = _instance_classes(facts, bindings)
    if not classes:
        return None
    found: list[tuple[ast.expr, Scope]] = []
    for klass in classes:
        values = _class_member(facts, klass, attr)
        if values is None:
            return None
        found.extend(values)
    return found[:MAX_VALUES] or None


def _instance_classes(facts: ModuleFacts, bindings: list[Binding] | None) -> list[ast.ClassDef]:
    if not bindings:
        return []
    names = {binding.target.id for binding in bindings if isinstance(binding.target, ast.Name)}
    classes: list[ast.ClassDef] = []
    for binding in bindings:
        value = binding.value
        if value is None:
            if binding.kind == "param":
                continue  # a parameter without default: its annotation is not a promise
            return []
        for option in _options(value):
            if isinstance(option, ast.Constant) and option.value is None:
                continue
            if isinstance(option, ast.Name) and (option.id in names or binding.kind == "param"):
                continue  # `config = config or PleoConfig()`
            klass = _made_by(facts, option)
            if klass is None:
                return []
            classes.append(klass)
    return classes


def _options(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BoolOp):
        return [item for value in node.values for item in _options(value)]
    if isinstance(node, ast.IfExp):
        return [*_options(node.body), *_options(node.orelse)]
    return [node]


def _made_by(facts: ModuleFacts, node: ast.expr) -> ast.ClassDef | None:
    """The module class `node` instantiates with no arguments (its defaults hold)."""
    if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
        return None
    if node.args or node.keywords:
        return None
    for binding in facts.module_scope.bindings.get(node.func.id, []):
        if isinstance(binding.stmt, ast.ClassDef):
            return binding.stmt
    return None


def _class_member(
    facts: ModuleFacts, klass: ast.ClassDef, attr: str
) -> list[tuple[ast.expr, Scope]] | None:
    for item in klass.body:
        if isinstance(item, ast.FunctionDef) and item.name == attr:
            if not any(_is_property(d) for d in item.decorator_list):
                return None
            scope = facts.functions.get(item)
            if scope is None:
                return None
            returns = [
                node.value
                for node in ast.walk(item)
                if isinstance(node, ast.Return) and node.value is not None
            ]
            return [(value, scope) for value in returns] or None
        value = _class_level(item, attr)
        if value is not None:
            scope = facts.value_scope.get(value)  # the class body's scope
            return None if scope is None else [(value, scope)]
    return None


def _class_level(item: ast.stmt, attr: str) -> ast.expr | None:
    if (
        isinstance(item, ast.AnnAssign)
        and isinstance(item.target, ast.Name)
        and item.target.id == attr
    ):
        return item.value
    if isinstance(item, ast.Assign) and any(
        isinstance(target, ast.Name) and target.id == attr for target in item.targets
    ):
        return item.value
    return None


def _is_property(decorator: ast.expr) -> bool:
    return (isinstance(decorator, ast.Name) and decorator.id == "property") or (
        isinstance(decorator, ast.Attribute) and decorator.attr == "cached_property"
    )
