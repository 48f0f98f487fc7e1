"""The `pleo-migrate` command line: parses, calls the library, prints, picks exit codes.

Exit codes (every subcommand): 0 clean; 1 findings; 2 usage, configuration or safety refusal;
123 internal error. No traceback reaches the user unless PLEO_MIGRATE_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from typing import Any

from migrate.cli.fast_path import parse_scan
from migrate.errors import EXIT_INTERNAL, PleoMigrateError


def __getattr__(name: str) -> Any:
    """`app`, the typer application, imported only when asked for (typer costs ~30 ms)."""
    if name == "app":
        from migrate.cli.root import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; never lets an exception escape as a traceback."""
    args = list(argv) if argv is not None else sys.argv[1:]
    _terminate_as_interrupt()
    code = run(args)
    if parse_scan(args) is not None:
        _exit_now(code)
    sys.exit(code)


def _terminate_as_interrupt() -> None:
    """SIGTERM (a CI time-out, `docker stop`, a supervisor) stops any command as Ctrl-C does,
    whatever phase it is in: "interrupted", exit 130, nothing half-written. Before, it did so
    only while workers ran, and a SIGTERM while files were still being found ended the process
    with no word. Commands that serve (`proxy`, `simulate`) install their own handlers."""
    import signal

    signal.signal(signal.SIGTERM, signal.default_int_handler)


def _exit_now(code: int) -> None:
    """End a plain scan without tearing the interpreter down: freeing the analysis, the
    catalogue and every module one object at a time costs ~15 ms, as much as a scan of a
    small tree. Its output is flushed first, and nothing else of a scan waits for the exit (no
    exit hook, thread or temporary file). A stream that cannot be flushed, or coverage.py
    (it writes its data at exit), leaves the ordinary exit to do its work."""
    if "coverage" in sys.modules:
        return
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        return
    os._exit(code)


EXIT_CLOSED_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a writer whose reader left


def _discard_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command line: a plain `scan` without typer (`fast_path.py`), the rest through
    the typer application (`root.py`); either way one error style and the same exit codes."""
    args = list(argv) if argv is not None else sys.argv[1:]
    try:
        plain_scan = parse_scan(args)
        if plain_scan is not None:
            from migrate.cli.scan_run import scan

            return scan(
                list(plain_scan.paths), plain_scan.output_format, plain_scan.jobs,
                plain_scan.mappings,
            )
        from migrate.cli.root import invoke

        return invoke(args)
    except PleoMigrateError as exc:
        sys.stderr.write(f"pleo-migrate: error: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("pleo-migrate: interrupted\n")
        return 130
    except BrokenPipeError:
        # the reader went away (`pleo-migrate scan . | head`): stop quietly, as `grep` does,
        # with the shell's code for a closed pipe; the final flush must not fail again
        _discard_stdout()
        return EXIT_CLOSED_PIPE
    except Exception as exc:
        if os.environ.get("PLEO_MIGRATE_DEBUG") == "1":
            raise
        sys.stderr.write(  # the type only: a message may carry data, even a secret
            f"pleo-migrate: internal error: {type(exc).__name__}\n"
            "This is a bug in pleo-migrate; rerun with PLEO_MIGRATE_DEBUG=1 for details.\n"
        )
        return EXIT_INTERNAL
