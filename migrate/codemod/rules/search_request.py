"""PLM003: a legacy list read (GET) becomes `POST …:search` with a JSON filter body.

The body starts from the catalogue's `search_body` and takes every filter whose target is
the body, its literal value converted now (`status=EXPORTED` → `"exportStatus": ["EXPORTED"]`,
`dateFrom=2024-01-01` → `"performedAtStart": "2024-01-01T00:00:00Z"`; a run-time day is
converted by a written expression, see `runtime_filters`), plus what the planner
adds on its own: the legacy list's default filter (`list_default_body`), the defaults of
filters the call leaves out, and the catalogue's constant query. A filter value that sends
nothing (`omit_when`) is dropped. Paging stays in the query, as the new API wants it.

The same plan serves a call through a request helper (`self._request("GET", "/expenses",
params=…)`, `self._get("/accounts", pageSize=500)`): `request_edits` writes it at the call, on
the helper's POST twin when the helper's verb is fixed (`helper_twin.py`).
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import convert, find_filter, planned_constants
from migrate.codemod.runtime_filters import body_entry, writable
from migrate.codemod.text.edits import Piece
from migrate.codemod.text.literals import py_literal

RULE = Rule(
    "PLM003",
    "search_request",
    "native",
    "rewrite",
    "Rewrite legacy list reads (GET) to POST …:search with a JSON body built from the static "
    "query, converting literal filter values, plus the legacy list's default filter and "
    "filter defaults, as the planner sends them.",
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
    constants = planned_constants(op, site)
    body: dict[str, tuple[Piece, ...]] = {
        key: (py_literal(value),) for key, value in (*op.search_body.items(), *constants.body)
    }
    for item in site.query.items:
        found = find_filter(op, item.key)
        if found is None:
            continue
        if item.key in constants.silent:
            request.drops.add(item.key)
            request.by[item.key] = RULE.id
        elif found.new_body is not None:
            if found.converter == "same" and not found.as_list and item.value is not None:
                value: tuple[Piece, ...] = (analysis.span(item.value),)
            elif not item.is_literal and item.value is not None and writable(found, item.value):
                key = f"**{found.new_body}"  # a whole entry, converted at run time
                body[key] = (body_entry(found, analysis.text(item.value)),)
                request.drops.add(item.key)
                request.by[item.key] = RULE.id
                continue
            else:
                value = (py_literal(convert(found, item.literal)),)
            body[found.new_body] = value
            request.drops.add(item.key)
            request.by[item.key] = RULE.id
        elif found.new_query is not None:
            if found.new_query != item.key:
                request.renames[item.key] = found.new_query
                request.by[item.key] = RULE.id
            if found.converter != "same" and item.is_literal:
                from migrate.mapping import filter_query  # the planner: where a filter is sent

                ((_key, text),) = filter_query(found, [str(item.literal)])
                request.values[item.key] = (py_literal(text),)
                request.by[item.key] = RULE.id
    for key, text in constants.query:
        request.add_query.append((key, (py_literal(text),)))
        request.by[key] = RULE.id
    request.body = list(body.items())
