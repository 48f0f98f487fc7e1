"""The one pass over a module's `ast` that fills in `ModuleFacts` (see `facts.py`).

It runs for every node of every module that mentions Pleo, so it is written for speed: one
hand-rolled walk, no generators, and node kinds that need no look of their own skipped fast.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import (
    Binding,
    CallFacts,
    ClassFacts,
    Entry,
    EnvRead,
    Imports,
    Loop,
    ModuleFacts,
    Scope,
    StringFacts,
    dotted,
)
from migrate.codemod.find.hosts import NEW_BASE_FUNCTION

# Context and operator singletons (Load, Add, …) hold nothing to collect.
_LEAVES = frozenset(
    cls
    for base in (ast.expr_context, ast.operator, ast.boolop, ast.cmpop, ast.unaryop)
    for cls in base.__subclasses__()
)
# Expression nodes that need no look of their own: only their children matter.
_PLAIN = frozenset(
    {
        ast.Attribute,
        ast.BinOp,
        ast.BoolOp,
        ast.Compare,
        ast.UnaryOp,
        ast.Tuple,
        ast.List,
        ast.Set,
        ast.keyword,
        ast.Starred,
        ast.IfExp,
        ast.Await,
        ast.FormattedValue,
        ast.arguments,
        ast.arg,
        ast.withitem,
        ast.ExceptHandler,
        ast.Slice,
        ast.ListComp,
        ast.SetComp,
        ast.DictComp,
        ast.GeneratorExp,
        ast.Yield,
        ast.YieldFrom,
        ast.alias,
    }
)


class _Collector:
    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.module_scope = Scope("module", tree, None)
        self.scope = self.module_scope
        self.stmt: ast.stmt | None = None
        self.loop: Loop | None = None
        self.in_fstring = False
        self.parents: dict[ast.AST, ast.AST] = {}
        self.scope_of_name: dict[ast.Name, Scope] = {}
        self.calls: list[CallFacts] = []
        self.strings: list[StringFacts] = []
        self.key_reads: list[tuple[str, ast.expr]] = []
        self.env_reads: list[EnvRead] = []
        self.entries: list[Entry] = []
        self.str_assigns: list[tuple[str, ast.Constant, ast.stmt]] = []
        self.imports = Imports()
        self.prose: set[ast.Constant] = set()
        self.functions: dict[ast.AST, Scope] = {}
        self.load_counts: dict[str, int] = {}
        self.value_scope: dict[ast.AST, Scope] = {}

    # --- driving -------------------------------------------------------------------------

    def run(self) -> ModuleFacts:
        for statement in self.tree.body:
            self.visit(statement, self.tree)
        return ModuleFacts(
            tree=self.tree,
            module_scope=self.module_scope,
            parents=self.parents,
            scope_of_name=self.scope_of_name,
            calls=self.calls,
            strings=self.strings,
            key_reads=self.key_reads,
            env_reads=self.env_reads,
            entries=self.entries,
            str_assigns=self.str_assigns,
            imports=self.imports,
            functions=self.functions,
            load_counts=self.load_counts,
            value_scope=self.value_scope,
        )

    def visit(self, node: ast.AST, parent: ast.AST) -> None:
        self.parents[node] = parent
        if isinstance(node, ast.stmt):
            saved_stmt = self.stmt
            self.stmt = node
            self._statement(node)
            self.stmt = saved_stmt
            return
        self._expression(node)

    def children(self, node: ast.AST) -> None:
        # Hand-rolled `ast.iter_child_nodes`: this loop runs for every node of every module
        # that mentions Pleo, and the generator-based original costs a third of a scan.
        visit = self.visit
        for name in node._fields:
            value = getattr(node, name, None)
            if type(value) is list:
                for item in value:
                    if isinstance(item, ast.AST) and type(item) not in _LEAVES:
                        visit(item, node)
            elif isinstance(value, ast.AST) and type(value) not in _LEAVES:
                visit(value, node)

    # --- statements ----------------------------------------------------------------------

    def _statement(self, node: ast.stmt) -> None:
        if (
            isinstance(node, ast.Expr)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
        ):
            self.prose.add(node.value)  # a docstring, or a string used as a comment
        if isinstance(node, ast.FunctionDef) and node.name == NEW_BASE_FUNCTION:
            self.prose.update(  # the hosts the rewrite's own translation maps: no call's
                item for item in ast.walk(node) if isinstance(item, ast.Constant)
            )
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            self._function(node)
        elif isinstance(node, ast.ClassDef):
            self._class(node)
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                self._bind_target(target, node.value, node)
            self.children(node)
            self._subscript_entries(node)
            if len(node.targets) == 1:
                self._str_assign(node.targets[0], node.value, node)
        elif isinstance(node, ast.AnnAssign):
            if node.value is not None:
                self._bind_target(node.target, node.value, node)
                self._str_assign(node.target, node.value, node)
            self.children(node)
        elif isinstance(node, ast.AugAssign):
            self._bind_unknown(node.target, node, "augassign")
            self.children(node)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.While):
            self._loop(node)
        elif isinstance(node, ast.With | ast.AsyncWith):
            for item in node.items:
                if item.optional_vars is not None:
                    self._bind_target(item.optional_vars, item.context_expr, node, "with")
            self.children(node)
        elif isinstance(node, ast.Import | ast.ImportFrom):
            self._import(node)
        elif isinstance(node, ast.Try):
            for handler in node.handlers:
                if handler.name:
                    self.scope.bind(handler.name, Binding(None, node, None, "other"))
            self.children(node)
        else:
            self.children(node)

    def _loop(self, node: ast.For | ast.AsyncFor | ast.While) -> None:
        if isinstance(node, ast.For | ast.AsyncFor):
            self._bind_unknown(node.target, node, "for")
        saved = self.loop
        self.loop = node
        self.children(node)
        self.loop = saved

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.scope.bind(node.name, Binding(None, node, None, "def"))
        for decorator in node.decorator_list:
            self.visit(decorator, node)
        for default in [*node.args.defaults, *node.args.kw_defaults]:
            if default is not None:
                self.visit(default, node.args)
        if node.returns is not None:
            self.visit(node.returns, node)
        parent_scope = self.scope
        scope = Scope("function", node, parent_scope)
        if parent_scope.kind == "class":
            scope.klass = parent_scope.klass
            positional = [*node.args.posonlyargs, *node.args.args]
            if positional:
                scope.self_name = positional[0].arg
        self._bind_params(scope, node.args)
        self.functions[node] = scope
        saved_scope, saved_loop = self.scope, self.loop
        self.scope, self.loop = scope, None
        for statement in node.body:
            self.visit(statement, node)
        self.scope, self.loop = saved_scope, saved_loop

    def _bind_params(self, scope: Scope, args: ast.arguments) -> None:
        positional = [*args.posonlyargs, *args.args]
        defaults: list[ast.expr | None] = [None] * (len(positional) - len(args.defaults))
        defaults.extend(args.defaults)
        for arg, default in zip(positional, defaults, strict=True):
            scope.bind(arg.arg, Binding(default, None, None, "param"))
            if default is not None:
                self.value_scope[default] = self.scope  # defaults run where the def is
        for arg, kw_default in zip(args.kwonlyargs, args.kw_defaults, strict=True):
            scope.bind(arg.arg, Binding(kw_default, None, None, "param"))
            if kw_default is not None:
                self.value_scope[kw_default] = self.scope
        for extra in (args.vararg, args.kwarg):
            if extra is not None:
                scope.bind(extra.arg, Binding(None, None, None, "param"))

    def _class(self, node: ast.ClassDef) -> None:
        self.scope.bind(node.name, Binding(None, node, None, "def"))
        for child in [*node.decorator_list, *node.bases, *(k.value for k in node.keywords)]:
            self.visit(child, node)
        scope = Scope("class", node, self.scope, klass=ClassFacts(node))
        saved = self.scope
        self.scope = scope
        for statement in node.body:
            self.visit(statement, node)
        self.scope = saved

    def _import(self, node: ast.Import | ast.ImportFrom) -> None:
        self.imports.nodes.append(node)
        if isinstance(node, ast.Import):
            for alias in node.names:
                local = alias.asname or alias.name.split(".")[0]
                self.imports.modules[local] = alias.name if alias.asname else local
                self.scope.bind(local, Binding(None, node, None, "import"))
        else:
            module = "." * node.level + (node.module or "")
            for alias in node.names:
                local = alias.asname or alias.name
                self.imports.names[local] = (module, alias.name)
                self.scope.bind(local, Binding(None, node, None, "import"))

    # --- bindings ------------------------------------------------------------------------

    def _bind_target(
        self, target: ast.expr, value: ast.expr, stmt: ast.stmt, kind: str = "assign"
    ) -> None:
        self.value_scope[value] = self.scope
        if isinstance(target, ast.Name):
            self.scope.bind(target.id, Binding(value, stmt, target, kind))
        elif isinstance(target, ast.Attribute):
            self._bind_attribute(target, Binding(value, stmt, target, kind))
        elif isinstance(target, ast.Tuple | ast.List | ast.Starred):
            self._bind_unknown(target, stmt, "unpack")

    def _bind_unknown(self, target: ast.expr, stmt: ast.stmt, kind: str) -> None:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                self.scope.bind(node.id, Binding(None, stmt, node, kind))
            elif isinstance(node, ast.Attribute):
                self._bind_attribute(node, Binding(None, stmt, node, kind))

    def _bind_attribute(self, target: ast.Attribute, binding: Binding) -> None:
        scope = self.scope
        if (
            scope.klass is not None
            and scope.self_name is not None
            and isinstance(target.value, ast.Name)
            and target.value.id == scope.self_name
        ):
            scope.klass.attrs.setdefault(target.attr, []).append(binding)

    def _str_assign(self, target: ast.expr, value: ast.expr, stmt: ast.stmt) -> None:
        if isinstance(value, ast.Constant) and isinstance(value.value, str):
            name = target.id if isinstance(target, ast.Name) else None
            if isinstance(target, ast.Attribute):
                name = target.attr
            if name:
                self.str_assigns.append((name, value, stmt))

    def _subscript_entries(self, node: ast.Assign) -> None:
        for target in node.targets:
            if (
                isinstance(target, ast.Subscript)
                and isinstance(target.slice, ast.Constant)
                and isinstance(target.slice.value, str)
            ):
                receiver = target.value
                owner = None
                if isinstance(receiver, ast.Attribute) and receiver.attr == "headers":
                    owner = dotted(receiver.value)
                self.entries.append(
                    Entry(
                        target.slice.value,
                        target.slice,
                        node.value,
                        node,
                        node,
                        "subscript",
                        owner,
                    )
                )

    # --- expressions ---------------------------------------------------------------------

    def _expression(self, node: ast.AST) -> None:
        kind = type(node)
        if kind in _PLAIN:
            self.children(node)
            return
        if kind is ast.Name:
            assert isinstance(node, ast.Name)
            if isinstance(node.ctx, ast.Load):
                self.scope.function_scope().loads.setdefault(node.id, []).append(node)
                self.scope_of_name[node] = self.scope
                self.load_counts[node.id] = self.load_counts.get(node.id, 0) + 1
            return
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str) and not self.in_fstring:
                self.strings.append(StringFacts(node, self.stmt, node in self.prose))
            return
        if isinstance(node, ast.JoinedStr):
            self.strings.append(StringFacts(node, self.stmt, False))
            saved = self.in_fstring
            self.in_fstring = True
            self.children(node)
            self.in_fstring = saved
            return
        if isinstance(node, ast.Lambda):
            saved_scope = self.scope
            scope = Scope("function", node, saved_scope)
            self._bind_params(scope, node.args)
            self.scope = scope
            self.children(node)
            self.scope = saved_scope
            return
        if isinstance(node, ast.NamedExpr):
            if isinstance(node.target, ast.Name) and self.stmt is not None:
                self.scope.function_scope().bind(
                    node.target.id, Binding(node.value, self.stmt, node.target, "assign")
                )
                self.value_scope[node.value] = self.scope
            self.children(node)
            return
        if isinstance(node, ast.comprehension):
            self._bind_unknown(node.target, self.stmt or ast.Pass(), "for")
            self.children(node)
            return
        if isinstance(node, ast.Call):
            self._call(node)
        elif isinstance(node, ast.Subscript):
            self._subscript(node)
        elif isinstance(node, ast.Dict):
            self._dict(node)
        self.children(node)

    def _call(self, node: ast.Call) -> None:
        if self.stmt is not None:
            self.calls.append(CallFacts(node, self.scope, self.stmt, self.loop))
        func = node.func
        first = node.args[0] if node.args else None
        first_text = (
            first.value
            if isinstance(first, ast.Constant) and isinstance(first.value, str)
            else None
        )
        if isinstance(func, ast.Attribute) and func.attr == "get" and first_text is not None:
            self.key_reads.append((first_text, node))
        if first_text is not None and isinstance(first, ast.Constant) and self._is_env_call(func):
            default = node.args[1] if len(node.args) > 1 else None
            self.env_reads.append(EnvRead(node, first, first_text, default, self.stmt))
        for keyword in node.keywords:
            if keyword.arg is not None:
                self.entries.append(
                    Entry(keyword.arg, None, keyword.value, node, self.stmt, "keyword")
                )

    def _is_env_call(self, func: ast.expr) -> bool:
        imports = self.imports
        if isinstance(func, ast.Attribute):
            if func.attr == "getenv":
                return imports.module_alias(func.value, "os")
            if func.attr in ("get", "pop", "setdefault"):
                return self.imports.is_environ(func.value)
            return False
        return imports.is_name(func, "os", "getenv")

    def _subscript(self, node: ast.Subscript) -> None:
        key = node.slice
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return
        if isinstance(node.ctx, ast.Load):
            self.key_reads.append((key.value, node))
        if self.imports.is_environ(node.value):
            self.env_reads.append(EnvRead(node, key, key.value, None, self.stmt))

    def _dict(self, node: ast.Dict) -> None:
        for key, value in zip(node.keys, node.values, strict=True):
            if isinstance(key, ast.Constant) and isinstance(key.value, str):
                self.entries.append(Entry(key.value, key, value, node, self.stmt, "dict"))


def collect(tree: ast.Module) -> ModuleFacts:
    return _Collector(tree).run()
