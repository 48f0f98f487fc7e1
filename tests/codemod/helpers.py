"""Running the codemod on source text in memory, against a frozen copy of the catalogue.

The rule tables test mechanisms, so they use `fixtures/mappings` (a copy of the catalogue as
it was when they were written): a change to the shipped catalogue's content does not change
what these tables mean. Tests of the examples and the CLI use the shipped catalogue.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable
from pathlib import Path

from migrate.codemod import CallSite, FileResult, Job, select
from migrate.codemod.file_results import Strategy
from migrate.codemod.one_file import process_bytes

FIXTURE_MAPPINGS = str(Path(__file__).resolve().parent / "fixtures" / "mappings")


def code(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def result_for(
    source: str | bytes,
    rules: str | Iterable[str] | None = None,
    strategy: Strategy = "native",
    path: str = "example.py",
) -> FileResult | None:
    only = [rules] if isinstance(rules, str) else list(rules or [])
    job = Job("diff", strategy, select(strategy, only), FIXTURE_MAPPINGS, diff=True)
    raw = source if isinstance(source, bytes) else code(source).encode()
    return process_bytes(path, raw, job)


def rewrite(
    source: str, rules: str | Iterable[str] | None = None, strategy: Strategy = "native"
) -> str:
    """The rewritten text (the input itself when nothing changes); fails on a failed file."""
    result = result_for(source, rules, strategy)
    if result is None or result.status == "unchanged":
        return code(source)
    assert result.status == "changed", f"{result.status}: {result.location}: {result.reason}"
    assert result.new_bytes is not None
    return result.new_bytes.decode()


def scan(source: str | bytes) -> tuple[CallSite, ...]:
    job = Job("scan", "native", select("native"), FIXTURE_MAPPINGS)
    raw = source if isinstance(source, bytes) else code(source).encode()
    result = process_bytes("example.py", raw, job)
    return () if result is None else result.sites


def check(before: str, after: str | None, rules: str | Iterable[str] | None, **kw: str) -> None:
    """`before` rewritten gives `after` (None: the text stays exactly as it was)."""
    expected = code(before) if after is None else code(after)
    assert rewrite(before, rules, **kw) == expected  # type: ignore[arg-type]


def drop_method(source: str, name: str) -> str:
    """The source without one method of its class (by its `def` line and indented body)."""
    lines = source.splitlines(keepends=True)
    start = next(i for i, line in enumerate(lines) if line.strip().startswith(f"def {name}("))
    indent = len(lines[start]) - len(lines[start].lstrip())
    end = start + 1
    while end < len(lines) and (
        not lines[end].strip() or len(lines[end]) - len(lines[end].lstrip()) > indent
    ):
        end += 1
    return "".join(lines[:start] + lines[end:])
