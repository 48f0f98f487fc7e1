"""`# TODO[pleo-migrate PLMxxx]: what and why (link)` comments: finding, writing, not repeating.

A TODO goes on its own line right above the statement it is about, indented like it. A
statement that already carries a TODO of the same rule gets no second one, which keeps
repeated runs idempotent.
"""

from __future__ import annotations

import ast
import re

from migrate.codemod.file_results import TODO_TAG, Todo
from migrate.codemod.find.facts import statement_start
from migrate.codemod.rule import RuleFinding
from migrate.codemod.text.edits import Edit, insert
from migrate.codemod.text.source import Source

_EXISTING = re.compile(r"#\s*TODO\[pleo-migrate (PLM\d{3})\]")
_SPACES = re.compile(r"\s+")


def existing_rules(source: Source, line: int) -> set[str]:
    """Rule ids of the TODO comments in the comment block right above `line`."""
    found: set[str] = set()
    index = line - 2
    while index >= 0:
        text = source.lines[index].strip()
        if not text.startswith("#"):
            break
        found.update(_EXISTING.findall(text))
        index -= 1
    return found


def anchor_line(source: Source, statement: ast.stmt) -> int:
    """The line a TODO goes above: the statement's first line, before any `\\` continuation."""
    line = statement_start(statement)
    while line > 1 and source.lines[line - 2].rstrip("\r\n").endswith("\\"):
        line -= 1
    return line


def message_text(finding: RuleFinding, source: Source) -> str:
    text = _SPACES.sub(" ", finding.message).strip()
    return text if source.can_encode(text) else text.encode("ascii", "replace").decode()


def todo_edit(source: Source, line: int, rule: str, finding: RuleFinding) -> tuple[Edit, Todo]:
    message = message_text(finding, source)
    text = source.lines[line - 1]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    todo = Todo(rule, line, message, finding.docs, indent=len(indent.expandtabs()))
    comment = todo.comment()
    if not source.can_encode(comment):
        comment = comment.encode("ascii", "replace").decode()
    return insert(source.starts[line - 1], indent + comment + source.newline(line), rule), todo


def is_todo_line(text: str) -> bool:
    return text.lstrip().startswith(f"# {TODO_TAG} ")
