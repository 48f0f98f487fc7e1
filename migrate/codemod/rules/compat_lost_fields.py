"""PLM204 (compat): reads of record fields the catalogue declares lost, in a routed module.

Compat answers in the legacy shape, but a field the new API cannot carry comes back empty or
changed (`teamId`, `accountCategoryId`, `performedAt` in milliseconds): code that reads it
into a derived value quietly changes its answer. Module-wide, in a module that reaches the
legacy API, each statement reading such a field of an operation the module calls gets a TODO
naming the field, the operation and the declared loss (see `migrate.codemod.lost_reads`).
"""

from __future__ import annotations

from migrate.codemod.library_swap import legacy_module
from migrate.codemod.lost_reads import lost_reads
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding

RULE = Rule(
    "PLM204",
    "compat_lost_fields",
    "compat",
    "rewrite",
    "Flag reads of record fields the catalogue declares lost on the new API (compat shows them "
    "empty or changed).",
)


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    if not legacy_module(analysis):
        return
    for read in lost_reads(analysis):
        plan.todo(read.stmt, RULE.id, RuleFinding(read.message, read.operation.docs))
