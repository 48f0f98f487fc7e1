"""Everything the codemod asks of libcst: the one module that imports it, itself imported
lazily by the callers that need a concrete syntax tree (a `scan` of other code never pays).

1. `NameReads`: which assignments a name can read at a given place, as libcst's scope
   analysis says. The `ast` evaluator follows a name that has one binding. A URL chosen in
   `if/elif` branches, a module constant reassigned later (`URL = …` then `URL = urljoin(…)`)
   or a default argument (`def f(url=URL)`, read where the `def` runs) have several:
   libcst's `ScopeProvider` knows which of them an access can read, in order. Run at most once
   per file, only for files with a legacy call whose URL the `ast` evaluator could not
   follow. Answers are lines: the caller maps them back to its own `ast` bindings (columns
   differ, libcst counts characters where `ast` counts bytes, lines do not).

2. `copy_helper`: the text of a request helper's twin, copied from the helper's own text.
   Only the verb of its one HTTP call changes (`self.session.get(…)` →
   `self.session.post(…)`; none for `request(method, …)`), the name, the docstring, and
   (unless `**kwargs` already reach the call) a `json=None` parameter passed on as
   `json=json`: the rest (base, auth, timeout, decorators, error handling, comments, layout)
   is the user's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass

import libcst
from libcst import metadata


@dataclass(frozen=True)
class Assigned:
    """One assignment an access can read: where it is and what kind of binding it is."""

    line: int
    kind: str  # "assign", "param", "import", "def", "other"
    module_level: bool  # bound in the module's scope (a global), not in a function


class NameReads:
    """The reads of one module's names, each with the assignments it may see."""

    def __init__(self, text: str) -> None:
        wrapper = metadata.MetadataWrapper(libcst.parse_module(text), unsafe_skip_copy=True)
        scopes = wrapper.resolve(metadata.ScopeProvider)
        positions = wrapper.resolve(metadata.PositionProvider)
        self._reads: dict[tuple[str, int], set[Assigned]] = {}
        seen: set[int] = set()
        for scope in scopes.values():
            if scope is None or id(scope) in seen:
                continue
            seen.add(id(scope))
            for access in scope.accesses:
                node = access.node
                if not isinstance(node, libcst.Name):
                    continue
                line = positions[node].start.line
                found = self._reads.setdefault((node.value, line), set())
                found.update(_assigned(access.referents, positions))

    def readable(self, name: str, line: int) -> tuple[Assigned, ...] | None:
        """The assignments the read of `name` on `line` may see, in source order (None: no
        such read, or one that reads something libcst cannot place, like a builtin)."""
        found = self._reads.get((name, line))
        if not found:
            return None
        return tuple(sorted(found, key=lambda item: item.line))


def _assigned(
    referents: Iterable[metadata.BaseAssignment],
    positions: Mapping[libcst.CSTNode, metadata.CodeRange],
) -> Iterator[Assigned]:
    for referent in referents:
        if not isinstance(referent, metadata.Assignment):
            continue  # a builtin
        node = referent.node
        if isinstance(node, libcst.Param):
            kind = "param"
        elif isinstance(node, libcst.Import | libcst.ImportFrom):
            kind = "import"
        elif isinstance(node, libcst.FunctionDef | libcst.ClassDef):
            kind = "def"
        elif isinstance(node, libcst.Name):
            kind = "assign"
        else:
            kind = "other"
        module_level = isinstance(referent.scope, metadata.GlobalScope)
        yield Assigned(positions[node].start.line, kind, module_level)


# --- a helper's twin, copied from its text ---------------------------------------------------

_TIGHT = libcst.AssignEqual(
    whitespace_before=libcst.SimpleWhitespace(""), whitespace_after=libcst.SimpleWhitespace("")
)
_SPACE_COMMA = libcst.Comma(whitespace_after=libcst.SimpleWhitespace(" "))


class _Swap(libcst.CSTTransformer):
    """Puts every `<x>.<old>(…)` call on `verb` (the caller checks there is exactly one)."""

    def __init__(self, old: str, verb: str, add_json: bool) -> None:
        self.old = old
        self.verb = verb
        self.add_json = add_json
        self.swapped = 0

    def leave_Call(self, original_node: libcst.Call, updated_node: libcst.Call) -> libcst.Call:
        func = updated_node.func
        if not isinstance(func, libcst.Attribute) or func.attr.value != self.old:
            return updated_node
        self.swapped += 1
        args = list(updated_node.args)
        if self.add_json:
            keyword = libcst.Arg(libcst.Name("json"), keyword=libcst.Name("json"), equal=_TIGHT)
            stars = [i for i, arg in enumerate(args) if arg.star == "**"]
            if stars:  # before `**kw`, so that it stays last
                args.insert(stars[0], keyword.with_changes(comma=_SPACE_COMMA))
            else:
                if args and not isinstance(args[-1].comma, libcst.Comma):
                    args[-1] = args[-1].with_changes(comma=_SPACE_COMMA)
                args.append(keyword)
        return updated_node.with_changes(
            func=func.with_changes(attr=libcst.Name(self.verb)), args=args
        )


