"""The codemod on the second hold-out corpus, judged by running the code (issue 12,
generalisation).

`tests/codemod/holdout2/` holds client modules written from the legacy spec and common client
habits without reading the codemod, the main corpus or the first hold-out (which has since been
used to tune the codemod), so these figures say how it does on code it was not built beside.
Same harness and checks as `test_holdout.py`: each original runs against the legacy simulator;
each rewrite (compat, native) runs against the new simulator only. One check goes further: a
native rewrite, run while the legacy API still answers (both credentials set, both hosts
reachable), keeps every call working, so that a partial rewrite is safe to ship before the
cut-over (compat is left out of it: with a key set it sends everything to the new API by
design, gaps answering 501). Scan is checked per module against the manifest's operations
(none wrong, none missing), and the defects found while triaging are reduced to a few lines each
at the end of this file.

What today's codemod fails is marked `xfail(strict=True)` with its cause, so a fix flips it.
"""

from __future__ import annotations

import ast
import dataclasses
import json
import re
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest

from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.cli_runner import invoke
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import CORPUS, INVENTED, LEGACY_TOKEN, Call, CorpusModule
from tests.codemod.corpus_params import (
    ALL,
    call_params,
    imports_of,
    manifest_ops,
    measured_fixture,
    module_params,
    scanned_ops,
    xfail_marks,
)
from tests.codemod.holdout2_manifest import HOLDOUT2, by_name
from tests.codemod.holdout_manifest import HOLDOUT

pytestmark = pytest.mark.slow
CATALOGUE = load_catalogue()
LIBRARIES = {"requests", "httpx", "urllib3"}  # urllib3: requests' own Retry
NEW_CREDENTIALS = {"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id",
                   "PLEO_ENV": "environment"}

