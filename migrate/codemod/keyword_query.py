"""The query of a request helper that sends its extra keywords as the query, edited in place.

`def _get(self, path, **params)` sending `params=params` is called as
`self._get("/employees", pageOffset=offset, pageSize=page_size)`: each keyword is a query
parameter. A rename changes the keyword's name (`limit=min(page_size, 1000)`), a drop removes
the argument, a whole entry (`**({"after": offset} if offset else {})`) replaces it, and a
parameter the new call needs is appended as a keyword; a key that is not a Python name is
passed as `**{"key": value}`.
"""

from __future__ import annotations

import ast

from migrate.codemod.rule import Analysis, RequestPlan
from migrate.codemod.text.edits import Edit, Piece, append_item, remove_items, replace, written
from migrate.codemod.text.literals import str_literal


def keyword_edits(plan: RequestPlan, analysis: Analysis) -> list[Edit]:
    site = plan.site
    source = analysis.source
    call = site.node
    items = [item for item in site.query.items if item.where == "keywords"]
    arguments: list[ast.AST] = sorted(
        [*call.args, *call.keywords],
        key=lambda node: (node.lineno, node.col_offset),  # type: ignore[attr-defined]
    )
    edits: list[Edit] = []
    dropped = {
        arguments.index(item.keyword)
        for item in items
        if item.key in plan.drops and item.keyword is not None
    }
    if dropped:
        first = next(item for item in items if item.key in plan.drops)
        rule = plan.by.get(first.key, "PLM005")
        edits.extend(remove_items(source, [(node, node) for node in arguments], dropped, rule))
    for item in items:
        if item.key in plan.drops or item.keyword is None or item.value is None:
            continue
        rule = plan.by.get(item.key, "PLM005")
        if item.key in plan.entries:
            edits.append(replace(source, item.keyword, rule, *plan.entries[item.key]))
            continue
        if item.key not in plan.renames and item.key not in plan.values:
            continue
        key = plan.renames.get(item.key, item.key)
        value = plan.values.get(item.key, (analysis.span(item.value),))
        edits.append(replace(source, item.keyword, rule, *_argument(key, value)))
    if plan.add_query:
        rule = plan.by.get(plan.add_query[0][0], "PLM004")
        code = ", ".join(written(source, _argument(key, value)) for key, value in plan.add_query)
        edits.append(append_item(source, call, arguments[-1:], code, rule))
    return edits


def _argument(key: str, value: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """`key=value`, or `**{"key": value}` for a key that is not a name; a whole entry as is."""
    if not key:
        return value
    if key.isidentifier():
        return (f"{key}=", *value)
    return ("**{", str_literal(key), ": ", *value, "}")
