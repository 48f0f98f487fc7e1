"""Which scopes the key lacks for the operations a scan found: one minimal read per scope.

A scope is probed with a read of the catalogue that needs it (a list asked for one record, or
a get of an id that cannot exist): 403 means the key lacks it, anything the scope check lets
through (2xx, 404) means it has it. A scope that only writes need is never probed: testing it
would need a write, so it is reported as not probed.
"""

from __future__ import annotations

from collections.abc import Iterable

from migrate.doctor.context import Run
from migrate.doctor.verdicts import Status, Verdict
from migrate.mapping import Operation, minimum_scopes

NO_SUCH_ID = "00000000-0000-4000-8000-000000000000"  # a valid UUID no record has


def _probe_operation(run: Run, scope: str) -> Operation | None:
    """The cheapest read that needs `scope`: one scope only, then no path parameters."""
    reads = [op for op in run.catalogue if op.is_read and op.mapped and scope in op.scopes
             and op.kind in ("direct", "search")]
    reads.sort(key=lambda op: (len(op.scopes), len(op.legacy.params), op.id))
    return reads[0] if reads else None


def check_scopes(run: Run, operations: Iterable[str]) -> list[Verdict]:
    """One verdict per scope the operations need, most needed first by name."""
    needs = {op_id: run.catalogue.get(op_id).scopes for op_id in operations}
    verdicts = []
    for scope, users in minimum_scopes(needs).items():
        title = f"the key has {scope} (for {', '.join(users)})"
        probe = _probe_operation(run, scope)
        if probe is None:
            verdicts.append(Verdict(f"scope:{scope}", title, Status.not_probed,
                                    "not probed: would need a write (only writes need it)"))
            continue
        values = {name: NO_SUCH_ID for name in probe.legacy.params}
        answer = run.new_for(probe.id, values, limit=1)
        if answer.status == 403:
            verdicts.append(Verdict(
                f"scope:{scope}", title, Status.failed,
                f"{probe.id} was refused (403)",
                f"add {scope} to the key (Pleo web app: Settings → API keys), or make a new key",
            ))
        elif answer.ok or answer.status == 404:
            verdicts.append(Verdict(f"scope:{scope}", title, Status.passed,
                                    f"read through {probe.id} ({answer.status})"))
        else:
            why = answer.unreachable or f"{probe.id} answered {answer.status}"
            verdicts.append(Verdict(f"scope:{scope}", title, Status.untestable, why))
    return verdicts
