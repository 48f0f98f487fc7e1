"""How PLM012's generated flow functions send: a `send` lambda in the call's own style.

A flow call becomes `_pleo_…(send, …)`; `send` repeats the call as it was written for each
of the flow's new-API requests: the same client or library function (its `.get`, or its
`.request` for a write), the same base and keyword arguments (`headers=`, `timeout=`,
`auth=`), or the module's private request helper when it passes the query (and, for a
write, the method and body) on. Each function here answers the lambda and the calling
`Style`, or a short reason why the call cannot be repeated that way (PLM103 shows it).
"""

from __future__ import annotations

import ast
import re

from migrate.codemod.find.evaluate import Base, Hole, Text
from migrate.codemod.find.hosts import NEW_HOSTS
from migrate.codemod.find.site import Site
from migrate.codemod.find.wrappers import RequestHelper
from migrate.codemod.flow_code import Style
from migrate.codemod.rule import Analysis
from migrate.codemod.text.edits import Piece

_KEPT_KEYWORDS = frozenset({"params", "json", "data", "url"})  # the flow sends its own


def _method_helper(site: Site, analysis: Analysis) -> RequestHelper | str:
    """The request helper the call goes through, when it takes the method."""
    helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
    if helper is None or helper.returns == "other" or helper.method_index is None:
        return f"`{site.helper}` does not take the method"
    return helper


def _helper_style(helper: RequestHelper, site: Site, analysis: Analysis) -> Style | str:
    """How the helper's call answers: awaited where it is made (an async helper), and the
    response or its body."""
    is_async = isinstance(helper.function, ast.AsyncFunctionDef)
    if is_async and awaited(site, analysis) is None:
        return f"its call of the async `{site.helper}` is not awaited where it is made"
    return Style(is_async, helper.returns == "json")


def helper_write_sender(site: Site, analysis: Analysis) -> tuple[tuple[Piece, ...], Style] | str:
    """`lambda method, path, params, body: self._request(method, path, params=…, json=body)`."""
    helper = _method_helper(site, analysis)
    if isinstance(helper, str):
        return helper
    if not {"params", "json"} <= helper.forwards:
        return f"`{site.helper}` does not pass params= and json= on to the request"
    call = site.node
    if len(call.args) != max(helper.path_index, helper.method_index or 0) + 1:
        return f"its arguments to `{site.helper}` are not only the method and path"
    if any(item.arg != "json" for item in call.keywords):
        return f"it passes more than json= to `{site.helper}`"
    path = "path" if site.resolution.slash else "path[1:]"
    pieces: list[Piece] = ["lambda method, path, params, body: ", analysis.span(call.func), "("]
    for index in range(len(call.args)):
        value = {helper.path_index: path, helper.method_index: "method"}.get(index)
        if value is None:
            return f"its arguments to `{site.helper}` are not only the method and path"
        pieces += [", " if index else "", value]
    pieces.append(", params=params, json=body)")
    style = _helper_style(helper, site, analysis)
    return style if isinstance(style, str) else (tuple(pieces), style)


def helper_merge_sender(site: Site, analysis: Analysis) -> tuple[tuple[Piece, ...], Style] | str:
    """`lambda method, path, params, body: self._call(method, path, body)`: a helper that takes
    the method and hands a body on as `json=` (a merge-update sends no query)."""
    helper = _method_helper(site, analysis)
    if isinstance(helper, str):
        return helper
    call = site.node
    body_index = helper.body_index
    given_json = any(item.arg == "json" for item in call.keywords)
    if body_index is None and not (given_json and "json" in helper.forwards):
        return f"`{site.helper}` does not pass a body on as json="
    path = "path" if site.resolution.slash else "path[1:]"
    pieces: list[Piece] = ["lambda method, path, params, body: ", analysis.span(call.func), "("]
    roles = {helper.path_index: path, helper.method_index: "method"}
    if body_index is not None:
        roles[body_index] = "body"
    if any(isinstance(a, ast.Starred) for a in call.args):
        return f"it passes `*` arguments to `{site.helper}`"
    for index in range(len(call.args)):
        value = roles.get(index)
        if value is None:
            return f"its arguments to `{site.helper}` are not only the method, path and body"
        pieces += [", " if index else "", value]
    body_name = (
        None if body_index is None
        else helper.caller_params[body_index]
    )
    for item in call.keywords:
        if item.arg is None:
            return "it passes `**` keyword arguments"
        if item.arg in ("json", body_name):
            pieces += [f", {item.arg}=body"]
        else:
            pieces += [", ", analysis.span(item)]
    pieces.append(")")
    style = _helper_style(helper, site, analysis)
    return style if isinstance(style, str) else (tuple(pieces), style)


