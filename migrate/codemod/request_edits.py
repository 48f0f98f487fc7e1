"""Turns a `RequestPlan` into edits of the call: URL, method, query parameters, JSON body.

The URL is rebuilt in the form it was written in (a literal stays a literal, an f-string an
f-string, a concatenation a concatenation), keeping every run-time value as written.
"""

from __future__ import annotations

import ast
import re
import string

from migrate.codemod.find.evaluate import Base, Hole, Part, Template, Text
from migrate.codemod.find.hosts import NEW_HOSTS
from migrate.codemod.find.site import TOKEN, QueryItem, Site, call_receiver
from migrate.codemod.find.wrappers import KEYWORDS
from migrate.codemod.helper_twin import NoTwin, twin_for
from migrate.codemod.keyword_query import keyword_edits
from migrate.codemod.rule import Analysis, RequestPlan
from migrate.codemod.text.edits import (
    Edit,
    Piece,
    append_item,
    remove_items,
    replace,
    written,
)
from migrate.codemod.text.literals import fstring_fields, fstring_text, str_literal, style_of

_TOKEN = re.compile(r"__pm\d+__")
_ATOMS = (ast.Name, ast.Attribute, ast.Subscript, ast.Call, ast.Constant, ast.JoinedStr)


class NotRewritable(Exception):
    """The call cannot take the planned change (the site is then left for a human)."""


def request_edits(plan: RequestPlan, analysis: Analysis) -> list[Edit]:
    site = plan.site
    edits: list[Edit] = []
    url_rule = plan.by.get("url")
    url_items = [item for item in site.query.items if item.where == "url"]
    url_query_changes = any(_changes(plan, item.key) for item in url_items)
    if plan.new_path is not None or url_query_changes:
        edits.append(_url_edit(plan, analysis, url_items, url_rule or _rule_for_query(plan)))
    forwards: frozenset[str] = frozenset()
    if plan.new_method and plan.new_method != site.method:
        method_edits, forwards = _method_edits(plan, analysis)
        edits.extend(method_edits)
    helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
    forwards |= helper.forwards if helper is not None else frozenset()
    keywords = KEYWORDS in forwards  # the helper sends its extra keywords as the query
    params = keyword_edits(plan, analysis) if keywords else _params_edits(plan, analysis)
    body = _body_edits(plan, analysis)
    if site.helper is not None:
        if helper is not None and helper.method is None and body and "json" not in forwards:
            twin_edits, forwards = _twin_call(plan, analysis, plan.by.get("body", "PLM003"))
            edits.extend(twin_edits)
        unsent = (params and not keywords and "params" not in forwards) or (
            body and "json" not in forwards
        )
        if unsent:
            raise NotRewritable(f"`{site.helper}` does not pass params=/json= on to the request")
    edits.extend(params)
    edits.extend(body)
    edits.extend(plan.extra)
    return edits


def _changes(plan: RequestPlan, key: str) -> bool:
    return key in plan.renames or key in plan.drops or key in plan.values


def _rule_for_query(plan: RequestPlan) -> str:
    for key in (*plan.renames, *plan.drops, *plan.values):
        if key in plan.by:
            return plan.by[key]
    return "PLM005"


# --- the URL ---------------------------------------------------------------------------------


