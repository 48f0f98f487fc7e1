"""Wrapper clients: a request helper the methods of a class (or module) call with a path.

A request helper is a private function (its callers are all in this module) whose HTTP call
sends to `base + path` for one of its parameters `path` (`f"{self.base_url}{path}"`,
`self.base + path`, `BASE + path`, or the bare path on an httpx client made with a legacy
`base_url`), with the HTTP method either a parameter passed through
(`requests.request(method, url, …)`) or fixed by the verb (`self.session.get(…)`), and that
returns the response or its `.json()`. A call of the helper is then a legacy call site of
its own: its path, method, `params=` and `json=` are written at the call. The helper's own
HTTP call only carries the base and the auth, the shared things that move once every caller
does.

A private function that reads the body by a key its callers pass (`def _list(path, key)` …
`return r.json()[key]`) is no request helper: each caller needs its own envelope, so its
request is a generic call (`value_sets.py`, `generic_helpers.py`), one variant per caller.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from migrate.codemod.find.evaluate import Base, Evaluator, Hole, Part
from migrate.codemod.find.facts import CallFacts, ModuleFacts
from migrate.codemod.find.resolve import Clients
from migrate.codemod.find.site import Shape, argument, call_receiver
from migrate.codemod.find.url_senders import memoised_json, sends_url_as_given

Returns = Literal["json", "response", "other"]
_FORWARDED = ("params", "json")
# In `forwards`: the keywords a caller passes beyond the helper's own parameters are the query
# (`self._get("/employees", pageSize=50)` with `def _get(self, path, **params)` sending
# `params=params`).
KEYWORDS = "**params"


@dataclass(frozen=True)
class RequestHelper:
    function: ast.FunctionDef | ast.AsyncFunctionDef
    owner: ast.ClassDef | None  # the class it is a method of (called as `self.name(…)`)
    path_index: int  # the path parameter's position among the caller's arguments
    method_index: int | None  # the method parameter's position, when the method is passed
    method: str | None  # the fixed method (`session.get` in the helper), otherwise
    returns: Returns
    forwards: frozenset[str]  # which of params=/json= (or KEYWORDS) given to it reach the request
    inner: ast.Call  # the helper's own HTTP call
    url: bool = False  # handed the whole URL, not a path (`find/url_senders.py`)

    @property
    def name(self) -> str:
        return self.function.name

    @property
    def caller_params(self) -> list[str]:
        """The parameters its callers give, in order (a method's `self` left out)."""
        args = self.function.args
        params = [arg.arg for arg in [*args.posonlyargs, *args.args]]
        return params[1:] if self.owner is not None else params

    @property
    def body_index(self) -> int | None:
        """The caller's argument position of the parameter its request sends as `json=`."""
        sent = next((item.value for item in self.inner.keywords if item.arg == "json"), None)
        params = self.caller_params
        if not isinstance(sent, ast.Name) or sent.id not in params:
            return None
        return params.index(sent.id)


ShapeOf = Callable[[CallFacts], Shape | None]


def request_helpers(
    facts: ModuleFacts, evaluator: Evaluator, clients: Clients, shape_of: ShapeOf
) -> list[RequestHelper]:
    found: list[RequestHelper] = []
    for call in facts.calls:
        function = call.scope.function_scope().node
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        shape = shape_of(call)
        if shape is None or shape.kind != "http":
            continue
        helper = _helper(call, shape, function, facts, evaluator, clients)
        if helper is not None:
            found.append(helper)
    names = [helper.function for helper in found]
    return [
        helper
        for helper in found
        if names.count(helper.function) == 1
        and helper.name.startswith("_")  # private: every caller is in this module
        and _only_called_as_helper(helper, facts)
        and not _envelope_parameter(helper)
    ]


def _envelope_parameter(helper: RequestHelper) -> bool:
    """Whether the helper reads the body by a key its callers pass (`def _list(path, key)` …
    `return r.json()[key]`): each call then needs its own envelope, which no edit at the call
    gives; the helper's own request is a generic call instead, one variant per caller, its key
    read with its path (`value_sets.py`)."""
    function = helper.function
    params = [arg.arg for arg in [*function.args.posonlyargs, *function.args.args]]
    params = params[1:] if helper.owner is not None else params
    sent = {params[helper.path_index]}
    if helper.method_index is not None:
        sent.add(params[helper.method_index])
    others = set(params) - sent
    for node in ast.walk(function):
        key: ast.expr | None = None
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            key = node.slice
        elif (
            isinstance(node, ast.Call)
            and node is not helper.inner
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
            and node.args
        ):
            key = node.args[0]
        if isinstance(key, ast.Name) and key.id in others:
            return True
    return False


def _only_called_as_helper(helper: RequestHelper, facts: ModuleFacts) -> bool:
    """Whether the module calls the helper, and uses its name for nothing else (passed on as a
    value, or called on another object, a caller would escape the unit)."""
    calls = [call.node for call in facts.calls if helper_called(call.node, [helper], facts)]
    funcs = {id(call.func) for call in calls}
    for node in facts.nodes():
        named = (isinstance(node, ast.Attribute) and node.attr == helper.name) or (
            isinstance(node, ast.Name) and node.id == helper.name
        )
        if named and id(node) not in funcs:
            return False
    return bool(calls)


def helper_called(call: ast.Call, helpers: list[RequestHelper], facts: ModuleFacts) -> (
    RequestHelper | None
):
    """The helper `call` calls: `self.name(…)` inside its class, or `name(…)` at module level."""
    func = call.func
    for helper in helpers:
        if helper.owner is None and isinstance(func, ast.Name) and func.id == helper.name:
            return helper
        if (
            helper.owner is not None
            and isinstance(func, ast.Attribute)
            and func.attr == helper.name
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and helper.owner in facts.ancestors(call)
        ):
            return helper
    return None


def _helper(
    call: CallFacts,
    shape: Shape,
    function: ast.FunctionDef | ast.AsyncFunctionDef,
    facts: ModuleFacts,
    evaluator: Evaluator,
    clients: Clients,
) -> RequestHelper | None:
    parent = facts.parent(function)
    owner = parent if isinstance(parent, ast.ClassDef) else None
    params = [arg.arg for arg in [*function.args.posonlyargs, *function.args.args]]
    if owner is not None:
        if not params or any(
            isinstance(d, ast.Name) and d.id in ("staticmethod", "classmethod")
            for d in function.decorator_list
        ):
            return None
        params = params[1:]
    template = evaluator.template(shape.url_node, call.scope)
    parts = template.parts
    last = parts[-1] if parts else None
    if not isinstance(last, Hole) or not isinstance(last.node, ast.Name):
        return None
    if last.node.id not in params:
        return None
    url = False
    if len(parts) == 2:
        if not _legacy_base(parts[0], call, evaluator):
            return None
    elif len(parts) == 1:
        made = clients.constructions(call_receiver(call.node), call.scope)
        if not made or not all(clients.legacy_base_url(c, call.scope) for c in made):
            if not sends_url_as_given(call, shape, clients):
                return None
            url = True
    else:
        return None
    method_index: int | None = None
    if shape.verb == "request":
        method_node = argument(call.node, 0, "method")
        if not isinstance(method_node, ast.Name) or method_node.id not in params:
            return None
        method_index = params.index(method_node.id)
    returns = _returns(call, function, facts)
    if returns == "other" and memoised_json(function, call.node, facts):
        returns = "json"
    return RequestHelper(
        function,
        owner,
        params.index(last.node.id),
        method_index,
        shape.method if method_index is None else None,
        returns,
        _forwards(call.node, function),
        call.node,
        url,
    )


def _legacy_base(part: Part, call: CallFacts, evaluator: Evaluator) -> bool:
    """A base the evaluator follows, or one it stops at: `(base or BASE).rstrip("/")`."""
    if isinstance(part, Base):
        return True
    if not isinstance(part, Hole) or part.node is None:
        return False
    node = part.node
    values: list[ast.expr] | None = None
    if isinstance(node, ast.Attribute):
        values = [b.value for b in evaluator.attribute_bindings(node, call.scope) or []
                  if b.value is not None]
    elif isinstance(node, ast.Name):
        values = [b.value for b in evaluator.bindings(node.id, call.scope) or []
                  if b.value is not None]
    if not values:
        return False
    for value in values:
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("rstrip", "strip")
        ):
            value = value.func.value
        if evaluator.base_of(value, evaluator.scope_of(value, call.scope)) is None:
            return False
    return True


