"""Names of the multi-call flows that the YAML may reference with `kind: flow`.

A flow is an operation that no single new-API call can serve; its steps live in Python (one
module a flow in `compat/flows/`), and the catalogue only names it, lists the calls it makes,
and why. Tests hold these names and call lists to the implementations.
"""

from __future__ import annotations

from dataclasses import dataclass

from migrate.mapping.model import Endpoint


@dataclass(frozen=True)
class FlowInfo:
    name: str
    calls: tuple[str, ...]  # the new-API calls the flow makes ("METHOD /path"), in order
    summary: str
    # New-side keys the flow adds to each record from its other calls (not in the main
    # endpoint's schema); the spec check looks them up in the call that serves them instead.
    assembles: tuple[str, ...] = ()
    # Whether an operation answering one record (`new: data`) gets it from a list: the flow
    # picks the record out of its main call's `data[]`, so the spec check looks in the items.
    picks_one: bool = False

    @property
    def endpoints(self) -> tuple[Endpoint, ...]:
        """The calls as endpoints (method and path template)."""
        return tuple(Endpoint(*text.split(" ", 1)) for text in self.calls)


FLOWS: dict[str, FlowInfo] = {
    flow.name: flow
    for flow in (
        FlowInfo(
            "expense-export-status",
            (
                "GET /v3/export-jobs",
                "GET /v3/export-jobs/{jobId}/items",
                "POST /v3/export-jobs",
                "POST /v3/export-job-events",
                "PUT /v3/export-jobs/{jobId}/items",
            ),
            "The legacy status flag on expenses becomes an export job: reuse the company's open "
            "job when it holds these entries (read its items) or create one, send `started`, set "
            "each item's status (at most 100 per call), and send `completed` (or "
            "`completed_with_errors`) once no item is pending.",
        ),
        FlowInfo(
            "tag-groups-with-dimensions",
            ("GET /v0/tag-groups", "GET /v0/aggregations/tag-groups"),
            "The aggregated view (groups with their dimensions) lists archived groups only when "
            "asked for them by id: list the groups' ids first (archived ones only when the "
            "legacy call asked for `archived=true`), then fetch them, with dimensions, in one "
            "aggregated call; one group is the aggregated call for its id alone (archived or "
            "not), and an answer without it the legacy 404.",
            picks_one=True,
        ),
        FlowInfo(
            "tag-group-create",
            ("POST /v0/tag-groups", "POST /v0/tag-groups/{groupId}/dimensions"),
            "Create the group (its name sent as the code the new API needs), then one dimension "
            "per legacy tag attribute (code = name, visible); a refused attribute fails the "
            "request by name instead of being dropped.",
            assembles=("dimensions",),
        ),
        FlowInfo(
            "tags-with-values",
            (
                "GET /v0/tag-groups/{groupId}/tags",
                "GET /v0/tags/{tagId}",
                "GET /v0/tag-groups/{groupId}/dimensions",
                "GET /v0/tags/{tagId}/dimensions",
            ),
            "The tags (every page, or the one tag, checked to be in the group), the group's "
            "dimension order, then each tag's dimension values: the legacy attributeValues, "
            "one call per tag.",
            assembles=("dimensionValues",),
        ),
        FlowInfo(
            "tag-create",
            (
                "GET /v0/tag-groups/{groupId}/dimensions",
                "POST /v0/tag-groups/{groupId}/tags",
                "GET /v0/tags/{tagId}/dimensions",
            ),
            "Order the legacy attributeValues by the group's dimensions and send them as "
            "otherDimensionValues, the first value as code and name; answer with the values "
            "read back.",
            assembles=("dimensionValues",),
        ),
        FlowInfo(
            "tag-update",
            (
                "GET /v0/tags/{tagId}",
                "PUT /v0/tags/{tagId}",
                "GET /v0/tag-groups/{groupId}/dimensions",
                "GET /v0/tags/{tagId}/dimensions",
            ),
            "Legacy PATCH {displayOrder, hidden}: read the tag, keep its code and name, PUT it "
            "with archived = hidden (displayOrder has no new equivalent), answer with its values.",
            assembles=("dimensionValues",),
        ),
    )
}
