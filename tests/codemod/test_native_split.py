"""Native strategy: a call that waits for a module-level shared thing moves onto a copy of it.

One call stays (a flow), the others move onto copies of the host constant, the header builder
and the token the rewrite adds beside the legacy ones, which stay exactly as they were with
one TODO naming the call still on them. Also: a staging host under an `if` (both branches are
copied), extra headers kept, a new name that would clash, idempotence, a wrapper instance that
still waits, a call that reaches a shared thing another way than by a name it reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

TODO = "# TODO[pleo-migrate"

SCRIPT = '''
"""A script: two calls that can move, one flow that stays."""

import os

import requests

BASE = "https://openapi.pleo.io/v1"
TOKEN = os.environ.get("PLEO_TOKEN", "")


def headers():
    return {"Authorization": "Bearer {}".format(TOKEN), "Accept": "application/json"}


def employee(employee_id):
    r = requests.get(f"{BASE}/employees/{employee_id}", headers=headers())
    r.raise_for_status()
    return r.json()


def tax_code(tax_code_id):
    r = requests.get(BASE + "/tax-codes/" + tax_code_id, headers=headers())
    r.raise_for_status()
    return r.json()


def tag_groups():
    r = requests.get(BASE + "/tag-groups?archived=true", headers=headers())
    r.raise_for_status()
    return r.json()
'''

STAGING = '''
import os

import requests

API = "https://openapi.pleo.io/v1"
if os.environ.get("PLEO_ENV") == "staging":
    API = "https://openapi.staging.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", ""), "X-Caller": "nightly"}


def employee(employee_id):
    return requests.get(f"{API}/employees/{employee_id}", headers=HEADERS).json()


def tag_groups():
    return requests.get(API + "/tag-groups?archived=true", headers=HEADERS).json()
'''

WRAPPER = '''
import os

import requests


class Pleo:
    def __init__(self):
        self.base_url = "https://openapi.pleo.io/v1"
        self.headers = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}

    def employee(self, employee_id):
        r = requests.get(f"{self.base_url}/employees/{employee_id}", headers=self.headers)
        return r.json()

    def tag_groups(self):
        r = requests.get(self.base_url + "/tag-groups?archived=true", headers=self.headers)
        return r.json()
'''


def _code(text: str) -> list[str]:
    return [line for line in text.splitlines() if TODO not in line]


def _todos(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TODO in line]


def test_the_calls_move_onto_copies_and_the_legacy_things_stay_as_they_were() -> None:
    after = rewrite(SCRIPT)
    lines = _code(after)
    for kept in code(SCRIPT).splitlines():  # nothing legacy is changed, only added to
        if "requests.get(" not in kept and "return r.json()" not in kept:
            assert kept in lines, kept
    assert 'NEW_API_BASE = "https://external.pleo.io"' in lines
    assert 'NEW_API_KEY = os.environ.get("PLEO_API_KEY", "")' in lines
    assert "def _new_api_headers():" in lines
    assert (
        '    return {"Authorization": "Basic " + base64.b64encode((NEW_API_KEY + ":").encode())'
        '.decode(), "Accept": "application/json"}'
    ) in lines  # the other headers the call sent are kept
    assert any('f"{NEW_API_BASE}/v2/employees/{employee_id}", headers=_new_api_headers()' in line
               for line in lines)
    assert any('NEW_API_BASE + "/v0/tax-codes/" + tax_code_id, headers=_new_api_headers()' in line
               for line in lines)
    assert '    r = requests.get(BASE + "/tag-groups?archived=true", headers=headers())' in lines
    todos = _todos(after)
    base_line = after.splitlines().index('BASE = "https://openapi.pleo.io/v1"')
    assert after.splitlines()[base_line - 1].startswith("# TODO[pleo-migrate PLM001]")
    flow = 1 + code(SCRIPT).splitlines().index(
        '    r = requests.get(BASE + "/tag-groups?archived=true", headers=headers())')
    assert f"unchanged while line {flow} stays legacy" in todos[0]  # only the flow's line
    assert not any("PLM105" in todo for todo in todos)
    assert all(len(todo) <= 120 for todo in todos)
    compile(after, "script.py", "exec")


def test_scan_says_the_split_calls_are_automatic() -> None:
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(SCRIPT)}
    assert found["employees.get"] == (True, [])
    assert found["tax-codes.get"] == (True, [])
    assert found["tag-groups.list"] == (False, ["PLM103"])


def test_a_second_run_finds_nothing_new_to_do() -> None:
    once = rewrite(SCRIPT)
    assert rewrite(once) == once
    moved = {s.label for s in scan(once) if s.automatic}
    assert moved == set()  # the moved calls are new-API calls now; the flow stays manual


def test_a_staging_host_under_an_if_is_copied_in_both_branches_with_the_extra_headers() -> None:
    after = rewrite(STAGING)
    lines = _code(after)
    assert 'NEW_API_BASE = "https://external.pleo.io"' in lines
    assert '    NEW_API_BASE = "https://external.staging.pleo.io"' in lines
    assert 'API = "https://openapi.pleo.io/v1"' in lines
    assert '    API = "https://openapi.staging.pleo.io/v1"' in lines
    copied = [line for line in lines if line.startswith("NEW_API_HEADERS = ")]
    assert len(copied) == 1
    assert 'os.environ.get("PLEO_API_KEY", "")' in copied[0]
    assert '"X-Caller": "nightly"' in copied[0]
    assert any('f"{NEW_API_BASE}/v2/employees/{employee_id}", headers=NEW_API_HEADERS' in line
               for line in lines)


def test_the_new_names_do_not_clash_with_the_module_s() -> None:
    source = SCRIPT + '''

NEW_API_BASE = "mine"


def _new_api_headers():
    return {}
'''
    after = rewrite(source)
    lines = _code(after)
    assert 'NEW_API_BASE_2 = "https://external.pleo.io"' in lines
    assert "def _new_api_headers_2():" in lines
    assert 'NEW_API_BASE = "mine"' in lines
    assert any("NEW_API_BASE_2}/v2/employees/" in line for line in lines)


def test_a_wrapper_instance_still_waits() -> None:
    after = rewrite(WRAPPER)
    assert _code(after) == code(WRAPPER).splitlines()
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(WRAPPER)}
    assert found["employees.get"] == (False, ["PLM105"])


def test_a_call_that_reaches_the_base_through_a_derived_constant_still_waits() -> None:
    source = SCRIPT.replace(
        'TOKEN = os.environ.get("PLEO_TOKEN", "")',
        'TOKEN = os.environ.get("PLEO_TOKEN", "")\nEMPLOYEES = BASE + "/employees"',
    ).replace('f"{BASE}/employees/{employee_id}"', 'f"{EMPLOYEES}/{employee_id}"')
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["employees.get"] == (False, ["PLM105"])  # EMPLOYEES is not copied: it waits
    assert found["tax-codes.get"] == (True, [])
    after = rewrite(source)
    assert 'EMPLOYEES = BASE + "/employees"' in _code(after)


def test_a_module_variable_a_function_rebinds_is_not_copied() -> None:
    source = SCRIPT + '''

def use_staging():
    global BASE
    BASE = "https://openapi.staging.pleo.io/v1"
'''
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["employees.get"] == (False, ["PLM105"])


@pytest.mark.slow
def test_the_split_module_runs_on_the_new_api(simulator: SimulatorHandle, tmp_path: Path) -> None:
    calls = (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )
    report, done = harness.measure_native(simulator, tmp_path, "split_script", SCRIPT, calls)
    working = harness.WORKING
    assert done.verdicts["employee"] in working, harness.explain(report, "native", "employee")
    assert done.verdicts["tax_code"] in working, harness.explain(report, "native", "tax_code")
    assert done.verdicts["tag_groups"] == harness.NOT_MIGRATED  # left on the legacy API


def test_a_function_that_sends_a_legacy_call_itself_is_not_copied() -> None:
    source = SCRIPT.replace(
        '''def headers():
    return {"Authorization": "Bearer {}".format(TOKEN), "Accept": "application/json"}''',
        '''def headers():
    requests.get(BASE + "/tag-groups?archived=true", headers={"Authorization": "Bearer " + TOKEN})
    return {"Authorization": "Bearer {}".format(TOKEN), "Accept": "application/json"}''',
    )
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["employees.get"] == (False, ["PLM105"])
    assert "def _new_api_headers():" not in rewrite(source)


def test_a_base_read_from_the_environment_is_copied_and_a_second_run_leaves_it() -> None:
    source = SCRIPT.replace(
        'BASE = "https://openapi.pleo.io/v1"',
        'BASE = os.environ.get("PLEO_LEGACY_URL", "https://openapi.pleo.io/v1")',
    )
    once = rewrite(source)
    # the new variable first, else the old one, a legacy value translated (runtime_bases)
    assert (
        'NEW_API_BASE = _pleo_new_base(os.environ.get("PLEO_NEW_API_URL") or '
        'os.environ.get("PLEO_LEGACY_URL", "https://external.pleo.io"))' in once
    )
    assert 'BASE = os.environ.get("PLEO_LEGACY_URL", "https://openapi.pleo.io/v1")' in once
    assert rewrite(once) == once  # the moved calls on the copy are no legacy sites
    assert {s.label for s in scan(once)} == {"tag-groups.list"}


def test_with_a_shared_rule_left_out_the_calls_wait_as_before() -> None:
    after = rewrite(SCRIPT, rules=["PLM001", "PLM002", "PLM008"])  # no PLM009/PLM010
    assert "NEW_API_BASE" not in after and "/v2/employees" not in after
    assert 'r = requests.get(f"{BASE}/employees/{employee_id}", headers=headers())' in after


def test_a_call_that_also_reads_the_base_through_a_local_waits() -> None:
    source = SCRIPT.replace(
        '''def employee(employee_id):
    r = requests.get(f"{BASE}/employees/{employee_id}", headers=headers())''',
        '''def employee(employee_id):
    check = BASE.rstrip("/")
    r = requests.get(f"{BASE}/employees/{employee_id}", headers={**headers(), "X-Base": check})''',
    )
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["employees.get"] == (False, ["PLM105"])
    assert found["tax-codes.get"] == (True, [])


def test_a_token_read_by_subscript_at_import_stays_but_cannot_raise() -> None:
    """`TOKEN = os.environ["PLEO_TOKEN"]` stays for the flow: the split makes it
    `os.environ.get("PLEO_TOKEN", "")`, so that the module still imports once the legacy token
    is unset and the moved calls keep working; the flow fails at its call, as it would."""
    source = SCRIPT.replace('os.environ.get("PLEO_TOKEN", "")', 'os.environ["PLEO_TOKEN"]')
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["employees.get"] == (True, [])
    after = rewrite(source)
    assert 'TOKEN = os.environ.get("PLEO_TOKEN", "")' in after
    assert 'NEW_API_KEY = os.environ["PLEO_API_KEY"]' in after


def test_another_variable_read_by_subscript_at_import_keeps_the_calls_waiting() -> None:
    """Only the legacy token's read is made safe: another variable that raises when unset
    (`TENANT`) would still take the moved calls down, so they wait."""
    source = SCRIPT.replace(
        'os.environ.get("PLEO_TOKEN", "")',
        'os.environ.get("PLEO_TOKEN", "") + os.environ["TENANT"]',
    )
    found = {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}
    assert found["employees.get"] == (False, ["PLM105"])
    assert "NEW_API_KEY" not in rewrite(source)
