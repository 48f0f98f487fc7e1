"""PLM201 (compat): `requests` calls to the legacy API go through `migrate.compat`.

`requests.get(URL, …)` → `_pleo_session.get(URL, …)`, with `_pleo_session = legacy_session()`
once after the imports; a `requests.Session()` that legacy calls use → `legacy_session()`.
Paths, parameters and response handling stay as they are: the session serves legacy URLs
from the new API.
"""

from __future__ import annotations

from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.rulekit import route_through
from migrate.codemod.text.edits import replace

RULE = Rule(
    "PLM201",
    "compat_requests",
    "compat",
    "rewrite",
    "Route requests calls to the legacy API through migrate.compat: requests.get(…) → "
    "_pleo_session.get(…), requests.Session() → legacy_session().",
)

SESSION = "_pleo_session"
MODULE = "migrate.compat"


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    routed, made = route_through(analysis, plan, RULE.id, "requests", SESSION)
    constructions = [
        call for call in made if analysis.clients.factory_of(call) == "requests.Session"
    ]
    for call in constructions:
        plan.add(replace(analysis.source, call, RULE.id, "legacy_session()"))
    if routed:
        plan.statements.append((f"{SESSION} = legacy_session()", RULE.id))
    if routed or constructions:
        plan.need_import(MODULE, "legacy_session")
        plan.unused.append("requests")
