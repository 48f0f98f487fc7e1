"""Native rewrite of a generic call whose values need different new requests.

`_list(resource, key)` called with `"employees"` and `"accounts"` sends one legacy request
shape for both, but the new API wants `GET /v2/employees` with the company in the query for one
and `POST /v1/chart-of-accounts:search` with a JSON body for the other. When everything else
the call needs is the same for every value (the envelope it reads, its paging loop, renamed
query keys), the call is rewritten once, as a table call is (`generic_helpers.py`: the path
through the table of new paths), and what differs is looked up per value in a function
generated next to the table, in the style of the flow functions (`flow_code.py`):

    def _pleo_list_request(resource):
        if resource == "employees":
            return "GET", {"companyId": os.environ["PLEO_COMPANY_ID"]}, None
        if resource == "accounts":
            return "POST", {}, {"excludeIfAssignedToCategory": False, ...}
        return "GET", {}, None

    ...
        pleo_method, pleo_query, pleo_body = _pleo_list_request(resource)
        response = SESSION.request(pleo_method, self.base_url + "/" + _NEW_API_RESOURCES[resource],
                                   params={..., **pleo_query}, json=pleo_body, ...)

Each value's method, query and body are the ones the shared planner's rules give that value
alone (the same `RequestPlan`s a single call gets). A value with no new-API equivalent keeps
the legacy method without query or body (it answers 404 on the new host, as the table maps it
to itself). Refused (`NotRewritable`, the call keeps its TODO) when the values differ in
anything else, a per-value part reads a name written at the call, the call goes through a
request helper, already sends a body, or its statement is not one the lookup can precede.
"""

from __future__ import annotations

import ast
import dataclasses
import re

from migrate.codemod.find.site import Site
from migrate.codemod.request_edits import NotRewritable, request_edits
from migrate.codemod.rule import Analysis, RequestPlan
from migrate.codemod.text.edits import Edit, Piece, insert, replace

RULE_ID = "PLM003"  # a method that changes per value: the search rule's edit
METHOD, QUERY, BODY = "pleo_method", "pleo_query", "pleo_body"
_VERBS = ("get", "post", "put", "patch", "delete")


@dataclasses.dataclass(frozen=True)
class Dispatch:
    """The call's edits and the function (its code) that answers what differs per value."""

    edits: tuple[Edit, ...]
    function: str


def differs(requests: list[RequestPlan]) -> bool:
    """Whether the values need different methods, query additions or bodies."""
    return len({
        (r.new_method or r.site.method, tuple(r.add_query), tuple(r.body or ()), r.body is None,
         tuple(r.add_body))
        for r in requests
    }) > 1


def _parts(request: RequestPlan) -> tuple[str, tuple[str, ...], str | None]:
    """What one value sends that may differ: its method, its added query entries and its
    JSON body, as code; `NotRewritable` when that code reads the call's own text."""
    method = request.new_method or request.site.method or "GET"
    if request.add_body:
        raise NotRewritable("a value adds to the body the call sends")
    query = tuple(_entry(key, value) for key, value in request.add_query)
    body = None
    if request.body is not None:
        body = "{" + ", ".join(_entry(key, value) for key, value in request.body) + "}"
    return method, query, body


def _entry(key: str, value: tuple[Piece, ...]) -> str:
    if any(not isinstance(piece, str) for piece in value):
        raise NotRewritable("a value's query or body reads a name written at the call")
    code = "".join(piece for piece in value if isinstance(piece, str))
    return code if not key or key.startswith("**") else f"{_literal(key)}: {code}"


def dispatch(
    site: Site, moving: list[RequestPlan], others: list[str], name: str, analysis: Analysis
) -> Dispatch:
    """The edits of a call whose values (`moving`, and `others` that stay legacy) need
    different requests, with `name` for the generated function."""
    hole = site.value_hole
    values = site.value_set
    if hole is None or values is None:
        raise NotRewritable("the values of the path could not be found again")
    if site.helper is not None:
        raise NotRewritable(f"the method is fixed inside `{site.helper}`: change it there")
    if not _plain(hole.node):
        raise NotRewritable(f"`{values.name}` cannot be read before the call")
    parts = {request.site.value: _parts(request) for request in moving}
    methods = {method for method, _, _ in parts.values()}
    wants_method = len(methods) > 1  # one method for all: the call's own method edit
    wants_query = any(query for _, query, _ in parts.values())
    wants_body = any(body is not None for _, _, body in parts.values())
    if wants_body and (site.json_node is not None or site.has_data):
        raise NotRewritable("the call already sends a body")
    shared: set[Edit] | None = None
    for request in moving:
        neutral = _neutral(request, wants_method, wants_query)
        found = set(request_edits(neutral, analysis))
        if shared is not None and found != shared:
            raise NotRewritable(
                f"the values of `{values.name}` need different changes to the call"
            )
        shared = found
    names = [
        *([METHOD] if wants_method else []),
        *([QUERY] if wants_query else []),
        *([BODY] if wants_body else []),
    ]
    taken = _names_in(site, analysis)
    if taken & set(names):
        raise NotRewritable("the function already uses the names the lookup would bind")
    edits = sorted(shared or (), key=lambda edit: edit.start)
    if wants_method:
        edits.append(_method_edit(site, analysis))
    if wants_body:
        edits.append(_body_edit(site, analysis))
    anchor = _query_anchor(site, edits, analysis) if wants_query else site.call.stmt
    edits.append(_lookup_edit(site, names, name, analysis.text(hole.node), analysis, anchor))
    legacy = site.method or "GET"
    code = _function(name, values.name, values.origin, names, parts, others, legacy)
    return Dispatch(tuple(edits), code)


