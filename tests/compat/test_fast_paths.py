"""Every shortcut on the compat hot path gives exactly what the slow path gives.

- `NewUrls.url(text)` is `httpx.URL(text)` for every new-API call the catalogue plans, and for
  text httpx would quote or normalise (where it must fall back to parsing);
- `LegacyJsonResponse` is `httpx.Response(content=...)` for every catalogue example's legacy
  answer: the same bytes, headers, text, JSON and state, directly and through a client;
- the compiled converters' inline enum, money and timestamp cases give what the converters
  give, on every catalogue example and on the edge values next to each inline test;
- `NewRequests.build` is `httpx.Request(...)` for every planned call, with and without a body,
  and an httpx whose `Request` differs builds every request itself;
- with every shortcut on or off, each door (httpx, async httpx, requests) answers every
  catalogue operation alike for a 200, 401, 403, 404, 429, 500 and a truncated body arriving
  in pieces, the new API sees the same requests, and every answer is closed. What a proxy or
  TLS setting of the caller's own inner transport acts on is that request, so it is unchanged.
"""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from migrate import pleo
from migrate.compat.built import (
    LegacyJsonResponse,
    NewRequests,
    NewUrls,
    json_headers,
    request_state,
)
from migrate.compat.messages import NewRequest
from migrate.compat.retry import RetryPolicy
from migrate.compat.routing import Target
from migrate.compat.transport import _new_url
from migrate.errors import ConversionError
from migrate.mapping import (
    LEGACY_BASE_PATH,
    Catalogue,
    LegacyMatch,
    Operation,
    fill_template,
    load_catalogue,
)
from migrate.mapping.catalogue import _unwrap
from migrate.mapping.compiled import Route
from migrate.mapping.model import template_regex
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
    {},
    {"content-type": "application/json"},
    {"content-type": "application/json", pleo.RETRY_AFTER.lower(): "7"},
]


