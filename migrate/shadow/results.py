"""Results as data, and the three files a run leaves: results.jsonl, summary.json, junit.xml.

Results are streamed: each record's result is written as it is decided and only counted after
that, so memory does not grow with the number of records. The summary holds counts and a few
example ids (the smallest, so the file is the same however the work was scheduled), which is
what lets a replay reproduce it byte for byte.
"""

from __future__ import annotations

import bisect
import contextlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any
from xml.etree import ElementTree

from migrate.errors import ConfigurationError
from migrate.shadow.classify import AGREEING, OUTCOMES, ClassifiedDifference, Outcome
from migrate.shadow.staged import open_fresh

SCHEMA_VERSION = 1
RESULTS_FILE = "results.jsonl"
SUMMARY_FILE = "summary.json"
JUNIT_FILE = "junit.xml"
EXAMPLES = 5
MAX_ERRORS = 10
FLUSH_EVERY = 256
# json.dumps with options builds an encoder per call; one line per record shares this one.
_LINE = json.JSONEncoder(ensure_ascii=False, default=str)


@dataclass(frozen=True)
class RecordResult:
    """The outcome for one record (or one failed request, then `record_id` may be None)."""

    operation: str
    outcome: Outcome
    record_id: str | None = None
    findings: tuple[ClassifiedDifference, ...] = ()
    error: str | None = None
    side: str | None = None
    reason: str | None = None
    rechecks: int = 0
    step: str | None = None
    # The request itself failed (refused, unreachable, unreadable answer): nothing was compared,
    # so it is counted apart from the records and never lowers or raises parity.
    request_failed: bool = False

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"operation": self.operation, "id": self.record_id,
                                "outcome": self.outcome}
        if self.step and self.step != self.operation:
            data["step"] = self.step
        # Declared losses repeat on nearly every record: name the fields, keep the values for
        # the differences someone has to look at.
        expected = [f.field for f in self.findings if f.verdict == "expected"]
        if expected:
            data["expected"] = list(dict.fromkeys(expected))
        details = [finding_json(f) for f in self.findings if f.verdict != "expected"]
        if details:
            data["differences"] = details
        for key in ("reason", "error", "side"):
            value = getattr(self, key)
            if value is not None:
                data[key] = value
        if self.rechecks:
            data["rechecks"] = self.rechecks
        if self.request_failed:
            data["request_failed"] = True
        return data


def finding_json(finding: ClassifiedDifference) -> dict[str, Any]:
    data: dict[str, Any] = {
        "path": finding.path,
        "field": finding.field,
        "change": finding.change,
        "verdict": finding.verdict,
    }
    if finding.change != "absent-in-legacy":
        data["legacy"] = finding.legacy
    if finding.change != "absent-in-new":
        data["new"] = finding.new
    if finding.reason:
        data["reason"] = finding.reason
    return data


class ResultWriter:
    """Appends one JSON line per result; nothing is kept in memory.

    With a `run_id`, every line carries it, so a reader can tell that results.jsonl and
    summary.json come from the same run. `redact` (the run's cassette redaction, on a JSON
    value) runs over every line: an upstream that echoes the credential in a record must not
    put it in the file.
    """

    def __init__(
        self,
        path: Path,
        run_id: str | None = None,
        redact: Callable[[Any], Any] | None = None,
    ) -> None:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()  # replaced, never written through (a planted link stays untouched)
        self._handle: IO[str] = open_fresh(path)
        self.path = path
        self.run_id = run_id
        self.redact = redact
        self.count = 0

    def write(self, result: RecordResult) -> None:
        data = result.to_json()
        if self.redact is not None:
            data = self.redact(data)
        if self.run_id is not None:
            data["run_id"] = self.run_id
        self._handle.write(_LINE.encode(data))
        self._handle.write("\n")
        self.count += 1
        if self.count % FLUSH_EVERY == 0:
            self._handle.flush()  # readers (tail -f, CI logs) see progress

    def close(self) -> None:
        self._handle.close()

    def __enter__(self) -> ResultWriter:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


