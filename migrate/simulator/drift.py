"""Drift profiles: the ways the two simulated APIs may disagree, on purpose and on record.

- `none`: both APIs render the same stored records faithfully.
- `noise`: volatile values change on every call (listed in `NOISE_FIELDS`).
- `lag`: the new API shows the store as it was `lag_seconds` ago.
- `defects`: a fixed set of parity bugs (`DEFECT_RULES`), resolved against the seeded data into
  concrete `Defect`s (operation id, record id, legacy field path) that a comparator must find.

Profiles combine: `--drift noise,lag`.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from migrate.simulator.records import Employee, Expense
from migrate.simulator.store import Store

PROFILES = ("none", "noise", "lag", "defects")
DEFAULT_LAG_SECONDS = 5.0

NOISE_FIELDS: tuple[tuple[str, str], ...] = (
    ("legacy", "metadata.requestId on every paged legacy list (a new UUID per call)"),
    ("legacy", "[].url of GET /expenses/{id}/receipts and the single receipt's url: a signed "
               "download link whose expires and signature parameters change per call"),
    ("new", "data[].files[].url of GET /v3/export-items: a signed link, new per call"),
    ("both", "the X-Request-Id response header (a new UUID per call)"),
)


@dataclass(frozen=True)
class DriftConfig:
    """Which profiles are on, and how far the new API lags when `lag` is."""

    profiles: frozenset[str] = frozenset()
    lag_seconds: float = DEFAULT_LAG_SECONDS

    @classmethod
    def parse(cls, text: str, *, lag_seconds: float = DEFAULT_LAG_SECONDS) -> DriftConfig:
        names = {part.strip() for part in text.split(",") if part.strip()}
        unknown = names - set(PROFILES)
        if unknown:
            raise ValueError(
                f"unknown drift profile {sorted(unknown)[0]!r}; use {', '.join(PROFILES)}"
            )
        if lag_seconds < 0:
            raise ValueError("lag must not be negative")
        return cls(frozenset(names - {"none"}), lag_seconds)

    @property
    def noise(self) -> bool:
        return "noise" in self.profiles

    @property
    def lag(self) -> float:
        return self.lag_seconds if "lag" in self.profiles else 0.0

    @property
    def defects(self) -> bool:
        return "defects" in self.profiles

    def describe(self) -> str:
        return ",".join(p for p in PROFILES if p in self.profiles) or "none"


@dataclass(frozen=True)
class Defect:
    """One deliberate parity bug: where the comparator must report a difference."""

    operation: str
    record_id: str
    field: str | None  # a legacy field name; None when the whole record is missing on a side
    side: str  # the side that is wrong: "new" or "legacy"
    description: str


@dataclass(frozen=True)
class DefectRule:
    """A defect before it is pinned to a record: how the record is chosen, what breaks."""

    name: str
    operations: tuple[str, ...]
    field: str | None
    side: str
    description: str
    choose: Callable[[Store, set[str]], str | None]  # (store, ids already taken) -> id


def _first_expense(store: Store, taken: set[str], test: Callable[[Expense], bool]) -> str | None:
    company = store.first_company().id
    for expense in store.expenses.rows([company]):
        if expense.deleted_at is None and expense.id not in taken and test(expense):
            return expense.id
    return None


def _employees(store: Store) -> list[Employee]:
    return store.employees.rows([store.first_company().id])


def _missing_employee(store: Store, taken: set[str]) -> str | None:
    people = _employees(store)
    return people[6].id if len(people) > 6 else None


def _folded_employee(store: Store, taken: set[str]) -> str | None:
    for person in _employees(store):
        if person.id not in taken and person.first_name and not person.first_name.isascii():
            return person.id
    return None


DEFECT_RULES: tuple[DefectRule, ...] = (
    DefectRule(
        "rounded-amount", ("expenses.list", "expenses.get"), "amountOriginal", "new",
        "transactionValue is rounded to whole units for this SEK expense (e.g. 123.45 SEK is "
        "sent as 12300 minors)",
        lambda s, taken: _first_expense(
            s, taken, lambda e: e.original_currency == "SEK" and e.original % 100 != 0
        ),
    ),
    DefectRule(
        "missing-employee", ("employees.list", "employees.get"), None, "new",
        "the employee is absent from GET /v2/employees and GET /v2/employees/{id} answers 404",
        _missing_employee,
    ),
    DefectRule(
        "folded-first-name", ("employees.list", "employees.get"), "firstName", "new",
        "firstName is ASCII-folded on the new API (Søren becomes Soren)",
        _folded_employee,
    ),
    DefectRule(
        "untranslated-enum", ("expenses.list", "expenses.get"), "type", "new",
        "family carries the legacy value MANUAL_TRANSFER instead of REIMBURSEMENT",
        lambda s, taken: _first_expense(s, taken, lambda e: e.type == "MANUAL_TRANSFER"),
    ),
    DefectRule(
        "reordered-tags", ("expenses.list", "expenses.get"), "tagIds", "new",
        "tags are listed in reverse order on the new API",
        lambda s, taken: _first_expense(s, taken, lambda e: len(e.tags) >= 2),
    ),
    DefectRule(
        "null-note", ("expenses.list", "expenses.get"), "note", "legacy",
        "note is null on the legacy API while the new API has the text",
        lambda s, taken: _first_expense(s, taken, lambda e: bool(e.note)),
    ),
)


def _chosen(store: Store) -> dict[str, str | None]:
    """Each rule's record; every rule gets a record of its own."""
    taken: set[str] = set()
    chosen: dict[str, str | None] = {}
    for rule in DEFECT_RULES:
        record_id = rule.choose(store, taken)
        chosen[rule.name] = record_id
        if record_id is not None:
            taken.add(record_id)
    return chosen


def resolve_defects(store: Store) -> tuple[Defect, ...]:
    """The concrete defects for this store's data (one per rule and operation)."""
    chosen = _chosen(store)
    return tuple(
        Defect(operation, record_id, rule.field, rule.side, rule.description)
        for rule in DEFECT_RULES
        if (record_id := chosen[rule.name]) is not None
        for operation in rule.operations
    )


def _fold(text: str) -> str:
    special = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "ß": "ss"})
    decomposed = unicodedata.normalize("NFKD", text.translate(special))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class DefectPlan:
    """Applies the resolved defects while rendering; empty (a no-op) when `defects` is off."""

    def __init__(self, store: Store, enabled: bool) -> None:
        self.defects = resolve_defects(store) if enabled else ()
        chosen = _chosen(store) if enabled else {}
        self._rounded = chosen.get("rounded-amount")
        self._missing = chosen.get("missing-employee")
        self._folded = chosen.get("folded-first-name")
        self._untranslated = chosen.get("untranslated-enum")
        self._reordered = chosen.get("reordered-tags")
        self._null_note = chosen.get("null-note")

    def hides_employee(self, employee_id: str) -> bool:
        return employee_id == self._missing

    def new_employee(self, employee_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if employee_id == self._folded and isinstance(body.get("firstName"), str):
            body["firstName"] = _fold(body["firstName"])
        return body

    def new_entry(self, entry_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if entry_id == self._rounded:
            money = body["transactionValue"]
            money["minors"] = (money["minors"] + 50) // 100 * 100
        if entry_id == self._untranslated:
            body["family"] = "MANUAL_TRANSFER"
        if entry_id == self._reordered:
            body["tags"] = list(reversed(body["tags"]))
        return body

    def legacy_expense(self, expense_id: str, body: dict[str, Any]) -> dict[str, Any]:
        if expense_id == self._null_note:
            body["note"] = None
        return body
