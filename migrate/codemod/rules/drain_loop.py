"""PLM011: a legacy list that returned every record becomes a loop over the new API's pages.

The legacy API answered `GET /tax-codes` (tag groups, receipts, …) with the whole list; the
new API pages it, so the same call once rewritten would silently return the first page only.
Where the call sits in one of these statements, the statement becomes a loop that drains every
page and gives the same list (records in the new shape, as every native rewrite):

    return <call>["taxCodes"]             records, after = [], None
    return <call>.json()["taxCodes"]      while True:
    codes = <call>.json()["taxCodes"]  →      page = <call with limit/after>
    r = <call>                                records.extend(page["data"])
    r.raise_for_status()                      if not page["pagination"]["hasNextPage"]:
    return r.json()["taxCodes"]                   break
                                              after = page["pagination"]["endCursor"]
                                          return records

The statement that reads the records may also hand them on once, first thing: `for x in
<records>:`, `len(<records>)`, `sorted(e["id"] for e in <records>)`, `yield from <records>`;
it then reads the list.
The records may be read as `["taxCodes"]` or `.get("taxCodes")` (no default, or an empty one,
or `… or []`).
The body may be held in a name read once, in the next statement (`data = <call>.json()` or
`data = r.json()`, then `return sorted(e["id"] for e in data["expenses"])`): the loop reads
each page's body itself. A `params` dict held in a name (`params = {"pageSize": 250}`) goes
into the loop when it is assigned right before (it carries the cursor); elsewhere, no loop.
The call itself is rewritten by the other rules as usual (path, method, search body) and
keeps its headers and timeout; the cursor goes in the query, as the planner sends it
(`limit` at the operation's maximum, `after` from the second page on). A single legacy page
whose literal `pageSize` is above the new maximum (200 where the new API allows 100) becomes
the same loop, stopping at that many records. Any other statement shape stays a PLM107 TODO
(`shape` says which shapes this rule takes; PLM107 asks it).
"""

from __future__ import annotations

import ast
import itertools
from dataclasses import dataclass, replace

from migrate.codemod.find.site import Site
from migrate.codemod.read_adapter import adapter_of
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import page_cap
from migrate.codemod.text.edits import Edit, Piece
from migrate.pleo import (
    LEGACY_PAGE_OFFSET,
    LEGACY_PAGE_SIZE,
    NEW_AFTER,
    NEW_END_CURSOR,
    NEW_HAS_NEXT,
    NEW_LIMIT,
    NEW_PAGINATION,
)

RULE = Rule(
    "PLM011",
    "drain_loop",
    "native",
    "rewrite",
    "Rewrite a legacy list that returned every record (`return <call>…[\"taxCodes\"]`, "
    "`x = <call>.json()[…]`, `r = <call>; r.raise_for_status(); return r.json()[…]`, `for`, "
    "`sorted(…)`) into a loop that drains every page of the new API; likewise a single page "
    "whose pageSize is above the new maximum or held in a name.",
)

_ENVELOPE_RULE = "PLM007"  # its key rename is replaced by the loop's own `page["data"]`


@dataclass(frozen=True)
class DrainShape:
    """Where the loop goes: the statements it replaces, the body expression of one page, and
    what the last statement does with the records (`return`, or assign them to a name)."""

    first: ast.stmt  # the first statement replaced (the call's own)
    last: ast.stmt  # the statement that reads the records
    moved: tuple[ast.stmt, ...]  # statements before `last` that go into the loop as written
    body: ast.expr  # one page's body: the helper's result or `….json()`
    records: ast.expr  # the records read in `last` (`….json()["taxCodes"]`, or the body)
    target: str | None  # `x = <records>`: the name the records go to; else a fresh name
    # a single page of `pageSize` above the new maximum, or of a run-time size (its code, a
    # name or attribute): the records wanted
    total: int | str | None
    # `data = <call>.json()` right before `last` reads `data["taxCodes"]`: dropped, the loop
    # reads each page's body itself
    held: ast.stmt | None = None


