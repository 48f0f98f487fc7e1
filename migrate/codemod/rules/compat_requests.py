"""PLM201 (compat): every `requests` client of a module that talks to the legacy API goes
through `migrate.compat`.

Module-wide, once the module reaches a legacy host (a legacy call, host, base-URL or token
variable): `requests.get(…)`, `requests.request(…)` (helpers included) → `_pleo_session().get(…)`,
with `_pleo_session = functools.cache(legacy_session)` after the imports, so the session is
made on first use, never at import; `requests.Session()` → `legacy_session()`. Reads of the
legacy token read the new key (no KeyError once the token is gone). migrate.compat passes
non-legacy URLs through untouched, so routing every call of the module is safe.
"""

from __future__ import annotations

from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding
from migrate.codemod.rulekit import (
    COMPAT_MODULE,
    compat_token_reads,
    libraries,
    reaches_legacy,
    route_through,
    subclasses,
)

RULE = Rule(
    "PLM201",
    "compat_requests",
    "compat",
    "rewrite",
    "Route every requests client of a legacy module through migrate.compat: requests.get(…) → "
    "_pleo_session().get(…), requests.Session() → legacy_session().",
)

SESSION = "_pleo_session"
FACTORIES = {"Session": "legacy_session", "session": "legacy_session"}


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    if "requests" not in libraries(analysis) or not reaches_legacy(analysis):
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
