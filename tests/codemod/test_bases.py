"""Native strategy: a base written as (host, version) pieces moves whole.

`HOST + "/v1"`, `f"{API}/{VERSION}"` and `URL += "/v1"` after an if/else of hosts: PLM001
moves the host literal and drops the version piece, each moved call's path carries its own
version; staging stays staging. While a call on the base stays legacy, every piece stays and
the other calls move onto a copy of the host assignments without the version (never
`/v1/v1`). Proven by execution against both simulators, and before the
cut-over with both credentials.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import rewrite, scan

TODO = "# TODO[pleo-migrate"

# requests functions; the environment picks the host, a `+=` adds the version
EXTENDED = '''
import os

import requests

if os.getenv("PLEO_ENVIRONMENT", "production") == "production":
    PLEO_URL = "https://openapi.pleo.io"
else:
    PLEO_URL = "https://openapi.staging.pleo.io"
PLEO_URL += "/v1"


def _headers():
    return {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def employee(employee_id):
    r = requests.get(f"{PLEO_URL}/employees/{employee_id}", headers=_headers(), timeout=10)
    r.raise_for_status()
    return r.json()


def tax_code(tax_code_id):
    r = requests.get(PLEO_URL + "/tax-codes/" + tax_code_id, headers=_headers(), timeout=10)
    r.raise_for_status()
    return r.json()
'''

# a Session; the root is the host constant plus the version, URLs by concatenation
CONCATENATED = '''
import os

import requests

PLEO_HOST = "https://openapi.pleo.io"
API_ROOT = PLEO_HOST + "/v1"
session = requests.Session()
session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


def get_employee(employee_id):
    response = session.get(API_ROOT + "/employees/" + employee_id)
    response.raise_for_status()
    return response.json()


def get_tax_code(tax_code_id):
    response = session.get(f"{API_ROOT}/tax-codes/{tax_code_id}")
    response.raise_for_status()
    return response.json()
'''

# an httpx wrapper class; the version is a constant of its own, joined in an f-string
VERSIONED = '''
import os

import httpx

API = "https://openapi.pleo.io"
VERSION = "v1"


class Pleo:
    def __init__(self):
        self.root = f"{API}/{VERSION}"
        token = os.environ["PLEO_TOKEN"]
        self.client = httpx.Client(headers={"Authorization": f"Bearer {token}"}, timeout=10)

    def employee(self, employee_id):
        r = self.client.get(self.root + "/employees/" + employee_id)
        r.raise_for_status()
        return r.json()

    def tax_code(self, tax_code_id):
        r = self.client.get(f"{self.root}/tax-codes/{tax_code_id}")
        r.raise_for_status()
        return r.json()
'''

# a flow (tag groups with archived ones) stays legacy on the same base
STAYING = EXTENDED + '''

def tag_groups():
    r = requests.get(PLEO_URL + "/tag-groups?archived=true", headers=_headers(), timeout=10)
    r.raise_for_status()
    return r.json()
'''


def _code(text: str) -> list[str]:
    return [line for line in text.splitlines() if TODO not in line]


def _automatic(source: str) -> dict[str, tuple[bool, list[str]]]:
    return {s.label: (s.automatic, [r.rule for r in s.reasons]) for s in scan(source)}


def test_a_version_added_by_augmented_assignment_goes_with_the_hosts() -> None:
    after = rewrite(EXTENDED)
    lines = _code(after)
    assert '    PLEO_URL = "https://external.pleo.io"' in lines
    assert '    PLEO_URL = "https://external.staging.pleo.io"' in lines  # staging stays staging
    assert not any("+=" in line for line in lines)
    assert any('f"{PLEO_URL}/v2/employees/{employee_id}"' in line for line in lines)
    assert any('PLEO_URL + "/v0/tax-codes/" + tax_code_id' in line for line in lines)
    assert "/v1/v" not in after
    assert _automatic(EXTENDED) == {
        "employees.get": (True, []), "tax-codes.get": (True, []),
    }
    compile(after, "extended.py", "exec")


def test_a_root_made_by_concatenation_becomes_the_host_alone() -> None:
    after = rewrite(CONCATENATED)
    lines = _code(after)
    assert 'PLEO_HOST = "https://external.pleo.io"' in lines
    assert "API_ROOT = PLEO_HOST" in lines
    assert any('API_ROOT + "/v2/employees/" + employee_id' in line for line in lines)
    assert any('f"{API_ROOT}/v0/tax-codes/{tax_code_id}"' in line for line in lines)


def test_a_version_constant_joined_in_an_f_string_leaves_the_base() -> None:
    after = rewrite(VERSIONED)
    lines = _code(after)
    assert 'API = "https://external.pleo.io"' in lines
    assert "        self.root = API" in lines
    assert any('self.root + "/v2/employees/" + employee_id' in line for line in lines)
    assert not any("PLM105" in line for line in after.splitlines())


def test_while_a_call_stays_the_others_move_onto_a_copy_of_the_host_without_the_version() -> None:
    after = rewrite(STAYING)
    lines = _code(after)
    for kept in ('    PLEO_URL = "https://openapi.pleo.io"',
                 '    PLEO_URL = "https://openapi.staging.pleo.io"', 'PLEO_URL += "/v1"'):
        assert kept in lines  # the legacy pieces stay exactly as they were
    assert '    NEW_API_BASE = "https://external.pleo.io"' in lines
    assert '    NEW_API_BASE = "https://external.staging.pleo.io"' in lines
    assert not any("NEW_API_BASE +=" in line for line in lines)  # the copy has no version
    assert any('f"{NEW_API_BASE}/v2/employees/{employee_id}"' in line for line in lines)
    assert any('NEW_API_BASE + "/v0/tax-codes/" + tax_code_id' in line for line in lines)
    assert '    r = requests.get(PLEO_URL + "/tag-groups?archived=true", headers=_headers(), ' \
        "timeout=10)" in lines
    found = _automatic(STAYING)
    assert found["employees.get"] == (True, []) and found["tax-codes.get"] == (True, [])
    assert found["tag-groups.list"] == (False, ["PLM103"])
    assert [line for line in after.splitlines() if "PLM001" in line and "line 29" in line]


def test_a_percent_template_on_a_base_bound_in_branches_waits_and_a_second_run_is_stable() -> None:
    source = STAYING.replace(
        'f"{PLEO_URL}/employees/{employee_id}"', '"%s/employees/%s" % (PLEO_URL, employee_id)'
    )
    assert source != STAYING
    once = rewrite(source)  # fails when a second run would change the file again
    assert '"%s/employees/%s" % (PLEO_URL, employee_id)' in once
    found = _automatic(source)
    assert found["employees.get"][0] is False and found["tax-codes.get"] == (True, [])


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ('PLEO_URL += "/v1"', 'PLEO_URL += "/v1"; TIMEOUT = 10'),  # shares its line
        ('PLEO_URL += "/v1"', 'PLEO_URL += "/v1/"'),  # not the version alone
        ('"https://openapi.staging.pleo.io"', '"https://openapi.staging.pleo.io/"'),  # slash
        ('"https://openapi.staging.pleo.io"', 'os.environ["PLEO_STAGING_URL"]'),  # not a literal
    ],
)
def test_a_base_whose_pieces_are_not_plain_is_left_and_its_calls_held(old: str, new: str) -> None:
    source = EXTENDED.replace(old, new)
    assert source != EXTENDED
    after = rewrite(source)
    assert "/v1/v" not in after  # never a doubled version
    found = _automatic(source)
    assert found["employees.get"][0] is False, found


@pytest.mark.parametrize(
    "root",
    ['"{}/v1".format(PLEO_HOST)', '"%s/v1" % PLEO_HOST', '"/".join([PLEO_HOST, "v1"])'],
    ids=["format", "percent", "join"],
)
def test_a_root_whose_version_piece_is_not_dropped_is_never_moved_by_halves(root: str) -> None:
    """A root the finder resolves only as a whole: the host literal must not move without the
    version (that sent `external.pleo.io/v1/v2/employees/…`); its calls keep a PLM105 TODO."""
    source = CONCATENATED.replace('PLEO_HOST + "/v1"', root)
    assert source != CONCATENATED
    after = rewrite(source)
    assert "external.pleo.io" not in after and "/v2/employees" not in after
    found = _automatic(source)
    assert found["employees.get"][0] is False and found["employees.get"][1] == ["PLM105"]


def test_a_version_added_alone_in_its_block_stays_and_its_calls_are_held() -> None:
    source = EXTENDED.replace(
        'PLEO_URL += "/v1"', 'if os.getenv("PLEO_VERSIONED", "1"):\n    PLEO_URL += "/v1"'
    )
    found = _automatic(source)
    assert found["employees.get"][0] is False, found
    assert "/v1/v" not in rewrite(source)


RUNS = {
    "bases_split": (STAYING, None, (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
        Call("tag_groups", ("tag-groups.list",)),
    )),
    "bases_extended": (EXTENDED, None, (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "bases_concatenated": (CONCATENATED, None, (
        Call("get_employee", ("employees.get",), ("@employee",)),
        Call("get_tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
    "bases_versioned": (VERSIONED, "Pleo", (
        Call("employee", ("employees.get",), ("@employee",)),
        Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
    )),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_moved_base_runs_on_the_new_api_and_before_the_cut_over(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        if call.method == "tag_groups":  # the flow stays on the legacy API
            assert done.verdicts[call.label] == harness.NOT_MIGRATED
            continue
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label
        )
    rewritten = tmp_path / "rewritten" / report.module.path.name
    rewritten.parent.mkdir()
    rewritten.write_text(done.rewrite.source, encoding="utf-8")
    with tempfile.TemporaryDirectory() as work:
        both = harness.run_module(
            rewritten, report.module, simulator, Path(work), rewritten=True, both=True
        )
    for call in calls:
        assert "returned" in (both.outcome(call.label) or {}), call.label
        hosts = {(r["host"], r["auth"]) for r in both.calls[call.label]["requests"]}
        if call.method == "tag_groups":
            assert both.outcome(call.label) == report.original.outcome(call.label)
            assert hosts == {("openapi.pleo.io", "Bearer")}, hosts
        else:
            assert hosts == {("external.pleo.io", "Basic")}, hosts


@pytest.mark.slow
def test_staging_stays_staging_when_the_version_goes(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    calls = (Call("employee", ("employees.get",), ("@employee",)),)
    staging = EXTENDED.replace('"production") == "production"', '"staging") == "production"')
    assert staging != EXTENDED  # PLEO_ENVIRONMENT is unset in the run: the staging branch
    report, done = harness.measure_native(simulator, tmp_path, "bases_staging", staging, calls)
    assert done.verdicts["employee"] in harness.WORKING, harness.explain(
        report, "native", "employee"
    )
    sent = done.run.calls["employee"]["requests"]
    assert {r["host"] for r in sent} == {"external.staging.pleo.io"}
