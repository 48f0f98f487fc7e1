"""The typer application: every command, `--help`, `--version` and click's usage errors.

`migrate/cli/__init__.py` hands a command line here unless `fast_path.py` can run it
without typer; whatever typer raises for a command line is turned into an exit code here.
"""

from __future__ import annotations

import sys

import typer

from migrate import __version__, pleo
from migrate.cli.lazy import HELP_OPTION_NAMES, LazyGroup
from migrate.errors import EXIT_USAGE

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


def invoke(argv: list[str] | None) -> int:
    """Run a command line through typer; its exits, aborts and usage errors become exit codes
    here, anything else propagates to the caller's one error handler."""
    try:
        result = app(args=argv, standalone_mode=False, prog_name="pleo-migrate")
    except typer.Exit as exc:
        return int(exc.exit_code)
    except typer.Abort:
        sys.stderr.write("pleo-migrate: interrupted\n")
        return 130
    except typer.TyperException as exc:  # click's usage errors, as vendored by typer
        sys.stderr.write(f"pleo-migrate: error: {_usage_message(exc)}\n")
        return EXIT_USAGE
    return result if isinstance(result, int) else 0


def _usage_message(exc: Exception) -> str:
    """A usage error in the one style of every other error, with where to read more."""
    format_message = getattr(exc, "format_message", None)
    message = format_message() if callable(format_message) else str(exc)
    message = message.replace("Value error, ", "").replace("Input should be", "should be")
    ctx = getattr(exc, "ctx", None)
    where = getattr(ctx, "command_path", None)
    return f"{message} (see '{where} -h')" if where else message
