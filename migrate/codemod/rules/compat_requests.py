"""PLM201 (compat): every `requests` client of a module that talks to the legacy API goes
through `migrate.compat`.

Module-wide, once the module reaches a legacy host (a legacy call, host, base-URL or token
variable), the library is swapped for its compat twin: `import requests` → `from migrate.compat
import pleo_requests as requests`, `from requests import Session, get` → `from
migrate.compat.pleo_requests import Session, get` (see `migrate.codemod.library_swap`). Every
client the module makes is then routed, however it is reached (a Session subclass, a
`functools.partial(requests.get, ...)`, a session made in a helper); the twin passes non-legacy
URLs through untouched and reads its settings at the first legacy request, never at import.
Reads of the legacy token can no longer raise KeyError.

Only when the swap is impossible (`import os, requests`, `from requests import *`) the per-call
form is kept: `requests.get(…)` → `_pleo_session().get(…)` with `_pleo_session =
functools.cache(legacy_session)`, `requests.Session()` → `legacy_session()`.
"""

from __future__ import annotations

from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding
from migrate.codemod.rulekit import (
    COMPAT_MODULE,
    compat_token_reads,
    libraries,
    route_through,
    subclasses,
)

RULE = Rule(
    "PLM201",
    "compat_requests",
    "compat",
    "rewrite",
    "Route every requests client of a legacy module through migrate.compat: import requests → "
    "from migrate.compat import pleo_requests as requests.",
)

SESSION = "_pleo_session"
FACTORIES = {"Session": "legacy_session", "session": "legacy_session"}


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    # the compat strategy's machinery: a native scan never imports it
    from migrate.codemod.library_swap import legacy_module, swap

    if "requests" not in libraries(analysis) or not legacy_module(analysis):
        return
    if swap(analysis, plan, "requests", RULE.id):
        return
    routing = route_through(analysis, plan, RULE.id, "requests", SESSION, FACTORIES)
    if routing.routed:
        plan.statements.append((f"{SESSION} = functools.cache(legacy_session)", RULE.id))
        plan.need_import("functools")
        plan.need_import(COMPAT_MODULE, "legacy_session")
    if routing.routed or routing.constructions:
        plan.unused.append("requests")
        compat_token_reads(analysis, plan, RULE.id)
    for klass in subclasses(analysis, "requests", ("Session",)):
        plan.todo(
            klass,
            RULE.id,
            RuleFinding(
                f"{klass.name} subclasses requests.Session: mount migrate.compat's CompatAdapter",
                MIGRATION_DOCS,
            ),
        )
