"""The one-line form of a TODO comment: rule id, operation, short reason, link; ≤ 120 characters.

The whole message and the full link stay in scan JSON, SARIF and the manual-review list; the
comment is what a reader sees in the code: the operation, the first clause of the reason
(shortened with "…"), and the documentation link when it fits.
"""

from __future__ import annotations

import re

MAX_LENGTH = 120
MIN_REASON = 40  # a link that leaves the reason less room than this is left out
_OPERATION = re.compile(
    r"\A(?P<request>(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \S+)(?: \((?P<id>[\w.:-]+)\))?\s*"
)
_CLAUSE = re.compile(r";\s|\.\s|:\s(?=[A-Z])")
_TARGET = "becomes "  # the new endpoint, said first by PLM105 before the reason


def todo_comment(tag: str, rule: str, message: str, docs: str) -> str:
    """`# <tag> <rule>]: <operation>: <reason> (<link>)`, at most MAX_LENGTH characters; the
    link (without its scheme) is left out when it would leave the reason under MIN_REASON."""
    head = f"# {tag} {rule}]: "
    operation, reason = split_message(message)
    if operation:
        head += operation + ": "
    link = f" ({docs.removeprefix('https://')})" if docs else ""
    if MAX_LENGTH - len(head) - len(link) < min(MIN_REASON, len(reason)):
        link = ""
    return head + _fit(reason, MAX_LENGTH - len(head) - len(link)) + link


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
    if len(text) <= budget:
        return text
    return text[: max(budget - 1, 0)].rstrip(" ,;:(") + "…"
