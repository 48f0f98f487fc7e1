"""The splicing engine and literal helpers, on their own."""

from __future__ import annotations

import pytest

from migrate.codemod.text.edits import Edit, EditConflict, render
from migrate.codemod.text.literals import fstring_fields, py_literal, str_literal, style_of


def test_untouched_text_between_edits_is_kept_exactly() -> None:
    text = "a = 1\r\nb = 2  \n"
    edits = [Edit(4, 5, ("9",), "X"), Edit(11, 12, ("8",), "X")]
    assert render(text, edits) == "a = 9\r\nb = 8  \n"


def test_an_outer_edit_keeps_an_inner_one_through_a_span_piece() -> None:
    text = "h = f\"Bearer {os.environ['PLEO_TOKEN']}\""
    inner_start = text.index("PLEO_TOKEN")
    inner = Edit(inner_start, inner_start + len("PLEO_TOKEN"), ("PLEO_API_KEY",), "A")
    token = (text.index("os."), text.index("]") + 1)
    outer = Edit(4, len(text), ('"Basic " + ', token), "B")
    assert render(text, [outer, inner]) == "h = \"Basic \" + os.environ['PLEO_API_KEY']"


def test_an_edit_inside_replaced_text_is_a_conflict_not_a_silent_loss() -> None:
    text = "abcdef"
    with pytest.raises(EditConflict):
        render(text, [Edit(0, 6, ("x",), "A"), Edit(2, 3, ("y",), "B")])


def test_overlapping_edits_are_a_conflict() -> None:
    with pytest.raises(EditConflict):
        render("abcdef", [Edit(0, 3, ("x",), "A"), Edit(2, 5, ("y",), "B")])


def test_insertions_at_the_same_place_keep_their_order() -> None:
    edits = [Edit(1, 1, ("1",), "A"), Edit(1, 1, ("2",), "B"), Edit(1, 2, ("-",), "C")]
    assert render("abc", edits) == "a12-c"


@pytest.mark.parametrize(
    ("text", "fields"),
    [
        ('f"{a}/b/{c}"', ["a", "c"]),
        ("rf'{x!r:>{w}}{{lit}}'", ["x!r:>{w}"]),
        ('F"""{d["k"]}"""', ['d["k"]']),
    ],
)
def test_fstring_fields(text: str, fields: list[str]) -> None:
    found = fstring_fields(text)
    assert found is not None
    assert [text[start:end] for start, end in found[1]] == fields


def test_implicit_concatenation_is_not_one_fstring() -> None:
    assert fstring_fields('f"{a}" "b"') is None


def test_new_literals_keep_style_and_escape_what_they_must() -> None:
    assert str_literal("x'y", style_of("'a'")) == "'x\\'y'"
    assert str_literal("a\\b", style_of("r'q'")) == "r'a\\b'"
    assert str_literal("ends\\", style_of("r'q'")) == "'ends\\\\'"
    assert py_literal({"a": [True, None, 1.5], "b": "ø"}) == '{"a": [True, None, 1.5], "b": "ø"}'
