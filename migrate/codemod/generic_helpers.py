"""Native rewrite of a generic request function whose callers choose the resource.

`def _fetch(resource, ident): requests.get(f"{BASE}/{resource}/{ident}")` called as
`_fetch("employees", …)` and `_fetch("tax-codes", …)` is one call site with one variant per
value its path part can take (`find/value_sets.py`). When every value with a new-API
equivalent needs the same changes to the call (same HTTP method, company placement, paging,
envelope) and differs only in its path, the call is rewritten once: the run-time part reads a
table generated right above the function (`_NEW_API_RESOURCES[resource]`, keyed by the legacy
value), the rest of the call as the per-call rules write it.

A table rather than edits at each caller: the callers' literals stay the names the user's code
reads (stream names, CLI choices, class attributes double as record types or labels), the
mapping sits in one place next to the function that uses it, and a value written in a dict or
a class attribute would otherwise need an edit far from the request. A value with no new-API
equivalent (a gap) or that the legacy API never had maps to itself: once moved it answers 404,
as it will once the legacy API is gone, and its caller gets its own TODO.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from migrate.codemod.find.evaluate import Hole, Text
from migrate.codemod.find.facts import statement_start
from migrate.codemod.find.site import Site
from migrate.codemod.request_edits import NotRewritable, request_edits
from migrate.codemod.rule import Analysis, RequestPlan, RuleFinding
from migrate.codemod.rules import gap_endpoint, invented_endpoint
from migrate.codemod.text.edits import Edit, insert, replace
from migrate.codemod.text.literals import str_literal, style_of

RULE_ID = "PLM002"  # the table holds new paths: resource_path's edit


def moves_with_table(variant: Site) -> bool:
    """Whether a value goes into the table as a new path (not a gap, not an invented path)."""
    op = variant.facts.operation if variant.facts else None
    return op is not None and op.new is not None and variant.resolution.status == "matched"


def reviewed(site: Site, analysis: Analysis) -> tuple[Site, ...]:
    """The variants whose reviews decide the call: all but those that answer 404 on the new
    API whatever is done (a gap or an invented path does not hold the others back); every
    variant when that leaves none."""
    if site.value_set is None:
        return site.variants
    kept = tuple(variant for variant in site.variants if not _stays(variant, analysis))
    return kept or site.variants


def _stays(variant: Site, analysis: Analysis) -> bool:
    """A value with no new-API equivalent: a gap, or a path the legacy API never had."""
    op = variant.facts.operation if variant.facts else None
    if op is not None:
        return op.new is None
    return invented_endpoint.invented_path(variant, analysis) is not None


def left_behind(site: Site, analysis: Analysis) -> tuple[Site, ...]:
    """The variants that map to themselves in the table (their callers get a TODO)."""
    if site.value_set is None:
        return ()
    return tuple(variant for variant in site.variants if _stays(variant, analysis))


@dataclass(frozen=True)
class LeftBehind:
    """A value with no new-API equivalent, where it is written, and its own TODO."""

    variant: Site
    node: ast.expr  # the literal: a caller's argument, a dict entry, a class attribute
    stmt: ast.stmt  # the statement the TODO goes above
    rule: str
    finding: RuleFinding


def left_behind_todos(site: Site, analysis: Analysis) -> list[LeftBehind]:
    """The TODO of each value of a generic call that answers 404 once the call moves (a gap:
    PLM102, an invented path: PLM112), at every place the value is written."""
    found: list[LeftBehind] = []
    if site.value_set is None:
        return found
    for variant in left_behind(site, analysis):
        rule, finding = gap_endpoint.RULE.id, gap_endpoint.review(variant, analysis)
        if finding is None:
            rule, finding = invented_endpoint.RULE.id, invented_endpoint.review(variant, analysis)
        if finding is None:
            continue
        for choice in site.value_set.choices:
            if choice.value != variant.value:
                continue
            stmt = next(
                (up for up in analysis.facts.ancestors(choice.node) if isinstance(up, ast.stmt)),
                None,
            )
            if stmt is not None:
                found.append(LeftBehind(variant, choice.node, stmt, rule, finding))
    return found


def generic_edits(site: Site, requests: list[RequestPlan], analysis: Analysis) -> list[Edit]:
    """The call's edits once for every value, the run-time part read through the table, and
    the table itself; `NotRewritable` when the values need different changes."""
    hole, values = site.value_hole, site.value_set
    if hole is None or values is None:
        raise NotRewritable("the values of the path could not be found again")
    moving = [request for request in requests if moves_with_table(request.site)]
    if not moving or all(request.new_path is None for request in moving):
        return []  # the rule that moves paths is off: nothing changes
    table: dict[str, str] = {}
    shared: set[Edit] | None = None
    names = ", ".join(dict.fromkeys(r.site.operation_id or "?" for r in moving))
    for request in moving:
        variant = request.site
        if request.new_path is None or variant.value is None:
            raise NotRewritable(f"the values of `{values.name}` ({names}) do not all move")
        table[variant.value] = _table_value(variant, request.new_path)
        request.new_path = None  # the URL is not rebuilt: its run-time part reads the table
        found = set(request_edits(request, analysis))
        if shared is not None and found != shared:
            raise NotRewritable(
                f"the values of `{values.name}` ({names}) need different changes to the call"
            )
        shared = found
    for variant in left_behind(site, analysis):
        if variant.value is not None:
            table.setdefault(variant.value, variant.value)
    name = _table_name(site, analysis)
    edits = sorted(shared or (), key=lambda edit: edit.start)
    span = analysis.span(hole.node)
    edits.append(replace(analysis.source, hole.node, RULE_ID, f"{name}[", span, "]"))
    edits.append(_table_edit(site, name, table, analysis))
    return edits


def _table_value(variant: Site, new_path: str) -> str:
    """What the value becomes: the new path less the text the URL keeps around the value."""
    resolution = variant.resolution
    value = variant.value or ""
    chunks: list[str] = []
    inverse = {id(part): token for token, part in resolution.tokens.items()}
    for part in resolution.path:
        known = part.value if isinstance(part, Text | Hole) else None
        if known is not None:
            chunks.append(known)
        else:
            chunks.append(inverse.get(id(part), "\0"))
    legacy = "".join(chunks)
    target = new_path if resolution.slash else new_path.lstrip("/")
    if legacy.count(value) != 1:
        raise NotRewritable(f"`{value}` cannot be told apart in the path {legacy!r}")
    before, after = legacy.split(value)
    if not target.startswith(before) or not target.endswith(after) or (
        len(target) < len(before) + len(after)
    ):
        raise NotRewritable(f"the new path of `{value}` does not keep the text around it")
    return target[len(before) : len(target) - len(after)]


def _table_name(site: Site, analysis: Analysis) -> str:
    """`_NEW_API_RESOURCES` for `resource`, `_NEW_API_PATHS` for `cls.path`; the function's
    name is added when another generic call of the module reads another table of that name."""
    hole = site.value_hole
    written = site.value_set.name if site.value_set else "value"
    plain = written.split("[", 1)[0].rsplit(".", 1)[-1]  # `KINDS[kind]`: KINDS; `cls.path`: path
    stem = re.sub(r"\W+", "_", plain).strip("_").upper() or "VALUE"
    name = f"_NEW_API_{stem}" if stem.endswith("S") else f"_NEW_API_{stem}S"
    function = site.call.scope.function_scope().node
    own = getattr(function, "name", "")
    for other in analysis.sites:
        other_hole = other.value_hole
        if other is site or other_hole is None or other.value_set is None or hole is None:
            continue
        other_function = other.call.scope.function_scope().node
        if (
            other.value_set.name.split("[", 1)[0].rsplit(".", 1)[-1] == plain
            and other.value_set.values != (site.value_set.values if site.value_set else ())
            and other_function is not function
        ):
            name = f"{name}_{own.strip('_').upper()}"
            break
    taken = set(analysis.facts.module_scope.bindings) | set(analysis.facts.load_counts)
    base, count = name, 2
    while name in taken:
        name, count = f"{base}_{count}", count + 1
    return name


def _table_edit(site: Site, name: str, table: dict[str, str], analysis: Analysis) -> Edit:
    """The table, inserted above the module-level statement that holds the call."""
    top: ast.AST = site.call.stmt
    for up in analysis.facts.ancestors(site.call.stmt):
        if isinstance(up, ast.stmt):
            top = up
    assert isinstance(top, ast.stmt)
    source = analysis.source
    newline = source.newline(1)
    line = statement_start(top)
    values = site.value_set
    first = values.choices[0].node if values is not None and values.choices else None
    style = style_of(analysis.text(first)) if isinstance(first, ast.Constant) else None
    written = values.name if values is not None else "?"
    holder = values.origin if values is not None else "its callers"
    lines = [f"# The new API's path for each value of `{written}` ({holder})."]
    lines.append(f"{name} = {{")
    for key, value in table.items():
        lines.append(f"    {str_literal(key, style)}: {str_literal(value, style)},")
    lines.append("}")
    code = newline.join(lines) + newline * 3
    return insert(source.offset(line, 0), code, RULE_ID)
