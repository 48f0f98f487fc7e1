"""PLM202 (compat): every httpx client of a module that talks to the legacy API comes from
`migrate.compat`.

Module-wide, once the module reaches a legacy host, the library is swapped for its compat twin:
`import httpx` → `from migrate.compat import pleo_httpx as httpx`, `from httpx import
AsyncClient` → `from migrate.compat.pleo_httpx import AsyncClient` (see
`migrate.codemod.library_swap`). Its `Client`/`AsyncClient` mount the compat transport for the
legacy origins next to the user's mounts, its functions serve legacy URLs; settings are read at
the first legacy request, never at import. Reads of the legacy token can no longer raise.

Only when the swap is impossible (`import os, httpx`, `from httpx import *`) the per-call form
is kept: `httpx.Client(…)` → `legacy_client(…)`, `httpx.AsyncClient(…)` →
`legacy_async_client(…)`, `httpx.get(…)` → `_pleo_client().get(…)` with `_pleo_client =
functools.cache(legacy_client)`.
"""

from __future__ import annotations

from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding
from migrate.codemod.rulekit import (
    COMPAT_MODULE,
    VERBS,
    compat_token_reads,
    libraries,
    route_through,
    subclasses,
)

RULE = Rule(
    "PLM202",
    "compat_httpx",
    "compat",
    "rewrite",
    "Route every httpx client of a legacy module through migrate.compat: import httpx → "
    "from migrate.compat import pleo_httpx as httpx.",
)

CLIENT = "_pleo_client"
FACTORIES = {"Client": "legacy_client", "AsyncClient": "legacy_async_client"}


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    # the compat strategy's machinery: a native scan never imports it
    from migrate.codemod.library_swap import legacy_module, swap

    if "httpx" not in libraries(analysis) or not legacy_module(analysis):
        return
    if swap(analysis, plan, "httpx", RULE.id):
        return
    routing = route_through(analysis, plan, RULE.id, "httpx", CLIENT, FACTORIES, VERBS | {"stream"})
    if routing.routed:
        plan.statements.append((f"{CLIENT} = functools.cache(legacy_client)", RULE.id))
        plan.need_import("functools")
        plan.need_import(COMPAT_MODULE, "legacy_client")
    if routing.routed or routing.constructions:
        plan.unused.append("httpx")
        compat_token_reads(analysis, plan, RULE.id)
    for klass in subclasses(analysis, "httpx", tuple(FACTORIES)):
        plan.todo(
            klass,
            RULE.id,
            RuleFinding(
                f"{klass.name} subclasses httpx.{'/'.join(FACTORIES)}: pass "
                "transport=CompatTransport() from migrate.compat",
                MIGRATION_DOCS,
            ),
        )
