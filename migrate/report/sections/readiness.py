"""The readiness section: for every operation in use, ready, needs work or blocked, and why.

An operation is in use when the code calls it (scan) or, without a scan, when the parity run
compared it. It is blocked by a gap or when every request of it failed in the parity run; it
needs work when a call site is manual, records differ, requests failed or a read was never
compared (with or without a parity run). Without a scan the code is unknown, and it says so.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from migrate.mapping import Catalogue, Operation
from migrate.report.sections.next_steps import plural

FAILING = ("mismatch", "missing-in-new", "extra-in-new")
DYNAMIC = "dynamic path"
_ORDER = {"blocked": 0, "needs work": 1, "ready": 2}


def readiness_section(
    catalogue: Catalogue,
    sites: list[dict[str, Any]],
    parity: dict[str, Any] | None,
    have_scan: bool,
) -> dict[str, Any]:
    parity_ops = {op["id"]: op for op in (parity or {}).get("operations", [])}
    by_op = _operations_in_use(sites, parity_ops, have_scan)
    by_id = {operation.id: operation for operation in catalogue}
    for op_id, item in by_op.items():
        _judge(item, by_id.get(op_id), parity_ops.get(op_id), parity is not None)
    operations = sorted(by_op.values(), key=lambda i: (_ORDER[i["status"]], i["id"]))
    totals = _totals(operations, parity)
    totals["code_known"] = have_scan
    if not have_scan and operations:
        totals["status_note"] = "the code is unknown: no scan was given"
    return totals


def _entry(op_id: str) -> dict[str, Any]:
    return {
        "id": op_id,
        "call_sites": 0,
        "automatic": 0,
        "manual": 0,
        "gap": False,
        "parity": None,
        "status": "ready",
        "reasons": [],
    }


def _operations_in_use(
    sites: list[dict[str, Any]], parity_ops: Mapping[str, dict[str, Any]], have_scan: bool
) -> dict[str, dict[str, Any]]:
    by_op: dict[str, dict[str, Any]] = {}
    for site in sites:
        op_id = site["operation"] or DYNAMIC
        item = by_op.setdefault(op_id, _entry(op_id))
        item["call_sites"] += 1
        item["automatic" if site["automatic"] else "manual"] += 1
    if not have_scan:  # without the code, the operations that were compared are the ones in use
        for op_id, shadow in parity_ops.items():
            if not shadow["skipped"]:
                by_op.setdefault(op_id, _entry(op_id))
    return by_op


def _judge(
    item: dict[str, Any],
    operation: Operation | None,
    shadow: Mapping[str, Any] | None,
    have_parity: bool,
) -> None:
    """Fill in one operation's gap, parity, reasons and status."""
    reasons: list[str] = item["reasons"]
    if operation is not None and not operation.mapped:
        item["gap"] = True
        reasons.append(f"no new-API equivalent: {operation.gap}")
    elif operation is None:
        reasons.append("the call's path is chosen at run time; review it by hand")
    if item["manual"]:
        needs = "needs" if item["manual"] == 1 else "need"
        reasons.append(f"{plural(item['manual'], 'call site')} {needs} a manual change")
    if shadow is not None and shadow["records"]:
        item["parity"] = shadow["parity"]
        failing = sum(shadow["outcomes"][name] for name in FAILING)
        if failing:
            differ = "differs" if failing == 1 else "differ"
            reasons.append(f"{plural(failing, 'record')} {differ} between the APIs")
        if shadow["outcomes"]["error"]:
            errors = shadow["outcomes"]["error"]
            reasons.append(f"{plural(errors, 'request')} failed in the parity run")
    elif operation is not None and operation.mapped and operation.is_read:
        # never compared is never ready: without a parity run nothing vouches for the data
        reasons.append("not compared in the parity run" if have_parity else "not compared yet")
    all_failed = (
        shadow is not None
        and shadow["records"]
        and shadow["outcomes"]["error"] == shadow["records"]
    )
    if item["gap"] or all_failed:
        item["status"] = "blocked"
    elif reasons:
        item["status"] = "needs work"


def _totals(operations: list[dict[str, Any]], parity: dict[str, Any] | None) -> dict[str, Any]:
    statuses = Counter(item["status"] for item in operations)
    overall_status = (
        "blocked" if statuses["blocked"] else "needs work" if statuses["needs work"] else "ready"
    )
    call_sites = sum(i["call_sites"] for i in operations)
    automatic = sum(i["automatic"] for i in operations)
    return {
        "status": overall_status if operations else "unknown",
        "operations_total": len(operations),
        "operations_ready": statuses["ready"],
        "operations_needing_work": statuses["needs work"],
        "operations_blocked": statuses["blocked"],
        "call_sites": call_sites,
        "automatic": automatic,
        "manual": call_sites - automatic,
        "gaps": sum(1 for i in operations if i["gap"]),
        "parity": (parity or {}).get("parity"),
        "done_percent": round(100.0 * statuses["ready"] / len(operations), 1)
        if operations
        else None,
        "operations": operations,
    }
