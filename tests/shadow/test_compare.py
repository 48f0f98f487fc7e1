"""compare(): exact equality first, deepdiff paths on mismatch, reorders reported once."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate.shadow.compare import Difference, compare

REPO = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("legacy", "new"),
    [
        pytest.param({}, {}, id="empty"),
        pytest.param({"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, id="key-order"),
        pytest.param({"rate": 0}, {"rate": 0.0}, id="int-float"),
    ],
)
def test_equal_records_have_no_differences(legacy: dict[str, object],
                                           new: dict[str, object]) -> None:
    assert compare(legacy, new) == ()


def test_changed_absent_and_added_values_with_paths() -> None:
    legacy = {"name": "A", "money": {"minors": 5, "currency": "DKK"}, "gone": 1}
    new = {"name": "B", "money": {"minors": 6, "currency": "DKK"}, "added": 2}
    assert compare(legacy, new) == (
        Difference(("added",), "absent-in-legacy", None, 2),
        Difference(("gone",), "absent-in-new", 1, None),
        Difference(("money", "minors"), "changed", 5, 6),
        Difference(("name",), "changed", "A", "B"),
    )


def test_a_reordered_list_is_one_order_difference() -> None:
    legacy = {"tagIds": [{"id": "a"}, {"id": "b"}], "x": 1}
    new = {"tagIds": [{"id": "b"}, {"id": "a"}], "x": 1}
    assert compare(legacy, new) == (
        Difference(("tagIds",), "order", legacy["tagIds"], new["tagIds"]),
    )


def test_a_changed_item_in_a_list_is_reported_at_the_item() -> None:
    legacy = {"lines": [{"tagIds": [{"id": "a"}]}, {"tagIds": []}]}
    new = {"lines": [{"tagIds": [{"id": "z"}]}, {"tagIds": []}]}
    assert compare(legacy, new) == (
        Difference(("lines", 0, "tagIds", 0, "id"), "changed", "a", "z"),
    )


def test_an_inner_reorder_is_reported_at_the_inner_list() -> None:
    legacy = {"lines": [{"tagIds": ["a", "b"]}, {"n": 1}]}
    new = {"lines": [{"tagIds": ["b", "a"]}, {"n": 1}]}
    (difference,) = compare(legacy, new)
    assert difference.path == ("lines", 0, "tagIds") and difference.change == "order"


def test_a_shorter_list_reports_the_missing_items() -> None:
    assert compare({"ids": [1, 2, 3]}, {"ids": [1, 2]}) == (
        Difference(("ids", 2), "absent-in-new", 3, None),
    )


def test_deepdiff_is_imported_by_compare_only() -> None:
    importers = []
    for path in sorted((REPO / "migrate").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            if any(name.split(".")[0] == "deepdiff" for name in names):
                importers.append(path.relative_to(REPO).as_posix())
    assert sorted(set(importers)) == ["migrate/shadow/compare.py"]


def test_vcrpy_is_imported_by_cassettes_only() -> None:
    importers = set()
    for path in sorted((REPO / "migrate").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            module = ""
            if isinstance(node, ast.ImportFrom):
                module = node.module or ""
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            if module.split(".")[0] == "vcr":
                importers.add(path.relative_to(REPO).as_posix())
    assert importers == {"migrate/shadow/cassettes.py"}
