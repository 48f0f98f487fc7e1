"""PLM012: a legacy call that is a multi-call flow becomes a call of a generated function.

A flow operation (tag groups and tags with their attributes: `tag-groups.list/get`,
`tags.list/get`) is several new-API calls. Where the codemod understands the call site
whole, the call *and the read of its result* become one call of a small function added once
to the module (`_pleo_tags_list(send, group_id)`, see `flow_code`), which sends the flow's
requests in the compat flow's order and returns the new API's records:

    r = requests.get(f"{BASE}/tag-groups/{gid}/tags", headers=H)
    r.raise_for_status()                   →  return _pleo_tags_list(lambda path, params:
    return r.json()                                requests.get(BASE + path, params=params,
                                                   headers=H), gid)

`send` is written in the call's own style: the same client or library function, base and
keyword arguments (`headers=`, `timeout=`, `auth=`), awaited for an `httpx.AsyncClient`;
or the module's request helper (`self._get(path, params=params)`) when it passes `params=` on.
The result is read as `return <call>.json()`, `x = <call>.json()`, `r = <call>`
[`r.raise_for_status()`] `<statement reading r.json()>`, or the helper's JSON as a value.
The expense export status (`PUT /expenses {expenseIds, status}`, a literal body) becomes a
call of a function that runs the export-job flow through `send(method, path, params, body)`
(the client's `.request`, or a helper taking the method) and returns the last new-API
response, so `raise_for_status()` and `status_code` still work. Anything else (a query written
at the call, a URL chosen in branches or built away from the call, a client `base_url`, a
response read besides its `.json()`, the tag writes) stays a PLM103 TODO that says why
(`refusal`).
"""

from __future__ import annotations

import ast
import itertools
import json
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from migrate.codemod.find.evaluate import Base, Hole
from migrate.codemod.find.site import TOKEN_PATTERN, Site
from migrate.codemod.read_adapter import adapter_of, wrapped
from migrate.codemod.rule import Analysis, ModulePlan, RequestPlan, Rule
from migrate.codemod.rulekit import moves
from migrate.codemod.text.edits import Edit, Piece, Span

if TYPE_CHECKING:  # the flow machinery is imported where a flow call needs it: few modules do
    from migrate.codemod.flow_code import FlowCode, Style

RULE = Rule(
    "PLM012",
    "flow_call",
    "native",
    "rewrite",
    "Rewrite a multi-call flow (tag-group and tag reads, the expense export status) and the "
    "read of its result into a call of a generated `_pleo_…` function that sends the flow's "
    "new-API calls.",
)


@dataclass(frozen=True)
class FlowSite:
    """What the rewrite of one flow call needs: the function, how it is called, and where."""

    code: FlowCode
    style: Style
    sender: tuple[Piece, ...]  # the `send` lambda
    arguments: tuple[Piece, ...]  # the path parameters' values, as written
    start: int  # the text replaced: from the call's statement (or expression) …
    end: int
    before: tuple[Piece, ...]  # … the text kept before and after the new call
    after: tuple[Piece, ...]
    parenthesise: bool  # `(await f(…))` where the call is read from


def refusal(site: Site, analysis: Analysis) -> str | None:
    """Why this flow call cannot be rewritten (None: it can)."""
    found = understand(site, analysis)
    return found if isinstance(found, str) else None


def understand(site: Site, analysis: Analysis) -> FlowSite | str:
    op = site.facts.operation if site.facts else None
    if op is not None and op.kind == "merge-update":
        return _understand_merge(site, analysis)
    if op is None or op.kind != "flow":
        return "not a flow call"
    import migrate.codemod.flow_senders as flow_senders
    from migrate.codemod.flow_code import NoFlowCode, flow_code
    if site.alternatives:
        return "its URL is chosen in branches"
    if site.loop is not None:
        return "it sits in a legacy paging loop"
    if site.method != "GET" or site.json_node is not None or site.has_data:
        return _understand_write(site, analysis)
    if site.query.items or site.query.params is not None or not site.query.static:
        return "its query is not generated yet"
    arguments = _arguments(site, analysis)
    if isinstance(arguments, str):
        return arguments
    if site.helper is not None:
        sent = flow_senders.helper_sender(site, analysis)
    else:
        sent = flow_senders.client_sender(site, analysis)
    if isinstance(sent, str):
        return sent
    sender, style = sent
    try:
        code = flow_code(analysis.index.catalogue, op, style)
    except NoFlowCode as problem:
        return str(problem)
    return _flow_site(code, style, sender, arguments, _placement(site, analysis, style), analysis)


