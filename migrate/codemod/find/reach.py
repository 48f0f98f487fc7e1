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
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from migrate.codemod.find.facts import ModuleFacts

_COMPOUND_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_MUTATORS = frozenset({"update", "setdefault", "append", "extend", "insert", "__setitem__"})
_SENDS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
_Function = ast.FunctionDef | ast.AsyncFunctionDef
# A key before names are resolved: a plain key, or (name, the functions around its use).
_Raw = str | tuple[str, tuple[_Function, ...]]


_BUILT: dict[int, tuple[ast.Module, Reach]] = {}  # the last module's, by its tree


def reach_of(facts: ModuleFacts) -> Reach:
    """The module's `Reach`, built once for the holdback and the split to share (only the
    last module's is kept, so a scan's memory stays that of one file), on the module's
    cached walks."""
    tree = facts.tree
    found = _BUILT.get(id(tree))
    if found is not None and found[0] is tree:
        return found[1]
    built = Reach(tree, facts.walk)
    _BUILT.clear()
    _BUILT[id(tree)] = (tree, built)
    return built


class Reach:
    """The def-use links of one module's statements, built once, asked per shared thing."""

    def __init__(
        self, tree: ast.Module, walk: Callable[[ast.AST], Iterable[ast.AST]] | None = None
    ) -> None:
        self._nodes = walk or _nodes  # every node under a node (`ModuleFacts.walk`'s, cached)
        self.loaders: dict[str, list[ast.stmt]] = {}  # key → statements that load it
        self.defines: dict[ast.stmt, set[str]] = {}
        self.function_of: dict[ast.stmt, _Function | None] = {}
        self.called: dict[ast.stmt, set[str]] = {}  # names of the functions a statement calls
        self.function_defs: dict[str, list[ast.stmt]] = {}
        self._locals: dict[_Function, set[str]] = {}
        self._globals: dict[_Function, set[str]] = {}
        self._raw: list[tuple[ast.stmt, set[_Raw], set[_Raw]]] = []
        self.loaded: set[str] = set()  # every name and attribute read, by its last part
        self._reached: dict[ast.stmt, frozenset[ast.stmt]] = {}
        self._walk(tree.body, None, (), False)
        rebound = {name for names in self._globals.values() for name in names}
        self._versions = _reassigned(tree, self._raw, rebound)
        top = {id(stmt): index for index, stmt in enumerate(tree.body)}
        for stmt, defines, loads in self._raw:  # names resolve once every local is known
            self.defines[stmt] = {self._versioned(self._resolve(key), stmt) for key in defines}
            resolved = {
                version
                for key in loads
                for version in self._read(self._resolve(key), key, stmt, top, tree)
            }
            self.called[stmt] = {key[3:] for key in resolved if key.startswith("fn:")}
            for key in resolved:
                self.loaders.setdefault(key, []).append(stmt)

    def reached(self, start: ast.stmt) -> frozenset[ast.stmt]:
        """Every statement the values defined at `start` flow into (`start` included); found
        once per statement (the holdback and the split ask again for the same things)."""
        found = self._reached.get(start)
        if found is None:
            found = self._reached[start] = frozenset(self._flow(start))
        return found

    def _flow(self, start: ast.stmt) -> set[ast.stmt]:
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
        function: _Function | None,
        chain: tuple[_Function, ...],
        in_class: bool,
    ) -> None:
        for stmt in body:
            self.function_of[stmt] = function
            defines: set[_Raw] = set()
            loads: set[_Raw] = set()
            if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef):
                inner = (*chain, stmt)
                self._locals[stmt] = set(_params(stmt.args))
                if chain:
                    self._locals[chain[-1]].add(stmt.name)
                for default in [*stmt.args.defaults, *stmt.args.kw_defaults]:
                    if default is not None:
                        self._names(default, chain, loads, defines)
                for decorator in stmt.decorator_list:
                    self._names(decorator, chain, loads, defines)
                defines.update((arg, inner) for arg in _params(stmt.args))
                self.function_defs.setdefault(stmt.name, []).append(stmt)
                self._raw.append((stmt, defines, loads))
                self._walk(stmt.body, stmt, inner, False)
                continue
            if isinstance(stmt, ast.ClassDef):
                self._raw.append((stmt, defines, loads))
                self._walk(stmt.body, function, chain, True)
                continue
            if isinstance(stmt, ast.Global | ast.Nonlocal) and function is not None:
                self._globals.setdefault(function, set()).update(stmt.names)
            for name in stmt._fields:
                if name in _COMPOUND_BODIES:
                    continue
                value = getattr(stmt, name, None)
                for node in value if isinstance(value, list) else [value]:
                    if isinstance(node, ast.AST):
                        self._names(node, chain, loads, defines)
            if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
                func = stmt.value.func
                if isinstance(func, ast.Attribute) and func.attr in _MUTATORS:
                    defines.update(self._owner_keys(func.value, chain))
            if isinstance(stmt, ast.Return | ast.Expr) and function is not None:
                defines.add("fn:" + function.name)
                if isinstance(stmt, ast.Return) and _is_property(function):
                    defines.add("member:" + function.name)  # read as `config.root`
            if in_class:  # a class attribute, read as `self.X` or `obj.X`
                names = [key[0] for key in defines if isinstance(key, tuple)]
                defines.update(f"{kind}{name}" for name in names for kind in ("attr:self.",
                                                                               "member:"))
            self._raw.append((stmt, defines, loads))
            for name in _COMPOUND_BODIES:
                inner_body = getattr(stmt, name, None)
                if not isinstance(inner_body, list):
                    continue
                for item in inner_body:
                    if isinstance(item, ast.ExceptHandler | ast.match_case):
                        if isinstance(item, ast.ExceptHandler) and item.name and chain:
                            self._locals[chain[-1]].add(item.name)
                        self._walk(item.body, function, chain, in_class)
                    elif isinstance(item, ast.stmt):
                        self._walk([item], function, chain, in_class)

    def _names(
        self,
        node: ast.AST,
        chain: tuple[_Function, ...],
        loads: set[_Raw],
        defines: set[_Raw],
    ) -> None:
        """The keys an expression (or a statement's own part) loads and stores, in one walk."""
        local = self._locals[chain[-1]] if chain else None
        for sub in self._nodes(node):
            if isinstance(sub, ast.Name):
                if isinstance(sub.ctx, ast.Load):
                    loads.add((sub.id, chain))
                    self.loaded.add(sub.id)
                else:
                    defines.add((sub.id, chain))
                    if local is not None:
                        local.add(sub.id)
            elif isinstance(sub, ast.Attribute):
                text = _dotted(sub)
                if isinstance(sub.ctx, ast.Store):
                    if text is not None:
                        defines.add("attr:" + text)
                    defines.add("member:" + sub.attr)
                    continue
                self.loaded.add(sub.attr)
                if text is not None:
                    loads.add("attr:" + text)
                if text is None or not text.startswith("self."):
                    loads.add("member:" + sub.attr)  # `client.base_url`: set as self.base_url
            elif isinstance(sub, ast.Subscript) and isinstance(sub.ctx, ast.Store):
                defines.update(self._owner_keys(sub.value, chain))
            elif isinstance(sub, ast.Call):
                func = sub.func
                if isinstance(func, ast.Name):
                    loads.add("fn:" + func.id)
                elif isinstance(func, ast.Attribute):
                    loads.add("fn:" + func.attr)
                    if func.attr in _SENDS:  # a session's get()/post()… send through request()
                        loads.add("fn:request")

    def _owner_keys(self, node: ast.expr, chain: tuple[_Function, ...]) -> set[_Raw]:
        """What a mutation of `node` changes: `node` itself and, for `X.headers`, `X`."""
        if isinstance(node, ast.Name):
            return {(node.id, chain)}
        text = _dotted(node)
        if text is None:
            return set()
        keys: set[_Raw] = {"attr:" + text}
        head, _, _last = text.rpartition(".")
        if "." in head:
            keys.add("attr:" + head)
        elif head and isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            keys.add((head, chain))
        return keys

    def _versioned(self, key: str, stmt: ast.stmt) -> str:
        """A module name assigned at top level more than once: each assignment's own key."""
        versions = self._versions.get(key)
        if versions is None or stmt not in versions:
            return key
        return f"{key}#{versions.index(stmt)}"

    def _read(
        self, key: str, raw: _Raw, stmt: ast.stmt, top: dict[int, int], tree: ast.Module
    ) -> list[str]:
        """The keys a load reads: for a module name assigned more than once at top level, the
        assignment before the statement when it runs at import time (a top-level statement, a
        default argument or decorator of a `def`, a class body); every assignment otherwise
        (a function body may run at any time)."""
        versions = self._versions.get(key)
        if versions is None:
            return [key]
        if isinstance(raw, tuple) and raw[1]:
            return [f"{key}#{index}" for index in range(len(versions))]
        position = top.get(id(self._top_of(stmt, tree)))
        if position is None:
            return [f"{key}#{index}" for index in range(len(versions))]
        before = [index for index, where in enumerate(versions) if top[id(where)] < position]
        if not before:
            return [f"{key}#{index}" for index in range(len(versions))]
        return [f"{key}#{before[-1]}"]

    def _top_of(self, stmt: ast.stmt, tree: ast.Module) -> ast.stmt | None:
        """The top-level statement around a statement run at import time (itself at top)."""
        if stmt in tree.body:
            return stmt
        if self.function_of.get(stmt) is not None:
            return None
        for top in tree.body:
            if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            if any(node is stmt for node in ast.walk(top)):
                return top
        return None

    def _resolve(self, key: _Raw) -> str:
        if isinstance(key, str):
            return key
        name, chain = key
        for function in reversed(chain):
            if name in self._globals.get(function, ()):
                break
            if name in self._locals.get(function, ()):
                return f"{id(function)}:{name}"
        return "module:" + name