def helper_inline_sender(site: Site, analysis: Analysis) -> tuple[tuple[Piece, ...], Style] | str:
    """`lambda method, path, params, body: self.session.request(method, self.base_url + path,
    json=body, timeout=20)`: the request of a fixed-method helper (`_patch(path, body)`) with
    the method open. Only for a helper that does nothing but send, check and decode
    (`r = <client>.<verb>(<base> + path, json=body, …)`, `r.raise_for_status()`, `return
    r.json()`), whose base and other keywords are plain names or constants: the copy then sends
    what the helper sends, and reads the same names the module's host and auth edits reach."""
    helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
    if helper is None or helper.method is None or helper.returns != "json":
        return f"`{site.helper}` does not take the method"
    refused = f"`{site.helper}` does more than send one request (the method is fixed in it)"
    inner, function = helper.inner, helper.function
    names = helper.caller_params
    if not isinstance(inner.func, ast.Attribute) or not _plain(inner.func.value, names):
        return refused
    if len(inner.args) != 1 or not _sent_path(inner.args[0], names, helper.path_index):
        return refused
    base = inner.args[0].left  # type: ignore[attr-defined]
    if not _only_sends(function, inner):
        return refused
    keywords: list[Piece] = []
    for item in inner.keywords:
        if item.arg == "json" and isinstance(item.value, ast.Name) and item.value.id in names:
            continue
        if item.arg is None or item.arg in ("params", "data", "url") or not _plain(
            item.value, names
        ):
            return refused
        keywords.append(", " + ast.get_source_segment(analysis.source.text, item))  # type: ignore[operator]
    if _reads_self(inner) and not _in_method_of(site, analysis, helper.owner):
        return refused
    text = analysis.source.text
    path = "path" if site.resolution.slash else "path[1:]"
    sender: tuple[Piece, ...] = (
        "lambda method, path, params, body: ",
        str(ast.get_source_segment(text, inner.func.value)),
        ".request(method, ",
        str(ast.get_source_segment(text, base)),
        f" + {path}, json=body",
        *keywords,
        ")",
    )
    is_async = isinstance(function, ast.AsyncFunctionDef)
    if is_async and awaited(site, analysis) is None:
        return f"its call of the async `{site.helper}` is not awaited where it is made"
    return sender, Style(is_async, False)


def _plain(node: ast.expr, params: list[str]) -> bool:
    """A constant, a name or an attribute chain (`self.session`), reading no helper parameter."""
    while isinstance(node, ast.Attribute):
        node = node.value
    if isinstance(node, ast.Constant):
        return True
    return isinstance(node, ast.Name) and node.id not in params


def _sent_path(url: ast.expr, params: list[str], index: int) -> bool:
    """`<base> + path`, `path` the helper's path parameter and `<base>` plain."""
    return (
        isinstance(url, ast.BinOp)
        and isinstance(url.op, ast.Add)
        and isinstance(url.right, ast.Name)
        and index < len(params)
        and url.right.id == params[index]
        and _plain(url.left, params)
    )


def _only_sends(function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call) -> bool:
    """`r = <inner>` (awaited or not), `r.raise_for_status()`, `return r.json()`, and nothing
    else (a docstring aside)."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    if len(body) != 3:
        return False
    first, check, last = body
    value = first.value.value if isinstance(first, ast.Assign) and isinstance(
        first.value, ast.Await) else getattr(first, "value", None)
    if not (isinstance(first, ast.Assign) and value is inner and len(first.targets) == 1):
        return False
    target = first.targets[0]
    if not isinstance(target, ast.Name):
        return False
    name = target.id
    return (
        isinstance(check, ast.Expr)
        and ast.dump(check.value) == ast.dump(_method_call(name, "raise_for_status"))
        and isinstance(last, ast.Return)
        and last.value is not None
        and ast.dump(last.value) == ast.dump(_method_call(name, "json"))
    )


def _method_call(name: str, attr: str) -> ast.Call:
    return ast.Call(ast.Attribute(ast.Name(name, ast.Load()), attr, ast.Load()), [], [])


def _reads_self(node: ast.AST) -> bool:
    return any(isinstance(n, ast.Name) and n.id == "self" for n in ast.walk(node))


def _in_method_of(site: Site, analysis: Analysis, owner: ast.ClassDef | None) -> bool:
    """Whether the call is made in a method of the helper's class (its `self` is the same)."""
    if owner is None:
        return False
    for above in analysis.facts.ancestors(site.node):
        if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef):
            parent = analysis.facts.parent(above)
            first = above.args.args[0].arg if above.args.args else None
            return parent is owner and first == "self"
    return False


