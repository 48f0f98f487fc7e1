"""URL helpers: a small private function that puts a path on the module's legacy base.

`def _url(self, path): return f"{self.base_url}{path}"` (or `self.base + path`,
`urljoin(self.base, path)`, `BASE + path`, or `f"{BASE}/{path}"` called with bare paths, the
slash counted as the base's own), optionally after plain calls such as
`self.get_conn()`, makes `self._url("/expenses")` the same URL as `self.base_url + "/expenses"`
written at the call: the evaluator sees the helper's base followed by the argument, so the
call is found, resolved and rewritten like an inline one (only the argument is rebuilt; the
helper stays as it is, and the base moves where it is set). A helper whose name is used for
anything but such calls, or whose return is anything else, is not one.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Part, Text
from migrate.codemod.find.facts import ModuleFacts, Scope
from migrate.codemod.find.hosts import LEGACY_BASE_ONLY
from migrate.codemod.find.url_builders import join_call, sequence_items


@dataclass(frozen=True)
class UrlHelper:
    function: ast.FunctionDef
    owner: ast.ClassDef | None  # the class it is a method of (called as `self.name(…)`)
    base: Base  # what the helper's URL starts with
    slash: bool = False  # `f"{BASE}/{path}"`: the slash is the helper's (bare paths only)
    strip: bool = False  # `f"{BASE}/{path.lstrip('/')}"`: a leading slash of the path goes
    # `def _url(self, *parts): return "/".join((self.root, self.version) + parts)`: the
    # separator the helper joins its arguments with (read, never rebuilt); None: one path
    separator: str | None = None
    # the joined base is one piece (`self.root`), not a host and a version joined (`/v1` would
    # stay when the host moves): only then is a call of it rewritten
    whole: bool = True


class UrlHelpers:
    """The URL helpers of one module, answering the evaluator's question about a call."""

    def __init__(self, facts: ModuleFacts, evaluator: Evaluator) -> None:
        self.facts = facts
        self.evaluator = evaluator
        self._helpers: dict[str, UrlHelper] | None = None
        self._finding = False
        # helpers of the same shape whose base is not a known legacy URL → the base's text
        self._unknown: dict[str, str] = {}

    def __call__(self, call: ast.Call, scope: Scope, own: bool) -> list[Part] | None:
        """The URL's parts (the base, then the path argument's) when `call` calls a URL helper
        of this module (None: it does not, or the URL would not be what it looks like)."""
        if self._finding:
            return None
        helpers = self._found()
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        helper = helpers.get(name) if isinstance(name, str) else None
        if helper is None or not _calls(call, helper, self.facts) or not _arity(call, helper):
            return None
        if call.keywords or any(isinstance(arg, ast.Starred) for arg in call.args):
            return None
        if helper.separator is not None:
            return self._joined(call, helper, scope, own)
        parts = self.evaluator.parts(call.args[0], scope, own)
        first = parts[0] if parts else None
        if helper.slash and not isinstance(first, Text):
            return None  # the path starts with a run-time value: `/` or not, no one knows
        if isinstance(first, Text) and first.value.startswith("/"):
            if not helper.strip:  # `_url("/expenses")` on `f"{BASE}/{path}"`: `…/v1//expenses`
                return None if helper.slash else [helper.base, *parts]
            stripped = first.value.lstrip("/")
            parts = [Text(stripped, first.own), *parts[1:]] if stripped else parts[1:]
        return [helper.base, *parts]

    def _joined(self, call: ast.Call, helper: UrlHelper, scope: Scope, own: bool) -> list[Part]:
        """`self._url("tax-codes", code_id)` on a helper joining its arguments: the base, then
        each argument after the separator; a string literal argument is a segment the rewrite
        edits where it is written (`self._url("v0/tax-codes", code_id)`)."""
        assert helper.separator is not None
        parts: list[Part] = [helper.base]
        for index, arg in enumerate(call.args):
            if index:
                parts.append(Text(helper.separator, own))
            parts.extend(self.evaluator.item_parts(arg, scope, own))
        if not helper.whole:
            name = helper.function.name
            self.evaluator.unbuilt[call] = f"`{name}` (its base joined from pieces)"
        return parts

    def unknown_base(self, call: ast.Call) -> str | None:
        """The base a helper puts the path on, for a helper of the URL-helper shape whose base
        is not a known legacy URL (`self.base_url` set from a connection at run time)."""
        self._found()
        func = call.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
        return self._unknown.get(name) if isinstance(name, str) else None

    def _found(self) -> dict[str, UrlHelper]:
        if self._helpers is None:
            self._finding = True
            try:
                self._helpers = self._find()
            finally:
                self._finding = False
        return self._helpers

    def _find(self) -> dict[str, UrlHelper]:
        found: dict[str, UrlHelper] = {}
        counts: dict[str, int] = {}
        for function, scope in self.facts.functions.items():
            if not isinstance(function, ast.FunctionDef):
                continue
            counts[function.name] = counts.get(function.name, 0) + 1
            helper = self._helper(function, scope)
            if helper is not None:
                found[function.name] = helper
        return {
            name: helper
            for name, helper in found.items()
            if counts[name] == 1 and _only_called(helper, self.facts)
        }

    def _helper(self, function: ast.FunctionDef, scope: Scope) -> UrlHelper | None:
        if not function.name.startswith("_") or function.name.startswith("__"):
            return None
        parent = self.facts.parent(function)
        owner = parent if isinstance(parent, ast.ClassDef) else None
        if owner is None and not isinstance(parent, ast.Module):
            return None
        args = function.args
        params = [arg.arg for arg in [*args.posonlyargs, *args.args]]
        if owner is not None:
            if function.decorator_list or not params:
                return None
            params = params[1:]
        if args.kwarg or args.kwonlyargs or args.defaults:
            return None
        if not params and args.vararg is not None:
            joined = self._vararg_helper(function, owner, scope, args.vararg.arg)
            return joined if joined is not None and _only_returns(function) else None
        if len(params) != 1 or args.vararg:
            return None
        body = function.body
        if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            body = body[1:]  # the docstring
        if not body or not isinstance(body[-1], ast.Return) or body[-1].value is None:
            return None
        if not all(isinstance(s, ast.Expr) and isinstance(s.value, ast.Call) for s in body[:-1]):
            return None  # only plain calls before the return (`self.get_conn()`)
        parts = self.evaluator.parts(body[-1].value, scope, own=False)
        base = parts[0] if parts else None
        if (
            len(parts) == 3
            and isinstance(base, Base)
            and parts[1] == Text("/", False)
            and base.value is not None
            and not base.value.endswith("/")
        ):  # `f"{self.base_url}/{path}"`: the base with its slash, called with bare paths
            base = replace(base, value=base.value + "/")
            parts = [base, parts[2]]
            slash = True
        else:
            slash = False
        if len(parts) == 2 and isinstance(base, Hole) and isinstance(parts[1], Hole):
            if isinstance(parts[1].node, ast.Name) and parts[1].node.id == params[0]:
                self._unknown[function.name] = " ".join(ast.unparse(base.node).split())[:40]
            return None
        if len(parts) != 2 or not isinstance(base, Base) or not isinstance(parts[1], Hole):
            return None
        path = parts[1].node
        strip = _lstripped(path)
        if strip is not None and (slash or (base.value or "").endswith("/")):
            path = strip  # `path.lstrip("/")` after a slash: "/expenses" and "expenses" alike
        if not isinstance(path, ast.Name) or path.id != params[0]:
            return None
        return UrlHelper(function, owner, base, slash, strip is not None)


    def _vararg_helper(
        self, function: ast.FunctionDef, owner: ast.ClassDef | None, scope: Scope, rest: str
    ) -> UrlHelper | None:
        """`return "/".join((self.api_root, self.version) + parts)` or
        `return f"{BASE}/{'/'.join(parts)}"`, the base's pieces static: the helper's base (the
        pieces joined, with the separator after them) and its separator."""
        returned = function.body[-1]
        if not isinstance(returned, ast.Return) or returned.value is None:
            return None
        value = returned.value
        joined = join_call(value)
        if joined is not None:
            separator, sequence = joined
            items = sequence_items(sequence)
            if not items or not isinstance(items[-1], ast.Name) or items[-1].id != rest:
                return None
            pieces = [self.evaluator.static_str(item, scope) for item in items[:-1]]
            if not pieces or any(piece is None for piece in pieces):
                return None
            text = separator.join(piece or "" for piece in pieces)
            node: ast.expr = items[0]
            whole = len(pieces) == 1
        elif isinstance(value, ast.JoinedStr):
            parts = self.evaluator.parts(value, scope, own=False)
            last = parts[-1] if parts else None
            inner = join_call(last.node) if isinstance(last, Hole) else None
            if (
                inner is None
                or not isinstance(inner[1], ast.Name)
                or inner[1].id != rest
                or not parts
                or not isinstance(parts[0], Base)
            ):
                return None
            separator = inner[0]
            text = "".join(part.value or "" for part in parts[:-1])
            if any(part.value is None for part in parts[:-1]) or not text.endswith(separator):
                return None
            text = text[: -len(separator)]
            node = parts[0].node
            whole = len(parts) == 3  # `{BASE}`, the separator, the joined arguments
        else:
            return None
        if not separator or not LEGACY_BASE_ONLY.match(text):
            return None
        base = Base(text + separator, f"the {function.name} helper", node)
        return UrlHelper(function, owner, base, separator=separator, whole=whole)


