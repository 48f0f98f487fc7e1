"""The catalogue covers every known legacy endpoint, and matches Pleo's published specs."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from migrate.mapping import load_catalogue
from migrate.mapping.conformance import (
    check_against_specs,
    check_legacy_coverage,
    legacy_endpoints,
    legacy_operations,
)
from migrate.mapping.specs import load_new_api_specs
from migrate.resources import legacy_endpoints_file, legacy_spec_file, mappings_dir, new_specs_dir
from tests.conftest import SHARED_SPECS


def _legacy_file() -> Path:
    """The project's shared copy when it sits beside the repo (CI), else the vendored copy."""
    shared = SHARED_SPECS / "legacy" / "legacy-openapi.yml"
    return shared if shared.exists() else legacy_spec_file()


def test_every_legacy_spec_operation_has_an_operation_with_its_evidence() -> None:
    catalogue = load_catalogue()
    operations = legacy_operations(_legacy_file())
    assert len(operations) == 46
    assert check_legacy_coverage(catalogue, _legacy_file()) == []
    assert len(list(catalogue)) == 46
    for legacy in operations:
        concrete = legacy.path.replace("{", "").replace("}", "")
        match = catalogue.match_legacy(legacy.method, concrete)
        assert match is not None, f"{legacy.method} {legacy.path} resolves to no operation"
        assert match.operation.legacy.method == legacy.method
        assert match.operation.evidence == legacy.evidence in ("documented", "inferred")
    # the ten the earlier reconstruction lacked (CHANGES-FROM-RECONSTRUCTION rows 1-10)
    for op_id in ("account-groups.list", "account-groups.get", "teams.get", "teams.delete",
                  "teams.add-member", "teams.remove-member", "health.get"):
        assert catalogue.get(op_id).kind == "gap"
    assert catalogue.get("teams.list").evidence == "inferred"
    assert catalogue.get("accounts.delete").evidence == "inferred"


def test_coverage_check_notices_a_missing_endpoint(tmp_path: Path) -> None:
    folder = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), folder)
    text = (folder / "companies.yaml").read_text(encoding="utf-8")
    (folder / "companies.yaml").write_text(
        text.replace("legacy: GET /v1/companies/balance", "legacy: GET /v1/companies/wallet"),
        encoding="utf-8",
    )
    problems = check_legacy_coverage(load_catalogue(folder), _legacy_file())
    assert sorted(p.operation for p in problems) == [
        "GET /v1/companies/balance",
        "companies.balance",
    ]


def test_coverage_check_notices_a_wrong_evidence_level(tmp_path: Path) -> None:
    folder = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), folder)
    text = (folder / "teams.yaml").read_text(encoding="utf-8")
    (folder / "teams.yaml").write_text(
        text.replace("legacy: GET /v1/teams\n    evidence: inferred",
                     "legacy: GET /v1/teams\n    evidence: documented"),
        encoding="utf-8",
    )
    problems = check_legacy_coverage(load_catalogue(folder), _legacy_file())
    assert [(p.operation, p.field) for p in problems] == [("teams.list", "evidence")]
    assert "marks GET /v1/teams 'inferred'" in problems[0].message


def test_the_old_endpoint_list_is_the_spec_minus_the_ten_it_lacked() -> None:
    old = json.loads(legacy_endpoints_file().read_text(encoding="utf-8"))["endpoints"]
    assert len(old) == 36
    assert len(legacy_endpoints(_legacy_file())) == 46


@pytest.mark.skipif(not SHARED_SPECS.exists(), reason="../shared/specs is not beside this checkout")
def test_vendored_specs_are_the_shared_ones() -> None:
    shared = sorted((SHARED_SPECS / "new").glob("*.yml"))
    assert shared, "no specs under ../shared/specs/new"
    for path in shared:
        assert (new_specs_dir() / path.name).read_bytes() == path.read_bytes(), path.name
    assert (
        legacy_endpoints_file().read_bytes()
        == (SHARED_SPECS / "legacy" / "RECONSTRUCTED-legacy-endpoints.json").read_bytes()
    )


def _specs_dir() -> Path:
    shared = SHARED_SPECS / "new"
    return shared if shared.exists() else new_specs_dir()


def test_every_new_endpoint_and_field_is_in_the_specs() -> None:
    problems = check_against_specs(load_catalogue(), load_new_api_specs(_specs_dir()))
    assert [p.one_line() for p in problems] == []


def test_every_mapped_operation_names_a_spec_operation() -> None:
    specs = load_new_api_specs(_specs_dir())
    for operation in load_catalogue():
        if operation.new is not None:
            assert specs.find(operation.new.method, operation.new.path), operation.id


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "new: GET /v2/employees\n",
            "new: GET /v2/staff\n",
            "GET /v2/staff is not in the new API's specs",
            id="unknown-endpoint",
        ),
        pytest.param(
            "    jobTitle: {legacy: jobTitle, new: jobTitle}",
            "    jobTitle: {legacy: jobTitle, new: title}",
            "new field 'data[].title' is not in the response schema of GET /v2/employees",
            id="unknown-response-field",
        ),
        pytest.param(
            "      email: {query: email}",
            "      email: {query: mail}",
            "query parameter 'mail' is not a parameter of GET /v2/employees",
            id="unknown-query-parameter",
        ),
        pytest.param(
            "    company: query:companyId\n    paging",
            "    company: query:company_id\n    paging",
            "GET /v2/employees has no query parameter 'company_id'",
            id="wrong-company-parameter",
        ),
    ],
)
def test_spec_check_catches_drift(tmp_path: Path, old: str, new: str, expected: str) -> None:
    folder = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), folder)
    path = folder / "employees.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    messages = [
        p.message for p in check_against_specs(load_catalogue(folder), load_new_api_specs())
    ]
    assert any(expected in message for message in messages), messages


def test_legacy_spec_names_each_operation_with_its_evidence() -> None:
    operations = legacy_operations(_legacy_file())
    assert {op.evidence for op in operations} == {"documented", "inferred"}
    assert all(op.path.startswith("/v1/") and op.operation_id for op in operations)
