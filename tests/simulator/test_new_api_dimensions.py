"""Tag-group dimensions and tag dimension values on the new API, as the tag specs describe them.

Each operation: success (the body checked against the spec's schema), a validation error, a
credential without the scope (403) and an unknown id (404), all in the ExceptionInfo shape.
"""

from __future__ import annotations

import uuid
import warnings
from collections.abc import Iterator
from typing import Any

import pytest

from migrate.simulator import Simulator
from migrate.simulator.testing import basic

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

GROUP_DIMS = "/v0/tag-groups/{groupId}/dimensions"
GROUP_DIM = "/v0/tag-groups/{groupId}/dimensions/{dimensionId}"
TAG_VALUES = "/v0/tags/{tagId}/dimensions"
TAG_VALUE = "/v0/tags/{tagId}/dimensions/{dimensionId}"
OWNER = {"code": "OWNER", "name": "Owner", "visible": True}


def _error(response: Any, status: int, kind: str) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"type", "message"} and body["type"] == kind
    return str(body["message"])


@pytest.fixture
def new(clients: tuple[TestClient, TestClient]) -> TestClient:
    return clients[1]


@pytest.fixture
def group(new: TestClient, fresh: Simulator) -> dict[str, Any]:
    company = fresh.store.company_ids()[0]
    answer = new.post("/v0/tag-groups", params={"company_id": company},
                      json={"archived": False, "code": "CC", "name": "Cost centres"})
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["data"])


@pytest.fixture
def reader(fresh: Simulator) -> Iterator[TestClient]:
    """A key with `tag-groups:read` only."""
    secret = fresh.mint("api_key", scopes=["tag-groups:read"]).secret
    with TestClient(fresh.new_app, headers=basic(secret)) as client:
        yield client


def _create(new: TestClient, group_id: str, body: dict[str, Any]) -> dict[str, Any]:
    answer = new.post(GROUP_DIMS.format(groupId=group_id), json=body)
    assert answer.status_code == 201, answer.text
    return dict(answer.json()["data"])


def test_a_created_dimension_is_listed_aggregated_and_takes_tag_values(
    new: TestClient, group: dict[str, Any], response_validator: Any
) -> None:
    answer = new.post(GROUP_DIMS.format(groupId=group["id"]), json={**OWNER, "displayOrder": 9})
    assert answer.status_code == 201
    response_validator("POST", GROUP_DIMS, 201, answer.json())
    first = answer.json()["data"]
    # displayOrder is deprecated on create: the order is the group's highest plus one.
    assert (first["groupId"], first["code"], first["displayOrder"]) == (group["id"], "OWNER", 1)
    second = _create(new, group["id"], {"code": "SITE", "name": "Site", "visible": False})
    assert second["displayOrder"] == 2 and second["visible"] is False

    listed = new.get(GROUP_DIMS.format(groupId=group["id"])).json()["data"]
    assert [d["id"] for d in listed] == [first["id"], second["id"]]
    aggregated = new.get("/v0/aggregations/tag-groups",
                         params={"company_id": group["companyId"], "tag_group_ids": group["id"]})
    assert [d["code"] for d in aggregated.json()["data"][0]["dimensions"]] == ["OWNER", "SITE"]

    tag = new.post(f"/v0/tag-groups/{group['id']}/tags",
                   json={"archived": False, "code": "T1", "otherDimensionValues": ["Ann", "HQ"]})
    values = new.get(TAG_VALUES.format(tagId=tag.json()["data"]["id"])).json()["data"]
    assert {(v["dimensionId"], v["value"]) for v in values} == {
        (first["id"], "Ann"), (second["id"], "HQ")}


def test_get_and_update_one_dimension(
    new: TestClient, group: dict[str, Any], response_validator: Any
) -> None:
    made = _create(new, group["id"], OWNER)
    at = GROUP_DIM.format(groupId=group["id"], dimensionId=made["id"])
    got = new.get(at)
    assert got.status_code == 200 and got.json()["data"] == made
    response_validator("GET", GROUP_DIM, 200, got.json())
    put = new.put(at, json={"code": "BOSS", "name": "Boss", "visible": False, "displayOrder": 5})
    assert put.status_code == 200
    response_validator("PUT", GROUP_DIM, 200, put.json())
    assert {k: put.json()["data"][k] for k in ("code", "name", "visible", "displayOrder")} == {
        "code": "BOSS", "name": "Boss", "visible": False, "displayOrder": 5}
    assert new.get(at).json()["data"]["name"] == "Boss"


@pytest.mark.parametrize(("method", "template", "body", "field"), [
    ("POST", GROUP_DIMS, {"code": "X", "name": "X"}, "visible"),
    ("POST", GROUP_DIMS, {"code": 7, "name": "X", "visible": True}, "code"),
    ("POST", GROUP_DIMS, {**OWNER, "displayOrder": "first"}, "displayOrder"),
    ("PUT", GROUP_DIM, OWNER, "displayOrder"),
    ("PUT", GROUP_DIM, {**OWNER, "displayOrder": 2**31}, "displayOrder"),
    ("POST", TAG_VALUE, {}, "value"),
    ("PUT", TAG_VALUE, {"value": 3}, "value"),
])
def test_bad_bodies_are_400_naming_the_field(
    new: TestClient, group: dict[str, Any], method: str, template: str, body: dict[str, Any],
    field: str
) -> None:
    made = _create(new, group["id"], OWNER)
    tag = new.post(f"/v0/tag-groups/{group['id']}/tags",
                   json={"archived": False, "code": "T1", "otherDimensionValues": ["Ann"]})
    path = template.format(groupId=group["id"], dimensionId=made["id"],
                           tagId=tag.json()["data"]["id"])
    message = _error(new.request(method, path, json=body), 400, "VALIDATION_FAILED")
    assert field in message


