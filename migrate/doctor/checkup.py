"""One doctor run: the checks in order, each fed what the earlier ones learnt.

The key first (nothing else can work without it), then its company, the legacy token, the
scopes a scan needs, and the catalogue's assumptions. A check that cannot run because an
earlier one failed is not run at all; its absence is explained by the failure above it.
"""

from __future__ import annotations

from collections.abc import Callable

from migrate.doctor.access import check_company, check_key, check_legacy_token
from migrate.doctor.beliefs import check_assumptions
from migrate.doctor.context import DoctorRequest, Findings, Run
from migrate.doctor.scope_probes import check_scopes
from migrate.doctor.verdicts import Checkup, Status, Verdict
from migrate.doctor.wire import Wire
from migrate.errors import ConversionError
from migrate.mapping import Catalogue


def run_checkup(request: DoctorRequest, catalogue: Catalogue,
                wire: Wire | None = None) -> Checkup:
    """Every check against the hosts of `request`; reads only."""
    own = wire is None
    wire = wire or Wire(request.legacy_url, request.new_url, request.secrets(),
                        timeout=request.timeout)
    try:
        run = Run(request, catalogue, wire, Findings())
        verdicts: list[Verdict] = []
        found, installation = check_key(run)
        verdicts.extend(found)
        if run.found.key_works:
            verdicts.extend(check_company(run, installation))
        verdicts.extend(check_legacy_token(run))
        if run.found.key_works and run.found.company_id is not None:
            if request.scan_operations is not None:
                verdicts.extend(_guarded("scopes", lambda: check_scopes(
                    run, request.scan_operations or ())))
            verdicts.extend(_guarded("assumptions", lambda: check_assumptions(run)))
        return Checkup(request.env, request.new_url, request.legacy_url, tuple(verdicts))
    finally:
        if own:
            wire.close()


def _guarded(name: str, check: Callable[[], list[Verdict]]) -> list[Verdict]:
    """A group of checks; a request the planner cannot build becomes one untestable verdict."""
    try:
        return check()
    except ConversionError as exc:
        return [Verdict(name, name, Status.untestable, str(exc))]
