"""PLM001: legacy base URLs become the new API's host.

A string that is exactly a legacy base (`https://openapi.pleo.io`, `…/v1`, with or without a
trailing slash; production or staging) becomes `https://external.pleo.io` or
`https://external.staging.pleo.io`. The `/v1` goes because every new path carries its own
version. Docstrings and prose are left alone, and so is a URL that a rewritten call already
rebuilds. A base built from a bare host (`f"https://{host}/v1"`, `host` a legacy host literal
or a choice of them) moves too: each host literal becomes the new host, and the `/v1` goes.
So does a base whose version is a piece of its own next to a host-only base literal
(`ROOT = HOST + "/v1"`, `f"{API}/{VERSION}"`, `URL += "/v1"` after an if/else of hosts): the
host literal moves and the version piece goes (`find/built_bases.version_drops`).
A base read from the environment with a legacy default (`os.getenv("PLEO_URL",
"https://openapi.pleo.io") + "/v1"`) is wrapped in `_pleo_new_base(…)`, added to the module
once, which maps a legacy value to the new host of its environment at run time; the default
moves and the version piece goes (`find/runtime_bases`).
"""

from __future__ import annotations

import ast

from migrate.codemod.find.built_bases import built_base_swaps, version_drops
from migrate.codemod.find.hosts import NEW_BASE_FUNCTION, new_base_for
from migrate.codemod.find.runtime_bases import calls_new_base, new_base_function, runtime_base_wraps
from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.text.edits import Edit
from migrate.codemod.text.literals import str_literal, style_of
from migrate.pleo import LEGACY_BASE_PATH, LEGACY_HOSTS

RULE = Rule(
    "PLM001",
    "legacy_host",
    "native",
    "rewrite",
    f"Rewrite legacy base URLs ({' and '.join(LEGACY_HOSTS)}, with or without "
    f"{LEGACY_BASE_PATH}) to the new API's host.",
)


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    for wrap in runtime_base_wraps(
        analysis.facts, analysis.evaluator, analysis.text, analysis.span
    ):
        start, end = analysis.span(wrap.node)
        if not plan.covered(start, end):
            plan.add(Edit(start, end, (wrap.text,), RULE.id))
    for string in analysis.facts.strings:
        node = string.node
        if string.prose or not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        new = new_base_for(node.value)
        if new is None:
            continue
        start, end = analysis.span(node)
        style = style_of(analysis.source.text[start:end])
        if style is None or plan.covered(start, end):
            continue
        plan.add(Edit(start, end, (str_literal(new, style),), RULE.id))
    for swap in built_base_swaps(analysis.facts, analysis.evaluator, analysis.text):
        start, end = analysis.span(swap.node)
        if not plan.covered(start, end):
            plan.add(Edit(start, end, (swap.text,), RULE.id))
    text = analysis.source.text
    for drop in version_drops(analysis.facts, analysis.evaluator, text, analysis.span):
        start, end = analysis.span(drop.node)
        if not plan.covered(start, end):
            plan.add(Edit(start, end, (drop.text,), RULE.id))


def add_new_base_function(plan: ModulePlan) -> None:
    """`_pleo_new_base` once after the imports, when an edit that stays calls it (called once
    the plan is final: a wrap kept back with its base must not leave the function behind)."""
    defined = {
        node.name
        for node in plan.analysis.facts.tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    if NEW_BASE_FUNCTION in defined:
        return
    if not any(calls_new_base(edit.pieces) for edit in plan.edits):
        return
    plan.statements.append(("\n\n" + new_base_function().rstrip("\n"), RULE.id))
