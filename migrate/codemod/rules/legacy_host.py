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
"""

from __future__ import annotations

import ast

from migrate.codemod.find.built_bases import built_base_swaps, version_drops
from migrate.codemod.find.hosts import new_base_for
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
