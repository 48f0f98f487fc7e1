"""Native strategy: bases that are not one literal (issue 12, wrapper clients; holdout3 P7).

A base read from the environment with a legacy default is wrapped in `_pleo_new_base(…)`, which
the rewrite adds to the module: whatever the variable holds in a deployment (the legacy
production or staging host, or nothing), the moved calls reach the new host of the same
environment. A base picked from a dict literal by environment moves entry by entry. A version
written apart from a host-only base (`ROOT + "/" + VERSION`, f-string, `%`, `.format`) is left
out of each moved call's URL, whose new path carries its own version. Each hand-made module is
run against the simulators: after the cut-over, before it with both credentials, and (for the
environment reads) with the variable set to each legacy host.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest

from migrate.codemod.find.runtime_bases import new_base_function
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code, rewrite, scan

# --- environment reads with a legacy default ------------------------------------------------

ENV_PLUS_VERSION = '''
import os

import requests

API = os.environ.get("PLEO_API_URL", "https://openapi.pleo.io") + "/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def employee(employee_id):
    r = requests.get(f"{API}/employees/{employee_id}", headers=HEADERS, timeout=30)
    r.raise_for_status()
    return r.json()


def tax_code(code):
    return requests.get(API + "/tax-codes/" + code, headers=HEADERS).json()
'''

SETTINGS_OBJECT = '''
import os
from types import SimpleNamespace

import requests

settings = SimpleNamespace(
    PLEO_ROOT=os.getenv("PLEO_ROOT", "https://openapi.pleo.io/v1"),
    TIMEOUT=10,
)


class Directory:
    def __init__(self):
        self.http = requests.Session()
        self.http.headers["Authorization"] = "Bearer " + os.getenv("PLEO_TOKEN", "")

    def person(self, employee_id):
        r = self.http.get("{}/employees/{}".format(settings.PLEO_ROOT, employee_id))
        r.raise_for_status()
        return r.json()

    def account(self, account_id):
        r = self.http.get(f"{settings.PLEO_ROOT}/accounts/{account_id}", timeout=settings.TIMEOUT)
        r.raise_for_status()
        return r.json()
'''

HTTPX_CLIENT = '''
import os

import httpx


class Pleo:
    def __init__(self):
        self.client = httpx.Client(
            base_url=os.environ.get("PLEO_BASE_URL", "https://openapi.pleo.io/v1/"),
            headers={"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"},
        )

    def employee(self, employee_id):
        r = self.client.get(f"employees/{employee_id}")
        r.raise_for_status()
        return r.json()

    def tax_code(self, code):
        return self.client.get(f"tax-codes/{code}").json()
'''

# --- a dict of bases by environment ---------------------------------------------------------

ENV_TABLE = '''
import os

import requests

ENVIRONMENT = os.environ.get("PLEO_ENVIRONMENT", "production")
PLEO = {
    "production": "https://openapi.pleo.io/v1",
    "staging": "https://openapi.staging.pleo.io/v1",
}[ENVIRONMENT]
AUTH = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def employee(employee_id):
    return requests.get(PLEO + "/employees/" + employee_id, headers=AUTH).json()


def expense(expense_id):
    r = requests.get(f"{PLEO}/expenses/{expense_id}", headers=AUTH)
    r.raise_for_status()
    return r.json()
'''

NAMED_TABLE = '''
import os

import requests

BASES = {"staging": "https://openapi.staging.pleo.io/v1", "production": "https://openapi.pleo.io/v1"}


class Client:
    def __init__(self, environment="production"):
        self.root = BASES[environment]
        self.session = requests.Session()
        self.session.headers.update({"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

    def employee(self, employee_id):
        return self.session.get("{}/employees/{}".format(self.root, employee_id)).json()

    def tax_code(self, code):
        r = self.session.get(self.root + "/tax-codes/" + code)
        r.raise_for_status()
        return r.json()
'''

# --- a version written apart from a host-only base ------------------------------------------

VERSION_PIECES = '''
import os

import requests

ROOT = "https://openapi.pleo.io"
VERSION = "v1"
HEADERS = {"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"}


def employee(employee_id):
    r = requests.get(ROOT + "/" + VERSION + "/employees/" + employee_id, headers=HEADERS)
    r.raise_for_status()
    return r.json()


def tax_code(code):
    return requests.get(f"{ROOT}/{VERSION}/tax-codes/{code}", headers=HEADERS).json()
'''

VERSION_TEMPLATES = '''
import os

import requests

API_HOST = "https://openapi.pleo.io"
API_VERSION = "v1"


def _headers():
    return {"Authorization": "Bearer %s" % os.environ.get("PLEO_TOKEN", "")}


def account(account_id):
    url = "%s/%s/accounts/%s" % (API_HOST, API_VERSION, account_id)  # noqa: UP031
    resp = requests.get(url, headers=_headers())
    resp.raise_for_status()
    return resp.json()


def expense(expense_id):
    url = "{}/{}/expenses/{}".format(API_HOST, API_VERSION, expense_id)
    return requests.get(url, headers=_headers()).json()
'''

# --- a parameter default naming a module URL that is reassigned later ------------------------

DEFAULT_THEN_REASSIGNED = '''
import os

import requests

ROOT = "https://openapi.pleo.io/v1"
URL = "https://openapi.pleo.io/v1/employees"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def emails(url=URL):
    r = requests.get(url, headers=HEADERS, params={"pageSize": 50})
    r.raise_for_status()
    return sorted(e["email"] for e in r.json()["employees"])


URL = ROOT + "/tag-groups?archived=true"


def archived_groups(url=URL):
    return requests.get(url, headers=HEADERS).json()
'''

HTTPX_DEFAULT = '''
import os

import httpx

API = "https://openapi.pleo.io/v1/"
TARGET: str = "https://openapi.pleo.io/v1/employees"


def _auth():
    return {"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"}


def first_names(target=TARGET, size=5):
    resp = httpx.get(target, headers=_auth(), params={"pageSize": size})
    resp.raise_for_status()
    return [p["firstName"] for p in resp.json()["employees"]]


TARGET = API + "tag-groups?archived=true"


def groups(target=TARGET):
    return httpx.get(target, headers=_auth()).json()
'''

EMPLOYEE = Call("employee", ("employees.get",), ("@employee",))
TAX_CODE = Call("tax_code", ("tax-codes.get",), ("@tax_code",))
ACCOUNT = Call("account", ("accounts.get",), ("@account",))
EXPENSE = Call("expense", ("expenses.get",), ("@expense",))
RUNS: dict[str, tuple[str, str | None, tuple[Call, ...]]] = {
    "env_plus_version": (ENV_PLUS_VERSION, None, (EMPLOYEE, TAX_CODE)),
    "settings_object": (SETTINGS_OBJECT, "Directory", (
        Call("person", ("employees.get",), ("@employee",)), ACCOUNT,
    )),
    "httpx_client": (HTTPX_CLIENT, "Pleo", (EMPLOYEE, TAX_CODE)),
    "env_table": (ENV_TABLE, None, (EMPLOYEE, EXPENSE)),
    "named_table": (NAMED_TABLE, "Client", (EMPLOYEE, TAX_CODE)),
    "version_pieces": (VERSION_PIECES, None, (EMPLOYEE, TAX_CODE)),
    "version_templates": (VERSION_TEMPLATES, None, (ACCOUNT, EXPENSE)),
    "default_then_reassigned": (DEFAULT_THEN_REASSIGNED, None, (
        Call("emails", ("employees.list",)),
    )),
    "httpx_default": (HTTPX_DEFAULT, None, (Call("first_names", ("employees.list",)),)),
}
# the variable each module reads its base from (None: no environment read)
VARIABLES = {
    "env_plus_version": "PLEO_API_URL", "settings_object": "PLEO_ROOT",
    "httpx_client": "PLEO_BASE_URL",
}
LEGACY = {"production": "https://openapi.pleo.io", "staging": "https://openapi.staging.pleo.io"}
NEW_HOST = {"production": "external.pleo.io", "staging": "external.staging.pleo.io"}


# --- what the rewrite writes ----------------------------------------------------------------


def test_the_read_is_wrapped_its_default_moves_and_the_version_piece_goes() -> None:
    after = rewrite(ENV_PLUS_VERSION)
    wrapped = (
        '_pleo_new_base(os.environ.get("PLEO_NEW_API_URL") or '
        'os.environ.get("PLEO_API_URL", "https://external.pleo.io"))'
    )
    assert f"API = {wrapped}\n" in after
    assert "TODO[pleo-migrate PLM001]" not in after  # a clean move: the code names both variables
    assert 'requests.get(f"{API}/v2/employees/{employee_id}"' in after
    assert code(new_base_function()) in after  # once, after the imports
    assert after.count("def _pleo_new_base(") == 1
    assert rewrite(after) == after  # a second run finds nothing: the hosts it maps are its own
    assert scan(after) == ()


def test_a_settings_field_keeps_its_variable_and_a_trailing_slash_stays() -> None:
    after = rewrite(SETTINGS_OBJECT)
    assert (
        'PLEO_ROOT=_pleo_new_base(os.getenv("PLEO_NEW_API_URL") or '
        'os.getenv("PLEO_ROOT", "https://external.pleo.io")),' in after
    )
    assert 'os.getenv("PLEO_NEW_API_URL", ' not in after  # PLM009 does not rename it as well
    client = rewrite(HTTPX_CLIENT)
    assert (
        'base_url=_pleo_new_base(os.environ.get("PLEO_NEW_API_URL") or '
        'os.environ.get("PLEO_BASE_URL", "https://external.pleo.io/")),'
        in client
    )


def test_a_read_kept_back_by_a_call_that_stays_leaves_no_function_behind() -> None:
    staying = (
        'import os\n\nimport requests\n\n'
        'API = os.getenv("PLEO_URL", "https://openapi.pleo.io") + "/v1"\n\n\n'
        "def groups():\n"
        '    return requests.get(API + "/tag-groups?archived=true").json()\n'
    )
    after = rewrite(staying)
    assert 'API = os.getenv("PLEO_URL", "https://openapi.pleo.io") + "/v1"' in after
    assert "_pleo_new_base" not in after
    # a call that moves beside it moves onto a copy, which takes the function along
    moving = '\n\ndef employee(i):\n    return requests.get(f"{API}/employees/{i}").json()\n'
    mixed = rewrite(staying + moving)
    copy = (
        '_pleo_new_base(os.getenv("PLEO_NEW_API_URL") or '
        'os.getenv("PLEO_URL", "https://external.pleo.io"))'
    )
    assert f"NEW_API_BASE = {copy}\n" in mixed
    assert mixed.count("def _pleo_new_base(") == 1


def test_a_wrap_whose_default_names_a_legacy_constant_that_stays_is_not_wrapped_again() -> None:
    source = (
        'import os\n\nimport requests\n\nDEFAULT = "https://openapi.pleo.io/v1"\n'
        'API = _pleo_new_base(os.getenv("PLEO_NEW_API_URL") or os.getenv("PLEO_URL", DEFAULT))\n'
        "\n\ndef groups():\n"
        '    return requests.get(DEFAULT + "/tag-groups?archived=true").json()\n\n\n'
        "def employee(i):\n"
        '    return requests.get(f"{API}/v2/employees/{i}").json()\n\n\n'
        + new_base_function()
    )
    after = rewrite(source)
    assert after.count("_pleo_new_base(") == 2  # the call and the definition
    assert "no call here can be traced" not in after  # nothing of it to move again


def test_without_pleo001_the_variable_is_renamed_as_before() -> None:
    after = rewrite(ENV_PLUS_VERSION, ["PLM009"])
    assert 'os.environ.get("PLEO_NEW_API_URL", "https://openapi.pleo.io")' in after
    assert "_pleo_new_base" not in after


def test_the_generated_function_maps_legacy_bases_only() -> None:
    space: dict[str, object] = {}
    exec(new_base_function(), space)  # the generated text, run as the user's module would
    translate = space["_pleo_new_base"]
    assert callable(translate)
    cases = {
        "https://openapi.pleo.io": "https://external.pleo.io",
        "https://openapi.pleo.io/v1": "https://external.pleo.io",
        "https://OPENAPI.staging.pleo.io/v1/": "https://external.staging.pleo.io/",
        "http://localhost:8080/v1": "http://localhost:8080/v1",  # a mock server: as it is
        "https://external.staging.pleo.io": "https://external.staging.pleo.io",
        "https://openapi.pleo.io/v2": "https://openapi.pleo.io/v2",  # not a legacy base
    }
    for value, expected in cases.items():
        assert translate(value) == expected, value
    assert translate(None) is None


def test_a_dict_by_environment_moves_entry_by_entry() -> None:
    after = rewrite(ENV_TABLE)
    assert '"production": "https://external.pleo.io",' in after
    assert '"staging": "https://external.staging.pleo.io",' in after
    assert 'requests.get(PLEO + "/v2/employees/" + employee_id' in after
    assert "_pleo_new_base" not in after  # literals only: nothing to translate at run time


def test_a_version_written_apart_leaves_the_moved_url() -> None:
    after = rewrite(VERSION_PIECES)
    assert 'ROOT = "https://external.pleo.io"' in after
    assert 'ROOT + "/v2/employees/" + employee_id' in after
    assert 'f"{ROOT}/v0/tax-codes/{code}"' in after
    templates = rewrite(VERSION_TEMPLATES)
    assert '"%s/v1/chart-of-accounts/%s" % (API_HOST, account_id)' in templates
    assert '"{}/v1/accounting-entries/{}".format(API_HOST, expense_id)' in templates


def test_a_default_reads_the_url_bound_before_its_def() -> None:
    after = rewrite(DEFAULT_THEN_REASSIGNED)
    assert 'URL = "https://external.pleo.io/v2/employees"' in after  # read by `emails` only
    assert 'URL = ROOT + "/tag-groups?archived=true"' in after  # the flow that stays
    assert 'ROOT = "https://openapi.pleo.io/v1"' in after
    moved = {s.label: s.automatic for s in scan(DEFAULT_THEN_REASSIGNED)}
    assert moved["employees.list"] is True
    httpx_after = rewrite(HTTPX_DEFAULT)
    assert 'TARGET: str = "https://external.pleo.io/v2/employees"' in httpx_after


def test_a_plain_percent_template_is_not_called_otherwise() -> None:
    source = VERSION_TEMPLATES.replace('API_VERSION = "v1"', 'API_VERSION = "v1" if os else "v2"')
    reasons = [r.message for s in scan(source) for r in s.reasons]
    assert not any("not a literal with plain %s values" in reason for reason in reasons)


# --- by execution ----------------------------------------------------------------------------


@pytest.fixture
def variable(monkeypatch: pytest.MonkeyPatch) -> Callable[[Mapping[str, str]], None]:
    """Sets literal environment variables in the harness's subprocess runs."""
    made = harness._environment

    def setting(values: Mapping[str, str]) -> None:
        monkeypatch.setattr(harness, "_environment", lambda extra: {**made(extra), **values})

    return setting