def _url_edit(plan: RequestPlan, analysis: Analysis, url_items: list[QueryItem], rule: str) -> Edit:
    site = plan.site
    resolution = site.resolution
    template = site.template
    if not template.editable or not resolution.path_editable:
        raise NotRewritable("the URL is not written in a form the codemod rebuilds")
    if resolution.how == "client base_url":
        session = _auth_in_session(site, analysis)
        if session is not None:
            raise NotRewritable(f"the Session subclass `{session}` sets its auth header itself")
    parts: list[Part] = []
    if resolution.host_own:
        environment = resolution.environment or "production"
        parts.append(Text(NEW_HOSTS[environment], True))
    elif resolution.how in ("base", "constant"):
        # the base is kept as written: a constant, `self.base_url`, a name with a known value
        # (the module's host rule moves it); never dropped, which would leave a relative URL
        first = template.parts[0] if template.parts else None
        if not isinstance(first, Base | Hole):
            raise NotRewritable("the URL's base could not be found again")
        parts.append(first)
    path = plan.new_path
    if path is None:
        parts.extend(resolution.path)
    else:
        if not resolution.slash:
            path = path.lstrip("/")
        parts.extend(_split_tokens(path, resolution.tokens))
    query: list[Part] = []
    for item in url_items:
        if item.key in plan.drops:
            continue
        key = plan.renames.get(item.key, item.key)
        if item.key in plan.values or item.key in plan.entries:
            raise NotRewritable("a query value written in the URL would have to change")
        if query:
            query.append(Text("&", True))
        if item.is_literal:
            query.append(Text(f"{key}={item.literal}", True))
        else:
            hole = _hole_for(item, resolution.query)
            query.extend([Text(f"{key}=", True), hole])
    if query:
        parts.append(Text("?", True))
        parts.extend(query)
    if template.segments:  # path segments given to a builder as literals: edited there
        if resolution.how != "base":
            raise NotRewritable("the URL's base is a piece given to the builder")
        pieces = _segment_pieces(template, parts, analysis)
        return replace(analysis.source, template.root, rule, *pieces)
    if template.edit_at is not None:  # a str.format template held in a name read here only
        pieces = _held_format_pieces(template.edit_at, parts, analysis)
        return replace(analysis.source, template.edit_at, rule, *pieces)
    pieces = _build(template.form, template.root, parts, analysis)
    return replace(analysis.source, template.root, rule, *pieces)


def _auth_in_session(site: Site, analysis: Analysis) -> str | None:
    """The `requests.Session` subclass the call's client is made from, when that class writes
    its own auth header (which no rule rewrites: a moved path would carry the legacy auth)."""
    clients = analysis.clients
    receiver = call_receiver(site.node)
    own = clients.own_session(receiver, site.call.scope)
    found = [own] if own is not None else []
    for made in clients.constructions(receiver, site.call.scope):
        named = made.func.id if isinstance(made.func, ast.Name) else None
        session = clients.sessions.get(named) if named else None
        if session is not None:
            found.append(session)
    return next((session.klass.name for session in found if session.sets_auth), None)


def _split_tokens(path: str, tokens: dict[str, Part]) -> list[Part]:
    out: list[Part] = []
    position = 0
    for found in _TOKEN.finditer(path):
        if found.start() > position:
            out.append(Text(path[position : found.start()], True))
        out.append(tokens[found.group(0)])
        position = found.end()
    if position < len(path):
        out.append(Text(path[position:], True))
    return out


def _hole_for(item: QueryItem, parts: list[Part]) -> Part:
    for part in parts:
        if isinstance(part, Hole | Base) and part.node is item.value:
            return part
    raise NotRewritable("a query value in the URL could not be found again")


def _merge(parts: list[Part]) -> list[Part]:
    merged: list[Part] = []
    for part in parts:
        if isinstance(part, Text) and merged and isinstance(merged[-1], Text):
            merged[-1] = Text(merged[-1].value + part.value, True)
        else:
            merged.append(part)
    return merged


def _build(form: str, root: ast.expr, parts: list[Part], analysis: Analysis) -> list[Piece]:
    parts = _merge(parts)
    if form == "literal":
        if any(not isinstance(part, Text) for part in parts):
            raise NotRewritable("a literal URL cannot take a run-time value")
        style = style_of(analysis.text(root))
        return [str_literal("".join(p.value for p in parts if isinstance(p, Text)), style)]
    if form == "f-string":
        start = analysis.span(root)[0]
        found = fstring_fields(analysis.text(root))
        if found is None:
            raise NotRewritable("the f-string is several literals side by side")
        style, fields = found
        pieces: list[Piece] = [style.prefix + style.quote]
        for part in parts:
            if isinstance(part, Text):
                pieces.append(fstring_text(part.value, style))
            elif part.field is None or part.field >= len(fields):
                raise NotRewritable("a value in the f-string could not be found again")
            else:
                low, high = fields[part.field]
                pieces.extend(["{", (start + low, start + high), "}"])
        pieces.append(style.quote)
        return pieces
    if form == "concatenation":
        operands = _operands(root)
        style = next(
            (style_of(analysis.text(node)) for node in operands if isinstance(node, ast.Constant)),
            None,
        )
        pieces = []
        for part in parts:
            if pieces:
                pieces.append(" + ")
            if isinstance(part, Text):
                pieces.append(str_literal(part.value, style))
                continue
            if not any(part.node is operand for operand in operands):
                raise NotRewritable("a value in the concatenation could not be found again")
            atomic = isinstance(part.node, _ATOMS)
            pieces.extend(
                [analysis.span(part.node)] if atomic else ["(", analysis.span(part.node), ")"]
            )
        return pieces
    if form == "str.format":
        return _format_pieces(root, parts, analysis)
    if form == "%-format":
        return _percent_pieces(root, parts, analysis)
    if form == "urljoin":
        return _urljoin_pieces(root, parts, analysis)
    if form == "url helper":
        return _url_helper_pieces(root, parts, analysis)
    raise NotRewritable(f"URLs built with {form} are not rebuilt")


