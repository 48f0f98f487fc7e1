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
    assert (result.status, result.body) == (200, {})  # legacy-openapi.yml: 200 with {}
    return sent


def _tag_group_calls() -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    answers = iter([ok(page([{"id": "g1"}])), ok({"data": [{"id": "g1", "name": "P"}]})])
    result, sent = serve(engine, "GET", "/v1/tag-groups", lambda _request: next(answers))
    assert result.status == 200
    one, more = serve(engine, "GET", f"/v1/tag-groups/{GROUP}", lambda _r: ok(_aggregated()))
    assert one.status == 200
    return sent + more


GROUP = "5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d"


def _aggregated(*groups: str) -> dict[str, Any]:
    """The aggregated view holding the given groups (GROUP by default), one dimension each."""
    dimension = {"id": "d1", "name": "Centre", "displayOrder": 0, "visible": False}
    return {"data": [{"id": g, "name": "P", "archived": True, "dimensions": [dimension]}
                     for g in groups or (GROUP,)]}


class FakeTags:
    """A tag group `g` with dimensions d1 (order 1) and d2 (order 2), and its tags."""

    def __init__(self, refuse_dimension: bool = False) -> None:
        self.tags: dict[str, dict[str, Any]] = {
            "t1": {"id": "t1", "groupId": "g", "code": "A", "name": "A", "archived": False}
        }
        self.values: dict[str, list[str]] = {"t1": ["A", "x"]}
        self.refuse_dimension = refuse_dimension
        self.bodies: list[Any] = []

    def __call__(self, request: NewRequest) -> NewResponse:
        route = (request.method, request.path)
        self.bodies.append(request.body)
        if route == ("GET", "/v0/tag-groups/g/dimensions"):
            return ok({"data": [{"id": "d2", "displayOrder": 2}, {"id": "d1", "displayOrder": 1}]})
        if route == ("GET", "/v0/tag-groups/g/tags"):
            return ok(page(list(self.tags.values())))
        if route == ("POST", "/v0/tag-groups/g/tags"):
            self.tags["t2"] = {"id": "t2", "groupId": "g", **request.body}
            self.values["t2"] = list(request.body["otherDimensionValues"])
            return ok({"data": self.tags["t2"]}, 201)
        if request.path.startswith("/v0/tags/") and request.path.endswith("/dimensions"):
            tag_id = request.path.split("/")[3]
            pairs = zip(("d1", "d2"), self.values[tag_id], strict=False)
            return ok({"data": [{"dimensionId": d, "value": v} for d, v in pairs]})
        if route[1].startswith("/v0/tags/"):
            tag = self.tags[request.path.split("/")[3]]
            if request.method == "PUT":
                tag.update(request.body)
            return ok({"data": tag})
        if route == ("POST", "/v0/tag-groups"):
            return ok({"data": {"id": "g9", "archived": False, **request.body}}, 201)
        if route == ("POST", "/v0/tag-groups/g9/dimensions"):
            if self.refuse_dimension:
                return ok({"type": "BAD_REQUEST"}, 400)
            return ok({"data": {"id": f"dim-{request.body['name']}", **request.body}}, 201)
        raise AssertionError(f"the flow called {request.method} {request.path}")


def _tags_calls() -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    listed, sent = serve(engine, "GET", "/v1/tag-groups/g/tags", FakeTags())
    one, more = serve(engine, "GET", "/v1/tag-groups/g/tags/t1", FakeTags())
    assert listed.status == one.status == 200
    return sent + more


def _tag_create_calls() -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"attributeValues": [{"attributeId": "d2", "value": "two"}, {"attributeId": "D1",
                                                                        "value": "one"}]}
    result, sent = serve(engine, "POST", "/v1/tag-groups/g/tags", FakeTags(), body)
    assert result.status == 200
    return sent


def _tag_update_calls() -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"hidden": True, "displayOrder": 3}
    result, sent = serve(engine, "PATCH", "/v1/tag-groups/g/tags/t1", FakeTags(), body)
    assert result.status == 200
    return sent


def _tag_group_create_calls() -> list[NewRequest]:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"name": "Regions", "tagAttributes": [{"name": "Region", "displayOrder": 0}]}
    result, sent = serve(engine, "POST", "/v1/tag-groups", FakeTags(), body)
    assert result.status == 200
    return sent


RUNS = {
    "expense-export-status": lambda: _export_calls(False) + _export_calls(True),
    "tag-groups-with-dimensions": _tag_group_calls,
    "tags-with-values": _tags_calls,
    "tag-create": _tag_create_calls,
    "tag-update": _tag_update_calls,
    "tag-group-create": _tag_group_create_calls,
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


# --- what each tag flow sends and answers (legacy tag model of legacy-openapi.yml) ----------


def test_a_legacy_tag_is_rebuilt_from_its_dimension_values_in_dimension_order() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    result, _ = serve(engine, "GET", "/v1/tag-groups/g/tags/t1", FakeTags())
    assert result.body == {
        "id": "t1",
        "tagGroupId": "g",
        "attributeValues": [{"attributeId": "d1", "value": "A"}, {"attributeId": "d2",
                                                                  "value": "x"}],
        "displayOrder": None,  # declared lost: new tags have no display order
        "hidden": False,
    }


def test_a_tag_of_another_group_is_not_found() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    result, _ = serve(engine, "GET", "/v1/tag-groups/other/tags/t1", FakeTags())
    assert result.status == 404


def test_a_legacy_tag_create_sends_values_in_dimension_order_and_answers_them() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    fake = FakeTags()
    body = {"attributeValues": [{"attributeId": "d2", "value": "two"}, {"attributeId": "d1",
                                                                        "value": "one"}]}
    result, sent = serve(engine, "POST", "/v1/tag-groups/g/tags", fake, body)
    posted = next(r.body for r in sent if r.method == "POST")
    assert posted == {"code": "two", "name": "two", "archived": False,
                      "otherDimensionValues": ["one", "two"]}
    assert result.status == 200 and result.body["attributeValues"] == [
        {"attributeId": "d1", "value": "one"}, {"attributeId": "d2", "value": "two"}]


def test_a_tag_create_naming_an_unknown_attribute_is_a_400_and_sends_nothing() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"attributeValues": [{"attributeId": "nope", "value": "v"}]}
    result, sent = serve(engine, "POST", "/v1/tag-groups/g/tags", FakeTags(), body)
    assert result.status == 400 and "nope is not an attribute" in result.body["detail"]
    assert all(r.method == "GET" for r in sent)


