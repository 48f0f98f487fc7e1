"""Static evaluation of the expression that builds a URL, into known text and holes.

`f"{BASE_URL}/expenses/{expense_id}"` with `BASE_URL = "https://openapi.pleo.io/v1"` becomes
`[Base("https://openapi.pleo.io/v1"), Text("/expenses/"), Hole(expense_id)]`. Names are
followed through single assignments, parameters' defaults, `self.x` set in the class, class
attributes, `os.environ.get(NAME, default)`, and `a or b`. A text part is `own` when it is
written in the expression being analysed, which is what a rewrite may edit.
"""

from __future__ import annotations

import ast
import re
import string
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from migrate.codemod.find.facts import Binding, ModuleFacts, Scope
from migrate.codemod.find.hosts import (
    BASE_URL_ENV_NAME,
    LEGACY_BASE_ONLY,
    NEW_API_ENV_NAME,
    NEW_BASE_FUNCTION,
    new_base_for,
)
from migrate.codemod.find.members import member_values
from migrate.codemod.find.url_builders import (
    PERCENT_SPEC,
    is_posixpath_join,
    join_call,
    percent_format,
    posix_join,
    sequence_items,
    static_urljoin,
    strip_call,
    stripped,
    urljoin_outcome,
)

if TYPE_CHECKING:
    from migrate.codemod.text.cst import NameReads

MAX_DEPTH = 8
_OTHER_PERCENT = re.compile(r"%(?![s%])|%%s")  # a %-template other than plain %s
MAX_SAMPLES = 16
_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)


@dataclass(frozen=True)
class Text:
    value: str
    own: bool
    # A path segment written as a whole string literal argument of a builder (`"expenses"` in
    # `"{}/{}/{}".format(ROOT, "expenses", id)` or `"/".join([BASE, "expenses", id])`): the
    # rewrite edits that literal and keeps the builder's own text (`request_edits.py`).
    node: ast.expr | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Base:
    """A reference to a legacy base URL: a constant, an attribute, an env lookup."""

    value: str | None  # "https://openapi.pleo.io/v1" when known
    origin: str  # "constant BASE_URL", "self.base_url", "env PLEO_LEGACY_URL", …
    node: ast.expr
    field: int | None = None  # index of the f-string replacement field it sits in


@dataclass(frozen=True)
class Hole:
    """A value known only at run time (or known, but written as a name: kept as written)."""

    node: ast.expr
    field: int | None = None  # index of the f-string replacement field it sits in
    value: str | None = None  # the static value behind a name, when there is one


Part = Text | Base | Hole


@dataclass(frozen=True)
class Template:
    parts: tuple[Part, ...]
    form: str  # literal, f-string, concatenation, str.format, %-format, urljoin, other
    root: ast.expr  # the expression that builds the URL, where edits go
    via: str | None = None  # "variable url": the call's argument is a local used once
    # Where the URL is rebuilt when that is not `root`: the `str.format` template held in a
    # name read only by this call (`EXPENSE_URL = API_ROOT + "expenses/{}"`).
    edit_at: ast.expr | None = None

    @property
    def editable(self) -> bool:
        return self.form in (
            "literal", "f-string", "concatenation", "str.format", "%-format", "urljoin",
            "url helper", "str.join", "posixpath.join",
        )

    @property
    def segments(self) -> bool:
        """Whether the path is edited in the builder's literal arguments (`Text.node`)."""
        return any(isinstance(part, Text) and part.node is not None for part in self.parts)


