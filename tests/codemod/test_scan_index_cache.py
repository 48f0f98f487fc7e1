"""The codemod's catalogue index is kept on disk between runs: the same index as one built from
the YAML, rebuilt when a catalogue file's content changes, and rebuilt when its entry is damaged.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from migrate.codemod.find import index
from migrate.mapping import catalogue as catalogue_module
from migrate.mapping import load_catalogue
from migrate.resources import mappings_dir
from tests.cli_runner import invoke

REPO = Path(__file__).resolve().parents[2]
LEGACY = (
    "import requests\n\n"
    'BASE = "https://openapi.pleo.io/v1"\n\n\n'
    "def teams():\n"
    '    return requests.get(BASE + "/teams").json()\n\n\n'
    "def expense(expense_id):\n"
    '    return requests.get(f"{BASE}/expenses/{expense_id}").json()\n'
)


@pytest.fixture
def catalogue(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the shipped catalogue, an empty cache, and no index kept in this process."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), copy)
    index._index.cache_clear()
    yield copy
    index._index.cache_clear()


def _counted(monkeypatch: pytest.MonkeyPatch) -> list[Path | None]:
    """Every catalogue the index module reads from YAML from now on."""
    reads: list[Path | None] = []

    def counting(folder: Path | None = None) -> object:
        reads.append(folder)
        return load_catalogue(folder)

    monkeypatch.setattr(index, "load_catalogue", counting)
    return reads


def _fresh(folder: Path) -> index.CatalogueIndex:
    """The index as a new process gets it (nothing kept in memory)."""
    index._index.cache_clear()
    catalogue_module._load.cache_clear()
    return index.catalogue_index(folder)


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "pleo-migrate").glob("codemod-index-*.pickle"))


def test_the_kept_index_is_the_index_built_from_the_yaml(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _counted(monkeypatch)
    built = _fresh(catalogue)
    kept = _fresh(catalogue)
    assert reads == [catalogue]  # the second came from disk
    assert kept is not built
    assert kept.facts == built.facts and kept.segments == built.segments
    assert list(kept.catalogue) == list(built.catalogue)
    assert kept.catalogue.models == built.catalogue.models
    for method, path in [("GET", "/expenses/x1"), ("POST", "/teams"), ("GET", "/nothing")]:
        assert kept.match(method, path) == built.match(method, path)
        assert kept.is_legacy_endpoint(method, path) == built.is_legacy_endpoint(method, path)
    assert kept.is_new_path("/v2/employees/x") == built.is_new_path("/v2/employees/x")


def test_an_edited_catalogue_file_is_read_again(
    catalogue: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads = _counted(monkeypatch)
    before = _fresh(catalogue).catalogue.get("teams.list").gap
    teams = catalogue / "teams.yaml"
    teams.write_text(
        teams.read_text(encoding="utf-8").replace("names and members", "names nor members"),
        encoding="utf-8",
    )
    after = _fresh(catalogue).catalogue.get("teams.list").gap
    assert len(reads) == 2 and before != after and "names nor members" in (after or "")


@pytest.mark.parametrize("damage", [b"", b"\x80\x05garbage", b"\x80\x04N."])
def test_a_damaged_entry_is_rebuilt_and_the_scan_is_unchanged(
    catalogue: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    code = tmp_path / "code"
    code.mkdir()
    (code / "client.py").write_text(LEGACY, encoding="utf-8")
    index._index.cache_clear()
    first = invoke(["scan", "-o", "json", "--mappings", str(catalogue), str(code)])
    (entry,) = _entries(tmp_path)
    entry.write_bytes(damage)
    reads = _counted(monkeypatch)
    index._index.cache_clear()
    again = invoke(["scan", "-o", "json", "--mappings", str(catalogue), str(code)])
    assert first.exit_code == again.exit_code == 1
    assert again.stdout == first.stdout and again.stderr == first.stderr
    assert reads == [catalogue] and _entries(tmp_path) == [entry]
    assert entry.read_bytes() != damage


def test_a_scan_with_a_kept_index_imports_no_typer_yaml_or_schema(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(LEGACY, encoding="utf-8")
    heavy = ("typer", "yaml", "pydantic", "migrate.mapping.schema", "migrate.mapping.yaml_reader")
    code = (
        "import sys\n"
        "from migrate.cli import run\n"
        f"exit_code = run(['scan', {str(tmp_path)!r}])\n"
        f"print(exit_code, [m for m in {heavy!r} if m in sys.modules])\n"
    )
    env = {"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": "/usr/bin:/bin"}
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO,
            env=env,
        ).stdout.strip().splitlines()[-1]
        for _ in range(2)
    ]
    assert runs[0].startswith("1 ") and "yaml" in runs[0]  # the first run read the YAML
    assert runs[1] == "1 []"
