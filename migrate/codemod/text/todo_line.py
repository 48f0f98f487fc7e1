"""The one-line form of a TODO comment: rule id, operation, short reason, link; ≤ 120 characters.

The whole message and the full link stay in scan JSON, SARIF and the manual-review list; the
comment is what a reader sees in the code: the operation, the first clause of the reason,
and the documentation link when the reason fits beside it. The reason comes first: the link is
the same for every TODO of a rule, so it is what gives way, and a reason still too long is cut
at a word with "…". The width counts the indentation, so the whole line stays within a
linter's limit.
"""

from __future__ import annotations

import re

MAX_LENGTH = 120
MIN_WIDTH = 80  # a deeply indented TODO still gets this much room
_OPERATION = re.compile(
    r"\A(?P<request>(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+)(?: \((?P<id>[\w.:-]+)\))?\s*"
)
_CLAUSE = re.compile(r";\s|\.\s|:\s(?=[A-Z])")
_TARGET = "becomes "  # the new endpoint, said first by PLM105 before the reason


def todo_comment(tag: str, rule: str, message: str, docs: str, indent: int = 0) -> str:
    """`# <tag> <rule>]: <operation>: <reason> (<link>)`, with `indent` columns before it at most
    MAX_LENGTH in all; the link (without its scheme) is left out when the whole reason does not
    fit beside it."""
    width = max(MAX_LENGTH - indent, MIN_WIDTH)
    head = f"# {tag} {rule}]: "
    operation, reason = split_message(message)
    if operation:
        head += operation + ": "
    link = f" ({docs.removeprefix('https://')})" if docs else ""
    if len(head) + len(reason) + len(link) > width:
        link = ""
    return head + _fit(reason, width - len(head)) + link


def split_message(message: str) -> tuple[str, str]:
    """(operation, first clause of the reason): `GET /v1/teams (teams.list) has no …` →
    ("teams.list", "has no …")."""
    found = _OPERATION.match(message)
    operation = ""
    rest = message
    if found:
        operation = found["id"] or found["request"]
        rest = message[found.end() :]
    clauses = _CLAUSE.split(rest, maxsplit=2)
    if len(clauses) > 1 and clauses[0].startswith(_TARGET):
        clauses = clauses[1:]  # "becomes POST …; <why>": the why is what a reader needs
    clause = clauses[0].strip().rstrip(".")
    return operation, clause or rest.strip()


def _fit(text: str, budget: int) -> str:
    """`text`, or as many whole words of it as fit with "…" after them."""
    if len(text) <= budget:
        return text
    cut = text[: max(budget - 1, 0)]
    space = cut.rfind(" ")
    if space > budget // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:(") + "…"
