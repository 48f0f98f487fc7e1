"""Every shortcut on the compat hot path gives exactly what the slow path gives.

- `NewUrls.url(text)` is `httpx.URL(text)` for every new-API call the catalogue plans, and for
  text httpx would quote or normalise (where it must fall back to parsing);
- `LegacyJsonResponse` is `httpx.Response(content=...)` for every catalogue example's legacy
  answer: the same bytes, headers, text, JSON and state, directly and through a client;
- the compiled converters' inline enum, money and timestamp cases give what the converters
  give, on every catalogue example and on the edge values next to each inline test.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from migrate import pleo
from migrate.compat.built import LegacyJsonResponse, NewUrls
from migrate.compat.messages import NewRequest
from migrate.compat.routing import Target
from migrate.compat.transport import _new_url
from migrate.errors import ConversionError
from migrate.mapping import fill_template, load_catalogue
from migrate.mapping.compiled import Route
from migrate.mapping.transform import Transformer

CATALOGUE = load_catalogue()
BASES = [
    "https://external.pleo.io",
    "https://external.staging.pleo.io",
    "http://127.0.0.1:8401",
    "https://gateway.example.com/pleo/api",
]
ID = "5e6f7a8b-9c0d-4e1f-8a3b-4c5d6e7f8091"
QUERIES: list[tuple[tuple[str, str], ...]] = [
    (),
    ((pleo.NEW_LIMIT, "100"),),
    (("company_id", ID), (pleo.NEW_LIMIT, "100"), (pleo.NEW_AFTER, "eyJvZmZzZXQiOjEwMH0=")),
    (("from", "2024-03-01T00:00:00Z"), ("q", "a+b&c=d é/?#"), ("empty", ""), ("from", "x")),
]


def _planned_calls() -> Iterator[NewRequest]:
    """A call to every new-API endpoint of the catalogue, with each kind of query."""
    for operation in CATALOGUE:
        if operation.new is None:
            continue
        names = re.findall(r"{(\w+)}", operation.new.path)
        path = fill_template(operation.new.path, dict.fromkeys(names, ID))
        for query in QUERIES:
            yield NewRequest(operation.new.method, path, query)
    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction == "path":
                method, path = str(example.new).split(" ", 1)
                yield NewRequest(method, path)


ODD_TEXT = [
    "/v1/expenses/../secrets",
    "/v1/./expenses",
    "/v1/expenses/a b",
    "/v1/expenses/Zoë",
    "/v1/expenses/%zz",
    "/v1/expenses/%2F",
    "/v1/expenses/{id}",
    "/v1/expenses?q=a b",
    "/v1/expenses?q=<x>",
    "/v1/expenses?",
    "/v1/expenses#part",
    "?only=query",
    "",
    "//elsewhere.example.com/v1",
]


def _same_url(fast: httpx.URL, slow: httpx.URL) -> None:
    assert fast == slow
    assert (fast.raw_path, fast.query, fast.host, fast.port, fast.scheme) == (
        slow.raw_path,
        slow.query,
        slow.host,
        slow.port,
        slow.scheme,
    )


@pytest.mark.parametrize("base", BASES)
def test_new_urls_are_the_urls_httpx_parses_for_every_planned_call(
    base: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    urls = NewUrls(base)
    target = Target("production", base)
    parse = httpx._urls.urlparse  # type: ignore[attr-defined]
    parsed: list[str] = []

    def counted(url: str = "", **kwargs: Any) -> Any:
        parsed.append(url)
        return parse(url, **kwargs)

    texts = [_new_url(target, call) for call in _planned_calls()]
    monkeypatch.setattr(httpx._urls, "urlparse", counted)  # type: ignore[attr-defined]
    fast = [urls.url(text) for text in texts]
    shortcut = len(texts) - len(parsed)
    for text, url in zip(texts, fast, strict=True):
        _same_url(url, httpx.URL(text))
    for call, text in zip(_planned_calls(), texts, strict=True):
        if "?" not in call.path:  # the query as httpx encodes `params`
            built = httpx.Request(call.method, base + call.path, params=list(call.params))
            _same_url(httpx.URL(text), built.url)
    assert len(texts) > 90
    assert shortcut >= len(texts) * 3 // 4  # only the query with "é/?#" and spaces is parsed


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("rest", ODD_TEXT)
def test_text_httpx_would_change_is_parsed_by_httpx(base: str, rest: str) -> None:
    text = base + rest
    try:
        slow = httpx.URL(text)
    except httpx.InvalidURL:
        with pytest.raises(httpx.InvalidURL):
            NewUrls(base).url(text)
        return
    _same_url(NewUrls(base).url(text), slow)


def test_urls_under_another_base_or_a_base_httpx_respells_are_parsed() -> None:
    urls = NewUrls("https://EXTERNAL.pleo.io:443")  # httpx spells it differently
    text = "https://EXTERNAL.pleo.io:443/v2/employees"
    _same_url(urls.url(text), httpx.URL(text))
    other = "https://elsewhere.example.com/v2/employees"
    _same_url(NewUrls(BASES[0]).url(other), httpx.URL(other))


# --- the legacy answer ---------------------------------------------------------------------


def _legacy_answers() -> Iterator[Any]:
    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction == "response":
                yield pytest.param(example.legacy, id=f"{operation.id}:{example.name}")
    yield pytest.param({"text": "Zoë ✓ \u2028", "n": 1.5, "big": 2**70}, id="unicode-and-numbers")
    yield pytest.param([], id="empty-list")


REQUEST = httpx.Request("GET", "https://openapi.pleo.io/v1/expenses")
HEADER_SETS = [
    {"content-type": "application/json"},
    {"content-type": "application/json", pleo.RETRY_AFTER.lower(): "7"},
]


def _state(response: httpx.Response) -> tuple[Any, ...]:
    return (
        response.status_code,
        response.headers.multi_items(),
        response.content,
        response.text,
        response.json(),
        response.read(),
        b"".join(response.iter_bytes()),
        response.is_stream_consumed,
        response.is_closed,
        response.encoding,
    )


@pytest.mark.parametrize("body", list(_legacy_answers()))
@pytest.mark.parametrize("headers", HEADER_SETS)
def test_the_legacy_answer_is_the_response_httpx_builds_from_its_bytes(
    body: Any, headers: dict[str, str]
) -> None:
    content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    slow_headers = {**headers, "content-type": "application/json"}
    slow = httpx.Response(200, headers=slow_headers, content=content, request=REQUEST)
    fast = LegacyJsonResponse(200, headers, content, json.loads(content), REQUEST)
    assert _state(fast) == _state(slow)

    class Answers(httpx.BaseTransport):
        def __init__(self, answer: httpx.Response) -> None:
            self.answer = answer

        def handle_request(self, request: httpx.Request) -> httpx.Response:
            return self.answer

    def through_client(answer: httpx.Response) -> tuple[Any, ...]:
        with httpx.Client(transport=Answers(answer)) as client:
            return _state(client.get(str(REQUEST.url)))

    fresh = LegacyJsonResponse(200, headers, content, json.loads(content), REQUEST)
    again = httpx.Response(200, headers=slow_headers, content=content, request=REQUEST)
    assert through_client(fresh) == through_client(again)


def test_the_legacy_answer_reads_the_same_asynchronously() -> None:
    content = b'{"employees":[]}'

    async def read() -> tuple[bytes, list[bytes]]:
        fast = LegacyJsonResponse(200, {}, content, {"employees": []}, REQUEST)
        return await fast.aread(), [part async for part in fast.aiter_bytes()]

    assert asyncio.run(read()) == (content, [content])


# --- the compiled converters' inline cases -------------------------------------------------

GENERIC = Transformer(CATALOGUE.models)
COMPILED = Transformer(CATALOGUE.models)
INLINE = ("enum", "money", "timestamp-seconds")


def _edge_values(converter: str, options: Any) -> list[Any]:
    if converter == "enum":
        table = options["table"].inverse
        return [*table, "NOT_IN_THE_TABLE", "", 5, None, True]
    if converter == "timestamp-seconds":
        return [
            "2024-03-01T10:00:00Z",
            "2024-03-01T10:00:00+01:00",
            "2024-03-01T10:00:00.123Z",
            "2024-03-01T10:00:00",
            "2024-3-1T10:00:00Z",
            "not a time",
            1709287200,
            None,
        ]
    big = 2**53
    return [
        {"minors": 1234, "currency": "DKK"},
        {"minors": -5, "currency": "EUR"},
        {"minors": 0, "currency": "USD"},
        {"minors": 1500, "currency": "JPY"},
        {"minors": 1005, "currency": "KWD"},
        {"minors": 12345, "currency": "CLF"},
        {"minors": big - 1, "currency": "DKK"},
        {"minors": big, "currency": "DKK"},
        {"minors": -big, "currency": "DKK"},
        {"minors": 10**20, "currency": "JPY"},
        {"minors": 10**20, "currency": "DKK"},
        {"minors": 100, "currency": "dkk"},
        {"minors": 100, "currency": "XXX"},
        {"minors": True, "currency": "DKK"},
        {"minors": 12.5, "currency": "DKK"},
        {"minors": "100", "currency": "DKK"},
        {"minors": 100},
        {"currency": "DKK"},
        {"minors": 100, "currency": 208},
        {"value": 1, "currency": "DKK"},
        [100, "DKK"],
        "100 DKK",
        None,
    ]


def _inline_fields() -> Iterator[Any]:
    for name, model in sorted(CATALOGUE.models.items()):
        for field in model.fields:
            if field.converter in INLINE and field.new and field.legacy:
                yield pytest.param(name, field, id=f"{name}.{field.name}")


def _outcome(convert: Any) -> tuple[str, str]:
    try:
        return "ok", json.dumps(convert())
    except ConversionError as exc:
        return "error", str(exc)


@pytest.mark.parametrize(("model", "field"), list(_inline_fields()))
def test_inline_converter_cases_give_what_the_converter_gives(model: str, field: Any) -> None:
    convert = COMPILED.compiled(model, Route("new", "legacy", fill=True))
    for value in _edge_values(field.converter, field.options):
        record: dict[str, Any] = {}
        here = record
        *parents, last = field.new.split(".")
        for part in parents:
            here = here.setdefault(part, {})
        here[last] = value

        def two_steps(record: dict[str, Any] = record) -> Any:
            canonical = GENERIC.new_to_canonical(model, record)
            return GENERIC.canonical_to_legacy(model, canonical, fill_missing=True)

        assert _outcome(lambda record=record: convert(record)) == _outcome(two_steps), value


def test_every_inline_converter_is_exercised() -> None:
    assert {field.converter for _, field in (p.values for p in _inline_fields())} == set(INLINE)


def test_catalogue_examples_convert_the_same_through_the_compat_path() -> None:
    checked = 0
    for operation in CATALOGUE:
        for example in operation.examples:
            if example.direction != "response":
                continue
            canonical = CATALOGUE.to_canonical(operation, "new", example.new)
            two = CATALOGUE.from_canonical(operation, "legacy", canonical, fill_missing=True)
            records = CATALOGUE.convert_records(operation, "new", "legacy", example.new)
            one = CATALOGUE.wrap(operation, "legacy", records, "response")
            assert json.dumps(one) == json.dumps(two), operation.id
            checked += 1
    assert checked == sum(
        1 for op in CATALOGUE for example in op.examples if example.direction == "response"
    )
    assert uuid.UUID(ID)


def test_an_httpx_that_stores_a_read_body_elsewhere_gets_the_same_answer_the_slow_way(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from migrate.compat import built

    monkeypatch.setattr(built, "_READ_STORES_CONTENT", False)
    content = b'{"employee":{"firstName":"Zo\xc3\xab"}}'
    fast = LegacyJsonResponse(200, {}, content, json.loads(content), REQUEST)
    fast.read()
    slow = httpx.Response(
        200, headers={"content-type": "application/json"}, content=content, request=REQUEST
    )
    assert _state(fast) == _state(slow)
