"""Readable placeholders in `--help`: `PATH`, `URL`, `PORT`, `N`, not typer's `<list[Path]>`.

Applied once to each command as it is loaded, so the command modules declare options plainly
and an explicit `metavar=` still wins.
"""

from __future__ import annotations

from typing import Any

from typer import _click as click  # typer's own copy of click: its commands are these
from typer.core import TyperArgument, TyperGroup, TyperOption

_BY_NAME_END = (
    ("port", "PORT"),
    ("url", "URL"),
    ("listen", "HOST:PORT"),
    ("host", "HOST"),
    ("company_id", "ID"),
    ("env", "ENV"),
)


class ReadableArgument(TyperArgument):
    """A positional argument shown as `PATH` in help and `[PATH]...` in usage, as click does."""

    def display_type_rich(self, ctx: click.Context) -> str | None:
        return None

    def _rich_display_name(self) -> str:
        return self.display_name_raw

    def _usage_display_name(self) -> str:
        name = self.display_name_raw if self.required else f"[{self.display_name_raw}]"
        return name + ("..." if self.nargs != 1 else "")


def placeholder(param: TyperOption) -> str:
    """The placeholder of an option that declares none, from its type and then its name."""
    kind = param.type_descriptor
    name = param.name or ""
    if kind.is_choice:
        return "|".join(str(getattr(c, "value", c)) for c in kind.choices or ())
    if kind.is_path:
        return "PATH"
    for end, label in _BY_NAME_END:
        if name.endswith(end):
            return label
    annotation: Any = kind.annotation
    if annotation is int:
        return "N"
    if annotation is float:
        return "NUMBER"
    return "TEXT"


def readable(command: click.Command) -> None:
    """Give every option and argument of `command` (and its subcommands) a readable placeholder."""
    for param in command.params:
        if isinstance(param, TyperArgument):
            param.__class__ = ReadableArgument
            if param.metavar is None:
                param.metavar = (param.name or "VALUE").upper()
        elif isinstance(param, TyperOption) and param.metavar is None and not param.is_flag:
            param.metavar = placeholder(param)
    if isinstance(command, TyperGroup):
        for sub in command.commands.values():
            readable(sub)
