"""Test the catalogue's unconfirmed beliefs (`assumptions.yaml`) on records read through both APIs.

Each testable assumption has a check here, as data. A check reads a record through the legacy
API and the same record through the new API (the planner turns the legacy read into the new
call), works out which of the assumption's choices the pair supports, and compares that with
the catalogue's `value`: held, contradicted (with the one-line change to make), or untestable
(no legacy token, no record, or no record that tells the choices apart).

Units are judged with the catalogue's own converter for the field, bound to each choice in
turn, so a check can never disagree with what compat and shadow would compute.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from migrate import pleo
from migrate.doctor.context import Run
from migrate.doctor.verdicts import Status, Verdict
from migrate.errors import ConversionError
from migrate.mapping import FieldPath, Filter

_RECORDS = 10  # records tried per check before it gives up as untestable
_ARCHIVED = "archived"  # TagGroupModel.archived, TaxCodeModel.archived (new specs)


@dataclass(frozen=True)
class Observation:
    """What the records showed: the choice they support, or why none could be told."""

    choice: str | None
    detail: str


@dataclass(frozen=True)
class UnitCheck:
    """A unit belief: the converter whose fields carry it, and where to find one record."""

    assumption: str
    converter: str
    list_operation: str
    get_operation: str
    # The choice a legacy value above 1 proves by itself: the converter reads such a rate as a
    # percent whatever the setting (no tax rate exceeds 100 %), so both choices convert it alike.
    above_one: str | None = None


@dataclass(frozen=True)
class ListDefaultCheck:
    """Which records a legacy list returns with no filter: a list and its `show all` flag."""

    list_operation: str
    get_operation: str
    flag: str


UNIT_CHECKS = (
    UnitCheck("legacy-money-units", "money", "expenses.list", "expenses.get"),
    UnitCheck(
        "legacy-tax-rate-unit", "rate", "tax-codes.list", "tax-codes.get", above_one="percent"
    ),
)
LIST_DEFAULT_CHECKS = (
    ListDefaultCheck("tag-groups.list", "tag-groups.get", _ARCHIVED),
    ListDefaultCheck("tax-codes.list", "tax-codes.get", "hidden"),
)
ACCOUNTS = ("accounts.list", "accounts.get")
AUTHORISATIONS = "legacy-authorisations"
# The legacy expense list, its card-state filter, an authorisation state, and its date filters.
_EXPENSES, _STATES, _AUTHORISATION = "expenses.list", "transactionStates", "AUTHORIZATION"
_DATE_FROM, _DATE_TO, _PERFORMED = "dateFrom", "dateTo", "performedAt"
ACCOUNT_IDS = "account-ids"
LIST_DEFAULTS = "legacy-list-defaults"


def check_assumptions(run: Run) -> list[Verdict]:
    """One verdict per assumption in the catalogue; those no read can test say so."""
    checks: dict[str, Callable[[Run], Observation]] = {
        unit.assumption: _unit_observer(unit) for unit in UNIT_CHECKS
    }
    checks[ACCOUNT_IDS] = _account_ids
    checks[LIST_DEFAULTS] = _list_defaults
    checks[AUTHORISATIONS] = _authorisations
    verdicts = []
    for ident, assumption in run.catalogue.assumptions.items():
        title = f"assumption {ident} = {assumption.value}"
        observe = checks.get(ident)
        if observe is None:
            verdicts.append(Verdict(f"assumption:{ident}", title, Status.untestable,
                                    "no read of one record can test it"))
            continue
        if not run.found.legacy_works:
            verdicts.append(Verdict(f"assumption:{ident}", title, Status.untestable,
                                    f"needs a working legacy token ({pleo.LEGACY_TOKEN_VAR})"))
            continue
        try:
            seen = observe(run)
        except ConversionError as exc:
            seen = Observation(None, str(exc))
        verdicts.append(_verdict(ident, title, assumption.value, assumption.where, seen))
    return verdicts


def _verdict(ident: str, title: str, value: Any, where: Any, seen: Observation) -> Verdict:
    check = f"assumption:{ident}"
    if seen.choice is None:
        return Verdict(check, title, Status.untestable, seen.detail)
    if seen.choice == str(value):
        return Verdict(check, title, Status.passed, f"held: {seen.detail}")
    return Verdict(check, title, Status.failed, f"contradicted: {seen.detail}",
                   f"{where}: set {ident} `value: {seen.choice}`")


# --- units: money, tax rates -------------------------------------------------------------


def _unit_observer(unit: UnitCheck) -> Callable[[Run], Observation]:
    def observe(run: Run) -> Observation:
        return _units(run, unit)

    return observe


def _units(run: Run, unit: UnitCheck) -> Observation:
    choices = tuple(str(c) for c in run.catalogue.assumptions[unit.assumption].choices)
    get_op = run.catalogue.get(unit.get_operation)
    fields = [fp for fp in run.catalogue.fields(get_op.model or "")
              if fp.field.converter == unit.converter and "[]" not in fp.path
              and fp.field.legacy and fp.new_path]
    ids = _legacy_ids(run, unit.list_operation)
    if not ids:
        return Observation(None, f"no record: the legacy {unit.list_operation} is empty")
    param = get_op.legacy.params[0]
    for ident in ids[:_RECORDS]:
        legacy = run.legacy_get(get_op.id, {param: ident})
        new = run.new_for(get_op.id, {param: ident})
        if not legacy.ok or not new.ok:
            continue
        legacy_record = _one(run.listed(get_op.id, "legacy", legacy.body))
        new_record = _one(run.listed(get_op.id, "new", new.body))
        supported = set(choices)
        told = []
        for fp in fields:
            legacy_value = _dig(legacy_record, fp.field.legacy or "")
            new_value = _dig(new_record, fp.new_path or "")
            if legacy_value is None or new_value is None:
                continue
            converted = {c: _convert(fp, legacy_value, c) for c in choices}
            if len({repr(v) for v in converted.values()}) < 2:
                if _proves_above_one(unit, legacy_value, converted, new_value, choices):
                    supported &= {str(unit.above_one)}
                    told.append(f"legacy {fp.field.legacy} {_brief(legacy_value)} ⇄ new "
                                f"{fp.new_path} {_brief(new_value)}")
                continue  # 0, or a currency without decimals: both choices read the same
            matching = {c for c, v in converted.items() if _same(v, new_value)}
            if matching:
                supported &= matching
                told.append(f"legacy {fp.field.legacy} {_brief(legacy_value)} ⇄ new "
                            f"{fp.new_path} {_brief(new_value)}")
        if told and len(supported) == 1:
            choice = supported.pop()
            return Observation(choice, f"{get_op.id} {ident}: {told[0]}")
    return Observation(None, f"no record among {min(len(ids), _RECORDS)} tells "
                             f"{' from '.join(choices)} apart (zero values or whole-unit "
                             "currencies only, or the two APIs disagree)")


def _proves_above_one(
    unit: UnitCheck, legacy: Any, converted: dict[str, Any], new: Any, choices: tuple[str, ...]
) -> bool:
    """A legacy value above 1 that the new side shows converted: proof of `unit.above_one`."""
    if unit.above_one is None or unit.above_one not in choices:
        return False
    if isinstance(legacy, bool) or not isinstance(legacy, int | float) or legacy <= 1:
        return False
    return _same(converted[unit.above_one], new)


def _convert(fp: FieldPath, value: Any, choice: str) -> Any:
    """The catalogue's converter for this field, with the assumption bound to `choice`."""
    options = {**fp.field.options, "assumption": choice}
    as_filter = Filter(fp.path, None, None, None, fp.field.converter, options, False, None,
                       fp.field.where)
    try:
        return as_filter.convert(value)
    except ConversionError:
        return None


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    if isinstance(a, Mapping) and isinstance(b, Mapping):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


