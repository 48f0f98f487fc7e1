"""Parametrising the tests of a client corpus (`test_holdout.py`, `test_holdout2.py`): one
param per call or per module, each marked `xfail(strict=True)` from a table that names what
the codemod does not do yet, so that a fix flips a row and the suite says so."""

from __future__ import annotations

import ast
import json
from collections.abc import Callable, Sequence
from typing import Any

import pytest

from migrate.mapping.catalogue import Catalogue
from migrate.simulator.testing import SimulatorHandle
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import CorpusModule

ALL = frozenset({"*"})  # every call of the module (tables compare by identity)
Table = dict[str, tuple[str, frozenset[str]]]  # module → (reason, the calls it covers)


def xfail_marks(reason: str | None) -> list[pytest.MarkDecorator]:
    return [pytest.mark.xfail(strict=True, reason=reason)] if reason else []


def call_params(
    modules: Sequence[CorpusModule], table: Table, native: bool, catalogue: Catalogue
) -> list[Any]:
    """(module, call) for every call; for the native strategy, only calls with an equivalent."""
    params = []
    for module in modules:
        for call in module.calls:
            if native and call.has_gap(catalogue):
                continue  # no automatic native rewrite exists for it
            reason, calls = table.get(module.name, (None, frozenset()))
            known = reason if calls is ALL or call.label in calls else None
            params.append(pytest.param(module.name, call.label, id=f"{module.name}.{call.label}",
                                       marks=xfail_marks(known)))
    return params


def module_params(
    modules: Sequence[CorpusModule],
    strategies: tuple[str, ...],
    known: dict[tuple[str, str], str],
    negatives: bool = True,
) -> list[Any]:
    """(strategy, module) for every module (the negatives too, unless told not to)."""
    return [
        pytest.param(strategy, module.name, id=f"{strategy}-{module.name}",
                     marks=xfail_marks(known.get((strategy, module.name))))
        for strategy in strategies for module in modules if negatives or not module.negative
    ]


def imports_of(source: str) -> set[str]:
    """The top-level packages a module imports (absolute imports only)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module.split(".")[0])
    return names


def measured_fixture(
    by_name: Callable[[str], CorpusModule], catalogue: Catalogue
) -> Any:
    """A module-scoped fixture measuring each module once per test module (read-only ones
    share a simulator)."""

    @pytest.fixture(scope="module")
    def measured(simulator: SimulatorHandle) -> Callable[[str], harness.ModuleReport]:
        cache: dict[str, harness.ModuleReport] = {}

        def get(name: str) -> harness.ModuleReport:
            if name not in cache:
                cache[name] = harness.measure(by_name(name), simulator, catalogue=catalogue)
            return cache[name]

        return get

    return measured


def scanned_ops(module: CorpusModule) -> set[str]:
    """The operations `scan -o json` names in one corpus module."""
    from tests.cli_runner import invoke

    result = invoke(["scan", str(module.path), "-o", "json", "--jobs", "1"])
    assert result.exit_code in (0, 1), result.stderr[-500:]
    return {site["operation"] for site in json.loads(result.stdout)["call_sites"]
            if site["operation"]}


def manifest_ops(module: CorpusModule, invented: str) -> set[str]:
    """The operations the manifest says the module calls (invented endpoints aside)."""
    return {op for call in module.calls for op in call.ops if not op.startswith(invented)}