# --- path segments given to a builder as literals ----------------------------------------------


def _segment_pieces(template: Template, parts: list[Part], analysis: Analysis) -> list[Piece]:
    """`"{}/{}/{}".format(ROOT, "expenses", id)` → `"{}/{}/{}".format(ROOT,
    "v1/accounting-entries", id)`, `"/".join([API, "employees", id])` → `"/".join([API,
    "v2/employees", id])`, `self._url("tax-codes", code_id)` → `self._url("v0/tax-codes",
    code_id)`: the builder's own text (template, separators) and every run-time value stay; the
    new path's text between two values is fitted onto the same pieces, each literal argument
    taking what lies between the fixed texts around it. A new path that does not fit (another
    order of values, a query to add, a fixed text that would have to change) is left alone."""
    old = _runs(list(template.parts))
    new = _runs(_merge(parts))
    if len(old) != len(new):
        raise NotRewritable("the new path takes its values in another order than the builder")
    posix = template.form == "posixpath.join"
    changes: list[tuple[tuple[int, int], str]] = []
    for before, after in zip(old, new, strict=True):
        if not isinstance(before, list) or not isinstance(after, list):
            if isinstance(before, list) or isinstance(after, list) or before.node is not after.node:
                raise NotRewritable("the new path takes its values in another order")
            continue
        text = "".join(part.value for part in after)
        segments = [part for part in before if part.node is not None]
        pattern = "".join("(.*?)" if part.node is not None else re.escape(part.value)
                          for part in before)
        found = re.fullmatch(pattern, text, re.DOTALL)
        if found is None:
            raise NotRewritable("the new path does not fit the pieces the URL is built from")
        for segment, value in zip(segments, found.groups(), strict=True):
            if not value or (posix and (value.startswith("/") or value.endswith("/"))):
                raise NotRewritable("the new path does not fit the pieces the URL is built from")
            if value != segment.value:
                assert segment.node is not None
                style = style_of(analysis.text(segment.node))
                changes.append((analysis.span(segment.node), str_literal(value, style)))
    start, end = analysis.span(template.root)
    pieces: list[Piece] = []
    position = start
    for (low, high), literal in sorted(changes):
        pieces.extend([(position, low), literal])
        position = high
    pieces.append((position, end))
    return pieces


def _runs(parts: list[Part]) -> list[list[Text] | Base | Hole]:
    """Text runs and values, alternating, starting and ending with a (maybe empty) run."""
    out: list[list[Text] | Base | Hole] = [[]]
    for part in parts:
        if isinstance(part, Text):
            last = out[-1]
            assert isinstance(last, list)
            last.append(part)
        else:
            out.extend([part, []])
    return out


# --- nativeurls: str.format and urljoin URLs (the template literal, the path argument) -------


def _format_pieces(root: ast.expr, parts: list[Part], analysis: Analysis) -> list[Piece]:
    """`"{}/employees".format(API)` → `"{}/v2/employees".format(API)`: only the template
    literal changes, each field written as it was, so every argument stays as written."""
    func = root.func if isinstance(root, ast.Call) else None
    literal = func.value if isinstance(func, ast.Attribute) else None
    if not (isinstance(literal, ast.Constant) and isinstance(literal.value, str)):
        raise NotRewritable("the str.format template is not a literal in the call")
    fields = [
        "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
        for _text, name, spec, conversion in string.Formatter().parse(literal.value)
        if name is not None
    ]
    text: list[str] = []
    used: list[int] = []
    for part in parts:
        if isinstance(part, Text):
            text.append(part.value.replace("{", "{{").replace("}", "}}"))
        elif part.field is None or part.field >= len(fields):
            raise NotRewritable("a value in the str.format URL could not be found again")
        else:
            text.append(fields[part.field])
            used.append(part.field)
    root_start, root_end = analysis.span(root)
    start, end = analysis.span(literal)
    style = style_of(analysis.text(literal))
    if "{}" in fields and used != list(range(len(used))):
        return _format_dropping(root, used, str_literal("".join(text), style), analysis)
    return [(root_start, start), str_literal("".join(text), style), (end, root_end)]


