"""The JSON contracts between the tools: what `scan` writes is what its schema describes, and
readers refuse anything else (SARIF, other JSON, unknown versions) with exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from migrate.codemod.file_results import FileResult, HardcodedCredential, Reference, Todo
from migrate.codemod.scan import SCHEMA_VERSION, Inventory, as_json
from migrate.contracts import SCAN, SHADOW_SUMMARY, ContractError, check, validate
from tests.cli_runner import invoke
from tests.scan_documents import SARIF, as_printed, call_site, scan_json

REPO = Path(__file__).resolve().parent.parent


def _schema(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded


def _every_kind_of_item() -> dict[str, Any]:
    """A scan holding one of each item kind, written by the real writer."""
    site = call_site("sync/a.py", 3, "employees.list")
    site = type(site)(**{**site.__dict__, "reasons": (Todo("PLM101", 3, "why", "https://d"),)})
    found = Inventory(
        sites=(site,),
        credentials=(HardcodedCredential("s.py", 1, 1, "TOKEN", "assignment", 36, "0123456789ab"),),
        references=(Reference("s.py", 2, 1, "base URL", "https://openapi.pleo.io/v1"),),
        problems=(FileResult("bad.py", "failed", reason="syntax error", line=4),),
        scopes=("users:read",), unresolved=0, examined=3,
    )
    return as_printed(as_json(found))


# Keys added after version 1 was published: written always, required never, so that a scan
# written before them stays readable.
OPTIONAL = {"call_site": {"notes"}}


def test_the_scan_schema_lists_exactly_the_keys_the_writer_writes() -> None:
    schema = _schema(SCAN.schema)
    document = _every_kind_of_item()
    assert not validate(document, SCAN)
    assert document["schema_version"] == SCHEMA_VERSION == schema["properties"][
        "schema_version"]["const"]
    assert set(document) == set(schema["properties"]) == set(schema["required"])
    assert set(document["summary"]) == set(schema["properties"]["summary"]["properties"])
    for key, kind in (("call_sites", "call_site"), ("credentials", "credential"),
                      ("references", "reference"), ("problems", "problem")):
        described = schema["$defs"][kind]
        assert set(document[key][0]) == set(described["properties"]) == set(
            described["required"]) | OPTIONAL.get(kind, set()), kind
    reasons = schema["$defs"]["call_site"]["properties"]["reasons"]["items"]["properties"]
    assert set(document["call_sites"][0]["reasons"][0]) == set(reasons)


def test_a_real_scan_of_the_examples_is_valid() -> None:
    result = invoke(["scan", str(REPO / "examples"), "-o", "json"])
    assert result.exit_code in (0, 1), result.stderr
    document = json.loads(result.stdout)
    assert document["call_sites"], "the examples call the legacy API"
    assert validate(document, SCAN) == []


@pytest.mark.parametrize(
    ("document", "message"),
    [
        pytest.param(SARIF, "x.json is a SARIF file, not a pleo-migrate scan", id="sarif"),
        pytest.param({"call_sites": []}, "(it has no schema_version)", id="no-version"),
        pytest.param(["employees.list"], "(not a JSON object)", id="not-an-object"),
        pytest.param({**scan_json(), "schema_version": 2}, "schema_version 2", id="future"),
        pytest.param({**scan_json(), "summary": {**scan_json()["summary"], "files": -1}},
                     "at summary.files: -1 is less than the minimum of 0", id="bad-value"),
    ],
)
def test_check_refuses_with_exit_2(document: Any, message: str) -> None:
    with pytest.raises(ContractError) as info:
        check(document, SCAN, "x.json")
    assert message in str(info.value)
    assert info.value.exit_code == 2


def test_a_long_list_of_problems_is_shortened() -> None:
    document = {**scan_json(), "call_sites": [{}, {}, {}, {}]}
    with pytest.raises(ContractError, match=r"; and \d+ more$"):
        check(document, SCAN, "x.json")


def test_a_summary_is_not_a_scan_and_a_scan_is_not_a_summary() -> None:
    summary = {"schema_version": 1, "run_id": "r1", "run": {}, "operations": [],
               "totals": {"operations": 0, "records": 0, "parity": None, "outcomes": {}}}
    with pytest.raises(ContractError, match="not a valid pleo-migrate scan"):
        check(summary, SCAN, "summary.json")
    with pytest.raises(ContractError, match="not a valid pleo-migrate shadow summary"):
        check(scan_json(), SHADOW_SUMMARY, "scan.json")


def test_jsonschema_is_imported_on_first_use_only() -> None:
    code = (
        "import sys, migrate.cli, migrate.contracts, migrate.report, migrate.shadow\n"
        "assert 'jsonschema' not in sys.modules, 'imported at start-up'\n"
        "from migrate.contracts import SCAN, validate\n"
        "validate({}, SCAN)\n"
        "assert 'jsonschema' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=REPO, timeout=120)
