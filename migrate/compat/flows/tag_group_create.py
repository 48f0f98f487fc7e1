"""Flow `tag-group-create`: a legacy tag group with its attributes, as a group and dimensions.

Legacy `POST /tag-groups {name, tagAttributes[{name, displayOrder}]}` creates the group and
its columns at once; the new API creates the group (`POST /v0/tag-groups`, which needs a code:
the name is sent) and then one dimension per attribute, in the legacy displayOrder
(`POST /v0/tag-groups/{groupId}/dimensions`, code = name, visible). No attribute is dropped: a
dimension the new API refuses fails the request, naming the attribute.
"""

from __future__ import annotations

from typing import Any

from migrate.compat.flows._tag_values import data_of
from migrate.compat.messages import Exchange, FlowContext, NewRequest
from migrate.compat.rewrite import (
    LegacyFault,
    canonical_records,
    legacy_body,
    legacy_success,
    plan,
    request_body,
)
from migrate.mapping import LegacyMatch


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
    operation = match.operation
    converted = request_body(engine.catalogue, operation, body)
    attributes = converted.pop("dimensions", None)
    if not isinstance(attributes, list):
        raise LegacyFault(400, f"{operation.id}: tagAttributes must be a list")
    planned = plan(engine.catalogue, match, body, company)
    group_call = NewRequest(planned.call.method, planned.call.path, planned.call.params, converted)
    group = data_of(operation, engine.checked_json(operation, (yield group_call)), many=False)
    dimensions = []
    # The new API places each dimension after the last (it ignores displayOrder on create), so
    # the columns are posted in the legacy displayOrder (stable; attributes without one last).
    for index, attribute in sorted(enumerate(attributes), key=_display_position):
        name = str(attribute.get("name", "")) if isinstance(attribute, dict) else ""
        spec: dict[str, Any] = {"code": name, "name": name, "visible": True}
        if isinstance(attribute, dict) and attribute.get("displayOrder") is not None:
            spec["displayOrder"] = attribute["displayOrder"]
        answer = yield NewRequest("POST", f"/v0/tag-groups/{group['id']}/dimensions", (), spec)
        if answer.status >= 300:
            raise LegacyFault(
                502 if answer.status >= 500 else 400,
                f"{operation.id}: tag group {group['id']} was created, but the new API refused "
                f"tagAttributes[{index}] ({name!r}) with {answer.status}; add it with POST "
                f"/v0/tag-groups/{group['id']}/dimensions or delete the group and retry",
                operation=operation.id,
            )
        dimensions.append(data_of(operation, engine.checked_json(operation, answer), many=False))
    record = {**group, "dimensions": dimensions}
    canonical = canonical_records(engine.catalogue, operation, {"data": record})
    return legacy_success(legacy_body(engine.catalogue, operation, canonical[0]))


def _display_position(item: tuple[int, Any]) -> tuple[bool, float, int]:
    index, attribute = item
    order = attribute.get("displayOrder") if isinstance(attribute, dict) else None
    if isinstance(order, bool) or not isinstance(order, int | float):
        return (True, 0.0, index)
    return (False, float(order), index)