def _format_dropping(
    root: ast.expr, used: list[int], literal: str, analysis: Analysis
) -> list[Piece]:
    """`"{}/{}/expenses/{}".format(HOST, VERSION, id)` → `"{}/v1/accounting-entries/{}"
    .format(HOST, id)`: a value the new path no longer takes (a version written apart,
    `find/version_pieces`) leaves the arguments; the others keep their order."""
    call = root if isinstance(root, ast.Call) else None
    if (
        call is None
        or not isinstance(call.func, ast.Attribute)
        or call.keywords
        or not call.args
        or any(isinstance(arg, ast.Starred) for arg in call.args)
        or used != sorted(set(used))
    ):
        raise NotRewritable("the new path takes the str.format values in another order")
    root_start, root_end = analysis.span(root)
    start, end = analysis.span(call.func.value)
    first, last = analysis.span(call.args[0])[0], analysis.span(call.args[-1])[1]
    kept: list[Piece] = []
    for index in used:
        kept += [analysis.span(call.args[index]), ", "]
    return [(root_start, start), literal, (end, first), *kept[:-1], (last, root_end)]


def _percent_pieces(root: ast.expr, parts: list[Part], analysis: Analysis) -> list[Piece]:
    """`"%s/employees/%s" % (API, id)` → `"%s/v2/employees/%s" % (API, id)`: only the template
    literal changes; each value stays where it is, so the new path must take them in order."""
    if not (
        isinstance(root, ast.BinOp)
        and isinstance(root.op, ast.Mod)
        and isinstance(root.left, ast.Constant)
        and isinstance(root.left.value, str)
    ):
        raise NotRewritable("the %-format template is not a literal in the call")
    args = root.right.elts if isinstance(root.right, ast.Tuple) else [root.right]
    text: list[str] = []
    used: list[int] = []
    for part in parts:
        if isinstance(part, Text):
            text.append(part.value.replace("%", "%%"))
        elif part.field is None or part.field >= len(args):
            raise NotRewritable("a value in the %-format URL could not be found again")
        else:
            text.append("%s")
            used.append(part.field)
    if used != list(range(len(args))):
        return _percent_dropping(root, args, used, "".join(text), analysis)
    root_start, root_end = analysis.span(root)
    start, end = analysis.span(root.left)
    style = style_of(analysis.text(root.left))
    return [(root_start, start), str_literal("".join(text), style), (end, root_end)]


def _percent_dropping(
    root: ast.BinOp, args: list[ast.expr], used: list[int], text: str, analysis: Analysis
) -> list[Piece]:
    """`"%s/%s/accounts" % (ROOT, VERSION)` → `"%s/v1/chart-of-accounts" % (ROOT,)`: a value
    the new path no longer takes (a version written apart, `find/version_pieces`) leaves the
    tuple; the others keep their order."""
    if used != sorted(set(used)) or not isinstance(root.right, ast.Tuple):
        raise NotRewritable("the new path takes the %-format values in another order")
    kept: list[Piece] = ["("]
    for index in used:
        kept += [analysis.span(args[index]), ", "]
    kept[-1:] = [",)"] if len(used) == 1 else [")"]
    root_start, root_end = analysis.span(root)
    start, end = analysis.span(root.left)
    low, high = analysis.span(root.right)
    style = style_of(analysis.text(root.left))
    return [(root_start, start), str_literal(text, style), (end, low), *kept, (high, root_end)]


def _held_format_pieces(value: ast.expr, parts: list[Part], analysis: Analysis) -> list[Piece]:
    """`EXPENSE_URL = API_ROOT + "expenses/{}"` → `API_ROOT + "v1/accounting-entries/{}"`:
    the template is rebuilt where it is assigned; each value becomes its `{}` field again."""
    template: list[Part] = []
    used: list[int] = []
    for part in parts:
        if isinstance(part, Text):
            template.append(Text(part.value.replace("{", "{{").replace("}", "}}"), True))
        elif isinstance(part, Base | Hole) and part.field is not None:  # a `{}` of the call
            template.append(Text("{}", True))
            used.append(part.field)
        elif isinstance(part, Base) and not template:  # the base the template starts with
            template.append(part)
        else:
            raise NotRewritable("a value in the str.format URL could not be found again")
    if used != list(range(len(used))):
        raise NotRewritable("the new path takes the str.format values in another order")
    form = "literal" if isinstance(value, ast.Constant) else "concatenation"
    return _build(form, value, template, analysis)


