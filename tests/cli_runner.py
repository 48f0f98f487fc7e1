"""Run `pleo-migrate` in-process exactly as the console script does, capturing both streams.

Tests go through `migrate.cli.run`, so they see the real error handling and exit codes.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass

from migrate.cli import run


@dataclass(frozen=True)
class Result:
    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


@contextlib.contextmanager
def _environ(changes: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.update(changes)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def invoke(args: Sequence[str], env: Mapping[str, str] | None = None) -> Result:
    out, err = io.StringIO(), io.StringIO()
    with (
        _environ(dict(env or {})),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        code = run(list(args))
    return Result(code, out.getvalue(), err.getvalue())
