"""Native strategy: paths chosen from data the module holds (issue 12, data-driven clients).

Hand-written modules in different styles, each picking its path (and its envelope key) from a
table or a class it defines: a dict entry held in a local (`spec = RESOURCES[name]`, requests,
concatenation), a dict entry read in an f-string through an httpx client, a loop over a dict's
`.items()` (a `requests.Session`, `str.format`), class attributes of subclasses read through
`cls.` (envelope key too), a private helper reading the body by the key its callers pass
(httpx function, Session method with `.get(key, [])`), and a public function called with
literals (held: callers
elsewhere are unknown, but `scan` names what its module's calls reach). The rewrites run as the
corpus harness runs them: the original against the legacy simulator, the rewrite against the
new API only.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.codemod import CallSite, Job, select
from migrate.codemod.one_file import process_bytes
from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.cli_runner import invoke
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import Call
from tests.codemod.helpers import code

TODO = "# TODO[pleo-migrate"

DICT_LOCAL = '''
"""Mirror Pleo reference data, driven by one table of resources."""

import os

import requests

PLEO_API = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}

RESOURCES = {
    "people": {"path": "/employees", "key": "employees"},
    "teams": {"path": "/teams", "key": "teams"},
}


def fetch(name):
    spec = RESOURCES[name]
    resp = requests.get(PLEO_API + spec["path"], headers=HEADERS, params={"pageSize": 50})
    resp.raise_for_status()
    return resp.json()[spec["key"]]


def emails():
    return sorted(person["email"] for person in fetch("people"))


def team_count():
    return len(fetch("teams"))
'''

DICT_FSTRING = '''
import os

import httpx

API = "https://openapi.pleo.io/v1"
KINDS = {
    "employee": {"collection": "employees", "label": "person"},
    "tax_code": {"collection": "tax-codes", "label": "vat"},
    "account": {"collection": "accounts", "label": "ledger"},
}


def record(kind, ident):
    entry = KINDS[kind]
    headers = {"Authorization": f"Bearer {os.environ.get('PLEO_TOKEN', '')}"}
    with httpx.Client(headers=headers, timeout=10) as client:
        r = client.get(f"{API}/{entry['collection']}/{ident}")
        r.raise_for_status()
        return r.json()


def person_email(ident):
    return record("employee", ident)["email"]


def vat_name(ident):
    return record("tax_code", ident)["name"]
'''

LOOP_ITEMS = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
SESSION = requests.Session()
SESSION.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")

STREAMS = {
    "employees": {"path": "/employees", "records": "employees"},
}


def snapshot():
    out = {}
    for name, spec in STREAMS.items():
        resp = SESSION.get("{}{}".format(BASE, spec["path"]), params={"pageSize": 100})
        resp.raise_for_status()
        out[name] = [row["id"] for row in resp.json()[spec["records"]]]
    return out
'''

CLASSES = '''
import os

import requests

ROOT = "https://openapi.pleo.io/v1"


class Resource:
    path = None
    key = None

    @classmethod
    def first_page(cls):
        headers = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
        resp = requests.get(ROOT + cls.path, headers=headers, params={"pageSize": 10})
        resp.raise_for_status()
        return resp.json()[cls.key]


class Employee(Resource):
    path = "/employees"
    key = "employees"


class Team(Resource):
    path = "/teams"
    key = "teams"


def emails():
    return sorted(e["email"] for e in Employee.first_page())


def teams():
    return Team.first_page()
'''

PUBLIC = '''
import os

import httpx

BASE = "https://openapi.pleo.io/v1"


def get_one(collection, ident):
    """Public: other modules may call it with any collection."""
    headers = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
    r = httpx.get(BASE + "/" + collection + "/" + ident, headers=headers)
    r.raise_for_status()
    return r.json()


def person(ident):
    return get_one("employees", ident)


def vat(ident):
    return get_one("tax-codes", ident)
'''

HELPER_KEY = '''
import os

import httpx

API = "https://openapi.pleo.io/v1"
TOKEN = os.environ.get("PLEO_TOKEN", "")


def _list(path, key):
    with httpx.Client(headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        r = client.get(API + path, params={"pageSize": 20})
        r.raise_for_status()
        return r.json()[key]


def employee_ids():
    return [e["id"] for e in _list("/employees", "employees")]


def teams():
    return _list("/teams", "teams")
'''

METHOD_KEY = '''
import os

import requests

DEFAULT_BASE = "https://openapi.pleo.io/v1"


class Pleo:
    def __init__(self, base=None):
        self.base = (base or DEFAULT_BASE).rstrip("/")
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")

    def _items(self, resource, key):
        url = f"{self.base}/{resource}"
        return self.session.get(url, params={"pageSize": 25}).json().get(key, [])

    def employee_ids(self):
        return [e["id"] for e in self._items("employees", "employees")]

    def team_names(self):
        return [t["name"] for t in self._items("teams", "teams")]
'''

NESTED = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
KINDS = {"employee": "employees", "tax_code": "tax-codes"}


def _get(collection, ident):
    resp = requests.get(f"{BASE}/{collection}/{ident}", headers=HEADERS, timeout=10)
    resp.raise_for_status()
    return resp.json()


def lookup(kind, ident):
    return _get(KINDS[kind], ident)


def email(ident):
    return lookup("employee", ident)["email"]


def vat_name(ident):
    return _get("tax-codes", ident)["name"]
'''

NESTED_METHOD = '''
import os

import httpx

ROOT = "https://openapi.pleo.io/v1"
PATHS = {"person": "/employees/", "ledger": "/accounts/"}


class Directory:
    def __init__(self):
        token = os.environ.get("PLEO_TOKEN", "")
        self.http = httpx.Client(headers={"Authorization": "Bearer " + token}, timeout=10)

    def _one(self, prefix, ident):
        reply = self.http.get(ROOT + prefix + ident)
        reply.raise_for_status()
        return reply.json()

    def find(self, what, ident):
        return self._one(PATHS[what], ident)

    def person(self, ident):
        return self.find("person", ident)

    def ledger_account(self, ident):
        return self.find("ledger", ident)
'''

CLI_CHOICES = '''
import argparse
import json
import os

import requests

BASE = "https://openapi.pleo.io/v1"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="pleo-get")
    parser.add_argument("collection", choices=["employees", "tax-codes", "accounts"])
    parser.add_argument("ident")
    args = parser.parse_args(argv)
    headers = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}
    resp = requests.get(f"{BASE}/{args.collection}/{args.ident}", headers=headers, timeout=10)
    resp.raise_for_status()
    record = resp.json()
    print(json.dumps(record))
    return record
'''

CLI_OPTION = '''
import argparse
import os

import httpx

API = "https://openapi.pleo.io/v1/"


def parse(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", dest="kind", default="employees",
                        choices=("employees", "tax-codes"))
    parser.add_argument("--id", required=True)
    return parser.parse_args(argv)


def main(argv=None):
    options = parse(argv)
    key = os.environ.get("PLEO_TOKEN", "")
    url = API + options.kind + "/" + options.id
    r = httpx.get(url, headers={"Authorization": f"Bearer {key}"})
    r.raise_for_status()
    return r.json()
'''

CLASS_PASSED = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def _fetch(path, ident):
    resp = requests.get(BASE + path + "/" + ident, headers=HEADERS, timeout=10)
    resp.raise_for_status()
    return resp.json()


class Resource:
    path = None

    @classmethod
    def retrieve(cls, ident):
        return _fetch(cls.path, ident)


class Employee(Resource):
    path = "/employees"


class TaxCode(Resource):
    path = "/tax-codes"
'''


def rewrite(source: str) -> str:
    job = Job("diff", "native", select("native"), None, diff=True)
    result = process_bytes("example.py", code(source).encode(), job)
    assert result is not None and result.status in ("changed", "unchanged"), result
    return code(source) if result.new_bytes is None else result.new_bytes.decode()


def scan(source: str) -> tuple[CallSite, ...]:
    result = process_bytes("example.py", code(source).encode(), Job("scan", "native"))
    return () if result is None else result.sites


def _todos(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if TODO in line and "PLM109]" not in line]


# --- what the rewrite writes -----------------------------------------------------------------


def test_a_dict_entry_held_in_a_local_moves_its_path_and_its_envelope_key() -> None:
    after = rewrite(DICT_LOCAL)
    assert 'PLEO_API = "https://external.pleo.io"' in after
    assert '"/employees": "/v2/employees",' in after and '"/teams": "/teams",' in after
    assert "PLEO_API + _NEW_API_PATHS[spec[\"path\"]]" in after
    assert 'return resp.json()["data"]' in after  # the entry's key was the legacy envelope
    assert '"people": {"path": "/employees", "key": "employees"},' in after  # data kept
    [todo] = _todos(after)  # the gap's entry, where it is written
    assert todo.startswith("# TODO[pleo-migrate PLM102]: teams.list")
    assert after.index(todo) < after.index('"teams": {"path"')


def test_scan_names_each_entry_s_operation_where_the_entry_is_written() -> None:
    sites = scan(DICT_LOCAL)
    assert [(s.label, s.automatic, s.status) for s in sites] == [
        ("employees.list", True, "matched"),
        ("teams.list", False, "value"),
    ]
    assert sites[1].line == 12  # the "teams" entry


def test_a_dict_entry_in_an_f_string_moves_through_its_table() -> None:
    after = rewrite(DICT_FSTRING)
    assert "client.get(f\"{API}/{_NEW_API_COLLECTIONS[entry['collection']]}/{ident}\")" in after
    assert '"tax-codes": "v0/tax-codes",' in after
    assert 'return r.json()["data"]' in after
    assert [s.label for s in scan(DICT_FSTRING)] == ["employees.get", "tax-codes.get",
                                                     "accounts.get"]


def test_a_loop_over_dict_items_reads_each_entry() -> None:
    after = rewrite(LOOP_ITEMS)
    assert 'SESSION.get("{}{}".format(BASE, _NEW_API_PATHS[spec["path"]]),' in after
    assert 'resp.json()["data"]' in after
    assert not _todos(after)


def test_class_attributes_give_the_envelope_key_with_the_path() -> None:
    after = rewrite(CLASSES)
    assert "ROOT + _NEW_API_PATHS.get(cls.path, cls.path)" in after  # subclasses elsewhere
    assert 'return resp.json()["data"]' in after


def test_entries_whose_keys_are_not_the_envelope_hold_the_call() -> None:
    """`spec["key"]` naming another field than the legacy envelope is not guessed at."""
    source = DICT_LOCAL.replace('"key": "employees"', '"key": "metadata"')
    after = rewrite(source)
    assert "_NEW_API_PATHS" not in after
    assert 'PLEO_API = "https://openapi.pleo.io/v1"' in after


def test_two_entries_sharing_a_path_with_different_keys_hold_the_call() -> None:
    """The envelope key is the entry's only when every entry with that path gives the same."""
    source = DICT_LOCAL.replace(
        '"teams": {"path": "/teams", "key": "teams"},',
        '"staff": {"path": "/employees", "key": "people"},',
    )
    after = rewrite(source)
    assert "_NEW_API_PATHS" not in after
    assert any("PLM108]" in todo for todo in _todos(after))


