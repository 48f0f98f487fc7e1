"""Flow `tag-update`: legacy `PATCH …/tags/{tagId} {displayOrder, hidden}`.

GET the tag, merge, and send a full `PUT /v0/tags/{tagId}` (code and name kept; displayOrder
has no new equivalent); the answer is the legacy tag, its values read back.
"""

from __future__ import annotations

from typing import Any

from migrate.compat.flows._tag_values import answer_with_values, data_of, dimension_order
from migrate.compat.messages import Exchange, FlowContext, NewRequest
from migrate.compat.rewrite import LegacyFault, merged_update_body
from migrate.mapping import LegacyMatch


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    """Legacy tag PATCH {displayOrder, hidden}: GET, merge, full PUT, values read back."""
    operation = match.operation
    group_id = match.path_params.get("tagGroupId", "")
    tag_path = f"/v0/tags/{match.path_params.get('tagId', '')}"
    before = engine.checked_json(operation, (yield NewRequest("GET", tag_path)))
    current = data_of(operation, before, many=False)
    if str(current.get("groupId", "")).lower() != group_id.lower():
        raise LegacyFault(404, f"tag {match.path_params.get('tagId')} is not in group {group_id}")
    merged = merged_update_body(engine.catalogue, operation, before, body)
    answer = yield NewRequest("PUT", tag_path, (), merged)
    tag = data_of(operation, engine.checked_json(operation, answer), many=False)
    order = yield from dimension_order(engine, operation, group_id)
    return (yield from answer_with_values(engine, operation, tag, order))
