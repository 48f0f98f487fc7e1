"""The parsed catalogue is reused between runs, and never when its files changed."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from migrate.errors import CatalogueError
from migrate.mapping import catalogue_cache, load_located
from migrate.mapping.catalogue_cache import cached, cached_build
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


# --- cached_build: what a consumer derives from the catalogue, keyed by content ---------------


def _builder(calls: list[int], value: object) -> object:
    def build() -> object:
        calls.append(1)
        return value

    return build


def test_a_derived_value_is_kept_by_content_not_by_time(folder: Path) -> None:
    inputs = sorted(folder.glob("*.yaml"))
    calls: list[int] = []
    assert cached_build("t", inputs, [], _builder(calls, {"a": 1})) == {"a": 1}  # type: ignore[arg-type]
    teams = folder / "teams.yaml"
    stat = teams.stat()
    os.utime(teams, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # touched only
    assert cached_build("t", inputs, [], _builder(calls, {"a": 2})) == {"a": 1}  # type: ignore[arg-type]
    teams.write_text(teams.read_text(encoding="utf-8") + "\n", encoding="utf-8")  # edited
    assert cached_build("t", inputs, [], _builder(calls, {"a": 3})) == {"a": 3}  # type: ignore[arg-type]
    assert len(calls) == 2


@pytest.mark.parametrize("damage", [b"", b"not a pickle", pickle.dumps(["a list"])])
def test_a_damaged_entry_is_built_again_and_replaced(
    folder: Path, tmp_path: Path, damage: bytes
) -> None:
    inputs = sorted(folder.glob("*.yaml"))
    calls: list[int] = []
    cached_build("t", inputs, [], _builder(calls, {"a": 1}), dict)  # type: ignore[arg-type]
    (entry,) = (tmp_path / "cache" / "pleo-migrate").glob("t-*.pickle")
    entry.write_bytes(damage)
    assert cached_build("t", inputs, [], _builder(calls, {"a": 1}), dict) == {"a": 1}  # type: ignore[arg-type]
    assert len(calls) == 2 and pickle.loads(entry.read_bytes()) == {"a": 1}


def test_a_failed_build_stores_nothing(folder: Path, tmp_path: Path) -> None:
    def broken() -> object:
        raise CatalogueError("teams.yaml:1: broken")

    for _ in range(2):
        with pytest.raises(CatalogueError):
            cached_build("t", sorted(folder.glob("*.yaml")), [], broken)
    assert not list((tmp_path / "cache" / "pleo-migrate").glob("t-*"))
    assert not list((tmp_path / "cache" / "pleo-migrate").glob(".catalogue-*"))


def test_yaml_s_located_containers_are_kept_as_plain_ones(folder: Path) -> None:
    """A stored value must load without the YAML reader: a mapping a field took as its default
    comes back as the plain dict it stands for."""
    located = load_located(folder / "teams.yaml")
    inputs = [folder / "teams.yaml"]
    cached_build("t", inputs, [], lambda: {"doc": located})
    loaded = cached_build("t", inputs, [], lambda: {"doc": None})
    assert loaded == {"doc": located} and type(loaded["doc"]) is dict
    assert type(located).__module__ == "migrate.mapping.yaml_reader"


def test_the_cache_keeps_the_newest_entries_of_each_kind(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache" / "pleo-migrate"
    cache.mkdir(parents=True)
    for number in range(catalogue_cache.KEEP + 5):  # entries left by older versions
        stale = cache / f"catalogue-{number:032x}.pickle"
        stale.write_bytes(b"old")
        os.utime(stale, ns=(number * 1_000_000_000, number * 1_000_000_000))
    other = cache / "codemod-index-0123456789abcdef0123456789abcdef.pickle"
    other.write_bytes(b"another kind")
    os.utime(other, ns=(0, 0))
    cached(folder, read_folder)  # writes a new catalogue entry
    kept = sorted(path.name for path in cache.glob("catalogue-*.pickle"))
    assert len(kept) == catalogue_cache.KEEP
    assert f"catalogue-{0:032x}.pickle" not in kept  # the oldest went
    assert f"catalogue-{catalogue_cache.KEEP + 4:032x}.pickle" in kept
    assert other.exists()  # another kind is not counted against this one
    calls: list[Path] = []
    cached(folder, _counting(calls))  # type: ignore[arg-type]
    assert calls == []  # the entry just written is among those kept
