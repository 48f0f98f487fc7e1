"""The parity section: how a shadow run went, per operation and per field, with a few records
shown side by side (disagreements first). Results are streamed; memory stays bounded."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import Any

from migrate.report.sections.values import count, number
from migrate.shadow import OUTCOMES

SAMPLES_PER_OPERATION = 3
_SAMPLE_RANK = {
    "mismatch": 0,
    "missing-in-new": 1,
    "extra-in-new": 2,
    "error": 3,
    "lag": 4,
    "expected": 5,
    "noise": 6,
}
_VERDICTS = ("mismatch", "expected", "noise", "lag")


def parity_section(
    summary: Mapping[str, Any] | None, results: Iterable[Mapping[str, Any]] | None
) -> dict[str, Any] | None:
    if summary is None:
        return None
    samples = _samples(results or ())
    totals = summary["totals"]
    return {
        "run": {
            k: v
            for k, v in summary["run"].items()
            if isinstance(v, str | int | float | bool) or v is None
        },
        "records": count(totals["records"]),
        "parity": number(totals["parity"]),
        "outcomes": {name: count(totals["outcomes"].get(name)) for name in OUTCOMES},
        "operations": [_operation(op, samples) for op in summary["operations"]],
    }


def _operation(
    op: Mapping[str, Any], samples: Mapping[str, list[dict[str, Any]]]
) -> dict[str, Any]:
    """One operation of summary.json (compared or skipped) as the section shows it."""
    fields = op.get("fields") or []
    return {
        "id": str(op["operation"]),
        "status": str(op["status"]),
        "skipped": op.get("skipped"),
        "records": count(op.get("records")),
        "parity": number(op.get("parity")),
        "outcomes": {name: count((op.get("outcomes") or {}).get(name)) for name in OUTCOMES},
        "fields": [
            {
                "field": str(f["field"]),
                "compared": count(f["compared"]),
                "parity": number(f["parity"]),
                **{verdict: count(f[verdict]) for verdict in _VERDICTS},
            }
            for f in fields
        ],
        "tree": _field_tree([str(f["field"]) for f in fields]),
        "samples": samples.get(str(op["operation"]), []),
        "errors": [str(e) for e in op.get("errors") or []][:5],
    }


def _samples(results: Iterable[Mapping[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """A few results per operation to show side by side: disagreements first, each distinct
    defect (outcome and the fields that differ, with their verdicts) once, bounded memory."""
    kept: dict[str, list[tuple[int, str, dict[str, Any]]]] = defaultdict(list)
    for result in results:
        outcome = str(result.get("outcome"))
        if outcome not in _SAMPLE_RANK:
            continue
        key = (_SAMPLE_RANK[outcome], str(result.get("id")))
        bucket = kept[str(result.get("operation"))]
        sample = _sample(result, outcome)
        same = next(
            (i for i, item in enumerate(bucket) if _defect(item[2]) == _defect(sample)), None
        )
        if same is not None:  # this defect is shown already: keep the lowest id, for stability
            if key < bucket[same][:2]:
                bucket[same] = (*key, sample)
                bucket.sort(key=lambda item: item[:2])
            continue
        if len(bucket) >= SAMPLES_PER_OPERATION and key >= bucket[-1][:2]:
            continue
        bucket.append((*key, sample))
        bucket.sort(key=lambda item: item[:2])
        del bucket[SAMPLES_PER_OPERATION:]
    return {op: [item[2] for item in bucket] for op, bucket in kept.items()}


def _defect(sample: Mapping[str, Any]) -> tuple[Any, ...]:
    """What makes two samples show the same thing: outcome, fields and verdicts, the reason."""
    fields = tuple(sorted((d["path"], d["verdict"]) for d in sample["differences"]))
    return (sample["outcome"], fields, str(sample["reason"]), bool(sample["error"]))


def _sample(result: Mapping[str, Any], outcome: str) -> dict[str, Any]:
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
    return {
        "id": result.get("id"),
        "outcome": outcome,
        "differences": differences,
        "error": result.get("error"),
        "reason": result.get("reason"),
    }


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
