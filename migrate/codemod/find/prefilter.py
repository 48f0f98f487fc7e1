"""The cheap test that keeps files without any sign of Pleo from ever being decoded or parsed.

A file is looked at only if its bytes contain `pleo` (as `pleo`, `Pleo` or `PLEO`: hosts,
identifiers, environment variables, imports of a Pleo client module) or the legacy paging key
`nextPageOffset`. Plain substring tests run at memory speed; a regular expression with
alternation is several times slower on the same bytes, and this test runs on every file.

This module imports nothing heavy: a run decides from bytes alone (one read per file, no
decode, no parse) before the analysis, the rules and the catalogue are imported at all, and a
file that is not Python is only searched for legacy hosts.
"""

from __future__ import annotations

from migrate.codemod.file_results import NON_PYTHON, FileResult, Reference
from migrate.codemod.text.foreign import ADVICE, host_mentions, language_of
from migrate.codemod.text.source import read_bytes

NEEDLES = (b"pleo", b"Pleo", b"PLEO", b"nextPageOffset")
GENERATED_MARK = b"@generated"
GENERATED_WINDOW = 2048  # the marker counts only in a file's header


def may_use_legacy(data: bytes) -> bool:
    # Spelled out: a generator over NEEDLES costs more than the searches on a small file.
    return b"pleo" in data or b"Pleo" in data or b"PLEO" in data or b"nextPageOffset" in data


def is_generated(data: bytes) -> bool:
    return GENERATED_MARK in data[:GENERATED_WINDOW]


def screen(path: str) -> bytes | FileResult | None:
    """A Python file's bytes when it may use the legacy API; None when it shows no sign of Pleo;
    the result itself when it cannot be read."""
    try:
        raw = read_bytes(path)
    except OSError as error:
        return FileResult(path, "failed", f"cannot read: {error.strerror or error}")
    return raw if may_use_legacy(raw) else None


def process_other(path: str) -> FileResult:
    """A file that is not Python: skipped, with a reference for each legacy host it spells
    (the codemod cannot rewrite Go or YAML; the proxy can serve those calls)."""
    try:
        raw = read_bytes(path)
    except OSError as error:
        return FileResult(path, "skipped", f"not a Python file (cannot read: {error.strerror})")
    mentions = host_mentions(raw)
    if not mentions:
        return FileResult(path, "skipped", "not a Python file")
    language = language_of(path)
    refs = tuple(
        Reference(
            path,
            found.line,
            found.col,
            NON_PYTHON,
            f"{found.text} in a {language} file: the codemod cannot rewrite it; {ADVICE}",
        )
        for found in mentions
    )
    return FileResult(
        path,
        "skipped",
        f"not Python: {len(refs)} reference{'' if len(refs) == 1 else 's'} to a legacy host; "
        "serve them through the local proxy (`pleo-migrate proxy`)",
        refs[0].line,
        references=refs,
    )