def _state(response: httpx.Response) -> tuple[Any, ...]:
    return (
        response.status_code,
        response.headers.multi_items(),
        response.headers.encoding,
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


@pytest.mark.parametrize("headers", HEADER_SETS)
@pytest.mark.parametrize("length", [0, 7, 10**9])
def test_the_legacy_headers_are_the_headers_httpx_normalises(
    headers: dict[str, str], length: int
) -> None:
    fast = json_headers(headers, length)
    slow = httpx.Headers(
        {**headers, "content-type": "application/json", "content-length": str(length)}
    )
    assert (fast.raw, fast.multi_items(), fast._list, fast._encoding) == (  # type: ignore[attr-defined]
        slow.raw,
        slow.multi_items(),
        slow._list,  # type: ignore[attr-defined]
        slow._encoding,  # type: ignore[attr-defined]
    )


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


STAMP_EDGES: list[Any] = [
    "2024-03-01T10:00:00Z",
    "2024-12-31T23:59:59Z",
    "2024-03-01T10:00:00+01:00",
    "2024-03-01T10:00:00-05:30",
    "2024-03-01T10:00:00+00:00",
    "2024-03-01T10:00:00.123Z",
    "2024-03-01T10:00:00.000Z",
    "2024-03-01T10:00:00.5Z",
    "2024-03-01T10:00:00",
    "2024-03-01 10:00:00Z",
    "2024-3-1T10:00:00Z",
    "2024-03-01T10:00:00z",
    "2024-03-01T10:00:00ZZ",
    "2024-03-01T10:00:00Z\n",
    " 2024-03-01T10:00:00Z",
    "\u0662\u0660\u0662\u0664-03-01T10:00:00Z",  # Arabic-Indic digits: `\d` takes them
    "\uff12\uff10\uff12\uff14-03-01T10:00:00Z",  # fullwidth digits
    "2024-02-30T10:00:00Z",  # the shape, not a date
    "Z",
    "",
    "not a time",
    1709287200,
    1709287200.5,
    True,
    {},
    [],
    None,
]


def _edge_values(converter: str, options: Any) -> list[Any]:
    if converter == "enum":
        table = options["table"].inverse
        first = next(iter(table))
        return [*table, "NOT_IN_THE_TABLE", "", first.lower(), f" {first}", 5, None, True, [first]]
    if converter == "timestamp-seconds":
        return STAMP_EDGES
    big = 2**53
    return [
        {"minors": 1234, "currency": "DKK"},
        {"currency": "DKK", "minors": 1234},
        {"minors": -1, "currency": "JPY"},
        {"minors": -(10**30), "currency": "EUR"},
        {"minors": 10**30, "currency": "KWD"},
        {"minors": 2**63, "currency": "CLF"},
        {"minors": 100, "currency": "ZZZ"},
        {"minors": 100, "currency": ""},
        {"minors": None, "currency": "DKK"},
        {"minors": 100, "currency": None},
        {"minors": 100, "currency": "DKK", "extra": 1},
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


# --- the new-API request and the raw body ---------------------------------------------------


FIXED = httpx.Headers(
    {"Authorization": "Basic c2ltdWxhdGVk", "Accept": "application/json", "User-Agent": "t"}
)
FIXED_JSON = httpx.Headers({**FIXED, "Content-Type": "application/json"})
BODIES: list[bytes | None] = [None, b'{"name":"Zo\xc3\xab"}', b"[]"]


@pytest.mark.parametrize("base", BASES)
def test_new_requests_are_the_requests_httpx_builds_for_every_planned_call(base: str) -> None:
    requests = NewRequests(FIXED, FIXED_JSON)
    assert requests.fast
    urls = NewUrls(base)
    target = Target("production", base)
    extensions = {"timeout": httpx.Timeout(3.0).as_dict()}
    checked = 0
    for call in _planned_calls():
        url = urls.url(_new_url(target, call))
        for content in BODIES:
            fast = requests.build(call.method, url, content, extensions)
            slow = httpx.Request(
                call.method,
                url,
                headers=FIXED if content is None else FIXED_JSON,
                content=content,
                extensions=extensions,
            )
            assert request_state(fast) == request_state(slow), (call, content)
            assert fast.extensions is not extensions  # each request has its own
            checked += 1
    assert checked > 270


@pytest.mark.parametrize(
    ("method", "url", "content"),
    [
        ("get", "https://external.pleo.io/v1/x", None),  # httpx upper-cases it
        ("POST", "https://external.pleo.io/v1/x", b""),  # no Content-Length from the body
        ("GET", "/v1/relative", None),  # no host: no Host header
    ],
)
def test_requests_the_shortcut_is_not_sure_of_are_built_by_httpx(
    method: str, url: str, content: bytes | None
) -> None:
    requests = NewRequests(FIXED, FIXED_JSON)
    built = requests.build(method, httpx.URL(url), content, {})
    slow = httpx.Request(
        method, url, headers=FIXED if content is None else FIXED_JSON, content=content
    )
    assert request_state(built) == request_state(slow)


def test_an_httpx_whose_request_differs_builds_every_request_itself(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    prepare = httpx.Request._prepare

    def prepared(self: httpx.Request, default_headers: dict[str, str]) -> None:
        prepare(self, {**default_headers, "X-Other-Httpx": "1"})

    monkeypatch.setattr(httpx.Request, "_prepare", prepared)
    requests = NewRequests(FIXED, FIXED_JSON)
    assert not requests.fast
    built = requests.build("GET", httpx.URL("https://external.pleo.io/v1/x"), None, {})
    assert built.headers["x-other-httpx"] == "1"


class _Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body that arrives in pieces, as from the network: never read before the transport
    reads it."""

    def __init__(self, content: bytes) -> None:
        self.parts = [content[:7], content[7:8], content[8:]] if content else []
        self.closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield from self.parts

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            yield part

    def close(self) -> None:
        self.closed = True

    async def aclose(self) -> None:
        self.closed = True


TRUNCATED = "truncated"
ANSWERS: list[int | str] = [200, 401, 403, 404, 429, 500, TRUNCATED]


class _NewApi(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers every new-API call with one status (the catalogue's example body on a 200),
    in pieces; records the requests and whether every answer was closed."""

    def __init__(self, answer: int | str, body: Any) -> None:
        self.answer = answer
        self.body = body
        self.seen: list[tuple[Any, ...]] = []
        self.streams: list[_Chunks] = []

    def respond(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request_state(request))
        status = 200 if self.answer == TRUNCATED else int(self.answer)
        if status == 200:
            content = json.dumps(self.body).encode()
        else:
            content = json.dumps({"type": "refused", "message": f"status {status}"}).encode()
        if self.answer == TRUNCATED:
            content = content[: len(content) // 2]
        headers = {"content-type": "application/json", "content-length": str(len(content))}
        if status == 429:
            headers[pleo.RETRY_AFTER] = "0"
        stream = _Chunks(content)
        self.streams.append(stream)
        return httpx.Response(status, headers=headers, stream=stream)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self.respond(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.respond(request)


def _legacy_calls() -> Iterator[tuple[Operation, str, str, Any, Any]]:
    """(operation, method, legacy URL, legacy body, new answer) for every catalogue
    operation: its examples' bodies where it has them."""
    for operation in CATALOGUE:
        names = re.findall(r"{(\w+)}", operation.legacy.path)
        path = fill_template(operation.legacy.path, dict.fromkeys(names, ID))
        if operation.paging != "none":
            path += "?pageSize=2"
        examples = {example.direction: example for example in operation.examples}
        body = examples["request"].legacy if "request" in examples else None
        if body is None and operation.legacy.method in ("POST", "PUT", "PATCH"):
            body = {}
        answer = examples["response"].new if "response" in examples else {"id": ID}
        yield operation, operation.legacy.method, LEGACY + path, body, answer


LEGACY = "https://openapi.pleo.io"
CANARY_KEY = "canary" + "-api-key-" + "5d0c1e"  # built at run time; not a real credential


def _slow_paths(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every shortcut of this module off: what httpx itself builds and reads, the legacy
    route found by scanning every template, records converted by the generic two steps."""
    from migrate.compat import upstream

    monkeypatch.setattr(NewRequests, "build", NewRequests.slow)
    monkeypatch.setattr(upstream, "_raw_chunks", lambda response: response.iter_raw())
    monkeypatch.setattr(Catalogue, "match_legacy", _scanned_match)
    monkeypatch.setattr(Catalogue, "convert_records", _two_step_records)


def _scanned_match(catalogue: Catalogue, method: str, url: str) -> LegacyMatch | None:
    """The legacy route as a scan over every template of the method finds it."""
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    if not path.startswith(LEGACY_BASE_PATH + "/"):
        path = LEGACY_BASE_PATH + (path if path.startswith("/") else "/" + path)
    routes = sorted(
        (op for op in catalogue if op.legacy.method == method.upper()),
        key=lambda op: (len(op.legacy.params), op.legacy.path),
    )
    for operation in routes:
        found = template_regex(operation.legacy.path).fullmatch(path)
        if found:
            query = tuple(parse_qsl(parts.query, keep_blank_values=True))
            return LegacyMatch(operation, found.groupdict(), query)
    return None


_CONVERT_RECORDS = Catalogue.convert_records


def _two_step_records(
    catalogue: Catalogue,
    operation: Operation,
    source: Any,
    target: Any,
    body: Any,
    direction: Any = "response",
) -> list[Any]:
    """New records as legacy ones by the generic steps (new → canonical → legacy, every
    legacy field shown), no compiled function and nothing kept between calls."""
    if (source, target, direction) != ("new", "legacy", "response"):
        return _CONVERT_RECORDS(catalogue, operation, source, target, body, direction)
    envelope, model = catalogue._shape(operation, source, direction)
    payload = _unwrap(envelope, body)
    generic = Transformer(catalogue.models)
    return [
        generic.canonical_to_legacy(model, generic.new_to_canonical(model, item), fill_missing=True)
        for item in (payload if envelope.many else [payload])
    ]


def _served(answer: int | str) -> list[tuple[Any, ...]]:
    """What each door answers for every catalogue operation, and what the new API saw."""
    outcomes: list[tuple[Any, ...]] = []
    for operation, method, url, body, new_body in _legacy_calls():
        content = None if body is None else json.dumps(body).encode()
        apis = [_NewApi(answer, new_body) for _ in range(3)]
        answers = _through_doors(apis, method, url, content)
        outcomes += [(operation.id, *answer) for answer in answers]
        for api in apis:
            assert all(stream.closed for stream in api.streams), operation.id
            outcomes.append((operation.id, api.seen))
    return outcomes


OPTIONS: dict[str, Any] = {
    "api_key": CANARY_KEY,
    "company_id": ID,
    "retry": RetryPolicy(attempts=2, base_delay=0.0, jitter=0.0),
}


def _through_doors(
    apis: list[_NewApi], method: str, url: str, content: bytes | None
) -> list[tuple[Any, ...]]:
    """One legacy call through the httpx client, the async client and a requests session,
    each in front of its own fake new API."""
    import requests

    from migrate.compat import AsyncCompatTransport, CompatTransport
    from migrate.compat.requests_adapter import CompatAdapter

    sync_api, async_api, adapter_api = apis
    with httpx.Client(
        transport=CompatTransport(inner=sync_api, sleep=lambda _: None, **OPTIONS)
    ) as client:
        plain = client.request(method, url, content=content)

    async def call() -> httpx.Response:
        transport = AsyncCompatTransport(inner=async_api, sleep=_no_wait, **OPTIONS)
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.request(method, url, content=content)

    concurrent = asyncio.run(call())
    session = requests.Session()
    transport = CompatTransport(inner=adapter_api, sleep=lambda _: None, **OPTIONS)
    session.mount(LEGACY + "/", CompatAdapter(transport))
    adapted = session.request(method, url, data=content)
    return [
        *(
            (door, got.status_code, got.headers.multi_items(), got.content, got.json())
            for door, got in (("httpx", plain), ("async", concurrent))
        ),
        ("requests", adapted.status_code, sorted(adapted.headers.items()), adapted.content),
    ]


async def _no_wait(seconds: float) -> None:
    return None


@pytest.mark.parametrize("answer", ANSWERS)
def test_every_door_answers_every_operation_as_the_slow_paths_do(
    answer: int | str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = _served(answer)
    with monkeypatch.context() as slow_paths:
        _slow_paths(slow_paths)
        slow = _served(answer)
    assert fast == slow
    statuses = [outcome[2] for outcome in fast if len(outcome) > 2]
    sent = sum(len(outcome[1]) for outcome in fast if len(outcome) == 2)
    assert sent >= 3 * 24  # every mapped operation reached the new API through each door
    if answer == 200:
        assert statuses.count(200) >= 3 * 15  # most operations succeed on their example
    elif answer == TRUNCATED:
        assert 502 in statuses
    else:
        assert answer in statuses


def _edge_records(operation: Operation) -> list[Any]:
    """The operation's example record once per edge value of each converted field (and once
    without it), nested lines included: every inline case and every fallback, in one page."""
    example = next(e.new for e in operation.examples if e.direction == "response")
    envelope = operation.response.new if operation.response else None
    assert envelope is not None and envelope.key is not None
    payload = example[envelope.key]
    base = payload[0] if envelope.many else payload
    assert operation.model is not None
    records: list[Any] = []
    for field in CATALOGUE.models[operation.model].fields:
        if field.converter not in INLINE or not field.new:
            continue
        for value in [*_edge_values(field.converter, field.options), _ABSENT]:
            record = json.loads(json.dumps(base))
            if value is _ABSENT:
                record.pop(field.new, None)
            else:
                record[field.new] = value
            records.append(record)
    listed = payload if envelope.many else [payload]
    line = next((r["splitItems"][0] for r in listed if r.get("splitItems")), None)
    if line is not None:
        for value in _edge_values("money", None):
            record = json.loads(json.dumps(base))
            record["splitItems"] = [{**line, "totalBillValue": value}, {**line}]
            records.append(record)
    return records


_ABSENT = object()
EDGE_OPERATIONS = ["expenses.list", "expenses.get"]


@pytest.mark.parametrize("op_id", EDGE_OPERATIONS)
def test_edge_values_answer_every_door_as_the_generic_steps_do(
    op_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Timestamps with and without milliseconds, other offsets, other digits, nulls, absent
    fields, negative and huge amounts, unknown currencies and enum values: the same bytes,
    status and headers through each door as the generic two-step conversion gives."""
    operation = CATALOGUE.get(op_id)
    records = _edge_records(operation)
    assert len(records) > 80
    names = re.findall(r"{(\w+)}", operation.legacy.path)
    url = LEGACY + fill_template(operation.legacy.path, dict.fromkeys(names, ID))
    if operation.paging != "none":
        bodies = [{pleo.NEW_DATA: records, pleo.NEW_PAGINATION: {pleo.NEW_HAS_NEXT: False}}]
        url += "?pageSize=1000"
    else:
        bodies = [{pleo.NEW_DATA: record} for record in records]

    def served() -> list[Any]:
        answers = []
        for body in bodies:
            apis = [_NewApi(200, body) for _ in range(3)]
            answers += _through_doors(apis, operation.legacy.method, url, None)
        return answers

    fast = served()
    with monkeypatch.context() as slow_paths:
        _slow_paths(slow_paths)
        slow = served()
    assert fast == slow
    assert {answer[1] for answer in fast} == {200}
    shown = [json.loads(answer[3]) for answer in fast]
    assert any("2024-03-01T10:00:00.000Z" in json.dumps(body) for body in shown)


# --- the legacy page size and the new query -----------------------------------------------

PAGE_QUERIES = [
    "pageSize=50",
    "pageOffset=100&pageSize=100000",
    "pageSize=100001",
    "pageSize=999999999999",
    "pageSize=50&pageSize=200000",
    "pageSize=200000&pageSize=5",
    "pageSize= 200000",
    "pageSize=2e5",
    "pageSize=",
    "xpageSize=200000",
    "q=pageSize&pageSize=7",
    "pageSize=5&page%53ize=200000",
    "pageSize=5&pageSize=200000%20",
    "pageSize=00000000000000200000",
    "pageSize=+200000",
]


@pytest.mark.parametrize("query", PAGE_QUERIES)
def test_a_page_size_is_bounded_as_parsing_the_query_bounds_it(
    query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from migrate.compat import CompatTransport, transport

    core = CompatTransport(api_key=CANARY_KEY, company_id=ID)._core
    url = httpx.URL(f"{LEGACY}/v1/expenses?{query}")
    fast = core.bounded_page(url)
    monkeypatch.setattr(transport, "_PAGE_SIZES", re.compile(rb"(?!)"))  # always parse
    slow = core.bounded_page(url)
    assert (str(fast), fast.query) == (str(slow), slow.query)


PARAMS: list[tuple[tuple[str, str], ...]] = [
    (("limit", "100"), ("company_id", ID)),
    (("a", ""), ("", "b"), ("c.d_e~f-g", "AZaz09")),
    (("limit", "1"), ("limit", "2")),  # repeated: grouped after its first
    (("after", "eyJvZmZzZXQiOjEwMH0="), ("limit", "1")),
    (("q", "a b"), ("q2", "a+b"), ("q3", "é"), ("q4", "a/b"), ("q5", "a*b"), ("q6", "\u0661")),
]


@pytest.mark.parametrize("params", PARAMS)
@pytest.mark.parametrize("path", ["/v1/expenses", "/v1/x?fixed=1"])
def test_the_new_query_is_the_text_urlencode_writes(
    params: tuple[tuple[str, str], ...], path: str
) -> None:
    from urllib.parse import urlencode

    grouped: dict[str, list[str]] = {}
    for name, value in params:
        grouped.setdefault(name, []).append(value)
    expected = urlencode([(name, value) for name, values in grouped.items() for value in values])
    text = _new_url(Target("production", BASES[0]), NewRequest("GET", path, params))
    assert text == f"{BASES[0]}{path}{'&' if '?' in path else '?'}{expected}"


# --- the standard library's encoder, made once ------------------------------------------------


def _encodable() -> Iterator[Any]:
    for operation in CATALOGUE:
        for example in operation.examples:
            yield example.legacy
            yield example.new
    yield from [
        {"a": "Zoë \u2028 \U0001f600 \"q\" \\ \x01", 1: True, None: 2.5, 3.0: float("nan")},
        [float("inf"), -0.0, 1e-7, 10**30, -(2**63), {}, [], ""],
        "text",
        None,
    ]


def test_the_standard_librarys_encoding_is_what_json_dumps_writes() -> None:
    from migrate import jsonio

    for value in _encodable():
        written = json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
        assert jsonio.std_dumps(value) == written
    for refused in ({"x": object()}, {(1, 2): 3}):
        with pytest.raises(TypeError) as expected:
            json.dumps(refused, separators=(",", ":"), ensure_ascii=False)
        with pytest.raises(TypeError) as got:
            jsonio.std_dumps(refused)
        assert str(got.value) == str(expected.value)
