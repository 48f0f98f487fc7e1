"""Where a call's records go: whether they leave the function that makes the call.

A rewritten call returns records in the new API's shape. Reads of changed fields in the
same module are PLM109's; records that leave the function (returned, yielded, kept in a
list that leaves, stored on an object, passed to another function) reach code the codemod
does not see, and their callers must be told. Following stops at a field read (`e["id"]`),
at a harmless built-in (`len(records)`) and after a few steps.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import ModuleFacts

# Built-ins that read records without handing them on.
_HARMLESS = frozenset({"len", "bool", "isinstance", "print", "repr", "str", "type", "id", "hash"})
# Built-ins whose result holds the records they are given.
_KEEPERS = frozenset({"list", "tuple", "sorted", "reversed", "iter", "set", "frozenset"})
# Methods that put records into their receiver.
_COLLECTORS = frozenset({"append", "extend", "insert", "add", "update", "put"})
_MAX_STEPS = 8


class RecordFlow:
    """Follows record-holding expressions through one module."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts

    def leaves(self, starts: list[ast.expr]) -> str | None:
        """How the records held by any of `starts` leave their function (None: they stay)."""
        for start in starts:
            how = self._follow(start, self._function_of(start), 0, set())
            if how is not None:
                return how
        return None

    def _follow(self, node: ast.expr, scope: ast.AST, steps: int, seen: set[int]) -> str | None:
        if steps > _MAX_STEPS or id(node) in seen:
            return None
        seen.add(id(node))
        parent = self.facts.parent(node)
        step = steps + 1
        if isinstance(parent, ast.Return):
            return "returned"
        if isinstance(parent, ast.Yield | ast.YieldFrom):
            return "yielded"
        if isinstance(parent, ast.Await | ast.Starred | ast.List | ast.Tuple | ast.Set):
            return self._follow(parent, scope, step, seen)
        if isinstance(parent, ast.Dict) and any(value is node for value in parent.values):
            return self._follow(parent, scope, step, seen)
        if isinstance(parent, ast.BinOp) and isinstance(parent.op, ast.Add):
            return self._follow(parent, scope, step, seen)
        if isinstance(parent, ast.BoolOp) or (isinstance(parent, ast.IfExp) and parent.test
                                              is not node):
            return self._follow(parent, scope, step, seen)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            if isinstance(parent.slice, ast.Constant) and isinstance(parent.slice.value, str):
                return None  # a field read (PLM109's), not the records
            return self._follow(parent, scope, step, seen)
        if isinstance(parent, ast.Call) and parent.func is not node:
            if len(parent.args) == 2 and parent.args[1] is node and _casts(parent.func):
                return self._follow(parent, scope, step, seen)  # `cast(T, records)`
            return self._argument(parent, scope, step, seen)
        if isinstance(parent, ast.Assign | ast.AnnAssign | ast.AugAssign) and parent.value is node:
            targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
            for target in targets:
                how = self._into(target, scope, step, seen)
                if how is not None:
                    return how
            return None
        if isinstance(parent, ast.For | ast.AsyncFor) and parent.iter is node:
            return self._into(parent.target, scope, step, seen)
        if isinstance(parent, ast.comprehension) and parent.iter is node:
            return self._comprehension(parent, scope, step, seen)
        return None

    def _argument(self, call: ast.Call, scope: ast.AST, steps: int, seen: set[int]) -> str | None:
        func = call.func
        if isinstance(func, ast.Name):
            if func.id in _HARMLESS:
                return None
            if func.id in _KEEPERS:
                return self._follow(call, scope, steps, seen)
            return f"passed to `{func.id}`"
        if isinstance(func, ast.Attribute) and func.attr in _COLLECTORS:
            if isinstance(func.value, ast.Name):
                how = self._name(func.value.id, scope, steps, seen)
                return None if how is None else f"kept in `{func.value.id}`, which is {how}"
            return "stored on an object"
        if isinstance(func, ast.Attribute):
            return f"passed to `.{func.attr}`"
        return "passed on"

    def _into(self, target: ast.expr, scope: ast.AST, steps: int, seen: set[int]) -> str | None:
        if isinstance(target, ast.Name):
            return self._name(target.id, scope, steps, seen)
        if isinstance(target, ast.Attribute | ast.Subscript):
            return "stored on an object"
        return None

    def _name(self, name: str, scope: ast.AST, steps: int, seen: set[int]) -> str | None:
        for load in self.facts.walk(scope):
            if isinstance(load, ast.Name) and load.id == name and isinstance(load.ctx, ast.Load):
                how = self._follow(load, scope, steps, seen)
                if how is not None:
                    return how
        return None

    def _comprehension(
        self, generator: ast.comprehension, scope: ast.AST, steps: int, seen: set[int]
    ) -> str | None:
        """`[e for e in records if …]` holds the records; `[e["id"] for e in records]` not."""
        comprehension = self.facts.parent(generator)
        if not isinstance(generator.target, ast.Name):
            return None
        variable = generator.target.id
        if isinstance(comprehension, ast.ListComp | ast.SetComp | ast.GeneratorExp):
            element = comprehension.elt
        elif isinstance(comprehension, ast.DictComp):
            element = comprehension.value
        else:
            return None
        if isinstance(element, ast.Name) and element.id == variable:
            return self._follow(comprehension, scope, steps, seen)
        return None

    def _function_of(self, node: ast.AST) -> ast.AST:
        for above in self.facts.ancestors(node):
            if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return above
        return self.facts.tree


def _casts(func: ast.expr) -> bool:
    """`cast` or `typing.cast`: gives its second argument back."""
    return (isinstance(func, ast.Name) and func.id == "cast") or (
        isinstance(func, ast.Attribute) and func.attr == "cast"
    )
