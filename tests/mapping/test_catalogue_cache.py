"""The parsed catalogue is reused between runs, and never when its files changed."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from migrate.errors import CatalogueError
from migrate.mapping.catalogue_cache import cached
from migrate.mapping.schema import RawCatalogue, read_folder
from migrate.resources import mappings_dir


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    copy = tmp_path / "mappings"
    shutil.copytree(mappings_dir(), copy)
    return copy


def _counting(calls: list[Path]) -> object:
    def read(path: Path) -> RawCatalogue:
        calls.append(path)
        return read_folder(path)

    return read


def test_a_second_read_comes_from_the_cache(folder: Path, tmp_path: Path) -> None:
    calls: list[Path] = []
    first = cached(folder, _counting(calls))  # type: ignore[arg-type]
    second = cached(folder, _counting(calls))  # type: ignore[arg-type]
    assert len(calls) == 1 and first == second
    assert list((tmp_path / "cache" / "pleo-migrate").glob("catalogue-*.pickle"))


def test_a_changed_file_is_read_again(folder: Path) -> None:
    calls: list[Path] = []
    cached(folder, _counting(calls))  # type: ignore[arg-type]
    teams = folder / "teams.yaml"
    teams.write_text(teams.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    stat = teams.stat()
    os.utime(teams, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    cached(folder, _counting(calls))  # type: ignore[arg-type]
    assert len(calls) == 2


def test_a_broken_catalogue_is_refused_every_time(folder: Path) -> None:
    (folder / "teams.yaml").write_text("operations: [\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(CatalogueError):
            cached(folder, read_folder)