def shape(site: Site, analysis: Analysis) -> DrainShape | None:
    """The statement shape around a whole-list call (or a single page above the new maximum)
    this rule rewrites, else None."""
    op = site.facts.operation if site.facts else None
    if op is None or op.new is None or op.response is None or op.response.new.key is None:
        return None
    if site.loop is not None or site.alternatives:
        return None
    if any(item.records is not None and not item.carried for item in op.filters):
        return None  # the legacy list left records out that the new one sends (`records:`)
    total = _total(site, op.paging, page_cap(op), analysis)
    if total is False:
        return None
    response = site.response
    if len(response.json_calls) != 1 or response.next_offsets or response.other_meta:
        return None
    body = response.json_calls[0]
    if isinstance(body, ast.Name):
        return None  # one of the results of an `asyncio.gather`: no call to loop over
    legacy_key = op.response.legacy.key
    held: ast.stmt | None = None
    if legacy_key is None:
        if response.reads:
            return None
        records: ast.expr = body
    else:
        if len(response.reads) != 1:
            return None
        read = response.reads[0]
        if read.key != legacy_key or not _whole_read(read.node):
            return None
        if read.base is not body:
            held = _body_holder(analysis, body, read.base)
            if held is None:
                return None
        records = _or_empty(analysis, read.node)
    last = _statement_reading(analysis, records)
    if last is None:
        return None
    target = _records_target(last, records)
    if response.escapes and legacy_key is not None:
        return None  # a bare body may be handed on: the list of records takes its place
    reader = held or last  # the statement that reads the page's body
    found = DrainShape(reader, last, (), body, records, target, total or None, held)
    if site.call.stmt is reader:
        if not _within(site.node, body):
            return None
        checked = _checked(found, analysis)
    else:
        checked = _split_shape(site, analysis, found)
    return None if checked is None else _with_held_query(site, analysis, checked)


def _total(site: Site, paging: str, cap: int, analysis: Analysis) -> int | str | bool:
    """How many records the loop gathers: 0 for all; for one legacy page whose literal size is
    above the new maximum, that size; for one of a size held in a name or attribute, its code
    (any size then gives the same records); False when none of these."""
    size = site.query.get(LEGACY_PAGE_SIZE)
    offset = site.query.get(LEGACY_PAGE_OFFSET)
    if paging == "all-to-cursor":
        return False if size is not None or offset is not None else 0
    if paging != "offset-to-cursor" or size is None or size.where == "url":
        return False
    if offset is not None and not (offset.is_literal and str(offset.literal) == "0"):
        return False
    if not size.is_literal:
        held = isinstance(size.value, ast.Name | ast.Attribute)
        return analysis.text(size.value) if held and size.value is not None else False
    if not str(size.literal).isdigit() or int(str(size.literal)) <= cap:
        return False
    return int(str(size.literal))


def _statement_reading(analysis: Analysis, records: ast.expr) -> ast.stmt | None:
    """The statement that evaluates `records` exactly once and first thing: as its value
    (`return`, `x =`, a bare expression, `for … in`), possibly through call arguments and
    the first `for` of a comprehension (`sorted(e["id"] for e in <records>)`)."""
    node: ast.AST = records
    while True:
        parent = analysis.facts.parent(node)
        if isinstance(parent, ast.Return | ast.Assign | ast.Expr) and parent.value is node:
            return parent
        if isinstance(parent, ast.For) and parent.iter is node:
            return parent
        if isinstance(parent, ast.Call) and any(arg is node for arg in parent.args):
            node = parent
            continue
        if isinstance(parent, ast.YieldFrom):  # `yield from <records>` in a generator
            node = parent
            continue
        if isinstance(parent, ast.comprehension) and parent.iter is node:
            holder = analysis.facts.parent(parent)
            comprehensions = ast.GeneratorExp | ast.ListComp | ast.SetComp | ast.DictComp
            if isinstance(holder, comprehensions) and holder.generators[0] is parent:
                node = holder
                continue
        return None


def _records_target(stmt: ast.stmt, records: ast.expr) -> str | None:
    """The name of `name = <records>`; None for any other statement."""
    if (
        isinstance(stmt, ast.Assign)
        and stmt.value is records
        and len(stmt.targets) == 1
        and isinstance(stmt.targets[0], ast.Name)
    ):
        return stmt.targets[0].id
    return None


def _whole_read(node: ast.expr) -> bool:
    """`body["taxCodes"]`, or `body.get("taxCodes")` with no default or an empty one (`[]`,
    `()`, `None`): the legacy body always had the key, so either reads the whole list."""
    if isinstance(node, ast.Subscript):
        return True
    if not isinstance(node, ast.Call) or node.keywords or not 1 <= len(node.args) <= 2:
        return False
    if len(node.args) == 1:
        return True
    default = node.args[1]
    return (isinstance(default, ast.List | ast.Tuple) and not default.elts) or (
        isinstance(default, ast.Constant) and default.value is None
    )