def _urljoin_pieces(root: ast.expr, parts: list[Part], analysis: Analysis) -> list[Piece]:
    """`urljoin(API_ROOT, "tax-codes/" + id)` → `urljoin(API_ROOT, "v0/tax-codes/" + id)`:
    the base argument stays (the module's host rule moves it), the path argument is rebuilt
    in the form it is written in."""
    if not isinstance(root, ast.Call) or len(root.args) != 2:
        raise NotRewritable("the urljoin call could not be found again")
    base, path = root.args
    if not parts or not isinstance(parts[0], Base | Hole) or parts[0].node is not base:
        raise NotRewritable("the urljoin base could not be found again")
    forms = {ast.Constant: "literal", ast.JoinedStr: "f-string", ast.BinOp: "concatenation"}
    form = forms.get(type(path))
    if form is None or (isinstance(path, ast.BinOp) and not isinstance(path.op, ast.Add)):
        raise NotRewritable("the urljoin path is not written in a form the codemod rebuilds")
    root_start, root_end = analysis.span(root)
    start, end = analysis.span(path)
    inner = _build(form, path, parts[1:], analysis)
    return [(root_start, start), *inner, (end, root_end)]


def _url_helper_pieces(root: ast.expr, parts: list[Part], analysis: Analysis) -> list[Piece]:
    """`self._url("/expenses")` → `self._url("/v1/accounting-entries:search")`: the helper
    keeps its base (where it is set, the module's host rule moves it); only the path argument
    is rebuilt, in the form it is written in (see `find/url_helpers.py`)."""
    if not isinstance(root, ast.Call) or len(root.args) != 1 or not parts:
        raise NotRewritable("the URL helper call could not be found again")
    if not isinstance(parts[0], Base):
        raise NotRewritable("the URL helper's base could not be found again")
    (path,) = root.args
    forms = {ast.Constant: "literal", ast.JoinedStr: "f-string", ast.BinOp: "concatenation"}
    form = forms.get(type(path))
    if form is None or (isinstance(path, ast.BinOp) and not isinstance(path.op, ast.Add)):
        raise NotRewritable("the URL helper's path is not written in a form the codemod rebuilds")
    root_start, root_end = analysis.span(root)
    start, end = analysis.span(path)
    inner = _build(form, path, parts[1:], analysis)
    return [(root_start, start), *inner, (end, root_end)]


def _operands(node: ast.expr) -> list[ast.expr]:
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        return [*_operands(node.left), *_operands(node.right)]
    return [node]


# --- the method ------------------------------------------------------------------------------


def _method_edits(plan: RequestPlan, analysis: Analysis) -> tuple[list[Edit], frozenset[str]]:
    """The edits that change the call's method, and what a helper twin passes on."""
    site = plan.site
    new = plan.new_method or ""
    rule = plan.by.get("method", "PLM003")
    func = site.node.func
    if site.verb == "request" and isinstance(site.method_node, ast.Constant):
        style = style_of(analysis.text(site.method_node))
        literal = site.method_node.value
        value = new if isinstance(literal, str) and literal.isupper() else new.lower()
        edit = replace(analysis.source, site.method_node, rule, str_literal(value, style))
        return [edit], frozenset()
    if site.helper is not None:
        return _twin_call(plan, analysis, rule)
    if isinstance(func, ast.Attribute) and site.verb in ("get", "post", "put", "patch", "delete"):
        edit = replace(analysis.source, func, rule, analysis.span(func.value), "." + new.lower())
        return [edit], frozenset()
    raise NotRewritable("the HTTP method of this call cannot be changed here")