TOKEN_NOT_FOLLOWED = (
    "issue 12: compat swaps the import only and reports 0 TODOs, but the token is read through "
    "{how}: it stays on the legacy variable and {where} raises KeyError once it is unset"
)
COMPAT: dict[str, tuple[str, frozenset[str]]] = {
    "format_urls": (
        "issue 12: routed, but receipt_names reads `name` of expense-receipts.list (declared "
        "lost: the new receipt has no file name) and now returns ids; a PLM204 TODO names it",
        frozenset({"receipt_names"})),
}
NATIVE_HELD = "issue 12 (open): native moves nothing in this module (TODOs only) because {why}"
NATIVE: dict[str, tuple[str, frozenset[str]]] = {
    "typed_records": (NATIVE_HELD.format(
        why="teams.get and employees.update (no new-API equivalent, PLM102) go through the "
        "same `_get(path)` helper, PLEO_BASE and `_token()` as the employee calls; the split "
        "does not copy that helper, so the gap calls keep them legacy and the others wait"),
        frozenset({"list_employees", "employee", "job_titles"})),
    "mounted_session": (NATIVE_HELD.format(
        why="teams.list/teams.get (no new-API equivalent, PLM102) keep the PrefixedSession "
        "and its base (a default of __init__'s parameter) on the legacy API until the "
        "cut-over, and the split has no copy for a custom Session class (policy)"),
        frozenset({"people", "person"})),
    "webhook_sync": (NATIVE_HELD.format(
        why="the module reads expense fields that change (PLM109: amountSettled) and receipts "
        "lose paging parity (PLM107); the token is read at import (KeyError)"), ALL),
    "flow_tasks": (NATIVE_HELD.format(
        why="the header is set in a session factory shared with teams.* (no equivalent, "
        "PLM102) and the module reads changing employee fields (PLM109)"), ALL),
    "protocol_gateway": (NATIVE_HELD.format(
        why="URLs come from a self._url(*parts) helper ('/'.join of class attributes): PLM101 "
        "'path chosen at run time'"), ALL),
    "httpx_auth_flow": (NATIVE_HELD.format(
        why="tag-groups.*/tags.* are multi-call flows (PLM103) and the token lives in an "
        "httpx.Auth subclass the rewrite does not touch"), ALL),
    "async_semaphore": (NATIVE_HELD.format(
        why="expenses.get through the _get_json(client, sem, url) URL helper is awaited in "
        "asyncio.gather (PLM108) and expense_totals reads amountOriginal (PLM109): the shared "
        "header and host stay, and employees.get/accounts.list wait (PLM105)"), ALL),
    "etl_expenses": (NATIVE_HELD.format(
        why="a _paginate(path, key) generator over the legacy nextPageOffset (PLM107); "
        "expenses.list needs the accounting-entries search (PLM105)"), ALL),
    "format_urls": (NATIVE_HELD.format(
        why="URLs are '{}/{}/{}'.format / '%s/...' % templates over a %-built ROOT (PLM105) "
        "and the host constant is shared with an invented endpoint (PLM112)"), ALL),
    "retry_decorator": (NATIVE_HELD.format(
        why="the URL reaches requests.get through a decorated get_json(url) helper that is "
        "public, so no unit (PLM101); balance and account-groups have no equivalent (PLM102)"),
        ALL),
    "resource_sync": (NATIVE_HELD.format(
        why="path and envelope key come from a RESOURCES dict (PLM101)"), ALL),
    "expense_report_csv": (NATIVE_HELD.format(
        why="an _all(resource, key) paging helper over nextPageOffset with API + resource "
        "(PLM107/PLM105)"), ALL),
    "tag_admin": (NATIVE_HELD.format(
        why="requests.request(method, base + path) in a _call helper (PLM101), tags.update and "
        "tag-groups.update are a flow / a partial update (PLM103/PLM104)"), ALL),
    "export_status": (
        "issue 12 (open): exported_count's page size differs between the APIs (PLM107), so the "
        "if/else base extended with += stays; the other calls move onto its copy, but "
        "export_one's `\"%s/expenses/%s\" % (PLEO_URL, id)` on a base bound in branches waits",
        frozenset({"run_export", "exported_count"})),
    "response_cache": (NATIVE_HELD.format(
        why="through the memoising _cached(url) URL helper: tag-groups.list is a flow "
        "(PLM103), tax-codes.list pages (PLM107), a %-built URL (PLM105): host and auth stay"),
        ALL),
}
HARMFUL: dict[tuple[str, str], str] = {}
PRE_CUT_OVER: dict[tuple[str, str], str] = {}
# scan names an operation the module never calls
MISNAMED: dict[str, str] = {}
# scan does not name an operation the module calls (reported as dynamic, or not at all)
UNNAMED: dict[str, str] = {
    "retry_decorator": "issue 12: get_json(BASE + '/tax-codes') through a decorated helper "
    "taking the URL is not followed (tax-codes.list, tax-codes.get)",
    "tag_admin": "issue 12: with the base read from configparser, the method argument of "
    "self._call(...) is ignored: tag-groups.create, tag-groups.get, tags.create not named",
}
UNCOVERED: dict[tuple[str, str], str] = {}
SCAN_BLIND: dict[tuple[str, str], str] = {}
SILENT: dict[tuple[str, str], str] = {}
LEGACY = [m for m in HOLDOUT2 if not m.negative]
NEGATIVES = [m.name for m in HOLDOUT2 if m.negative]


measured = measured_fixture(by_name, CATALOGUE)


# --- the corpus itself (static) --------------------------------------------------------------


def test_the_second_holdout_follows_its_brief() -> None:
    """At least 12 legacy modules of 30-150 lines and one negative, none named like a module
    of the other corpora, using only requests/httpx and the standard library, calling
    documented legacy operations (at most one invented endpoint overall)."""
    assert len(LEGACY) >= 12 and NEGATIVES
    others = {m.file for m in CORPUS} | {m.file for m in HOLDOUT}
    assert not {m.file for m in HOLDOUT2} & others
    known = {op.id for op in CATALOGUE}
    ops = {op for m in LEGACY for call in m.calls for op in call.ops}
    assert len({op for op in ops if op.startswith(INVENTED)}) <= 1
    assert {op for op in ops if not op.startswith(INVENTED)} <= known
    for module in HOLDOUT2:
        source = module.path.read_text(encoding="utf-8")
        assert 30 <= len(source.splitlines()) <= 150, module.file
        foreign = imports_of(source) - LIBRARIES - set(sys.stdlib_module_names) - {"__future__"}
        assert not foreign, (module.file, foreign)


