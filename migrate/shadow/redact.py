"""Secrets out of recorded HTTP traffic, replaced by stable keyed pseudonyms; and a scanner.

A pseudonym is `REDACTED-` + the first 16 hex digits of HMAC-SHA256(key, secret): the same
secret always gets the same pseudonym, so a replayed request still matches its recording and a
value seen on both APIs still compares equal. The key comes from PLEO_MIGRATE_REDACTION_KEY, or
a built-in default (then a pseudonym is only as hard to reverse as the secret is to guess; API
tokens are long and random).

Redaction is a list of named steps, each responsible for one place secrets hide, so a test can
prove each one is needed. The scanner looks for what redaction should have removed: credentials
in auth headers and cookies, values under secret-sounding names, bearer tokens and JWTs in
bodies, and known secret values in every encoding, inside gzip bodies too.
"""

from __future__ import annotations

import base64
import functools
import gzip
import hashlib
import hmac
import json
import os
import re
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

PREFIX = "REDACTED-"
KEY_VARIABLE = "PLEO_MIGRATE_REDACTION_KEY"
_DEFAULT_KEY = b"pleo-migrate redaction v1: set PLEO_MIGRATE_REDACTION_KEY for a private key"

STEPS = ("authorization", "cookies", "headers", "query", "gzip", "json", "known")
AUTH_HEADERS = frozenset({"authorization", "proxy-authorization"})
COOKIE_HEADERS = frozenset({"cookie", "set-cookie"})
_SENSITIVE_EXACT = frozenset({
    "authorization", "token", "accesstoken", "refreshtoken", "idtoken", "apikey", "xapikey",
    "key", "secret", "clientsecret", "password", "passwd", "pwd", "cookie", "setcookie",
    "session", "sessionid", "sid", "signature", "sig", "credential", "credentials",
    "privatekey", "bearer", "jwt", "authtoken", "xauthtoken", "csrftoken", "xcsrftoken",
})
_SENSITIVE_SUFFIXES = ("token", "secret", "password", "apikey", "signature", "sessionid")
# Credential shapes in free text; report/scrub.py scrubs the report with the same patterns.
CREDENTIAL_TEXT = re.compile(r"\b(Bearer|Basic)\s+([A-Za-z0-9._~+/=-]{8,})")
JWT_TEXT = re.compile(r"\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}")


@functools.lru_cache(maxsize=4096)  # the same few keys on every record of a run
def sensitive_name(name: str) -> bool:
    """Does a header, query parameter or JSON key name suggest its value is a secret?"""
    folded = re.sub(r"[^a-z0-9]", "", name.lower())
    return folded in _SENSITIVE_EXACT or folded.endswith(_SENSITIVE_SUFFIXES)


def redaction_key(environ: Mapping[str, str] | None = None) -> bytes:
    environ = os.environ if environ is None else environ
    value = environ.get(KEY_VARIABLE)
    return value.encode("utf-8") if value else _DEFAULT_KEY


def encodings(secret: str) -> tuple[str, ...]:
    """The forms a secret takes on the wire: raw, URL-quoted, base64, and as Basic `key:`."""
    raw = secret.encode("utf-8")
    forms = {
        secret,
        quote(secret, safe=""),
        quote_plus(secret, safe=""),
        base64.b64encode(raw).decode("ascii"),
        base64.b64encode(raw + b":").decode("ascii"),
        base64.urlsafe_b64encode(raw).decode("ascii").rstrip("="),
    }
    return tuple(sorted((f for f in forms if len(f) >= 6), key=len, reverse=True))


@dataclass(frozen=True)
class Message:
    """One side of an interaction in a neutral form: what redaction and scanning work on."""

    url: str | None
    headers: Mapping[str, tuple[str, ...]]
    body: bytes


