"""Property-based requests over the specs' request schemas: no 5xx, and spec-valid answers.

Bodies and query parameters are drawn from each operation's published schemas (a small
JSON-Schema-to-hypothesis translator below: hypothesis-jsonschema does not work with current
hypothesis), mixed with arbitrary JSON; path ids are real seeded ids or random ones. Bounded so
the run takes seconds.
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from migrate.simulator import NEW_OPERATIONS, Simulator, SimulatorConfig, build_simulator
from migrate.simulator.testing import basic

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

SETTINGS = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=list(HealthCheck))


# Mostly-valid values for paging parameters, so most draws get past validation.
QUERY_HINTS: dict[str, st.SearchStrategy[Any]] = {
    "limit": st.integers(1, 100),
    "offset": st.integers(0, 60),
    "sorting_keys": st.lists(st.sampled_from(["id", "performedAt", "settledAt"]), max_size=2),
}


@pytest.fixture(scope="module")
def property_sim() -> Simulator:
    sim = build_simulator(SimulatorConfig())
    first = sim.store.first_company().id
    entries = [e.id for e in sim.store.expenses.rows([first])[:3]]
    sim.store.create_export_job(first, entries, created_by=None, interactive=True,
                                vendor_based=False)
    return sim


@pytest.fixture(scope="module")
def client(property_sim: Simulator) -> Any:
    with TestClient(property_sim.new_app, headers=basic(property_sim.startup.api_key.secret),
                    raise_server_exceptions=False) as test_client:
        yield test_client


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10, 10**6) | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                max_size=3),
    max_leaves=6,
)


def from_schema(
    schema: Any, names: dict[str, st.SearchStrategy[Any]] | None = None
) -> st.SearchStrategy[Any]:
    """Valid instances of the subset of JSON Schema the specs use; `names` overrides the
    strategy of object properties by name (so bodies can name real companies and entries)."""
    names = names or {}
    if not isinstance(schema, dict) or not schema:
        return JSON
    if "allOf" in schema:
        merged: dict[str, Any] = {k: v for k, v in schema.items() if k != "allOf"}
        for part in schema["allOf"]:
            merged.update(part)
        return from_schema(merged, names)
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return st.one_of([from_schema({**schema, "type": kind}, names) for kind in kinds])
    if kinds == "null":
        return st.none()
    if kinds == "boolean":
        return st.booleans()
    if kinds == "integer":
        return st.integers(schema.get("minimum", -(2**31)), schema.get("maximum", 2**31))
    if kinds == "number":
        return st.integers(-1000, 1000) | st.floats(-1e6, 1e6, allow_nan=False)
    if kinds == "string":
        pattern = schema.get("pattern")
        if schema.get("format") == "uuid":
            return st.uuids().map(str)
        if isinstance(pattern, str) and pattern.startswith("^"):
            return st.from_regex(pattern, fullmatch=True)
        return st.text(min_size=schema.get("minLength", 0),
                       max_size=min(schema.get("maxLength", 12), 12))
    if kinds == "array":
        return st.lists(from_schema(schema.get("items", {}), names),
                        min_size=schema.get("minItems", 0),
                        max_size=min(schema.get("maxItems", 4), 4),
                        unique_by=repr if schema.get("uniqueItems") else None)
    properties = schema.get("properties", {})
    if kinds == "object" or properties:
        required = set(schema.get("required", []))
        extra = schema.get("additionalProperties")
        def prop(name: str, sub: Any) -> st.SearchStrategy[Any]:
            return names[name] if name in names else from_schema(sub, names)

        base = st.fixed_dictionaries(
            {k: prop(k, v) for k, v in properties.items() if k in required},
            optional={k: prop(k, v) for k, v in properties.items() if k not in required},
        )
        if not properties and isinstance(extra, dict):
            return st.dictionaries(st.text(min_size=1, max_size=6), from_schema(extra, names),
                                   max_size=3)
        return base
    return JSON


def _as_query(value: Any) -> Any:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return [_as_query(v) for v in value]
    return str(value)


def _ids(sim: Simulator) -> dict[str, list[str]]:
    store = sim.store
    first = store.first_company().id
    return {
        "accountingEntryId": [e.id for e in store.expenses.rows([first])[:5]],
        "employeeId": [e.id for e in store.employees.rows([first])[:5]],
        "companyId": store.company_ids(),
        "groupId": [g.id for g in store.tag_groups.rows([first])],
        "tagId": [t.id for t in store.tags.rows([first])[:5]],
        "dimensionId": [d.id for d in store.dimensions.rows([first])[:5]],
        "taxCodeId": [t.id for t in store.tax_codes.rows([first])],
        "accountId": [a.id for a in store.accounts.rows([first])[:5]],
        "jobId": [j.id for j in store.export_jobs.rows()],
        "receiptId": [r.id for r in store.receipts.rows([first])[:5]],
    }


@pytest.mark.parametrize(("method", "path"), [(m, p) for m, p, *_ in NEW_OPERATIONS],
                         ids=[f"{m} {p}" for m, p, *_ in NEW_OPERATIONS])
def test_generated_requests(method: str, path: str, specs: Any, client: Any,
                            property_sim: Simulator, response_validator: Any) -> None:
    operation = specs.find(method, path)
    ids = _ids(property_sim)
    companies = [*property_sim.store.company_ids()]
    path_params = {}
    query_params = {}
    for parameter in operation.parameters:
        if parameter.location == "path":
            path_params[parameter.name] = st.one_of(
                st.sampled_from(ids[parameter.name]) if ids[parameter.name] else st.nothing(),
                st.uuids().map(str), st.text("abcXYZ-09", min_size=1, max_size=8))
        elif parameter.location == "query":
            value = from_schema(dict(parameter.schema))
            if parameter.name in ("company_id", "companyId", "organization_id"):
                value = st.sampled_from([*companies, property_sim.organization_id]) | value
            elif parameter.name in QUERY_HINTS:
                value = QUERY_HINTS[parameter.name] | value
            elif parameter.name == "job_id":
                value = st.sampled_from(ids["jobId"]) | value
            query_params[parameter.name] = value.map(_as_query)
    real = {
        "companyId": st.sampled_from(companies) | st.uuids().map(str),
        "jobId": st.sampled_from(ids["jobId"]) | st.uuids().map(str),
        "accountingEntryId": st.sampled_from(ids["accountingEntryId"]) | st.uuids().map(str),
        "accountingEntryIds": st.lists(st.sampled_from(ids["accountingEntryId"]), max_size=3),
    }
    body = st.none()
    if operation.request_schema is not None:
        body = from_schema(dict(operation.request_schema), real) | st.none() | JSON

    @SETTINGS
    @given(data=st.data())
    def run(data: st.DataObject) -> None:
        values = {name: data.draw(s, label=name) for name, s in path_params.items()}
        query = {
            name: data.draw(s, label=name)
            for name, s in query_params.items()
            if data.draw(st.booleans(), label=f"send {name}")
        }
        payload = data.draw(body, label="body")
        response = client.request(method, path.format(**values), params=query,
                                  json=payload if payload is not None else None)
        assert response.status_code < 500, response.text
        if response.status_code >= 400:
            error = response.json()
            assert isinstance(error.get("type"), str) and isinstance(error.get("message"), str)
        elif response.content:
            response_validator(method, path, response.status_code, response.json())

    run()

