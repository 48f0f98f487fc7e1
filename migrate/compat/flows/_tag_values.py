"""Steps the tag flows share: a group's dimension order and a tag's dimension values.

A legacy tag carries `attributeValues[{attributeId, value}]`; the new tag does not. Its values
live at `GET /v0/tags/{tagId}/dimensions`, and their order is the group's dimension order
(`GET /v0/tag-groups/{groupId}/dimensions`, by `displayOrder`). The flows attach the values to
each new tag record as `dimensionValues`, which the catalogue's `Tag` model maps to
`attributeValues`.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from migrate.compat.messages import FlowContext, LegacyResponse, NewRequest, NewResponse
from migrate.compat.rewrite import LegacyFault, canonical_records, legacy_body, legacy_success
from migrate.mapping import Operation

VALUES_KEY = "dimensionValues"  # where the flows put a tag's values in its new record



def data_of(operation: Operation, body: Any, *, many: bool) -> Any:
    """The `data` of a new-API answer; a list or an object as asked, else a legacy 502."""
    found = body.get("data") if isinstance(body, dict) else None
    if (many and not isinstance(found, list)) or (not many and not isinstance(found, dict)):
        raise LegacyFault(
            502, f"{operation.id}: the new API sent no `data` {'list' if many else 'object'}"
        )
    return found


def dimension_order(
    engine: FlowContext, operation: Operation, group_id: str
) -> Generator[NewRequest, NewResponse, dict[str, int]]:
    """The group's dimension ids → their position (by displayOrder, then as listed)."""
    answer = yield NewRequest("GET", f"/v0/tag-groups/{group_id}/dimensions")
    dimensions = data_of(operation, engine.checked_json(operation, answer), many=True)
    ranked = sorted(
        enumerate(d for d in dimensions if isinstance(d, dict)),
        key=lambda pair: (_number(pair[1].get("displayOrder")), pair[0]),
    )
    return {str(d.get("id")): rank for rank, (_, d) in enumerate(ranked)}


def tag_values(
    engine: FlowContext, operation: Operation, tag_id: str, order: dict[str, int]
) -> Generator[NewRequest, NewResponse, list[dict[str, Any]]]:
    """One tag's non-empty dimension values, in the group's dimension order."""
    answer = yield NewRequest("GET", f"/v0/tags/{tag_id}/dimensions")
    values = data_of(operation, engine.checked_json(operation, answer), many=True)
    kept = [v for v in values if isinstance(v, dict) and v.get("value") not in (None, "")]
    last = len(order)
    return sorted(kept, key=lambda v: order.get(str(v.get("dimensionId")), last))


def with_values(
    engine: FlowContext, operation: Operation, tags: list[Any], order: dict[str, int]
) -> Generator[NewRequest, NewResponse, list[dict[str, Any]]]:
    """The new tag records, each with its `dimensionValues` attached (one call per tag)."""
    records = []
    for tag in tags:
        if not isinstance(tag, dict):
            continue
        values = yield from tag_values(engine, operation, str(tag.get("id")), order)
        records.append({**tag, VALUES_KEY: values})
    return records


def _number(value: Any) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def answer_with_values(
    engine: FlowContext, operation: Operation, tag: dict[str, Any], order: dict[str, int]
) -> Generator[NewRequest, NewResponse, LegacyResponse]:
    """The legacy answer for one written tag: the tag with its values read back."""
    records = yield from with_values(engine, operation, [tag], order)
    canonical = canonical_records(engine.catalogue, operation, {"data": records[0]})
    return legacy_success(legacy_body(engine.catalogue, operation, canonical[0]))
