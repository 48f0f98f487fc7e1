"""Subcommands loaded on first use, so `--version` and `--help` import no command's module.

Each entry names the module whose `register(app)` adds the command and the one-line summary
the top-level `--help` shows; the module (libcst, httpx, deepdiff, jinja2 …) is imported only
when that command runs or its own help is asked for.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from difflib import get_close_matches

import typer
from typer import _click as click  # typer's own copy of click: its commands are these
from typer.core import TyperGroup

from migrate.cli.coercion import plain_values
from migrate.cli.placeholders import readable


@dataclass(frozen=True)
class LazyCommand:
    """A subcommand by name: the module that registers it and its summary for `--help`."""

    name: str
    module: str
    summary: str


COMMANDS: dict[str, LazyCommand] = {}
HELP_OPTION_NAMES = ["-h", "--help"]


def lazy_command(name: str, module: str, summary: str) -> None:
    """Declare a subcommand that `pleo-migrate` loads only when it is used."""
    COMMANDS[name] = LazyCommand(name, module, summary)


def load(entry: LazyCommand) -> click.Command:
    """Import the command's module and build its click command (placeholders made readable,
    plain values coerced without pydantic)."""
    scratch = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
    importlib.import_module(entry.module).register(scratch)
    group = typer.main.get_group(scratch)
    command = group.commands[entry.name]
    readable(command)
    plain_values(command, click.Context(command, help_option_names=HELP_OPTION_NAMES))
    return command


class LazyGroup(TyperGroup):
    """The root group: eager commands as typer builds them, lazy ones from `COMMANDS`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        plain_values(self, ctx)  # the root's own options (--version, --help) too
        return super().parse_args(ctx, args)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*COMMANDS, *(name for name in self.commands if name not in COMMANDS)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.commands[cmd_name] = load(COMMANDS[cmd_name])
        return self.commands.get(cmd_name)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return self._click_resolve_command(ctx, args)
        except click.exceptions.UsageError as exc:
            matches = get_close_matches(args[0], self.list_commands(ctx)) if args else []
            if matches:
                exc.message = f"{exc.message.rstrip('.')}; did you mean {', '.join(matches)}?"
            raise

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = [(entry.name, entry.summary) for entry in COMMANDS.values()]
        rows += [
            (name, command.get_short_help_str(limit=formatter.width))
            for name, command in self.commands.items()
            if name not in COMMANDS and not command.hidden
        ]
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)


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
