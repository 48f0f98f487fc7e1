"""TODO comments are one line of at most 120 characters (issue 12): rule id, operation, short
reason, link; the whole message stays in the results (scan JSON, SARIF, manual review)."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest

from migrate.codemod.file_results import TODO_TAG, Todo
from migrate.codemod.text.todo_line import MAX_LENGTH, todo_comment
from tests.codemod.corpus_manifest import CORPUS
from tests.codemod.helpers import result_for

RULE_TABLES = sorted((Path(__file__).parent / "rules").glob("test_*.py"))
LONG = (
    "GET /v1/companies/balance (companies.balance) has no new-API equivalent: The new "
    "Companies API returns id, name, organizationId, registrationNumber and address only; the "
    "wallet balance is not available through the new API. Alternative: the web app."
)
DOCS = "https://developers.pleo.io/reference/pleo-deprecated"


def _sources() -> list[object]:
    params: list[object] = []
    for path in RULE_TABLES:
        module = importlib.import_module(f"tests.codemod.rules.{path.stem}")
        for table in ("CASES", "MORE"):
            for case in getattr(module, table, []):
                params.append(pytest.param(case.values[0], id=f"{path.stem}:{case.id}"))
    for item in CORPUS:
        params.append(pytest.param(item.path.read_text(encoding="utf-8"), id=item.name))
    return params


def test_a_long_message_becomes_one_short_line_with_the_operation() -> None:
    line = todo_comment(TODO_TAG, "PLM102", LONG, DOCS)
    assert line == (
        "# TODO[pleo-migrate PLM102]: companies.balance: has no new-API equivalent "
        "(developers.pleo.io/reference/pleo-deprecated)"
    )
    assert Todo("PLM102", 1, LONG, DOCS).comment() == line


def test_a_manual_call_says_why_not_where_it_would_go() -> None:
    """PLM105 names the new endpoint first; the comment shows the reason after it."""
    message = (
        "GET /v1/expenses (expenses.list) becomes POST /v1/accounting-entries:search; "
        "urllib calls are not rewritten: switch to requests or httpx"
    )
    line = todo_comment(TODO_TAG, "PLM105", message, DOCS)
    assert "expenses.list: urllib calls are not rewritten" in line
    assert "becomes" not in line


def test_a_reason_too_long_for_the_line_is_cut_at_a_word_and_the_link_left_out() -> None:
    message = "the offset paging " + "is not a loop the codemod rewrites " * 6
    line = todo_comment(TODO_TAG, "PLM107", message, DOCS)
    assert len(line) <= MAX_LENGTH and line.endswith("rewrites…") and "developers" not in line
    assert len(line) > MAX_LENGTH - len(" rewrites")  # no more than one word given up


def test_the_whole_reason_wins_over_the_link() -> None:
    """The link is the same on every TODO; a reason cut in the middle helps no one."""
    message = "GET /v1/tax-codes (tax-codes.list) waits for line 11 (host/auth shared with a call)"
    line = todo_comment(TODO_TAG, "PLM105", message, DOCS)
    assert line == (
        "# TODO[pleo-migrate PLM105]: tax-codes.list: waits for line 11 (host/auth shared "
        "with a call)"
    )
    short = todo_comment(TODO_TAG, "PLM105", "GET /v1/teams (teams.list) has no twin", DOCS)
    assert short.endswith("teams.list: has no twin (developers.pleo.io/reference/pleo-deprecated)")


def test_the_indentation_counts_toward_the_width() -> None:
    message = "GET /v1/tax-codes (tax-codes.list) waits for line 11 (host/auth shared with a call)"
    for indent in (0, 8, 16, 24):
        line = " " * indent + todo_comment(TODO_TAG, "PLM105", message, DOCS, indent)
        assert len(line) <= MAX_LENGTH
    deep = todo_comment(TODO_TAG, "PLM105", message, DOCS, 100)
    assert 70 < len(deep) <= 80 and deep.endswith("(host/auth…")  # still a readable reason


@pytest.mark.parametrize("source", _sources())
@pytest.mark.parametrize("strategy", ["native", "compat"])
def test_every_todo_comment_is_one_short_line(source: str, strategy: str) -> None:
    result = result_for(source, strategy=strategy)  # type: ignore[arg-type]
    if result is None or result.new_bytes is None:
        return
    text = result.new_bytes.decode()
    whole = [line.rstrip() for line in text.splitlines() if TODO_TAG in line]
    lines = [line.strip() for line in whole]
    assert len(lines) == sum(todo.inserted for todo in result.todos)
    for line in whole:
        assert len(line) <= MAX_LENGTH or len(line.strip()) <= 80, line
    for todo in result.todos:  # the results keep the whole message for scan JSON and SARIF
        assert todo.comment() in lines
        assert not todo.message.endswith("…")
        assert todo.docs.startswith("https://")  # the comment leaves it out when it must