def test_a_changed_dict_keeps_the_call_on_hold() -> None:
    source = DICT_LOCAL + '\n\nRESOURCES["tags"] = {"path": "/tags", "key": "tags"}\n'
    after = rewrite(source)
    assert "_NEW_API_PATHS" not in after
    assert any("PLM101]" in todo for todo in _todos(after))


def test_a_public_function_is_held_but_scan_names_what_its_module_calls_reach() -> None:
    """Policy: a public function's callers elsewhere may pass any legacy path, which a table
    cannot know; the call is held (PLM101), and its module's literal calls name the
    operations (one scan site each) so that the report shows the work."""
    after = rewrite(PUBLIC)
    assert 'BASE = "https://openapi.pleo.io/v1"' in after
    assert any("`get_one` is public" in todo for todo in _todos(after))
    sites = scan(PUBLIC)
    assert [(s.label, s.automatic) for s in sites] == [
        ("employees.get", False), ("tax-codes.get", False)
    ]
    assert sites[1].line == 21 and sites[1].status == "value"  # vat()'s literal


def test_scan_json_carries_every_operation(tmp_path: Path) -> None:
    path = tmp_path / "sync.py"
    path.write_text(code(DICT_LOCAL), encoding="utf-8")
    result = invoke(["scan", str(path), "-o", "json", "--jobs", "1"])
    assert result.exit_code == 1, result.stderr[-500:]
    ops = [site["operation"] for site in json.loads(result.stdout)["call_sites"]]
    assert ops == ["employees.list", "teams.list"]


