"""All of the report's logic: what the code uses, what maps, what is missing, which scopes,
how the parity run went, how far from done. The result is plain data (report.json); the HTML
is rendered from exactly this data plus chart geometry computed here.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from migrate import __version__
from migrate.mapping.catalogue import Catalogue
from migrate.shadow.classify import OUTCOMES

SCHEMA_VERSION = 1
FAILING = ("mismatch", "missing-in-new", "extra-in-new")
SAMPLES_PER_OPERATION = 3
REDACTED = "[redacted]"
_SECRET_KEY = re.compile(
    r"(token|secret|password|passwd|api[_-]?key|authori[sz]ation|cookie)", re.IGNORECASE
)
_SECRET_TEXT = [
    re.compile(r"\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}"),
    re.compile(r"\bsim_(?:legacy|key|oauth)_[A-Za-z0-9_-]+"),
]


# --- code (scan) ------------------------------------------------------------------------------


def _sites(scan: Mapping[str, Any] | None) -> list[dict[str, Any]]:
    """Call sites of a `pleo-migrate scan -o json` document, as the report shows them."""
    if not scan:
        return []
    raw = scan.get("call_sites") or []
    sites = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict):
            continue
        reasons = [r for r in item.get("reasons") or [] if isinstance(r, dict)]
        automatic = bool(item.get("automatic"))
        if automatic:
            change = f"becomes {item['new']}" if item.get("new") else None
        else:
            change = "; ".join(f"TODO: {r.get('message', '')}" for r in reasons) or None
        sites.append(
            {
                "file": str(item.get("path") or "?"),
                "line": _int(item.get("line")),
                "col": _int(item.get("col")),
                "operation": item.get("operation") or None,
                "method": item.get("method"),
                "url": item.get("url"),
                "automatic": automatic,
                "rule": ", ".join(
                    dict.fromkeys(str(r.get("rule")) for r in reasons if r.get("rule"))
                )
                or None,
                "change": change,
                "scopes": [str(s) for s in item.get("scopes") or []],
            }
        )
    return sorted(sites, key=lambda s: (s["file"], s["line"], s["col"]))


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _code_section(scan: Mapping[str, Any] | None, sites: list[dict[str, Any]]) -> dict[str, Any]:
    files: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for site in sites:
        files[site["file"]].append(site)
    credentials = []
    for item in (scan or {}).get("credentials") or []:
        if isinstance(item, dict):
            credentials.append(
                {
                    "file": str(item.get("file") or item.get("path") or "?"),
                    "line": _int(item.get("line")),
                    "kind": str(item.get("kind") or item.get("name") or "credential"),
                }
            )
    return {
        "files": [{"path": path, "sites": items} for path, items in sorted(files.items())],
        "credentials": credentials,
        "call_sites": len(sites),
        "automatic": sum(1 for s in sites if s["automatic"]),
        "manual": sum(1 for s in sites if not s["automatic"]),
    }


# --- coverage and scopes ----------------------------------------------------------------------


def _coverage(catalogue: Catalogue) -> list[dict[str, Any]]:
    rows = []
    for op in catalogue:
        rows.append(
            {
                "id": op.id,
                "resource": op.resource,
                "kind": op.kind,
                "legacy": str(op.legacy),
                "new": str(op.new) if op.new else None,
                "scopes": list(op.scopes),
                "losses": [
                    {"field": loss.field or None, "reason": loss.reason}
                    for loss in catalogue.losses(op)
                ],
                "gap": op.gap,
                "alternative": op.alternative,
                "docs": op.docs,
            }
        )
    return rows


def _scopes(catalogue: Catalogue, used: Iterable[str] | None) -> dict[str, Any]:
    """The minimum scope set: every scope an operation in use needs (all, without a scan)."""
    used_ids = set(used) if used is not None else {op.id for op in catalogue if op.mapped}
    needs: dict[str, list[str]] = defaultdict(list)
    for op in catalogue:
        if op.id in used_ids:
            for scope in op.scopes:
                needs[scope].append(op.id)
    return {
        "basis": "code" if used is not None else "catalogue",
        "scopes": [
            {"scope": scope, "operations": sorted(ops)} for scope, ops in sorted(needs.items())
        ],
    }


# --- parity (shadow) --------------------------------------------------------------------------


def _parity_section(
    summary: Mapping[str, Any] | None, results: Iterable[Mapping[str, Any]] | None
) -> dict[str, Any] | None:
    if summary is None:
        return None
    samples = _samples(results or ())
    operations = []
    for op in summary.get("operations") or []:
        if not isinstance(op, dict) or "operation" not in op:
            continue
        outcomes = {name: _int((op.get("outcomes") or {}).get(name)) for name in OUTCOMES}
        fields = [f for f in op.get("fields") or [] if isinstance(f, dict) and "field" in f]
        operations.append(
            {
                "id": str(op["operation"]),
                "status": str(op.get("status", "")),
                "skipped": op.get("skipped"),
                "records": _int(op.get("records")),
                "parity": _number(op.get("parity")),
                "outcomes": outcomes,
                "fields": [
                    {
                        "field": str(f["field"]),
                        "compared": _int(f.get("compared")),
                        "parity": _number(f.get("parity")),
                        **{
                            verdict: _int(f.get(verdict))
                            for verdict in ("mismatch", "expected", "noise", "lag")
                        },
                    }
                    for f in fields
                ],
                "tree": _field_tree([str(f["field"]) for f in fields]),
                "samples": samples.get(str(op["operation"]), []),
                "errors": [str(e) for e in op.get("errors") or []][:5],
            }
        )
    totals = summary.get("totals") or {}
    return {
        "run": {
            k: v
            for k, v in (summary.get("run") or {}).items()
            if isinstance(v, str | int | float | bool) or v is None
        },
        "records": _int(totals.get("records")),
        "parity": _number(totals.get("parity")),
        "outcomes": {name: _int((totals.get("outcomes") or {}).get(name)) for name in OUTCOMES},
        "operations": operations,
    }


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _samples(results: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A few results per operation to show side by side: disagreements first, bounded memory."""
    rank = {
        "mismatch": 0,
        "missing-in-new": 1,
        "extra-in-new": 2,
        "error": 3,
        "lag": 4,
        "expected": 5,
        "noise": 6,
    }
    kept: dict[str, list[tuple[int, str, dict[str, Any]]]] = defaultdict(list)
    for result in results:
        outcome = str(result.get("outcome"))
        if outcome not in rank:
            continue
        key = (rank[outcome], str(result.get("id")))
        bucket = kept[str(result.get("operation"))]
        if len(bucket) >= SAMPLES_PER_OPERATION and key >= bucket[-1][:2]:
            continue
        differences = [
            {
                "path": str(d.get("path", "")),
                "verdict": str(d.get("verdict", "")),
                "legacy": d.get("legacy"),
                "new": d.get("new"),
                "reason": d.get("reason"),
            }
            for d in (result.get("differences") or [])[:20]
            if isinstance(d, dict)
        ]
        sample = {
            "id": result.get("id"),
            "outcome": outcome,
            "differences": differences,
            "error": result.get("error"),
            "reason": result.get("reason"),
        }
        bucket.append((*key, sample))
        bucket.sort(key=lambda item: item[:2])
        del bucket[SAMPLES_PER_OPERATION:]
    return {op: [item[2] for item in bucket] for op, bucket in kept.items()}


