"""Record both sides of a run into a vcrpy cassette, replay it offline, scan it for secrets.

The only module that imports vcrpy. We use vcrpy's cassette format, request model, matchers,
serializer and persister, but not its patching: recording and replaying are httpx transports
composed into the client like any other, so nothing global is changed and the network is
simply not in the chain during a replay. Every interaction is redacted before it is kept in
memory, and the replayed request is redacted the same way before it is matched.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx

from migrate.errors import ConfigurationError
from migrate.mapping import first_yaml_alias
from migrate.shadow.redact import Message, Redactor, SecretLeak, scan_message

if TYPE_CHECKING:
    from vcr.request import Request as VcrRequest  # type: ignore[import-untyped]

# vcrpy is imported where a cassette is recorded, replayed or read: a plain run needs none of it.
METADATA_KEY = "pleo-migrate"


class CassetteMiss(httpx.TransportError):
    """A replayed request that the cassette holds no (more) answers for."""


class BodyTooLarge(httpx.TransportError):
    """An answer over the body cap while recording; the run reports it, records nothing."""


def _headers(pairs: Iterable[tuple[str, str]]) -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for name, value in pairs:
        out.setdefault(name.lower(), []).append(value)
    return {name: tuple(values) for name, values in out.items()}


def _request_message(request: httpx.Request) -> Message:
    return Message(str(request.url), _headers(request.headers.multi_items()), request.content)


def _match_on() -> tuple[Any, ...]:
    from vcr.matchers import (  # type: ignore[import-untyped]
        body,
        host,
        method,
        path,
        port,
        query,
        scheme,
    )

    return (method, scheme, host, port, path, query, body)


def _vcr_request(message: Message, method_name: str) -> VcrRequest:
    from vcr.request import Request as VcrRequest

    headers = {name: ", ".join(values) for name, values in message.headers.items()}
    return VcrRequest(method_name, message.url, message.body or None, headers)


def _response_dict(status: int, reason: str, message: Message) -> dict[str, Any]:
    return {
        "status": {"code": status, "message": reason},
        "headers": {name: list(values) for name, values in message.headers.items()},
        "body": {"string": message.body},
    }


def _to_httpx(stored: Mapping[str, Any]) -> httpx.Response:
    headers = [(name, value) for name, values in stored["headers"].items() for value in values]
    content = stored["body"]["string"]
    if isinstance(content, str):
        content = content.encode("utf-8")
    reason = stored["status"].get("message")
    return httpx.Response(
        stored["status"]["code"],
        headers=headers,
        stream=httpx.ByteStream(content or b""),
        extensions={"reason_phrase": reason.encode("ascii", "replace")} if reason else {},
    )


class CassetteRecorder(httpx.AsyncBaseTransport):
    """Passes requests to `inner` and keeps a redacted copy of every exchange."""

    def __init__(
        self, inner: httpx.AsyncBaseTransport, redactor: Redactor, max_body: int = 64 << 20
    ) -> None:
        self._inner = inner
        self._redactor = redactor
        self._max_body = max_body
        self.requests: list[VcrRequest] = []
        self.responses: list[dict[str, Any]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        response = await self._inner.handle_async_request(request)
        headers = response.headers
        if response.is_stream_consumed:  # built in memory and read already: decoded bytes
            raw = response.content
            headers = httpx.Headers(
                [(k, v) for k, v in headers.multi_items() if k.lower() != "content-encoding"]
            )
        else:
            raw = await self._read_raw(response)
        sent = self._redactor.message(_request_message(request))
        received = self._redactor.message(Message(None, _headers(headers.multi_items()), raw))
        self.requests.append(_vcr_request(sent, request.method))
        self.responses.append(_response_dict(response.status_code, response.reason_phrase,
                                             received))
        return httpx.Response(
            response.status_code,
            headers=headers,
            stream=httpx.ByteStream(raw),
            extensions=response.extensions,
        )

    async def _read_raw(self, response: httpx.Response) -> bytes:
        """The body as sent, stopped at the cap: a huge answer is refused, not recorded."""
        chunks: list[bytes] = []
        size = 0
        try:
            async for chunk in response.aiter_raw():
                size += len(chunk)
                if size > self._max_body:
                    raise BodyTooLarge(
                        f"the response body is larger than {self._max_body:,} bytes; refused"
                    )
                chunks.append(chunk)
        finally:
            await response.aclose()
        return b"".join(chunks)

    async def aclose(self) -> None:
        await self._inner.aclose()


class CassettePlayer(httpx.AsyncBaseTransport):
    """Answers from a cassette only: each recorded exchange once, in recorded order."""

    def __init__(self, cassette: Cassette, redactor: Redactor) -> None:
        self._cassette = cassette
        self._redactor = redactor
        self._played = [False] * len(cassette.requests)
        self._pending: dict[tuple[str, str], list[int]] = {}
        self._match_on = _match_on()
        for index, stored in enumerate(cassette.requests):
            self._pending.setdefault(_route(stored), []).append(index)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        from vcr.matchers import requests_match

        wanted = _vcr_request(self._redactor.message(_request_message(request)), request.method)
        for index in self._pending.get(_route(wanted), []):
            if not self._played[index] and requests_match(
                wanted, self._cassette.requests[index], self._match_on
            ):
                self._played[index] = True
                return _to_httpx(self._cassette.responses[index])
        shown = self._redactor.describe(str(request.url))
        raise CassetteMiss(f"the cassette holds no recorded answer for {request.method} {shown}")

    @property
    def unplayed(self) -> int:
        return self._played.count(False)


def _route(request: VcrRequest) -> tuple[str, str]:
    return request.method.upper(), str(request.path)


@dataclass(frozen=True)
class Cassette:
    requests: tuple[VcrRequest, ...]
    responses: tuple[dict[str, Any], ...]
    metadata: Mapping[str, Any]


def save_cassette(path: Path, recorder: CassetteRecorder, metadata: Mapping[str, Any]) -> None:
    document = {
        "requests": recorder.requests,
        "responses": recorder.responses,
        "metadata": {METADATA_KEY: dict(metadata)},
    }
    # Written beside the target under a fresh name, then renamed over it: a link planted at
    # `path` is replaced, not written through, and a half-written cassette is never left.
    from vcr.persisters.filesystem import FilesystemPersister  # type: ignore[import-untyped]
    from vcr.serializers import yamlserializer  # type: ignore[import-untyped]

    # Owner-only: a cassette holds company data.
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".partial", dir=path.parent)
        os.close(fd)
        temporary = Path(name)
        FilesystemPersister.save_cassette(temporary, document, yamlserializer)
        os.chmod(temporary, 0o600)
        os.replace(temporary, path)
    except OSError as exc:
        raise ConfigurationError(f"cannot write the cassette {path}: {exc.strerror}") from None
    finally:
        if temporary is not None and temporary.exists():
            temporary.unlink()


def load_cassette(path: Path) -> Cassette:
    from vcr.persisters.filesystem import (
        CassetteDecodeError,
        CassetteNotFoundError,
        FilesystemPersister,
    )
    from vcr.serializers import yamlserializer

    _refuse_aliases(path)
    try:
        loaded = FilesystemPersister.load_cassette(path, yamlserializer)
    except CassetteNotFoundError:
        raise ConfigurationError(f"{path}: no such cassette (or it is empty)") from None
    except (CassetteDecodeError, ValueError, KeyError, TypeError) as exc:
        raise ConfigurationError(f"{path}: not a readable cassette ({exc})") from None
    except Exception as exc:  # yaml errors surface as their own types
        kind = type(exc).__name__
        raise ConfigurationError(f"{path}: not a readable cassette ({kind})") from None
    requests, responses = loaded[0], loaded[1]
    metadata = loaded[2] if len(loaded) > 2 else {}
    return Cassette(tuple(requests), tuple(responses), dict(metadata).get(METADATA_KEY, {}))


def _refuse_aliases(path: Path) -> None:
    """A recorded cassette never uses YAML aliases; one that does is refused before anything
    expands them (a 1.4 KB alias bomb otherwise grows to gigabytes when scanned)."""
    try:
        text = path.read_bytes()
    except FileNotFoundError:
        return  # the loader reports it
    except OSError as exc:
        raise ConfigurationError(f"{path}: cannot read the cassette: {exc.strerror}") from None
    line = first_yaml_alias(text)
    if line is not None:
        raise ConfigurationError(
            f"{path}:{line}: the cassette uses a YAML alias (*name); recordings never do, "
            "so it is refused unread"
        )


# --- scanning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class CassetteFinding:
    file: str
    interaction: int
    finding: SecretLeak

    def __str__(self) -> str:
        return f"{self.file}: interaction {self.interaction}: {self.finding.where}: " + (
            self.finding.rule
        )


def cassette_files(target: Path) -> list[Path]:
    if target.is_file():
        return [target]
    if target.is_dir():
        return sorted(p for p in target.rglob("*") if p.suffix in (".yaml", ".yml"))
    raise ConfigurationError(f"{target}: no such file or folder")


def scan_path(target: Path, known: Iterable[str] = ()) -> tuple[list[Path], list[CassetteFinding]]:
    """Every cassette under `target`, and every secret found in them."""
    files = cassette_files(target)
    secrets = tuple(known)
    findings: list[CassetteFinding] = []
    for file in files:
        findings.extend(scan_cassette(file, secrets))
    return files, findings


def scan_cassette(file: Path, known: Iterable[str] = ()) -> Iterator[CassetteFinding]:
    cassette = load_cassette(file)
    secrets = tuple(known)
    if len(cassette.requests) != len(cassette.responses):
        raise ConfigurationError(f"{file}: not a readable cassette (requests and responses "
                                 "differ in number)")
    for index, (request, response) in enumerate(
        zip(cassette.requests, cassette.responses, strict=True)
    ):
        if not isinstance(response, dict) or not isinstance(response.get("body", {}), dict) \
                or not isinstance(response.get("headers", {}), dict):
            raise ConfigurationError(
                f"{file}: interaction {index}: not a readable cassette (the response is not "
                "a mapping with headers and body)"
            )
        request_body = request.body if isinstance(request.body, bytes) else (
            str(request.body or "").encode("utf-8")
        )
        sent = Message(
            request.uri,
            {name.lower(): (str(value),) for name, value in request.headers.items()},
            request_body,
        )
        content = response.get("body", {}).get("string") or b""
        received = Message(
            None,
            {name.lower(): tuple(str(v) for v in values)
             for name, values in response.get("headers", {}).items()},
            content if isinstance(content, bytes) else str(content).encode("utf-8"),
        )
        for finding in (*scan_message(sent, "request", secrets),
                        *scan_message(received, "response", secrets)):
            yield CassetteFinding(str(file), index, finding)
    metadata_text = json.dumps(cassette.metadata, default=str)
    for finding in scan_message(Message(None, {}, metadata_text.encode()), "metadata", secrets):
        yield CassetteFinding(str(file), -1, finding)