def test_writes_need_tag_groups_write(
    new: TestClient, reader: TestClient, group: dict[str, Any]
) -> None:
    made = _create(new, group["id"], OWNER)
    tag = new.post(f"/v0/tag-groups/{group['id']}/tags",
                   json={"archived": False, "code": "T1"}).json()["data"]
    one = GROUP_DIM.format(groupId=group["id"], dimensionId=made["id"])
    value = TAG_VALUE.format(tagId=tag["id"], dimensionId=made["id"])
    for method, path, body in (
        ("POST", GROUP_DIMS.format(groupId=group["id"]), OWNER),
        ("PUT", one, {**OWNER, "displayOrder": 1}),
        ("DELETE", one, None),
        ("POST", value, {"value": "v"}),
        ("PUT", value, {"value": "v"}),
        ("DELETE", value, None),
    ):
        message = _error(reader.request(method, path, json=body), 403, "FORBIDDEN")
        assert "tag-groups:write" in message
    assert reader.get(one).status_code == 200
    assert len(new.get(GROUP_DIMS.format(groupId=group["id"])).json()["data"]) == 1


def test_unknown_ids_are_404(new: TestClient, group: dict[str, Any], fresh: Simulator) -> None:
    made = _create(new, group["id"], OWNER)
    other = new.post("/v0/tag-groups", params={"company_id": group["companyId"]},
                     json={"archived": False, "code": "OTHER", "name": "Other"}).json()["data"]
    tag = new.post(f"/v0/tag-groups/{other['id']}/tags",
                   json={"archived": False, "code": "T1"}).json()["data"]
    nobody = str(uuid.uuid4())
    for method, path, body in (
        ("POST", GROUP_DIMS.format(groupId=nobody), OWNER),
        ("GET", GROUP_DIM.format(groupId=group["id"], dimensionId=nobody), None),
        # a real dimension, asked for under another group
        ("GET", GROUP_DIM.format(groupId=other["id"], dimensionId=made["id"]), None),
        ("PUT", GROUP_DIM.format(groupId=group["id"], dimensionId=nobody),
         {**OWNER, "displayOrder": 1}),
        ("DELETE", GROUP_DIM.format(groupId=group["id"], dimensionId=nobody), None),
        # a dimension of another group than the tag's
        ("POST", TAG_VALUE.format(tagId=tag["id"], dimensionId=made["id"]), {"value": "v"}),
        ("GET", TAG_VALUE.format(tagId=nobody, dimensionId=made["id"]), None),
    ):
        _error(new.request(method, path, json=body), 404, "NOT_FOUND")


def test_tag_values_create_update_delete(
    new: TestClient, group: dict[str, Any], response_validator: Any
) -> None:
    made = _create(new, group["id"], OWNER)
    tag = new.post(f"/v0/tag-groups/{group['id']}/tags",
                   json={"archived": False, "code": "T1"}).json()["data"]
    at = TAG_VALUE.format(tagId=tag["id"], dimensionId=made["id"])
    _error(new.get(at), 404, "NOT_FOUND")
    _error(new.put(at, json={"value": "Ann"}), 404, "NOT_FOUND")
    created = new.post(at, json={"value": "Ann"})
    assert created.status_code == 201
    response_validator("POST", TAG_VALUE, 201, created.json())
    assert created.json()["data"] == {**created.json()["data"], "tagId": tag["id"],
                                      "dimensionId": made["id"], "value": "Ann"}
    _error(new.post(at, json={"value": "Bob"}), 409, "CONFLICT")
    updated = new.put(at, json={"value": "Bob"})
    response_validator("PUT", TAG_VALUE, 200, updated.json())
    assert new.get(at).json()["data"]["value"] == "Bob"
    gone = new.delete(at)
    assert gone.status_code == 200 and gone.json()["data"]["value"] == "Bob"
    response_validator("DELETE", TAG_VALUE, 200, gone.json())
    assert new.get(TAG_VALUES.format(tagId=tag["id"])).json()["data"] == []


def test_deleting_a_dimension_drops_its_tag_values(new: TestClient, group: dict[str, Any]) -> None:
    owner = _create(new, group["id"], OWNER)
    site = _create(new, group["id"], {"code": "SITE", "name": "Site", "visible": True})
    tag = new.post(f"/v0/tag-groups/{group['id']}/tags",
                   json={"archived": False, "code": "T1", "otherDimensionValues": ["Ann", "HQ"]})
    tag_id = tag.json()["data"]["id"]
    deleted = new.delete(GROUP_DIM.format(groupId=group["id"], dimensionId=owner["id"]))
    assert deleted.status_code == 204
    assert [d["id"] for d in new.get(GROUP_DIMS.format(groupId=group["id"])).json()["data"]] == [
        site["id"]]
    values = new.get(TAG_VALUES.format(tagId=tag_id)).json()["data"]
    assert [(v["dimensionId"], v["value"]) for v in values] == [(site["id"], "HQ")]
