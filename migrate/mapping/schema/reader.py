"""Reads one mapping file's nodes: located failures, mappings, texts, unknown keys.

Every failure is a `CatalogueError` at `file:line`, with the operation id and the field path
when there is one, so a broken catalogue is fixed from one line of output.
"""

from __future__ import annotations

from typing import Any

from migrate.errors import CatalogueError
from migrate.mapping.yaml_reader import LocatedDict


class Reader:
    """Reads one file; knows its name for error messages."""

    def __init__(self, display: str) -> None:
        self.display = display

    def fail(
        self, problem: str, line: int | None, *, op: str | None = None, field: str | None = None
    ) -> CatalogueError:
        return CatalogueError(problem, file=self.display, line=line, operation=op, field=field)

    def mapping(self, value: Any, line: int, what: str, **ctx: Any) -> LocatedDict:
        if not isinstance(value, LocatedDict):
            raise self.fail(f"{what} must be a mapping, got {kind_of(value)}", line, **ctx)
        return value

    def no_unknown_keys(self, node: LocatedDict, allowed: set[str], what: str, **ctx: Any) -> None:
        for key in node:
            if key not in allowed:
                raise self.fail(
                    f"unknown key {key!r} in {what} (allowed: {', '.join(sorted(allowed))})",
                    node.line_of(key),
                    **ctx,
                )

    def text(self, node: LocatedDict, key: str, what: str, **ctx: Any) -> str:
        value = node.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(f"{what} needs a non-empty text {key!r}", node.line_of(key), **ctx)
        return value


def kind_of(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "a text"
    return type(value).__name__
