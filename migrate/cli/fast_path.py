"""`pleo-migrate scan …` without importing typer, when its flags are plainly valid.

Light on purpose: `--version` and `--help` import this module too, and nothing of the codemod.

Importing typer (and its copy of click) and building the command costs about 30 ms, a tenth
of a whole scan of a 20,000-file tree. A scan command line made only of what the flags below
take as they are is parsed here, and `migrate.cli.run` calls `scan_run.scan` with it exactly
as the typer command would. Anything else (`-h`, an unknown or repeated flag, a missing or
unusual value, a path that is there but unreadable, no path at all) gives None and goes to
typer, so help, usage errors and their messages stay typer's.
`tests/codemod/test_scan_speed.py` runs the same command lines both ways and compares.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

ScanFormatName = Literal["text", "json", "sarif"]
SCAN_FORMATS: tuple[ScanFormatName, ...] = ("text", "json", "sarif")

_WHOLE = re.compile(r"[0-9]+")
# flag spellings -> the one name each stands for (the typer command declares the same ones)
_FLAGS = {
    "-o": "format",
    "--output-format": "format",
    "-j": "jobs",
    "--jobs": "jobs",
    "--mappings": "mappings",
}


@dataclass(frozen=True)
class ScanArgs:
    """A scan command line, parsed as typer would parse it."""

    paths: tuple[Path, ...]
    output_format: ScanFormatName = "text"
    jobs: int = 0
    mappings: Path | None = None


def parse_scan(argv: Sequence[str]) -> ScanArgs | None:
    """`scan`'s flags and paths, or None when anything in `argv` is not plainly valid."""
    if not argv or argv[0] != "scan":
        return None
    values: dict[str, str] = {}
    paths: list[Path] = []
    rest = list(argv[1:])
    only_paths = False
    while rest:
        token = rest.pop(0)
        if only_paths or not token.startswith("-"):
            path = _path(token)
            if path is None:
                return None
            paths.append(path)
            continue
        if token == "--":
            only_paths = True
            continue
        spelling, equals, attached = token.partition("=")
        name = _FLAGS.get(spelling)
        if name is None or name in values or (equals and not spelling.startswith("--")):
            return None  # -h, an unknown or repeated flag, `-o=json`: typer's to judge
        if equals:
            value = attached
        elif rest:
            value = rest.pop(0)
        else:
            return None
        if not value or value.startswith("-"):
            return None
        values[name] = value
    return _checked(paths, values)


def _checked(paths: list[Path], values: dict[str, str]) -> ScanArgs | None:
    if not paths:
        return None
    output_format = values.get("format", "text")
    jobs = values.get("jobs", "0")
    if output_format not in SCAN_FORMATS or not _WHOLE.fullmatch(jobs):
        return None
    mappings = None
    if "mappings" in values:
        mappings = _path(values["mappings"])
        if mappings is None:
            return None
    chosen = next(name for name in SCAN_FORMATS if name == output_format)
    return ScanArgs(tuple(paths), chosen, int(jobs), mappings)


def _path(text: str) -> Path | None:
    """A path as typer takes it (none of its checks would object), or None."""
    if not text or text == "-" or "\0" in text:
        return None
    if os.path.exists(text) and not os.access(text, os.R_OK):
        return None  # typer words this refusal
    return Path(text)
