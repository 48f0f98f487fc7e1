"""Plain-data views of the catalogue (JSON types only), for `--output-format json` and reports."""

from __future__ import annotations

from typing import Any

from migrate.mapping.catalogue import Catalogue
from migrate.mapping.flow_names import FLOWS
from migrate.mapping.model import Bodies, Operation


def catalogue_summary(catalogue: Catalogue) -> dict[str, Any]:
    resources: list[dict[str, Any]] = []
    for summary in catalogue.summaries():
        resources.append(
            {
                "resource": summary.resource,
                "mapped": summary.mapped,
                "lossy": summary.lossy,
                "gaps": summary.gaps,
                "scopes": list(summary.scopes),
                "operations": [
                    operation_brief(catalogue, catalogue.get(op_id)) for op_id in summary.operations
                ],
            }
        )
    mapped = sum(r["mapped"] for r in resources)
    return {
        "source": str(catalogue.source),
        "totals": {
            "operations": len(catalogue),
            "mapped": mapped,
            "lossy": sum(r["lossy"] for r in resources),
            "gaps": sum(r["gaps"] for r in resources),
            "documented": sum(op.evidence == "documented" for op in catalogue),
            "inferred": sum(op.evidence == "inferred" for op in catalogue),
        },
        "resources": resources,
        "assumptions": [
            {"id": a.id, "value": a.value, "says": a.statement, "where": str(a.where)}
            for a in catalogue.assumptions.values()
        ],
    }


def operation_brief(catalogue: Catalogue, operation: Operation) -> dict[str, Any]:
    return {
        "id": operation.id,
        "kind": operation.kind,
        "legacy": str(operation.legacy),
        "new": str(operation.new) if operation.new else None,
        "scopes": list(operation.scopes),
        "lossy": catalogue.is_lossy(operation),
        "gap": operation.gap,
        "evidence": operation.evidence,
    }


def operation_detail(catalogue: Catalogue, operation: Operation) -> dict[str, Any]:
    detail = operation_brief(catalogue, operation)
    detail.update(
        {
            "summary": operation.summary,
            "resource": operation.resource,
            "company": str(operation.company) if operation.company else "none",
            "paging": operation.paging,
            "new_limit_max": operation.new_limit_max,
            "path_params": dict(operation.path_params),
            "response": _envelopes(operation.response),
            "request": _envelopes(operation.request),
            "model": operation.model,
            "request_model": operation.request_model,
            "fields": _fields(catalogue, operation.model),
            "request_fields": _fields(catalogue, operation.request_model)
            if operation.request_model != operation.model
            else None,
            "filters": [
                {
                    "legacy": f.legacy,
                    "query": f.new_query,
                    "body": f.new_body,
                    "convert": f.converter,
                    "default": f.default,
                    "omit_when": f.omit_when,
                    "loss": f.loss,
                }
                for f in operation.filters
            ],
            "search_body": dict(operation.search_body),
            "list_default_body": dict(operation.list_default_body),
            "flow": _flow(operation.flow),
            "alternative": operation.alternative,
            "losses": [
                {"field": loss.field or None, "reason": loss.reason}
                for loss in catalogue.losses(operation)
            ],
            "docs": operation.docs,
            "examples": [e.name for e in operation.examples],
            "where": str(operation.where),
        }
    )
    return detail


def _envelopes(pair: Bodies | None) -> dict[str, str] | None:
    return None if pair is None else {"legacy": pair.legacy.spec, "new": pair.new.spec}


def _flow(name: str | None) -> dict[str, Any] | None:
    if name is None:
        return None
    info = FLOWS[name]
    return {"name": info.name, "calls": list(info.calls), "summary": info.summary}


def _fields(catalogue: Catalogue, model: str | None) -> list[dict[str, Any]]:
    if model is None:
        return []
    return [
        {
            "field": item.path,
            "legacy": item.field.legacy,
            "new": item.field.new,
            "convert": item.field.converter
            + (f":{item.field.options['table'].name}" if "table" in item.field.options else ""),
            "loss": item.field.loss,
        }
        for item in catalogue.fields(model)
    ]