def _twin_call(
    plan: RequestPlan, analysis: Analysis, rule: str
) -> tuple[list[Edit], frozenset[str]]:
    """A call of a fixed-verb helper calls the helper's twin of the new verb; a call of a
    helper the method is passed to but `json=` is not, its twin that sends it (added once)."""
    site = plan.site
    helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
    if helper is None:
        raise NotRewritable(f"the method is fixed inside `{site.helper}`: change it there")
    try:
        twin = twin_for(helper, plan.new_method or "", analysis, rule)
    except NoTwin as problem:
        raise NotRewritable(str(problem)) from None
    func = site.node.func
    if isinstance(func, ast.Attribute):
        call = replace(analysis.source, func, rule, analysis.span(func.value), "." + twin.name)
    else:
        call = replace(analysis.source, func, rule, twin.name)
    return [call, twin.edit], twin.forwards


# --- query parameters and body -----------------------------------------------------------------


def _entry(key: str, value: tuple[Piece, ...]) -> tuple[Piece, ...]:
    if not key or key.startswith("**"):  # a whole entry (`**({"after": a} if a else {})`)
        return value
    return (str_literal(key), ": ", *value)


def _params_edits(plan: RequestPlan, analysis: Analysis) -> list[Edit]:
    site = plan.site
    edits: list[Edit] = []
    source = analysis.source
    params = site.query.params_dict
    param_items = [item for item in site.query.items if item.where == "params"]
    added = ", ".join(
        written(analysis.source, _entry(key, value)) for key, value in plan.add_query
    )
    add_rule = plan.by.get(plan.add_query[0][0], "PLM004") if plan.add_query else "PLM004"
    if params is None:
        if added:
            if site.query.params is not None:
                raise NotRewritable("the query parameters are built at run time")
            edits.append(
                append_item(
                    source, site.node, _call_items(site.node), f"params={{{added}}}", add_rule
                )
            )
        return edits
    pairs: list[tuple[ast.AST, ast.AST]] = [
        (k, v) for k, v in zip(params.keys, params.values, strict=True) if k is not None
    ]
    dropped = {index for index, item in enumerate(param_items) if item.key in plan.drops}
    if dropped:
        rule = plan.by.get(param_items[min(dropped)].key, "PLM005")
        edits.extend(remove_items(source, pairs, dropped, rule))
    for index, item in enumerate(param_items):
        if index in dropped:
            continue
        rule = plan.by.get(item.key, "PLM005")
        if item.key in plan.entries and item.key_node is not None and item.value is not None:
            start = analysis.span(item.key_node)[0]
            end = analysis.span(item.value)[1]
            edits.append(Edit(start, end, plan.entries[item.key], rule))
            continue
        if item.key in plan.renames and item.key_node is not None:
            style = style_of(analysis.text(item.key_node))
            edits.append(
                replace(source, item.key_node, rule, str_literal(plan.renames[item.key], style))
            )
        if item.key in plan.values and item.value is not None:
            edits.append(replace(source, item.value, rule, *plan.values[item.key]))
    if added:
        # After the last element as written: removals before it keep its trailing comma.
        anchor = [pairs[-1][1]] if len(dropped) < len(pairs) else []
        edits.append(append_item(source, params, anchor, added, add_rule))
    return edits


def _body_edits(plan: RequestPlan, analysis: Analysis) -> list[Edit]:
    site = plan.site
    edits: list[Edit] = []
    source = analysis.source
    if plan.body is not None:
        if site.json_node is not None or site.has_data:
            raise NotRewritable("the call already sends a body")
        entries = ", ".join(written(analysis.source, _entry(k, v)) for k, v in plan.body)
        edits.append(
            append_item(
                source,
                site.node,
                _call_items(site.node),
                f"json={{{entries}}}",
                plan.by.get("body", "PLM003"),
            )
        )
    if plan.add_body:
        body = site.json_dict
        if body is None:
            raise NotRewritable("the JSON body is built at run time")
        items: list[ast.AST] = [
            n for pair in zip(body.keys, body.values, strict=True) for n in pair if n is not None
        ]
        for key, value in plan.add_body:
            code = written(analysis.source, _entry(key, value))
            edits.append(append_item(source, body, items[-1:], code, plan.by.get(key, "PLM004")))
    return edits


def _call_items(call: ast.Call) -> list[ast.AST]:
    items: list[ast.AST] = [*call.args, *(k.value for k in call.keywords)]
    return sorted(items, key=lambda n: (n.lineno, n.col_offset))  # type: ignore[attr-defined]


__all__ = ["TOKEN", "NotRewritable", "request_edits"]
