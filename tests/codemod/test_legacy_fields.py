"""The generated legacy-field functions (`legacy_fields.py`) give what migrate's converters give.

Each function is run as the rewritten module runs it: its text executed alone, without
`migrate`. On every response example of the catalogue, and on edge values (currencies whose
exponent is not 2, enum values outside the table, offsets and milliseconds, rates that are not
exact binary fractions), every legacy field it restores must equal what the compat layer's
converters make of the same new record (`Catalogue.convert_records`, new → legacy).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable
from typing import Any

import pytest

from migrate.codemod.legacy_fields import NoAdapter, adapter_name, legacy_adapter
from migrate.mapping import Catalogue, Operation, load_catalogue
from migrate.mapping.converters import get_converter

CATALOGUE = load_catalogue()
Record = dict[str, Any]


def _restorable(catalogue: Catalogue, model: str) -> list[str]:
    """Every top-level legacy key of `model` the function can restore."""
    keys = []
    for field in catalogue.models[model].fields:
        key = (field.legacy or "").split(".")[0]
        if not key or key in keys:
            continue
        try:
            legacy_adapter(catalogue, model, [key])
        except NoAdapter:
            continue
        keys.append(key)
    return keys


def _function(catalogue: Catalogue, model: str, keys: list[str]) -> Callable[[Record], Record]:
    adapter = legacy_adapter(catalogue, model, keys)
    tree = ast.parse(adapter.code)
    imported = [
        alias.name if isinstance(node, ast.Import) else node.module or ""
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    ]
    assert all(name in ("re", "datetime", "decimal") for name in imported)
    namespace: dict[str, Any] = {}
    exec(compile(tree, f"<{adapter.name}>", "exec"), namespace)  # alone, as the module runs it
    function: Callable[[Record], Record] = namespace[adapter.name]
    return function


def _records(op: Operation, body: Any) -> list[Record]:
    assert op.response is not None
    envelope = op.response.new
    payload = body[envelope.key] if envelope.key else body
    return list(payload) if envelope.many else [payload]


def _examples() -> list[Any]:
    found = []
    for op in CATALOGUE:
        if op.model is None or op.response is None or op.response.new.empty:
            continue
        for example in op.examples:
            if example.direction == "response" and _restorable(CATALOGUE, op.model):
                found.append(pytest.param(op, example.new, id=f"{op.id}: {example.name}"))
    return found


EXAMPLES = _examples()


def _check(op: Operation, body: Any) -> int:
    """Every restored field of every record equals the converters' legacy value; the other
    keys stay as the new API sent them. Returns the number of fields compared."""
    assert op.model is not None
    keys = _restorable(CATALOGUE, op.model)
    function = _function(CATALOGUE, op.model, keys)
    adapter = legacy_adapter(CATALOGUE, op.model, keys)
    expected = CATALOGUE.convert_records(op, "new", "legacy", copy.deepcopy(body))
    compared = 0
    for record, legacy in zip(_records(op, body), expected, strict=True):
        before = copy.deepcopy(record)
        out = function(record)
        assert record == before  # a copy: the new record is left as it was
        restored = {item.legacy for item in adapter.restored}
        for key in restored:
            assert out[key] == legacy[key], key
            assert type(out[key]) is type(legacy[key]), key
            compared += 1
        for key, value in record.items():
            if key not in restored:
                assert out[key] == value
    return compared


def test_every_model_with_changed_fields_has_a_function() -> None:
    assert len(EXAMPLES) >= 10
    assert {"amountSettled", "amountOriginal", "type", "status", "lines", "performedAt"} <= set(
        _restorable(CATALOGUE, "Expense")
    )
    assert "rate" in _restorable(CATALOGUE, "TaxCode")


@pytest.mark.parametrize(("op", "body"), EXAMPLES)
def test_the_function_gives_the_converters_values_on_every_catalogue_example(
    op: Operation, body: Any
) -> None:
    assert _check(op, body) > 0


# --- edge values -------------------------------------------------------------------------------

EXPENSE = CATALOGUE.get("expenses.get")
TAX_CODE = CATALOGUE.get("tax-codes.get")


def _expense(**fields: Any) -> Record:
    record: Record = {"id": "e1", "companyId": "c1"}
    record.update(fields)
    return record


@pytest.mark.parametrize(
    ("minors", "currency"),
    [
        (1500, "JPY"),
        (1005, "KWD"),
        (1234, "DKK"),
        (-1234, "DKK"),
        (7, "ISK"),
        (1, "BHD"),
        (12345, "CLF"),
        (1500, "jpy"),
        (10**17 + 3, "EUR"),
        (0, "USD"),
    ],
)
def test_money_in_minor_units_comes_back_in_major_units(minors: int, currency: str) -> None:
    money = {"minors": minors, "currency": currency}
    body = {"data": _expense(totalBillValue=money, transactionValue=dict(money))}
    assert _check(EXPENSE, body) > 0


@pytest.mark.parametrize(
    "money",
    [None, {"minors": 1.5, "currency": "DKK"}, {"minors": True, "currency": "DKK"}, "12 DKK"],
)
def test_money_the_converter_would_refuse_stays_as_sent(money: Any) -> None:
    function = _function(CATALOGUE, "Expense", ["amountSettled"])
    assert function(_expense(totalBillValue=money))["amountSettled"] == money


@pytest.mark.parametrize("family", ["CARD_PURCHASE", "MILEAGE", "OVERDRAFT", "NOT_A_FAMILY"])
def test_enum_values_go_through_the_inverse_table(family: str) -> None:
    body = {"data": _expense(family=family, exportStatus="CREATED")}
    function = _function(CATALOGUE, "Expense", ["type", "status"])
    out = function(body["data"])
    expected = CATALOGUE.convert_records(EXPENSE, "new", "legacy", body)[0]
    assert (out["type"], out["status"]) == (expected["type"], expected["status"])


@pytest.mark.parametrize(
    "stamp",
    [
        "2024-03-01T10:00:30Z",
        "2024-03-01T12:00:30.123456+02:00",
        "2024-03-01T10:00:30.5Z",
        "2024-03-01T10:00:30",  # no zone: the converter refuses it, it stays
        "yesterday",
        None,
    ],
)
def test_timestamps_get_milliseconds_as_the_converter_writes_them(stamp: Any) -> None:
    body = {"data": _expense(performedAt=stamp, createdAt=stamp)}
    function = _function(CATALOGUE, "Expense", ["performedAt", "createdAt"])
    out = function(body["data"])
    expected = CATALOGUE.convert_records(EXPENSE, "new", "legacy", body)[0]
    assert out["performedAt"] == expected["performedAt"]
    assert out["createdAt"] == expected["createdAt"]


@pytest.mark.parametrize("rate", [0.25, 0.07, 0.125, 0, 1, 0.333, "0.2", None, True])
def test_a_fraction_comes_back_as_a_percent(rate: Any) -> None:
    record = {"id": "t1", "name": "VAT", "code": "S", "rate": rate, "type": "inclusive"}
    function = _function(CATALOGUE, "TaxCode", ["rate"])
    out = function(record)
    # a value the converter refuses (True) stays as sent, in the function as in compat
    expected = CATALOGUE.convert_records(TAX_CODE, "new", "legacy", {"data": record})[0]
    assert out["rate"] == expected["rate"]
    assert type(out["rate"]) is type(expected["rate"])


def test_nested_lines_come_back_as_legacy_lines() -> None:
    line = {
        "id": "l1",
        "totalBillValue": {"minors": 1005, "currency": "KWD"},
        "accountId": "a1",
        "taxCodeId": None,
        "tags": [{"tagId": "t1", "tagGroupId": "g1"}],
        "createdAt": "2024-01-01T00:00:00Z",
    }
    body = {"data": _expense(splitItems=[line, "not a line"], tags=[{"tagId": "t2"}])}
    function = _function(CATALOGUE, "Expense", ["lines", "tagIds"])
    out = function(body["data"])
    assert out["lines"][0] == {
        "amountSettled": {"value": 1.005, "currency": "KWD"},
        "accountId": "a1",
        "taxCodeId": None,
        "tagIds": [{"id": "t1", "tagGroupId": "g1"}],
    }
    assert out["lines"][1] == "not a line"
    assert out["tagIds"] == [{"id": "t2", "tagGroupId": None}]
    assert out["splitItems"] == [line, "not a line"]  # the new field stays too


# --- what cannot be restored -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("employeeCode", "`employeeCode` has no new-API equivalent"),
        ("cardTransaction", "`cardTransaction` is gone on the new API"),
        ("settledExpenseIds", "`settledExpenseIds` has no new-API equivalent"),
    ],
)
def test_a_field_without_an_exact_inverse_has_no_function(key: str, why: str) -> None:
    with pytest.raises(NoAdapter, match=why):
        legacy_adapter(CATALOGUE, "Expense", ["amountSettled", key])


def test_a_receipt_size_goes_back_to_kilobytes_as_the_catalogue_converts_it() -> None:
    adapter = legacy_adapter(CATALOGUE, "Receipt", ["size"])
    namespace: dict[str, Any] = {}
    exec(adapter.code, namespace)
    inverse = get_converter("kilobytes")
    assert inverse is not None
    for size in (123392, 0, 1, 1023, 1536, 10**9 + 7):
        back = namespace[adapter.name]({"sizeInBytes": size})["size"]
        assert back == inverse.inverse(size, {}), size
    assert namespace[adapter.name]({"sizeInBytes": None})["size"] is None


def test_a_declared_loss_is_given_back_as_none_only_when_allowed() -> None:
    with pytest.raises(NoAdapter, match="`name` has no new-API equivalent"):
        legacy_adapter(CATALOGUE, "Receipt", ["name"])
    adapter = legacy_adapter(CATALOGUE, "Receipt", ["name"], lost={"name"})
    namespace: dict[str, Any] = {}
    exec(adapter.code, namespace)
    assert namespace[adapter.name]({"id": "r1"}) == {"id": "r1", "name": None}
    assert [item.advice for item in adapter.restored] == ["no name (lost: null)"]


def test_names_and_docstring() -> None:
    assert adapter_name("Expense") == "_pleo_legacy_expense"
    assert adapter_name("TaxCode") == "_pleo_legacy_tax_code"
    code = legacy_adapter(CATALOGUE, "Expense", ["amountSettled"]).code
    assert "restored (amountSettled). Added by pleo-migrate (PLM109)" in " ".join(code.split())
    assert "then delete this function" in code
    assert all(len(line) <= 100 for line in code.splitlines())


def test_a_key_read_inside_a_nested_record_restores_the_record_around_it() -> None:
    """`e["supplier"]["CIF"]`: `supplier` keeps its key, `CIF` becomes `cif` inside it."""
    adapter = legacy_adapter(CATALOGUE, "Expense", ["CIF"])
    assert [(item.legacy, item.new) for item in adapter.restored] == [("supplier", "supplier")]
    function = _function(CATALOGUE, "Expense", ["CIF"])
    body = {"data": _expense(supplier={"cif": "B123", "documentNumber": "F-1"})}
    expected = CATALOGUE.convert_records(EXPENSE, "new", "legacy", body)[0]
    assert function(body["data"])["supplier"] == expected["supplier"] == {
        "CIF": "B123",
        "documentNumber": "F-1",
    }
