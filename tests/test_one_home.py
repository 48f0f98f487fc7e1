"""Pleo's fixed facts are spelt in `migrate/pleo.py` only (the simulator keeps its own copy).

Strings in code count; docstrings and comments do not, since prose may name a host. The
files are parsed, not grepped, so a docstring never hides or fakes a finding.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from pathlib import Path

from migrate import pleo

PACKAGE = Path(pleo.__file__).parent
EXEMPT = (PACKAGE / "pleo.py", PACKAGE / "simulator")

# The acceptance check: hosts (both environments), the API-key variable, Retry-After.
ACCEPTANCE = (*pleo.LEGACY_HOSTS, *pleo.NEW_HOSTS, pleo.API_KEY_VAR, pleo.RETRY_AFTER)
# Every fact in the same sense: every PLEO_* variable pleo names, the legacy next-page key,
# and Retry-After in any case (header names are case-insensitive).
EVERY_FACT = tuple(
    dict.fromkeys(
        (
            *ACCEPTANCE,
            *(value for name, value in vars(pleo).items() if name.endswith("_VAR")),
            pleo.LEGACY_NEXT_OFFSET,
        )
    )
)


def _docstrings(tree: ast.Module) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            first = node.body[0] if node.body else None
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def spellings(
    needles: Iterable[str], root: Path = PACKAGE, *, any_case: bool = False
) -> Iterator[str]:
    """`file:line: needle` for each string in code (not a docstring) that holds a needle."""
    fold = str.lower if any_case else str
    needles = tuple(needles)
    for path in sorted(root.rglob("*.py")):
        if any(path == exempt or exempt in path.parents for exempt in EXEMPT):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _docstrings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if id(node) in skip:
                    continue
                for needle in needles:
                    if fold(needle) in fold(node.value):
                        yield f"{path.relative_to(root.parent)}:{node.lineno}: {needle}"


def test_the_finder_sees_code_strings_and_skips_prose(tmp_path: Path) -> None:
    (tmp_path / "sample.py").write_text(
        '"""openapi.pleo.io in a docstring is prose."""\n'
        "# PLEO_API_KEY in a comment is prose\n"
        'HOST = "openapi.pleo.io"\n'
        'HEADER = f"retry-after: {HOST}"\n',
        encoding="utf-8",
    )
    here = f"{tmp_path.name}/sample.py"
    assert list(spellings(ACCEPTANCE, tmp_path)) == [f"{here}:3: openapi.pleo.io"]
    assert list(spellings(ACCEPTANCE, tmp_path, any_case=True)) == [
        f"{here}:3: openapi.pleo.io",
        f"{here}:4: Retry-After",
    ]


def test_acceptance_hosts_api_key_variable_and_retry_after_live_in_pleo_only() -> None:
    assert list(spellings(ACCEPTANCE)) == []


def test_every_pleo_fact_lives_in_pleo_only() -> None:
    assert list(spellings(EVERY_FACT, any_case=True)) == []
