"""PLM111: a legacy URL with a path that no recognised call uses (an endpoint table, a URL
handed to code the codemod cannot see) gets a TODO; prose that mentions Pleo does not."""

from __future__ import annotations

import ast

from migrate.codemod.find.hosts import LEGACY_BASE_ONLY, LEGACY_HOST_IN_TEXT, MIGRATION_DOCS
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding

RULE = Rule(
    "PLM111",
    "legacy_url_literal",
    "native",
    "review",
    "Flag legacy URLs with a path that are not used by any call the codemod recognises "
    "(endpoint tables, URLs passed to other code).",
)


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    visited = analysis.evaluator.visited
    for string in analysis.facts.strings:
        node = string.node
        if string.prose or string.stmt is None or node in visited:
            continue
        text = _leading_text(node)
        if text is None:
            continue
        found = LEGACY_HOST_IN_TEXT.match(text)
        if found is None or LEGACY_BASE_ONLY.match(text) or len(text) == found.end():
            continue
        plan.todo(
            string.stmt,
            RULE.id,
            RuleFinding(
                f"a legacy URL ({text[:60]}) that no recognised call uses; map it with "
                "`pleo-migrate mappings show ID` and change it where it is used",
                MIGRATION_DOCS,
            ),
        )


def _leading_text(node: ast.Constant | ast.JoinedStr) -> str | None:
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    first = node.values[0] if node.values else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return first.value
    return None
