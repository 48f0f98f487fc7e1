"""Legacy parity: the same legacy request, sent to the legacy simulator and through the compat
layer to the new simulator, gives the same answer once declared losses are removed.

Generic over the catalogue: every mapped operation must have a scenario here (test data, not
code), and every scenario runs through all four front doors.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from migrate.mapping import load_catalogue
from migrate.mapping.model import Operation
from migrate.simulator.testing import SimulatorHandle
from tests.compat.doors import COMPAT_DOORS, Answer, Door, LegacyDoor
from tests.helpers import lossy, payload, shared_view, strip

CATALOGUE = load_catalogue()

READS: dict[str, list[str]] = {
    "expenses.list": [
        "/expenses?pageSize=25",
        "/expenses?pageSize=7&pageOffset=14",
        "/expenses?pageSize=40&status=EXPORTED",
        "/expenses?pageSize=30&dateFrom=2025-03-01&dateTo=2025-03-31",
        "/expenses?pageSize=5&pageOffset=100000",
    ],
    "expenses.get": ["/expenses/{expense}"],
    "employees.list": ["/employees?pageSize=10", "/employees?pageSize=8&pageOffset=16"],
    "employees.get": ["/employees/{employee}"],
    "tag-groups.list": ["/tag-groups", "/tag-groups?archived=true"],
    "tag-groups.get": ["/tag-groups/{tag_group}"],
    "tags.list": ["/tag-groups/{tag_group}/tags", "/tag-groups/{tag_group}/tags?hidden=true"],
    "tags.get": ["/tag-groups/{tag_group}/tags/{tag}"],
    "expense-receipts.list": ["/expenses/{receipted}/receipts"],
    "expense-receipts.get": ["/expenses/{receipted}/receipts/{receipt}"],
    "tax-codes.list": ["/tax-codes", "/tax-codes?hidden=true"],
    "tax-codes.get": ["/tax-codes/{tax_code}"],
    "accounts.list": ["/accounts?pageSize=5", "/accounts?pageSize=4&pageOffset=8"],
    "accounts.get": ["/accounts/{account}"],
}
WRITES = (
    "expenses.update-export-status",
    "tag-groups.create",
    "tag-groups.update",
    "tag-groups.delete",
    "tags.create",
    "tags.update",
    "tags.delete",
    "accounts.create",
    "accounts.update",
    "accounts.delete",
)


def test_every_mapped_operation_has_a_parity_scenario() -> None:
    mapped = {op.id for op in CATALOGUE if op.mapped}
    assert mapped == set(READS) | set(WRITES)


@pytest.fixture(scope="module")
def legacy(simulator: SimulatorHandle) -> Iterator[LegacyDoor]:
    door = LegacyDoor(simulator)
    yield door
    door.close()


@pytest.fixture(scope="module", params=sorted(COMPAT_DOORS))
def door(request: pytest.FixtureRequest, simulator: SimulatorHandle) -> Iterator[Door]:
    opened = COMPAT_DOORS[request.param](simulator)
    yield opened
    opened.close()


@pytest.fixture(scope="module")
def ids(legacy: LegacyDoor) -> dict[str, str]:
    def first(path: str, key: str | None) -> dict[str, Any]:
        status, body = legacy.call("GET", path)
        assert status == 200, body
        records = body[key] if key else body
        return dict(records[0])

    group = next(
        g for g in legacy.call("GET", "/tag-groups")[1] if not g["archived"] and g["tagAttributes"]
    )
    tag = legacy.call("GET", f"/tag-groups/{group['id']}/tags")[1][0]
    expenses = legacy.call("GET", "/expenses?pageSize=200")[1]["expenses"]
    rich = next(e for e in expenses if e.get("lines") and e.get("cardTransaction"))
    receipted = next(e for e in expenses if e.get("receiptIds"))
    return {
        "receipted": receipted["id"],
        "receipt": receipted["receiptIds"][0],
        "attribute": group["tagAttributes"][0]["id"],
        "expense": rich["id"],
        "employee": first("/employees?pageSize=1", "employees")["id"],
        "tag_group": group["id"],
        "tag": tag["id"],
        "tax_code": first("/tax-codes", "taxCodes")["id"],
        "account": first("/accounts?pageSize=1", "accounts")["id"],
        "category": first("/accounts?pageSize=1", "accounts")["accountCategoryId"],
    }


def _comparable(operation: Operation, answer: Answer) -> Any:
    status, body = answer
    pair = operation.response
    if status >= 400 or pair is None or pair.legacy.empty or operation.model is None:
        return status, None if status < 400 else (body or {}).get("error")
    records = [
        strip(CATALOGUE, r, operation.model, "legacy", lossy) for r in payload(body, pair.legacy)
    ]
    metadata = body.get("metadata") if isinstance(body, dict) else None
    return status, records, metadata


def _read_cases() -> Iterator[Any]:
    for op_id, paths in READS.items():
        for path in paths:
            yield pytest.param(op_id, path, id=f"{op_id}:{path}")


@pytest.mark.parametrize(("op_id", "template"), list(_read_cases()))
def test_read_parity(
    op_id: str, template: str, door: Door, legacy: LegacyDoor, ids: dict[str, str]
) -> None:
    operation = CATALOGUE.get(op_id)
    path = template.format(**ids)
    match = CATALOGUE.match_legacy("GET", path)
    assert match is not None and match.operation is operation
    expected = _comparable(operation, legacy.call("GET", path))
    got = _comparable(operation, door.call("GET", path))
    assert expected[0] == 200
    assert got == expected


# --- writes ----------------------------------------------------------------------------------
# op id: (method, path, body, the record it needs or None, the get operation that reads it back)
WRITE_CASES: dict[str, tuple[str, str, Any, str | None, str]] = {
    "tag-groups.create": (
        "POST",
        "/tag-groups",
        {"name": "Parity {n}", "tagAttributes": []},
        None,
        "tag-groups.get",
    ),
    "tag-groups.update": (
        "PATCH",
        "/tag-groups/{tag_group}",
        {"name": "Renamed {n}"},
        "tag_group",
        "tag-groups.get",
    ),
    "tag-groups.delete": ("DELETE", "/tag-groups/{tag_group}", None, "tag_group", "tag-groups.get"),
    "tags.create": (
        "POST",
        "/tag-groups/{group}/tags",
        {"attributeValues": [{"attributeId": "{attribute}", "value": "Tag {n}"}]},
        None,
        "tags.get",
    ),
    "tags.update": (
        "PATCH",
        "/tag-groups/{group}/tags/{tag}",
        {"displayOrder": 7, "hidden": True},
        "tag",
        "tags.get",
    ),
    "tags.delete": ("DELETE", "/tag-groups/{group}/tags/{tag}", None, "tag", "tags.get"),
    "accounts.create": (
        "POST",
        "/accounts",
        {"name": "Account {n}", "accountNumber": "9{n}", "accountCategoryId": "{category}"},
        None,
        "accounts.get",
    ),
    "accounts.update": (
        "PUT",
        "/accounts/{account}",
        {"name": "Renamed account {n}", "accountNumber": "8{n}", "hidden": True},
        "account",
        "accounts.get",
    ),
    "accounts.delete": ("DELETE", "/accounts/{account}", None, "account", "accounts.get"),
    "expenses.update-export-status": (
        "PUT",
        "/expenses",
        {"expenseIds": ["{expense}"], "status": "EXPORTED"},
        "expense",
        "expenses.get",
    ),
}
READ_BACK = {  # the new-API path that reads each kind of record
    # a group with its dimensions (the flow's call): a list holding the one group
    "tag-groups.get": "/v0/aggregations/tag-groups?company_id={company}&tag_group_ids={id}",
    "tags.get": "/v0/tags/{id}",
    "accounts.get": "/v1/chart-of-accounts/{id}",
    "expenses.get": "/v1/accounting-entries/{id}",
}
_counter = iter(range(10_000, 99_999))


def test_every_write_has_a_case() -> None:
    assert set(WRITE_CASES) == set(WRITES)


class Records:
    """Fresh records made through the legacy API, one per side of a write comparison."""

    def __init__(self, legacy: LegacyDoor, ids: dict[str, str]) -> None:
        self.legacy = legacy
        self.group = ids["tag_group"]
        self.attribute = ids["attribute"]
        self.category = ids["category"]
        status, body = legacy.call("GET", "/expenses?pageSize=1000&status=NOT_EXPORTED")
        assert status == 200
        self._expenses = iter(e["id"] for e in body["expenses"] if e["deletedAt"] is None)

    def make(self, kind: str | None) -> dict[str, str]:
        n = str(next(_counter))
        ids = {"n": n, "group": self.group, "attribute": self.attribute, "category": self.category}
        if kind == "tag_group":
            body: dict[str, Any] = {"name": f"Fresh {n}", "tagAttributes": [{"name": "Column"}]}
            created = self._create("/tag-groups", body)
            ids["tag_group"] = ids["id"] = str(created["id"])
            ids["column"] = str(created["tagAttributes"][0]["id"])
        elif kind == "tag":
            path = f"/tag-groups/{self.group}/tags"
            values = [{"attributeId": self.attribute, "value": f"Fresh {n}"}]
            ids["tag"] = ids["id"] = str(self._create(path, {"attributeValues": values})["id"])
        elif kind == "account":
            body = {
                "name": f"Fresh {n}", "accountNumber": f"7{n}", "accountCategoryId": self.category
            }
            ids["account"] = ids["id"] = str(self._create("/accounts", body)["id"])
        elif kind == "expense":
            ids["expense"] = ids["id"] = next(self._expenses)
        return ids

    def _create(self, path: str, body: dict[str, Any]) -> dict[str, Any]:
        status, created = self.legacy.call("POST", path, body)
        assert status == 200, created  # every legacy create answers 200
        return dict(created)


def _with_values(new: httpx.Client, body: Any) -> Any:
    """A new tag with the dimension values the tag flows attach (`dimensionValues`), in its
    group's dimension order; the one group of an aggregated answer; any other record as it is."""
    record = body.get("data") if isinstance(body, dict) else None
    if isinstance(record, list) and len(record) == 1:  # the aggregated view of one group
        return {"data": record[0]}
    if not isinstance(record, dict) or "groupId" not in record:
        return body
    dimensions = new.get(f"/v0/tag-groups/{record['groupId']}/dimensions").json()["data"]
    rank = {d["id"]: (d["displayOrder"], i) for i, d in enumerate(dimensions)}
    values = new.get(f"/v0/tags/{record['id']}/dimensions").json()["data"]
    values = sorted((v for v in values if v["value"]), key=lambda v: rank[v["dimensionId"]])
    return {"data": {**record, "dimensionValues": values}}


