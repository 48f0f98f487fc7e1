"""PLM007 envelope_key: the legacy envelope becomes data (with the path rules), and the legacy
`totalCount` becomes `pagination.total`; other legacy paging metadata stays a PLM107 TODO that
names the field read."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import dataclasses

import pytest

from migrate.codemod.rules import envelope_key
from migrate.mapping import Endpoint, load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import by_name
from tests.codemod.helpers import FIXTURE_MAPPINGS, check, code, rewrite, scan

CASES = [
    pytest.param(
        """
        import requests


        def employees_page():
            response = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 10})
            return response.json()
        """,
        None,
        id="no change: the body is returned, not read here (PLM108)",
    ),
    pytest.param(
        """
        import requests


        def employees_page():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        """
        import requests


        def employees_page():
            return requests.get("https://external.pleo.io/v2/employees?pageSize=10").json()["data"]
        """,
        id="a key read on the json() call",
    ),
    pytest.param(
        """
        import requests


        def accounts(session: requests.Session):
            body = session.get("https://openapi.pleo.io/v1/accounts?pageSize=50").json()
            return [account["id"] for account in body.get("accounts", [])]
        """,
        """
        import requests


        def accounts(session: requests.Session):
            body = session.post("https://external.pleo.io/v1/chart-of-accounts:search?pageSize=50", json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": False}).json()
            return [account["id"] for account in body.get("data", [])]
        """,
        id=".get() on a body held in a local",
    ),
    pytest.param(
        """
        import requests


        def expense(expense_id):
            response = requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}")
            response.raise_for_status()
            expense = response.json()
            return expense["id"], expense["note"]
        """,
        """
        import requests


        def expense(expense_id):
            response = requests.get(f"https://external.pleo.io/v1/accounting-entries/{expense_id}")
            response.raise_for_status()
            expense = response.json()["data"]
            return expense["id"], expense["note"]
        """,
        id='a bare object gains ["data"]',
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_envelope_key(before: str, after: str | None) -> None:
    check(before, after, ["PLM002", "PLM003", "PLM007"])


# --- the legacy total: metadata.pageInfo.totalCount → pagination.total -------------------------

TOTAL_RULES = ["PLM002", "PLM003", "PLM005", "PLM007", "PLM107"]

TOTAL_CASES = [
    pytest.param(
        """
        import requests


        def employee_count():
            r = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 1})
            return r.json()["metadata"]["pageInfo"]["totalCount"]
        """,
        """
        import requests


        def employee_count():
            r = requests.get("https://external.pleo.io/v2/employees", params={"limit": 1})
            return r.json()["pagination"]["total"]
        """,
        id="subscripts on the json() call stay subscripts",
    ),
    pytest.param(
        """
        import requests


        def employee_count():
            body = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 1}).json()
            return body.get('metadata', {}).get('pageInfo', {}).get('totalCount', 0)
        """,
        """
        import requests


        def employee_count():
            body = requests.get("https://external.pleo.io/v2/employees", params={"limit": 1}).json()
            return body.get('pagination', {}).get('total', 0)
        """,
        id=".get chains stay .get chains, quotes and defaults kept",
    ),
    pytest.param(
        """
        import requests


        def accounts_page():
            body = requests.get("https://openapi.pleo.io/v1/accounts", params={"pageSize": 10}).json()
            return body["accounts"], body["metadata"].get("pageInfo")["totalCount"]
        """,
        """
        import requests


        def accounts_page():
            body = requests.post("https://external.pleo.io/v1/chart-of-accounts:search", params={"limit": 10}, json={"excludeIfAssignedToCategory": False, "excludeIfAssignedToContraAccount": False}).json()
            return body["data"], body["pagination"]["total"]
        """,
        id="a :search list, mixed forms, next to the records",
    ),
    pytest.param(
        """
        import requests


        def page_size():
            body = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 1}).json()
            return body["metadata"]["pageInfo"]["totalCount"], body["metadata"]["pageInfo"]["pageSize"]
        """,
        """
        import requests


        def page_size():
            # TODO[pleo-migrate PLM107]: no metadata.pageInfo.pageSize in the new API
            body = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 1}).json()
            return body["metadata"]["pageInfo"]["totalCount"], body["metadata"]["pageInfo"]["pageSize"]
        """,
        id="pageSize has no new twin: the call stays, with a TODO naming the field",
    ),
]


@pytest.mark.parametrize(("before", "after"), TOTAL_CASES)
def test_total_count(before: str, after: str) -> None:
    check(before, after, TOTAL_RULES)


@pytest.mark.parametrize(("before", "after"), TOTAL_CASES)
def test_scan_agrees_and_a_second_run_finds_nothing(before: str, after: str) -> None:
    moved = "external.pleo.io" in code(after)
    assert [not site.reasons for site in scan(before)] == [moved]
    assert rewrite(after, TOTAL_RULES) == code(after)


def test_a_new_answer_without_total_keeps_the_read_manual() -> None:
    """Every offset-paged list of the shipped catalogue answers `pagination.total`; one whose
    new operation is not in the specs does not, and then `totalCount` has nothing to become."""
    catalogue = load_catalogue(FIXTURE_MAPPINGS)
    listed = catalogue.get("employees.list")
    assert envelope_key.answers_total(listed)
    unknown = dataclasses.replace(listed, new=Endpoint("GET", "/v2/employee-headcount"))
    assert not envelope_key.answers_total(unknown)
    assert not envelope_key.answers_total(dataclasses.replace(listed, paging="none"))


@pytest.mark.slow
def test_the_corpus_count_is_the_same_on_the_new_api(simulator: SimulatorHandle) -> None:
    """`employee_count` run against the simulator: the rewritten call reads `pagination.total`
    of the new API and returns the very count the legacy `totalCount` gave."""
    report = harness.measure(by_name("invented_endpoints"), simulator, strategies=("native",))
    native = report.strategies["native"]
    assert 'r.json()["pagination"]["total"]' in native.rewrite.source
    legacy = report.original.outcome("employee_count")
    assert legacy is not None and isinstance(legacy["returned"], int) and legacy["returned"] > 1
    assert native.verdicts["employee_count"] == harness.EQUAL