def test_a_helper_reading_the_key_its_callers_pass_moves_path_and_key_together() -> None:
    """`_list("/employees", "employees")`: the caller's two literals are one variant; the
    helper's request moves through a table, its `r.json()[key]` reads the new envelope."""
    after = rewrite(HELPER_KEY)
    assert "client.get(API + _NEW_API_PATHS[path], params={\"limit\": 20," in after
    assert 'return r.json()["data"]' in after
    assert 'return [e["id"] for e in _list("/employees", "employees")]' in after  # callers kept
    assert [(s.label, s.status) for s in scan(HELPER_KEY)] == [
        ("employees.list", "matched"), ("teams.list", "value")
    ]


def test_a_method_reading_the_key_with_get_moves_path_and_key_together() -> None:
    after = rewrite(METHOD_KEY)
    assert 'url = f"{self.base}/{_NEW_API_RESOURCES[resource]}"' in after
    assert '"companyId": os.environ["PLEO_COMPANY_ID"]}).json().get("data", [])' in after


def test_callers_passing_a_key_that_is_no_envelope_hold_the_helper() -> None:
    source = HELPER_KEY.replace('_list("/employees", "employees")', '_list("/employees", "rows")')
    after = rewrite(source)
    assert "_NEW_API_PATHS" not in after and 'API = "https://openapi.pleo.io/v1"' in after


