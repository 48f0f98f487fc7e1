"""Every difference gets a verdict, every record an outcome.

A difference is *noise* when the field changes between two identical legacy calls, *expected*
when the catalogue declares the field's loss and the loss explains the difference, and a
*mismatch* otherwise. A declared loss explains a difference when the new API has no such field,
when one side has no value, or when both values look the same once shown the legacy way (an
enum the legacy API cannot tell apart). Anything else in a lossy field is still a mismatch:
a loss never hides a wrong value. A record that differs at first but agrees on a re-check is
*lag*.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal

from migrate.errors import AssumptionViolation, ConversionError
from migrate.mapping import check_money_pair
from migrate.shadow.canonical import FieldInfo, Projection, path_text
from migrate.shadow.compare import Change, Difference, compare, compare_split

# `assumption`: the two sides differ exactly as a wrong assumptions.yaml setting predicts (an
# amount 100x off under legacy-money-units): the setting is at fault, not the field.
Verdict = Literal["expected", "noise", "mismatch", "assumption"]
Outcome = Literal[
    "match", "expected", "noise", "lag", "mismatch", "missing-in-new", "extra-in-new", "error"
]
OUTCOMES: tuple[Outcome, ...] = (
    "match", "expected", "noise", "lag", "mismatch", "missing-in-new", "extra-in-new", "error"
)
AGREEING: frozenset[str] = frozenset({"match", "expected", "noise", "lag"})
SUSPECT: frozenset[str] = frozenset({"mismatch", "missing-in-new", "extra-in-new"})
VOLATILE_REASON = "changes between two identical legacy calls"
CHANGED_REASON = "the legacy value changed between calls"
_PLACES = 4096  # difference paths remembered per operation


@dataclass(frozen=True)
class ClassifiedDifference:
    """A classified difference: where, which catalogue field, both values, and why."""

    path: str
    field: str
    change: Change
    verdict: Verdict
    legacy: Any
    new: Any
    reason: str | None = None


@dataclass(frozen=True)
class Evaluation:
    """One look at one record: its outcome and findings, with the legacy record seen."""

    outcome: Outcome
    findings: tuple[ClassifiedDifference, ...] = ()
    legacy: Any = None
    new: Any = None
    reason: str | None = None


class Volatility:
    """Fields learned to be volatile by calling the legacy API twice with the same request."""

    def __init__(self) -> None:
        self.fields: set[str] = set()
        self.envelope: set[str] = set()
        self.headers: set[str] = set()

    def learn_records(self, projection: Projection, first: Any, second: Any) -> None:
        for difference in compare(first, second):
            self.fields.add(projection.field_path(difference.path))

    def learn_envelope(self, first: Any, second: Any) -> None:
        for difference in compare(first, second):
            self.envelope.add(path_text(difference.path) or "(body)")

    def learn_headers(self, first: Mapping[str, str], second: Mapping[str, str]) -> None:
        for name in set(first) | set(second):
            if first.get(name) != second.get(name):
                self.headers.add(name)

    def __contains__(self, field: str) -> bool:
        return field in self.fields


class Classifier:
    """Verdicts for the differences of one operation's records."""

    def __init__(self, projection: Projection, volatility: Volatility) -> None:
        self.projection = projection
        self.volatility = volatility
        self._converters: dict[str, str] = {}
        # Per difference path: its text and catalogue field. Lossy fields differ the same way
        # on nearly every record, so each path is looked up once per operation.
        self._places: dict[tuple[Any, ...], tuple[str, FieldInfo | None, str]] = {}

    def evaluate(self, legacy: Any, new: Any) -> Evaluation:
        """Compare two comparable canonical records and classify what differs."""
        if (type(legacy) is dict or isinstance(legacy, Mapping)) and (
            type(new) is dict or isinstance(new, Mapping)  # a dict: no abstract-class check
        ):
            differences = compare_split(legacy, new, self.projection.lossy_top)
        else:
            differences = compare(legacy, new)
        findings = self.findings(differences, legacy, new)
        return Evaluation(outcome_of(findings), findings, legacy, new)

    def findings(
        self, differences: Iterable[Difference], legacy: Any, new: Any
    ) -> tuple[ClassifiedDifference, ...]:
        out = []
        for difference in differences:
            place = self._places.get(difference.path)
            if place is None:
                place = self._place(difference.path)
            shown, info, field = place
            verdict, reason = self._verdict(info, field, difference, legacy, new)
            out.append(
                ClassifiedDifference(
                    path=shown,
                    field=field,
                    change=difference.change,
                    verdict=verdict,
                    legacy=difference.legacy,
                    new=difference.new,
                    reason=reason,
                )
            )
        return tuple(out)

    def _place(self, path: tuple[Any, ...]) -> tuple[str, FieldInfo | None, str]:
        info = self.projection.field_for(path)
        field = info.path if info else self.projection.field_path(path)
        place = (path_text(path) or "(record)", info, field)
        if len(self._places) < _PLACES:  # bounded: list indices make paths without end
            self._places[path] = place
        return place

    def _verdict(
        self,
        info: FieldInfo | None,
        field: str,
        difference: Difference,
        legacy: Any,
        new: Any,
    ) -> tuple[Verdict, str | None]:
        if field in self.volatility:
            return "noise", VOLATILE_REASON
        if info is not None and info.loss is not None and self._explained(info, difference,
                                                                          legacy, new):
            return "expected", info.loss
        if info is not None and self._converter(info.path) == "money":
            try:
                check_money_pair(difference.legacy, difference.new,
                                 _parent(new, difference.path).get("currency"),
                                 str(self.projection.catalogue.assumptions[
                                     "legacy-money-units"].value))
            except AssumptionViolation as violation:
                return "assumption", f"assumption failure ({violation.assumption}): {violation}"
        return "mismatch", None

    def _explained(self, info: FieldInfo, difference: Difference, legacy: Any, new: Any) -> bool:
        if info.new_missing or difference.change in ("absent-in-new", "absent-in-legacy"):
            return True
        if self._converter(info.path) == "link":  # each API signs its own download links
            return True
        if not isinstance(legacy, Mapping) or not isinstance(new, Mapping):
            return False
        try:
            shown_legacy = self.projection.legacy_form(info.top, legacy.get(info.top))
            shown_new = self.projection.legacy_form(info.top, new.get(info.top))
        except ConversionError:
            return False
        return bool(shown_legacy == shown_new)


    def _converter(self, path: str) -> str | None:
        if not self._converters:
            self._converters.update(
                (item.path, item.field.converter)
                for item in self.projection.catalogue.fields(self.projection.model)
            )
        return self._converters.get(path)