class _Smallest:
    """The n smallest distinct strings seen, in order: deterministic examples."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: list[str] = []

    def add(self, item: str) -> None:
        if item in self.items:
            return
        if len(self.items) < self.limit or item < self.items[-1]:
            bisect.insort(self.items, item)
            del self.items[self.limit:]


@dataclass
class _FieldTally:
    verdicts: Counter[str] = field(default_factory=Counter)
    examples: _Smallest = field(default_factory=lambda: _Smallest(EXAMPLES))


class OperationTally:
    """Counts for one operation; fed one result at a time."""

    def __init__(
        self,
        operation: str,
        fields: Iterable[str] = (),
        losses: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.operation = operation
        self.outcomes: Counter[str] = Counter()
        self.fields: dict[str, _FieldTally] = {name: _FieldTally() for name in fields}
        self.losses = tuple(dict.fromkeys(losses))
        self.loss_hits: Counter[str] = Counter()
        self.compared = 0
        self.failed_requests = 0
        self.errors = _Smallest(MAX_ERRORS)
        self.noise_fields: set[str] = set()
        self.noise_envelope: set[str] = set()
        self.noise_headers: set[str] = set()
        self.notes: set[str] = set()
        self.skipped: str | None = None

    def add(self, result: RecordResult) -> None:
        if result.request_failed:
            self.failed_requests += 1
            self.errors.add(result.error or "error")
            return
        self.outcomes[result.outcome] += 1
        if result.outcome == "error":
            self.errors.add(result.error or "error")
            return
        if result.outcome in AGREEING or result.outcome == "mismatch":
            self.compared += 1
        seen: set[tuple[str, str]] = set()
        for finding in result.findings:
            verdict = "lag" if result.outcome == "lag" else finding.verdict
            if (finding.field, verdict) in seen:
                continue
            seen.add((finding.field, verdict))
            tally = self.fields.get(finding.field)
            if tally is None:  # a field outside the catalogue's (made once, not per finding)
                tally = self.fields[finding.field] = _FieldTally()
            tally.verdicts[verdict] += 1
            if verdict == "mismatch" and result.record_id is not None:
                tally.examples.add(result.record_id)
            if verdict == "expected":
                self.loss_hits[finding.field] += 1

    @property
    def records(self) -> int:
        return sum(self.outcomes.values())

    @property
    def agreeing(self) -> int:
        return sum(self.outcomes[name] for name in AGREEING)

    @property
    def failing(self) -> int:
        return sum(self.outcomes[name] for name in ("mismatch", "missing-in-new", "extra-in-new"))

    def parity(self) -> float | None:
        return percent(self.agreeing, self.records)

    def status(self) -> str:
        if self.skipped is not None:
            return "skipped"
        if self.failing:
            return "fail"
        if self.outcomes["error"] or self.failed_requests:
            return "error"
        return "pass"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {"operation": self.operation, "status": self.status()}
        if self.skipped is not None:
            data["skipped"] = self.skipped
            return data
        data.update(
            {
                "records": self.records,
                "failed_requests": self.failed_requests,
                "parity": self.parity(),
                "outcomes": {name: self.outcomes[name] for name in OUTCOMES},
                "fields": [self._field_json(name) for name in sorted(self.fields)],
                "expected": [
                    {"field": name, "loss": loss, "records": self.loss_hits[name]}
                    for name, loss in self.losses
                ],
                "noise": {
                    "fields": sorted(self.noise_fields),
                    "envelope": sorted(self.noise_envelope),
                    "headers": sorted(self.noise_headers),
                },
                "errors": list(self.errors.items),
            }
        )
        if self.notes:
            data["notes"] = sorted(self.notes)
        return data

    def _field_json(self, name: str) -> dict[str, Any]:
        tally = self.fields[name]
        mismatches = tally.verdicts["mismatch"]
        data: dict[str, Any] = {
            "field": name,
            "compared": self.compared,
            "parity": percent(self.compared - mismatches, self.compared),
        }
        for verdict in ("mismatch", "expected", "noise", "lag"):
            data[verdict] = tally.verdicts[verdict]
        if tally.examples.items:
            data["examples"] = list(tally.examples.items)
        return data


def percent(part: int, whole: int) -> float | None:
    return None if whole == 0 else round(100.0 * part / whole, 2)


@dataclass
class Summary:
    """Every operation's tally, plus what the run was; turned into summary.json and JUnit."""

    run: Mapping[str, Any]
    tallies: dict[str, OperationTally] = field(default_factory=dict)
    run_id: str | None = None  # the run's id, also on every results.jsonl line

    def tally(self, operation: str) -> OperationTally:
        found = self.tallies.get(operation)
        if found is None:  # made once per operation, not once per result
            found = self.tallies[operation] = OperationTally(operation)
        return found

    def totals(self) -> dict[str, Any]:
        outcomes: Counter[str] = Counter()
        for tally in self.tallies.values():
            outcomes.update(tally.outcomes)
        records = sum(outcomes.values())
        agreeing = sum(outcomes[name] for name in AGREEING)
        return {
            "operations": len(self.tallies),
            "records": records,
            "failed_requests": sum(t.failed_requests for t in self.tallies.values()),
            "parity": percent(agreeing, records),
            "outcomes": {name: outcomes[name] for name in OUTCOMES},
        }

    def lowest_parity(self) -> float | None:
        values = [t.parity() for t in self.tallies.values() if t.skipped is None]
        known = [v for v in values if v is not None]
        return min(known) if known else None

    def to_json(self) -> dict[str, Any]:
        """summary.json, as migrate/shadow/summary.schema.json describes it."""
        head: dict[str, Any] = {"schema_version": SCHEMA_VERSION}
        if self.run_id is not None:
            head["run_id"] = self.run_id
        return {
            **head,
            "run": dict(self.run),
            "totals": self.totals(),
            "operations": [tally.to_json() for tally in self.tallies.values()],
        }


