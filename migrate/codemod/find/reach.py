"""Which statements a statement's value reaches: the def-use links of one module.

The native strategy moves a shared thing (a host constant, a base attribute, a header dict or
builder, a token variable) only when every legacy call that uses it moves too; this module
answers "which calls use it". A statement defines names (`BASE = …`, `self.headers = …`,
`session.headers.update(…)` defines `session`, a function defines itself to its callers once
anything in it is reached) and loads names; a statement is reached when it loads a name a
reached statement defines, or calls a function of the module (its parameters take the value).
Names are scope-qualified (a local `url` of one function is not another's); attributes are
keyed by their dotted text (`self.base_url`) and, read on anything but `self`, by their name
alone (`client.base_url`); class-blind. Every approximation can only make a thing look used by
more calls than it is (the safe side: it stays).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable

_COMPOUND_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_MUTATORS = frozenset({"update", "setdefault", "append", "extend", "insert", "__setitem__"})
_Function = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda


class Reach:
    """The def-use links of one module's statements, built once, asked per shared thing."""

    def __init__(self, tree: ast.Module) -> None:
        self.loaders: dict[str, list[ast.stmt]] = {}  # key → statements that load it
        self.defines: dict[ast.stmt, set[str]] = {}
        self.function_of: dict[ast.stmt, ast.FunctionDef | ast.AsyncFunctionDef | None] = {}
        self.called: dict[ast.stmt, set[str]] = {}  # names of the functions a statement calls
        self.function_defs: dict[str, list[ast.stmt]] = {}
        self._locals: dict[ast.AST, set[str]] = {}
        self._walk(tree.body, None, [], False)

    def reached(self, start: ast.stmt) -> set[ast.stmt]:
        """Every statement the values defined at `start` flow into (`start` included)."""
        seen = {start}
        work = [start]
        while work:
            stmt = work.pop()
            keys = set(self.defines.get(stmt, ()))
            function = self.function_of.get(stmt)
            if function is not None:
                keys.add("fn:" + function.name)
            followers = [loader for key in keys for loader in self.loaders.get(key, ())]
            # a value passed to a function of the module reaches its parameters
            for name in self.called.get(stmt, ()):
                followers.extend(self.function_defs.get(name, ()))
            for follower in followers:
                if follower not in seen:
                    seen.add(follower)
                    work.append(follower)
        return seen

    # --- building --------------------------------------------------------------------------

    def _walk(
        self,
        body: Iterable[ast.stmt],
        function: ast.FunctionDef | ast.AsyncFunctionDef | None,
        chain: list[ast.AST],
        in_class: bool,
    ) -> None:
        for stmt in body:
            self.function_of[stmt] = function
            defines: set[str] = set()
            loads: set[str] = set()
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = [*chain, stmt]
                self._locals[stmt] = _local_names(stmt)
                for default in [*stmt.args.defaults, *stmt.args.kw_defaults]:
                    if default is not None:
                        self._loads(default, chain, loads)
                for decorator in stmt.decorator_list:
                    self._loads(decorator, chain, loads)
                for arg in _params(stmt.args):
                    defines.add(self._key(arg, inner))
                self.function_defs.setdefault(stmt.name, []).append(stmt)
                self._record(stmt, defines, loads)
                self._walk(stmt.body, stmt, inner, False)
                continue
            if isinstance(stmt, ast.ClassDef):
                self._record(stmt, defines, loads)
                self._walk(stmt.body, function, chain, True)
                continue
            for name, value in ast.iter_fields(stmt):
                if name in _COMPOUND_BODIES:
                    continue
                for node in value if isinstance(value, list) else [value]:
                    if isinstance(node, ast.AST):
                        self._loads(node, chain, loads)
                        self._stores(node, chain, defines)
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and func.attr in _MUTATORS:
                    defines.update(self._owner_keys(func.value, chain))
            if isinstance(stmt, ast.Return | ast.Expr) and function is not None:
                defines.add("fn:" + function.name)
            if in_class:  # a class attribute, read as `self.X` or `obj.X`
                names = [key.rsplit(":", 1)[1] for key in defines if key.startswith("module:")]
                defines.update(key for name in names for key in ("attr:self." + name,
                                                                  "member:" + name))
            self._record(stmt, defines, loads)
            for name in _COMPOUND_BODIES:
                inner_body = getattr(stmt, name, None)
                if not isinstance(inner_body, list):
                    continue
                for item in inner_body:
                    if isinstance(item, ast.ExceptHandler | ast.match_case):
                        self._walk(item.body, function, chain, in_class)
                    elif isinstance(item, ast.stmt):
                        self._walk([item], function, chain, in_class)

    def _record(self, stmt: ast.stmt, defines: set[str], loads: set[str]) -> None:
        self.defines[stmt] = defines
        self.called[stmt] = {key[3:] for key in loads if key.startswith("fn:")}
        for key in loads:
            self.loaders.setdefault(key, []).append(stmt)

    def _loads(self, node: ast.AST, chain: list[ast.AST], out: set[str]) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load):
                out.add(self._key(sub.id, chain))
            elif isinstance(sub, ast.Attribute):
                text = _dotted(sub)
                if text is not None:
                    out.add("attr:" + text)
                if text is None or not text.startswith("self."):
                    out.add("member:" + sub.attr)  # `client.base_url`: set as self.base_url
            if isinstance(sub, ast.Call):
                func = sub.func
                if isinstance(func, ast.Name):
                    out.add("fn:" + func.id)
                elif isinstance(func, ast.Attribute):
                    out.add("fn:" + func.attr)

    def _stores(self, node: ast.AST, chain: list[ast.AST], out: set[str]) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store | ast.Del):
                out.add(self._key(sub.id, chain))
            elif isinstance(sub, ast.Attribute) and isinstance(sub.ctx, ast.Store):
                text = _dotted(sub)
                if text is not None:
                    out.add("attr:" + text)
                out.add("member:" + sub.attr)
            elif isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store):
                out.update(self._owner_keys(sub.value, chain))

    def _owner_keys(self, node: ast.expr, chain: list[ast.AST]) -> set[str]:
        """What a mutation of `node` changes: `node` itself and, for `X.headers`, `X`."""
        if isinstance(node, ast.Name):
            return {self._key(node.id, chain)}
        text = _dotted(node)
        if text is None:
            return set()
        keys = {"attr:" + text}
        head, _, _last = text.rpartition(".")
        if "." in head:
            keys.add("attr:" + head)
        elif head and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            keys.add(self._key(head, chain))
        return keys

    def _key(self, name: str, chain: list[ast.AST]) -> str:
        for function in reversed(chain):
            if name in self._locals.get(function, ()):
                return f"{id(function)}:{name}"
        return "module:" + name


def _params(args: ast.arguments) -> list[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [item for item in (args.vararg, args.kwarg) if item is not None]
    return [arg.arg for arg in every]


def _local_names(function: ast.FunctionDef | ast.AsyncFunctionDef) -> set[str]:
    names = set(_params(function.args))
    declared: set[str] = set()
    stack: list[ast.AST] = list(function.body)
    while stack:
        node = stack.pop()
        if isinstance(node, ast.Global | ast.Nonlocal):
            declared.update(node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
            continue  # its own scope
        stack.extend(ast.iter_child_nodes(node))
    return names - declared


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))
