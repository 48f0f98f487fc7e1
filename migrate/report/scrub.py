"""Secrets out of the report's data, which is shared widely: by field name, by known value and
by shape. The shapes and secret-sounding names are shadow/redact.py's (the same Bearer/Basic
pattern that keeps credentials out of cassettes); the report adds a broader name test and the
simulator's credential shape, and replaces with a plain marker instead of a pseudonym.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from migrate.shadow import CREDENTIAL_TEXT, sensitive_name

REDACTED = "[redacted]"
MIN_SECRET_LENGTH = 6  # shorter known values would redact ordinary words
# Names the report treats as secret beyond redact's: any name that contains one of these.
_SECRET_WORDS = re.compile(
    r"(token|secret|password|passwd|api[_-]?key|authori[sz]ation|cookie)", re.IGNORECASE
)
_SECRET_SHAPES = (CREDENTIAL_TEXT, re.compile(r"\bsim_(?:legacy|key|oauth)_[A-Za-z0-9_-]+"))


def scrub(value: Any, secrets: Iterable[str], key: str = "") -> Any:
    """The data with secrets taken out: by field name, by known value and by shape."""
    known = [s for s in secrets if s and len(s) >= MIN_SECRET_LENGTH]
    return _scrub(value, known, key)


def secret_name(key: str) -> bool:
    return bool(key) and (sensitive_name(key) or bool(_SECRET_WORDS.search(key)))


def _scrub(value: Any, known: list[str], key: str) -> Any:
    if isinstance(value, dict):
        return {k: _scrub(v, known, str(k)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, known, key) for v in value]
    if isinstance(value, str):
        if value and secret_name(key):
            return REDACTED
        for secret in known:
            value = value.replace(secret, REDACTED)
        for pattern in _SECRET_SHAPES:
            value = pattern.sub(REDACTED, value)
        return value
    return value