class Redactor:
    """Applies the redaction steps to requests and responses; holds no secret in its repr."""

    def __init__(
        self,
        secrets: Iterable[str] = (),
        *,
        key: bytes | None = None,
        steps: Iterable[str] = STEPS,
    ) -> None:
        self._key = key if key is not None else redaction_key()
        self._secrets = tuple(s for s in dict.fromkeys(secrets) if s and len(s) >= 6)
        self.steps = frozenset(steps)
        unknown = self.steps - set(STEPS)
        if unknown:
            raise ValueError(f"unknown redaction step {sorted(unknown)[0]!r}")
        self._forms = [(form, self.pseudonym(s)) for s in self._secrets for form in encodings(s)]
        # One search for any form, so text without a secret (nearly all) costs one scan.
        self._any_form = (
            re.compile("|".join(re.escape(form) for form, _ in self._forms))
            if self._forms else None
        )

    def __repr__(self) -> str:
        return f"Redactor(secrets={len(self._secrets)}, steps={sorted(self.steps)})"

    def pseudonym(self, value: str) -> str:
        if value.startswith(PREFIX):
            return value
        digest = hmac.new(self._key, value.encode("utf-8"), hashlib.sha256).hexdigest()
        return PREFIX + digest[:16]

    # --- whole messages ---------------------------------------------------------------------

    def message(self, message: Message) -> Message:
        headers = {name: list(values) for name, values in message.headers.items()}
        body = message.body
        url = message.url
        if "gzip" in self.steps:
            body = _gunzip(headers, body)
        if "authorization" in self.steps:
            self._auth_headers(headers)
        if "cookies" in self.steps:
            self._cookies(headers)
        if "headers" in self.steps:
            self._named_headers(headers)
        if url is not None and "query" in self.steps:
            url = self._query(url)
        if body and "json" in self.steps and not _compressed(headers, body):
            body = self._json_body(body)
        if "known" in self.steps:
            if url is not None:
                url = self.text(url)
            if body and not _compressed(headers, body):
                body = self.text(body.decode("utf-8", "surrogateescape")).encode(
                    "utf-8", "surrogateescape"
                )
        if body != message.body:
            _set_length(headers, body)
        return Message(url, {name: tuple(values) for name, values in headers.items()}, body)

    def text(self, text: str) -> str:
        """`text` with every known secret, in any of its encodings, replaced."""
        if self._any_form is None or self._any_form.search(text) is None:
            return text
        for form, pseudonym in self._forms:
            if form in text:
                text = text.replace(form, pseudonym)
        return text

    def document(self, value: Any) -> Any:
        """A JSON-like value with secret-sounding keys and known secrets redacted (one walk:
        every results.jsonl line goes through here)."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            out: dict[Any, Any] = {}
            for key, item in value.items():
                if _secret_value(str(key), item):
                    out[key] = self.text(self.pseudonym(str(item)))
                elif type(item) is str:  # the usual value: no call for it
                    out[key] = self.text(item)
                else:
                    out[key] = self.document(item)
            return out
        if isinstance(value, list):
            return [self.text(item) if type(item) is str else self.document(item)
                    for item in value]
        return value

    def pairs(self, pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
        """Query parameters, redacted like a URL's."""
        return [
            (name, self.pseudonym(value) if sensitive_name(name) and value else self.text(value))
            for name, value in pairs
        ]

    def describe(self, url: str) -> str:
        """A URL safe for logs and error messages."""
        return self.text(self._query(url))

    # --- steps ------------------------------------------------------------------------------

    def _auth_headers(self, headers: MutableMapping[str, list[str]]) -> None:
        for name in list(headers):
            if name.lower() in AUTH_HEADERS:
                headers[name] = [self._credential(value) for value in headers[name]]

    def _credential(self, value: str) -> str:
        scheme, _, credential = value.strip().partition(" ")
        if not credential:
            return self.pseudonym(scheme)
        return f"{scheme} {self.pseudonym(credential.strip())}"

    def _cookies(self, headers: MutableMapping[str, list[str]]) -> None:
        for name in list(headers):
            lowered = name.lower()
            if lowered == "cookie":
                headers[name] = [self._cookie_pairs(v, "; ") for v in headers[name]]
            elif lowered == "set-cookie":
                headers[name] = [self._set_cookie(v) for v in headers[name]]

    def _cookie_pairs(self, value: str, joiner: str) -> str:
        pairs = []
        for chunk in value.split(";"):
            name, eq, cookie = chunk.strip().partition("=")
            pairs.append(f"{name}={self.pseudonym(cookie)}" if eq and cookie else chunk.strip())
        return joiner.join(p for p in pairs if p)

    def _set_cookie(self, value: str) -> str:
        first, sep, attributes = value.partition(";")
        name, eq, cookie = first.strip().partition("=")
        redacted = f"{name}={self.pseudonym(cookie)}" if eq and cookie else first
        return redacted + (sep + attributes if sep else "")

    def _named_headers(self, headers: MutableMapping[str, list[str]]) -> None:
        for name in list(headers):
            lowered = name.lower()
            if lowered in AUTH_HEADERS or lowered in COOKIE_HEADERS:
                continue
            if sensitive_name(lowered):
                headers[name] = [self.pseudonym(v) if v else v for v in headers[name]]

    def _query(self, url: str) -> str:
        parts = urlsplit(url)
        if not parts.query:
            return url
        pairs = parse_qsl(parts.query, keep_blank_values=True)
        if not any(sensitive_name(name) and value for name, value in pairs):
            return url
        redacted = [
            (name, self.pseudonym(value) if sensitive_name(name) and value else value)
            for name, value in pairs
        ]
        return urlunsplit(parts._replace(query=urlencode(redacted)))

    def _json_body(self, body: bytes) -> bytes:
        try:
            document = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            return body
        changed, redacted = _walk(document, self.pseudonym)
        if not changed:
            return body
        return json.dumps(redacted, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _walk(value: Any, pseudonym: Callable[[str], str]) -> tuple[bool, Any]:
    if isinstance(value, dict):
        changed = False
        out: dict[str, Any] = {}
        for key, item in value.items():
            if _secret_value(str(key), item):
                out[key] = pseudonym(str(item))
                changed = True
                continue
            sub_changed, out[key] = _walk(item, pseudonym)
            changed = changed or sub_changed
        return changed, out
    if isinstance(value, list):
        results = [_walk(item, pseudonym) for item in value]
        return any(c for c, _ in results), [item for _, item in results]
    return False, value


def _secret_value(key: str, item: Any) -> bool:
    """A plain value under a secret-sounding key that is not yet a pseudonym."""
    if not sensitive_name(key) or isinstance(item, bool) or item in ("", None):
        return False
    if isinstance(item, str):
        return not item.startswith(PREFIX)
    return isinstance(item, int | float)


def _header(headers: Mapping[str, Iterable[str]], wanted: str) -> list[str]:
    return [v for name, values in headers.items() if name.lower() == wanted for v in values]


def _compressed(headers: Mapping[str, Iterable[str]], body: bytes) -> bool:
    encoding = ",".join(_header(headers, "content-encoding")).lower()
    return "gzip" in encoding or "deflate" in encoding or body[:2] == b"\x1f\x8b"


def _gunzip(headers: MutableMapping[str, list[str]], body: bytes) -> bytes:
    """Decode a gzip (or deflate) body and drop Content-Encoding, so the body steps see it."""
    if not body or not _compressed(headers, body):
        return body
    decoded = decompress(body)
    if decoded is None:
        return body
    for name in list(headers):
        if name.lower() == "content-encoding":
            del headers[name]
    return decoded


def decompress(body: bytes) -> bytes | None:
    try:
        if body[:2] == b"\x1f\x8b":
            return gzip.decompress(body)
        return zlib.decompress(body)
    except (OSError, EOFError, zlib.error):
        return None


def _set_length(headers: MutableMapping[str, list[str]], body: bytes) -> None:
    for name in list(headers):
        if name.lower() == "content-length":
            headers[name] = [str(len(body))]


# --- scanning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SecretLeak:
    """Where a secret was found; never the secret itself."""

    where: str  # e.g. "request header authorization", "response body"
    rule: str


def scan_message(message: Message, side: str, known: Iterable[str] = ()) -> Iterator[SecretLeak]:
    """Everything in one request or response that redaction should have removed."""
    forms = [form for secret in known if secret for form in encodings(secret)]
    for name, values in message.headers.items():
        lowered = name.lower()
        for value in values:
            where = f"{side} header {lowered}"
            if lowered in AUTH_HEADERS:
                credential = value.strip().partition(" ")[2] or value.strip()
                if credential and not credential.startswith(PREFIX):
                    yield SecretLeak(where, "credential in an auth header")
            elif lowered == "cookie":
                if _unredacted_cookie(value):
                    yield SecretLeak(where, "cookie value")
            elif lowered == "set-cookie":
                if _unredacted_cookie(value.partition(";")[0]):
                    yield SecretLeak(where, "cookie value")
            elif sensitive_name(lowered) and value and not value.startswith(PREFIX):
                yield SecretLeak(where, "value under a secret-sounding header")
            yield from _scan_text(value, where, forms, credentials=lowered not in AUTH_HEADERS)
    if message.url is not None:
        where = f"{side} url"
        for name, value in parse_qsl(urlsplit(message.url).query, keep_blank_values=True):
            if sensitive_name(name) and value and not value.startswith(PREFIX):
                yield SecretLeak(f"{where} query {name}", "value under a secret-sounding parameter")
        yield from _scan_text(message.url, where, forms)
    body = message.body
    if body:
        where = f"{side} body"
        if _compressed(message.headers, body):
            decoded = decompress(body)
            if decoded is not None:
                body = decoded
                where = f"{side} body (compressed)"
        text = body.decode("utf-8", "replace")
        try:
            document = json.loads(text)
        except ValueError:
            document = None
        for path in _secret_keys(document, ""):
            yield SecretLeak(f"{where} at {path}", "value under a secret-sounding key")
        yield from _scan_text(text, where, forms)


def _unredacted_cookie(value: str) -> bool:
    for chunk in value.split(";"):
        _, eq, cookie = chunk.strip().partition("=")
        if eq and cookie and not cookie.startswith(PREFIX):
            return True
    return False


def _secret_keys(value: Any, path: str) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            here = f"{path}.{key}" if path else str(key)
            if _secret_value(str(key), item):
                yield here
                continue
            yield from _secret_keys(item, here)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _secret_keys(item, f"{path}[{index}]")


def _scan_text(
    text: str, where: str, forms: Iterable[str], *, credentials: bool = True
) -> Iterator[SecretLeak]:
    for match in CREDENTIAL_TEXT.finditer(text) if credentials else ():
        if not match.group(2).startswith(PREFIX):
            yield SecretLeak(where, f"{match.group(1)} credential in text")
    if JWT_TEXT.search(text):
        yield SecretLeak(where, "a JSON Web Token")
    for form in forms:
        if form in text:
            yield SecretLeak(where, "a known secret")
            break
