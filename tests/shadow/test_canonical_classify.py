"""Projection into the canonical shape, and the verdict for every kind of difference."""

from __future__ import annotations

from typing import Any

import pytest

from migrate.mapping.catalogue import Catalogue
from migrate.shadow.canonical import Projection
from migrate.shadow.classify import (
    CHANGED_REASON,
    ClassifiedDifference,
    Classifier,
    Evaluation,
    Volatility,
    outcome_of,
    settle,
)


def classifier(catalogue: Catalogue, op_id: str) -> tuple[Projection, Classifier, Volatility]:
    projection = Projection(catalogue, catalogue.get(op_id))
    volatility = Volatility()
    return projection, Classifier(projection, volatility), volatility


def expense(**fields: Any) -> dict[str, Any]:
    base = {"id": "e1", "type": "CARD", "note": "lunch", "tagIds": [], "lines": []}
    base.update(fields)
    return {"expenses": [base], "metadata": {}}


def entry(**fields: Any) -> dict[str, Any]:
    base = {"id": "e1", "family": "CARD_PURCHASE", "note": "lunch", "tags": [],
            "splitItems": [], "companyId": "c", "reviewStatus": "OK"}
    base.update(fields)
    return {"data": [base]}


def test_projection_drops_new_only_fields_and_nulls(catalogue: Catalogue) -> None:
    projection = Projection(catalogue, catalogue.get("expenses.list"))
    (legacy,) = projection.records("legacy", expense(departmentId=None))
    (new,) = projection.records("new", entry())
    assert "departmentId" not in legacy  # null ≡ absent
    assert "companyId" not in new and "reviewStatus" not in new  # the legacy API never had them
    assert legacy == new


def test_field_paths_follow_the_catalogue_models(catalogue: Catalogue) -> None:
    projection = Projection(catalogue, catalogue.get("expenses.list"))
    info = projection.field_for(("lines", 0, "tagIds", 1, "id"))
    assert info is not None and info.path == "lines[].tagIds[].id" and info.top == "lines"
    money = projection.field_for(("amountOriginal", "minors"))
    assert money is not None and money.path == "amountOriginal"
    assert projection.field_for(("nothing",)) is None
    assert projection.field_path(("nothing", 2, "x")) == "nothing[].x"


@pytest.mark.parametrize(
    ("legacy", "new", "verdict"),
    [
        pytest.param(expense(employeeCode="E1"), entry(), "expected",
                     id="field-the-new-api-lacks"),
        pytest.param(expense(type="PERSONAL_TRANSFER"), entry(family="MILEAGE"), "expected",
                     id="new-enum-value-shown-as-the-nearest-legacy-type"),
        pytest.param(expense(type="MANUAL_TRANSFER"), entry(family="MANUAL_TRANSFER"),
                     "mismatch", id="untranslated-enum-is-not-excused-by-the-loss"),
        pytest.param(expense(), entry(settledAt="2025-01-01T00:00:00Z"), "expected",
                     id="present-on-one-side-only-in-a-lossy-field"),
        pytest.param(expense(performedAt="2025-01-01T00:00:00.999Z"),
                     entry(performedAt="2025-01-01T00:00:01Z"), "mismatch",
                     id="a-different-second-is-not-the-millisecond-loss"),
        pytest.param(expense(note="a"), entry(note="b"), "mismatch", id="plain-field"),
    ],
)
def test_verdicts(catalogue: Catalogue, legacy: Any, new: Any, verdict: str) -> None:
    projection, classify, _ = classifier(catalogue, "expenses.list")
    (left,) = projection.records("legacy", legacy)
    (right,) = projection.records("new", new)
    evaluation = classify.evaluate(left, right)
    assert [f.verdict for f in evaluation.findings] == [verdict]
    if verdict == "expected":
        assert evaluation.findings[0].reason


def test_milliseconds_are_not_a_difference(catalogue: Catalogue) -> None:
    projection, classify, _ = classifier(catalogue, "expenses.list")
    (left,) = projection.records("legacy", expense(performedAt="2025-01-01T00:00:00.999Z"))
    (right,) = projection.records("new", entry(performedAt="2025-01-01T00:00:00Z"))
    assert classify.evaluate(left, right).outcome == "match"


def test_volatile_fields_are_noise(catalogue: Catalogue) -> None:
    projection, classify, volatility = classifier(catalogue, "expenses.list")
    volatility.learn_records(projection, {"id": "1", "note": "a"}, {"id": "1", "note": "b"})
    assert "note" in volatility
    (left,) = projection.records("legacy", expense(note="x"))
    (right,) = projection.records("new", entry(note="y"))
    evaluation = classify.evaluate(left, right)
    assert evaluation.outcome == "noise"
    assert evaluation.findings[0].reason == "changes between two identical legacy calls"


def finding(verdict: str, path: str = "note") -> ClassifiedDifference:
    return ClassifiedDifference(path, path, "changed", verdict, "a", "b")  # type: ignore[arg-type]


def test_outcome_priority() -> None:
    assert outcome_of([]) == "match"
    assert outcome_of([finding("expected")]) == "expected"
    assert outcome_of([finding("expected"), finding("noise")]) == "noise"
    assert outcome_of([finding("noise"), finding("mismatch")]) == "mismatch"


def test_settle_lag_noise_and_mismatch() -> None:
    first = Evaluation("mismatch", (finding("mismatch"),), legacy={"note": "a"})
    assert settle(first, [Evaluation("match")]) [0].outcome == "lag"
    assert settle(first, [first, Evaluation("expected")])[1] == 2
    moved = Evaluation("mismatch", (finding("mismatch"),), legacy={"note": "c"})
    final, used = settle(first, [moved])
    assert (final.outcome, used) == ("noise", 1)
    assert final.findings[0].reason == CHANGED_REASON
    assert settle(first, [first])[0].outcome == "mismatch"
    assert settle(first, []) == (first, 0)
    missing = Evaluation("missing-in-new", legacy={"id": "1"})
    lag, _ = settle(missing, [Evaluation("expected")])
    assert lag.outcome == "lag" and "absent on the new API at first" in (lag.reason or "")


def test_an_amount_off_by_the_minor_unit_factor_is_an_assumption_failure(
    catalogue: Catalogue,
) -> None:
    """The legacy API sent minor units while assumptions.yaml says major: the setting is
    wrong, not the field, and the finding says which assumption to change."""
    projection, classify, _ = classifier(catalogue, "expenses.list")
    (legacy,) = projection.records(
        "legacy", expense(amountOriginal={"value": 1234, "currency": "DKK"})
    )
    (new,) = projection.records("new", entry(transactionValue={"minors": 1234, "currency": "DKK"}))
    evaluation = classify.evaluate(legacy, new)
    (finding,) = evaluation.findings
    assert finding.verdict == "assumption" and finding.field == "amountOriginal"
    assert finding.reason is not None and "legacy-money-units" in finding.reason
    assert evaluation.outcome == "mismatch"  # still a failing record


def test_an_amount_that_is_simply_wrong_stays_a_field_mismatch(catalogue: Catalogue) -> None:
    projection, classify, _ = classifier(catalogue, "expenses.list")
    (legacy,) = projection.records(
        "legacy", expense(amountOriginal={"value": 12.34, "currency": "DKK"})
    )
    (new,) = projection.records("new", entry(transactionValue={"minors": 1299, "currency": "DKK"}))
    (finding,) = classify.evaluate(legacy, new).findings
    assert finding.verdict == "mismatch"
