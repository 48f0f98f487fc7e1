"""What one pass over a module's `ast` learns: bindings per scope, calls, strings, keys, env
reads, headers. `collect.py` makes the pass; the rest of `find/` reads these types.

The stdlib parser is an order of magnitude faster than a concrete syntax tree, and `scan`
must stay within a small factor of `grep`; so analysis runs on `ast`, and edits are applied
to the original text at the positions `ast` reports (see `text/edits.py`).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

ScopeKind = Literal["module", "function", "class"]
Loop = ast.While | ast.For | ast.AsyncFor


@dataclass(eq=False)
class Binding:
    """One way a name gets a value. `value` is None when we do not evaluate the binding."""

    value: ast.expr | None
    stmt: ast.stmt | None
    target: ast.expr | None
    kind: str  # assign, param, augassign, with, for, import, def, other


@dataclass(eq=False)
class ClassFacts:
    node: ast.ClassDef
    attrs: dict[str, list[Binding]] = field(default_factory=dict)  # self.X = … in methods


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    node: ast.AST
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    loads: dict[str, list[ast.Name]] = field(default_factory=dict)
    self_name: str | None = None
    klass: ClassFacts | None = None

    def bind(self, name: str, binding: Binding) -> None:
        self.bindings.setdefault(name, []).append(binding)

    def function_scope(self) -> Scope:
        scope: Scope = self
        while scope.kind == "class" and scope.parent is not None:
            scope = scope.parent
        return scope


@dataclass(eq=False)
class CallFacts:
    node: ast.Call
    scope: Scope
    stmt: ast.stmt
    loop: Loop | None  # innermost loop around the call, inside the same function


@dataclass(eq=False)
class StringFacts:
    node: ast.Constant | ast.JoinedStr
    stmt: ast.stmt | None
    prose: bool  # a docstring or a bare string statement


@dataclass(eq=False)
class EnvRead:
    node: ast.expr  # the whole os.environ[...] / getenv(...) expression
    name_node: ast.Constant
    name: str
    default: ast.expr | None
    stmt: ast.stmt | None


@dataclass(eq=False)
class Entry:
    """A string key with a value: a dict entry, a keyword argument or a subscript assignment."""

    key: str
    key_node: ast.expr | None  # None for keyword arguments
    value: ast.expr
    container: ast.AST  # the Dict, the Call, or the Assign
    stmt: ast.stmt | None
    kind: str  # "dict", "keyword", "subscript"
    receiver: str | None = None  # for `X.headers["Authorization"] = …`: "X"


@dataclass(eq=False)
class Imports:
    modules: dict[str, str] = field(default_factory=dict)  # local alias → module
    names: dict[str, tuple[str, str]] = field(default_factory=dict)  # local → (module, name)
    nodes: list[ast.Import | ast.ImportFrom] = field(default_factory=list)

    def module_alias(self, node: ast.expr, module: str) -> bool:
        return isinstance(node, ast.Name) and self.modules.get(node.id) == module

    def is_name(self, node: ast.expr, module: str, name: str) -> bool:
        return isinstance(node, ast.Name) and self.names.get(node.id) == (module, name)

    def is_environ(self, node: ast.expr) -> bool:
        """`os.environ` (or `environ` imported from `os`), as this module spells it."""
        if isinstance(node, ast.Attribute) and node.attr == "environ":
            return self.module_alias(node.value, "os")
        return self.is_name(node, "os", "environ")


@dataclass(eq=False)
class ModuleFacts:
    tree: ast.Module
    module_scope: Scope
    parents: dict[ast.AST, ast.AST]
    scope_of_name: dict[ast.Name, Scope]
    calls: list[CallFacts]
    strings: list[StringFacts]
    key_reads: list[tuple[str, ast.expr]]
    env_reads: list[EnvRead]
    entries: list[Entry]
    str_assigns: list[tuple[str, ast.Constant, ast.stmt]]
    imports: Imports
    functions: dict[ast.AST, Scope]
    load_counts: dict[str, int]  # loads of each name anywhere in the module
    value_scope: dict[ast.AST, Scope]  # the scope a bound value is evaluated in
    _walks: dict[ast.AST, list[ast.AST]] = field(default_factory=dict, repr=False)
    _children: dict[ast.AST, list[ast.AST]] = field(default_factory=dict, repr=False)
    _statements: list[ast.stmt] | None = field(default=None, repr=False)

    def nodes(self) -> list[ast.AST]:
        """Every node of the module in `ast.walk` order, listed once: a score of rules and
        finders look at every node, and walking the tree again for each cost a scan a third
        of its analysis time."""
        return self.walk(self.tree)

    def statements(self) -> list[ast.stmt]:
        """Every statement of the module, in `ast.walk` order, listed once."""
        if self._statements is None:
            self._statements = [node for node in self.nodes() if isinstance(node, ast.stmt)]
        return self._statements

    def walk(self, node: ast.AST) -> list[ast.AST]:
        """What `ast.walk(node)` yields, in its order, listed once per node asked: the split,
        the record reads and the rules walk the same functions and statements again and
        again, and `ast.walk` (a generator over `iter_fields`) cost a scan a tenth of its
        time. The list is shared: read it, never change it (nor the tree)."""
        found = self._walks.get(node)
        if found is None:
            found = self._walks[node] = _breadth_first(node, self._children)
        return found

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)


def _breadth_first(node: ast.AST, children: dict[ast.AST, list[ast.AST]]) -> list[ast.AST]:
    """`ast.walk`'s order (breadth first, fields in order); each node's children are listed
    once in `children`, for the next walk that passes it."""
    found = [node]
    position = 0
    while position < len(found):
        current = found[position]
        position += 1
        below = children.get(current)
        if below is None:
            below = children[current] = _children_of(current)
        found.extend(below)
    return found


def _children_of(node: ast.AST) -> list[ast.AST]:
    """`ast.iter_child_nodes(node)` as a list, without its generator and `iter_fields`."""
    below: list[ast.AST] = []
    kind = type(node)
    fields = _NODE_FIELDS.get(kind)
    if fields is None:
        fields = _NODE_FIELDS[kind] = tuple(
            (name, (kind, name) in _MIXED_LISTS)
            for name in kind._fields
            if name not in _PLAIN_FIELDS
        )
    for name, mixed in fields:
        value = getattr(node, name, None)
        if type(value) is list:
            if mixed:
                below.extend(item for item in value if isinstance(item, ast.AST))
            else:
                below.extend(value)
        elif isinstance(value, ast.AST):
            below.append(value)
    return below


_NODE_FIELDS: dict[type[ast.AST], tuple[tuple[str, bool], ...]] = {}
# fields that never hold a node (`ctx` and `op` do: `ast.walk` yields them too)
_PLAIN_FIELDS = frozenset(
    {"id", "attr", "arg", "name", "kind", "type_comment", "conversion", "level", "module",
     "is_async"}
)
# lists that hold other things beside nodes (None for `**x` and bare `*`, names as text)
_MIXED_LISTS = frozenset(
    {(ast.Dict, "keys"), (ast.arguments, "kw_defaults"), (ast.Global, "names"),
     (ast.Nonlocal, "names"), (ast.MatchClass, "kwd_attrs")}
)


def dotted(node: ast.expr) -> str | None:
    """`self.session` for an attribute chain on a name, `client` for a name, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    parts.append(node.id)
    return ".".join(reversed(parts))


def statement_start(statement: ast.stmt) -> int:
    """The first line of a statement, decorators included."""
    decorators = getattr(statement, "decorator_list", None)
    if decorators:
        return int(min(statement.lineno, *(item.lineno for item in decorators)))
    return statement.lineno