def write_summary(path: Path, summary: Summary) -> None:
    text = json.dumps(summary.to_json(), indent=2, ensure_ascii=False, default=str) + "\n"
    _write_text(path, text)


def write_junit(path: Path, summary: Summary) -> None:
    """One testcase per operation: failure on disagreement, error on failed requests."""
    suite = ElementTree.Element("testsuite", name="pleo-migrate shadow")
    counts = Counter[str]()
    for tally in summary.tallies.values():
        case = ElementTree.SubElement(
            suite, "testcase", classname=f"shadow.{tally.operation.split('.')[0]}",
            name=tally.operation, time="0",
        )
        counts["tests"] += 1
        status = tally.status()
        if status == "skipped":
            ElementTree.SubElement(case, "skipped", message=tally.skipped or "skipped")
            counts["skipped"] += 1
            continue
        lines = [f"records {tally.records}, parity {_pct(tally.parity())}"]
        lines += [f"{name}: {tally.outcomes[name]}" for name in OUTCOMES if tally.outcomes[name]]
        for name in sorted(tally.fields):
            mismatches = tally.fields[name].verdicts["mismatch"]
            if mismatches:
                examples = ", ".join(tally.fields[name].examples.items)
                lines.append(f"field {name}: {mismatches} mismatched (e.g. {examples})")
        detail = "\n".join(lines)
        if status == "fail":
            message = (
                f"{tally.failing} of {tally.records} records disagree "
                f"(parity {_pct(tally.parity())})"
            )
            ElementTree.SubElement(case, "failure", message=message).text = detail
            counts["failures"] += 1
        elif status == "error":
            message = f"{tally.outcomes['error']} requests failed"
            ElementTree.SubElement(case, "error", message=message).text = "\n".join(
                tally.errors.items
            )
            counts["errors"] += 1
        ElementTree.SubElement(case, "system-out").text = detail
    for key in ("tests", "failures", "errors", "skipped"):
        suite.set(key, str(counts[key]))
    root = ElementTree.Element("testsuites")
    root.append(suite)
    ElementTree.indent(root)
    _write_text(path, ElementTree.tostring(root, encoding="unicode", xml_declaration=True) + "\n")


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.2f} %"


def _write_text(path: Path, text: str) -> None:
    """A fresh file (a link or file at `path` is replaced, not written through)."""
    try:
        path.unlink()
    except FileNotFoundError:
        pass
    except OSError as exc:
        raise ConfigurationError(f"cannot write {path}: {exc.strerror}") from None
    with open_fresh(path) as handle:
        handle.write(text)