# --- account ids -------------------------------------------------------------------------


def _account_ids(run: Run) -> Observation:
    list_op, get_op = (run.catalogue.get(op) for op in ACCOUNTS)
    answer = run.legacy_get(list_op.id, query=_one_page(list_op.paging))
    listed = run.listed(list_op.id, "legacy", answer.body) if answer.ok else []
    legacy = next((r for r in listed if isinstance(r.get("id"), str)), None)
    if legacy is None:
        return Observation(None, f"no record: the legacy {list_op.id} is empty")
    ident = legacy["id"]
    by_id = run.new_for(get_op.id, {get_op.legacy.params[0]: ident})
    if by_id.ok:
        return Observation("same", f"legacy account {ident} is found by that id on the new API")
    if by_id.status != 404:
        return Observation(None, f"{get_op.id} answered {by_id.status}")
    new_list = run.new_for(list_op.id)
    candidates = run.listed(list_op.id, "new", new_list.body) if new_list.ok else []
    pairs = [(fp.field.legacy, fp.new_path) for fp in run.catalogue.fields(get_op.model or "")
             if fp.field.converter == "same" and fp.field.legacy and fp.new_path
             and "." not in fp.path and fp.path != "id"]
    for record in candidates:
        if all(_same(legacy.get(old), record.get(new)) for old, new in pairs
               if old and new and legacy.get(old) is not None):
            return Observation("different", f"legacy account {ident} is new account "
                                            f"{record.get('id')} (same fields, other id)")
    return Observation(None, f"legacy account {ident} is not on the new API by id, nor by its "
                             "fields; are both credentials for the same company?")