def merge_patch(site: Site, analysis: Analysis) -> ast.expr | None:
    """The legacy patch a merge-update call sends: its `json=`, or the argument a helper hands
    on as `json=`."""
    if site.json_node is not None:
        return site.json_node
    helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
    if helper is None:
        return None
    index = helper.body_index
    if index is None:
        return None
    args = site.node.args
    if index < len(args):
        return args[index]
    name = helper.caller_params[index]
    return next((item.value for item in site.node.keywords if item.arg == name), None)


def client_write_sender(site: Site, analysis: Analysis) -> tuple[tuple[Piece, ...], Style] | str:
    """`lambda method, path, params, body: requests.request(method, BASE + path, …)`."""
    call = site.node
    if site.kind != "http" or site.verb not in ("put", "post", "patch"):
        return "it is not sent with a verb the generated function can repeat"
    if not isinstance(call.func, ast.Attribute):
        return "it is not sent with a verb the generated function can repeat"
    base = _base(site, analysis)
    if isinstance(base, str) and not base.startswith('"'):
        return base
    keywords = _keywords(call, analysis)
    if isinstance(keywords, str):
        return keywords
    path = "path" if site.resolution.slash else "path[1:]"
    sender: tuple[Piece, ...] = (
        "lambda method, path, params, body: ",
        analysis.span(call.func.value),
        ".request(method, ",
        base,
        f" + {path}, params=params, json=body",
        *keywords,
        ")",
    )
    return sender, Style(awaited(site, analysis) is not None, False)


def _keywords(call: ast.Call, analysis: Analysis) -> list[Piece] | str:
    pieces: list[Piece] = []
    for item in call.keywords:
        if item.arg is None:
            return "it passes `**` keyword arguments"
        if item.arg in _KEPT_KEYWORDS:
            continue
        pieces += [", ", analysis.span(item)]
    return pieces


def helper_sender(site: Site, analysis: Analysis) -> tuple[tuple[Piece, ...], Style] | str:
    """`lambda path, params: self._get(path, params=params)`: the helper sends each call."""
    helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
    if helper is None or helper.returns == "other":
        return f"`{site.helper}` does not give back the response or its JSON"
    if "params" in helper.forwards:
        query = ", params=params"
    elif _keywords_are_query(helper.function, helper.inner):
        query = ", **params"  # `def _get(self, path, **params)` sends them as the query
    else:
        return f"`{site.helper}` does not pass params= on to the request"
    if helper.method not in (None, "GET"):
        return f"`{site.helper}` sends {helper.method}"
    call = site.node
    last = max(helper.path_index, helper.method_index or 0)
    if len(call.args) != last + 1 or any(isinstance(a, ast.Starred) for a in call.args):
        return f"its arguments to `{site.helper}` are not only the method and path"
    path = "path" if site.resolution.slash else "path[1:]"
    pieces: list[Piece] = ["lambda path, params: ", analysis.span(call.func), "("]
    for index, arg in enumerate(call.args):
        value: Piece = path if index == helper.path_index else analysis.span(arg)
        pieces += [", " if index else "", value]
    keywords = _keywords(call, analysis)
    if isinstance(keywords, str):
        return keywords
    pieces += [query, *keywords, ")"]
    style = _helper_style(helper, site, analysis)
    return style if isinstance(style, str) else (tuple(pieces), style)


def _keywords_are_query(function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call) -> bool:
    """`def _get(self, path, **params): … client.get(url, params=params)` (or `params or
    None`: an empty query is no query)."""
    kwarg = function.args.kwarg.arg if function.args.kwarg else None
    for item in inner.keywords:
        value = item.value
        if (
            isinstance(value, ast.BoolOp)
            and isinstance(value.op, ast.Or)
            and len(value.values) == 2
        ):
            fallback = value.values[1]
            if isinstance(fallback, ast.Constant) and fallback.value is None:
                value = value.values[0]
        if item.arg == "params" and isinstance(value, ast.Name) and value.id == kwarg:
            return kwarg is not None
    return False


