"""Where the CLI writes: data to stdout, progress and summaries to stderr, colour only on a TTY.

Rich honours NO_COLOR by itself; when output is not a terminal we also widen the virtual page
so tables are not wrapped at 80 columns in pipes and CI logs.
"""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from typing import Any

from rich.console import Console


class OutputFormat(StrEnum):
    text = "text"
    json = "json"


def _console(stream: Any) -> Console:
    is_tty = hasattr(stream, "isatty") and stream.isatty()
    return Console(
        file=stream, width=None if is_tty else 160, highlight=False, soft_wrap=not is_tty
    )


def stdout() -> Console:
    return _console(sys.stdout)


def stderr() -> Console:
    return _console(sys.stderr)


def print_json(data: Any) -> None:
    """Machine-readable output: plain JSON, one document, on stdout."""
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n")
