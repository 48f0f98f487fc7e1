"""Where the CLI writes: data to stdout, progress and summaries to stderr, colour only on a TTY.

Rich honours NO_COLOR by itself; when output is not a terminal we also widen the virtual page
so tables are not wrapped at 80 columns in pipes and CI logs.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _console(stream: Any) -> Console:
    from rich.console import Console  # only for the commands that draw tables (fast start-up)

    is_tty = hasattr(stream, "isatty") and stream.isatty()
    return Console(
        file=stream, width=None if is_tty else 160, highlight=False, soft_wrap=not is_tty
    )


def stdout() -> Console:
    return _console(sys.stdout)


def stderr() -> Console:
    return _console(sys.stderr)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 file`, `2 files`: counts in summaries read as English."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON, one document, on stdout."""
    import json  # imported where used: a scan's text output never needs it

    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")


def out_line(text: str) -> None:
    """One line of data on stdout, exactly as given (a newline added if it has none)."""
    sys.stdout.write(text if text.endswith("\n") else text + "\n")


def out_text(text: str) -> None:
    """Data on stdout byte for byte (a diff, say): no markup, no wrapping, nothing added."""
    sys.stdout.write(text)


def err_line(text: str) -> None:
    """One line of summary or problem on stderr, exactly as given."""
    sys.stderr.write(text if text.endswith("\n") else text + "\n")


def counter(unit: str) -> Callable[[int, int], None] | None:
    """A `done/total unit` counter on stderr, redrawn in place; None when stderr is not a
    terminal or NO_COLOR is set (pipes and CI logs get the summary line only)."""
    if not sys.stderr.isatty() or os.environ.get("NO_COLOR"):
        return None

    def show(done: int, total: int) -> None:
        sys.stderr.write(f"\r{done}/{total} {unit}")
        if done >= total:
            sys.stderr.write("\r\x1b[K")
        sys.stderr.flush()

    return show
