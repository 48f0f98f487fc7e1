"""PLM007: the body's envelope: `["employees"]` → `["data"]`, bare bodies → `["data"]`.

Only where the body of that very call is read right there (see PLM108 for what is flagged).
"""

from __future__ import annotations

import ast

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.text.edits import replace
from migrate.codemod.text.literals import str_literal, style_of

RULE = Rule(
    "PLM007",
    "envelope_key",
    "native",
    "rewrite",
    'Rewrite reads of the legacy envelope (r.json()["employees"], bare lists and objects) to '
    "the new API's data key.",
)


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    op = site.facts.operation if site.facts else None
    if op is None or op.response is None or not site.response.used:
        return
    legacy, new = op.response.legacy, op.response.new
    if legacy.empty or new.empty or legacy.key == new.key or new.key is None:
        return
    source = analysis.source
    if legacy.key is None:
        for body in site.response.json_calls:
            whole = analysis.span(body)
            pieces = (whole,) if not isinstance(body, ast.Await) else ("(", whole, ")")
            request.extra.append(replace(source, body, RULE.id, *pieces, f'["{new.key}"]'))
        return
    for read in site.response.reads:
        if read.key != legacy.key:
            continue
        key_node = read.node.slice if isinstance(read.node, ast.Subscript) else None
        if isinstance(read.node, ast.Call):
            key_node = read.node.args[0]
        if key_node is None:
            continue
        style = style_of(analysis.text(key_node))
        request.extra.append(replace(source, key_node, RULE.id, str_literal(new.key, style)))