def _or_empty(analysis: Analysis, node: ast.expr) -> ast.expr:
    """`<records> or []` (or `()`) as a whole: the list takes its place; else `node`."""
    parent = analysis.facts.parent(node)
    if (
        isinstance(parent, ast.BoolOp)
        and isinstance(parent.op, ast.Or)
        and len(parent.values) == 2
        and parent.values[0] is node
        and isinstance(parent.values[1], ast.List | ast.Tuple)
        and not parent.values[1].elts
    ):
        return parent
    return node


def _body_holder(analysis: Analysis, body: ast.expr, base: ast.expr) -> ast.stmt | None:
    """`data = <body>` when the records are read as `data[…]` (`base`) in another statement:
    the assignment (the name is assigned once and read only there: `responses` says so)."""
    statement = analysis.facts.parent(body)
    if not (
        isinstance(base, ast.Name)
        and isinstance(statement, ast.Assign)
        and statement.value is body
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
        and statement.targets[0].id == base.id
    ):
        return None
    return statement


def _with_held_query(site: Site, analysis: Analysis, found: DrainShape) -> DrainShape | None:
    """A `params` dict held in a name (`params = {"pageSize": 250}`) gets the cursor and the
    page size, which change from page to page: its assignment must be the statement right
    before the loop's first, and goes into the loop; anywhere else, no loop."""
    params, held = site.query.params, site.query.params_dict
    if held is None or not isinstance(params, ast.Name):
        return found
    statement = analysis.facts.parent(held)
    if not (
        isinstance(statement, ast.Assign)
        and statement.value is held
        and len(statement.targets) == 1
        and isinstance(statement.targets[0], ast.Name)
    ):
        return None
    siblings = _siblings(analysis, found.first)
    if siblings is None or not any(item is statement for item in siblings):
        return None
    if siblings.index(statement) + 1 != siblings.index(found.first):
        return None
    return _checked(replace(found, first=statement, moved=(statement, *found.moved)), analysis)


def _split_shape(site: Site, analysis: Analysis, found: DrainShape) -> DrainShape | None:
    """`r = <call>` [`r.raise_for_status()`] `<last>` (or `data = r.json()` then `<last>`):
    consecutive, `r` read nowhere else."""
    first, body = site.call.stmt, found.body
    last = found.held or found.last  # the statement that reads `r.json()`
    if not (
        isinstance(first, ast.Assign)
        and len(first.targets) == 1
        and isinstance(first.targets[0], ast.Name)
        and _unawaited(first.value) is site.node
    ):
        return None
    name = first.targets[0].id
    siblings = _siblings(analysis, first)
    if siblings is None or last not in siblings or first not in siblings:
        return None
    between = siblings[siblings.index(first) + 1 : siblings.index(last)]
    if len(between) > 1 or not all(_raises_for_status(stmt, name) for stmt in between):
        return None
    if not (isinstance(body, ast.Call) and isinstance(body.func, ast.Attribute)):
        return None
    if not (isinstance(body.func.value, ast.Name) and body.func.value.id == name):
        return None
    function = _function_of(analysis, first)
    loads = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    ]
    if len(loads) != 1 + len(between):
        return None
    return _checked(replace(found, first=first, moved=(first, *between)), analysis)