def _render(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return value.format(**ids)
    if isinstance(value, list):
        return [_render(item, ids) for item in value]
    if isinstance(value, dict):
        return {key: _render(item, ids) for key, item in value.items()}
    return value


def _normal(value: Any, ids: dict[str, str]) -> Any:
    """A body with this side's own ids and unique number replaced by placeholders."""
    text = json.dumps(value, sort_keys=True)
    for key in ("id", "column", "n"):
        if ids.get(key):
            text = text.replace(ids[key], f"<{key}>")
    return json.loads(text)


@pytest.fixture(scope="module")
def records(legacy: LegacyDoor, ids: dict[str, str]) -> Records:
    return Records(legacy, ids)


@pytest.mark.parametrize("op_id", WRITES)
def test_write_parity(
    op_id: str,
    door: Door,
    legacy: LegacyDoor,
    records: Records,
    simulator: SimulatorHandle,
) -> None:
    method, template, body, needs, get_id = WRITE_CASES[op_id]
    operation, reader = CATALOGUE.get(op_id), CATALOGUE.get(get_id)
    sides = {"legacy": records.make(needs), "compat": records.make(needs)}
    answers: dict[str, Any] = {}
    for side, side_ids in sides.items():
        path, payload_body = _render(template, side_ids), _render(body, side_ids)
        match = CATALOGUE.match_legacy(method, path)
        assert match is not None and match.operation is operation
        status, answer = (legacy if side == "legacy" else door).call(method, path, payload_body)
        if needs is None and isinstance(answer, dict) and "id" in answer:
            side_ids["id"] = str(answer["id"])
        answers[side] = (status, _normal(_comparable(operation, (status, answer)), side_ids))
    assert answers["compat"] == answers["legacy"]
    assert answers["legacy"][0] < 300

    # Read both records back through the legacy API and through the new API.
    with httpx.Client(base_url=simulator.new_base_url, headers=simulator.new_headers) as new:
        backs, statuses = {}, {}
        for side, side_ids in sides.items():
            params = reader.legacy.params  # the last one names the record, any other its group
            values = {name: side_ids["group"] for name in params[:-1]} | {
                params[-1]: side_ids["id"]
            }
            get_path = reader.legacy.path.format(**values)[len("/v1") :]
            status, record = legacy.call("GET", get_path)
            read_back = READ_BACK[get_id].format(id=side_ids["id"], company=simulator.company_id)
            new_answer = new.get(read_back)
            if op_id.endswith(".delete"):
                # gone: a 404, or an aggregated answer without the group
                gone = new_answer.status_code == 404 or new_answer.json().get("data") == []
                assert (status, gone) == (404, True), side
                continue
            assert (status, new_answer.status_code) == (200, 200), side
            from_new = CATALOGUE.to_canonical(reader, "new", _with_values(new, new_answer.json()))
            from_legacy = CATALOGUE.to_canonical(reader, "legacy", record)
            assert reader.model is not None
            assert shared_view(CATALOGUE, reader.model, from_new) == shared_view(
                CATALOGUE, reader.model, from_legacy
            )
            backs[side] = _normal(_comparable(reader, (status, record)), side_ids)
            statuses[side] = record.get("status")
    if operation.id == "expenses.update-export-status":  # two different expenses: the status only
        assert statuses == {"legacy": "EXPORTED", "compat": "EXPORTED"}
    elif backs:
        assert backs["compat"] == backs["legacy"]
