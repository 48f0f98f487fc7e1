"""PLM006: a `while True:` loop that follows `nextPageOffset` becomes a cursor loop.

    offset = 0                                    cursor = None
    while True:                                   while True:
        … params={"pageOffset": offset} …   →        … params={"after": cursor} …
        offset = body["metadata"]["pageInfo"]        offset = (body["pagination"]["endCursor"]
                     ["nextPageOffset"]                        if body["pagination"]["hasNextPage"]
        if offset is None: break                               else None)

(the variable keeps its name; only its start value, the parameter and the update change, and
an annotation on the start, `offset: int | None = 0`, becomes `str | None`). Page info held
in a name (`info = body["metadata"]["pageInfo"]`, read only as `info["nextPageOffset"]`)
becomes `info = body["pagination"]`, read as `info["endCursor"] if info["hasNextPage"] else None`.
A `while offset is not None:` loop is rewritten too: the cursor then starts at `""` (not
None, so the loop runs; empty, so the first request sends no `after`). So is a loop that
stores the offset in the dict it sends (`params["pageOffset"] = next_offset` after
`if not next_offset: break`): the `pageOffset: 0` entry goes, the store sets `after`.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import is_atomic
from migrate.codemod.text.edits import Piece, replace
from migrate.codemod.text.literals import str_literal, style_of
from migrate.pleo import (
    LEGACY_NEXT_OFFSET_PATH,
    LEGACY_PAGE_OFFSET,
    NEW_AFTER,
    NEW_END_CURSOR,
    NEW_END_CURSOR_PATH,
    NEW_HAS_NEXT,
    NEW_PAGINATION,
)

RULE = Rule(
    "PLM006",
    "paging_loop",
    "native",
    "rewrite",
    f"Rewrite `while True:` and `while offset is not None:` loops that follow "
    f"{LEGACY_NEXT_OFFSET_PATH} into loops that follow {NEW_END_CURSOR_PATH}, the request "
    "inline or through the module's request helper.",
)


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    loop = site.loop
    if loop is None:
        return
    request.by[LEGACY_PAGE_OFFSET] = RULE.id
    if loop.store is not None:  # `params["pageOffset"] = next_offset`: set once there is one
        request.drops.add(LEGACY_PAGE_OFFSET)
        key = loop.store.slice
        style = style_of(analysis.text(key))
        request.extra.append(replace(analysis.source, key, RULE.id, str_literal(NEW_AFTER, style)))
    elif site.drops_none_params and not loop.tests_cursor:
        request.renames[LEGACY_PAGE_OFFSET] = NEW_AFTER
    else:  # httpx sends `after=` for None, any client for "": leave the key out of the first
        cursor_var = analysis.span(site.query.get(LEGACY_PAGE_OFFSET).value)  # type: ignore[union-attr, arg-type]
        request.entries[LEGACY_PAGE_OFFSET] = (
            f'**({{"{NEW_AFTER}": ',
            cursor_var,
            "} if ",
            cursor_var,
            " else {})" if loop.tests_cursor else " is not None else {})",
        )
    base_span = analysis.span(loop.chain_base)
    base: tuple[Piece, ...] = (base_span,) if is_atomic(loop.chain_base) else ("(", base_span, ")")
    cursor: tuple[Piece, ...]
    more: tuple[Piece, ...]
    if loop.held is not None:  # `info = body["metadata"]["pageInfo"]` → `info = body["pagination"]`
        held_get = isinstance(loop.held, ast.Call)
        pagination = f'.get("{NEW_PAGINATION}", {{}})' if held_get else f'["{NEW_PAGINATION}"]'
        request.extra.append(replace(analysis.source, loop.held, RULE.id, *base, pagination))
        info = analysis.span(_read_from(loop.chain))
        if loop.style == "subscript":
            cursor, more = (info, f'["{NEW_END_CURSOR}"]'), (info, f'["{NEW_HAS_NEXT}"]')
        else:
            cursor, more = (info, f'.get("{NEW_END_CURSOR}")'), (info, f'.get("{NEW_HAS_NEXT}")')
    elif loop.style == "subscript":
        cursor = (*base, f'["{NEW_PAGINATION}"]["{NEW_END_CURSOR}"]')
        more = (*base, f'["{NEW_PAGINATION}"]["{NEW_HAS_NEXT}"]')
    else:
        cursor = (*base, f'.get("{NEW_PAGINATION}", {{}}).get("{NEW_END_CURSOR}")')
        more = (*base, f'.get("{NEW_PAGINATION}", {{}}).get("{NEW_HAS_NEXT}")')
    request.extra.append(
        replace(analysis.source, loop.chain, RULE.id, *cursor, " if ", *more, " else None")
    )
    if loop.init is not None:
        start = '""' if loop.tests_cursor else "None"
        request.extra.append(replace(analysis.source, loop.init, RULE.id, start))
        holder = analysis.facts.parent(loop.init)
        if isinstance(holder, ast.AnnAssign) and holder.value is loop.init:
            # `offset: int | None = 0` holds a cursor now: the annotation says so
            request.extra.append(replace(analysis.source, holder.annotation, RULE.id, "str | None"))


def _read_from(read: ast.expr) -> ast.expr:
    """What `X["key"]` or `X.get("key")` reads from: X."""
    if isinstance(read, ast.Subscript):
        return read.value
    assert isinstance(read, ast.Call) and isinstance(read.func, ast.Attribute)
    return read.func.value
