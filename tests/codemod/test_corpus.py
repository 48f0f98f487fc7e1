"""The codemod on the hand-written client corpus, judged by running the code (issue 12).

Each corpus module runs first as written against the legacy simulator (proving the corpus and
the harness sound), then rewritten by each strategy against the new simulator only. Acceptance:
compat: every call equal (or equal but for declared losses, or a clear 404/501 for gaps and
invented endpoints); native: every call whose operations all have a new-API equivalent equal
or equal in canonical shape; no harmful edit; negatives byte-identical; scan ⊇ rewrite.

What today's codemod fails is marked `xfail(strict=True)`, so a fix flips the mark.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from migrate.mapping import load_catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import CORPUS, by_name

pytestmark = pytest.mark.slow
CATALOGUE = load_catalogue()
ALL = frozenset({"*"})

# Where the simulator deviated from the legacy spec (now none: it follows the spec).
SIMULATOR: dict[str, tuple[str, frozenset[str]]] = {}

COMPAT: dict[str, tuple[str, frozenset[str]]] = {}
# Native rewrites call by call, but a shared host, base, header or token moves only when no call
# on it stays legacy (a gap or an invented endpoint does not hold it): while a call that has a
# new-API equivalent stays manual, the calls sharing its host and auth wait (TODOs only, "not
# migrated", which is not harm). What keeps each module back today:
NATIVE_HELD = "issue 12 (open): native keeps this module's shared host and auth for {why}"
NATIVE: dict[str, tuple[str, frozenset[str]]] = {
    "singer_tap": (NATIVE_HELD.format(why="its paging loop (params updated in place, a "
                                      "`.get(…, {})` chain, `yield from`): PLM107"),
                   ALL),
    # fetch_one (branch URLs) moves onto a copy of BASE and headers(); fetch stays manual
    "script_branches": (NATIVE_HELD.format(
        why="fetch: URLs chosen in if/elif branches needing different changes (PLM101)"),
        frozenset({"fetch_employees", "fetch_accounts", "fetch_tax_codes"})),
    # expense_note, tax_code and account move onto a copy of API_ROOT (both branches) and
    # HEADERS; employee_emails moves at the URL its default reads (the one before its def);
    # tag_group_names is a flow whose URL is a parameter's default (PLM012 takes URLs written
    # at the call only)
    "script_reassigned": (NATIVE_HELD.format(
        why="the tag flow's URL default (PLM103)"),
        frozenset({"tag_group_names"})),
}
HARMFUL: set[tuple[str, str]] = set()
UNCOVERED: dict[tuple[str, str], str] = {}


@pytest.fixture(scope="module")
def measured(simulator: SimulatorHandle) -> Callable[[str], harness.ModuleReport]:
    """Each corpus module measured once per test module (read-only ones share a simulator)."""
    cache: dict[str, harness.ModuleReport] = {}

    def get(name: str) -> harness.ModuleReport:
        if name not in cache:
            cache[name] = harness.measure(by_name(name), simulator, catalogue=CATALOGUE)
        return cache[name]

    return get


def _xfail(reason: str, strict: bool = True) -> pytest.MarkDecorator:
    return pytest.mark.xfail(strict=strict, reason=reason)


def _marks(table: dict[str, tuple[str, frozenset[str]]], module: str, call: str) -> list[
    pytest.MarkDecorator
]:
    marks = []
    for source, strict in ((table, True), (SIMULATOR, False)):
        if module in source:
            reason, calls = source[module]
            if calls is ALL or call in calls:
                marks.append(_xfail(reason, strict))
                break
    return marks


def _calls(table: dict[str, tuple[str, frozenset[str]]], native: bool) -> list[Any]:
    params = []
    for module in CORPUS:
        if module.negative:
            continue
        for call in module.calls:
            if native and call.has_gap(CATALOGUE):
                continue  # no automatic native rewrite exists; the TODO is checked statically
            params.append(pytest.param(
                module.name, call.label, id=f"{module.name}.{call.label}",
                marks=_marks(table, module.name, call.label),
            ))
    return params


def _modules(
    strategies: tuple[str, ...], known: set[tuple[str, str]] | dict[tuple[str, str], str],
    reason: str = "",
) -> list[Any]:
    params = []
    for strategy in strategies:
        for module in CORPUS:
            key = (strategy, module.name)
            marks = []
            if key in known:
                text = known[key] if isinstance(known, dict) else reason
                marks.append(_xfail(text))
            params.append(pytest.param(strategy, module.name, id=f"{strategy}-{module.name}",
                                       marks=marks))
    return params


# --- the corpus itself -------------------------------------------------------------------------


def test_the_corpus_is_large_and_covers_every_resource() -> None:
    ops = {op for module in CORPUS for call in module.calls for op in call.ops}
    resources = {op.split(".")[0] for op in ops if not op.startswith("invented:")}
    assert len(CORPUS) >= 12
    assert {"employees", "expenses", "accounts", "tax-codes", "tag-groups", "tags", "teams",
            "companies"} <= resources
    assert any(m.negative for m in CORPUS)
    assert sum(op.startswith("invented:") for op in ops) == 3
    assert all(m.path.is_file() for m in CORPUS)


def _original_params() -> list[Any]:
    params = []
    for module in CORPUS:
        marks = []
        if module.name in SIMULATOR:
            marks.append(_xfail(SIMULATOR[module.name][0], strict=False))
        params.append(pytest.param(module.name, id=module.name, marks=marks))
    return params


@pytest.mark.parametrize("name", _original_params())
def test_original_runs_against_the_legacy_simulator(
    measured: Callable[[str], harness.ModuleReport], name: str
) -> None:
    report = measured(name)
    assert report.original.import_error is None
    for call in report.module.calls:
        outcome = report.original.outcome(call.label)
        assert outcome is not None, call.label
        invented = any(op.startswith("invented:") for op in call.ops)
        if invented:  # the legacy API never had it: a 404 or 405
            assert outcome.get("status") in (404, 405), (call.label, outcome)
        else:
            assert "returned" in outcome, (call.label, report.original.calls[call.label])
        hosts = {r["host"] for r in report.original.calls[call.label]["requests"]}
        legacy = not report.module.negative
        assert hosts == ({"openapi.pleo.io"} if legacy else {"external.pleo.io"}), call.label


# --- behaviour parity, call by call ----------------------------------------------------------


@pytest.mark.parametrize(("name", "call"), _calls(COMPAT, native=False))
def test_compat_rewrite_keeps_every_call_working(
    measured: Callable[[str], harness.ModuleReport], name: str, call: str
) -> None:
    report = measured(name)
    verdict = report.strategies["compat"].verdicts[call]
    assert verdict in harness.GOOD, harness.explain(report, "compat", call)


@pytest.mark.parametrize(("name", "call"), _calls(NATIVE, native=True))
def test_native_rewrite_keeps_every_automatic_call_working(
    measured: Callable[[str], harness.ModuleReport], name: str, call: str
) -> None:
    report = measured(name)
    verdict = report.strategies["native"].verdicts[call]
    assert verdict in (harness.EQUAL, harness.LOSSY, harness.SHAPE_CHANGED), harness.explain(
        report, "native", call
    )


# --- per module ------------------------------------------------------------------------------


@pytest.mark.parametrize(("strategy", "name"), _modules(
    ("compat", "native"), HARMFUL,
    "issue 12: the rewrite makes calls fail that worked before (see the harness's explain())",
))
def test_no_harmful_edit(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    done = report.strategies[strategy]
    assert done.rewrite.compiles
    assert done.harmful(report.original) == []


@pytest.mark.parametrize(("strategy", "name"), _modules(("compat", "native"), UNCOVERED))
def test_scan_reports_every_site_the_rewrite_touches(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    uncovered = report.strategies[strategy].uncovered
    assert uncovered == (), [(s.kind, s.span, s.rule) for s in uncovered]


NEGATIVES = [m.name for m in CORPUS if m.negative]


@pytest.mark.parametrize("strategy", ["compat", "native"])
@pytest.mark.parametrize("name", NEGATIVES)
def test_new_api_code_stays_byte_identical(
    measured: Callable[[str], harness.ModuleReport], strategy: str, name: str
) -> None:
    report = measured(name)
    assert report.strategies[strategy].rewrite.byte_identical
    assert report.strategies[strategy].verdicts == {c.label: harness.EQUAL
                                                    for c in report.module.calls}


@pytest.mark.parametrize("name", NEGATIVES)
def test_scan_reports_nothing_in_new_api_code(
    measured: Callable[[str], harness.ModuleReport], name: str
) -> None:
    assert measured(name).scan == ()


def test_invented_endpoints_get_a_todo_of_their_own(
    measured: Callable[[str], harness.ModuleReport],
) -> None:
    for module in CORPUS:
        invented = [c for c in module.calls if any(o.startswith("invented:") for o in c.ops)]
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