def _flow_site(
    code: FlowCode,
    style: Style,
    sender: tuple[Piece, ...],
    arguments: tuple[Piece, ...],
    place: Placement | str,
    analysis: Analysis,
) -> FlowSite | str:
    """The rewrite of one call, once its placement is known: refused when the `send` lambda
    would read a name it takes, or a part of the request lies outside the replaced text."""
    if isinstance(place, str):
        return place
    import migrate.codemod.flow_senders as flow_senders

    start, end, before, after, parenthesise = place
    clash = flow_senders.clash(sender, analysis)
    if clash:
        return clash
    spans = [p for p in (*sender, *arguments) if isinstance(p, tuple)]
    if any(not start <= low <= high <= end for low, high in spans):
        return "a part of its request is written away from the call"
    return FlowSite(code, style, sender, arguments, start, end, before, after, parenthesise)


def _understand_write(site: Site, analysis: Analysis) -> FlowSite | str:
    """A write flow: the call itself becomes the function's call (its result is the last
    new-API response, or body, of the flow: `raise_for_status()`, `status_code` still work)."""
    import migrate.codemod.flow_senders as flow_senders
    from migrate.codemod.flow_code import NoFlowCode, flow_code, write_keys

    op = site.facts.operation if site.facts else None
    keys = write_keys(op) if op is not None else None
    if op is None or keys is None:
        return "a write flow, not generated yet"
    if site.alternatives or site.loop is not None:
        return "its URL is chosen in branches"
    if site.query.items or site.query.params is not None or site.has_data:
        return "it sends a query or form data"
    body = site.json_dict
    if body is None or len(body.keys) != len(keys):
        return f"its body is not a literal {{{', '.join(keys)}}}"
    given = {
        k.value: v
        for k, v in zip(body.keys, body.values, strict=True)
        if isinstance(k, ast.Constant) and isinstance(k.value, str)
    }
    if set(given) != set(keys):
        return f"its body is not a literal {{{', '.join(keys)}}}"
    arguments = tuple(analysis.span(given[key]) for key in keys)
    if site.helper is not None:
        sent = flow_senders.helper_write_sender(site, analysis)
    else:
        sent = flow_senders.client_write_sender(site, analysis)
    if isinstance(sent, str):
        return sent
    sender, style = sent
    response = site.response
    if response.json_calls or response.reads or response.escapes:
        return "its answer's body is read"
    try:
        code = flow_code(analysis.index.catalogue, op, style)
    except NoFlowCode as problem:
        return str(problem)
    root: ast.expr = flow_senders.awaited(site, analysis) or site.node
    start, end = analysis.span(root)
    place = (start, end, (), (), _read_from(root, analysis))
    return _flow_site(code, style, sender, arguments, place, analysis)


def _understand_merge(site: Site, analysis: Analysis) -> FlowSite | str:
    """A merge-update (a legacy partial update; the new API takes the whole record): the call
    becomes the generated function's call, given the patch as written (any expression)."""
    import migrate.codemod.flow_senders as flow_senders
    from migrate.codemod.flow_code import NoFlowCode, merge_code

    op = site.facts.operation if site.facts else None
    assert op is not None
    if site.alternatives or site.loop is not None:
        return "its URL is chosen in branches"
    if site.query.items or site.query.params is not None or site.has_data:
        return "it sends a query or form data"
    patch = flow_senders.merge_patch(site, analysis)
    if patch is None:
        return "its body is not sent as json="
    arguments = _arguments(site, analysis)
    if isinstance(arguments, str):
        return arguments
    if site.helper is not None:
        sent = flow_senders.helper_merge_sender(site, analysis)
        if isinstance(sent, str) and "does not take the method" in sent:
            sent = flow_senders.helper_inline_sender(site, analysis)
    else:
        sent = flow_senders.client_write_sender(site, analysis)
    if isinstance(sent, str):
        return sent
    sender, style = sent
    try:
        code = merge_code(analysis.index.catalogue, op, style)
    except NoFlowCode as problem:
        return str(problem)
    root: ast.expr = flow_senders.awaited(site, analysis) or site.node
    if not site.response.used and isinstance(analysis.facts.parent(root), ast.Expr):
        start, end = analysis.span(root)
        place: Placement | str = (start, end, (), (), False)
    else:
        place = _placement(site, analysis, style)
    given = (*arguments, analysis.span(patch))
    return _flow_site(code, style, sender, given, place, analysis)


