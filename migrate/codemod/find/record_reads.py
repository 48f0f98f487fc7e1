"""Which fields of one call's records the module reads, followed from where the records enter.

A module often makes several calls and reads many fields; a read of `role` in one branch says
nothing about the records of the call in the other branch. From the expression that holds a
call's records (the envelope read `r.json()["employees"]`, a bare body `r.json()`), the
records are followed through names (an assignment, a loop or comprehension over them, a
name reassigned later, see `name_regions`), `list`/`sorted`/`reversed`/`tuple`/`cast`,
`await`, `x or []`, indexing, `enumerate`, a list they are collected into (`append`,
`extend`, `+=`), into a function of the module they are passed to (its parameter), and out
of a function through its calls in the module (`return`, `yield`), up to a few steps. A
function is one of the module (`helper(x)`), a method (`self.helper(x)`) or a class or
static method (`Expense.from_api(x)`), with no decorator but a cache. A field read is
`record["key"]` or `record.get("key", …)`.

Any other use (the records stored in a container, printed, dumped, passed to a function of
another module, a function passed as a value) makes the answer unknown (None): the caller
then counts every string key the module reads, as before. Records returned from a public
function to callers in other modules are not reads here (PLM109 notes them at the call).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import ModuleFacts, Scope
from migrate.codemod.find.name_regions import loads_of_binding
from migrate.codemod.find.responses import iterated_by, loads_in

_KEEPERS = frozenset({"list", "sorted", "reversed", "tuple", "iter"})
_HARMLESS = frozenset({"len", "bool", "isinstance"})
_MAX_STEPS = 12
_TRANSPARENT = frozenset({"lru_cache", "cache"})
_FUNCTIONS = ast.FunctionDef | ast.AsyncFunctionDef
_On = Callable[[ast.expr, bool], None]


@dataclass(frozen=True)
class FieldRead:
    """One read of a record field: `node` is the subscript or the `.get(…)` call."""

    key: str
    node: ast.expr


class _Unknown(Exception):
    """The records are used in a way that is not a field read the follower understands."""


class RecordReads:
    """Follows one call's records through a module (see the module docstring)."""

    def __init__(self, facts: ModuleFacts, evaluator: Evaluator) -> None:
        self.facts = facts
        self.evaluator = evaluator

    def of(self, starts: list[ast.expr], many: bool) -> list[FieldRead] | None:
        """The field reads of the records held by `starts` (each a list of records when
        `many`, else one record); None when some use is not understood."""
        found: list[FieldRead] = []
        seen: set[tuple[int, bool]] = set()
        try:
            for start in starts:
                self._follow(start, many, found, 0, seen)
        except _Unknown:
            return None
        return found

    def _follow(
        self, node: ast.expr, many: bool, found: list[FieldRead], steps: int,
        seen: set[tuple[int, bool]],
    ) -> None:
        if (id(node), many) in seen:
            return
        if steps > _MAX_STEPS:
            raise _Unknown
        seen.add((id(node), many))
        parent = self.facts.parent(node)
        step = steps + 1

        def on(next_node: ast.expr, next_many: bool) -> None:  # the next step
            self._follow(next_node, next_many, found, step, seen)

        if isinstance(parent, ast.Await) or (
            isinstance(parent, ast.BoolOp)
            and isinstance(parent.op, ast.Or)
            and parent.values[0] is node
            and all(_empty(value) for value in parent.values[1:])
        ):
            return on(parent, many)
        if isinstance(parent, ast.Subscript) and parent.value is node:
            return self._subscript(parent, many, found, on)
        if isinstance(parent, ast.Attribute) and parent.value is node:
            call = self.facts.parent(parent)
            if (
                not many
                and parent.attr == "get"
                and isinstance(call, ast.Call)
                and call.func is parent
                and call.args
                and isinstance(call.args[0], ast.Constant)
                and isinstance(call.args[0].value, str)
            ):
                found.append(FieldRead(call.args[0].value, call))
                return None
            raise _Unknown
        if isinstance(parent, ast.For) and parent.iter is node and many:
            return self._elements(node, found, on)
        if isinstance(parent, ast.comprehension) and parent.iter is node and many:
            return self._elements(node, found, on)
        if isinstance(parent, ast.Call) and parent.func is not node:
            return self._argument(node, parent, many, on)
        if isinstance(parent, ast.Assign | ast.AnnAssign) and parent.value is node:
            target = parent.targets[0] if isinstance(parent, ast.Assign) else parent.target
            if isinstance(parent, ast.Assign) and len(parent.targets) != 1:
                raise _Unknown
            if not isinstance(target, ast.Name):
                raise _Unknown
            scope = self._scope_of(parent)
            loads = loads_of_binding(self.facts, self.evaluator, target.id, parent, scope)
            if loads is None or _read_in_nested_scope(self.facts, scope, target.id):
                raise _Unknown
            for load in loads:
                on(load, many)
            return None
        if (
            isinstance(parent, ast.AugAssign)
            and parent.value is node
            and isinstance(parent.op, ast.Add)
            and isinstance(parent.target, ast.Name)
            and many
        ):
            return self._collected(parent.target.id, parent, on)
        if isinstance(parent, ast.Return) and parent.value is node:
            return self._callers(parent, many, on)
        if isinstance(parent, ast.YieldFrom) and many:
            return self._callers(parent, True, on)
        if isinstance(parent, ast.Yield) and not many:
            return self._callers(parent, True, on)
        if isinstance(parent, ast.Expr) or (
            isinstance(parent, ast.If | ast.While | ast.IfExp) and parent.test is node
        ):
            return None  # evaluated for nothing, or only tested for being empty
        if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
            return None
        raise _Unknown

    def _subscript(
        self, read: ast.Subscript, many: bool, found: list[FieldRead], on: _On
    ) -> None:
        key = read.slice
        if not isinstance(read.ctx, ast.Load):
            raise _Unknown
        if not many and isinstance(key, ast.Constant) and isinstance(key.value, str):
            found.append(FieldRead(key.value, read))
            return
        if many and isinstance(key, ast.Slice):
            on(read, True)
            return
        if many and _is_index(key):
            on(read, False)
            return
        raise _Unknown

    def _elements(self, iterated: ast.expr, found: list[FieldRead], on: _On) -> None:
        loop = iterated_by(self.facts, iterated)
        if loop is None:
            raise _Unknown
        name, holder = loop
        for load in loads_in(holder, name):
            on(load, False)

    def _argument(self, node: ast.expr, call: ast.Call, many: bool, on: _On) -> None:
        func = call.func
        if isinstance(func, ast.Name) and func.id in _HARMLESS:
            return
        if (
            isinstance(func, ast.Name)
            and func.id in _KEEPERS
            and call.args == [node]
            and all(item.arg in ("reverse", "key") for item in call.keywords)
        ):
            for item in call.keywords:
                if item.arg == "key":
                    self._key_function(item.value, on)
            on(call, many)
            return
        if len(call.args) == 2 and call.args[1] is node and _is_cast(func):
            on(call, many)
            return
        if (
            isinstance(func, ast.Name)
            and func.id == "enumerate"
            and call.args == [node]
            and many
            and all(item.arg == "start" for item in call.keywords)
        ):  # `for i, record in enumerate(records):`
            loop = iterated_by(self.facts, call, 1)
            if loop is None:
                raise _Unknown
            for load in loads_in(loop[1], loop[0]):
                on(load, False)
            return
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and call.args == [node]
            and not call.keywords
            and (func.attr, many) in (("append", False), ("extend", True))
        ):
            self._collected(func.value.id, call, on)
            return
        called = self._local_function(func)
        if called is None:
            raise _Unknown
        function, bound = called
        parameter = _parameter(function, call, node, skip_self=bound)
        if parameter is None:
            raise _Unknown
        scope = self.facts.functions.get(function)
        if scope is None or len(scope.bindings.get(parameter, [])) != 1 or (
            _read_in_nested_scope(self.facts, scope, parameter)
        ):
            raise _Unknown
        for load in scope.loads.get(parameter, []):
            on(load, many)

    def _collected(self, name: str, where: ast.AST, on: _On) -> None:
        """`found.append(record)`, `found.extend(records)`, `found += records` into a list
        made empty once in the function (`found = []`): every other read of `found` reads
        records (other values put into it are read as records too, which only adds reads)."""
        scope = self._scope_of(where)
        bindings = self.evaluator.bindings(name, scope) or []
        made = [b for b in bindings if b.kind == "assign"]
        if len(made) != 1 or not _empty_list(made[0].value) or _read_in_nested_scope(
            self.facts, scope, name
        ) or any(b.kind not in ("assign", "augassign") for b in bindings):
            raise _Unknown
        for load in scope.function_scope().loads.get(name, []):
            holder = self.facts.parent(load)
            call = self.facts.parent(holder) if holder is not None else None
            if (
                isinstance(holder, ast.Attribute)
                and holder.attr in ("append", "extend")
                and isinstance(call, ast.Call)
                and call.func is holder
            ):
                continue  # another value put into it
            on(load, True)

    def _key_function(self, key: ast.expr, on: _On) -> None:
        """`sorted(records, key=lambda e: e["name"])`: the lambda's reads of its record."""
        if not (
            isinstance(key, ast.Lambda)
            and len(key.args.args) == 1
            and not key.args.posonlyargs
            and not key.args.kwonlyargs
            and key.args.vararg is None
            and key.args.kwarg is None
        ):
            raise _Unknown
        name = key.args.args[0].arg
        for node in self.facts.walk(key.body):
            if isinstance(node, ast.Name) and node.id == name:
                on(node, False)

    def _callers(self, exit_: ast.AST, many: bool, on: _On) -> None:
        """Where a function's result goes: each call of it in the module. A public function's
        callers in other modules are not reads here; a function used as a value is unknown."""
        function = self._enclosing_function(exit_)
        if function is None or not _plain(function):
            raise _Unknown
        is_method = isinstance(self.facts.parent(function), ast.ClassDef)
        name = function.name
        for node in self.facts.nodes():
            if is_method:
                named = isinstance(node, ast.Attribute) and node.attr == name
            else:
                named = (
                    isinstance(node, ast.Name) and node.id == name
                    and isinstance(node.ctx, ast.Load)
                )
            if not named:
                continue
            call = self.facts.parent(node)
            if not (isinstance(call, ast.Call) and call.func is node):
                raise _Unknown  # the function used as a value: its callers are not known
            on(call, many)

    def _local_function(
        self, func: ast.expr
    ) -> tuple[ast.FunctionDef | ast.AsyncFunctionDef, bool] | None:
        """The module-level function (`helper(x)`), method (`self.helper(x)`) or class or
        static method (`Expense.from_api(x)`) called, and whether its first parameter is
        bound by the call (`self`, `cls`) rather than by an argument."""
        if isinstance(func, ast.Name):
            defs = [node for node in self.facts.tree.body if isinstance(node, _FUNCTIONS)
                    and node.name == func.id]
            others = self.facts.module_scope.bindings.get(func.id, [])
            found = defs[0] if len(defs) == 1 and len(others) == 1 else None
            return (found, False) if found is not None and _plain(found) else None
        if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
            return None
        if func.value.id in ("self", "cls"):
            klass = self._enclosing_class(func)
        else:
            classes = [node for node in self.facts.tree.body if isinstance(node, ast.ClassDef)
                       and node.name == func.value.id]
            klass = classes[0] if len(classes) == 1 else None
        if klass is None:
            return None
        defs = [node for node in klass.body if isinstance(node, _FUNCTIONS)
                and node.name == func.attr]
        if len(defs) != 1:
            return None
        kinds = {_decorator_name(item) for item in defs[0].decorator_list}
        if "staticmethod" in kinds:
            bound = False
        elif "classmethod" in kinds or func.value.id in ("self", "cls"):
            bound = True
        else:
            return None  # `Class.method(x)`: `x` is its `self`
        plain = _plain(defs[0], frozenset({"staticmethod", "classmethod"}))
        return (defs[0], bound) if plain else None

    def _enclosing_function(self, node: ast.AST) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        for above in self.facts.ancestors(node):
            if isinstance(above, ast.Lambda):
                return None
            if isinstance(above, _FUNCTIONS):
                return above
        return None

    def _enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        for above in self.facts.ancestors(node):
            if isinstance(above, ast.ClassDef):
                return above
        return None

    def _scope_of(self, node: ast.AST) -> Scope:
        for above in self.facts.ancestors(node):
            if isinstance(above, _FUNCTIONS | ast.Lambda) and above in self.facts.functions:
                return self.facts.functions[above]
        return self.facts.module_scope


