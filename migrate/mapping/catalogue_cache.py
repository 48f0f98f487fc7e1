"""The parsed catalogue (and the legacy spec's endpoints) kept between runs, so each command
does not re-read its YAML.

Reading and validating `mappings/*.yaml` costs 0.1 to 0.3 s on every command; unpickling the
result costs ~15 ms. The key covers everything the result depends on: each YAML file's path,
size and modification time, the code that reads them (this package and `migrate/pleo.py`),
the version, the interpreter and the working folder (locations in messages are relative to
it). Only a catalogue that validated is stored; a broken one is read, and refused, every time.
The cache is a convenience: any problem reading or writing it falls back to the YAML.

`cached_build` keeps what a consumer derives from the catalogue (the codemod's index) the same
way, keyed by the content of the files it reads, so that a run that finds it never imports the
YAML reader or the schema at all.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from migrate import __version__

T = TypeVar("T")
_CODE = Path(__file__).resolve().parent
_YAML_READER = "migrate.mapping.yaml_reader"


def cache_folder() -> Path:
    """`$XDG_CACHE_HOME/pleo-migrate`, else `~/.cache/pleo-migrate`."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pleo-migrate"


def cache_key(folder: Path, files: Sequence[Path] | None = None) -> str:
    """A digest of everything a catalogue read from `folder` depends on (or, given `files`,
    a read of just those files)."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{Path.cwd()}\0{folder}".encode())
    read = sorted(folder.glob("*.yaml")) if files is None else list(files)
    watched = read + sorted(_CODE.rglob("*.py"))
    watched.append(_CODE.parent / "pleo.py")
    for path in watched:
        stat = path.stat()
        digest.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def cached(folder: Path, read: Callable[[Path], T]) -> T:
    """`read(folder)`, or the result of an earlier identical read."""
    return _cached("catalogue", folder, None, read)


def cached_file(path: Path, read: Callable[[Path], T]) -> T:
    """`read(path)` of one file (the legacy spec: ~20 ms of YAML for every index built), or
    the result of an earlier read of the same file by the same code."""
    return _cached("file", path, [path], read)


def cached_build(
    kind: str,
    inputs: Sequence[Path],
    code: Sequence[Path],
    build: Callable[[], T],
    expect: type[T] | None = None,
) -> T:
    """`build()`, or its result from an earlier run that read the same `inputs` (by content)
    with the same `code` (this package's, plus the caller's modules named in `code`). Only a
    value `build` returned is stored (it raises for a broken catalogue: nothing is kept); a
    corrupt entry, or one that is not an `expect`, is built again and replaced."""
    try:
        path = cache_folder() / f"{kind}-{content_key(inputs, code)}.pickle"
    except (OSError, RuntimeError):  # no home folder, an unreadable file: no cache
        return build()
    return _load_or(path, build, expect, plain=True)


def content_key(inputs: Sequence[Path], code: Sequence[Path]) -> str:
    """A digest of the inputs' names and bytes, and of the code's names, sizes and times."""
    digest = hashlib.sha256(f"{__version__}\0{sys.version}\0{Path.cwd()}".encode())
    for path in inputs:
        digest.update(f"\0{path}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    for path in [*code, *sorted(_CODE.rglob("*.py")), _CODE.parent / "pleo.py"]:
        stat = path.stat()
        digest.update(f"\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:32]


def _load_or(
    path: Path, build: Callable[[], T], expect: type[T] | None = None, plain: bool = False
) -> T:
    try:
        with path.open("rb") as stream:
            value: T = pickle.load(stream)  # our own file, in the user's own cache folder
        if expect is None or isinstance(value, expect):
            return value
    except Exception:  # missing, stale, corrupt or from other code: build it again
        pass
    value = build()
    _store(path, value, plain)
    return value


def _cached(kind: str, where: Path, files: Sequence[Path] | None, read: Callable[[Path], T]) -> T:
    try:
        path = cache_folder() / f"{kind}-{cache_key(where, files)}.pickle"
    except (OSError, RuntimeError):  # no home folder, an unreadable file: no cache
        return read(where)
    return _load_or(path, lambda: read(where))


class _PlainPickler(pickle.Pickler):
    """Stores the YAML reader's located dicts and lists (a mapping used as a field's default)
    as plain ones: their line numbers served validation, which a stored value has passed,
    and loading them back would import the YAML reader."""

    def reducer_override(self, obj: object) -> Any:
        kind = type(obj)
        if kind.__module__ == _YAML_READER and isinstance(obj, dict):
            return dict, (dict(obj),)
        if kind.__module__ == _YAML_READER and isinstance(obj, list):
            return list, (list(obj),)
        return NotImplemented


def _store(path: Path, value: object, plain: bool = False) -> None:
    import tempfile  # only to write: a run that finds its entries never needs it

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-")
        with os.fdopen(fd, "wb") as stream:
            kind = _PlainPickler if plain else pickle.Pickler
            kind(stream, protocol=pickle.HIGHEST_PROTOCOL).dump(value)
        os.replace(temporary, path)
    except Exception:  # a read-only home, a full disk: the next run reads the YAML again
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
        return
    _prune(path)


KEEP = 32  # entries of each kind kept: one per catalogue folder, version and working folder


def _prune(kept: Path) -> None:
    """Remove the oldest entries of the kind just stored beyond the newest `KEEP`: every
    upgrade, edited mapping file or other working folder writes a new entry, and the folder
    grew without end (a gigabyte on a developer's machine). Only written entries are
    counted; a removed one that is needed again is built again."""
    prefix = kept.name[: -len(".pickle")].rpartition("-")[0] + "-"
    try:
        entries = [
            entry for entry in os.scandir(kept.parent)
            if entry.name.startswith(prefix) and entry.name.endswith(".pickle")
            and entry.name[len(prefix) : -len(".pickle")].isalnum()
        ]
        if len(entries) <= KEEP:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns, reverse=True)
    except OSError:
        return
    for entry in entries[KEEP:]:
        if entry.path != str(kept):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
