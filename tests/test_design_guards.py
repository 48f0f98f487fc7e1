"""Guards for the shape of migrate/: no import cycles, and one name for one job.

Both read the source with `ast`; nothing is imported.
"""

from __future__ import annotations

import ast
from collections import defaultdict
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "migrate"

# Names that several modules or packages may share, each with the exact set of owners allowed
# to share it and why. Anything else sharing a name is two jobs under one name.
SHARED_NAMES: dict[str, tuple[frozenset[str], str]] = {
    "__init__": (frozenset(), "every package has one"),
    "__main__": (frozenset(), "`python -m` entry points"),
    "demo": (frozenset({"cli/demo.py", "demo.py"}),
             "cli/demo.py is the `demo` command for the demo module"),
    "proxy": (frozenset({"cli/proxy.py", "compat/proxy.py"}),
              "cli/proxy.py is the `proxy` command for the compat layer's proxy"),
    "shadow": (frozenset({"cli/shadow.py", "shadow/"}),
               "cli/shadow.py is the `shadow` command for the shadow package"),
    "report": (frozenset({"cli/report.py", "report/"}),
               "cli/report.py is the `report` command for the report package"),
    "codemod": (frozenset({"cli/codemod.py", "codemod/"}),
                "cli/codemod.py holds the `scan` and `rewrite` commands of the codemod"),
    "doctor": (frozenset({"cli/doctor.py", "doctor/"}),
               "cli/doctor.py is the `doctor` command for the doctor package"),
    "paging": (frozenset({"codemod/rules/paging.py", "simulator/paging.py"}),
               "a rewrite rule's module is named after its stable rule name (PLM107 `paging`)"),
}


def _owners() -> dict[str, set[str]]:
    """Every module and package name under migrate/, with the paths that carry it."""
    owners: dict[str, set[str]] = defaultdict(set)
    for path in PACKAGE.rglob("*.py"):
        relative = path.relative_to(PACKAGE).as_posix()
        if "_bundled" in relative:
            continue
        owners[path.stem].add(relative)
        if path.name == "__init__.py" and path.parent != PACKAGE:
            owners[path.parent.name].add(path.parent.relative_to(PACKAGE).as_posix() + "/")
    return owners


def _shared_for_different_jobs() -> dict[str, set[str]]:
    found = {}
    for name, paths in _owners().items():
        if len(paths) < 2:
            continue
        allowed, _ = SHARED_NAMES.get(name, (None, ""))
        if allowed is not None and (not allowed or paths <= allowed):
            continue
        found[name] = paths
    return found


def test_the_allowed_shared_names_are_real() -> None:
    owners = _owners()
    for name, (allowed, reason) in SHARED_NAMES.items():
        assert reason, name
        for path in allowed:
            assert path in owners[name], f"{name}: {path} does not exist; drop it from the list"


def test_no_two_modules_share_a_name_for_different_jobs() -> None:
    assert _shared_for_different_jobs() == {}


def test_the_name_check_finds_a_clash() -> None:
    """The check is honest: today's known clashes are among what it reports."""
    found = _shared_for_different_jobs()
    if not found:
        pytest.skip("no clash left to find: the renames have landed")
    assert set(found) <= {"engine", "runner", "transport", "flows", "ratelimit", "results",
                          "report"}, found


# --- import cycles -----------------------------------------------------------------------------


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(tree: ast.Module) -> list[ast.Import | ast.ImportFrom]:
    """Every import of a module: at the top, in functions, and under TYPE_CHECKING.

    A circle hidden behind a function-level import or TYPE_CHECKING is still two modules that
    need each other; that is what this guard is about, not import-time errors.
    """
    return [node for node in ast.walk(tree) if isinstance(node, ast.Import | ast.ImportFrom)]


def import_graph() -> dict[str, set[str]]:
    """migrate's modules and the modules of migrate each imports at import time."""
    files = {_module_name(p): p for p in PACKAGE.rglob("*.py") if "_bundled" not in p.parts}
    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in _imports(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*anchor, base] if base else anchor)
                targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base
                           for alias in node.names]
            graph[name].update(t for t in targets if t in files and t != name)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycle_in_migrate() -> None:
    assert cycles(import_graph()) == []


def test_the_cycle_check_finds_a_cycle() -> None:
    """The check is honest: a planted two-module circle is found, a chain is not."""
    assert cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    graph = import_graph()
    assert "migrate.mapping.catalogue" in graph["migrate.mapping"]  # edges are really read
