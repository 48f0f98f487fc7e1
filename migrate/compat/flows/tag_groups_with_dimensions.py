"""Flow `tag-groups-with-dimensions`: legacy tag groups (list and get) with their attributes.

The legacy list shows active groups unless `archived=true` (then archived ones only). The
aggregated view (groups with their dimensions) lists archived groups only when asked for them
by id, so the flow lists the groups' ids first (archived ones too only when they were asked
for), then fetches them all, with dimensions, in one call. One group is that one aggregated
call for its id alone (archived or not); an answer without it is the legacy 404.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from migrate.compat.messages import Exchange, FlowContext, NewRequest
from migrate.compat.rewrite import LegacyFault, canonical_records, legacy_body, legacy_success
from migrate.mapping import LegacyMatch, keep_records


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    """Legacy `GET /tag-groups[/{id}]` (with attributes) from the aggregated view."""
    if "tagGroupId" in match.path_params:
        return (yield from _one(engine, match, company))
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
        by_id = _by_id(aggregated)
        records = [by_id[i.lower()] for i in ids if i.lower() in by_id]
    records = canonical_records(engine.catalogue, operation, {"data": records})
    canonical = keep_records(match, records)
    return legacy_success(legacy_body(engine.catalogue, operation, canonical))


def _one(engine: FlowContext, match: LegacyMatch, company: str | None) -> Exchange:
    """Legacy `GET /tag-groups/{id}`: the aggregated view asked for that id alone."""
    operation = match.operation
    assert operation.new is not None
    group_id = match.path_params["tagGroupId"]
    if not _is_uuid(group_id):  # both APIs refuse it; say so before any call
        raise LegacyFault(400, f"tag group id {group_id!r} is not a UUID")
    params = (("company_id", str(company)), ("tag_group_ids", group_id))
    aggregated = engine.checked_json(
        operation, (yield NewRequest("GET", operation.new.path, params))
    )
    group = _by_id(aggregated).get(group_id.lower())
    if group is None:
        raise LegacyFault(404, f"tag group {group_id} not found")
    canonical = canonical_records(engine.catalogue, operation, {"data": group})
    return legacy_success(legacy_body(engine.catalogue, operation, canonical[0]))


def _by_id(aggregated: Any) -> dict[str, Any]:
    """The aggregated answer's groups by lower-case id (ids compare case-insensitively)."""
    found = aggregated.get("data") if isinstance(aggregated, dict) else None
    return {str(g.get("id")).lower(): g for g in found or [] if isinstance(g, dict)}


def _is_uuid(text: str) -> bool:
    try:
        UUID(text)
    except ValueError:
        return False
    return True
