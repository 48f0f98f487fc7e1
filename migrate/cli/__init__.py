"""The `pleo-migrate` command line: parses, calls the library, prints, picks exit codes.

Exit codes (every subcommand): 0 clean; 1 findings; 2 usage, configuration or safety refusal;
123 internal error. No traceback reaches the user unless PLEO_MIGRATE_DEBUG=1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

import typer

from migrate import __version__, pleo
from migrate.cli import codemod, demo, doctor, mappings, proxy, report, shadow, simulate
from migrate.errors import EXIT_INTERNAL, EXIT_USAGE, PleoMigrateError

app = typer.Typer(
    name="pleo-migrate",
    help=f"Move integrations off Pleo's legacy API ({pleo.legacy_host()}) onto the new API.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pleo-migrate {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False, "--version", callback=_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Move integrations off Pleo's legacy API (openapi.pleo.io) onto the new API."""


mappings.register(app)
codemod.register(app)
proxy.register(app)
simulate.register(app)
report.register(app)
shadow.register(app)
demo.register(app)
doctor.register(app)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point; never lets an exception escape as a traceback."""
    sys.exit(run(argv))


def run(argv: Sequence[str] | None = None) -> int:
    try:
        result = app(
            args=list(argv) if argv is not None else None,
            standalone_mode=False,
            prog_name="pleo-migrate",
        )
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("pleo-migrate: interrupted\n")
        return 130
    except typer.TyperException as exc:  # click's usage errors, as vendored by typer
        show = getattr(exc, "show", None)
        if callable(show):
            show()
        else:
            sys.stderr.write(f"pleo-migrate: error: {exc}\n")
        return EXIT_USAGE
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
    return result if isinstance(result, int) else 0
