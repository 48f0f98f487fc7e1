"""Pseudonyms are stable and keyed; each redaction step covers its place; the scanner sees."""

from __future__ import annotations

import base64

from migrate.shadow.redact import PREFIX, Message, Redactor, encodings, scan_message

SECRET = "test-secret-value-0123456789"


def test_pseudonyms_are_stable_keyed_and_idempotent() -> None:
    one = Redactor([SECRET], key=b"k1")
    assert one.pseudonym(SECRET) == Redactor([], key=b"k1").pseudonym(SECRET)
    assert one.pseudonym(SECRET) != Redactor([], key=b"k2").pseudonym(SECRET)
    assert one.pseudonym(SECRET).startswith(PREFIX)
    assert one.pseudonym(one.pseudonym(SECRET)) == one.pseudonym(SECRET)
    assert SECRET not in repr(one)


def test_known_secrets_are_found_in_every_encoding() -> None:
    redactor = Redactor([SECRET], key=b"k")
    basic = base64.b64encode(f"{SECRET}:".encode()).decode()
    assert basic in encodings(SECRET)
    text = f"a {SECRET} b {basic} c {SECRET.replace('-', '%2D')}"
    assert SECRET not in redactor.text(text)
    assert basic not in redactor.text(text)


def test_a_message_is_redacted_and_its_length_fixed() -> None:
    redactor = Redactor([SECRET], key=b"k")
    message = Message(
        f"https://x.test/p?access_token={SECRET}&page=2",
        {"authorization": (f"Bearer {SECRET}",), "content-length": ("99",),
         "cookie": ("a=1; b=2",), "x-api-key": ("zzz-secret",)},
        b'{"password": "hunter22", "nested": {"n": "' + SECRET.encode() + b'"}}',
    )
    redacted = redactor.message(message)
    assert redacted.url is not None and SECRET not in redacted.url and "page=2" in redacted.url
    assert redacted.headers["authorization"][0].startswith("Bearer " + PREFIX)
    assert redacted.headers["cookie"][0].startswith("a=" + PREFIX)
    assert redacted.headers["x-api-key"][0].startswith(PREFIX)
    assert b"hunter22" not in redacted.body and SECRET.encode() not in redacted.body
    assert redacted.headers["content-length"] == (str(len(redacted.body)),)
    assert list(scan_message(redacted, "request", [SECRET])) == []
    assert {f.rule for f in scan_message(message, "request", [SECRET])} >= {
        "credential in an auth header", "cookie value", "value under a secret-sounding header",
        "value under a secret-sounding parameter", "value under a secret-sounding key",
        "a known secret",
    }


def test_the_scanner_knows_jwts_and_bearer_tokens_in_bodies() -> None:
    jwt = "eyJhbGciOi" + ".eyJzdWIiOiIx" + ".c2lnbmF0dXJl"
    body = f'{{"note": "Authorization: Bearer abcdefghijkl", "t": "{jwt}"}}'.encode()
    rules = {f.rule for f in scan_message(Message(None, {}, body), "response")}
    assert rules == {"Bearer credential in text", "a JSON Web Token"}


def test_ordinary_fields_are_left_alone() -> None:
    redactor = Redactor([], key=b"k")
    body = b'{"authorizedAt": "2025-01-01", "taxCodeId": "t", "keyboard": 1}'
    assert redactor.message(Message(None, {}, body)).body == body