def client_sender(site: Site, analysis: Analysis) -> tuple[tuple[Piece, ...], Style] | str:
    """`lambda path, params: client.get(BASE + path, params=params, headers=…)`."""
    call = site.node
    if site.kind != "http" or site.verb != "get" or not isinstance(call.func, ast.Attribute):
        return "it is not sent with a `.get(…)` the generated function can repeat"
    if len(call.args) != 1 or call.args[0] is not site.url_node:
        return "its arguments are not only the URL and keywords"
    keywords = _keywords(call, analysis)
    if isinstance(keywords, str):
        return keywords
    if site.resolution.how == "client base_url":
        # an httpx client joins the path onto its `base_url`, whose host the module's host
        # rule moves: the function's new-API paths go the same way
        sender: tuple[Piece, ...] = (
            "lambda path, params: ", analysis.span(call.func), "(path, params=params", *keywords,
            ")",
        )
        return sender, Style(awaited(site, analysis) is not None, False)
    base = _base(site, analysis)
    if isinstance(base, str) and not base.startswith('"'):
        return base
    path = "path" if site.resolution.slash else "path[1:]"
    sender = (
        "lambda path, params: ",
        analysis.span(call.func),
        "(",
        base,
        f" + {path}, params=params",
        *keywords,
        ")",
    )
    return sender, Style(awaited(site, analysis) is not None, False)


def _base(site: Site, analysis: Analysis) -> Piece:
    """The base of the call's URL (its span), or the new host when the URL spells the host;
    a message (a str not starting with a quote) when neither."""
    call = site.node
    if len(call.args) != 1 or call.args[0] is not site.url_node:
        return "its arguments are not only the URL and keywords"
    if not any(node is site.template.root for node in ast.walk(call)):
        return "its URL is built away from the call"
    resolution, parts = site.resolution, site.template.parts
    if resolution.host_own:
        environment = resolution.environment or "production"
        return f'"{NEW_HOSTS[environment]}"'
    if resolution.how in ("base", "constant") and len(parts) > 1:
        first = parts[0]
        if not isinstance(first, Base | Hole):
            return "its URL's base could not be found again"
        if any(node is first.node for node in ast.walk(call)) and isinstance(parts[1], Text):
            return analysis.span(first.node)
        if all(isinstance(part, Text) and part.own for part in parts[1:]):
            return _written_base(site, analysis)
        return "its URL's base could not be found again"
    return "its URL's base is not one the generated function can reuse"


def _written_base(site: Site, analysis: Analysis) -> Piece:
    """`API_BASE + "/expenses"`, `f"{API_BASE}/expenses"`: the name the URL starts with, when
    all after it is the path as written (its value is built elsewhere, from more than one
    part: `os.environ.get(…) + "/v1"`)."""
    url, own = (
        site.url_node,
        "".join(p.value for p in site.template.parts if isinstance(p, Text) and p.own),
    )
    head: ast.expr | None = None
    rest = ""
    if isinstance(url, ast.BinOp) and isinstance(url.op, ast.Add):
        head = url.left
        if isinstance(url.right, ast.Constant) and isinstance(url.right.value, str):
            rest = url.right.value
    elif isinstance(url, ast.JoinedStr) and len(url.values) == 2:
        first, second = url.values
        if isinstance(first, ast.FormattedValue) and isinstance(second, ast.Constant):
            head, rest = first.value, str(second.value)
    if head is None or not isinstance(head, ast.Name | ast.Attribute) or not rest or rest != own:
        return "its URL's base could not be found again"
    return analysis.span(head)


_LAMBDA_NAMES = frozenset({"method", "path", "params", "body"})


def clash(sender: tuple[Piece, ...], analysis: Analysis) -> str | None:
    """A name of the `send` lambda's parameters that the call's own code reads (it would read
    the lambda's argument instead)."""
    text = analysis.source.text
    for piece in sender:
        if isinstance(piece, tuple):
            words = set(re.findall(r"[A-Za-z_]\w*", text[piece[0] : piece[1]]))
            clash = sorted(words & _LAMBDA_NAMES)
            if clash:
                return f"its request reads a name `{clash[0]}` the generated call takes"
    return None


def awaited(site: Site, analysis: Analysis) -> ast.Await | None:
    parent = analysis.facts.parent(site.node)
    return parent if isinstance(parent, ast.Await) else None
