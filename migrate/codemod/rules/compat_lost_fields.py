"""PLM204 (compat): reads of record fields the catalogue declares lost, in a routed module.

Compat answers in the legacy shape, but a field the new API cannot carry comes back empty or
changed (`teamId`, `accountCategoryId`, `performedAt` in milliseconds): code that reads it
into a derived value quietly changes its answer. Module-wide, in a module that reaches the
legacy API, each statement reading such a field of an operation the module calls gets a TODO
naming every such field it reads, the operations and the declared losses (see
`migrate.codemod.lost_reads`): a statement that reads two lost fields names both, since the
second may be the one that empties a column.
"""

from __future__ import annotations

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
    # the compat strategy's machinery: a native scan never imports it
    from migrate.codemod.library_swap import legacy_module
    from migrate.codemod.lost_reads import LostRead, lost_message, lost_reads

    if not legacy_module(analysis):
        return
    by_statement: dict[int, list[LostRead]] = {}
    for read in lost_reads(analysis):
        by_statement.setdefault(id(read.stmt), []).append(read)
    for reads in by_statement.values():
        finding = RuleFinding(lost_message(reads), reads[0].operation.docs)
        plan.todo(reads[0].stmt, RULE.id, finding)