@pytest.mark.parametrize("name", [m.name for m in HOLDOUT2])
def test_original_runs_against_the_legacy_simulator(
    measured: Callable[[str], harness.ModuleReport], name: str
) -> None:
    report = measured(name)
    assert report.original.import_error is None
    for call in report.module.calls:
        outcome = report.original.outcome(call.label)
        assert outcome is not None, call.label
        if any(op.startswith(INVENTED) for op in call.ops):
            assert outcome.get("status") in (404, 405), (call.label, outcome)
        else:
            assert "returned" in outcome, (call.label, report.original.calls[call.label])
        hosts = {r["host"] for r in report.original.calls[call.label]["requests"]}
        assert hosts == ({"external.pleo.io"} if report.module.negative
                         else {"openapi.pleo.io"}), call.label


def _scanned_ops(name: str) -> set[str]:
    return scanned_ops(by_name(name))


def _manifest_ops(name: str) -> set[str]:
    return manifest_ops(by_name(name), INVENTED)


@pytest.mark.parametrize("name", [pytest.param(m.name, marks=xfail_marks(MISNAMED.get(m.name)))
                                  for m in LEGACY])
def test_scan_names_no_operation_the_module_does_not_call(name: str) -> None:
    """A wrong operation is worse than none: native would rewrite the call as that one."""
    assert _scanned_ops(name) <= _manifest_ops(name)


@pytest.mark.parametrize("name", [pytest.param(m.name, marks=xfail_marks(UNNAMED.get(m.name)))
                                  for m in LEGACY])
def test_scan_names_every_operation_the_module_calls(name: str) -> None:
    assert _manifest_ops(name) <= _scanned_ops(name)


# --- behaviour parity, call by call ----------------------------------------------------------


@pytest.mark.parametrize(("name", "call"), call_params(LEGACY, COMPAT, False, CATALOGUE))
def test_compat_rewrite_keeps_every_call_working(
    measured: Callable[[str], harness.ModuleReport], name: str, call: str
) -> None:
    report = measured(name)
    done = report.strategies["compat"]
    assert done.verdicts[call] in harness.GOOD, harness.explain(report, "compat", call)
    assert not done.run.refused(call), harness.explain(report, "compat", call)


@pytest.mark.parametrize(("name", "call"), call_params(LEGACY, NATIVE, True, CATALOGUE))
def test_native_rewrite_keeps_every_automatic_call_working(
    measured: Callable[[str], harness.ModuleReport], name: str, call: str
) -> None:
    report = measured(name)
    verdict = report.strategies["native"].verdicts[call]
    assert verdict in (harness.EQUAL, harness.LOSSY, harness.SHAPE_CHANGED), harness.explain(
        report, "native", call
    )


