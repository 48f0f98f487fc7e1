"""Flow `tag-groups-with-dimensions`: legacy tag groups with their attributes.

The legacy list shows active groups unless `archived=true` (then archived ones only). The
aggregated view (groups with their dimensions) lists archived groups only when asked for them
by id, so the flow lists the groups' ids first (archived ones too only when they were asked
for), then fetches them all, with dimensions, in one call.
"""

from __future__ import annotations

from typing import Any

from migrate.compat.messages import Exchange, FlowContext, NewRequest
from migrate.compat.rewrite import LegacyFault, canonical_records, legacy_body, legacy_success
from migrate.mapping import LegacyMatch, keep_records


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    """Legacy `GET /tag-groups` (with attributes) from two new calls."""
    operation = match.operation
    assert operation.new is not None
    query: tuple[tuple[str, str], ...] = (("company_id", str(company)),)
    if any(name == "archived" and value.lower() == "true" for name, value in match.query):
        query += (("include_archived", "true"),)
    listed = engine.checked_json(operation, (yield NewRequest("GET", "/v0/tag-groups", query)))
    groups = listed.get("data") if isinstance(listed, dict) else None
    if not isinstance(groups, list):
        raise LegacyFault(502, f"{operation.id}: the new API sent no list of tag groups")
    ids = [str(g.get("id")) for g in groups]
    records: list[Any] = []
    if ids:
        params = (("company_id", str(company)), *(("tag_group_ids", i) for i in ids))
        aggregated = engine.checked_json(
            operation, (yield NewRequest("GET", operation.new.path, params))
        )
        found = aggregated.get("data") if isinstance(aggregated, dict) else None
        by_id = {str(g.get("id")): g for g in found or [] if isinstance(g, dict)}
        records = [by_id[i] for i in ids if i in by_id]
    records = canonical_records(engine.catalogue, operation, {"data": records})
    canonical = keep_records(match, records)
    return legacy_success(legacy_body(engine.catalogue, operation, canonical))
