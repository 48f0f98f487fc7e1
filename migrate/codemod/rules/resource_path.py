"""PLM002: a legacy path becomes the new API's path, with its per-resource version.

`/v1/employees/{id}` → `/v2/employees/{id}`, `/v1/accounts` → `/v1/chart-of-accounts`, path
parameters carried over by the catalogue's `path_params`. With the host written in the URL,
the host changes too (`https://openapi.pleo.io/v1/…` → `https://external.pleo.io/v2/…`).
Query filters that keep their place are renamed as the catalogue says, and the call sends
what the planner sends besides (the catalogue's constant query, `include_deleted=true`).
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import find_filter, planned_constants
from migrate.codemod.text.literals import py_literal

RULE = Rule(
    "PLM002",
    "resource_path",
    "native",
    "rewrite",
    "Rewrite legacy paths (and hosts written in the URL) to the new API's per-resource "
    "versioned paths, renaming query filters that keep their place and adding the catalogue's "
    "constant query (include_deleted=true, …) as the planner does.",
)


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    match = site.resolution.match
    if match is None or match.operation.kind != "direct" or match.operation.new is None:
        return
    request.new_path = analysis.index.catalogue.new_path(match)
    request.by["url"] = RULE.id
    if match.operation.new.method != match.operation.legacy.method:
        request.new_method = match.operation.new.method
        request.by["method"] = RULE.id
    for item in site.query.items:
        found = find_filter(match.operation, item.key)
        if found is None or found.new_query is None:
            continue
        if found.new_query != item.key:
            request.renames[item.key] = found.new_query
            request.by[item.key] = RULE.id
        if found.converter != "same" and item.is_literal:
            from migrate.mapping import filter_query  # the planner: where a filter is sent

            ((_key, converted),) = filter_query(found, [str(item.literal)])
            request.values[item.key] = (py_literal(converted),)
            request.by[item.key] = RULE.id
    constants = planned_constants(match.operation, site)
    for key, value in constants.query:
        request.add_query.append((key, (py_literal(value),)))
        request.by[key] = RULE.id
    for key in constants.silent:
        request.drops.add(key)
        request.by[key] = RULE.id
    for key, value in constants.body:
        request.add_body.append((key, (py_literal(value),)))
        request.by[key] = RULE.id