def _arguments(site: Site, analysis: Analysis) -> tuple[Piece, ...] | str:
    """The values of the legacy path parameters, in the generated function's order."""
    from migrate.codemod.flow_code import legacy_arguments

    op = site.facts.operation if site.facts else None
    match = site.resolution.match
    if op is None or match is None:
        return "its operation is not known"
    found: list[Piece] = []
    for name in legacy_arguments(op):
        token = match.path_params.get(name)
        if token is None:
            return f"the `{name}` path parameter could not be found again"
        part = site.resolution.tokens.get(token)
        if part is None and not TOKEN_PATTERN.search(token):
            found.append(json.dumps(token))  # written in the literal path
        elif isinstance(part, Hole | Base):
            found.append(analysis.span(part.node))
        else:
            return f"the `{name}` path parameter could not be found again"
    return tuple(found)


Placement = tuple[int, int, tuple[Piece, ...], tuple[Piece, ...], bool]


def _placement(site: Site, analysis: Analysis, style: Style) -> Placement | str:
    """Which text the new call replaces: the helper's body value, the `.json()` read of the
    call, or the statements from `r = <call>` to the one reading `r.json()`."""
    import migrate.codemod.flow_senders as flow_senders

    root: ast.expr = flow_senders.awaited(site, analysis) or site.node
    response = site.response
    if not response.used:
        return "its result is not read"
    if response.next_offsets or response.other_meta or response.totals:
        return "its paging metadata is read"
    if style.gives_body:
        start, end = analysis.span(root)
        return start, end, (), (), _read_from(root, analysis)
    if len(response.json_calls) != 1:
        return "its response is not read once as `.json()`"
    body = response.json_calls[0]
    if any(node is site.node for node in ast.walk(body)):
        start, end = analysis.span(body)
        return start, end, (), (), _read_from(body, analysis)
    return _split(site, analysis, root, body)