def _forwards(inner: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef) -> frozenset[str]:
    kwarg = function.args.kwarg.arg if function.args.kwarg else None
    passed: set[str] = set()
    for item in inner.keywords:
        if item.arg is None and isinstance(item.value, ast.Name) and item.value.id == kwarg:
            passed.update(_FORWARDED)
        elif item.arg == "params" and _sent_as_is(item.value, function, kwarg):
            passed.add(KEYWORDS)  # `_get(path, **params)` sends `params=params`, untouched
        elif (
            item.arg in _FORWARDED
            and isinstance(item.value, ast.Name)
            and item.value.id == item.arg
            and item.arg != kwarg
        ):
            passed.add(item.arg)
    return frozenset(passed)


def _sent_as_is(
    value: ast.expr, function: ast.FunctionDef | ast.AsyncFunctionDef, kwarg: str | None
) -> bool:
    """Whether `params=` is the helper's `**kwarg` as given (`params=kw`, or `params=kw or
    None`, which sends the same query) and the helper reads it nowhere else, adding or changing
    nothing."""
    if (
        isinstance(value, ast.BoolOp)
        and isinstance(value.op, ast.Or)
        and len(value.values) == 2
        and isinstance(value.values[1], ast.Constant)
        and value.values[1].value is None
    ):
        value = value.values[0]
    if kwarg is None or not isinstance(value, ast.Name) or value.id != kwarg:
        return False
    uses = [node for node in ast.walk(function) if isinstance(node, ast.Name) and node.id == kwarg]
    return len(uses) == 1


def _returns(
    call: CallFacts, function: ast.FunctionDef | ast.AsyncFunctionDef, facts: ModuleFacts
) -> Returns:
    """Whether the helper returns the response's `.json()` or the response itself."""
    holder = facts.parent(call.node)
    if isinstance(holder, ast.Await):
        holder = facts.parent(holder)
    name = None
    if (
        isinstance(holder, ast.Assign)
        and len(holder.targets) == 1
        and isinstance(holder.targets[0], ast.Name)
    ):
        name = holder.targets[0].id
    elif isinstance(holder, ast.AnnAssign) and isinstance(holder.target, ast.Name):
        name = holder.target.id  # `response: requests.Response = requests.get(…)`
    kinds: set[Returns] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Constant) and value.value is None:
            continue
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr == "json"
            and not value.args
            and _is_response(value.func.value, name, call.node)
        ):
            kinds.add("json")
        elif _is_response(value, name, call.node):
            kinds.add("response")
        else:
            kinds.add("other")
    return kinds.pop() if len(kinds) == 1 else "other"


def _is_response(node: ast.expr, name: str | None, inner: ast.Call) -> bool:
    if isinstance(node, ast.Await):
        node = node.value
    return node is inner or (name is not None and isinstance(node, ast.Name) and node.id == name)