# --- list defaults -----------------------------------------------------------------------


def _list_defaults(run: Run) -> Observation:
    seen: list[str] = []
    for check in LIST_DEFAULT_CHECKS:
        get_op = run.catalogue.get(check.get_operation)
        default = _legacy_ids(run, check.list_operation)
        flagged = _legacy_ids(run, check.list_operation, {check.flag: "true"})
        archived = set()
        for ident in dict.fromkeys([*default, *flagged]):
            new = run.new_for(get_op.id, {get_op.legacy.params[0]: ident})
            record = _one(run.listed(get_op.id, "new", new.body)) if new.ok else {}
            if record.get(_ARCHIVED) is True:
                archived.add(ident)
        if not archived:
            seen.append(f"{check.list_operation}: no archived record")
            continue
        shown = archived & set(default)
        choice = "all" if shown else "active-only"
        return Observation(choice, f"{check.list_operation} without {check.flag} lists "
                                   f"{len(shown)} of {len(archived)} archived records")
    return Observation(None, "no archived or hidden record to tell active-only from all ("
                             + "; ".join(seen) + ")")


# --- card authorisations in the expense list ----------------------------------------------


def _authorisations(run: Run) -> Observation:
    """One authorisation found by asking for it, then looked for in the unfiltered list of
    its own day (a small page, whatever the company's size)."""
    op = run.catalogue.get(_EXPENSES)
    asked = run.legacy_get(op.id, query={**_one_page(op.paging), _STATES: _AUTHORISATION})
    found = run.listed(op.id, "legacy", asked.body) if asked.ok else []
    record = next((r for r in found if isinstance(r.get("id"), str)
                   and isinstance(r.get(_PERFORMED), str)), None)
    if record is None:
        return Observation(None, "no card authorisation in this company to tell excluded "
                                 "from included")
    day = record[_PERFORMED][:10]
    plain = run.legacy_get(op.id, query={**_one_page(op.paging), _DATE_FROM: day,
                                         _DATE_TO: day})
    listed = {r.get("id") for r in run.listed(op.id, "legacy", plain.body)} if plain.ok else set()
    if not plain.ok:
        return Observation(None, f"{op.id} answered {plain.status}")
    choice = "included" if record["id"] in listed else "excluded"
    verb = "lists" if choice == "included" else "leaves out"
    return Observation(choice, f"{op.id} without {_STATES} {verb} authorisation {record['id']}")


# --- reading ------------------------------------------------------------------------------


def _one_page(paging: str) -> dict[str, str]:
    return {pleo.LEGACY_PAGE_SIZE: str(_RECORDS * 5)} if paging == "offset-to-cursor" else {}


def _legacy_ids(run: Run, operation: str, query: dict[str, str] | None = None) -> list[str]:
    op = run.catalogue.get(operation)
    answer = run.legacy_get(operation, query={**_one_page(op.paging), **(query or {})})
    if not answer.ok:
        return []
    return [r["id"] for r in run.listed(operation, "legacy", answer.body)
            if isinstance(r.get("id"), str)]


def _brief(value: Any) -> str:
    if isinstance(value, Mapping):
        return " ".join(str(v) for v in value.values())
    return str(value)


def _one(found: list[Any]) -> dict[str, Any]:
    return found[0] if found and isinstance(found[0], dict) else {}


def _dig(record: Mapping[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        value = value.get(part) if isinstance(value, Mapping) else None
    return value
