"""PLM003: a legacy list read (GET) becomes `POST …:search` with a JSON filter body.

The body starts from the catalogue's `search_body` and takes every filter whose target is
the body, its literal value converted now (`status=EXPORTED` → `"exportStatus": ["EXPORTED"]`,
`dateFrom=2024-01-01` → `"performedAtStart": "2024-01-01T00:00:00Z"`). Paging stays in the
query, as the new API wants it.
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import convert, find_filter
from migrate.codemod.text.edits import Piece
from migrate.codemod.text.literals import py_literal

RULE = Rule(
    "PLM003",
    "search_request",
    "native",
    "rewrite",
    "Rewrite legacy list reads (GET) to POST …:search with a JSON body built from the static "
    "query, converting literal filter values.",
)


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    match = site.resolution.match
    if match is None or match.operation.kind != "search" or match.operation.new is None:
        return
    op = match.operation
    assert op.new is not None
    request.new_path = analysis.index.catalogue.new_path(match)
    request.new_method = op.new.method
    request.by.update(url=RULE.id, method=RULE.id, body=RULE.id)
    body: list[tuple[str, tuple[Piece, ...]]] = [
        (key, (py_literal(value),)) for key, value in op.search_body.items()
    ]
    for item in site.query.items:
        found = find_filter(op, item.key)
        if found is None:
            continue
        if found.new_body is not None:
            if found.converter == "same" and not found.as_list and item.value is not None:
                value: tuple[Piece, ...] = (analysis.span(item.value),)
            else:
                value = (py_literal(convert(found, item.literal)),)
            body.append((found.new_body, value))
            request.drops.add(item.key)
            request.by[item.key] = RULE.id
        elif found.new_query is not None and found.new_query != item.key:
            request.renames[item.key] = found.new_query
            request.by[item.key] = RULE.id
    request.body = body
