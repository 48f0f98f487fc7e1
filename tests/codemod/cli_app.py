"""A small typer app with only the codemod commands, as `migrate/cli` will wire them."""

from __future__ import annotations

import typer
from typer.testing import CliRunner, Result

from migrate.cli.codemod import register

app = typer.Typer()
register(app)


@app.callback()
def _root() -> None:
    """pleo-migrate (test app)."""


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, list(args))
