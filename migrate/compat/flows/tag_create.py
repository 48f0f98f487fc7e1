"""Flow `tag-create`: a legacy tag create through the group's dimensions.

Legacy `POST /tag-groups/{id}/tags {attributeValues}` names values by attribute id; the new
`POST /v0/tag-groups/{groupId}/tags` takes `code`, `name` and `otherDimensionValues` ordered
by the group's dimensions. The answer is the legacy tag, its values read back.
"""

from __future__ import annotations

from typing import Any

from migrate.compat.flows._tag_values import answer_with_values, data_of, dimension_order
from migrate.compat.messages import Exchange, FlowContext, NewRequest
from migrate.compat.rewrite import LegacyFault, request_body
from migrate.mapping import LegacyMatch


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    """Legacy tag create: values in dimension order, the first value as code and name."""
    operation = match.operation
    group_id = match.path_params.get("tagGroupId", "")
    wanted = request_body(engine.catalogue, operation, body).get("dimensionValues")
    if not isinstance(wanted, list) or not wanted:
        raise LegacyFault(400, f"{operation.id}: attributeValues must be a non-empty list")
    order = yield from dimension_order(engine, operation, group_id)
    by_dimension: dict[str, str] = {}
    for index, item in enumerate(wanted):
        dimension = str(item.get("dimensionId", "")).lower() if isinstance(item, dict) else ""
        if dimension not in order:
            raise LegacyFault(
                400,
                f"attributeValues[{index}].attributeId: {dimension or '?'} is not an attribute "
                f"of tag group {group_id}",
            )
        by_dimension[dimension] = str(item.get("value", ""))
    first = str(wanted[0].get("value", ""))
    ranked = sorted(order, key=order.__getitem__)
    values = [by_dimension.get(d, "") for d in ranked]
    while values and not values[-1]:
        values.pop()  # a value left out stays unset (the new API fills gaps with "")
    new_body = {"code": first, "name": first, "archived": False, "otherDimensionValues": values}
    answer = yield NewRequest("POST", f"/v0/tag-groups/{group_id}/tags", (), new_body)
    tag = data_of(operation, engine.checked_json(operation, answer), many=False)
    return (yield from answer_with_values(engine, operation, tag, order))
