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
from migrate.cli.lazy import HELP_OPTION_NAMES, LazyGroup, lazy_command
from migrate.errors import EXIT_INTERNAL, EXIT_USAGE, PleoMigrateError

app = typer.Typer(
    name="pleo-migrate",
    cls=LazyGroup,
    help=f"Move integrations off Pleo's legacy API ({pleo.legacy_host()}) onto the new API.",
    epilog="Exit codes: 0 clean; 1 findings; 2 usage, configuration or safety refusal; "
    "123 internal error.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": HELP_OPTION_NAMES},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"pleo-migrate {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        "-V",
        callback=_version,
        is_eager=True,
        help="Print the version and exit.",
    ),
) -> None:
    """Move integrations off Pleo's legacy API (openapi.pleo.io) onto the new API."""


# Each command's module is imported only when that command runs (start-up stays fast).
lazy_command(
    "scan",
    "migrate.cli.codemod",
    "Inventory legacy Pleo API calls: operation, method, URL, automatic or manual, scopes.",
)
lazy_command(
    "rewrite",
    "migrate.cli.codemod",
    "Rewrite legacy Pleo API calls: to the new API (native) or through migrate.compat.",
)
lazy_command(
    "doctor",
    "migrate.cli.doctor",
    "Check a key, its company, scopes and the catalogue's assumptions against Pleo (read-only).",
)
lazy_command("proxy", "migrate.cli.proxy", "Answer legacy Pleo paths from the new API.")
lazy_command("simulate", "migrate.cli.simulate", "Serve both simulated Pleo APIs on loopback.")
lazy_command("report", "migrate.cli.report", "The migration report: a cut-over plan on one page.")
lazy_command("shadow", "migrate.cli.shadow", "Call both APIs and compare every record.")
lazy_command("demo", "migrate.cli.demo", "The whole story on the embedded simulator.")
lazy_command("mappings", "migrate.cli.mappings", "Read and validate the mapping catalogue.")
lazy_command("cassettes", "migrate.cli.shadow", "Check recorded HTTP cassettes for secrets.")


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
        sys.stderr.write(f"pleo-migrate: error: {_usage_message(exc)}\n")
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


def _usage_message(exc: Exception) -> str:
    """A usage error in the one style of every other error, with where to read more."""
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    message = message.replace("Value error, ", "").replace("Input should be", "should be")
    ctx = getattr(exc, "ctx", None)
    where = getattr(ctx, "command_path", None)
    return f"{message} (see '{where} -h')" if where else message
