"""Named multi-call flows: legacy operations that no single new-API call can serve.

The catalogue names a flow (`kind: flow`, `flow: <name>`); this module holds its steps. Each
flow is a generator in the engine's sans-I/O style: it yields new-API requests and returns the
legacy response.
"""

from __future__ import annotations

from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

from migrate.compat.messages import NO_BODY, LegacyResponse, NewRequest, NewResponse
from migrate.compat.rewrite import (
    JSON_HEADERS,
    LegacyFault,
    canonical_records,
    filter_records,
    legacy_body,
    request_body,
)
from migrate.mapping.catalogue import LegacyMatch

if TYPE_CHECKING:
    from migrate.compat.engine import CompatEngine, Exchange

ACTIVE_JOB_STATUSES = ("pending", "in_progress")
ITEM_STATUS = {
    "QUEUED": "pending",
    "EXPORTING": "in_progress",
    "EXPORTED": "successful",
    "NOT_EXPORTED": "failed",
}
FINISHED_ITEMS = ("successful", "failed", "abandoned")
ITEMS_PER_UPDATE = 100  # the export API takes at most 100 items per PUT


def expense_export_status(
    engine: CompatEngine, match: LegacyMatch, body: Any, company: str | None
) -> Exchange:
    """Legacy `PUT /expenses {expenseIds, status}` as an export job.

    Reuse the company's active job when it holds these entries (the new API allows one active
    job per company), else create one; start it; set each item's status in batches of 100; and
    complete the job once none of its items is still pending or in progress.
    """
    operation = match.operation
    if not isinstance(body, dict):
        raise LegacyFault(400, f"{operation.id} needs a JSON object body")
    status = body.get("status")
    if status not in ITEM_STATUS:
        raise LegacyFault(400, f"status must be one of {', '.join(ITEM_STATUS)}, got {status!r}")
    ids = request_body(engine.catalogue, operation, body).get("accountingEntryIds")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise LegacyFault(400, "expenseIds must be a non-empty list of expense ids")
    wanted = list(dict.fromkeys(ids))

    job = yield from _active_job(engine, match, company)
    items: dict[str, str] = {}
    if job is not None:
        items = yield from _job_items(engine, match, job["id"])
        outside = [entry for entry in wanted if entry not in items]
        if outside:
            raise LegacyFault(
                409,
                f"{operation.id}: export job {job['id']} is still open for other expenses; "
                f"the new API allows one open job per company, so {len(outside)} expense(s) "
                "must wait until it completes",
                operation=operation.id,
            )
    else:
        created = engine.checked_json(
            operation,
            (
                yield NewRequest(
                    "POST",
                    "/v3/export-jobs",
                    (),
                    {"companyId": company, "accountingEntryIds": wanted},
                )
            ),
        )
        job = created.get("data") if isinstance(created, dict) else None
        if not isinstance(job, dict) or "id" not in job:
            raise LegacyFault(502, f"{operation.id}: the new API created no export job")
        items = {entry: "pending" for entry in wanted}

    target = ITEM_STATUS[status]
    if target != "pending" and job.get("status") == "pending":
        yield from _event(engine, match, job["id"], "started")
    for start in range(0, len(wanted), ITEMS_PER_UPDATE):
        batch = wanted[start : start + ITEMS_PER_UPDATE]
        update = [{"accountingEntryId": entry, "status": target} for entry in batch]
        result = engine.checked_json(
            operation, (yield NewRequest("PUT", f"/v3/export-jobs/{job['id']}/items", (), update))
        )
        errors = result.get("errors") if isinstance(result, dict) else None
        if errors:
            raise LegacyFault(
                422,
                f"{operation.id}: the new API refused some items: {errors}",
                operation=operation.id,
            )
        items.update({entry: target for entry in batch})
    if all(state in FINISHED_ITEMS for state in items.values()):
        event = "completed" if "failed" not in items.values() else "completed_with_errors"
        yield from _event(engine, match, job["id"], event)
    return LegacyResponse(204, NO_BODY)


def _active_job(
    engine: CompatEngine, match: LegacyMatch, company: str | None
) -> Generator[NewRequest, NewResponse, dict[str, Any] | None]:
    params = (("company_id", str(company)), *(("statuses", s) for s in ACTIVE_JOB_STATUSES))
    body = engine.checked_json(
        match.operation, (yield NewRequest("GET", "/v3/export-jobs", params))
    )
    jobs = body.get("data") if isinstance(body, dict) else None
    if isinstance(jobs, list):
        for job in jobs:
            if isinstance(job, dict) and job.get("status") in ACTIVE_JOB_STATUSES:
                return job
    return None


def _job_items(
    engine: CompatEngine, match: LegacyMatch, job_id: str
) -> Generator[NewRequest, NewResponse, dict[str, str]]:
    items: dict[str, str] = {}
    cursor: str | None = None
    while True:
        params: tuple[tuple[str, str], ...] = (("limit", "1000"),)
        if cursor:
            params += (("after", cursor),)
        body = engine.checked_json(
            match.operation, (yield NewRequest("GET", f"/v3/export-jobs/{job_id}/items", params))
        )
        for item in body.get("data", []) if isinstance(body, dict) else []:
            items[str(item.get("accountingEntryId"))] = str(item.get("status"))
        pagination = body.get("pagination", {}) if isinstance(body, dict) else {}
        cursor = pagination.get("endCursor")
        if not pagination.get("hasNextPage") or not cursor:
            return items


def _event(
    engine: CompatEngine, match: LegacyMatch, job_id: str, event: str
) -> Generator[NewRequest, NewResponse, None]:
    engine.checked_json(
        match.operation,
        (yield NewRequest("POST", "/v3/export-job-events", (), {"jobId": job_id, "event": event})),
    )


def tag_groups_with_dimensions(
    engine: CompatEngine, match: LegacyMatch, body: Any, company: str | None
) -> Exchange:
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
    canonical = filter_records(match, records)
    return LegacyResponse(200, legacy_body(engine.catalogue, operation, canonical), JSON_HEADERS)


Flow = Callable[["CompatEngine", LegacyMatch, Any, "str | None"], "Exchange"]
FLOWS: dict[str, Flow] = {
    "expense-export-status": expense_export_status,
    "tag-groups-with-dimensions": tag_groups_with_dimensions,
}