def _only_returns(function: ast.FunctionDef) -> bool:
    """A body that is its return (after a docstring): nothing else shapes the URL."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    return len(body) == 1


def _arity(call: ast.Call, helper: UrlHelper) -> bool:
    """One path argument, or (a helper joining its arguments) one or more."""
    return len(call.args) >= 1 if helper.separator is not None else len(call.args) == 1


def _lstripped(node: ast.expr) -> ast.expr | None:
    """`path` in `path.lstrip("/")`."""
    if (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "lstrip"
        and len(node.args) == 1
        and isinstance(node.args[0], ast.Constant)
        and node.args[0].value == "/"
        and not node.keywords
    ):
        return node.func.value
    return None


def _calls(call: ast.Call, helper: UrlHelper, facts: ModuleFacts) -> bool:
    """`self.name(…)` inside the helper's class, or `name(…)` for a module-level helper."""
    func = call.func
    if helper.owner is None:
        return isinstance(func, ast.Name) and func.id == helper.function.name
    return (
        isinstance(func, ast.Attribute)
        and func.attr == helper.function.name
        and isinstance(func.value, ast.Name)
        and func.value.id == "self"
        and helper.owner in facts.ancestors(call)
    )


def _only_called(helper: UrlHelper, facts: ModuleFacts) -> bool:
    """Whether every use of the helper's name is a call of it with one path argument."""
    funcs: set[int] = set()
    for call in facts.calls:
        made = call.node
        if _calls(made, helper, facts) and _arity(made, helper) and not made.keywords:
            funcs.add(id(made.func))
    name = helper.function.name
    for node in facts.nodes():
        named = (isinstance(node, ast.Attribute) and node.attr == name) or (
            isinstance(node, ast.Name) and node.id == name
        )
        if named and id(node) not in funcs:
            return False
    return bool(funcs)
