"""JSON for the hot paths (compat bodies, shadow bodies): orjson when installed, else stdlib.

orjson is the optional extra `fast` (`pip install 'pleo-migrate[fast]'`); it decodes about twice
and encodes about ten times as fast. Both backends write the same bytes: compact separators
and UTF-8 text (no `\\u` escapes). The known differences are limited to values no Pleo body
holds: floats below 1e-4 are written in positional form (`0.00001`, not `1e-05`; the same
number either way), NaN becomes null, and orjson reads integers beyond 64 bits as floats. What
orjson refuses (such integers on output, non-text keys, NaN or lone surrogates on input) falls
back to the standard library, so the results never depend on which backend is installed.
This module is the only one that imports orjson.
"""

from __future__ import annotations

import json
from typing import Any

try:
    import orjson
except ImportError:  # the `fast` extra is not installed
    orjson = None  # type: ignore[assignment]

FAST = orjson is not None


# `json.dumps` with these arguments builds this very encoder at every call; one is enough
# (`encode` keeps no state between calls).
_STD_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False)


def std_dumps(value: Any) -> bytes:
    """The standard library's encoding, byte for byte what `dumps` writes with orjson."""
    return _STD_ENCODER.encode(value).encode("utf-8")


def std_loads(data: bytes | str) -> Any:
    return json.loads(data)


def fast_dumps(value: Any) -> bytes:
    try:
        return orjson.dumps(value)
    except TypeError:  # e.g. an integer beyond 64 bits, a non-text key
        return std_dumps(value)


def fast_loads(data: bytes | str) -> Any:
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return json.loads(data)  # what orjson is stricter about; else the same error


dumps = fast_dumps if FAST else std_dumps
"""Compact UTF-8 JSON."""
loads = fast_loads if FAST else std_loads
"""Parsed JSON; `ValueError` (or `UnicodeDecodeError`) when it is not JSON."""
