"""Legacy hosts in files that are not Python (Go, TypeScript, shell, YAML, `.env`, …).

The codemod cannot rewrite these, but it must not report a repository clean while they call
the legacy API: each line that spells a legacy host becomes a reference, with the advice to
serve those calls through the local proxy (`pleo-migrate proxy`), which answers legacy paths
from the new API whatever language makes the request.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from migrate import pleo

PYTHON_SUFFIXES = (".py",)
# Fixed strings for grep: every legacy host (each also matches inside a longer host name;
# the regex below then decides).
NEEDLES: tuple[str, ...] = tuple(sorted(pleo.LEGACY_HOSTS, key=len, reverse=True))
_HOST = re.compile(
    r"(?<![\w.-])(?:https?://)?(?:"
    + "|".join(re.escape(host) for host in NEEDLES)
    + r")(?![\w-])"
)
BINARY_WINDOW = 8192  # a NUL byte in the first bytes: a binary file, not looked at
MAX_BYTES = 8 << 20  # larger files are data, not client code
ADVICE = "serve it through the local proxy (`pleo-migrate proxy`)"


@dataclass(frozen=True)
class HostMention:
    line: int
    col: int  # 1-based
    text: str  # the host as written, with its scheme when it has one


def is_python(path: str) -> bool:
    return path.endswith(PYTHON_SUFFIXES)


def language_of(path: str) -> str:
    """A short name for messages: the file's extension or its name (`.go`, `.env`, `Dockerfile`)."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    return f".{suffix}" if dot and stem else name


def host_mentions(raw: bytes) -> list[HostMention]:
    """Every legacy host the bytes spell, line by line; none for a binary or huge file."""
    if len(raw) > MAX_BYTES or b"\0" in raw[:BINARY_WINDOW]:
        return []
    if not any(needle.encode() in raw for needle in NEEDLES):
        return []
    text = raw.decode("utf-8", "replace")
    found = []
    for number, line in enumerate(text.splitlines(), start=1):
        for match in _HOST.finditer(line):
            found.append(HostMention(number, match.start() + 1, match.group()))
    return found