def _neutral(request: RequestPlan, wants_method: bool, wants_query: bool) -> RequestPlan:
    """The request without what the lookup supplies per value (the method when values differ
    in it, the added query as `**pleo_query`, the body): the edits every value must share."""
    return dataclasses.replace(
        request,
        new_method=None if wants_method else request.new_method,
        add_query=[(f"**{QUERY}", (f"**{QUERY}",))] if wants_query else [],
        body=None,
        add_body=[],
    )


def _plain(node: ast.expr) -> bool:
    """A name, or an attribute of `self`/`cls`: read again before the call, the same value."""
    if isinstance(node, ast.Name):
        return True
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in ("self", "cls")
    )


def _names_in(site: Site, analysis: Analysis) -> set[str]:
    function = site.call.scope.function_scope().node
    root = function if function is not None else analysis.facts.tree
    return {node.id for node in ast.walk(root) if isinstance(node, ast.Name)}


def _method_edit(site: Site, analysis: Analysis) -> Edit:
    """`client.get(url, …)` → `client.request(pleo_method, url, …)`; a method written in
    `request("GET", …)` becomes the name."""
    func = site.node.func
    if site.verb == "request" and isinstance(site.method_node, ast.Constant):
        return replace(analysis.source, site.method_node, RULE_ID, METHOD)
    if not isinstance(func, ast.Attribute) or site.verb not in _VERBS:
        raise NotRewritable("the HTTP method of this call cannot be changed here")
    start, end = analysis.span(func)
    text = analysis.source.text
    if text[end : end + 1] != "(":
        raise NotRewritable("the call's arguments could not be found again")
    receiver = analysis.span(func.value)
    after = text[end + 1 : end + 2]
    close = "" if not (site.node.args or site.node.keywords) else "," if after.isspace() else ", "
    return Edit(start, end + 1, (receiver, ".request(", METHOD, close), RULE_ID)


def _body_edit(site: Site, analysis: Analysis) -> Edit:
    """`json=pleo_body` after the call's last argument (`None` sends no body)."""
    node = site.node
    items: list[ast.AST] = [*node.args, *(keyword.value for keyword in node.keywords)]
    if not items:
        raise NotRewritable("the call has no arguments")
    last = max(items, key=lambda item: analysis.span(item)[1])
    end = analysis.span(last)[1]
    return insert(end, f", json={BODY}", RULE_ID)


def _query_anchor(site: Site, edits: list[Edit], analysis: Analysis) -> ast.stmt:
    """The statement the lookup must precede: the call's, or the one holding the query dict
    the call sends (`params = {…, **pleo_query}` before a paging loop), when that one runs
    first in an enclosing block and the value's name is the function's parameter alone."""
    stmt = site.call.stmt
    start, end = analysis.span(stmt)
    where = [
        edit.start
        for edit in edits
        if any(isinstance(piece, str) and f"**{QUERY}" in piece for piece in edit.pieces)
        and not start <= edit.start <= end
    ]
    if not where:
        return stmt
    hole = site.value_hole
    scope = site.call.scope.function_scope()
    kinds = (
        {binding.kind for binding in scope.bindings.get(hole.node.id, [])}
        if hole is not None and isinstance(hole.node, ast.Name)
        else set()
    )
    if kinds != {"param"}:
        raise NotRewritable("the query the call sends is built where the value may differ")
    for up in analysis.facts.ancestors(site.node):
        block = getattr(analysis.facts.parent(up), "body", None)
        if not isinstance(up, ast.stmt) or not isinstance(block, list) or up not in block:
            continue
        for held in block[: block.index(up)]:
            first, last = analysis.span(held)
            if isinstance(held, ast.stmt) and all(first <= at <= last for at in where):
                return held
    raise NotRewritable("the query the call sends is built where a lookup cannot precede it")