def test_a_legacy_tag_patch_keeps_code_and_name_and_sets_archived() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    result, sent = serve(
        engine, "PATCH", "/v1/tag-groups/g/tags/t1", FakeTags(), {"hidden": True}
    )
    put = next(r.body for r in sent if r.method == "PUT")
    assert put == {"archived": True, "code": "A", "name": "A"}
    assert result.body["hidden"] is True


def test_a_tag_group_create_sends_every_attribute_as_a_dimension() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"name": "Regions", "tagAttributes": [{"name": "Region", "displayOrder": 0},
                                                 {"name": "Owner"}]}
    result, sent = serve(engine, "POST", "/v1/tag-groups", FakeTags(), body)
    assert sent[0].body == {"name": "Regions", "code": "Regions", "archived": False,
                            "metadata": {}}
    assert [r.body for r in sent[1:]] == [
        {"code": "Region", "name": "Region", "visible": True, "displayOrder": 0},
        {"code": "Owner", "name": "Owner", "visible": True},
    ]
    assert result.status == 200
    assert [a["name"] for a in result.body["tagAttributes"]] == ["Region", "Owner"]


def test_a_refused_tag_attribute_fails_the_create_by_name() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"name": "Regions", "tagAttributes": [{"name": "Region"}]}
    result, _ = serve(engine, "POST", "/v1/tag-groups", FakeTags(refuse_dimension=True), body)
    assert result.status == 400
    assert "tagAttributes[0] ('Region')" in result.body["detail"]


# --- the export API's documented refusals, as legacy errors ---------------------------------


class RefusingExports(FakeExports):
    def __init__(self, kind: str, status: int, *, expired_job: bool = False) -> None:
        super().__init__(open_job=expired_job)
        if expired_job and self.job is not None:
            self.job["expiresIn"] = 0
        self.kind, self.status = kind, status

    def __call__(self, request: NewRequest) -> NewResponse:
        if (request.method, request.path) == ("POST", "/v3/export-jobs"):
            return ok({"type": self.kind, "message": "refused"}, self.status)
        return super().__call__(request)


@pytest.mark.parametrize(
    ("kind", "status", "legacy_status", "code", "hint"),
    [
        ("EXPORT_ALREADY_IN_PROGRESS", 409, 409, "export_already_in_progress", "one at a time"),
        ("MISSING_CONTRA_ACCOUNTS", 400, 400, "missing_contra_accounts", "contra accounts"),
    ],
)
def test_export_refusals_become_clear_legacy_errors(
    kind: str, status: int, legacy_status: int, code: str, hint: str
) -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"expenseIds": ENTRIES, "status": "EXPORTED"}
    result, _ = serve(engine, "PUT", "/v1/expenses", RefusingExports(kind, status), body)
    assert result.status == legacy_status
    assert result.body["message"] == code and hint in result.body["detail"]


def test_an_expired_open_job_is_not_reused() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    body = {"expenseIds": ENTRIES, "status": "EXPORTED"}
    fake = RefusingExports("EXPORT_ALREADY_IN_PROGRESS", 409, expired_job=True)
    result, sent = serve(engine, "PUT", "/v1/expenses", fake, body)
    assert ("GET", "/v3/export-jobs/job-1/items") not in [(r.method, r.path) for r in sent]
    assert result.status == 409  # it tried a new job; Pleo had not yet failed the old one


def test_the_export_flow_lists_the_read_scope_it_needs() -> None:
    scopes = CATALOGUE.get("expenses.update-export-status").scopes
    assert set(scopes) == {"export-jobs:read", "export-jobs:write"}


# --- one tag group (tag-groups.get), read from the aggregated view --------------------------


def test_one_tag_group_is_read_from_the_aggregated_view_with_its_attributes() -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    result, sent = serve(engine, "GET", f"/v1/tag-groups/{GROUP}", lambda _r: ok(_aggregated()))
    assert [(r.method, r.path, r.params) for r in sent] == [
        ("GET", "/v0/aggregations/tag-groups",
         (("company_id", COMPANY), ("tag_group_ids", GROUP)))]
    assert (result.status, result.body) == (200, {
        "id": GROUP, "name": "P", "archived": True,
        "tagAttributes": [{"id": "d1", "name": "Centre", "displayOrder": 0, "hidden": True}],
    })


@pytest.mark.parametrize("answer", [_aggregated("0f1a2b3c-4d5e-4f6a-9b7c-8d9e0f1a2b3c"),
                                    {"data": []}, {"data": None}, []])
def test_a_group_the_aggregated_view_does_not_hold_is_a_legacy_404(answer: Any) -> None:
    engine = CompatEngine(CATALOGUE, company_id=COMPANY)
    result, _ = serve(engine, "GET", f"/v1/tag-groups/{GROUP}", lambda _r: ok(answer))
    assert result.status == 404 and result.body["statusCode"] == 404
    assert GROUP in result.body["detail"]
