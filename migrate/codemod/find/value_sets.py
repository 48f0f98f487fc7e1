"""The finite set of values a run-time part of a URL can take, read from the module itself.

Real clients send many resources through one generic function whose path its callers choose.
Three ways the module itself bounds that choice are followed:

- a parameter of a private function (`def _list(self, resource, key)`, `def _fetch(kind, id)`):
  the literal each call in the module passes (or the parameter's literal default);
- a lookup in a module-level dict that nothing mutates (`path, key = ENDPOINTS[what]`,
  `STREAMS[name]["path"]`, `for stream in STREAMS:`): every entry's value (or key);
- a class attribute read through `cls.X` / `self.X` (`path = "/employees"` on each subclass of
  a resource base class): the value each class in the module sets (an empty placeholder on the
  base class is not a resource).

A parameter the function itself checks before any other use is bounded too, whoever calls it
(a public function, a caller passing a name): a lookup that raises `KeyError` for any other
value (`key = STREAMS[stream]["key"]` as a statement of the function's body), or
`if resource not in RESOURCES: raise …` (a dict's keys, a literal tuple, list or set).

Anything else (a public function, whose callers may live elsewhere; a caller passing a name; a
dict that is updated; an attribute also set on instances) leaves the set open, and `unknown`
says which caller or value it is, so that the PLM101 TODO can name it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

from migrate.codemod.find.cli_choices import cli_choices
from migrate.codemod.find.dict_entries import entry_of, item_key
from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import Binding, ModuleFacts, Scope

_MUTATORS = ("update", "pop", "popitem", "setdefault", "clear", "__setitem__", "__delitem__")


@dataclass(frozen=True)
class Choice:
    value: str
    node: ast.expr  # the literal that gives it: a caller's argument, a dict entry, an attribute
    # which entry, class or call gives it (the dict key, the class name, the call's line), so
    # that a TODO can name the entries that differ
    source: str = ""


@dataclass(frozen=True)
class ValueSet:
    name: str  # the run-time part as written: `resource`, `cls.path`
    origin: str  # where its values come from: "the callers of `_list`", "`ENDPOINTS`"
    choices: tuple[Choice, ...]
    unknown: str | None = None  # why the set is open: which caller or value is not known
    # False when other modules may add values the module cannot see (subclasses elsewhere):
    # a rewrite then keeps an unlisted value as it is rather than fail on it.
    complete: bool = True

    @property
    def values(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(choice.value for choice in self.choices))


class ValueSets:
    """Answers "which values can this name take" for the URL holes of one module."""

    def __init__(self, facts: ModuleFacts, evaluator: Evaluator) -> None:
        self.facts = facts
        self.evaluator = evaluator
        self._uses: dict[str, list[ast.AST]] | None = None  # name → Name/Attribute nodes
        self._call_scopes: dict[int, Scope] | None = None  # id(call node) → its scope
        self._depth = 0  # how many callers' arguments deep `of` is

    def _named(self, name: str) -> list[ast.AST]:
        """Every `Name` and `Attribute` node spelling `name`, and (as "global NAME") every
        `global` statement naming it: one walk of the module, kept."""
        if self._uses is None:
            self._uses = {}
            for node in self.facts.nodes():
                if isinstance(node, ast.Name):
                    self._uses.setdefault(node.id, []).append(node)
                elif isinstance(node, ast.Attribute):
                    self._uses.setdefault(node.attr, []).append(node)
                elif isinstance(node, ast.Global):  # kept as "global NAME"
                    for each in node.names:
                        self._uses.setdefault("global " + each, []).append(node)
        return self._uses.get(name, [])

    def of(self, node: ast.expr, scope: Scope) -> ValueSet | None:
        """The values of `node` (None: not one of the shapes followed at all)."""
        if isinstance(node, ast.Name):
            return self._name(node, scope)
        if isinstance(node, ast.Subscript):
            return self._lookup(node, node, None, scope)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
            if node.value.id not in ("self", "cls"):
                return self._cli_choice(node, scope)
            return self._class_attribute(node, scope)
        return None

    def _cli_choice(self, node: ast.Attribute, scope: Scope) -> ValueSet | None:
        """`args.resource`, with `add_argument("resource", choices=[…])` (`cli_choices.py`)."""
        found = cli_choices(node, scope, self.facts, self.evaluator)
        if found is None:
            return None
        written, values = found
        choices = tuple(Choice(str(value.value), value, str(value.value)) for value in values)
        return ValueSet(ast.unparse(node), f"the choices of `{written}`", choices)

    def companion(self, node: ast.expr, scope: Scope, found: ValueSet, value: str) -> str | None:
        """The literal a run-time key (`spec["key"]`, `key`, `cls.list_key`: the envelope a
        data-driven call reads) takes together with the path value `value` of `found`: the
        same dict entry, class or call gives both. None when another source gives it, a
        source gives none, or the sources of `value` give different keys."""
        keys = self.of(node, scope)
        # the path from a dict's keys (`for s in STREAMS`, `STREAMS[s]` before the call), the
        # key from its entries (`STREAMS[s]["key"]`): one entry gives both
        keyed = found.origin == f"the keys of {keys.origin}" if keys is not None else False
        if keys is None or not keys.choices or (keys.origin != found.origin and not keyed):
            return None
        sources = [choice.source for choice in found.choices if choice.value == value]
        given = {choice.source: choice.value for choice in keys.choices}
        if not sources or any(source not in given for source in sources):
            return None
        texts = {given[source] for source in sources}
        return texts.pop() if len(texts) == 1 else None

    def branch_companion(
        self, node: ast.expr, scope: Scope, url: ast.expr, urls: list[ast.expr]
    ) -> str | None:
        """The literal a run-time key (`r.json()[key]`) holds when the URL is the branch
        assignment `url` of those in `urls` (`url = BASE + "/employees"; key = "employees"`):
        the key is assigned one literal in the block of each URL assignment and nowhere else.
        None otherwise."""
        if not isinstance(node, ast.Name):
            return None
        owner = self.evaluator.owner(node.id, scope)
        bindings = owner.bindings.get(node.id, []) if owner is not None else []
        blocks = [self._block(self.facts.parent(each)) for each in urls]
        mine = self._block(self.facts.parent(url))
        if not bindings or mine is None or None in blocks or len(bindings) != len(urls):
            return None
        found = None
        for binding in bindings:
            text = constant_str(binding.value) if binding.kind == "assign" else None
            block = self._block(binding.stmt)
            if text is None or block is None or not any(block == b for b in blocks):
                return None
            if block == mine:
                found = text if found is None else None
        return found

    def _block(self, stmt: ast.AST | None) -> tuple[int, str] | None:
        """The statement list a statement sits in: its parent and the field."""
        parent = self.facts.parent(stmt) if isinstance(stmt, ast.stmt) else None
        if parent is None:
            return None
        for name in ("body", "orelse", "finalbody"):
            if stmt in getattr(parent, name, []):
                return id(parent), name
        return None

    # --- a name: a parameter, a lookup result, a loop over a dict ----------------------------

    def _name(self, node: ast.Name, scope: Scope) -> ValueSet | None:
        owner = self.evaluator.owner(node.id, scope)
        bindings = None if owner is None else owner.bindings[node.id]
        if owner is None or not bindings or len(bindings) != 1:
            return None
        binding = bindings[0]
        function = owner.node
        if binding.kind == "param" and isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            return self._parameter(node.id, function, binding)
        stmt = binding.stmt
        if binding.kind == "for" and isinstance(stmt, ast.For) and stmt.target is binding.target:
            values = stmt.iter  # `for path in PATHS.values():` is an entry; `for k in D:` a key
            entry = entry_of(node, scope, self.facts, self.evaluator)
            if entry is not None:
                return self._entries(node, entry.table, None, [], None)
            return self._keys(node, values)
        if binding.kind == "for":  # `for name, spec in D.items():`, read as `name`
            keyed = item_key(binding)
            return None if keyed is None else self._keys(node, keyed)
        if binding.kind not in ("assign", "unpack") or not isinstance(stmt, ast.Assign):
            return None
        if len(stmt.targets) != 1:
            return None
        target, value = stmt.targets[0], stmt.value
        if not isinstance(value, ast.Subscript):
            return None
        if isinstance(target, ast.Name):
            return self._lookup(node, value, None, scope)
        if isinstance(target, ast.Tuple) and binding.target in target.elts:
            return self._lookup(node, value, target.elts.index(binding.target), scope)
        return None

    def _parameter(
        self, name: str, function: ast.FunctionDef | ast.AsyncFunctionDef, binding: Binding
    ) -> ValueSet:
        origin = f"the callers of `{function.name}`"
        known = self._passed(name, function, binding)
        if known.unknown is not None or not function.name.startswith("_"):
            guarded = self._guarded(name, function)
            if guarded is not None:
                return guarded  # a lookup before any other use proves the set
        if not function.name.startswith("_"):
            # Public: its calls here are known, callers elsewhere are not. The set stays open
            # (the call is held), but the values seen here name the operations it reaches.
            public = f"`{function.name}` is public"
            return ValueSet(name, origin, known.choices if known.unknown is None else (), public)
        return known

    def _guarded(
        self, name: str, function: ast.FunctionDef | ast.AsyncFunctionDef
    ) -> ValueSet | None:
        """A parameter the function looks up in a module dict nothing changes before any other
        use (`key = STREAMS[stream]["key"]` as a statement of the function's own body, run on
        every call): any other value raises `KeyError` before a request is sent, so the dict's
        keys bound it, whoever the callers are; likewise `if stream not in STREAMS: raise …`
        (`_refused`). A lookup under a condition, `.get(…)`, or after another use of the
        parameter proves nothing."""
        for stmt in function.body:
            uses = [node for node in self.facts.walk(stmt)
                    if isinstance(node, ast.Name) and node.id == name]
            if not uses:
                continue
            if isinstance(stmt, ast.If):
                return self._refused(name, stmt)
            for use in uses:
                lookup = self.facts.parent(use)
                if (
                    isinstance(lookup, ast.Subscript)
                    and lookup.slice is use
                    and isinstance(lookup.ctx, ast.Load)
                    and self._table(lookup.value) is not None
                    and _always_run(lookup, stmt, self.facts)
                ):
                    keys = self._keys(use, lookup.value)
                    if keys is None or keys.unknown is not None or not keys.choices:
                        return None
                    return ValueSet(name, keys.origin, keys.choices)
            return None
        return None

    def _refused(self, name: str, stmt: ast.If) -> ValueSet | None:
        """`if resource not in RESOURCES: raise …` (or `return`), with no `else`: a dict's
        keys, or the strings of a literal tuple, list or set."""
        test = stmt.test
        if (
            stmt.orelse
            or not isinstance(stmt.body[-1], ast.Raise | ast.Return)
            or not isinstance(test, ast.Compare)
            or not isinstance(test.left, ast.Name)
            or test.left.id != name
            or len(test.ops) != 1
            or not isinstance(test.ops[0], ast.NotIn)
        ):
            return None
        allowed = test.comparators[0]
        if isinstance(allowed, ast.Name):  # a module-level tuple bound once, never rebound
            bound = self.facts.module_scope.bindings.get(allowed.id)
            value = bound[0].value if bound and len(bound) == 1 else None
            if isinstance(value, ast.Tuple) and self._mutated(allowed.id) is None:
                allowed = value
        if isinstance(allowed, ast.Tuple | ast.List | ast.Set):
            texts = [constant_str(item) for item in allowed.elts]
            if not texts or any(text is None for text in texts):
                return None
            origin = f"the check at line {stmt.lineno}"
            choices = tuple(Choice(str(text), item, str(text))
                            for text, item in zip(texts, allowed.elts, strict=True))
            return ValueSet(name, origin, choices)
        keys = self._keys(test.left, allowed)
        if keys is None or keys.unknown is not None or not keys.choices:
            return None
        return keys

    def _passed(
        self, name: str, function: ast.FunctionDef | ast.AsyncFunctionDef, binding: Binding
    ) -> ValueSet:
        """The literal each call of the module passes for parameter `name` of `function`."""
        origin = f"the callers of `{function.name}`"
        found = ValueSet(name, origin, ())
        params = [arg.arg for arg in [*function.args.posonlyargs, *function.args.args]]
        owner = self.facts.parent(function)
        method = isinstance(owner, ast.ClassDef) and not any(
            isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list
        )
        if method:
            params = params[1:]
        index = params.index(name) if name in params else None
        calls, other = self._calls_of(function, owner if method else None)
        if other is not None:
            return _open(found, f"`{function.name}` is passed on at line {other}")
        if not calls:
            return _open(found, f"`{function.name}` is never called")
        choices: list[Choice] = []
        complete = True  # False once a caller passes a class attribute other modules may set
        for call in calls:
            passed = _argument(call, index, name)
            spread = any(isinstance(arg, ast.Starred) for arg in call.args) or any(
                item.arg is None for item in call.keywords
            )
            if passed is None and spread:
                return _open(found, f"line {call.lineno} passes *args")
            if passed is None:
                passed = binding.value
            text = constant_str(passed)
            if passed is not None and text is None:
                bounded = self._bounded(passed, call)
                if bounded is not None:
                    choices.extend(bounded.choices)
                    complete = complete and bounded.complete
                    continue
            if passed is None or text is None:
                shown = "nothing" if passed is None else f"`{ast.unparse(passed)}`"
                return _open(found, f"line {call.lineno} passes {shown}")
            choices.append(Choice(text, passed, f"line {call.lineno}"))
        return ValueSet(name, origin, tuple(choices), complete=complete)

    def _bounded(self, passed: ast.expr, call: ast.Call) -> ValueSet | None:
        """The values a caller's own argument takes when its module bounds them too
        (`_fetch(RESOURCES[name]["path"])`, `_get(path)` in a loop over a dict's values, a
        private caller's own parameter): None when it is not bounded. Followed a few calls
        deep, never round a cycle."""
        scope = self._scopes().get(id(call))
        if scope is None or self._depth >= 3:
            return None
        self._depth += 1
        try:
            inner = self.of(passed, scope)
        finally:
            self._depth -= 1
        if inner is None or inner.unknown is not None or not inner.choices:
            return None
        return inner

    def _scopes(self) -> dict[int, Scope]:
        if self._call_scopes is None:
            self._call_scopes = {id(item.node): item.scope for item in self.facts.calls}
        return self._call_scopes

    def _calls_of(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, klass: ast.AST | None
    ) -> tuple[list[ast.Call], int | None]:
        """The calls of a private function (`name(…)`, or `self.name(…)`/`cls.name(…)` for a
        method), and the line of a use that is not a call (None: there is none)."""
        calls: list[ast.Call] = []
        funcs: set[int] = set()
        for item in self.facts.calls:
            func = item.node.func
            plain = klass is None and isinstance(func, ast.Name) and func.id == function.name
            method = (
                klass is not None
                and isinstance(func, ast.Attribute)
                and func.attr == function.name
                and isinstance(func.value, ast.Name)
                and func.value.id in ("self", "cls")
            )
            if plain or method:
                calls.append(item.node)
                funcs.add(id(func))
        for node in self._named(function.name):
            if id(node) not in funcs:
                return calls, getattr(node, "lineno", 0)
        return calls, None

    # --- a module-level dict that nothing changes ---------------------------------------------

    def _lookup(
        self, node: ast.expr, subscript: ast.Subscript, element: int | None, scope: Scope
    ) -> ValueSet | None:
        """`D[k]`, `D[k]["field"]`, or element `element` of the tuple `D[k]` unpacks to; `D`
        also read through a local that holds one of its entries (`spec = D[k]` or a loop over
        `D.items()`/`D.values()`, then `spec["path"]`: `dict_entries.py`)."""
        steps: list[str] = []
        base: ast.expr = subscript
        while isinstance(base, ast.Subscript) and isinstance(base.value, ast.Subscript):
            step = constant_str(base.slice)
            if step is None:
                return None
            steps.insert(0, step)
            base = base.value
        if not isinstance(base, ast.Subscript) or not isinstance(base.value, ast.Name):
            return None
        holder: ast.Name = base.value
        key: ast.expr | None = base.slice
        if self._table(holder) is None:
            entry = entry_of(holder, scope, self.facts, self.evaluator)
            step = constant_str(base.slice)
            if entry is None or step is None:
                return None
            holder, key = entry.table, entry.key
            steps.insert(0, step)
        return self._entries(node, holder, key, steps, element)

    def _entries(
        self,
        node: ast.expr,
        holder: ast.Name,
        key_node: ast.expr | None,
        steps: list[str],
        element: int | None,
    ) -> ValueSet | None:
        """The values the entries of the dict `holder` give (the one at a literal key, else
        every entry), read by `steps` and `element`."""
        table = self._table(holder)
        if table is None:
            return None
        dict_name, display = table
        found = ValueSet(ast.unparse(node), f"`{dict_name}`", ())
        problem = self._mutated(dict_name)
        if problem is not None:
            return _open(found, problem)
        key = constant_str(key_node)
        choices: list[Choice] = []
        for each, value in zip(display.keys, display.values, strict=True):
            entry = constant_str(each)
            if entry is None:
                return _open(found, f"`{dict_name}` has a run-time key")
            if key is not None and entry != key:
                continue
            picked = _pick(value, steps, element)
            text = constant_str(picked)
            if picked is None or text is None:
                return _open(found, f"`{dict_name}[{entry!r}]` is no literal")
            choices.append(Choice(text, picked, entry))
        if not choices:
            return _open(found, f"`{dict_name}` has no such key")
        return ValueSet(found.name, found.origin, tuple(choices))

    def _keys(self, node: ast.Name, loop_iter: ast.expr) -> ValueSet | None:
        """`for stream in STREAMS:` (or `STREAMS.keys()`): the dict's keys."""
        if (
            isinstance(loop_iter, ast.Call)
            and isinstance(loop_iter.func, ast.Attribute)
            and loop_iter.func.attr == "keys"
            and not loop_iter.args
        ):
            loop_iter = loop_iter.func.value
        table = self._table(loop_iter)
        if table is None:
            return None
        dict_name, display = table
        found = ValueSet(node.id, f"the keys of `{dict_name}`", ())
        problem = self._mutated(dict_name)
        if problem is not None:
            return _open(found, problem)
        choices = []
        for key_node in display.keys:
            text = constant_str(key_node)
            if key_node is None or text is None:
                return _open(found, f"`{dict_name}` has a run-time key")
            choices.append(Choice(text, key_node, text))
        return ValueSet(node.id, found.origin, tuple(choices))

    def _table(self, node: ast.expr) -> tuple[str, ast.Dict] | None:
        """A module-level name bound once, to a dict display."""
        if not isinstance(node, ast.Name):
            return None
        bindings = self.facts.module_scope.bindings.get(node.id)
        if not bindings or len(bindings) != 1 or not isinstance(bindings[0].value, ast.Dict):
            return None
        return node.id, bindings[0].value

    def _mutated(self, name: str) -> str | None:
        """Why the dict `name` may hold other entries at run time (None: nothing changes it)."""
        for node in self._named(name):
            parent = self.facts.parent(node)
            if (
                isinstance(parent, ast.Subscript)
                and parent.value is node
                and isinstance(parent.ctx, ast.Store | ast.Del)
            ) or (
                isinstance(parent, ast.Attribute)
                and parent.value is node
                and parent.attr in _MUTATORS
            ):
                return f"`{name}` is changed at line {parent.lineno}"
        for line in self._named("global " + name):
            return f"`{name}` is rebound at line {getattr(line, 'lineno', 0)}"
        return None

    # --- a class attribute of every subclass --------------------------------------------------

    def _class_attribute(self, node: ast.Attribute, scope: Scope) -> ValueSet | None:
        receiver = node.value
        assert isinstance(receiver, ast.Name)
        function = scope.function_scope().node
        klass = self.facts.parent(function) if function is not None else None
        if receiver.id not in ("self", "cls") or not isinstance(klass, ast.ClassDef):
            return None
        attr = node.attr
        family = self._family(klass)
        found = ValueSet(f"{receiver.id}.{attr}", f"the subclasses of `{klass.name}`", ())
        choices: list[Choice] = []
        for member in family:
            value = _class_value(member, attr)
            if value is None:
                continue
            text = constant_str(value)
            if text is None:
                if isinstance(value, ast.Constant) and value.value is None:
                    continue  # a placeholder: the class is no resource of its own
                return _open(found, f"`{member.name}.{attr}` is no literal")
            if text:
                choices.append(Choice(text, value, member.name))
        for other in self._named(attr):
            if isinstance(other, ast.Attribute) and isinstance(other.ctx, ast.Store | ast.Del):
                return _open(found, f"`{attr}` is also set at line {other.lineno}")
        if not choices:
            return None
        return ValueSet(found.name, found.origin, tuple(choices), complete=False)

    def _family(self, klass: ast.ClassDef) -> list[ast.ClassDef]:
        """The class and every class of the module that derives from it, at any depth."""
        classes = [node for node in self.facts.nodes() if isinstance(node, ast.ClassDef)]
        family = [klass]
        grew = True
        while grew:
            grew = False
            names = {member.name for member in family}
            for candidate in classes:
                if candidate in family:
                    continue
                if any(isinstance(base, ast.Name) and base.id in names for base in candidate.bases):
                    family.append(candidate)
                    grew = True
        return family


# What may sit between a lookup and its statement for the lookup to run whenever the statement
# does: no branch (`and`/`or`, `x if c else y`), no comprehension or lambda, no `try`.
_ALWAYS = (ast.Subscript, ast.Attribute, ast.Call, ast.keyword, ast.Tuple, ast.List, ast.Starred,
           ast.Assign, ast.AnnAssign, ast.Expr, ast.For, ast.AsyncFor, ast.With, ast.AsyncWith,
           ast.withitem, ast.JoinedStr, ast.FormattedValue, ast.BinOp, ast.Compare)


def _always_run(node: ast.AST, stmt: ast.stmt, facts: ModuleFacts) -> bool:
    """Whether `node` is evaluated every time `stmt` runs (in the header of a `for`/`with`)."""
    current = node
    for up in facts.ancestors(node):
        if not isinstance(up, _ALWAYS):
            return False
        if isinstance(up, ast.For | ast.AsyncFor) and current is not up.iter:
            return False
        if isinstance(up, ast.With | ast.AsyncWith) and current not in up.items:
            return False
        if up is stmt:
            return True
        current = up
    return False


def _open(found: ValueSet, why: str) -> ValueSet:
    return ValueSet(found.name, found.origin, (), why)


def _argument(call: ast.Call, index: int | None, name: str) -> ast.expr | None:
    """What a call passes for a parameter, by keyword or at its position."""
    for item in call.keywords:
        if item.arg == name:
            return item.value
    if index is None or len(call.args) <= index:
        return None
    if any(isinstance(arg, ast.Starred) for arg in call.args[: index + 1]):
        return None
    return call.args[index]


def constant_str(node: ast.expr | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _pick(value: ast.expr, steps: list[str], element: int | None) -> ast.expr | None:
    """The part of a dict entry's value a lookup reads: `["path"]` steps, a tuple element."""
    for step in steps:
        if not isinstance(value, ast.Dict):
            return None
        keys = [constant_str(key) if key is not None else None for key in value.keys]
        if step not in keys:
            return None
        value = value.values[keys.index(step)]
    if element is not None:
        if not isinstance(value, ast.Tuple | ast.List) or element >= len(value.elts):
            return None
        value = value.elts[element]
    return value


def _class_value(klass: ast.ClassDef, attr: str) -> ast.expr | None:
    """The value a class body gives `attr` (`path = "/x"` or `path: str = "/x"`)."""
    for stmt in klass.body:
        if (
            isinstance(stmt, ast.Assign)
            and any(isinstance(t, ast.Name) and t.id == attr for t in stmt.targets)
        ):
            return stmt.value
        if (
            isinstance(stmt, ast.AnnAssign)
            and isinstance(stmt.target, ast.Name)
            and stmt.target.id == attr
            and stmt.value is not None
        ):
            return stmt.value
    return None
