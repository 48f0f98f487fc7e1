"""A call's query parameters: the keys written in the URL, in `params=` and, for a request
helper that sends its extra keywords as the query, as keywords; and whether the codemod can
see (and edit) all of them.

A `params` dict held in a local counts as written when it is assigned once and read only by
the call, or also by stores of the page offset (`params["pageOffset"] = next_offset`, the
paging loop `paging_loops` recognises)."""

from __future__ import annotations

import ast

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Part, Text
from migrate.codemod.find.facts import CallFacts, ModuleFacts, Scope
from migrate.codemod.find.site import (
    TOKEN,
    TOKEN_PATTERN,
    QueryItem,
    QuerySource,
    Resolution,
    keyword,
)
from migrate.codemod.find.wrappers import KEYWORDS, RequestHelper
from migrate.pleo import LEGACY_PAGE_OFFSET


def query_source(
    call: CallFacts,
    resolution: Resolution,
    evaluator: Evaluator,
    positional: ast.expr | None = None,
    helper: RequestHelper | None = None,
) -> QuerySource:
    """`positional`: the `params` a request helper is given by position (`_get(url, {…})`);
    `helper`: the request helper the call goes through (its keywords may be the query)."""
    items: list[QueryItem] = []
    static, reason = True, None
    url_query = False
    if resolution.query:
        url_query = True
        url_items = _url_query_items(resolution.query)
        if url_items is None:
            static, reason = False, "the query string in the URL is built at run time"
        else:
            items.extend(url_items)
    params = keyword(call.node, "params") if positional is None else positional
    params_dict = None
    if params is not None:
        params_dict = editable_dict(params, call.scope, evaluator)
        if params_dict is None:
            static, reason = False, "the query parameters are built at run time"
        else:
            for key, value in zip(params_dict.keys, params_dict.values, strict=True):
                assert isinstance(key, ast.Constant) and isinstance(key.value, str)
                is_literal = isinstance(value, ast.Constant)
                literal = value.value if isinstance(value, ast.Constant) else None
                items.append(QueryItem(key.value, "params", value, literal, is_literal, key))
    if helper is not None and KEYWORDS in helper.forwards:
        items.extend(_keyword_items(call.node, helper))
    return QuerySource(items, static, reason, params, params_dict, url_query)


def _keyword_items(node: ast.Call, helper: RequestHelper) -> list[QueryItem]:
    """`self._get("/employees", pageOffset=offset, pageSize=50)` on a helper that sends its
    extra keywords as the query: each keyword that is not one of the helper's own parameters."""
    args = helper.function.args
    own = {arg.arg for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    items = []
    for item in node.keywords:
        if item.arg is None or item.arg in own:
            continue
        value = item.value
        is_literal = isinstance(value, ast.Constant)
        literal = value.value if isinstance(value, ast.Constant) else None
        items.append(QueryItem(item.arg, "keywords", value, literal, is_literal, keyword=item))
    return items


def editable_dict(node: ast.expr, scope: Scope, evaluator: Evaluator) -> ast.Dict | None:
    """A dict display with literal string keys: the node itself, or a local used once (or
    also by page-offset stores, see `offset_stores`)."""
    if isinstance(node, ast.Name):
        binding = evaluator.single_use(node.id, scope)
        if binding is None and offset_stores(node, scope, evaluator.facts) is not None:
            found = evaluator.bindings(node.id, scope) or []
            binding = found[0] if len(found) == 1 else None
        if binding is None or binding.value is None:
            return None
        node = binding.value
    if not isinstance(node, ast.Dict):
        return None
    for key in node.keys:
        if not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
    return node


def _url_query_items(parts: list[Part]) -> list[QueryItem] | None:
    tokens: dict[str, Part] = {}
    chunks = []
    for part in parts:
        if isinstance(part, Text):
            chunks.append(part.value)
        else:
            token = TOKEN.format(len(tokens))
            tokens[token] = part
            chunks.append(token)
    items = []
    for pair in "".join(chunks).split("&"):
        if not pair:
            continue
        key, _, value = pair.partition("=")
        if TOKEN_PATTERN.search(key):
            return None
        token_match = TOKEN_PATTERN.fullmatch(value)
        if token_match:
            hole = tokens[value]
            node = hole.node if isinstance(hole, Base | Hole) else None
            items.append(QueryItem(key, "url", node, None, False))
        elif TOKEN_PATTERN.search(value):
            return None
        else:
            items.append(QueryItem(key, "url", None, value, True))
    return items


def offset_stores(name: ast.Name, scope: Scope, facts: ModuleFacts) -> list[ast.Subscript] | None:
    """`name["pageOffset"] = …` statements, when they and the read `name` are the only uses
    of a local assigned once (None otherwise, or when there is no such store)."""
    function = scope.function_scope()
    bindings = function.bindings.get(name.id, [])
    if function.kind != "function" or len(bindings) != 1 or bindings[0].kind != "assign":
        return None
    stores: list[ast.Subscript] = []
    for load in function.loads.get(name.id, []):
        if load is name:
            continue
        store = _offset_store(load, facts)
        if store is None:
            return None
        stores.append(store)
    return stores or None


def _offset_store(load: ast.Name, facts: ModuleFacts) -> ast.Subscript | None:
    parent = facts.parent(load)
    if not (
        isinstance(parent, ast.Subscript)
        and parent.value is load
        and isinstance(parent.ctx, ast.Store)
        and isinstance(parent.slice, ast.Constant)
        and parent.slice.value == LEGACY_PAGE_OFFSET
    ):
        return None
    statement = facts.parent(parent)
    if isinstance(statement, ast.Assign) and statement.targets == [parent]:
        return parent
    return None
