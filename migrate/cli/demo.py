"""`pleo-migrate demo`: the whole story on the embedded simulator, under a minute."""

from __future__ import annotations

from pathlib import Path

import typer

from migrate.cli.output import plural, stderr
from migrate.demo import run_demo
from migrate.errors import EXIT_CLEAN


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command(
    out: Path = typer.Option(Path("reports"), "--out", help="Where every output of the demo goes."),
) -> int:
    """Simulator → scan → rewrite preview → example client through compat → shadow → report."""
    err = stderr()
    result = run_demo(out, lambda message: err.print(f"demo: {message}", markup=False))
    for step in result.steps:
        err.print(f"  {step.name:<34} exit {step.exit_code}  {step.seconds:5.1f} s  {step.detail}",
                  markup=False)
    r = result.summary
    parity = "n/a" if r.get("parity") is None else f"{r['parity']} %"
    err.print(
        f"readiness: {r['status']}; {r['operations_ready']}/{r['operations_total']} operations "
        f"ready, {plural(r['call_sites'], 'call site')} ({r['automatic']} automatic, "
        f"{r['manual']} manual), {plural(r['gaps'], 'gap')} in use, parity {parity}. "
        f"Done in {result.seconds:.0f} s.",
        markup=False,
    )
    err.print(f"open the report: {result.report}", markup=False)
    typer.echo(str(result.report))
    return EXIT_CLEAN
