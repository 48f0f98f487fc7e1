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
            "asked for them by id: list every group's id first (include_archived=true), then "
            "fetch them all, with dimensions, in one aggregated call.",
        ),
    )
}