def test_a_caller_passing_a_bounded_value_bounds_the_parameter() -> None:
    """`lookup(kind, …)` is public, but what it passes on is `KINDS[kind]`: the dict's entries
    (any other kind fails alike before and after). With the literal of the other caller."""
    after = rewrite(NESTED)
    assert '"employees": "v2/employees",' in after and '"tax-codes": "v0/tax-codes",' in after
    assert 'f"{BASE}/{_NEW_API_COLLECTIONS[collection]}/{ident}"' in after
    assert 'KINDS = {"employee": "employees", "tax_code": "tax-codes"}' in after


def test_a_method_passing_a_dict_value_on_bounds_the_private_method() -> None:
    after = rewrite(NESTED_METHOD)
    assert "self.http.get(ROOT + _NEW_API_PREFIXES[prefix] + ident)" in after
    assert '"/accounts/": "/v1/chart-of-accounts/",' in after


def test_a_value_passed_on_from_an_unbounded_parameter_stays_open() -> None:
    source = NESTED.replace("return _get(KINDS[kind], ident)", "return _get(kind, ident)")
    after = rewrite(source)
    assert "_NEW_API_" not in after
    assert any("PLM101]" in todo for todo in _todos(after))


def test_argparse_choices_bound_the_argument() -> None:
    after = rewrite(CLI_CHOICES)
    assert "# The new API's path for each value of `args.collection`" in after
    assert 'f"{BASE}/{_NEW_API_COLLECTIONS[args.collection]}/{args.ident}"' in after
    assert '"accounts": "v1/chart-of-accounts",' in after
    assert 'choices=["employees", "tax-codes", "accounts"]' in after  # the CLI is unchanged
    labels = [s.label for s in scan(CLI_CHOICES)]
    assert labels == ["employees.get", "tax-codes.get", "accounts.get"]