def _field_tree(paths: list[str]) -> list[dict[str, Any]]:
    """Field paths (`lines[].tagIds[].id`) as a nested tree, for the parity section."""
    root: dict[str, Any] = {}
    for path in paths:
        node = root
        for part in path.replace("[]", "").split("."):
            node = node.setdefault(part, {})

    def to_list(node: dict[str, Any], prefix: str) -> list[dict[str, Any]]:
        return [
            {"name": name, "path": prefix + name, "children": to_list(child, prefix + name + ".")}
            for name, child in sorted(node.items())
        ]

    return to_list(root, "")


# --- readiness --------------------------------------------------------------------------------


def _readiness(
    catalogue: Catalogue,
    sites: list[dict[str, Any]],
    parity: dict[str, Any] | None,
    have_scan: bool,
) -> dict[str, Any]:
    by_op: dict[str, dict[str, Any]] = {}
    by_id = {operation.id: operation for operation in catalogue}

    def entry(op_id: str) -> dict[str, Any]:
        if op_id not in by_op:
            by_op[op_id] = {
                "id": op_id,
                "call_sites": 0,
                "automatic": 0,
                "manual": 0,
                "gap": False,
                "parity": None,
                "status": "ready",
                "reasons": [],
            }
        return by_op[op_id]

    for site in sites:
        item = entry(site["operation"] or "dynamic path")
        item["call_sites"] += 1
        item["automatic" if site["automatic"] else "manual"] += 1
    parity_ops = {op["id"]: op for op in (parity or {}).get("operations", [])}
    if not have_scan:  # without the code, the operations that were compared are the ones in use
        for op_id, shadow in parity_ops.items():
            if not shadow["skipped"]:
                entry(op_id)
    for op_id, item in by_op.items():
        operation = by_id.get(op_id)
        reasons: list[str] = item["reasons"]
        if operation is not None and not operation.mapped:
            item["gap"] = True
            reasons.append(f"no new-API equivalent: {operation.gap}")
        elif operation is None:
            reasons.append("the call's path is chosen at run time; review it by hand")
        if item["manual"]:
            reasons.append(f"{item['manual']} call site(s) need a manual change")
        shadow = parity_ops.get(op_id)
        if shadow is not None and shadow["records"]:
            item["parity"] = shadow["parity"]
            failing = sum(shadow["outcomes"][name] for name in FAILING)
            if failing:
                reasons.append(f"{failing} record(s) differ between the APIs")
            if shadow["outcomes"]["error"]:
                reasons.append(f"{shadow['outcomes']['error']} request(s) failed in the parity run")
        elif (
            parity is not None and operation is not None and operation.mapped and operation.is_read
        ):
            reasons.append("not compared in the parity run")
        if item["gap"] or (
            shadow is not None
            and shadow["records"]
            and shadow["outcomes"]["error"] == shadow["records"]
        ):
            item["status"] = "blocked"
        elif reasons:
            item["status"] = "needs work"
    operations = sorted(
        by_op.values(),
        key=lambda i: ({"blocked": 0, "needs work": 1, "ready": 2}[i["status"]], i["id"]),
    )
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