def _lookup_edit(
    site: Site,
    names: list[str],
    function: str,
    argument: str,
    analysis: Analysis,
    stmt: ast.stmt,
) -> Edit:
    """`pleo_method, pleo_query = _pleo_list_request(resource)` on its own line, right above
    `stmt`: the statement that holds the call (in the same block, so it runs each time the call
    does), or the one that builds the query dict it sends."""
    source = analysis.source
    line = source.lines[stmt.lineno - 1]
    indent = line[: len(line) - len(line.lstrip())]
    if isinstance(stmt, ast.While) or line.lstrip().startswith("elif"):
        raise NotRewritable("the call sits in a loop or branch test a lookup cannot precede")
    if isinstance(stmt, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        raise NotRewritable("the call sits in a decorator or a default a lookup cannot precede")
    for up in analysis.facts.ancestors(site.node):
        if up is stmt:
            break
        if isinstance(up, ast.Lambda | ast.comprehension | ast.NamedExpr | ast.GeneratorExp):
            raise NotRewritable("the call sits in an expression a lookup cannot precede")
    start = source.offset(stmt.lineno, 0)
    if source.offset(stmt.lineno, stmt.col_offset) != start + len(indent):
        raise NotRewritable("the call's statement shares its line with another")
    code = f"{indent}{', '.join(names)} = {function}({argument}){source.newline(stmt.lineno)}"
    return insert(start, code, RULE_ID)


def _function(
    name: str,
    argument: str,
    origin: str,
    names: list[str],
    parts: dict[str | None, tuple[str, tuple[str, ...], str | None]],
    others: list[str],
    legacy: str,
) -> str:
    """The generated function: one `if` per value, the legacy method for the others."""
    parameter = re.sub(r"\W+", "_", argument.split(".")[-1]).strip("_") or "value"
    lines = [
        f"def {name}({parameter}):",
        f'    """The new API\'s {_what(names)} for each value of `{argument}`',
        f'    ({origin}); each value\'s path is in the table above."""',
    ]
    for value, (method, query, body) in parts.items():
        lines.append(f"    if {parameter} == {_literal(value or '')}:")
        lines.append(f"        return {_returned(names, method, query, body)}")
    del others  # they fall through: the legacy method, nothing added (404 on the new host)
    lines.append(f"    return {_returned(names, legacy, (), None)}")
    return "\n".join(lines)


def _what(names: list[str]) -> str:
    words = {METHOD: "method", QUERY: "added query", BODY: "JSON body"}
    shown = [words[name] for name in names]
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def _returned(names: list[str], method: str, query: tuple[str, ...], body: str | None) -> str:
    out = [_literal(method)] if METHOD in names else []
    if QUERY in names:
        out.append("{" + ", ".join(query) + "}")
    if BODY in names:
        out.append(body if body is not None else "None")
    return ", ".join(out)


def _literal(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def branch_edits(site: Site, requests: list[RequestPlan], analysis: Analysis) -> list[Edit]:
    """A URL chosen in branches whose operations need different methods, query additions or
    bodies: each branch's URL at its assignment, with what differs assigned right after it
    (`pleo_method, pleo_body = "POST", {…}`), and the call written once to send those."""
    parts = [_parts(request) for request in requests]
    wants_method = len({method for method, _, _ in parts}) > 1
    wants_query = any(query for _, query, _ in parts)
    wants_body = any(body is not None for _, _, body in parts)
    if site.helper is not None:
        raise NotRewritable(f"the method is fixed inside `{site.helper}`: change it there")
    if wants_body and (site.json_node is not None or site.has_data):
        raise NotRewritable("the call already sends a body")
    names = [
        *([METHOD] if wants_method else []),
        *([QUERY] if wants_query else []),
        *([BODY] if wants_body else []),
    ]
    if _names_in(site, analysis) & set(names):
        raise NotRewritable("the function already uses the names the branches would bind")
    edits: list[Edit] = []
    shared: set[Edit] | None = None
    for variant, request, (method, query, body) in zip(site.variants, requests, parts,
                                                        strict=True):
        neutral = _neutral(request, wants_method, wants_query)
        found = request_edits(neutral, analysis)
        start, end = analysis.span(variant.template.root)
        own = [edit for edit in found if start <= edit.start and edit.end <= end]
        rest = {edit for edit in found if edit not in own}
        if shared is not None and rest != shared:
            raise NotRewritable("the branches need different changes to the call")
        shared = rest
        edits.extend(own)
        values = _returned(names, method, query, body) if names != [METHOD] else _literal(method)
        edits.append(_after_assignment(variant, f"{', '.join(names)} = {values}", analysis))
    edits.extend(sorted(shared or (), key=lambda edit: edit.start))
    if wants_method:
        edits.append(_method_edit(site, analysis))
    if wants_body:
        edits.append(_body_edit(site, analysis))
    return edits


def _after_assignment(variant: Site, code: str, analysis: Analysis) -> Edit:
    """`code` on a line of its own right after the branch's URL assignment, indented alike."""
    stmt = analysis.facts.parent(variant.template.root)
    if not isinstance(stmt, ast.Assign | ast.AnnAssign) or stmt.end_lineno is None:
        raise NotRewritable("a branch's URL is not assigned by a statement of its own")
    source = analysis.source
    line = source.lines[stmt.lineno - 1]
    indent = line[: len(line) - len(line.lstrip())]
    if source.offset(stmt.lineno, stmt.col_offset) != source.offset(stmt.lineno, 0) + len(indent):
        raise NotRewritable("a branch's URL assignment shares its line with another statement")
    last = source.lines[stmt.end_lineno - 1]
    if last.rstrip().endswith("\\"):
        raise NotRewritable("a branch's URL assignment continues on the next line")
    end = source.starts[stmt.end_lineno - 1] + len(last.rstrip("\r\n"))  # after any comment
    return insert(end, f"{source.newline(stmt.lineno)}{indent}{code}", RULE_ID)
