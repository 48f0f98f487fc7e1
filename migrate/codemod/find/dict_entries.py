"""Which entry of a module-level dict a local name holds, when the code names it by a local.

Data-driven clients keep their resources in a table and read one entry through a local:

- `spec = RESOURCES[name]` then `PLEO["url"] + spec["path"]` and `body[spec["key"]]`;
- `for name, spec in RESOURCES.items():` then `spec["path"]`;
- `for path in PATHS.values():` then `BASE + path`.

`entry_of` answers "which dict, and which of its entries (one key, or any)" for such a local,
so that `value_sets.py` reads `spec["path"]` as `RESOURCES[name]["path"]` and bounds it by the
dict's entries. A local bound more than once, bound from anything else, or a dict that is not a
module-level display is not followed (None): its values stay unknown.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import Binding, ModuleFacts, Scope


@dataclass(frozen=True)
class Entry:
    """One entry (`key` a literal) or any entry (`key` None, or a run-time key) of `table`."""

    table: ast.Name  # the dict's name where the entry is read
    key: ast.expr | None


def entry_of(name: ast.Name, scope: Scope, facts: ModuleFacts, evaluator: Evaluator) -> (
    Entry | None
):
    """The dict entry a local holds: `spec = D[k]`, `for _, spec in D.items()`, or `for spec
    in D.values()` (None: not one of these, or bound more than once)."""
    owner = evaluator.owner(name.id, scope)
    bindings = None if owner is None else owner.bindings.get(name.id)
    if owner is None or owner is facts.module_scope or not bindings or len(bindings) != 1:
        return None
    binding = bindings[0]
    if binding.kind == "assign":
        return _assigned(binding)
    if binding.kind == "for" and isinstance(binding.stmt, ast.For):
        return _looped(binding, binding.stmt)
    return None


def _assigned(binding: Binding) -> Entry | None:
    """`spec = D[k]`: a single name bound to one subscript of a name."""
    stmt, value = binding.stmt, binding.value
    if not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    if not isinstance(stmt.targets[0], ast.Name) or not isinstance(value, ast.Subscript):
        return None
    if not isinstance(value.value, ast.Name) or isinstance(value.slice, ast.Slice):
        return None
    return Entry(value.value, value.slice)


def _looped(binding: Binding, loop: ast.For) -> Entry | None:
    """`for spec in D.values()` or `for _, spec in D.items()`: any entry of `D`."""
    call = loop.iter
    if not (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and isinstance(call.func.value, ast.Name)
        and not call.args
        and not call.keywords
    ):
        return None
    method, table = call.func.attr, call.func.value
    if method == "values" and loop.target is binding.target:
        return Entry(table, None)
    target = loop.target
    if (
        method == "items"
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and target.elts[1] is binding.target
    ):
        return Entry(table, None)
    return None


def item_key(binding: Binding) -> ast.Name | None:
    """`for name, spec in D.items()`: for `name`, the dict whose keys it runs over."""
    loop = binding.stmt
    if not isinstance(loop, ast.For):
        return None
    call, target = loop.iter, loop.target
    if (
        isinstance(call, ast.Call)
        and isinstance(call.func, ast.Attribute)
        and call.func.attr == "items"
        and isinstance(call.func.value, ast.Name)
        and not call.args
        and isinstance(target, ast.Tuple)
        and len(target.elts) == 2
        and target.elts[0] is binding.target
    ):
        return call.func.value
    return None