class Evaluator:
    def __init__(self, facts: ModuleFacts, text: str | None = None) -> None:
        self.facts = facts
        self._env = {read.node: read for read in facts.env_reads}
        self.visited: set[ast.AST] = set()  # every node looked at while building templates
        # The module's text, when a name with several bindings may be followed through
        # libcst's scope analysis (`text/cst.py`); None: it never is.
        self.text = text
        self._reads: NameReads | None = None
        self._readable: dict[ast.Name, list[Binding] | None] = {}
        self._held_templates: dict[ast.Call, ast.expr] = {}  # `X.format(…)` → X's value
        self._in_url = 0  # inside `template`/`branches`: names may be followed with libcst
        # The module's URL helpers (`find/url_helpers.py`): `self._url(path)` → its parts
        self.url_helper: Callable[[ast.Call, Scope, bool], list[Part] | None] | None = None
        self._member_scopes: dict[ast.AST, Scope] = {}  # a settings class's value → its scope
        # builders read to their URL but not rebuilt (`"/".join(…)`, a urljoin that drops the
        # base's last segment): the node → the form a TODO names (`find/url_builders.py`)
        self.unbuilt: dict[ast.AST, str] = {}
        self._templates: dict[tuple[ast.expr, Scope], Template] = {}

    # --- names ---------------------------------------------------------------------------

    def single_use(self, name: str, scope: Scope) -> Binding | None:
        """The one plain assignment of a name that is read exactly once, if that is the case."""
        owner: Scope | None = scope.function_scope()
        while owner is not None and (owner.kind == "class" or name not in owner.bindings):
            owner = owner.parent
        if owner is None:
            return None
        bindings = owner.bindings[name]
        if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
            return None
        if owner.kind == "function":
            reads = len(owner.loads.get(name, []))
        else:
            reads = self.facts.load_counts.get(name, 0)
        return bindings[0] if reads == 1 else None

    def bindings(self, name: str, scope: Scope) -> list[Binding] | None:
        owner = self.owner(name, scope)
        return None if owner is None else owner.bindings[name]

    def owner(self, name: str, scope: Scope) -> Scope | None:
        """The scope whose binding of `name` a read in `scope` sees."""
        current: Scope | None = scope.function_scope()
        while current is not None:
            if current.kind != "class" and name in current.bindings:
                return current
            current = current.parent
        return None

    def readable(self, node: ast.Name, scope: Scope) -> list[Binding] | None:
        """The bindings this read of a name can see, when the name has several.

        libcst says which assignments the read may see; of those, one made unconditionally
        in its scope's body hides every earlier one (`URL = a` … `URL = b`), and the ones
        under an `if`/`try` after it are alternatives (`if staging: URL = c`). None when the
        name has one binding, or when the module's text is not given.
        """
        if node in self._readable:
            return self._readable[node]
        if not self._in_url:
            return None  # only a URL is worth a concrete syntax tree
        found = None
        owner = self.owner(node.id, scope)
        if (
            self.text is not None
            and owner is not None
            and len(owner.bindings[node.id]) > 1
            and not self._in_loop(node, owner)  # libcst orders reads by position, not by loop
            # `URL += "/v1"` changes what every later read sees: no single assignment answers
            and not any(b.kind == "augassign" for b in owner.bindings[node.id])
        ):
            found = self._seen_by(node, owner, scope.function_scope() is owner)
        self._readable[node] = found
        return found

    def _seen_by(self, node: ast.Name, owner: Scope, same: bool) -> list[Binding] | None:
        if self._reads is None:
            from migrate.codemod.text.cst import NameReads  # libcst: only when needed

            assert self.text is not None
            self._reads = NameReads(self.text)
        assigned = self._reads.readable(node.id, node.lineno)
        if not assigned:
            return None
        lines = {item.line for item in assigned}
        candidates = [b for b in owner.bindings[node.id] if _line_of(b) in lines]
        if {_line_of(b) for b in candidates} != lines:
            return None  # a parameter, or a binding `ast` does not place the same way
        if same:  # read where the bindings are made: only the earlier ones are visible
            candidates = [b for b in candidates if (_line_of(b) or 0) <= node.lineno]
        last_plain = max(
            (i for i, b in enumerate(candidates) if self._unconditional(b, owner)), default=0
        )
        return candidates[last_plain:] or None

    def _in_loop(self, node: ast.Name, owner: Scope) -> bool:
        """Whether a read repeats in a loop of its scope that also binds the name (a binding
        after the read then reaches it on the next turn)."""
        loops = []
        for ancestor in self.facts.ancestors(node):
            if ancestor is owner.node or isinstance(ancestor, _FUNCTIONS):
                break  # a loop around the function does not repeat its bindings
            if isinstance(ancestor, ast.For | ast.AsyncFor | ast.While):
                loops.append(ancestor)
        if not loops:
            return False
        for binding in owner.bindings.get(node.id, []):
            if binding.stmt is None:
                continue
            if any(loop is binding.stmt for loop in loops) or any(
                ancestor in loops for ancestor in self.facts.ancestors(binding.stmt)
            ):
                return True
        return False

    def _unconditional(self, binding: Binding, owner: Scope) -> bool:
        return binding.stmt is not None and self.facts.parent(binding.stmt) is owner.node

    def attribute_bindings(self, node: ast.Attribute, scope: Scope) -> list[Binding] | None:
        function = scope.function_scope()
        klass = function.klass
        if klass is None or not isinstance(node.value, ast.Name):
            return None
        if node.value.id not in (function.self_name, "cls", klass.node.name):
            return None
        found = list(klass.attrs.get(node.attr, []))
        class_scope = self._class_scope(klass.node, function)
        if class_scope is not None:
            found.extend(class_scope.bindings.get(node.attr, []))
        return found or None

    def _class_scope(self, node: ast.ClassDef, function: Scope) -> Scope | None:
        current = function.parent
        while current is not None:
            if current.kind == "class" and current.node is node:
                return current
            current = current.parent
        return None

    def _values(self, bindings: list[Binding] | None) -> list[ast.expr] | None:
        """The values a name can have, or None when any binding is not evaluable."""
        if not bindings:
            return None
        values = []
        for binding in bindings:
            if binding.value is None:
                if binding.kind == "param":
                    continue  # a parameter without default: callers decide
                return None
            values.append(binding.value)
        return values or None

    def scope_of(self, value: ast.AST, default: Scope) -> Scope:
        """The scope a bound value is evaluated in (not the scope that reads the name)."""
        return self.facts.value_scope.get(value) or self._member_scopes.get(value, default)

    def name_values(self, node: ast.expr, scope: Scope) -> list[ast.expr] | None:
        if isinstance(node, ast.Name):
            seen = self.readable(node, scope)
            return self._values(seen if seen is not None else self.bindings(node.id, scope))
        if isinstance(node, ast.Attribute):
            own = self.attribute_bindings(node, scope)
            if own is None and isinstance(node.value, ast.Name):
                return self._member_values(node.value, node.attr, scope)
            return self._values(own)
        return None

    def _member_values(self, owner: ast.Name, attr: str, scope: Scope) -> list[ast.expr] | None:
        """`config.root` on an instance of a settings class of this module (`members.py`)."""
        seen = self.readable(owner, scope)
        found = member_values(
            self.facts, seen if seen is not None else self.bindings(owner.id, scope), attr
        )
        if found is None:
            return None
        for value, where in found:
            self._member_scopes[value] = where
        return [value for value, _where in found]

    # --- bases ---------------------------------------------------------------------------

    def base_of(self, node: ast.expr, scope: Scope, depth: int = 0) -> Base | None:
        """The legacy base URL `node` evaluates to, if it does."""
        self.visited.add(node)
        if depth > MAX_DEPTH:
            return None
        static = self.static_str(node, scope, depth + 1)
        if static is not None:
            return Base(static, _origin(node), node) if LEGACY_BASE_ONLY.match(static) else None
        strip = strip_call(node)
        if strip is not None:  # `os.environ.get(NAME, "https://…/v1/").rstrip("/")`
            inner = self.base_of(strip[0], scope, depth + 1)
            if inner is None:
                return None
            value = None if inner.value is None else stripped(inner.value, strip[1], strip[2])
            if value is not None and not LEGACY_BASE_ONLY.match(value):
                return None
            return Base(value, inner.origin, node)
        env = self.env_lookup(node)
        if env is not None:
            name, default = env
            if default is not None:
                value = self.static_str(default, scope, depth + 1)
                if value is not None:  # the default says which API the variable is for
                    found = LEGACY_BASE_ONLY.match(value)
                    return Base(value, f"env {name}", node) if found else None
                inner = self.base_of(default, scope, depth + 1)
                if inner is not None:
                    return Base(inner.value, f"env {name}", node)
            if BASE_URL_ENV_NAME.match(name) and not NEW_API_ENV_NAME.search(name):
                return Base(None, f"env {name}", node)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            # `os.getenv(NAME, "https://openapi.pleo.io") + "/v1"`: a run-time base and its version
            head = self.base_of(node.left, scope, depth + 1)
            tail = self.static_str(node.right, scope, depth + 1)
            joined = (head.value or "") + (tail or "") if head is not None else ""
            if head is not None and head.value and tail and LEGACY_BASE_ONLY.match(joined):
                return Base(joined, _origin(node), node)
            return None
        table = self._chosen_table(node, scope)
        if table is not None:  # `{"production": "https://openapi.pleo.io/v1", …}[env]`
            where = self.scope_of(table, scope)
            entries = [self.base_of(value, where, depth + 1) for value in table.values]
            chosen = entries[0] if entries else None
            if chosen is None or not all(entries):
                return None
            return Base(chosen.value, _origin(node), node)
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            for operand in node.values:
                candidate = self.base_of(operand, scope, depth + 1)
                if candidate is not None:
                    return Base(candidate.value, candidate.origin, node)
            return None
        if isinstance(node, ast.IfExp):
            left = self.base_of(node.body, scope, depth + 1)
            right = self.base_of(node.orelse, scope, depth + 1)
            if left is not None and right is not None:
                return Base(left.value, f"{left.origin} or {right.origin}", node)
            return None
        if isinstance(node, ast.JoinedStr):
            # `f"https://{host}/v1"` with `host` one of the legacy hosts (chosen at run time):
            # a base when every text it can be is one
            built = self.samples(node, scope, depth + 1)
            if built and all(LEGACY_BASE_ONLY.match(text) for text in built):
                return Base(built[0], _origin(node), node)
            return None
        values = self.name_values(node, scope)
        if values:
            found_bases = [
                self.base_of(value, self.scope_of(value, scope), depth + 1) for value in values
            ]
            if all(found_bases):
                first = found_bases[0]
                assert first is not None
                return Base(first.value, _origin(node), node)
        return None

    def _chosen_table(self, node: ast.expr, scope: Scope) -> ast.Dict | None:
        """The dict literal `node` picks an entry of by a key known only at run time (`{…}[env]`,
        `BASES[env]` with `BASES` a dict literal assigned once)."""
        if not isinstance(node, ast.Subscript) or isinstance(node.slice, ast.Constant | ast.Slice):
            return None
        table = node.value
        if isinstance(table, ast.Name):
            held = self.name_values(table, scope)
            table = held[0] if held and len(held) == 1 else table
        if not isinstance(table, ast.Dict) or not table.values or None in table.keys:
            return None
        return table

    def env_lookup(self, node: ast.expr) -> tuple[str, ast.expr | None] | None:
        read = self._env.get(node)
        return None if read is None else (read.name, read.default)

    # --- static strings ------------------------------------------------------------------

    def static_str(self, node: ast.expr, scope: Scope, depth: int = 0) -> str | None:
        self.visited.add(node)
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, ast.Constant):
            return node.value if isinstance(node.value, str) else None
        if isinstance(node, ast.JoinedStr):
            out = []
            for value in node.values:
                if isinstance(value, ast.Constant) and isinstance(value.value, str):
                    out.append(value.value)
                elif (
                    isinstance(value, ast.FormattedValue)
                    and value.conversion == -1
                    and value.format_spec is None
                ):
                    inner = self.static_str(value.value, scope, depth + 1)
                    if inner is None:
                        return None
                    out.append(inner)
                else:
                    return None
            return "".join(out)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.static_str(node.left, scope, depth + 1)
            right = self.static_str(node.right, scope, depth + 1)
            return None if left is None or right is None else left + right
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self._static_percent(node, scope, depth)
        if isinstance(node, ast.Call):
            return self._static_call(node, scope, depth)
        values = self.name_values(node, scope)
        if values and len(values) == 1:
            return self.static_str(values[0], self.scope_of(values[0], scope), depth + 1)
        return None

    def _static_list(self, nodes: list[ast.expr], scope: Scope, depth: int) -> list[str] | None:
        out = []
        for item in nodes:
            text = self.static_str(item, scope, depth + 1)
            if text is None:
                return None
            out.append(text)
        return out

    def _static_call(self, node: ast.Call, scope: Scope, depth: int) -> str | None:
        """A URL builder on static text: `x.rstrip("/")`, `"/".join([...])`, `urljoin(a, b)`,
        `posixpath.join(…)`, `"{}/{}".format(…)`, each with its real semantics."""
        strip = strip_call(node)
        if strip is not None:
            inner = self.static_str(strip[0], scope, depth + 1)
            return None if inner is None else stripped(inner, strip[1], strip[2])
        joined = join_call(node)
        if joined is not None:
            items = sequence_items(joined[1])
            texts = None if items is None else self._static_list(items, scope, depth)
            return None if texts is None else joined[0].join(texts)
        if is_posixpath_join(node):
            texts = self._static_list(node.args, scope, depth)
            return None if texts is None else posix_join(texts)
        if _is_urljoin(node) and len(node.args) == 2 and not node.keywords:
            texts = self._static_list(node.args, scope, depth)
            return None if texts is None else static_urljoin(texts[0], texts[1])
        func = node.func
        if isinstance(func, ast.Attribute) and func.attr == "format":
            if any(isinstance(arg, ast.Starred) for arg in node.args) or not all(
                k.arg for k in node.keywords
            ):
                return None
            template = self.static_str(func.value, scope, depth + 1)
            args = self._static_list(node.args, scope, depth)
            named = self._static_list([k.value for k in node.keywords], scope, depth)
            if template is None or args is None or named is None:
                return None
            keywords = {k.arg: v for k, v in zip(node.keywords, named, strict=True) if k.arg}
            try:
                return template.format(*args, **keywords)
            except (IndexError, KeyError, ValueError, AttributeError):
                return None
        return None

    def _static_percent(self, node: ast.BinOp, scope: Scope, depth: int) -> str | None:
        """`"https://%s/%s" % (HOST, VERSION)` on static text."""
        template = self.static_str(node.left, scope, depth + 1)
        if template is None:
            return None
        right = node.right
        if isinstance(right, ast.Dict):
            if any(key is None for key in right.keys):
                return None
            keys = self._static_list([k for k in right.keys if k is not None], scope, depth)
            values = self._static_list(right.values, scope, depth)
            if keys is None or values is None:
                return None
            return percent_format(template, dict(zip(keys, values, strict=True)))
        items = right.elts if isinstance(right, ast.Tuple) else [right]
        texts = self._static_list(items, scope, depth)
        return None if texts is None else percent_format(template, texts)

    def samples(self, node: ast.expr, scope: Scope, depth: int = 0) -> list[str]:
        """Every text the expression can evaluate to, a value known only at run time written
        `x` (`[f"{ROOT}v0/tax-codes/x"]` for each `ROOT` a name can hold); at most
        MAX_SAMPLES of them, else `["x"]`. Enough to tell where a URL goes."""
        self._in_url += 1
        try:
            found = self._samples(node, scope, depth)
        finally:
            self._in_url -= 1
        return found if len(found) <= MAX_SAMPLES else ["x"]

    def _samples(self, node: ast.expr, scope: Scope, depth: int) -> list[str]:
        if depth > MAX_DEPTH:
            return ["x"]
        if isinstance(node, ast.Constant):
            return [node.value] if isinstance(node.value, str) else ["x"]
        if isinstance(node, ast.JoinedStr):
            pieces = [
                [value.value] if isinstance(value, ast.Constant) and isinstance(value.value, str)
                else self.samples(value.value, scope, depth + 1)
                if isinstance(value, ast.FormattedValue) and value.format_spec is None
                else ["x"]
                for value in node.values
            ]
            return _joined(pieces)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            left = self.samples(node.left, scope, depth + 1)
            return _joined([left, self.samples(node.right, scope, depth + 1)])
        env = self.env_lookup(node)  # `os.environ[…]`, and the calls `os.getenv(…)`, `.get(…)`
        if env is not None:
            return self.samples(env[1], scope, depth + 1) if env[1] is not None else ["x"]
        if isinstance(node, ast.Call):
            return self._call_samples(node, scope, depth)
        if isinstance(node, ast.BoolOp):
            return [t for value in node.values for t in self.samples(value, scope, depth + 1)]
        if isinstance(node, ast.IfExp):
            return [*self.samples(node.body, scope, depth + 1),
                    *self.samples(node.orelse, scope, depth + 1)]
        values = self.name_values(node, scope)
        if not values:
            return ["x"]
        return [
            text
            for value in values
            for text in self.samples(value, self.scope_of(value, scope), depth + 1)
        ]

    def _call_samples(self, node: ast.Call, scope: Scope, depth: int) -> list[str]:
        func = node.func
        args = [self.samples(arg, scope, depth + 1) for arg in node.args]
        names = [keyword.arg for keyword in node.keywords]
        if isinstance(func, ast.Attribute) and func.attr == "format" and all(names):
            keywords = [self.samples(keyword.value, scope, depth + 1) for keyword in node.keywords]
            out = []
            for template in self.samples(func.value, scope, depth + 1):
                for values in _product([*args, *keywords]):
                    positional = values[: len(args)]
                    named = {
                        name: value
                        for name, value in zip(names, values[len(args) :], strict=True)
                        if name
                    }
                    try:
                        out.append(template.format(*positional, **named))
                    except (IndexError, KeyError, ValueError):
                        out.append("x")
            return out
        if _is_urljoin(node) and len(args) == 2 and not node.keywords:
            return [urljoin(base, path) for base, path in _product(args)]
        if isinstance(func, ast.Name) and func.id == NEW_BASE_FUNCTION and len(args) == 1:
            # a rewrite's translation: its unknown operand is the new API's own variable
            known = [new_base_for(text) or text for text in args[0] if text != "x"]
            return known or ["x"]
        return ["x"]

    # --- templates -----------------------------------------------------------------------

    def template(self, node: ast.expr, scope: Scope) -> Template:
        """How the URL expression `node` is built, followed into the value of a name when
        that value is read here only (a local used once, a parameter's default, a module
        constant assigned for this one read), so that it is edited where it is written. Made
        once per expression and scope: the request helpers, the sites and the rules ask
        again for the same URLs."""
        key = (node, scope)
        found = self._templates.get(key)
        if found is not None:
            return found
        self._in_url += 1
        try:
            found = self._templates[key] = self._template(node, scope)
        finally:
            self._in_url -= 1
        return found

    def _template(self, node: ast.expr, scope: Scope) -> Template:
        root = node
        names: list[str] = []
        while isinstance(root, ast.Name) and len(names) < MAX_DEPTH:
            binding = self.single_use(root.id, scope) or self._sole_reader(root, scope)
            if binding is None or binding.value is None or self.base_of(root, scope):
                break
            names.append(root.id)
            root = binding.value
            scope = self.scope_of(root, scope)
        via = None
        if names:
            via = f"variable {names[0]}" + "".join(f" ← {name}" for name in names[1:])
        parts = self.parts(root, self.scope_of(root, scope), own=True)
        held = self._held_templates.get(root) if isinstance(root, ast.Call) else None
        form = _form(root)
        if isinstance(root, ast.Call) and self.url_helper and self.url_helper(root, scope, True):
            form = "url helper"
        form = self.unbuilt.get(root, form)  # a builder read but not rebuilt: held, named
        return Template(tuple(parts), form, root, via, held)

    def _sole_reader(self, node: ast.Name, scope: Scope) -> Binding | None:
        """The one binding this read sees, when no other read sees it: a parameter's
        default (the parameter read once), or one of several assignments of a name."""
        owner = self.owner(node.id, scope)
        if owner is None:
            return None
        bindings = owner.bindings[node.id]
        if len(bindings) == 1 and bindings[0].kind == "param":
            param = bindings[0]
            once = owner.kind == "function" and len(owner.loads.get(node.id, [])) == 1
            return param if once and param.value is not None else None
        seen = self.readable(node, scope)
        if seen is None or len(seen) != 1 or seen[0].kind != "assign":
            return None
        readers = 0
        for other, where in self.facts.scope_of_name.items():
            if other.id != node.id or self.owner(other.id, where) is not owner:
                continue
            sees = self.readable(other, where)
            if sees is None or seen[0] in sees:
                readers += 1
        return seen[0] if readers == 1 else None

    def branches(self, node: ast.expr, scope: Scope) -> list[Template] | None:
        """The URLs a local variable can hold when it is assigned in branches and read once
        (`if kind == "a": url = …` / `else: url = …`): one template per assignment, each
        editable where it is written. None for any other name."""
        self._in_url += 1
        try:
            return self._branches(node, scope)
        finally:
            self._in_url -= 1

    def _branches(self, node: ast.expr, scope: Scope) -> list[Template] | None:
        if not isinstance(node, ast.Name):
            return None
        owner = self.owner(node.id, scope)
        if owner is None or owner is not scope.function_scope() or owner.kind != "function":
            return None
        if len(owner.loads.get(node.id, [])) != 1:
            return None
        seen = self.readable(node, scope)
        if not seen or len(seen) < 2 or len(seen) != len(owner.bindings[node.id]):
            return None
        if any(binding.kind != "assign" or binding.value is None for binding in seen):
            return None
        templates = []
        for binding in seen:
            assert binding.value is not None
            value = binding.value
            parts = self.parts(value, self.scope_of(value, scope), own=True)
            templates.append(Template(tuple(parts), _form(value), value, f"variable {node.id}"))
        return templates

    def parts(self, node: ast.expr, scope: Scope, own: bool, depth: int = 0) -> list[Part]:
        self.visited.add(node)
        if depth > MAX_DEPTH:
            return [Hole(node)]
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [Text(node.value, own)]
        if isinstance(node, ast.JoinedStr):
            return self._fstring_parts(node, scope, own, depth)
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
            return [
                *self.parts(node.left, scope, own, depth + 1),
                *self.parts(node.right, scope, own, depth + 1),
            ]
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
            return self._percent_parts(node, scope, depth, own)
        if isinstance(node, ast.Call) and self.url_helper is not None:
            helped = self.url_helper(node, scope, own)
            if helped is not None:  # `self._url("/expenses")`: the helper's base + the path
                return helped
        if isinstance(node, ast.Call):
            formatted = self._format_parts(node, scope, own, depth)
            if formatted is not None:
                return formatted
            if _is_urljoin(node) and len(node.args) == 2 and not node.keywords:
                return self._urljoin_parts(node, scope, own, depth)
            built = self._builder_parts(node, scope, own, depth)
            if built is not None:
                return built
        base = self.base_of(node, scope, depth + 1)
        if base is not None:
            return [base]
        values = self.name_values(node, scope)
        if values and len(values) == 1 and isinstance(node, ast.Name | ast.Attribute) and (
            node not in ast.walk(values[0])  # `url = self.base_url + url`: the read is its own
        ):
            owner = self.scope_of(values[0], scope)
            inner = self.parts(values[0], owner, False, depth + 1)
            if any(isinstance(part, Base) for part in inner):
                return inner
            static = self.static_str(values[0], owner, depth + 1)
            if static is not None:
                return [Hole(node, None, static)]
        return [Hole(node)]

    def _urljoin_parts(self, node: ast.Call, scope: Scope, own: bool, depth: int) -> list[Part]:
        """`urljoin(base, path)` with urljoin's own rules: the base followed by the path when
        the base ends with `/` (or has no path); otherwise what is left of the base, held (the
        base's last segment, or its whole path, is dropped: `url_builders.urljoin_outcome`)."""
        base = self.parts(node.args[0], scope, False, depth + 1)
        path = self.parts(node.args[1], scope, own, depth + 1)
        outcome = urljoin_outcome(_known_text(base), _lead_text(path))
        if outcome.kind == "append":
            # the base is kept as written; the path argument is edited where it is
            return [*base, *path]
        assert outcome.reason is not None
        self.unbuilt[node] = outcome.reason
        if outcome.kind == "absolute":
            return [_plain(part) for part in path]
        if outcome.prefix is None:
            return [Hole(node)]
        return [Text(outcome.prefix, False), *(_plain(part) for part in path)]

    def _builder_parts(
        self, node: ast.Call, scope: Scope, own: bool, depth: int
    ) -> list[Part] | None:
        """`"/".join([BASE, "expenses", id])`, `posixpath.join(ROOT, "tax-codes")`: the URL
        they build, each string literal item a segment the rewrite may edit where it is
        written (the separators stay); `path.lstrip("/")`: the text without its slashes."""
        joined = join_call(node)
        if joined is not None:
            separator, sequence = joined
            literal = own and isinstance(sequence, ast.List | ast.Tuple)
            values = self.name_values(sequence, scope)
            if isinstance(sequence, ast.Name) and values and len(values) == 1:
                sequence = values[0]  # `parts = (API, "expenses", id)`: read, not edited there
                scope = self.scope_of(sequence, scope)
            items = sequence_items(sequence)
            if items is None:
                return None
            out: list[Part] = []
            for index, item in enumerate(items):
                if index:
                    out.append(Text(separator, literal))
                out.extend(self._item_parts(item, scope, literal, depth))
            if separator != "/":
                self.unbuilt[node] = f'"{separator}".join'
            return out
        if is_posixpath_join(node):
            pieces = [self.parts(arg, scope, False, depth + 1) for arg in node.args]
            out = []
            for index, piece in enumerate(pieces):
                lead = _lead_text(piece)
                if index and lead is not None and lead.startswith("/"):
                    return None  # an absolute later piece restarts the path
                previous = _trail_text(out)
                if index and (previous is None or not previous.endswith("/")):
                    out.append(Text("/", own))
                out.extend(self._item_parts(node.args[index], scope, own, depth))
            return out
        strip = strip_call(node)
        if strip is not None and strip[1] == "lstrip":  # `path.lstrip("/")`: a text start goes
            inner = self.parts(strip[0], scope, False, depth + 1)
            first = inner[0] if inner else None
            if isinstance(first, Text):
                rest = stripped(first.value, "lstrip", strip[2])
                return ([Text(rest, False)] if rest else []) + inner[1:]
        return None

    def item_parts(self, item: ast.expr, scope: Scope, own: bool) -> list[Part]:
        """One piece a builder is given: a string literal written there is a segment the
        rewrite may edit (`own`); anything else is read as it is, never edited."""
        return self._item_parts(item, scope, own, 0)

    def _item_parts(self, item: ast.expr, scope: Scope, own: bool, depth: int) -> list[Part]:
        if own and isinstance(item, ast.Constant) and isinstance(item.value, str):
            return [Text(item.value, True, item)]
        return [_plain(part) for part in self.parts(item, scope, False, depth + 1)]

    def _fstring_parts(
        self, node: ast.JoinedStr, scope: Scope, own: bool, depth: int
    ) -> list[Part]:
        out: list[Part] = []
        field = 0
        for value in node.values:
            if isinstance(value, ast.Constant) and isinstance(value.value, str):
                out.append(Text(value.value, own))
            elif isinstance(value, ast.FormattedValue):
                plain = value.conversion == -1 and value.format_spec is None
                base = self.base_of(value.value, scope, depth + 1) if plain else None
                static = self.static_str(value.value, scope, depth + 1) if plain else None
                index = field if own else None
                if base is not None:
                    out.append(Base(base.value, base.origin, value.value, index))
                else:
                    out.append(Hole(value.value, index, static))
                field += 1
        return out

    def _percent_parts(
        self, node: ast.BinOp, scope: Scope, depth: int, own: bool = False
    ) -> list[Part]:
        """`"%s/expenses/%s" % (BASE, id)`: the template's text, and each value. With the
        template a literal in the URL (`own`) and only `%s`/`%%` in it, the text is rebuilt
        where it is written and each value keeps its place (`field`: its argument's index).
        Other specifiers (`%d`, `%(id)s` with a dict) are read, each value a run-time part,
        but not rebuilt."""
        template = self.static_str(node.left, scope, depth + 1)
        if template is None:
            return [Hole(node)]
        right = node.right
        named: dict[str, ast.expr] | None = None
        if isinstance(right, ast.Dict):
            keys = [self.static_str(k, scope, depth + 1) if k else None for k in right.keys]
            if any(key is None for key in keys):
                return [Hole(node)]
            named = {key: value for key, value in zip(keys, right.values, strict=True) if key}
        args = right.elts if isinstance(right, ast.Tuple) else [right]
        specs = [m for m in PERCENT_SPEC.finditer(template) if m["kind"] != "%"]
        if named is None and len(specs) != len(args):
            return [Hole(node)]
        rebuilt = (
            own
            and named is None
            and isinstance(node.left, ast.Constant)
            and not _OTHER_PERCENT.search(template)
        )
        out: list[Part] = []
        text = ""
        position = 0
        index = 0
        for found in PERCENT_SPEC.finditer(template):
            text += template[position : found.start()]
            position = found.end()
            if found["kind"] == "%":
                text += "%"
                continue
            if text:
                out.append(Text(text, rebuilt))
                text = ""
            arg = named.get(found["key"] or "") if named is not None else args[index]
            if arg is None:
                return [Hole(node)]
            if found.group(0) not in ("%s", f"%({found['key']})s"):
                out.append(Hole(arg))  # `%d`, `%05d`: a number known at run time
            else:
                value = self.parts(arg, scope, False, depth + 1)
                if rebuilt and len(value) == 1 and isinstance(value[0], Hole | Base):
                    value = [replace(value[0], field=index)]
                out.extend(value)
            index += 1
        text += template[position:]
        if text:
            out.append(Text(text, rebuilt))
        return out

    def _format_parts(
        self, node: ast.Call, scope: Scope, own: bool, depth: int
    ) -> list[Part] | None:
        """`"{}/expenses/{}".format(BASE, id)`: the template's text, and each field's value.

        The template is editable when it is a literal written in the call and every field is
        one value (a base or a hole, numbered by its field): the rebuild changes the literal
        only, so every argument stays as written."""
        func = node.func
        if not (isinstance(func, ast.Attribute) and func.attr == "format"):
            return None
        if isinstance(func.value, ast.Name):
            named = self._named_format_parts(node, scope, own, depth)
            if named is not None:
                return named
        template = self.static_str(func.value, scope, depth + 1)
        if template is None:
            return None
        keywords = {k.arg: k.value for k in node.keywords if k.arg}
        out: list[Part] = []
        auto = 0
        try:
            parsed = list(string.Formatter().parse(template))
        except ValueError:
            return None
        editable = own and isinstance(func.value, ast.Constant) and not any(
            isinstance(arg, ast.Starred) for arg in node.args
        ) and all(k.arg for k in node.keywords)
        fields: list[list[Part]] = []
        for literal, field_name, _spec, _conversion in parsed:
            if literal:
                out.append(Text(literal, editable))
            if field_name is None:
                continue
            arg: ast.expr | None
            if field_name == "":
                arg = node.args[auto] if auto < len(node.args) else None
                auto += 1
            elif field_name.isdigit():
                position = int(field_name)
                arg = node.args[position] if position < len(node.args) else None
            else:
                arg = keywords.get(field_name)
            value: list[Part] = self.parts(arg, scope, False, depth + 1) if arg else [Hole(node)]
            if editable and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                value = [Text(arg.value, True, arg)]  # a path segment given as an argument
            fields.append(value)
            out.extend(value)
        if not editable or any(
            len(value) != 1
            or not (isinstance(value[0], Base | Hole) or _segment(value[0]))
            for value in fields
        ):
            return [_plain(part) for part in out]
        numbered: list[Part] = []
        field = 0
        for part in out:
            if isinstance(part, Base | Hole):
                numbered.append(replace(part, field=field))
                field += 1
            else:
                numbered.append(part)
        return numbered

    def _named_format_parts(
        self, node: ast.Call, scope: Scope, own: bool, depth: int
    ) -> list[Part] | None:
        """`EXPENSE_URL.format(id)` with `EXPENSE_URL = API_ROOT + "expenses/{}"`: the name's
        value with its fields filled in; editable at the name's assignment when the call is
        the only reader of that value and the template takes positional fields only."""
        func = node.func
        assert isinstance(func, ast.Attribute)
        values = self.name_values(func.value, scope)
        if not values or len(values) != 1 or node.keywords:
            return None
        held = None
        if own and isinstance(func.value, ast.Name):
            binding = self.single_use(func.value.id, scope) or self._sole_reader(
                func.value, scope
            )
            if binding is not None and binding.value is values[0]:
                held = values[0] if _form(values[0]) in ("literal", "concatenation") else None
        editable = held is not None and not any(isinstance(a, ast.Starred) for a in node.args)
        inner = self.parts(values[0], self.scope_of(values[0], scope), False, depth + 1)
        base = inner[0] if inner and isinstance(inner[0], Base) else None
        texts = [part.value for part in inner if isinstance(part, Text)]
        if not inner or len(texts) != len(inner) - (base is not None):
            return None
        try:
            parsed = list(string.Formatter().parse("".join(texts)))
        except ValueError:
            return None
        out: list[Part] = [base] if base is not None else []
        position = 0
        for literal, field_name, spec, conversion in parsed:
            if literal:
                out.append(Text(literal, editable))
            if field_name is None:
                continue
            if field_name not in ("", str(position)) or position >= len(node.args):
                return None
            editable = editable and not spec and not conversion
            value = self.parts(node.args[position], scope, False, depth + 1)
            if len(value) == 1 and isinstance(value[0], Base | Hole):
                out.append(replace(value[0], field=position))
            else:
                editable = False
                out.extend(value)
            position += 1
        if editable and held is not None:
            self._held_templates[node] = held
            return out
        return [_plain(part) for part in out]


