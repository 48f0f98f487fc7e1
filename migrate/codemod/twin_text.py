"""The text of a request helper's twin, copied from the helper's own text with libcst.

Only the verb of its one HTTP call changes (`self.session.get(…)` → `self.session.post(…)`;
none for `request(method, …)`), the name, the docstring, and (unless `**kwargs` already reach
the call) a `json=None` parameter passed on as `json=json`: the rest (base, auth, timeout,
decorators, error handling, comments, layout) is the user's. Imported only by a rewrite that
makes a twin.
"""

from __future__ import annotations

import libcst

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
