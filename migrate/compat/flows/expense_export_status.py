"""Flow `expense-export-status`: the legacy export flag on expenses, as an export job.

Legacy `PUT /expenses {expenseIds, status}` has no single new-API call: the new API tracks
exports as jobs (one open job per company) whose items carry the status.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from migrate.compat.messages import (
    NO_BODY,
    Exchange,
    FlowContext,
    LegacyResponse,
    NewRequest,
    NewResponse,
)
from migrate.compat.rewrite import LegacyFault, request_body
from migrate.mapping import LegacyMatch
from migrate.pleo import CursorPage, EnvelopeError, cursor_params

ACTIVE_JOB_STATUSES = ("pending", "in_progress")
ITEM_STATUS = {
    "QUEUED": "pending",
    "EXPORTING": "in_progress",
    "EXPORTED": "successful",
    "NOT_EXPORTED": "failed",
}
FINISHED_ITEMS = ("successful", "failed", "abandoned")
ITEMS_PER_UPDATE = 100  # the export API takes at most 100 items per PUT
ITEMS_PER_READ = 1000


def run(engine: FlowContext, match: LegacyMatch, body: Any, company: str | None) -> Exchange:
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
    engine: FlowContext, match: LegacyMatch, company: str | None
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
    engine: FlowContext, match: LegacyMatch, job_id: str
) -> Generator[NewRequest, NewResponse, dict[str, str]]:
    items: dict[str, str] = {}
    cursor: str | None = None
    while True:
        params = tuple(cursor_params(ITEMS_PER_READ, cursor).items())
        body = engine.checked_json(
            match.operation, (yield NewRequest("GET", f"/v3/export-jobs/{job_id}/items", params))
        )
        try:
            page = CursorPage.read(body)
        except EnvelopeError as exc:
            raise LegacyFault(502, f"{match.operation.id}: {exc}") from None
        for item in page.data:
            items[str(item.get("accountingEntryId"))] = str(item.get("status"))
        cursor = page.end_cursor
        if not page.has_next or not cursor:
            return items


def _event(
    engine: FlowContext, match: LegacyMatch, job_id: str, event: str
) -> Generator[NewRequest, NewResponse, None]:
    engine.checked_json(
        match.operation,
        (yield NewRequest("POST", "/v3/export-job-events", (), {"jobId": job_id, "event": event})),
    )
