"""Flow `tag-groups-with-dimensions`: legacy tag groups (archived too) with their attributes.

The aggregated view (groups with their dimensions) lists archived groups only when asked for
them by id, so the flow lists every group's id first, then fetches them all in one call.
"""

from __future__ import annotations

from typing import Any

from migrate.compat.messages import Exchange, FlowContext, LegacyResponse, NewRequest
from migrate.compat.rewrite import JSON_HEADERS, LegacyFault, canonical_records, legacy_body
from migrate.mapping import LegacyMatch, keep_records


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    """Legacy `GET /tag-groups` (archived ones too, with attributes) from two new calls."""
    operation = match.operation
    assert operation.new is not None
    listed = engine.checked_json(
        operation,
        (
            yield NewRequest(
                "GET",
                "/v0/tag-groups",
                (("company_id", str(company)), ("include_archived", "true")),
            )
        ),
    )
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
    return LegacyResponse(200, legacy_body(engine.catalogue, operation, canonical), JSON_HEADERS)
