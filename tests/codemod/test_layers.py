"""The codemod reads bottom-up: each layer imports only from its own floor or below, there is
no import circle inside it, and the rest of the project uses it through its face only."""

from __future__ import annotations

import ast
from pathlib import Path

import migrate.codemod

ROOT = Path(__file__).resolve().parents[2]
CODEMOD = ROOT / "migrate" / "codemod"
FACE = "migrate.codemod"

# Floor of each codemod module (by dotted name below migrate.codemod), lowest first.
FLOORS: tuple[tuple[str, ...], ...] = (
    ("text.", "file_results"),
    ("find.", "scan"),
    ("rule", "rulekit", "library_swap", "lost_reads", "runtime_filters",
     "flow_code", "flow_senders", "legacy_fields", "read_adapter"),
    ("rules.", "request_edits", "keyword_query", "todo", "generic_helpers", "helper_twin",
     "unit_split", "request_dispatch"),
    ("registry", "site_report", "holdback", "split"),
    ("apply", "sarif"),
    ("one_file",),
    ("run",),
)


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> set[str]:
    """Every module a file imports (`from a import b` counts `a` and, if it is one, `a.b`)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _codemod_modules() -> dict[str, set[str]]:
    """Each codemod module and the codemod modules it imports (names below migrate.codemod)."""
    known = {_module_name(path) for path in CODEMOD.rglob("*.py")}
    graph = {}
    for path in CODEMOD.rglob("*.py"):
        name = _module_name(path)
        graph[name] = {item for item in _imports(path) if item in known and item != name}
    return graph


def _floor(name: str) -> int | None:
    short = name.removeprefix(FACE + ".")
    for number, members in enumerate(FLOORS):
        for member in members:
            if short.startswith(member) if member.endswith(".") else short == member:
                return number
    return None


def test_every_codemod_module_has_a_floor() -> None:
    packages = {FACE, f"{FACE}.text", f"{FACE}.find", f"{FACE}.rules"}
    assert [
        name for name in _codemod_modules() if name not in packages and _floor(name) is None
    ] == []


def test_no_codemod_module_imports_from_a_higher_floor() -> None:
    upward = []
    for name, imported in _codemod_modules().items():
        floor = _floor(name)
        if floor is None:
            continue
        for target in imported:
            target_floor = _floor(target)
            if target_floor is not None and target_floor > floor:
                upward.append(f"{name} → {target}")
    assert upward == []


def test_no_import_circle_inside_the_codemod() -> None:
    graph = _codemod_modules()
    done: set[str] = set()

    def visit(name: str, path: tuple[str, ...]) -> None:
        assert name not in path, " → ".join((*path[path.index(name) :], name))
        if name in done:
            return
        for target in sorted(graph.get(name, ())):
            visit(target, (*path, name))
        done.add(name)

    for name in sorted(graph):
        visit(name, ())


def test_other_packages_use_the_face_only() -> None:
    inside = []
    for folder in ("migrate", "bench"):
        for path in (ROOT / folder).rglob("*.py"):
            if CODEMOD in path.parents:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.ImportFrom) and node.module:
                    if node.module.startswith(FACE + "."):
                        inside.append(f"{path.relative_to(ROOT)}: {node.module}")
                    elif node.module == FACE:
                        missing = [
                            a.name for a in node.names if a.name not in migrate.codemod.__all__
                        ]
                        assert missing == [], f"{path.relative_to(ROOT)} imports {missing}"
                elif isinstance(node, ast.Import):
                    inside.extend(
                        f"{path.relative_to(ROOT)}: {alias.name}"
                        for alias in node.names
                        if alias.name.startswith(FACE + ".")
                    )
    assert inside == []


def test_the_face_exports_what_it_names() -> None:
    for name in migrate.codemod.__all__:
        assert hasattr(migrate.codemod, name), name
