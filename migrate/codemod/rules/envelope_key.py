"""PLM007: the body's envelope: `["employees"]` → `["data"]`, bare bodies → `["data"]`, and the
legacy total `["metadata"]["pageInfo"]["totalCount"]` → `["pagination"]["total"]`.

Only where the body of that very call is read right there (see PLM108 for what is flagged);
the total only where the new operation's answer has `pagination.total` in its spec (PLM107
flags the others).
"""

from __future__ import annotations

import ast

from migrate.codemod.find.site import Site, TotalRead
from migrate.codemod.read_adapter import adapter_of, wrapped
from migrate.codemod.rule import Analysis, ModulePlan, RequestPlan, Rule
from migrate.codemod.rulekit import moves
from migrate.codemod.text.edits import Edit, Piece, replace
from migrate.codemod.text.literals import str_literal, style_of
from migrate.mapping import Operation, load_new_api_specs, schema_at
from migrate.pleo import NEW_PAGINATION, NEW_TOTAL

RULE = Rule(
    "PLM007",
    "envelope_key",
    "native",
    "rewrite",
    'Rewrite reads of the legacy envelope (r.json()["employees"], bare lists and objects) to '
    "the new API's data key, and the legacy totalCount to pagination.total.",
)


def answers_total(op: Operation) -> bool:
    """Whether the new operation's answer to an offset-paged legacy list has `pagination.total`
    in the published spec (the field the legacy `totalCount` becomes)."""
    if op.new is None or op.paging != "offset-to-cursor":
        return False
    spec = load_new_api_specs().find(op.new.method, op.new.path)
    schema = spec.success_schema() if spec is not None else None
    return schema_at(schema, f"{NEW_PAGINATION}.{NEW_TOTAL}") is not None


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    op = site.facts.operation if site.facts else None
    if op is None or not site.response.used:
        return
    if site.response.totals and answers_total(op):
        for total in site.response.totals:
            request.extra.extend(_total_edits(total, analysis))
    if op.response is None:
        return
    legacy, new = op.response.legacy, op.response.new
    if legacy.empty or new.empty or legacy.key == new.key or new.key is None:
        return
    source = analysis.source
    # records read through fields that change pass through the module's legacy-field function
    adapter = adapter_of(site, analysis)
    if legacy.key is None:
        for body in site.response.json_calls:
            whole = analysis.span(body)
            pieces: tuple[Piece, ...] = (
                (whole,) if not isinstance(body, ast.Await) else ("(", whole, ")")
            )
            pieces = (*pieces, f'["{new.key}"]')
            if adapter is not None:
                pieces = wrapped(adapter, new.many, pieces)
            request.extra.append(replace(source, body, RULE.id, *pieces))
        for handed in site.response.handed if not legacy.many else ():
            # `return list(await gather(*tasks))`: each body's record, in a list
            item: tuple[Piece, ...] = (f'_pleo_body["{new.key}"]',)
            if adapter is not None:
                item = wrapped(adapter, new.many, item)
            whole = analysis.span(handed)
            request.extra.append(
                replace(source, handed, RULE.id, "[", *item, " for _pleo_body in ", whole, "]")
            )
        return
    for read in site.response.reads:
        if read.key != legacy.key:
            continue
        key_node = _key_node(read.node)
        if key_node is None:
            continue
        style = style_of(analysis.text(key_node))
        request.extra.append(replace(source, key_node, RULE.id, str_literal(new.key, style)))
        if adapter is not None:
            around = wrapped(adapter, new.many, (analysis.span(read.node),))
            request.extra.append(replace(source, read.node, RULE.id, *around))


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    """The legacy-field functions (`_pleo_legacy_expense`) the moved calls' envelope reads
    call, each once, after the imports."""
    functions: dict[str, str] = {}
    defined = {
        node.name for node in analysis.facts.tree.body if isinstance(node, ast.FunctionDef)
    }
    for site in analysis.sites:
        if site.carries is not None or not plan.automatic.get(site):
            continue
        for variant in site.variants:
            adapter = adapter_of(variant, analysis) if moves(variant, plan.enabled) else None
            if adapter is not None and adapter.name not in defined:
                functions.setdefault(adapter.name, adapter.code)
    if functions:
        plan.statements.append(("\n\n" + "\n\n\n".join(functions.values()) + "\n", RULE.id))


def _total_edits(read: TotalRead, analysis: Analysis) -> list[Edit]:
    """`["metadata"]` → `["pagination"]`, `["pageInfo"]` dropped, `["totalCount"]` → `["total"]`;
    each step keeps its form (a subscript, or a `.get` call with its default)."""
    edits = []
    for step, new_key in ((read.metadata, NEW_PAGINATION), (read.total, NEW_TOTAL)):
        key_node = _key_node(step)
        if key_node is None:
            return []
        style = style_of(analysis.text(key_node))
        edits.append(replace(analysis.source, key_node, RULE.id, str_literal(new_key, style)))
    start, end = analysis.span(read.metadata)[1], analysis.span(read.page_info)[1]
    edits.append(Edit(start, end, (), RULE.id))
    return edits


def _key_node(read: ast.expr) -> ast.expr | None:
    """The key literal of a subscript read or of a `.get(key, …)` call."""
    if isinstance(read, ast.Subscript):
        return read.slice
    if isinstance(read, ast.Call) and read.args:
        return read.args[0]
    return None