def _checked(found: DrainShape, analysis: Analysis) -> DrainShape | None:
    """Only whitespace between the statements (comments would be lost), each alone on its
    lines, and the records' name not read by the call (it starts empty)."""
    held = () if found.held is None or found.held in found.moved else (found.held,)
    statements = (*found.moved, *held, found.last)
    if found.held is not None and not _next_to(analysis, found.held, found.last):
        return None
    text = analysis.source.text
    for before, after in itertools.pairwise(statements):
        if text[analysis.span(before)[1] : analysis.span(after)[0]].strip():
            return None
    start = analysis.span(found.first)[0]
    line_start = text.rfind("\n", 0, start) + 1
    if text[line_start:start].strip():
        return None  # `x = 1; return …`: not alone on its line
    end = analysis.span(found.last)[1]
    line_end = text.find("\n", end)
    rest = text[end : None if line_end < 0 else line_end]
    if rest.strip() and not rest.strip().startswith("#"):
        return None
    if found.target is not None and any(
        isinstance(node, ast.Name) and node.id == found.target
        for stmt in found.moved
        for node in ast.walk(stmt)
    ):
        return None
    if found.target is not None and any(
        isinstance(node, ast.Name) and node.id == found.target for node in ast.walk(found.body)
    ):
        return None
    return found


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    op = site.facts.operation if site.facts else None
    if op is None or op.paging not in ("all-to-cursor", "offset-to-cursor"):
        return
    found = shape(site, analysis)
    if found is None or op.response is None or op.response.new.key is None:
        return
    taken = _names_in(_function_of(analysis, found.first))
    records = found.target or _fresh("records", taken)
    cursor = _fresh(NEW_AFTER, taken | {records})
    page = _fresh("page", taken | {records, cursor})
    cap = page_cap(op)
    if found.total is None:
        request.add_query.append((NEW_LIMIT, (str(cap),)))
        request.by[NEW_LIMIT] = RULE.id
    else:  # PLM005 renames it `limit`; each page asks for no more than is still wanted
        request.values[LEGACY_PAGE_SIZE] = (f"min({cap}, {found.total} - len({records}))",)
        request.by[LEGACY_PAGE_SIZE] = RULE.id
    request.add_query.append(("", (f'**({{"{NEW_AFTER}": {cursor}}} if {cursor} else {{}})',)))
    request.by[""] = RULE.id
    text = analysis.source.text
    start = analysis.span(found.first)[0]
    indent = text[text.rfind("\n", 0, start) + 1 : start]
    inner = indent + "    "
    more = f'{page}["{NEW_PAGINATION}"]["{NEW_HAS_NEXT}"]'
    done = f"not {more}"
    if found.total is not None:
        done += f" or len({records}) >= {found.total}"
    fresh = f'{page}["{op.response.new.key}"]'
    adapter = adapter_of(site, analysis)  # records read through changing fields (PLM109)
    fresh = fresh if adapter is None else f"map({adapter.name}, {fresh})"
    pieces: list[Piece] = [f"{records}, {cursor} = [], None\n{indent}while True:\n"]
    for stmt in found.moved:
        pieces += [inner, analysis.span(stmt), "\n"]
    pieces += [
        f"{inner}{page} = ",
        analysis.span(found.body),
        f"\n{inner}{records}.extend({fresh})\n",
        f"{inner}if {done}:\n{inner}    break\n",
        f'{inner}{cursor} = {page}["{NEW_PAGINATION}"]["{NEW_END_CURSOR}"]',
    ]
    last_start, end = analysis.span(found.last)
    if found.target is None:  # the statement that read the records now reads the list
        records_start, records_end = analysis.span(found.records)
        pieces += [
            f"\n{indent}",
            (last_start, records_start),
            records,
            (records_end, end),
        ]
    request.extra[:] = [
        edit
        for edit in request.extra
        if not (edit.rule == _ENVELOPE_RULE and start <= edit.start and edit.end <= end)
    ]
    request.extra.append(Edit(start, end, tuple(pieces), RULE.id))


# --- small helpers -------------------------------------------------------------------------------


def _unawaited(node: ast.expr | None) -> ast.expr | None:
    return node.value if isinstance(node, ast.Await) else node


def _within(node: ast.AST, outer: ast.AST) -> bool:
    return any(child is node for child in ast.walk(outer))


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


def _next_to(analysis: Analysis, before: ast.stmt, after: ast.stmt) -> bool:
    siblings = _siblings(analysis, before)
    if siblings is None or not any(item is after for item in siblings):
        return False
    return siblings.index(after) == siblings.index(before) + 1


def _siblings(analysis: Analysis, stmt: ast.stmt) -> list[ast.stmt] | None:
    parent = analysis.facts.parent(stmt)
    if parent is None:
        return None
    for field in ("body", "orelse", "finalbody"):
        items = getattr(parent, field, None)
        if isinstance(items, list) and any(item is stmt for item in items):
            return items
    return None


def _function_of(analysis: Analysis, node: ast.AST) -> ast.AST:
    for above in analysis.facts.ancestors(node):
        if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef):
            return above
    return analysis.facts.tree


def _names_in(scope: ast.AST) -> set[str]:
    names = {node.id for node in ast.walk(scope) if isinstance(node, ast.Name)}
    names |= {node.arg for node in ast.walk(scope) if isinstance(node, ast.arg)}
    return names


def _fresh(name: str, taken: set[str]) -> str:
    candidate, number = name, 2
    while candidate in taken:
        candidate, number = f"{name}{number}", number + 1
    return candidate