def _run_rewritten(
    simulator: SimulatorHandle, report: harness.ModuleReport, source: str, both: bool
) -> harness.Run:
    with tempfile.TemporaryDirectory() as work:
        path = Path(work) / report.module.path.name
        path.write_text(source, encoding="utf-8")
        return harness.run_module(path, report.module, simulator, Path(work), rewritten=True,
                                  both=both)


def _hosts(run: harness.Run, label: str) -> Iterator[tuple[str, str]]:
    for request in run.calls[label]["requests"]:
        yield request["host"], request["auth"]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_moved_calls_run_on_the_new_api_whatever_the_variable_holds(
    simulator: SimulatorHandle,
    tmp_path: Path,
    name: str,
    variable: Callable[[Mapping[str, str]], None],
) -> None:
    source, factory, calls = RUNS[name]
    report, done = harness.measure_native(simulator, tmp_path, name, source, calls, factory)
    for call in calls:
        assert done.verdicts[call.label] in harness.WORKING, harness.explain(
            report, "native", call.label
        )
    before = _run_rewritten(simulator, report, done.rewrite.source, both=True)
    for call in calls:  # before the cut-over, with both credentials
        assert "returned" in (before.outcome(call.label) or {}), call.label
        assert set(_hosts(before, call.label)) == {("external.pleo.io", "Basic")}
    name_of = VARIABLES.get(name)
    if name_of is None:
        return
    variable({"PLEO_NEW_API_URL": "https://external.staging.pleo.io"})  # the new one wins
    after = _run_rewritten(simulator, report, done.rewrite.source, both=False)
    for call in calls:
        assert set(_hosts(after, call.label)) == {("external.staging.pleo.io", "Basic")}
    for environment, host in LEGACY.items():  # a deployment that sets only the old variable
        variable({name_of: host if name != "settings_object" else host + "/v1"})
        after = _run_rewritten(simulator, report, done.rewrite.source, both=False)
        for call in calls:
            assert after.outcome(call.label) == report.strategies["native"].run.outcome(
                call.label
            ), (environment, call.label, after.calls.get(call.label))
            assert set(_hosts(after, call.label)) == {(NEW_HOST[environment], "Basic")}


# --- def-use links of a module name assigned more than once -----------------------------------


def _reached_lines(source: str, line: int) -> set[int]:
    import ast

    from migrate.codemod.find.reach import Reach

    tree = ast.parse(code(source))
    start = next(s for s in ast.walk(tree) if isinstance(s, ast.stmt) and s.lineno == line)
    return {stmt.lineno for stmt in Reach(tree).reached(start)}


def test_a_default_is_linked_to_the_assignment_before_its_def_only() -> None:
    source = """
    URL = "a"
    def first(url=URL):
        return get(url)
    URL = ROOT + "b"
    def second(url=URL):
        return get(url)
    """
    assert 3 not in _reached_lines(source, 4) and 6 in _reached_lines(source, 4)
    assert 3 in _reached_lines(source, 1) and 6 not in _reached_lines(source, 1)


def test_a_name_a_function_rebinds_stays_linked_to_every_read() -> None:
    source = """
    URL = "a"
    URL = ROOT + "b"
    def reset():
        global URL
        URL = "c"
    def read(url=URL):
        return get(url)
    """
    assert 7 in _reached_lines(source, 5)  # the function's value may be what the default reads
    assert 7 in _reached_lines(source, 1)
