"""Bytes in, bytes out: encodings, BOMs, line endings and trailing whitespace survive a rewrite."""

from __future__ import annotations

import codecs

import pytest

from migrate.codemod.text.source import DecodeProblem, decode, split_lines
from tests.codemod.helpers import result_for

LEGACY = 'requests.get("https://openapi.pleo.io/v1/employees/e-1").json()'
REWRITTEN = 'requests.get("https://external.pleo.io/v2/employees/e-1").json()["data"]'


def _rewrite_bytes(raw: bytes) -> bytes:
    result = result_for(raw)
    assert result is not None and result.status == "changed", result
    assert result.new_bytes is not None
    return result.new_bytes


@pytest.mark.parametrize(
    ("newline", "other"),
    [
        pytest.param("\n", "\n", id="LF"),
        pytest.param("\r\n", "\r\n", id="CRLF"),
        pytest.param("\r\n", "\n", id="mixed CRLF and LF"),
        pytest.param("\r", "\n", id="mixed lone CR and LF"),
    ],
)
def test_line_endings_and_trailing_whitespace_are_kept(newline: str, other: str) -> None:
    lines = [
        f"import requests{newline}",
        f"x = 1   {other}",  # trailing spaces
        f"\t# a tab-indented comment\t{newline}",
        f"{LEGACY}{other}",
        f"y = 2{newline}",
    ]
    before = "".join(lines).encode()
    after = _rewrite_bytes(before)
    expected = "".join([*lines[:3], f"{REWRITTEN}{other}", lines[4]]).encode()
    assert after == expected


def test_a_bom_is_kept() -> None:
    before = codecs.BOM_UTF8 + f"import requests\n{LEGACY}\n".encode()
    after = _rewrite_bytes(before)
    assert after == codecs.BOM_UTF8 + f"import requests\n{REWRITTEN}\n".encode()


def test_a_pep_263_latin_1_file_stays_latin_1() -> None:
    before = f"# -*- coding: latin-1 -*-\nimport requests\nNAME = 'Søren'\n{LEGACY}\n".encode(
        "latin-1"
    )
    after = _rewrite_bytes(before)
    assert after == (
        f"# -*- coding: latin-1 -*-\nimport requests\nNAME = 'Søren'\n{REWRITTEN}\n"
    ).encode("latin-1")
    with pytest.raises(UnicodeDecodeError):
        after.decode("utf-8")


def test_a_todo_in_a_latin_1_file_is_written_in_characters_it_can_hold() -> None:
    source = (
        "# coding: latin-1\nimport requests\nrequests.get('https://openapi.pleo.io/v1/teams')\n"
    )
    after = _rewrite_bytes(source.encode("latin-1"))
    assert b"TODO[pleo-migrate PLM102]" in after
    after.decode("latin-1")  # every byte is latin-1; nothing outside it was forced in


def test_non_ascii_before_the_edit_on_the_same_line() -> None:
    before = f"import requests\nrésumé = 1; {LEGACY}\n".encode()
    after = _rewrite_bytes(before)
    assert after == f"import requests\nrésumé = 1; {REWRITTEN}\n".encode()


def test_split_lines_splits_only_where_python_ends_lines() -> None:
    assert split_lines("a\x0cb\nc\r\nd\re\u2028f") == ["a\x0cb\n", "c\r\n", "d\r", "e\u2028f"]


@pytest.mark.parametrize(
    ("raw", "line"),
    [
        pytest.param(b"# pleo\nx = '\xff'\n", 2, id="not UTF-8 without a cookie"),
        pytest.param(b"# coding: klingon\n# pleo\n", 1, id="unknown codec in the cookie"),
        pytest.param(
            codecs.BOM_UTF8 + b"# coding: latin-1\n# pleo\n", 1, id="BOM and cookie disagree"
        ),
    ],
)
def test_undecodable_files_say_where(raw: bytes, line: int) -> None:
    with pytest.raises(DecodeProblem) as caught:
        decode(raw)
    assert caught.value.line == line
