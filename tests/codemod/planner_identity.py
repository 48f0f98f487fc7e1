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
import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx

from migrate.codemod import Job, select
from migrate.codemod.one_file import process_bytes
from migrate.compat import CompatTransport
from migrate.errors import ConversionError
from migrate.mapping import LEGACY_BASE_PATH, Filter, Operation, load_catalogue, plan_request
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


SAMPLES = ("true", "2024-01-02", "42", "x")


def _sample(filter_: Filter) -> str | None:
    """A legacy value the filter converts (its enum table's first, else a plain sample)."""
    table = filter_.options.get("table")
    for candidate in (*tuple(table.forward)[:1], *SAMPLES) if table is not None else SAMPLES:
        try:
            filter_.convert(candidate)
        except ConversionError:
            continue
        return candidate
    return None


def catalogue_reads(kind: str) -> list[tuple[str, str, str]]:
    """(operation id, call, legacy target) for every read of `kind` the rewrite moves by
    itself: a GET with a new-API equivalent that the new API does not page where the legacy
    one answered whole (those are manual: PLM107). Lists ask for a page of 10 and give every
    filter a sample value."""
    cases = []
    for operation in CATALOGUE:
        if (
            operation.kind != kind
            or operation.new is None
            or operation.legacy.method != "GET"
            or operation.paging == "all-to-cursor"
        ):
            continue
        path = operation.legacy.path.removeprefix(LEGACY_BASE_PATH)
        query: dict[str, str | int] = {"pageSize": 10} if operation.paging != "none" else {}
        for filter_ in operation.filters:
            value = _sample(filter_) if filter_.carried and not filter_.loss else None
            if value is not None:
                query[filter_.legacy] = value
        params = f", params={json.dumps(query)}" if query else ""
        key = operation.response.legacy.key if operation.response else None
        read = f'["{key}"]' if key else ""
        call = f'client.get(f"{{BASE}}{_holes(path)}"{params}).json(){read}'
        target = LEGACY_BASE_PATH + _holes(path).replace("{item}", ITEM)
        cases.append((operation.id, call, target + (f"?{urlencode(query)}" if query else "")))
    return cases


def _holes(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{item}", path)
