"""Whether a field's value is only copied: put into a record of the module's own, never used.

A field the new API cannot carry (a receipt's `name`) comes back as None, as compat shows it.
That harms nothing where the value is only copied: an element of a tuple, list, set or dict
display or comprehension, an argument of a class the module defines (a NamedTuple, a
dataclass, a TypedDict) or of `dict`/`list`/`tuple`/`set`, appended to a list
(`rows.append`), stored into a subscript, or inside such a record returned or yielded.
Anything else (compared, sorted, formatted, passed to a function, a dict key, held in a name,
returned bare) may behave differently on None, so it is not a copy.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import ModuleFacts

_CONTAINERS = frozenset({"dict", "list", "tuple", "set", "frozenset"})
_MAX_DEPTH = 6


def only_copied(facts: ModuleFacts, read: ast.expr) -> bool:
    """Whether the value of `read` (a field read) is only copied (see the module docstring)."""
    classes = {node.name for node in facts.nodes() if isinstance(node, ast.ClassDef)}
    return _copied(facts, read, classes, 0)


def _copied(facts: ModuleFacts, node: ast.expr, classes: set[str], depth: int) -> bool:
    if depth > _MAX_DEPTH:
        return False
    parent = facts.parent(node)
    deeper = depth + 1
    if isinstance(parent, ast.Return | ast.Yield):
        return depth > 0  # a record or container of its own handed back, not the bare value
    if isinstance(parent, ast.Dict):
        return any(value is node for value in parent.values) and _copied(
            facts, parent, classes, deeper
        )
    if isinstance(parent, ast.List | ast.Tuple) and not isinstance(parent.ctx, ast.Load):
        return False
    if isinstance(parent, ast.List | ast.Tuple | ast.Set):
        return _copied(facts, parent, classes, deeper)
    if isinstance(parent, ast.ListComp | ast.SetComp | ast.GeneratorExp) and parent.elt is node:
        return _copied(facts, parent, classes, deeper)
    if isinstance(parent, ast.DictComp) and parent.value is node:
        return _copied(facts, parent, classes, deeper)
    if isinstance(parent, ast.keyword):
        call = facts.parent(parent)
        return isinstance(call, ast.Call) and _builds(call, classes, facts, deeper)
    if isinstance(parent, ast.Call) and any(arg is node for arg in parent.args):
        return _builds(parent, classes, facts, deeper) or _collected(parent, node)
    if isinstance(parent, ast.Assign) and parent.value is node:
        return all(isinstance(target, ast.Subscript) for target in parent.targets)
    return False


def _builds(call: ast.Call, classes: set[str], facts: ModuleFacts, depth: int) -> bool:
    """A record of the module's own class (kept as is), or a container built from values."""
    func = call.func
    if isinstance(func, ast.Name) and func.id in classes:
        return True
    if isinstance(func, ast.Name) and func.id in _CONTAINERS:
        return _copied(facts, call, classes, depth)
    return False


def _collected(call: ast.Call, node: ast.expr) -> bool:
    """`rows.append(value)`, `seen.add(value)`: kept in a collection of the module's own."""
    func = call.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr in ("append", "add")
        and isinstance(func.value, ast.Name)
        and call.args == [node]
    )
