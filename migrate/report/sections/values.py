"""Plain values read leniently from input documents: a missing or odd count is 0, not a crash."""

from __future__ import annotations

from typing import Any


def count(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None
