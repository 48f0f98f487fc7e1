"""`scan`: the inventory (text, JSON, SARIF 2.1.0), the minimum scopes, hard-coded credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_runner import invoke
from tests.codemod.helpers import FIXTURE_MAPPINGS, code, scan

MODULE = code(
    """
    import os

    import requests

    BASE = os.environ.get("PLEO_LEGACY_URL", "https://openapi.pleo.io/v1")
    TOKEN = "legacy-token-for-tests-only"
    HEADERS = {"Authorization": f"Bearer {TOKEN}"}


    def employees():
        body = requests.get(f"{BASE}/employees?pageSize=20", headers=HEADERS).json()
        return body["employees"]


    def expenses(filters):
        return requests.get(f"{BASE}/expenses", params=filters, headers=HEADERS).json()


    def fetch(path):
        return requests.get(BASE + path, headers=HEADERS).json()


    def balance():
        return requests.get(f"{BASE}/companies/balance", headers=HEADERS).json()
    """
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "sync.py").write_text(MODULE, encoding="utf-8")
    return tmp_path


def test_every_call_site_with_operation_method_url_and_classification() -> None:
    sites = {site.line: site for site in scan(MODULE)}
    assert {line: site.label for line, site in sites.items()} == {
        11: "employees.list",
        16: "expenses.list",
        20: "dynamic path",
        24: "companies.balance",
    }
    employees = sites[11]
    # BASE and HEADERS stay for the calls that stay legacy; it moves onto copies (as rewrite)
    assert (employees.method, employees.automatic, employees.scopes) == (
        "GET",
        True,
        ("users:read",),
    )
    assert employees.reasons == ()
    assert employees.url == "f-string on constant BASE"
    assert employees.new == "GET /v2/employees" and employees.col == 12
    assert [todo.rule for todo in sites[16].reasons] == ["PLM106", "PLM107", "PLM108"]
    assert sites[20].url == "concatenation on constant BASE"
    assert [todo.rule for todo in sites[24].reasons] == ["PLM102"]


def test_text_inventory_ends_with_scopes_and_credentials(project: Path) -> None:
    result = invoke(["scan", "--mappings", FIXTURE_MAPPINGS, str(project)])
    assert result.exit_code == 1
    out = result.stdout
    assert f"{project / 'sync.py'}:11:12: employees.list  GET" in out
    assert "automatic  scopes=users:read" in out
    assert "manual PLM102" in out
    assert (
        "minimum API-key scopes: accounting-entries:read, users:read "
        "(plus whatever the 1 unresolved call site(s) need)" in out
    )
    assert "hard-coded credentials:" in out and "TOKEN (assignment, 27 characters" in out
    assert "legacy-token-for-tests-only" not in out + result.stderr  # never the value
    assert "4 legacy call sites in 1 file (1 examined)" in result.stderr


def test_json_inventory(project: Path) -> None:
    result = invoke(["scan", "-o", "json", "--mappings", FIXTURE_MAPPINGS, str(project)])
    data = json.loads(result.stdout)
    assert data["summary"] == {
        "files": 1,
        "call_sites": 4,
        "automatic": 1,
        "manual": 3,
        "unresolved": 1,
        "credentials": 1,
        "failed": 0,
        "non_python_references": 0,
        "non_python_files": 0,
    }
    assert data["scopes"] == ["accounting-entries:read", "users:read"]
    kinds = {(ref["kind"], ref["detail"]) for ref in data["references"]}
    assert ("base URL", "https://openapi.pleo.io/v1") in kinds
    assert ("environment variable", "PLEO_LEGACY_URL → PLEO_NEW_API_URL") in kinds


def test_sarif_2_1_0_with_stable_rule_ids_and_fingerprints(project: Path) -> None:
    first = json.loads(
        invoke(["scan", "-o", "sarif", "--mappings", FIXTURE_MAPPINGS, str(project)]).stdout
    )
    assert first["version"] == "2.1.0" and first["$schema"].endswith("sarif-2.1.0.json")
    run = first["runs"][0]
    rules = {rule["id"] for rule in run["tool"]["driver"]["rules"]}
    assert rules == {"employees.list", "expenses.list", "companies.balance", "PLM101", "PLM010"}
    results = run["results"]
    assert {r["ruleId"] for r in results} == rules
    levels = {r["ruleId"]: r["level"] for r in results}
    assert levels["employees.list"] == "note" and levels["companies.balance"] == "error"
    location = results[0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"].endswith("sync.py")
    assert location["region"]["startLine"] > 0 and location["region"]["startColumn"] > 0
    # Lines moved down by a comment: same fingerprints, new line numbers.
    (project / "sync.py").write_text("# moved\n" + MODULE, encoding="utf-8")
    second = json.loads(
        invoke(["scan", "-o", "sarif", "--mappings", FIXTURE_MAPPINGS, str(project)]).stdout
    )
    prints = [r["partialFingerprints"] for r in results]
    assert prints == [r["partialFingerprints"] for r in second["runs"][0]["results"]]
    assert len({p["pleoMigrate/v1"] for p in prints}) == len(prints)


def test_a_clean_tree_exits_0(tmp_path: Path) -> None:
    (tmp_path / "app.py").write_text("print('no Pleo here')\n", encoding="utf-8")
    result = invoke(["scan", str(tmp_path)])
    assert result.exit_code == 0
    assert result.stdout == ""
    assert "0 legacy call sites in 0 files (1 examined)" in result.stderr


def test_a_request_helpers_own_call_is_not_an_unresolved_path() -> None:
    """A wrapper's private request helper: its callers are the sites (each with its operation);
    its own HTTP call is reported as the helper, not as a dynamic path that needs unknown
    scopes (it used to count as unresolved)."""
    corpus = Path(__file__).resolve().parent / "corpus" / "wrapper_requests.py"
    result = invoke(["scan", "-o", "json", str(corpus)])
    assert result.exit_code == 1, result.stderr
    found = json.loads(result.stdout)
    helper = [site for site in found["call_sites"] if site["status"] == "helper"]
    assert [(site["label"], site["url"]) for site in helper] == [
        ("request helper", "request helper _request")
    ]
    assert "6 call(s) of _request" in helper[0]["target"]
    assert found["summary"]["unresolved"] == 0
    operations = {site["operation"] for site in found["call_sites"]}
    assert operations >= {"employees.list", "tax-codes.get"}


URLLIB = """
import json
import os
import urllib.request
from urllib.request import Request, urlopen

BASE = "https://openapi.pleo.io/v1"


def tax_codes():
    req = urllib.request.Request(BASE + "/tax-codes", headers={"Authorization": "Bearer x"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        return json.load(resp)["taxCodes"]


def employee(employee_id):
    with urlopen(Request(f"{BASE}/employees/{employee_id}")) as resp:
        return json.load(resp)


def account(account_id):
    with urlopen(f"{BASE}/accounts/{account_id}") as resp:
        return json.load(resp)


def anything(url):
    with urlopen(url) as resp:
        return json.load(resp)
"""


def test_a_urllib_request_and_its_urlopen_are_one_call_site() -> None:
    """`urlopen(req)` of a `Request` (inline or by name) is the same request, not a second
    site; a `urlopen` of a URL is a site of its own (one the module chooses at run time too)."""
    labels = sorted((s.line, s.label) for s in scan(URLLIB))
    assert labels == [
        (10, "tax-codes.list"), (16, "employees.get"), (21, "accounts.get"), (26, "dynamic path")
    ]
