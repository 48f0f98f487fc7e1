"""Checks that a native rewrite sends what the one planner sends for the same legacy request.

For each case, a small module makes one legacy call through an `httpx.Client` it is given.
The original runs through the compat transport (which executes `plan_call`'s plan), the
rewritten module runs as it is; both clients end on an `httpx.MockTransport` that records
the new-API request. Method, path, query (keys and values, in any order) and JSON body must
be the same, and both must equal `plan_request`'s call for that legacy request: the
catalogue's constant query (`include_deleted=true`, `file_type=ORIGINAL`), the legacy list's
default search body and the company included. Nothing is compared as text.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx

from migrate.codemod import Job, select
from migrate.codemod.one_file import process_bytes
from migrate.compat import CompatTransport
from migrate.mapping import Operation, load_catalogue, plan_request
from migrate.pleo import LEGACY_BASE_URLS, NEW_BASE_URLS

CATALOGUE = load_catalogue()
COMPANY = "c0ffee00-0000-4000-8000-000000000001"
ITEM = "5f0c8e52-5c38-4d1e-9a53-2d3b1f0e6a01"
LEGACY = LEGACY_BASE_URLS["production"]
NEW = NEW_BASE_URLS["production"]
API_KEY = "identity" + "-codemod-key"  # built at run time; not a real credential

MODULE = """\
import httpx

BASE = "{legacy}"


def call(client, item):
    return {call}
"""


@dataclass(frozen=True)
class Sent:
    """A new-API request as it went on the wire, in a form that ignores query order."""

    method: str
    path: str
    query: tuple[tuple[str, str], ...]
    body: Any

    @classmethod
    def of(cls, request: httpx.Request) -> Sent:
        content = request.read()
        return cls(
            request.method,
            request.url.path,
            tuple(sorted(parse_qsl(request.url.query.decode(), keep_blank_values=True))),
            json.loads(content) if content else None,
        )


class Recorder:
    def __init__(self, answer: Any) -> None:
        self.seen: list[httpx.Request] = []
        self.answer = answer

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        return httpx.Response(200, json=self.answer)


def _answer(operation: Operation) -> Any:
    """An answer the new API could give (the compat side converts it back)."""
    if operation.paging != "none":
        return {"data": [], "pagination": {"hasNextPage": False, "endCursor": None}}
    example = next(e for e in operation.examples if e.direction == "response")
    return example.new


def _rewritten(text: str) -> str:
    job = Job("diff", "native", select("native"), None, diff=True)
    result = process_bytes("identity.py", text.encode(), job)
    assert result is not None and result.status == "changed", result
    # PLM109 notes that the records leave in the new shape; nothing else is said
    assert {todo.rule for todo in result.todos} <= {"PLM109"}, result.todos
    assert result.new_bytes is not None
    return result.new_bytes.decode()


def _run(text: str, transport: httpx.BaseTransport) -> None:
    namespace: dict[str, Any] = {}
    exec(compile(text, "identity.py", "exec"), namespace)
    with httpx.Client(transport=transport) as client:
        namespace["call"](client, ITEM)


def check_identity(operation_id: str, call: str, legacy_target: str) -> None:
    """The call rewritten sends what compat and `plan_request` send for the original; the
    company id must be in the environment (`COMPANY_ID_VAR`)."""
    operation = CATALOGUE.get(operation_id)
    original = MODULE.format(legacy=LEGACY, call=call)

    compat_seen = Recorder(_answer(operation))
    compat = CompatTransport(
        CATALOGUE,
        inner=httpx.MockTransport(compat_seen),
        api_key=API_KEY,
        company_id=COMPANY,
        new_base_url=NEW,
        legacy_base_url=LEGACY,
        allowed_hosts=(urlsplit(NEW).hostname or "",),
    )
    _run(original, compat)

    rewritten = _rewritten(original)
    codemod_seen = Recorder(_answer(operation))
    _run(rewritten, httpx.MockTransport(codemod_seen))

    [by_compat] = [Sent.of(request) for request in compat_seen.seen]
    [by_codemod] = [Sent.of(request) for request in codemod_seen.seen]
    assert by_codemod == by_compat

    plan = plan_request(CATALOGUE, "GET", legacy_target, company_id=COMPANY)
    assert plan.operation.id == operation_id
    planned = plan.page(plan.window.size) if plan.window is not None else plan.call
    assert by_codemod == Sent(
        planned.method,
        planned.path,
        tuple(sorted(planned.params)),
        None if planned.content() is None else json.loads(planned.content() or b""),
    )
