"""Flow `tags-with-values`: legacy tags (list and get) with their attribute values.

The new tag has no attribute values, so each tag's values are read from its dimensions and
ordered by the group's dimensions (`tag_values.py`). The list follows the legacy default:
active tags only unless `hidden=true` (then hidden ones only).
"""

from __future__ import annotations

from typing import Any

from migrate.compat.flows._tag_values import data_of, dimension_order, with_values
from migrate.compat.messages import Exchange, FlowContext
from migrate.compat.rewrite import (
    LegacyFault,
    canonical_records,
    legacy_body,
    legacy_success,
    plan,
)
from migrate.mapping import LegacyMatch, keep_records
from migrate.pleo import CursorPage, EnvelopeError, cursor_params

MAX_PAGES = 10_000


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    """Legacy `GET /tag-groups/{id}/tags[/{tagId}]`: the tags, then each tag's values."""
    operation = match.operation
    group_id = match.path_params.get("tagGroupId", "")
    if "tagId" in match.path_params:
        planned = plan(engine.catalogue, match, body, company)
        tag = data_of(operation, engine.checked_json(operation, (yield planned.call)), many=False)
        if str(tag.get("groupId", "")).lower() != group_id.lower():
            raise LegacyFault(404, f"tag {match.path_params['tagId']} is not in group {group_id}")
        tags: list[Any] = [tag]
    else:
        planned = plan(engine.catalogue, match, body, company)
        tags = []
        cursor: str | None = None
        for _ in range(MAX_PAGES):
            call = planned.call.with_params(cursor_params(planned.limit_max, cursor))
            try:
                page = CursorPage.read(engine.checked_json(operation, (yield call)))
            except EnvelopeError as exc:
                raise LegacyFault(502, f"{operation.id}: {exc}") from None
            tags.extend(page.data)
            cursor = page.end_cursor
            if not page.has_next or not page.data or not cursor:
                break
    order = yield from dimension_order(engine, operation, group_id)
    records = yield from with_values(engine, operation, tags, order)
    if "tagId" in match.path_params:
        one = canonical_records(engine.catalogue, operation, {"data": records[0]})
        return legacy_success(legacy_body(engine.catalogue, operation, one[0]))
    canonical = canonical_records(engine.catalogue, operation, {"data": records})
    shown = legacy_body(engine.catalogue, operation, keep_records(match, canonical))
    return legacy_success(shown)