def _reassigned(
    tree: ast.Module, raw: list[tuple[ast.stmt, set[_Raw], set[_Raw]]], rebound: set[str]
) -> dict[str, list[ast.stmt]]:
    """Module names whose every binding is a plain top-level assignment (none `global` in a
    function), bound more than once
    (`URL = "…/employees"` … `URL = urljoin(ROOT, "tag-groups")`): key → the assignments in
    order. A default argument reads the one before its `def` (what libcst's scope analysis
    says too, `text/cst.py`)."""
    binders: dict[str, list[ast.stmt]] = {}
    for stmt, defines, _loads in raw:
        for key in defines:
            if isinstance(key, tuple) and not key[1]:
                binders.setdefault("module:" + key[0], []).append(stmt)
    found: dict[str, list[ast.stmt]] = {}
    body = set(map(id, tree.body))
    for key, stmts in binders.items():
        if key.removeprefix("module:") in rebound:
            continue  # a function rebinds it (`global`): any read may see that value
        if len(stmts) < 2 or not all(
            id(stmt) in body and _plain_assign(stmt, key.removeprefix("module:"))
            for stmt in stmts
        ):
            continue
        found[key] = stmts
    return found


def _plain_assign(stmt: ast.stmt, name: str) -> bool:
    if isinstance(stmt, ast.Assign):
        targets = stmt.targets
    elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
        targets = [stmt.target]
    else:
        return False
    return all(isinstance(target, ast.Name) and target.id == name for target in targets)