class _Attributes(libcst.CSTTransformer):
    """Reads `self.<old>` as `self.<new>` (the split copy of a wrapper's request helper)."""

    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = renames

    def leave_Attribute(
        self, original_node: libcst.Attribute, updated_node: libcst.Attribute
    ) -> libcst.Attribute:
        value = updated_node.value
        new = self.renames.get(updated_node.attr.value)
        if new is None or not isinstance(value, libcst.Name) or value.value != "self":
            return updated_node
        return updated_node.with_changes(attr=libcst.Name(new))


class _Names(libcst.CSTTransformer):
    """Reads module-level names as their copies (`BASE` → `NEW_API_BASE`)."""

    def __init__(self, renames: dict[str, str]) -> None:
        self.renames = renames

    def leave_Attribute(
        self, original_node: libcst.Attribute, updated_node: libcst.Attribute
    ) -> libcst.Attribute:
        new = self.renames.get(original_node.attr.value)
        if new is not None:  # `x.BASE` is not the name: keep it
            return updated_node.with_changes(attr=original_node.attr)
        return updated_node

    def leave_Arg(self, original_node: libcst.Arg, updated_node: libcst.Arg) -> libcst.Arg:
        return updated_node.with_changes(keyword=original_node.keyword)  # `f(BASE=…)` stays

    def leave_Name(self, original_node: libcst.Name, updated_node: libcst.Name) -> libcst.Name:
        new = self.renames.get(updated_node.value)
        return updated_node if new is None else updated_node.with_changes(value=new)


def copy_helper(
    text: str,
    name: str,
    old: str,
    verb: str,
    add_json: bool,
    docline: str,
    attributes: dict[str, str] | None = None,
    names: dict[str, str] | None = None,
) -> str:
    """The one function in `text` (dedented), renamed, its HTTP call `<x>.<old>(…)` made as
    `<x>.<verb>(…)` (the same, for `request`), reading `self.<a>` as `self.<attributes[a]>`."""
    module = libcst.parse_module(text)
    (function,) = module.body
    if not isinstance(function, libcst.FunctionDef):
        raise ValueError("not a function")
    swap = _Swap(old, verb, add_json)
    new = function.visit(swap)
    if swap.swapped != 1 or not isinstance(new, libcst.FunctionDef):
        raise ValueError("not exactly one HTTP call")
    if names:
        new = new.visit(_Names(names))
        if not isinstance(new, libcst.FunctionDef):  # pragma: no cover - a def stays a def
            raise ValueError("not a function")
    if attributes:
        new = new.visit(_Attributes(attributes))
        if not isinstance(new, libcst.FunctionDef):  # pragma: no cover - a def stays a def
            raise ValueError("not a function")
    params = new.params
    if add_json:
        annotated = any(param.annotation is not None for param in params.params[1:])
        param = libcst.Param(
            libcst.Name("json"),
            annotation=libcst.Annotation(libcst.Name("object")) if annotated else None,
            default=libcst.Name("None"),
            equal=libcst.MaybeSentinel.DEFAULT if annotated else _TIGHT,
        )
        if isinstance(params.star_arg, libcst.Param) or params.kwonly_params or isinstance(
            params.star_kwarg, libcst.Param
        ):
            params = params.with_changes(kwonly_params=[*params.kwonly_params, param])
        else:
            params = params.with_changes(params=[*params.params, param])
    block = new.body
    if not isinstance(block, libcst.IndentedBlock):
        raise ValueError("a one-line function")
    body = list(block.body)
    doc = libcst.parse_statement(docline + "\n")
    if body and _is_docstring(body[0]):
        body[0] = doc
    else:
        body.insert(0, doc)
    new = new.with_changes(
        name=libcst.Name(name),
        params=params,
        body=block.with_changes(body=body),
        leading_lines=[],
    )
    return module.code_for_node(new)


def _is_docstring(stmt: libcst.BaseStatement) -> bool:
    return (
        isinstance(stmt, libcst.SimpleStatementLine)
        and len(stmt.body) == 1
        and isinstance(stmt.body[0], libcst.Expr)
        and isinstance(stmt.body[0].value, libcst.SimpleString | libcst.ConcatenatedString)
    )