# --- per module ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("strategy", "name"), module_params(HOLDOUT2, ("compat", "native"), HARMFUL)
)
def test_no_harmful_edit(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    done = report.strategies[strategy]
    assert done.rewrite.compiles
    assert done.harmful(report.original) == []


@pytest.mark.parametrize(("strategy", "name"),
                         module_params(HOLDOUT2, ("native",), PRE_CUT_OVER, negatives=False))
def test_native_rewrite_breaks_nothing_before_the_cut_over(
    measured: Callable[[str], harness.ModuleReport], simulator: SimulatorHandle, strategy: str,
    name: str,
) -> None:
    """A partial native rewrite ships while the legacy API still answers: with both
    credentials set and both hosts reachable, every call that worked still works (the same
    record, or the new shape of a call the rewrite moved). A header or host changed under a
    call that stays legacy fails here, though the post-cut-over run cannot tell it apart."""
    report = measured(name)
    done = report.strategies[strategy]
    if not harness.code_edited(done.rewrite.original, done.rewrite.source):
        return
    module = report.module
    # a qualified token name keeps its qualifier (PLEO_EXPORT_TOKEN → PLEO_EXPORT_API_KEY), as
    # in the post-cut-over run: the user sets the key variable the rewrite names
    keys = {key: "new.api_key" for key in re.findall(r"\bPLEO_\w*API_KEY\b", done.rewrite.source)}
    both = dataclasses.replace(module, env={**module.env, **keys, **NEW_CREDENTIALS})
    with tempfile.TemporaryDirectory(prefix="holdout2-") as temp:
        work = Path(temp)
        target = work / strategy / module.file
        target.parent.mkdir()
        target.write_text(done.rewrite.source, encoding="utf-8")
        with harness._simulator(module, simulator) as sim:
            before = harness.run_module(module.path, module, sim, work, rewritten=False)
        with harness._simulator(module, simulator) as sim:
            # the harness's `both` run: the legacy credentials and the new key, a qualified
            # key name included (`PLEO_DIRECTORY_TOKEN` → `PLEO_DIRECTORY_API_KEY`)
            after = harness.run_module(target, both, sim, work, rewritten=True, both=True)
    assert after.import_error is None
    broken = {
        call.label: after.outcome(call.label) for call in module.calls
        if "returned" in (before.outcome(call.label) or {})
        # strict: a call with no new-API equivalent that moves with the host it shares answers
        # 404 there before the cut-over (docs/rules.md, "Per-call atomicity"); PRE_CUT_OVER
        # lists where that policy costs a working call during the transition
        and harness.verdict(call, before, after, "native", CATALOGUE) not in (
            harness.EQUAL, harness.LOSSY, harness.SHAPE_CHANGED)
    }
    assert broken == {}


@pytest.mark.parametrize(
    ("strategy", "name"), module_params(HOLDOUT2, ("compat", "native"), UNCOVERED)
)
def test_scan_reports_every_site_the_rewrite_touches(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    uncovered = measured(name).strategies[strategy].uncovered
    assert uncovered == (), [(s.kind, s.span, s.rule) for s in uncovered]


@pytest.mark.parametrize(
    ("strategy", "name"), module_params(HOLDOUT2, ("compat", "native"), SCAN_BLIND)
)
def test_a_file_the_rewrite_edits_is_one_scan_reports(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    done = report.strategies[strategy].rewrite
    if harness.code_edited(done.original, done.source):
        assert report.scan != ()


@pytest.mark.parametrize(
    ("strategy", "name"), module_params(HOLDOUT2, ("compat",), SILENT, negatives=False)
)
def test_compat_never_leaves_a_legacy_call_without_a_todo(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    done = report.strategies[strategy]
    left = [label for label, v in done.verdicts.items() if v == harness.NOT_MIGRATED]
    assert not left or done.rewrite.todos > 0, left


@pytest.mark.parametrize("strategy", ["compat", "native"])
@pytest.mark.parametrize("name", NEGATIVES)
def test_new_api_code_stays_byte_identical(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    assert report.scan == ()
    assert report.strategies[strategy].rewrite.byte_identical
    assert report.strategies[strategy].verdicts == {c.label: harness.EQUAL
                                                    for c in report.module.calls}


def test_the_invented_endpoint_gets_a_todo_of_its_own(
    measured: Callable[[str], harness.ModuleReport],
) -> None:
    for module in LEGACY:
        invented = [c for c in module.calls if any(o.startswith(INVENTED) for o in c.ops)]
        if not invented:
            continue
        report = measured(module.name)
        source = module.path.read_text(encoding="utf-8")
        todos = [s for s in report.strategies["native"].rewrite.sites if s.kind == "todo"]
        for call in invented:
            span = harness.function_span(source, call.method)
            assert span is not None, call.method
            rules = {s.rule for s in todos if span[0] <= s.span[0] <= span[1]}
            assert rules, call.label
            assert not rules & {"PLM101", "PLM105"}, (call.label, rules)


# --- reductions found while triaging (smallest modules showing each defect) ------------------
# Patterns of the corpus reduced to a few lines: the corpus modules hide these defects behind
# other calls the codemod holds, so they are checked here on their own, by execution.

_SET_TITLE = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"


def employee(employee_id):
    r = requests.get(BASE + "/employees/" + employee_id + "?x=1",
                     headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
    return r.json()


def set_title(employee_id, title):
    r = requests.put(f"{BASE}/employees/{employee_id}", json={"jobTitle": title},
                     headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
    return r.status_code
'''
_BASE_EXTENDED = '''
import os

import requests

if os.getenv("PLEO_ENVIRONMENT", "staging") == "production":
    PLEO_URL = "https://openapi.pleo.io"
else:
    PLEO_URL = "https://openapi.staging.pleo.io"
PLEO_URL += "/v1"


def expense(expense_id):
    r = requests.get(f"{PLEO_URL}/expenses/{expense_id}",
                     headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
    return r.json()
'''
_ROOT_BY_PERCENT = '''
import os

import requests

HOST = "openapi.pleo.io"
API_VERSION = "v1"
ROOT = "https://%s/%s" % (HOST, API_VERSION)


def employee(employee_id):
    r = requests.get(ROOT + "/employees/" + employee_id,
                     headers={"Authorization": "Bearer %s" % os.environ["PLEO_TOKEN"]})
    r.raise_for_status()
    return r.json()
'''


@dataclasses.dataclass(frozen=True)
class _Reduction(CorpusModule):
    """A reduction written to a temporary folder (not a corpus file)."""

    folder: str = ""

    @property
    def path(self) -> Path:
        return Path(self.folder) / self.file


REDUCTIONS = {
    "bearer_to_basic_on_a_legacy_url": (
        _SET_TITLE, Call("set_title", ("employees.update",), ("@employee", "Controller")),
        True, ""),
    "base_extended_with_augmented_assignment": (
        _BASE_EXTENDED, Call("expense", ("expenses.get",), ("@expense",)), False, ""),
    "root_built_with_percent": (
        _ROOT_BY_PERCENT, Call("employee", ("employees.get",), ("@employee",)), False, ""),
}


@pytest.mark.parametrize("name", [pytest.param(name, marks=xfail_marks(reason))
                                  for name, (*_, reason) in REDUCTIONS.items()])
def test_native_rewrite_of_a_reduction_is_whole_or_nothing(
    simulator: SimulatorHandle, name: str
) -> None:
    """Before the cut-over (both credentials) and after it (new key only), the rewritten call
    returns what the original did, in the new shape when it moved, or stays untouched."""
    source, call, writes, _ = REDUCTIONS[name]
    with tempfile.TemporaryDirectory(prefix="reduction-") as temp:
        work = Path(temp)
        (work / "original").mkdir()
        (work / "native").mkdir()
        module = _Reduction(f"{name}.py", calls=(call,), writes=writes, folder=str(work),
                            env={"PLEO_TOKEN": LEGACY_TOKEN,
                                 "PLEO_ENVIRONMENT": "environment"})
        original = dataclasses.replace(module, folder=str(work / "original"))
        original.path.write_text(source, encoding="utf-8")
        rewritten = dataclasses.replace(module, folder=str(work / "native"))
        rewritten.path.write_text(source, encoding="utf-8")
        done = harness.rewrite(rewritten.path, "native")
        if not harness.code_edited(source, done.source):
            assert done.todos > 0  # nothing moved, and a TODO says why: whole or nothing
            return
        both = dataclasses.replace(rewritten, env={**module.env, **NEW_CREDENTIALS})
        with harness._simulator(module, simulator) as sim:
            before = harness.run_module(original.path, original, sim, work, rewritten=False)
        with harness._simulator(module, simulator) as sim:
            mixed = harness.run_module(rewritten.path, both, sim, work, rewritten=False)
        with harness._simulator(module, simulator) as sim:
            after = harness.run_module(rewritten.path, rewritten, sim, work, rewritten=True)
    good = (harness.EQUAL, harness.LOSSY, harness.SHAPE_CHANGED)
    assert "returned" in (before.outcome(call.label) or {})
    assert harness.verdict(call, before, mixed, "native", CATALOGUE) in good, mixed.calls
    if not call.has_gap(CATALOGUE):
        assert harness.verdict(call, before, after, "native", CATALOGUE) in good, after.calls


TOKEN_NAMED_AT_RUN_TIME = {
    "dict": '''
import os

import requests

SETTINGS = {"url": "https://openapi.pleo.io/v1", "token_env": "PLEO_TOKEN"}


def tax_codes():
    headers = {"Authorization": "Bearer " + os.environ[SETTINGS["token_env"]]}
    r = requests.get(SETTINGS["url"] + "/tax-codes", headers=headers)
    return r.json()["taxCodes"]
''',
    "parameter_default": '''
import os

import requests


class Client:
    def __init__(self, token_var="PLEO_TOKEN"):
        self.session = requests.Session()
        self.session.headers["Authorization"] = "Bearer " + os.environ[token_var]

    def tax_codes(self):
        return self.session.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]
''',
    "configparser": '''
import configparser
import os

import requests

CONFIG = configparser.ConfigParser()
CONFIG.read_string("[pleo]\\ntoken_variable = PLEO_TOKEN\\n")


def tax_codes():
    token = os.environ[CONFIG["pleo"]["token_variable"]]
    r = requests.get("https://openapi.pleo.io/v1/tax-codes",
                     headers={"Authorization": f"Bearer {token}"})
    return r.json()["taxCodes"]
''',
}


@pytest.mark.parametrize("name", sorted(TOKEN_NAMED_AT_RUN_TIME))
def test_compat_token_variable_named_at_run_time_cannot_raise(name: str) -> None:
    """The read keeps its name but cannot raise KeyError once the legacy token is unset
    (migrate.compat sends the new key itself); the compat rows of these modules prove it by
    execution."""
    with tempfile.TemporaryDirectory(prefix="reduction-") as temp:
        path = Path(temp) / f"{name}.py"
        path.write_text(TOKEN_NAMED_AT_RUN_TIME[name], encoding="utf-8")
        done = harness.rewrite(path, "compat")
    assert harness.code_edited(done.original, done.source)  # routed: the import is swapped
    raising = [
        node for node in ast.walk(ast.parse(done.source))
        if isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ"
    ]
    assert not raising, [ast.unparse(node) for node in raising]
    assert ".get(" in done.source


_HELPER_METHOD_FIRST = '''
import configparser
import os

import requests

CONFIG = configparser.ConfigParser()
CONFIG.read_string("[pleo]\\nbase_url = https://openapi.pleo.io/v1\\n")
BASE = CONFIG["pleo"]["base_url"]
HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


def _call(method, path, body=None):
    return requests.request(method, BASE + path, json=body, headers=HEADERS).json()


def create_group(name):
    return _call("POST", "/tag-groups", {"name": name, "tagAttributes": []})
'''


def test_scan_keeps_the_method_a_helper_call_passes() -> None:
    """With the helper's base read from configparser, `_call("POST", "/tag-groups", body)` was
    reported as GET tag-groups.list (method assumed GET)."""
    with tempfile.TemporaryDirectory(prefix="reduction-") as temp:
        path = Path(temp) / "helper_method_first.py"
        path.write_text(_HELPER_METHOD_FIRST, encoding="utf-8")
        result = invoke(["scan", str(path), "-o", "json", "--jobs", "1"])
    ops = {site["operation"] for site in json.loads(result.stdout)["call_sites"]}
    assert "tag-groups.list" not in ops
