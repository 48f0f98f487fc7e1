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
from migrate.codemod.find.hosts import LEGACY_BASE, NEW_HOSTS
from migrate.codemod.find.site import Site
from migrate.codemod.request_dispatch import differs, dispatch
from migrate.codemod.request_edits import NotRewritable, request_edits
from migrate.codemod.rule import Analysis, RequestPlan, RuleFinding
from migrate.codemod.rules import gap_endpoint, invented_endpoint
from migrate.codemod.text.edits import Edit, Piece, insert, replace
from migrate.codemod.text.literals import fstring_fields, str_literal, style_of

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


def other_values(site: Site, analysis: Analysis, automatic: bool) -> list[tuple[Site, ast.expr]]:
    """The values of a generic call whose operation the call's own scan site does not name,
    each with the literal that gives it (a caller's argument, a dict entry, a class attribute;
    for a URL chosen in branches, each branch's URL expression):
    `scan` reports one site per operation the call can reach, as `rewrite` acts (or holds) for
    all of them. A value that moves with a table whose call moves and has no new-API
    equivalent is reported by `left_behind_todos` already."""
    found: list[tuple[Site, ast.expr]] = []
    values = site.value_set
    named = {site.operation_id}
    if values is None:  # a URL chosen in branches: each branch's URL is where it is written
        for variant in site.alternatives:
            if variant.operation_id is not None and variant.operation_id not in named:
                named.add(variant.operation_id)
                found.append((variant, variant.template.root))
        return found
    behind = {id(variant) for variant in left_behind(site, analysis)} if automatic else set()
    for variant in site.alternatives:
        if variant.operation_id in named or id(variant) in behind:
            continue
        node = next((c.node for c in values.choices if c.value == variant.value), None)
        if node is not None:
            named.add(variant.operation_id)
            found.append((variant, node))
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
    others = [v.value for v in left_behind(site, analysis) if v.value is not None]
    for value in others:
        table.setdefault(value, value)
    name = _table_name(site, analysis)
    function = ""
    if differs(moving):  # each value's own method, query and body, looked up per value
        try:
            found = dispatch(site, moving, others, _dispatch_name(site, analysis), analysis)
        except NotRewritable as problem:
            raise NotRewritable(
                f"the values of `{values.name}` ({names}) need different requests: {problem}"
            ) from None
        shared, function = set(found.edits), found.function
    else:
        for request in moving:
            found_edits = set(request_edits(request, analysis))
            if shared is not None and found_edits != shared:
                raise NotRewritable(
                    f"the values of `{values.name}` ({names}) need different changes to the call"
                )
            shared = found_edits
    edits = sorted(shared or (), key=lambda edit: edit.start)
    edits.append(_hole_edit(hole.node, name, values.complete, analysis))
    host = _host_edit(site, analysis)
    if host is not None:
        edits.append(host)
    edits.append(_table_edit(site, name, table, analysis, function))
    return edits


def _dispatch_name(site: Site, analysis: Analysis) -> str:
    """`_pleo_list_request` for a call in `_list`; numbered when the module has the name."""
    own = site.call.scope.function_scope().node
    stem = getattr(own, "name", "module").strip("_").lower() or "call"
    name = base = f"_pleo_{stem}_request"
    taken = set(analysis.facts.module_scope.bindings) | set(analysis.facts.load_counts)
    count = 2
    while name in taken:
        name, count = f"{base}_{count}", count + 1
    return name


def _hole_edit(node: ast.expr, name: str, complete: bool, analysis: Analysis) -> Edit:
    """`resource` → `_NEW_API_RESOURCES[resource]`, where it is written; `cls.path` →
    `_NEW_API_PATHS.get(cls.path, cls.path)` when other modules may add values (a subclass
    elsewhere keeps its path, and answers 404 on the new host, as a gap does). Inside an
    f-string the field is found in the literal's text (positions `ast` gives inside f-strings
    before Python 3.12 are not to be trusted); elsewhere the node's text must read back."""
    joined = next((up for up in analysis.facts.ancestors(node) if isinstance(up, ast.JoinedStr)),
                  None)
    if joined is None:
        text = analysis.text(node)
        try:
            same = ast.dump(ast.parse(text.strip(), mode="eval").body) == ast.dump(node)
        except SyntaxError:
            same = False
        if not same:
            raise NotRewritable("the run-time part of the path could not be found again")
        span = analysis.span(node)
        return replace(analysis.source, node, RULE_ID, *_lookup(name, span, complete))
    formatted = [value for value in joined.values if isinstance(value, ast.FormattedValue)]
    index = next((i for i, value in enumerate(formatted) if value.value is node), None)
    text = analysis.text(joined)
    found = fstring_fields(text)
    if index is None or found is None or index >= len(found[1]):
        raise NotRewritable("the run-time part of the path could not be found in the f-string")
    low, high = found[1][index]
    field = text[low:high]
    written = ast.unparse(node)
    lead = len(field) - len(field.lstrip())
    if not field[lead:].startswith(written):
        raise NotRewritable("the run-time part of the path could not be found in the f-string")
    start = analysis.span(joined)[0] + low + lead
    end = start + len(written)
    return Edit(start, end, _lookup(name, (start, end), complete), RULE_ID)


