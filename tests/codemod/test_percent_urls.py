"""Native strategy: URLs built with `%` (issue 12). The template literal is rebuilt where it is
written and every value keeps its place: `"%s/expenses/%s" % (BASE, id)` →
`"%s/v1/accounting-entries/%s" % (NEW_API_BASE, id)`. A template with other conversions, or a
new path that would take the values in another order, is left to a human."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite, scan

SCRIPT = '''
import os

import requests

PLEO_URL = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer %s" % os.environ.get("PLEO_TOKEN", "")}


def expense(expense_id):
    resp = requests.get("%s/expenses/%s" % (PLEO_URL, expense_id), headers=HEADERS, timeout=30)
    resp.raise_for_status()
    return resp.json()


def tax_code(code):
    return requests.get("%s/tax-codes/%s" % (PLEO_URL, code), headers=HEADERS).json()
'''

SESSION = '''
import os

import requests


class Ledger:
    def __init__(self):
        self.root = "https://openapi.pleo.io/v1"
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")

    def employee(self, employee_id):
        return self.http.get("%s/employees/%s" % (self.root, employee_id)).json()

    def account(self, account_id):
        r = self.http.get('%s/accounts/%s' % (self.root, account_id))
        r.raise_for_status()
        return r.json()
'''


def test_the_template_literal_is_rebuilt_and_the_values_keep_their_place() -> None:
    after = rewrite(SCRIPT)
    assert '"%s/v1/accounting-entries/%s" % (PLEO_URL, expense_id)' in after
    assert '"%s/v0/tax-codes/%s" % (PLEO_URL, code)' in after
    assert 'PLEO_URL = "https://external.pleo.io"' in after
    assert rewrite(after) == after  # a second run finds nothing to do


def test_single_quotes_and_an_attribute_base_are_kept_as_written() -> None:
    after = rewrite(SESSION)
    assert "'%s/v1/chart-of-accounts/%s' % (self.root, account_id)" in after
    assert '"%s/v2/employees/%s" % (self.root, employee_id)' in after


def test_other_conversions_are_left_to_a_human() -> None:
    source = SCRIPT.replace(
        '"%s/tax-codes/%s" % (PLEO_URL, code)', '"%s/tax-codes/%05d" % (PLEO_URL, code)'
    )
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["tax-codes.get"][0] is False
    assert '"%s/tax-codes/%05d" % (PLEO_URL, code)' in rewrite(source)


RUNS = {
    "percent_script": (SCRIPT, None, (
        Call("expense", ("expenses.get",), ("@expense",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "percent_session": (SESSION, "Ledger", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("account", ("accounts.get",), ("@account",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_rewritten_percent_module_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        verdict = done.verdicts[call.label]
        assert verdict in harness.WORKING, (
            harness.explain(report, "native", call.label)
        )