def _parent(record: Any, path: tuple[Any, ...]) -> Mapping[str, Any]:
    """The object holding the value at `path` (a money object for `…amountOriginal.minors`)."""
    current = record
    for part in path[:-1]:
        try:
            current = current[part]
        except (KeyError, IndexError, TypeError):
            return {}
    return current if isinstance(current, Mapping) else {}


def outcome_of(findings: Iterable[ClassifiedDifference]) -> Outcome:
    verdicts = {finding.verdict for finding in findings}
    if "mismatch" in verdicts or "assumption" in verdicts:
        return "mismatch"
    if "noise" in verdicts:
        return "noise"
    if "expected" in verdicts:
        return "expected"
    return "match"


def settle(first: Evaluation, later: Sequence[Evaluation]) -> tuple[Evaluation, int]:
    """The final word on a suspect record after re-checks, and how many re-checks it took.

    Agreement on any re-check means the first difference was lag. Otherwise the last look
    stands, except that a mismatch whose legacy value moved between looks is noise.
    """
    for count, evaluation in enumerate(later, start=1):
        if evaluation.outcome in AGREEING:
            return replace(first, outcome="lag", reason=_lag_reason(first)), count
    if not later:
        return first, 0
    last = later[-1]
    history = [first, *later]
    findings = tuple(
        replace(finding, verdict="noise", reason=CHANGED_REASON)
        if finding.verdict == "mismatch" and _legacy_moved(finding.path, history)
        else finding
        for finding in last.findings
    )
    outcome = outcome_of(findings) if last.outcome == "mismatch" else last.outcome
    return replace(last, outcome=outcome, findings=findings), len(later)


def _lag_reason(first: Evaluation) -> str:
    if first.outcome == "missing-in-new":
        return "absent on the new API at first, present and equal on a re-check"
    if first.outcome == "extra-in-new":
        return "absent on the legacy API at first, consistent on a re-check"
    return "different at first, equal on a re-check"


def _legacy_moved(path: str, history: Sequence[Evaluation]) -> bool:
    values = {repr(_lookup(evaluation.legacy, path)) for evaluation in history}
    return len(values) > 1


def _lookup(record: Any, path: str) -> Any:
    current = record
    for token in _tokens(path):
        try:
            current = current[token]
        except (KeyError, IndexError, TypeError):
            return None
    return current


def _tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for chunk in path.split("."):
        name, _, rest = chunk.partition("[")
        if name:
            out.append(name)
        for index in rest.replace("]", "").split("[") if rest else ():
            out.append(int(index))
    return out