def _lookup(name: str, span: tuple[int, int], complete: bool) -> tuple[Piece, ...]:
    if complete:
        return (f"{name}[", span, "]")
    return (f"{name}.get(", span, ", ", span, ")")


def _host_edit(site: Site, analysis: Analysis) -> Edit | None:
    """The legacy host written in the URL itself (`f"https://openapi.pleo.io/v1/{kind}/…"`)
    becomes the new one; a host in a constant or an attribute moves with its own rule."""
    resolution = site.resolution
    first = site.template.parts[0] if site.template.parts else None
    if not resolution.host_own:
        return None
    found = LEGACY_BASE.match(first.value) if isinstance(first, Text) else None
    if found is None or not isinstance(first, Text):
        raise NotRewritable("the host written in the URL could not be found again")
    environment = resolution.environment or "production"
    new = NEW_HOSTS[environment] + ("/" if found["slash"] else "") + first.value[found.end() :]
    root = site.template.root
    form = site.template.form
    literal: ast.expr | None = None
    if form == "concatenation":
        literal = _operands(root)[0]
    elif form == "urljoin" and isinstance(root, ast.Call) and root.args:
        literal = root.args[0]
    elif form == "f-string":
        text = analysis.text(root)
        fields = fstring_fields(text)
        style = style_of(text)
        if fields is None or style is None or not fields[1]:
            raise NotRewritable("the host written in the URL could not be found again")
        start = len(style.prefix) + len(style.quote)
        if text[start : fields[1][0][0] - 1] != first.value:
            raise NotRewritable("the host written in the URL could not be found again")
        offset = analysis.span(root)[0]
        return Edit(offset + start, offset + fields[1][0][0] - 1, (new,), RULE_ID)
    if not isinstance(literal, ast.Constant) or literal.value != first.value:
        raise NotRewritable("the host written in the URL could not be found again")
    written = style_of(analysis.text(literal))
    return replace(analysis.source, literal, RULE_ID, str_literal(new, written))


def _operands(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_operands(node.left), *_operands(node.right)]
    return [node]


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
    """`_NEW_API_RESOURCES` for `resource`, `_NEW_API_PATHS` for `cls.path`, `_NEW_API_KINDS`
    for `KINDS[kind]`; when several generic calls of the module would take one name, each adds
    its function's name (and a number within one function), so no table hides another."""
    name = f"_NEW_API_{_stem(site)}"
    group = [other for other in analysis.sites if other.value_hole is not None
             and other.value_set is not None and _stem(other) == _stem(site)]
    if len(group) > 1:
        own = site.call.scope.function_scope().node
        same = [other for other in group if other.call.scope.function_scope().node is own]
        name += "_" + getattr(own, "name", "module").strip("_").upper()
        if len(same) > 1:
            name += f"_{same.index(site) + 1}"
    taken = set(analysis.facts.module_scope.bindings) | set(analysis.facts.load_counts)
    base, count = name, 2
    while name in taken:
        name, count = f"{base}_{count}", count + 1
    return name


def _stem(site: Site) -> str:
    written = site.value_set.name if site.value_set else "value"
    plain = written.split("[", 1)[0].rsplit(".", 1)[-1]  # `KINDS[kind]`: KINDS; `cls.path`: path
    field = re.fullmatch(r"[a-z_]\w*\[(['\"])(\w+)\1\]", written)
    if field is not None:  # `spec["path"]`, a local holding a dict entry: the field says more
        plain = field[2]
    stem = re.sub(r"\W+", "_", plain).strip("_").upper() or "VALUE"
    if stem.endswith("S"):
        return stem
    if stem.endswith(("X", "SH", "CH", "Z")):
        return stem + "ES"  # `prefix`: PREFIXES
    if re.search(r"[^AEIOU]Y$", stem):
        return stem[:-1] + "IES"  # `entry`: ENTRIES
    return stem + "S"


def _table_edit(
    site: Site, name: str, table: dict[str, str], analysis: Analysis, function: str = ""
) -> Edit:
    """The table (and the function that answers what else differs per value, if any),
    inserted above the module-level statement that holds the call."""
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
    if function:
        lines.extend(["", "", *function.split("\n")])
    code = newline.join(lines) + newline * 3
    return insert(source.offset(line, 0), code, RULE_ID)