def _read_in_nested_scope(facts: ModuleFacts, scope: Scope, name: str) -> bool:
    """Whether `name` is read somewhere under the scope's node that the scope's own reads do
    not count (a nested function or lambda): those reads are not followed."""
    everywhere = sum(
        1 for node in facts.walk(scope.node)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    )
    return everywhere != len(scope.loads.get(name, []))


def _plain(
    function: ast.FunctionDef | ast.AsyncFunctionDef, allowed: frozenset[str] = _TRANSPARENT
) -> bool:
    """Whether calling the function gives what its body returns, with the arguments as
    written: no decorator but a cache (a task decorator, say, may return a future, and a
    wrapper may pass other arguments), or those `allowed`."""
    return all(
        _decorator_name(decorator) in _TRANSPARENT | allowed
        for decorator in function.decorator_list
    )


def _decorator_name(decorator: ast.expr) -> str | None:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute):
        return target.attr
    return target.id if isinstance(target, ast.Name) else None


def _parameter(
    function: ast.FunctionDef | ast.AsyncFunctionDef, call: ast.Call, node: ast.expr,
    skip_self: bool,
) -> str | None:
    """The parameter of `function` that `node`, an argument of `call`, binds."""
    if any(isinstance(arg, ast.Starred) for arg in call.args) or any(
        item.arg is None for item in call.keywords
    ):
        return None
    positional = [*function.args.posonlyargs, *function.args.args]
    if skip_self:
        positional = positional[1:]
    for index, arg in enumerate(call.args):
        if arg is node:
            return positional[index].arg if index < len(positional) else None
    names = {arg.arg for arg in [*function.args.args, *function.args.kwonlyargs]}
    for item in call.keywords:
        if item.value is node and item.arg in names:
            return item.arg
    return None


def _is_index(key: ast.expr) -> bool:
    if isinstance(key, ast.Constant):
        return isinstance(key.value, int) and not isinstance(key.value, bool)
    return (
        isinstance(key, ast.UnaryOp)
        and isinstance(key.op, ast.USub)
        and isinstance(key.operand, ast.Constant)
        and isinstance(key.operand.value, int)
    )


def _is_cast(func: ast.expr) -> bool:
    return (isinstance(func, ast.Name) and func.id == "cast") or (
        isinstance(func, ast.Attribute) and func.attr == "cast"
    )


def _empty(node: ast.expr) -> bool:
    return isinstance(node, ast.List | ast.Dict | ast.Tuple) and not (
        node.elts if isinstance(node, ast.List | ast.Tuple) else node.keys
    )


def _empty_list(value: ast.expr | None) -> bool:
    """`[]` or `list()`."""
    if isinstance(value, ast.List):
        return not value.elts
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id == "list"
        and not value.args
        and not value.keywords
    )
