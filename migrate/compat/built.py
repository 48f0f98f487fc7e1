"""httpx objects the transports build without httpx parsing again what they already know.

On loopback a legacy call through compat costs a few tens of microseconds more than a direct
one, and three httpx constructors were half of it: `httpx.URL(text)` re-parses and re-quotes
a URL whose base was parsed once and whose path and query are already plain ASCII,
`httpx.Request(...)` normalises the same fixed headers again for every call, and
`httpx.Response(content=...)` runs the body through its decoder chain although the transport
made the bytes itself. Each shortcut produces exactly what the slow constructor would (the
tests compare them over every catalogue example), and falls back to it whenever it cannot be
sure: a path with dot segments or any character httpx would quote, a base URL httpx spells
differently from ours, or an httpx whose internals are not the ones checked here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import httpx

from migrate.compat.messages import NO_BODY

# Characters httpx leaves as they are in a path and in a query (unreserved, sub-delims, ":@/"
# and well-formed %XX escapes): text made only of them is not re-quoted, so it can be used
# as it stands. "?" may appear in the query only.
_PATH_CHARS = r"[A-Za-z0-9\-._~!$&'()*+,;=:@/]*"
_QUERY_CHARS = r"[A-Za-z0-9\-._~!$&'()*+,;=:@/?]*"
# Runs of plain characters between escapes: one way to match, so no backtracking blow-up.
_PLAIN_PATH = re.compile(f"{_PATH_CHARS}(?:%[0-9A-Fa-f]{{2}}{_PATH_CHARS})*")
_PLAIN_QUERY = re.compile(f"{_QUERY_CHARS}(?:%[0-9A-Fa-f]{{2}}{_QUERY_CHARS})*")


class NewUrls:
    """`httpx.URL(base + rest)` for URLs under one base, without re-parsing the base."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        parsed = httpx.URL(base_url)
        reference = getattr(parsed, "_uri_reference", None)
        self._reference = reference if _plain_base(parsed, base_url) else None
        self._base_path: str = getattr(reference, "path", "")  # "" for a bare origin
        # The base's parse result up to its path, to build each URL's on (a named tuple).
        self._head: tuple[Any, ...] | None = None
        self._fragment: Any = getattr(reference, "fragment", None)
        if reference is not None and getattr(reference, "_fields", ()) == _PARSED_FIELDS:
            self._head = tuple(reference)[:4]
        if self._reference is not None and self.url(base_url + "/v1/x?a=b") != httpx.URL(
            base_url + "/v1/x?a=b"
        ):  # pragma: no cover - an httpx whose URL internals differ: always parse
            self._reference = None

    def url(self, text: str) -> httpx.URL:
        """The URL httpx would parse from `text`; parsed only when it may differ."""
        reference = self._reference
        if reference is None or not text.startswith(self.base_url):
            return httpx.URL(text)
        path, mark, query = text[len(self.base_url) :].partition("?")
        if (
            not path.startswith("/")
            or "." in path
            or not _PLAIN_PATH.fullmatch(path)
            or not _PLAIN_QUERY.fullmatch(query)
        ):
            return httpx.URL(text)
        url = httpx.URL.__new__(httpx.URL)
        if self._head is None:  # pragma: no cover - an httpx whose parse result differs
            url._uri_reference = reference._replace(
                path=self._base_path + path, query=query if mark else None
            )
            return url
        # what urlparse(text) returns for it: the base's fields, this path and query
        url._uri_reference = tuple.__new__(
            type(reference),
            (*self._head, self._base_path + path, query if mark else None, self._fragment),
        )
        return url


_PARSED_FIELDS = ("scheme", "userinfo", "host", "port", "path", "query", "fragment")


def _plain_base(parsed: httpx.URL, base_url: str) -> bool:
    """Whether httpx spells `base_url` exactly as given (lower-case host, no default port, no
    dot segments, nothing quoted), so text under it can keep its own spelling."""
    return (
        str(parsed) == base_url
        and not parsed.query
        and not parsed.fragment
        and not base_url.endswith("/")
    )


_BODY_METHODS = ("POST", "PUT", "PATCH")  # httpx gives these `Content-Length: 0` without a body
_Fields = list[tuple[bytes, bytes, bytes]]  # httpx.Headers' own list: (name, lower name, value)