def _split(site: Site, analysis: Analysis, root: ast.expr, body: ast.expr) -> Placement | str:
    """`r = <call>` [`r.raise_for_status()`] `<last>` reading `r.json()`, one after another."""
    first = site.call.stmt
    refused = "its response is read in a way the generated function cannot replace"
    if not (
        isinstance(first, ast.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0], ast.Name)
        and first.value is root
    ):
        return refused
    name = first.targets[0].id
    siblings = _siblings(analysis, first)
    last = next((s for s in siblings if any(n is body for n in ast.walk(s))), None)
    if last is None or isinstance(last, ast.If | ast.For | ast.While | ast.With | ast.Try):
        return refused
    between = siblings[siblings.index(first) + 1 : siblings.index(last)]
    if siblings.index(last) <= siblings.index(first) or not all(
        _raises_for_status(stmt, name) for stmt in between
    ):
        return refused
    functions = ast.FunctionDef | ast.AsyncFunctionDef
    scope: ast.AST = next(
        (above for above in analysis.facts.ancestors(first) if isinstance(above, functions)),
        analysis.facts.tree,
    )
    loads = [
        node
        for node in ast.walk(scope)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    ]
    if len(loads) != 1 + len(between):
        return f"`{name}` is read besides `.json()`"
    text = analysis.source.text
    for one, two in itertools.pairwise((first, *between, last)):
        if text[analysis.span(one)[1] : analysis.span(two)[0]].strip():
            return "a comment sits between its statements"
    start = analysis.span(first)[0]
    last_start, last_end = analysis.span(last)
    body_start, body_end = analysis.span(body)
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return refused
    return (
        start,
        last_end,
        ((last_start, body_start),),
        ((body_end, last_end),),
        _read_from(body, analysis),
    )


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    """The whole call is replaced: the per-call edits other rules planned for it are not
    made (they would edit text this edit removes)."""
    found = understand(site, analysis)
    if isinstance(found, str):
        return
    request.new_path = request.new_method = request.body = None
    for collection in (request.renames, request.values, request.entries, request.by):
        collection.clear()
    for items in (request.add_query, request.add_body, request.extra, request.imports):
        items.clear()
    request.drops.clear()
    wait = "await " if found.style.is_async else ""
    arguments: list[tuple[Piece, ...]] = [found.sender, *((a,) for a in found.arguments)]
    call: list[Piece] = [wait, found.code.name, "("]
    text = analysis.source.text
    line_start = text.rfind("\n", 0, found.start) + 1
    one_line = sum(len(p) if isinstance(p, str) else p[1] - p[0] for p in (*call, *found.before))
    one_line += sum(_width(p) for argument in arguments for p in argument) + 2 * len(arguments)
    one_line += found.start - line_start + _width((found.end, text.find("\n", found.end)))
    if one_line <= _LINE:
        for index, argument in enumerate(arguments):
            call += [", " if index else "", *argument]
    else:  # one argument a line, indented one step from the statement's line
        indent = re.match(r"[ \t]*", text[line_start:]).group(0)  # type: ignore[union-attr]
        for argument in arguments:
            call += [f"\n{indent}    ", *argument, ","]
        call.append(f"\n{indent}")
    call.append(")")
    adapter = adapter_of(site, analysis)  # records read through changing fields (PLM109)
    if adapter is not None and site.facts is not None and site.facts.operation.response:
        call = list(wrapped(adapter, site.facts.operation.response.new.many, tuple(call)))
    elif wait and found.parenthesise:
        call = ["(", *call, ")"]
    pieces = (*found.before, *call, *found.after)
    request.extra.append(Edit(found.start, found.end, pieces, RULE.id))
    request.imports.append(("os", None))
    request.by["url"] = RULE.id


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    """Each generated function once, after the module's imports."""
    if plan.strategy != "native":
        return
    functions: dict[str, str] = {}
    defined = {
        node.name
        for node in analysis.facts.tree.body
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    for site in analysis.sites:
        if not plan.automatic.get(site) or site.carries is not None:
            continue
        if not moves(site, plan.enabled):
            continue
        found = understand(site, analysis)
        if not isinstance(found, str) and found.code.name not in defined:
            functions.setdefault(found.code.name, found.code.code)
    if functions:
        plan.statements.append(("\n\n" + "\n\n\n".join(functions.values()) + "\n", RULE.id))
        plan.need_import("os")


# --- small helpers -------------------------------------------------------------------------------

_LINE = 100  # the longest line the new call is written on; longer, one argument a line


def _width(piece: Piece) -> int:
    return len(piece) if isinstance(piece, str) else max(0, piece[1] - piece[0])


def _read_from(node: ast.expr, analysis: Analysis) -> bool:
    """Whether the value is read from (`(…)["x"]`, `(…).y`): an `await` there needs brackets."""
    parent = analysis.facts.parent(node)
    return isinstance(parent, ast.Attribute | ast.Subscript | ast.Call)


def _raises_for_status(stmt: ast.stmt, name: str) -> bool:
    if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
        return False
    func = stmt.value.func
    return (
        isinstance(func, ast.Attribute)
        and func.attr == "raise_for_status"
        and isinstance(func.value, ast.Name)
        and func.value.id == name
        and not stmt.value.args
    )


def _siblings(analysis: Analysis, stmt: ast.stmt) -> list[ast.stmt]:
    parent = analysis.facts.parent(stmt)
    for field in ("body", "orelse", "finalbody"):
        items = getattr(parent, field, None)
        if isinstance(items, list) and any(item is stmt for item in items):
            return items
    return [stmt]


__all__ = ["RULE", "FlowSite", "Span", "contribute", "refusal", "rewrite", "understand"]
