"""A run's output files, written under temporary names and put in place together at the end.

An interrupted run then leaves the previous run's set whole (or nothing), never a new partial
results.jsonl beside an old summary.json. Temporary files are created fresh (never opened
through an existing name) and the final names are replaced by rename, so a symlink planted at
an output path is replaced, not written through.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import IO

from migrate.errors import ConfigurationError

_FRESH = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)


def open_fresh(path: Path, mode: int = 0o644) -> IO[str]:
    """A new file at `path` for writing text; refuses a name that exists (file or link)."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, _FRESH, mode)
    except OSError as exc:
        raise ConfigurationError(f"cannot write {path}: {exc.strerror}") from None
    return os.fdopen(fd, "w", encoding="utf-8")


class StagedFiles:
    """Final names in `out`, each written first as `.NAME.<run>.partial` beside it."""

    def __init__(self, out: Path, run_id: str) -> None:
        self.out = out
        self._tag = f".{run_id[:12]}.partial"
        self._pending: list[tuple[Path, Path]] = []

    def path(self, name: str) -> Path:
        """Where to write the file that will be `out/name` once the run completes."""
        temporary = self.out / f".{name}{self._tag}"
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()  # left by a killed run with the same id (a replay)
        self._pending.append((temporary, self.out / name))
        return temporary

    def write_text(self, name: str, text: str) -> Path:
        with open_fresh(self.path(name)) as handle:
            handle.write(text)
        return self.out / name

    def commit(self) -> list[Path]:
        """Rename every file into place, the last one given last (summary.json: the file a
        reader checks the others against)."""
        done = []
        for temporary, final in self._pending:
            try:
                os.replace(temporary, final)
            except OSError as exc:
                raise ConfigurationError(f"cannot write {final}: {exc.strerror}") from None
            done.append(final)
        self._pending.clear()
        return done

    def discard(self) -> None:
        """Remove the temporary files of a run that did not finish."""
        for temporary, _ in self._pending:
            with contextlib.suppress(OSError):
                temporary.unlink()
        self._pending.clear()