class NewRequests:
    """`httpx.Request(method, url, headers=fixed, content=body, extensions=...)` for the new
    API, with the fixed headers normalised once instead of at every call.

    `fixed` are the headers of a request without a body, `fixed_json` those of one with a
    JSON body. The result is checked once against httpx's own constructor (method, URL,
    headers in order, body, stream, extensions); an httpx whose `Request` differs is always
    asked to build it, as is a URL without a host, an empty body or a lower-case method.
    """

    def __init__(self, fixed: httpx.Headers, fixed_json: httpx.Headers) -> None:
        self._fixed = fixed
        self._fixed_json = fixed_json
        self._fields: _Fields = list(getattr(fixed, "_list", ()))
        self._json_fields: _Fields = list(getattr(fixed_json, "_list", ()))
        self.fast = True
        self.fast = _same_requests(self)

    def build(
        self, method: str, url: httpx.URL, content: bytes | None, extensions: dict[str, Any]
    ) -> httpx.Request:
        if not self.fast or content == b"" or not url.host or not method.isupper():
            return self.slow(method, url, content, extensions)
        fields: _Fields = [(b"Host", b"host", url.netloc)]
        if content is None:
            if method in _BODY_METHODS:
                fields.append((b"Content-Length", b"content-length", b"0"))
            fields += self._fields
        else:
            fields += self._json_fields
            fields.append((b"Content-Length", b"content-length", b"%d" % len(content)))
        headers = httpx.Headers.__new__(httpx.Headers)
        headers._list = fields
        headers._encoding = None
        request = httpx.Request.__new__(httpx.Request)
        request.method = method
        request.url = url
        request.headers = headers
        request.extensions = dict(extensions)
        body = b"" if content is None else content
        request.stream = httpx.ByteStream(body)
        request._content = body
        return request

    def slow(
        self, method: str, url: httpx.URL, content: bytes | None, extensions: dict[str, Any]
    ) -> httpx.Request:
        """What httpx builds itself."""
        headers = self._fixed if content is None else self._fixed_json
        return httpx.Request(method, url, headers=headers, content=content, extensions=extensions)


def request_state(request: httpx.Request) -> tuple[Any, ...]:
    """Everything a transport reads from a request, and every attribute httpx set on it."""
    return (
        sorted(vars(request)),
        request.method,
        request.url,
        request.url.raw_path,
        request.headers.raw,
        getattr(request.headers, "_list", None),
        getattr(request.headers, "_encoding", None),
        request.headers.encoding,
        request.extensions,
        type(request.stream),
        b"".join(request.stream),  # type: ignore[arg-type]
        request.content,
    )


def _same_requests(requests: NewRequests) -> bool:
    """Whether the shortcut builds what httpx builds, on one request of each kind."""
    url = httpx.URL("https://example.com:8443/v1/x?a=b")
    extensions = {"timeout": {"connect": 1.0}}
    for method, content in (("GET", None), ("POST", b"{}"), ("POST", None), ("DELETE", None)):
        try:
            fast = requests.build(method, url, content, extensions)
        except AttributeError:  # pragma: no cover - an httpx without these internals
            return False
        slow = requests.slow(method, url, content, extensions)
        if request_state(fast) != request_state(slow):  # pragma: no cover - another httpx
            return False
    return True


def json_headers(headers: Mapping[str, str], length: int) -> httpx.Headers:
    """The legacy answer's headers (spelt in lower case) with its JSON type and length; the
    usual set, the type alone, as httpx would normalise it, without normalising it again."""
    if _USUAL_HEADERS_KNOWN and all(name == "content-type" for name in headers):
        fields = httpx.Headers.__new__(httpx.Headers)
        fields._list = [_JSON_TYPE, (b"content-length", b"content-length", b"%d" % length)]
        fields._encoding = None
        return fields
    named = dict(headers)
    named["content-type"] = "application/json"
    named["content-length"] = str(length)
    return httpx.Headers(named)


_JSON_TYPE = (b"content-type", b"content-type", b"application/json")


def _usual_headers_known() -> bool:
    """Whether httpx normalises the usual set as `json_headers` spells it."""
    usual = httpx.Headers({"content-type": "application/json", "content-length": "12"})
    return (getattr(usual, "_list", None), getattr(usual, "_encoding", 0)) == (
        [_JSON_TYPE, (b"content-length", b"content-length", b"12")],
        None,
    )


_USUAL_HEADERS_KNOWN = _usual_headers_known()

# Where httpx keeps a read body; an httpx that keeps it elsewhere reads ours the slow way.
_READ_STORES_CONTENT = "_content" in vars(httpx.Response(200, content=b"{}"))


class LegacyJsonResponse(httpx.Response):
    """A legacy answer that keeps the object its bytes were encoded from.

    httpx hands the transport's own `Response` to the caller, so the caller's first `.json()`
    returns that object instead of decoding the bytes again. Once only: later calls (and calls
    with arguments) decode `content`, as any `httpx.Response` does, so mutating the first
    result changes nothing else. `content` and `text` are the encoded body throughout.

    The body is set as read, as `httpx.Response(content=...)` leaves it, without running the
    bytes through the decoders (they are ours, and never compressed).
    """

    built: Any = NO_BODY

    def __init__(
        self,
        status: int,
        headers: Mapping[str, str],
        content: bytes,
        built: Any,
        request: httpx.Request,
    ) -> None:
        super().__init__(
            status,
            headers=json_headers(headers, len(content)),
            stream=httpx.ByteStream(content),
            request=request,
        )
        if _READ_STORES_CONTENT:  # as Response.read() leaves it, so nothing reads it again
            self._content = content
            self.is_stream_consumed = True
            self.is_closed = True
        self.built = built

    def json(self, **kwargs: Any) -> Any:
        built = self.built
        if built is NO_BODY or kwargs:
            return super().json(**kwargs)
        self.built = NO_BODY
        return built