def _product(choices: list[list[str]]) -> list[tuple[str, ...]]:
    out: list[tuple[str, ...]] = [()]
    for options in choices:
        out = [(*done, option) for done in out for option in options][: MAX_SAMPLES + 1]
    return out


def _joined(choices: list[list[str]]) -> list[str]:
    return ["".join(values) for values in _product(choices)]


def _plain(part: Part) -> Part:
    """A part that is not edited where it is written."""
    if isinstance(part, Text):
        return Text(part.value, False)
    return replace(part, field=None)


def _segment(part: Part) -> bool:
    return isinstance(part, Text) and part.node is not None


def _known_text(parts: list[Part]) -> str | None:
    """The static text of parts, None when any is known at run time only."""
    out = []
    for part in parts:
        value = part.value
        if value is None:
            return None
        out.append(value)
    return "".join(out)


def _lead_text(parts: list[Part]) -> str | None:
    """The static text the parts start with (None: a run-time start)."""
    first = parts[0] if parts else None
    return None if first is None else first.value


def _trail_text(parts: list[Part]) -> str | None:
    last = parts[-1] if parts else None
    return None if last is None else last.value


def _line_of(binding: Binding) -> int | None:
    node = binding.target or binding.stmt
    return None if node is None else node.lineno


def _is_urljoin(node: ast.Call) -> bool:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
    return name == "urljoin"


def _form(node: ast.expr) -> str:
    if isinstance(node, ast.Constant):
        return "literal"
    if isinstance(node, ast.JoinedStr):
        return "f-string"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return "concatenation"
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod):
        return "%-format"
    if isinstance(node, ast.Call):
        if isinstance(node.func, ast.Attribute) and node.func.attr == "format":
            return "str.format"
        if _is_urljoin(node):
            return "urljoin"
        if join_call(node) is not None:
            return "str.join"
        if is_posixpath_join(node):
            return "posixpath.join"
    if isinstance(node, ast.Name | ast.Attribute):
        return "name"
    return "other"


def _origin(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return f"constant {node.id}" if node.id.isupper() else f"variable {node.id}"
    if isinstance(node, ast.Attribute):
        text = ast.unparse(node)
        return text if len(text) <= 40 else node.attr
    if isinstance(node, ast.Constant):
        return "literal"
    return "expression"
