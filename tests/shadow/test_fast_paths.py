"""The comparator's fast paths decide exactly what the slow ones would.

A record pair is first compared with `==` and its declared-loss fields one by one, and each
difference path is placed in the catalogue once per operation; deepdiff runs only on what still
differs. The reference path is deepdiff on every pair (`deep_compare`) and a classifier with
nothing remembered. Result redaction is one walk with one search for any secret form; the
reference is the two walks it replaced.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from migrate import jsonio
from migrate.mapping.catalogue import Catalogue
from migrate.shadow.canonical import Projection
from migrate.shadow.classify import Classifier, Evaluation, Volatility, outcome_of
from migrate.shadow.compare import compare, compare_split, deep_compare
from migrate.shadow.config import Limits
from migrate.shadow.fetch import Calls
from migrate.shadow.parity_run import RunRequest, run_shadow
from migrate.shadow.plan import ParityRequest, build_parity_plan
from migrate.shadow.redact import PREFIX, Redactor, sensitive_name
from tests.shadow.conftest import Run, Sim, start
from tests.shadow.fakes import FakePleo, people


def reference(classifier: Classifier, legacy: Any, new: Any) -> Evaluation:
    """The slow path: deepdiff on the whole pair, every path placed afresh."""
    fresh = Classifier(classifier.projection, classifier.volatility)
    findings = fresh.findings(deep_compare(legacy, new), legacy, new)
    return Evaluation(outcome_of(findings), findings, legacy, new)


@pytest.mark.slow
def test_fast_verdicts_equal_the_deepdiff_path_on_the_simulator(
    acceptance_catalogue: Catalogue, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sim, running = start("defects,noise,lag", lag=1.0)
    store, company = sim.store, sim.company_id
    fast_evaluate = Classifier.evaluate
    looks: list[tuple[Evaluation, Evaluation]] = []

    def both(self: Classifier, legacy: Any, new: Any) -> Evaluation:
        fast = fast_evaluate(self, legacy, new)
        looks.append((fast, reference(self, legacy, new)))
        return fast

    monkeypatch.setattr(Classifier, "evaluate", both)
    with running:
        # lag: changed right before the run, so the new API shows the old values at first
        store.set_export_status(company, [store.expenses.rows([company])[0].id], "QUEUED")
        store.update_employee(store.employees.rows([company])[3].id, {"job_title": "Late"})
        request = RunRequest(
            acceptance_catalogue, build_parity_plan(acceptance_catalogue, "all-reads"),
            Sim(sim, running).endpoints, Sim(sim, running).credentials,
            Limits(sample=60, rate=None, concurrency=8, recheck=3, recheck_backoff=0.5),
            out=tmp_path,
        )
        run_shadow(request)
    lines = [json.loads(line) for line in (tmp_path / "results.jsonl").read_text().splitlines()]
    assert [fast for fast, slow in looks if fast != slow] == []
    verdicts = Counter(f.verdict for fast, _ in looks for f in fast.findings)
    outcomes = Counter(line["outcome"] for line in lines)
    # Every kind of verdict went through both paths: a planted difference, noise, a declared
    # loss, and records that first differed and then agreed (lag).
    assert verdicts["mismatch"] and verdicts["noise"] and verdicts["expected"], verdicts
    assert outcomes["lag"] and outcomes["mismatch"] and outcomes["noise"], outcomes
    assert sum(1 for fast, _ in looks if fast.outcome == "match") > 0


RECORDS: list[tuple[dict[str, Any], dict[str, Any]]] = [
    ({"id": "1", "a": 1, "b": "x"}, {"id": "1", "a": 1, "b": "x"}),
    ({"id": "1", "a": 1, "b": "x"}, {"id": "1", "a": 2, "b": "x"}),
    ({"id": "1", "a": 1}, {"id": "1", "a": 1.0}),
    ({"id": "1", "merchant": "M", "note": "n"}, {"id": "1", "note": "n"}),
    ({"id": "1", "note": "n"}, {"id": "1", "merchant": "M", "note": "n"}),
    ({"id": "1", "merchant": {"name": "M", "x": [1, 2]}}, {"id": "1", "merchant": {"name": "N"}}),
    ({"id": "1", "merchant": [1, 2, 3], "z": 1}, {"id": "1", "merchant": [3, 2, 1], "z": 2}),
    ({"id": "1", "lines": [{"a": 1}, {"b": 2}]}, {"id": "1", "lines": [{"b": 2}, {"a": 1}]}),
    ({"id": "1", "zeta": 1, "merchant": "M", "alpha": {"k": 1}},
     {"id": "1", "zeta": 2, "merchant": "N", "alpha": {"k": 2}, "extra": True}),
    ({"id": "1", "merchant": "M", "amount": 5}, {"id": "1", "merchant": 7, "amount": "5"}),
]


@pytest.mark.parametrize(("legacy", "new"), RECORDS)
@pytest.mark.parametrize("apart", [(), ("merchant",), ("zeta", "merchant", "alpha", "nothing")])
def test_split_comparison_equals_deepdiff_on_the_whole_record(
    legacy: dict[str, Any], new: dict[str, Any], apart: tuple[str, ...]
) -> None:
    assert compare_split(legacy, new, apart) == deep_compare(legacy, new)
    assert compare(legacy, new) == deep_compare(legacy, new)


def test_a_classifier_places_each_path_once_and_still_classifies_per_record(
    catalogue: Catalogue
) -> None:
    projection = Projection(catalogue, catalogue.get("employees.list"))
    classifier = Classifier(projection, Volatility())
    first = classifier.evaluate({"id": "1", "jobTitle": "a"}, {"id": "1", "jobTitle": "b"})
    again = classifier.evaluate({"id": "2", "jobTitle": "c"}, {"id": "2", "jobTitle": "d"})
    assert first == reference(classifier, {"id": "1", "jobTitle": "a"},
                              {"id": "1", "jobTitle": "b"})
    assert [(f.path, f.legacy, f.new) for f in again.findings] == [("jobTitle", "c", "d")]
    classifier.volatility.fields.add("jobTitle")  # learned later: the verdict follows
    assert classifier.evaluate({"id": "3", "jobTitle": "e"},
                               {"id": "3", "jobTitle": "f"}).outcome == "noise"


def test_paths_that_differ_only_by_a_list_index_are_placed_apart(catalogue: Catalogue) -> None:
    classifier = Classifier(Projection(catalogue, catalogue.get("expenses.list")), Volatility())
    shown = []
    for index in (0, 1, 0):
        legacy = {"id": "1", "tagIds": [{"id": "t"}, {"id": "t"}]}
        new = {"id": "1", "tagIds": [{"id": "t"}, {"id": "t"}]}
        new["tagIds"][index]["id"] = "u"
        evaluation = classifier.evaluate(legacy, new)
        assert evaluation == reference(classifier, legacy, new)
        shown += [(f.path, f.field) for f in evaluation.findings]
    assert shown == [("tagIds[0].id", "tagIds[].id"), ("tagIds[1].id", "tagIds[].id"),
                     ("tagIds[0].id", "tagIds[].id")]


SECRETS = ("tok-legacy-abcdef", "key/with+chars==", "plain-api-key-123")


def two_walks(redactor: Redactor, value: Any) -> Any:
    """The redaction results.jsonl had before: secret-named keys first, then every string."""

    def keys(item: Any) -> Any:
        if isinstance(item, dict):
            out = {}
            for key, sub in item.items():
                secret = (sensitive_name(str(key)) and not isinstance(sub, bool)
                          and sub not in ("", None)
                          and (not sub.startswith(PREFIX) if isinstance(sub, str)
                               else isinstance(sub, int | float)))
                out[key] = redactor.pseudonym(str(sub)) if secret else keys(sub)
            return out
        if isinstance(item, list):
            return [keys(sub) for sub in item]
        return item

    def strings(item: Any) -> Any:
        if isinstance(item, str):
            return redactor.text(item)
        if isinstance(item, dict):
            return {key: strings(sub) for key, sub in item.items()}
        if isinstance(item, list):
            return [strings(sub) for sub in item]
        return item

    return strings(keys(value))


DOCUMENTS: list[Any] = [
    {"operation": "expenses.list", "id": "e-1", "outcome": "match", "expected": ["merchant"]},
    {"operation": "x", "id": "tok-legacy-abcdef", "differences": [
        {"path": "note", "legacy": "Bearer key/with+chars== here", "new": None,
         "reason": "a%2Fb key%2Fwith%2Bchars%3D%3D"}]},
    {"legacy": {"apiKey": "not-known-but-named", "password": 12, "token": True,
                "secret": "", "nested": {"clientSecret": ["a", "b"]},
                "sig": PREFIX + "0123456789abcdef"}},
    ["plain-api-key-123", 5, None, {"Authorization": "Basic cGxhaW4tYXBpLWtleS0xMjM6"}],
    "no secret here",
    {"text": "cGxhaW4tYXBpLWtleS0xMjM6 and dG9rLWxlZ2FjeS1hYmNkZWY="},
]


@pytest.mark.parametrize("document", DOCUMENTS)
@pytest.mark.parametrize("secrets", [SECRETS, ()])
def test_one_walk_redacts_results_like_the_two_walks(document: Any,
                                                     secrets: tuple[str, ...]) -> None:
    redactor = Redactor(secrets, key=b"test key")
    assert redactor.document(document) == two_walks(redactor, document)


def test_the_any_form_search_changes_nothing_without_a_secret_and_finds_every_form() -> None:
    redactor = Redactor(SECRETS, key=b"test key")
    assert redactor.text("nothing to see") == "nothing to see"
    for secret in SECRETS:
        shown = redactor.text(f"<{secret}>")
        assert secret not in shown and redactor.pseudonym(secret) in shown


def test_response_bodies_are_read_with_the_fast_json_module(
    run_fake: Run, monkeypatch: pytest.MonkeyPatch
) -> None:
    """orjson when the `fast` extra is installed: every body goes through migrate.jsonio."""
    read: list[int] = []
    loads = jsonio.loads

    def counted(data: bytes | str) -> Any:
        read.append(len(data))
        return loads(data)

    monkeypatch.setattr(jsonio, "loads", counted)
    legacy, new = people(5)
    report, _ = run_fake(FakePleo(legacy, new), page_size=2)
    assert report.summary["totals"]["records"] == 5
    assert len(read) >= 6  # three pages a side, at least


def test_a_plain_run_loads_neither_deepdiff_nor_vcrpy_nor_the_compat_layer() -> None:
    """Each loads on first use (a pair that differs; a cassette; a flow or a write plan): a
    run starts without them."""
    code = (
        "import sys, migrate.shadow, migrate.cli.shadow\n"
        "print(sorted(m for m in ('deepdiff', 'vcr', 'migrate.compat', 'starlette')"
        " if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True, cwd=Path(__file__).resolve().parents[2])
    assert shown.stdout.strip() == "[]"
    assert deep_compare({"a": 1}, {"a": 2})  # and deepdiff is there when a pair differs


def test_plans_are_made_once_per_binding_and_the_memory_of_them_is_bounded(
    catalogue: Catalogue
) -> None:
    """A GET compared record by record has one binding per record: the plans kept stay few,
    and a plan made again after being dropped is the same plan."""
    calls = Calls(catalogue, catalogue.get("employees.get"), ParityRequest("employees.get"),
                  "company-1", Limits())
    first = calls.new({"employeeId": "e-0"})
    assert calls.plan({"employeeId": "e-0"}) is calls.plan({"employeeId": "e-0"})
    for number in range(1, 2_000):
        calls.new({"employeeId": f"e-{number}"})
    assert len(calls._plans) <= 256
    assert calls.new({"employeeId": "e-0"}) == first
