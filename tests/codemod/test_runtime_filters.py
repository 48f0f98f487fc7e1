"""Run-time day filters: the bound read from the filter's own converter, and the expression the
rewrite writes, evaluated on the values clients pass."""

from __future__ import annotations

import ast
from datetime import date
from typing import Any

import pytest

from migrate.codemod.runtime_filters import body_entry, day_bound, writable
from migrate.mapping import Filter, load_catalogue

CATALOGUE = load_catalogue()


def _filter(op_id: str, key: str) -> Filter:
    return next(item for item in CATALOGUE.get(op_id).filters if item.legacy == key)


def test_the_day_bounds_come_from_the_converters() -> None:
    assert day_bound(_filter("expenses.list", "dateFrom")) == "T00:00:00Z"
    assert day_bound(_filter("expenses.list", "dateTo")) == "T23:59:59Z"
    assert day_bound(_filter("expenses.list", "status")) is None  # an enum, as a list


def test_only_a_name_or_an_attribute_is_written_out() -> None:
    found = _filter("expenses.list", "dateFrom")
    assert writable(found, ast.parse("since", mode="eval").body)
    assert writable(found, ast.parse("self.since", mode="eval").body)
    assert not writable(found, ast.parse("start_of(days)", mode="eval").body)  # read twice
    assert not writable(found, None)


@pytest.mark.parametrize(
    ("since", "sent"),
    [
        ("2024-03-01", {"performedAtStart": "2024-03-01T00:00:00Z"}),
        (date(2024, 3, 1), {"performedAtStart": "2024-03-01T00:00:00Z"}),
        ("2024-03-01T10:00:00Z", {"performedAtStart": "2024-03-01T10:00:00Z"}),
        (None, {}),
        ("", {}),
    ],
)
def test_the_written_entry_sends_what_the_planner_sends(since: Any, sent: dict[str, Any]) -> None:
    found = _filter("expenses.list", "dateFrom")
    body = eval("{" + body_entry(found, "since") + "}", {}, {"since": since})
    assert body == sent
    if since:
        assert body == {found.new_body: found.convert(str(since))}
