"""URL senders: a private request helper that is handed the whole URL, not a path.

The common shape after inline calls: `def _get_json(url, params=None): r = requests.get(url,
headers=HEADERS, params=params); r.raise_for_status(); return r.json()`, possibly decorated
(`@retry(...)`, `@lru_cache`), async with a client and a semaphore handed in
(`async def _get(client, sem, url)`), or memoising the parsed body in a dict. Its HTTP call
sends to exactly one of its parameters, on `requests`/`httpx` functions or on a client made
without a `base_url` (or handed in), so whatever URL a caller passes is the URL sent. Each
call of the helper whose URL reaches the legacy API is then a call site of its own, rewritten
at the call (URL, query, envelope read); the helper's own call carries only the auth, which
moves once every caller does. `find/wrappers.py` builds the `RequestHelper` (`url=True`) and
`find/sites.py` resolves each caller's URL as it resolves an inline call's.

What a memoising helper returns counts as its JSON when every value it returns is the parsed
body or read back from a store that only ever holds it (`_CACHE[key] = (time.monotonic(),
resp.json())` … `return _CACHE[key][1]`): the caller still reads the body itself.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import CallFacts, ModuleFacts, dotted
from migrate.codemod.find.resolve import Clients
from migrate.codemod.find.site import CLIENT_NAMES, Shape, call_receiver, keyword


def sends_url_as_given(call: CallFacts, shape: Shape, clients: Clients) -> bool:
    """Whether the helper's HTTP call sends its URL argument as it is: a `requests`/`httpx`
    function, or a client made in sight without a `base_url` (or handed in as a parameter)."""
    for item in call.node.keywords:
        if item.arg in ("params", "json", "data") and not (
            isinstance(item.value, ast.Name) and item.value.id == item.arg
        ):
            return False  # a query or body of the helper's own: not the caller's to rewrite
    if shape.client in ("requests", "httpx", "function"):
        return True
    if shape.client != "object":
        return False
    receiver = call_receiver(call.node)
    made = clients.constructions(receiver, call.scope)
    if not made:  # handed in: a client by its name (`client`, `self.session`), not `cache.get`
        name = (dotted(receiver) or "") if receiver is not None else ""
        return name.rsplit(".", 1)[-1].lower().endswith(CLIENT_NAMES)
    return all(keyword(construction, "base_url") is None for construction in made)


def memoised_json(
    function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call, facts: ModuleFacts
) -> bool:
    """Whether every value the helper returns is its response's `.json()`, read back from a
    store (a module dict, an attribute) that only ever holds that body, or a tuple with it."""
    parsed = _parsed_names(function, inner)
    stores = _stores(function, inner, parsed)
    if not stores:
        return False
    for node in ast.walk(function):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        if not _read_back(node.value, function, stores, parsed):
            return False
    return _only_written_here(stores, function, facts)


def _is_json_of(node: ast.expr, inner: ast.Call, responses: set[str]) -> bool:
    if not (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "json"
        and not node.args
    ):
        return False
    target = node.func.value
    if isinstance(target, ast.Await):
        target = target.value
    return target is inner or (isinstance(target, ast.Name) and target.id in responses)


def _response_names(function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(function):
        target = value = None
        if isinstance(node, ast.Assign) and len(node.targets) == 1:
            target, value = node.targets[0], node.value
        elif isinstance(node, ast.AnnAssign):
            target, value = node.target, node.value
        if isinstance(value, ast.Await):
            value = value.value
        if value is inner and isinstance(target, ast.Name):
            names.add(target.id)
    return names


def _parsed_names(function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call) -> set[str]:
    """Local names bound to the parsed body (`data = resp.json()`)."""
    responses = _response_names(function, inner)
    names: set[str] = set()
    for node in ast.walk(function):
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and _is_json_of(node.value, inner, responses)
        ):
            names.add(node.targets[0].id)
    return names


def _holds_body(value: ast.expr, inner: ast.Call, responses: set[str], parsed: set[str]) -> bool:
    """The body itself, or a tuple with the body and things that are not requests."""
    if _is_json_of(value, inner, responses) or (
        isinstance(value, ast.Name) and value.id in parsed
    ):
        return True
    if isinstance(value, ast.Tuple):
        bodies = [item for item in value.elts if _holds_body(item, inner, responses, parsed)]
        return len(bodies) == 1
    return False


def _store_name(node: ast.expr) -> str | None:
    """`_CACHE` or `self._cache` (the store a subscript writes to or reads from)."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        return f"{node.value.id}.{node.attr}"
    return None


def _stores(
    function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call, parsed: set[str]
) -> set[str]:
    """The stores the helper puts its body into (`_CACHE[key] = …`)."""
    responses = _response_names(function, inner)
    found: set[str] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Assign):
            continue
        for target in node.targets:
            if isinstance(target, ast.Subscript) and _holds_body(
                node.value, inner, responses, parsed
            ):
                name = _store_name(target.value)
                if name is not None:
                    found.add(name)
    return found


def _read_back(
    value: ast.expr,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    stores: set[str],
    parsed: set[str],
) -> bool:
    """`data`, `_CACHE[key]`, `_CACHE[key][1]`, or `hit[1]` for `hit = _CACHE.get(key)`."""
    if isinstance(value, ast.Name) and value.id in parsed:
        return True
    while isinstance(value, ast.Subscript):
        value = value.value
    if isinstance(value, ast.Name) and value.id not in stores:
        bound = _bound_to(value.id, function)
        if bound is None:
            return False
        value = bound
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "get"
    ):
        value = value.func.value
    return _store_name(value) in stores


def _bound_to(name: str, function: ast.FunctionDef | ast.AsyncFunctionDef) -> ast.expr | None:
    """The one value a local name is bound to in the helper (None: not exactly one)."""
    values = [
        node.value
        for node in ast.walk(function)
        if isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    ]
    return values[0] if len(values) == 1 else None


def _only_written_here(
    stores: set[str], function: ast.FunctionDef | ast.AsyncFunctionDef, facts: ModuleFacts
) -> bool:
    """Whether no code outside the helper writes into the store (a prefilled cache entry
    would be a legacy record the caller reads as a new one)."""
    inside = {id(node) for node in ast.walk(function)}
    for node in facts.nodes():
        if id(node) in inside:
            continue
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            if isinstance(target, ast.Subscript) and _store_name(target.value) in stores:
                return False
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("update", "setdefault", "__setitem__")
            and _store_name(node.func.value) in stores
        ):
            return False
    return True