# --- timeline ---------------------------------------------------------------------------------


def _timeline(settings: Mapping[str, Any], today: date) -> dict[str, Any]:
    events = []
    for name, value in settings.items():
        try:
            when = date.fromisoformat(str(value))
        except ValueError:
            continue
        events.append(
            {
                "name": name.replace("-", " ").replace("_", " "),
                "date": when.isoformat(),
                "days_left": (when - today).days,
            }
        )
    events.sort(key=lambda e: str(e["date"]))
    return {"today": today.isoformat(), "events": events}


# --- secrets ----------------------------------------------------------------------------------


def scrub(value: Any, secrets: Iterable[str], key: str = "") -> Any:
    """The data with secrets taken out: by field name, by known value and by shape."""
    known = [s for s in secrets if s and len(s) >= 6]
    return _scrub(value, known, key)


def _scrub(value: Any, known: list[str], key: str) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, known, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, known, key) for v in value]
    if isinstance(value, str):
        if key and _SECRET_KEY.search(key) and value:
            return REDACTED
        for secret in known:
            value = value.replace(secret, REDACTED)
        for pattern in _SECRET_TEXT:
            value = pattern.sub(REDACTED, value)
        return value
    return value


# --- the whole report -------------------------------------------------------------------------


def build_report(
    catalogue: Catalogue,
    *,
    scan: Mapping[str, Any] | None,
    shadow_summary: Mapping[str, Any] | None,
    shadow_results: Iterable[Mapping[str, Any]] | None,
    timeline: Mapping[str, Any],
    secrets: Iterable[str],
    today: date,
    generated_at: str,
    sources: Mapping[str, str | None],
) -> dict[str, Any]:
    """report.json: every section as plain data, secrets scrubbed."""
    sites = _sites(scan)
    parity = _parity_section(shadow_summary, shadow_results)
    used = sorted({s["operation"] for s in sites if s["operation"]}) if scan is not None else None
    data = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "pleo-migrate", "version": __version__},
        "generated_at": generated_at,
        "sources": dict(sources),
        "readiness": _readiness(catalogue, sites, parity, scan is not None),
        "coverage": _coverage(catalogue),
        "scopes": _scopes(catalogue, used),
        "code": _code_section(scan, sites) if scan is not None else None,
        "parity": parity,
        "timeline": _timeline(timeline, today),
    }
    return dict(scrub(data, secrets))


# --- what only the HTML needs ----------------------------------------------------------------


def chart_rows(report: Mapping[str, Any], width: int = 320) -> dict[str, Any]:
    """Bar geometry for the inline SVG charts (pixels), derived from the report data."""
    readiness = []
    for item in report["readiness"]["operations"]:
        total = max(item["call_sites"], 1)
        parts, x = [], 0.0
        for name in ("automatic", "manual"):
            w = width * item[name] / total
            parts.append(
                {"class": name, "x": round(x, 1), "width": round(w, 1), "count": item[name]}
            )
            x += w
        readiness.append({"id": item["id"], "parts": parts})
    parity = []
    for op in (report.get("parity") or {}).get("operations", []):
        if op["skipped"] or not op["records"]:
            continue
        total = op["records"]
        parts, x = [], 0.0
        for name in OUTCOMES:
            count = op["outcomes"][name]
            if count:
                w = width * count / total
                parts.append(
                    {"class": name, "x": round(x, 1), "width": round(w, 1), "count": count}
                )
                x += w
        parity.append({"id": op["id"], "parts": parts})
    return {"width": width, "readiness": readiness, "parity": parity}
