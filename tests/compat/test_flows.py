"""One flow registry: the catalogue's flow names, their call lists and the implementations agree.

A flow the catalogue names but compat does not implement would be an internal error at run
time; a call list that differs from what the flow really sends would mislead the shadow's
write plans and the report. Each flow is run here against a scripted new API, and the calls it
makes are compared with `mapping/flow_names.py`.
"""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import migrate.compat.flows as flows_package
from migrate.compat.engine import CompatEngine
from migrate.compat.flows import FLOWS as IMPLEMENTED
from migrate.compat.messages import NewRequest, NewResponse
from migrate.mapping import FLOWS as NAMED
from migrate.mapping import load_catalogue
from migrate.mapping.model import Endpoint, template_regex
from migrate.mapping.specs import load_new_api_specs
from tests.compat.exchange import COMPANY, ok, page, serve

CATALOGUE = load_catalogue()
ENTRIES = ["e1", "e2"]


def test_every_flow_the_catalogue_names_is_implemented_and_named() -> None:
    in_catalogue = {op.flow for op in CATALOGUE if op.kind == "flow"}
    assert in_catalogue <= set(IMPLEMENTED), "the catalogue names a flow compat lacks"
    assert set(IMPLEMENTED) == set(NAMED)


def test_each_flow_module_is_registered_under_its_own_name() -> None:
    modules = {
        info.name
        for info in pkgutil.iter_modules(flows_package.__path__)
        if not info.name.startswith("_")
    }
    assert modules == {name.replace("-", "_") for name in IMPLEMENTED}
    for name, flow in IMPLEMENTED.items():
        module = importlib.import_module(f"migrate.compat.flows.{name.replace('-', '_')}")
        assert flow is module.run


def test_every_named_call_is_in_the_new_api_specs() -> None:
    specs = load_new_api_specs()
    for info in NAMED.values():
        for endpoint in info.endpoints:
            assert specs.find(endpoint.method, endpoint.path) is not None, (info.name, endpoint)


class FakeExports:
    """The export-job endpoints, just enough to run the flow; `open_job` starts one open."""

    def __init__(self, open_job: bool) -> None:
        self.job: dict[str, Any] | None = (
            {"id": "job-1", "status": "in_progress"} if open_job else None
        )
        self.items = dict.fromkeys(ENTRIES, "pending")

    def __call__(self, request: NewRequest) -> NewResponse:
        route = (request.method, request.path)
        if route == ("GET", "/v3/export-jobs"):
            return ok(page([self.job] if self.job else []))
        if route == ("POST", "/v3/export-jobs"):
            self.job = {"id": "job-1", "status": "pending"}
            return ok({"data": self.job}, 201)
        if route == ("GET", "/v3/export-jobs/job-1/items"):
            items = [{"accountingEntryId": k, "status": v} for k, v in self.items.items()]
            return ok(page(items))
        if route == ("PUT", "/v3/export-jobs/job-1/items"):
            return ok({"data": request.body})
        if route == ("POST", "/v3/export-job-events"):
            return ok({}, 202)
        raise AssertionError(f"the flow called {request.method} {request.path}")


def _export_calls(open_job: bool) -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"expenseIds": ENTRIES, "status": "EXPORTED"}
    result, sent = serve(engine, "PUT", "/v1/expenses", FakeExports(open_job), body)
    assert result.status == 204
    return sent


def _tag_group_calls() -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    answers = iter([ok(page([{"id": "g1"}])), ok({"data": [{"id": "g1", "name": "P"}]})])
    result, sent = serve(engine, "GET", "/v1/tag-groups", lambda _request: next(answers))
    assert result.status == 200
    return sent


RUNS = {
    "expense-export-status": lambda: _export_calls(False) + _export_calls(True),
    "tag-groups-with-dimensions": _tag_group_calls,
}


def _endpoint_of(request: NewRequest, named: tuple[Endpoint, ...]) -> Endpoint:
    for endpoint in named:
        pattern = template_regex(endpoint.path, named=False)
        if endpoint.method == request.method and pattern.fullmatch(request.path):
            return endpoint
    return Endpoint(request.method, request.path)


@pytest.mark.parametrize("name", sorted(NAMED))
def test_a_flows_call_list_is_what_it_really_calls(name: str) -> None:
    named = NAMED[name].endpoints
    made = [_endpoint_of(request, named) for request in RUNS[name]()]
    assert set(made) == set(named)


def test_the_flow_calls_cover_both_ways_through_the_export_flow() -> None:
    fresh = [(r.method, r.path) for r in _export_calls(False)]
    reused = [(r.method, r.path) for r in _export_calls(True)]
    assert ("POST", "/v3/export-jobs") in fresh and ("POST", "/v3/export-jobs") not in reused
    assert ("GET", "/v3/export-jobs/job-1/items") in reused
    assert fresh[-1] == reused[-1] == ("POST", "/v3/export-job-events")