def _nodes(node: ast.AST) -> list[ast.AST]:
    """Every node under `node` (itself included) but the `Load`/`Store` markers: what
    `ast.walk` yields, in another order, faster (a module's statements are
    walked once each to build a `Reach`, the bulk of its cost)."""
    found: list[ast.AST] = []
    work = [node]
    while work:
        current = work.pop()
        found.append(current)
        fields = _CHILD_FIELDS.get(type(current))
        for name in _child_fields(type(current)) if fields is None else fields:
            value = getattr(current, name, None)
            if isinstance(value, ast.AST):
                work.append(value)
            elif isinstance(value, list):
                work.extend(item for item in value if isinstance(item, ast.AST))
    return found


_CHILD_FIELDS: dict[type[ast.AST], tuple[str, ...]] = {}
# fields that never hold a node: names, flags, and the `Load`/`Store` marker
_LEAF_FIELDS = frozenset(
    {"ctx", "id", "attr", "arg", "name", "kind", "type_comment", "conversion", "level",
     "module", "is_async"}
)


def _child_fields(kind: type[ast.AST]) -> tuple[str, ...]:
    """The fields of a node type that may hold nodes."""
    fields = tuple(name for name in kind._fields if name not in _LEAF_FIELDS)
    _CHILD_FIELDS[kind] = fields
    return fields


def _is_property(function: _Function) -> bool:
    return any(
        (isinstance(d, ast.Name) and d.id == "property")
        or (isinstance(d, ast.Attribute) and d.attr == "cached_property")
        for d in function.decorator_list
    )


def _params(args: ast.arguments) -> list[str]:
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs]
    every += [item for item in (args.vararg, args.kwarg) if item is not None]
    return [arg.arg for arg in every]


def _dotted(node: ast.expr) -> str | None:
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))
