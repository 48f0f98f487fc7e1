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
    sys.exit(run(argv))


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
    except Exception as exc:
        if os.environ.get("PLEO_MIGRATE_DEBUG") == "1":
            raise
        sys.stderr.write(  # the type only: a message may carry data, even a secret
            f"pleo-migrate: internal error: {type(exc).__name__}\n"
            "This is a bug in pleo-migrate; rerun with PLEO_MIGRATE_DEBUG=1 for details.\n"
        )
        return EXIT_INTERNAL
