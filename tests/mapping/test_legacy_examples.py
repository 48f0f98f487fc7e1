"""Every legacy-side example in `mappings/` is a body Pleo's legacy spec allows.

The examples are what the catalogue claims the legacy API sends and accepts; checked against
specs/legacy/legacy-openapi.yml (closed objects, required fields, enums), a wrong belief such
as a tag with `code`/`name` or a tax code typed `inclusive` fails here. (Before the catalogue
was corrected, 17 examples failed: CHANGES-FROM-RECONSTRUCTION rows 71-77.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from migrate.mapping import load_catalogue
from migrate.mapping.model import Example, Operation
from migrate.mapping.yaml_reader import load_plain
from tests.simulator.legacy_spec import SPEC_FILE, _Converter, find

CATALOGUE = load_catalogue()


def _request_schema(method: str, path: str) -> Any:
    document = load_plain(SPEC_FILE)
    raw = document["paths"][path][method.lower()]
    body = raw.get("requestBody")
    if body is None:
        return None
    convert = _Converter(document)
    if "$ref" in body:
        body = convert.ref(body["$ref"])
    return convert.schema(body["content"]["application/json"]["schema"])


def _cases() -> Iterator[Any]:
    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction != "path":
                yield pytest.param(operation, example, id=f"{operation.id}: {example.name}")


CASES = list(_cases())


def _schema(operation: Operation, example: Example) -> Any:
    path = operation.legacy.path.removeprefix("/v1")
    if example.direction == "request":
        return _request_schema(operation.legacy.method, path)
    found = find(operation.legacy.method, path)
    assert found is not None, f"{operation.legacy} is not in the legacy spec"
    return found.responses.get("200")


@pytest.mark.parametrize(("operation", "example"), CASES)
def test_legacy_example_validates_against_the_legacy_spec(
    operation: Operation, example: Example
) -> None:
    schema = _schema(operation, example)
    assert schema is not None, f"the legacy spec describes no {example.direction} body"
    errors = sorted(Draft202012Validator(schema).iter_errors(example.legacy), key=str)
    assert not errors, "; ".join(
        f"{'/'.join(map(str, e.absolute_path)) or '(body)'}: {e.message}" for e in errors
    )


def test_every_mapped_operation_with_a_body_has_a_legacy_example_checked() -> None:
    checked = {case.values[0].id for case in CASES}
    with_body = {
        op.id
        for op in CATALOGUE
        if op.mapped
        and ((op.response is not None and not op.response.legacy.empty) or op.request)
    }
    assert checked == with_body
    assert len(CASES) == 28


@pytest.mark.parametrize(
    ("table", "schema"),
    [("ExpenseType", "ExpenseType"), ("ExportStatus", "ExportStatus"), ("TaxType", "TaxCode")],
)
def test_legacy_enum_tables_have_exactly_the_legacy_specs_values(table: str, schema: str) -> None:
    """12 expense types (not 7), tax-code types NORMAL/REVERSE (not the new API's)."""
    schemas = load_plain(SPEC_FILE)["components"]["schemas"]
    spec = schemas[schema]
    values = spec["properties"]["type"]["enum"] if "properties" in spec else spec["enum"]
    assert set(CATALOGUE.enums[table].forward) == set(values)


def test_newer_families_map_to_their_own_legacy_types() -> None:
    inverse = CATALOGUE.enums["ExpenseType"].inverse
    assert inverse["CASHBACK"] == "CASHBACK"
    assert inverse["BILL_INVOICE_PAYMENT"] == "BILL_INVOICE_PAYMENT"
    assert inverse["OVERDRAFT"] == "OVERDRAFT_FEE"