def test_an_option_with_choices_and_a_default_through_a_parse_function() -> None:
    after = rewrite(CLI_OPTION)
    assert 'url = API + _NEW_API_KINDS[options.kind] + "/" + options.id' in after
    assert 'API = "https://external.pleo.io/"' in after


def test_choices_that_are_not_literals_leave_the_argument_unbounded() -> None:
    source = CLI_CHOICES.replace(
        'choices=["employees", "tax-codes", "accounts"]', "choices=sorted(KNOWN)"
    ).replace('BASE = "https', 'KNOWN = {"employees"}\nBASE = "https')
    after = rewrite(source)
    assert "_NEW_API_" not in after
    assert any("PLM101]" in todo for todo in _todos(after))


def test_a_class_attribute_passed_on_keeps_unlisted_paths_as_they_are() -> None:
    """Subclasses in other modules may set other paths: the table is read with `.get`, so
    such a path is kept (and answers 404 on the new host) rather than raise a KeyError."""
    after = rewrite(CLASS_PASSED)
    assert 'requests.get(BASE + _NEW_API_PATHS.get(path, path) + "/" + ident,' in after
    assert '"/tax-codes": "/v0/tax-codes",' in after


# --- executed against the simulator ----------------------------------------------------------

RUNS: dict[str, tuple[str, tuple[Call, ...]] | tuple[str, tuple[Call, ...], str]] = {
    "dict_local": (DICT_LOCAL, (
        Call("emails", ("employees.list",)),
        Call("team_count", ("teams.list",)),
    )),
    "dict_fstring": (DICT_FSTRING, (
        Call("person_email", ("employees.get",), ("@employee",)),
        Call("vat_name", ("tax-codes.get",), ("@tax_code",)),
    )),
    "loop_items": (LOOP_ITEMS, (Call("snapshot", ("employees.list",)),)),
    "classes": (CLASSES, (
        Call("emails", ("employees.list",)),
        Call("teams", ("teams.list",)),
    )),
    "helper_key": (HELPER_KEY, (
        Call("employee_ids", ("employees.list",)),
        Call("teams", ("teams.list",)),
    )),
    "nested": (NESTED, (
        Call("email", ("employees.get",), ("@employee",)),
        Call("vat_name", ("tax-codes.get",), ("@tax_code",)),
    )),
    "nested_method": (NESTED_METHOD, (
        Call("person", ("employees.get",), ("@employee",)),
        Call("ledger_account", ("accounts.get",), ("@account",)),
    ), "Directory"),
    "cli_choices": (CLI_CHOICES, (
        Call("main", ("employees.get",), (["employees", "@employee"],), name="main_employee"),
        Call("main", ("accounts.get",), (["accounts", "@account"],), name="main_account"),
    )),
    "cli_option": (CLI_OPTION, (
        Call("main", ("employees.get",), (["--id", "@employee"],), name="main_default"),
        Call("main", ("tax-codes.get",), (["--kind", "tax-codes", "--id", "@tax_code"],),
             name="main_tax_code"),
    )),
    # (team_names is left out: without raise_for_status, the gap's 404 reads as no teams)
    "method_key": (METHOD_KEY, (Call("employee_ids", ("employees.list",)),), "Pleo"),
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(RUNS))
def test_the_data_driven_rewrite_runs_on_the_new_api(
    simulator: SimulatorHandle, tmp_path: Path, name: str
) -> None:
    source, calls, *factory = RUNS[name]
    report, done = harness.measure_native(
        simulator, tmp_path, name, source, calls, factory[0] if factory else None
    )
    catalogue = load_catalogue()
    for call in calls:
        verdict = done.verdicts[call.label]
        if call.has_gap(catalogue):
            assert verdict == harness.GAP, verdict  # a clear 404, as once the legacy API is gone
        else:
            assert verdict in harness.WORKING, harness.explain(report, "native", call.label)
