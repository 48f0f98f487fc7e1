"""The cheap test that keeps files without any sign of Pleo from ever being decoded or parsed.

A file is looked at only if its bytes contain `pleo` (as `pleo`, `Pleo` or `PLEO`: hosts,
identifiers, environment variables, imports of a Pleo client module) or the legacy paging key
`nextPageOffset`. Plain substring tests run at memory speed; a regular expression with
alternation is several times slower on the same bytes, and this test runs on every file.
"""

from __future__ import annotations

NEEDLES = (b"pleo", b"Pleo", b"PLEO", b"nextPageOffset")
GENERATED_MARK = b"@generated"
GENERATED_WINDOW = 2048  # the marker counts only in a file's header


def may_use_legacy(data: bytes) -> bool:
    # Spelled out: a generator over NEEDLES costs more than the searches on a small file.
    return b"pleo" in data or b"Pleo" in data or b"PLEO" in data or b"nextPageOffset" in data


def is_generated(data: bytes) -> bool:
    return GENERATED_MARK in data[:GENERATED_WINDOW]
