"""The parsed catalogue (and the legacy spec's endpoints) kept between runs, so each command
does not re-read its YAML.

Reading and validating `mappings/*.yaml` costs 0.1 to 0.3 s on every command; unpickling the
result costs ~15 ms. The key covers everything the result depends on: each YAML file's path,
size and modification time, the code that reads them (this package and `migrate/pleo.py`),
the version, the interpreter and the working folder (locations in messages are relative to
it). Only a catalogue that validated is stored; a broken one is read, and refused, every time.
The cache is a convenience: any problem reading or writing it falls back to the YAML.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from migrate import __version__

T = TypeVar("T")
_CODE = Path(__file__).resolve().parent


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


def _cached(kind: str, where: Path, files: Sequence[Path] | None, read: Callable[[Path], T]) -> T:
    try:
        path = cache_folder() / f"{kind}-{cache_key(where, files)}.pickle"
    except (OSError, RuntimeError):  # no home folder, an unreadable file: no cache
        return read(where)
    try:
        with path.open("rb") as stream:
            value: T = pickle.load(stream)  # our own file, in the user's own cache folder
        return value
    except Exception:  # missing, stale, unreadable or from other code: read the YAML
        pass
    value = read(where)
    _store(path, value)
    return value


def _store(path: Path, value: object) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=".catalogue-")
        with os.fdopen(fd, "wb") as stream:
            pickle.dump(value, stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except Exception:  # a read-only home, a full disk: the next run reads the YAML again
        return
