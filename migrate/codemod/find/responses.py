"""How a call's response is used: its `.json()` body, the keys read from it, the paging
metadata it follows, and every way the body escapes where the codemod can follow it."""

from __future__ import annotations

import ast
from collections.abc import Callable

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import CallFacts, ModuleFacts, Scope
from migrate.codemod.find.site import KeyRead, ResponseUse, TotalRead
from migrate.pleo import LEGACY_NEXT_OFFSET, LEGACY_PAGE_INFO, LEGACY_TOTAL

HARMLESS_RESPONSE_ATTRS = frozenset(
    {
        "status_code",
        "ok",
        "is_success",
        "is_error",
        "raise_for_status",
        "headers",
        "reason",
        "reason_phrase",
        "url",
        "elapsed",
        "request",
        "close",
        "aclose",
        "cookies",
        "encoding",
        "links",
        "history",
        "is_redirect",
    }
)


class ResponseReader:
    """Follows a call's response through one module."""

    def __init__(self, facts: ModuleFacts, evaluator: Evaluator) -> None:
        self.facts = facts
        self.evaluator = evaluator
        # While one value of a generic call is completed: the literal a run-time key gives for
        # that value (`body[spec["key"]]`, `body[key]`: `find/value_sets.py`), else None.
        self.companion: Callable[[ast.expr, Scope], str | None] | None = None

    def use_of(self, call: CallFacts, returns: str | None = None) -> ResponseUse:
        """`returns`: what a request helper's call gives back ("json": the body itself,
        "response", "other"); None for a call made on an HTTP client."""
        use = ResponseUse()
        root: ast.expr = call.node
        parent = self.facts.parent(root)
        if isinstance(parent, ast.Await):
            root, parent = parent, self.facts.parent(parent)
        if isinstance(parent, ast.Expr):
            return use
        use.used = True
        if returns == "json":
            self._json_uses(call.node, call.scope, use)
            return use
        if returns == "other":
            use.escapes.append("the helper's result is not its response")
            return use
        json_call = _json_call(self.facts, root)
        if json_call is not None:
            self._json_uses(json_call, call.scope, use)
            return use
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            name = parent.targets[0].id
            bindings = self.evaluator.bindings(name, call.scope) or []
            if len(bindings) != 1:
                use.escapes.append(f"`{name}` is assigned more than once")
                return use
            for load in call.scope.function_scope().loads.get(name, []):
                holder = self.facts.parent(load)
                json_of_load = _json_call(self.facts, load)
                if json_of_load is not None:
                    self._json_uses(json_of_load, call.scope, use)
                elif isinstance(holder, ast.Attribute) and holder.attr in HARMLESS_RESPONSE_ATTRS:
                    continue
                elif isinstance(holder, ast.Attribute):
                    use.escapes.append(f"the body is read as `{name}.{holder.attr}`")
                else:
                    use.escapes.append(f"the response `{name}` is passed on")
            return use
        use.escapes.append("the response is passed on")
        return use

    def _json_uses(self, json_call: ast.Call, scope: Scope, use: ResponseUse) -> None:
        body: ast.expr = json_call
        parent = self.facts.parent(json_call)
        if isinstance(parent, ast.Await):  # aiohttp: `await response.json()`
            body, parent = parent, self.facts.parent(parent)
        use.json_calls.append(body)
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            name = parent.targets[0].id
            bindings = self.evaluator.bindings(name, scope) or []
            if len(bindings) != 1:
                use.escapes.append(f"`{name}` is assigned more than once")
                return
            for load in scope.function_scope().loads.get(name, []):
                self._read(load, load, use, f"the body `{name}` is passed on", scope)
            return
        self._read(body, body, use, "the body is passed on", scope)

    def _read(
        self, node: ast.expr, base: ast.expr, use: ResponseUse, escape: str, scope: Scope
    ) -> None:
        key, holder = _key_access(self.facts, node)
        if key is None and self.companion is not None:
            key, holder = self._companion_access(node, scope)
        if key is None or holder is None:
            use.escapes.append(escape)
            return
        use.reads.append(KeyRead(holder, key, base))
        if key == "metadata":
            chain = _meta_chain(self.facts, holder) or self._held_offset(holder, scope)
            if chain is not None:
                use.next_offsets.append(chain)
            else:
                use.other_meta.append(holder)
                total = _total_chain(self.facts, holder)
                if total is not None:
                    use.totals.append(total)


    def _companion_access(
        self, node: ast.expr, scope: Scope
    ) -> tuple[str | None, ast.expr | None]:
        """`node[K]` with `K` a run-time key whose value the current generic value fixes."""
        parent = self.facts.parent(node)
        if (
            self.companion is not None
            and isinstance(parent, ast.Subscript)
            and parent.value is node
            and isinstance(parent.ctx, ast.Load)
            and not isinstance(parent.slice, ast.Constant | ast.Slice)
        ):
            key = self.companion(parent.slice, scope)
            if key is not None:
                return key, parent
        call = self.facts.parent(parent) if isinstance(parent, ast.Attribute) else None
        if (  # `body.get(key, [])`
            self.companion is not None
            and isinstance(parent, ast.Attribute)
            and parent.value is node
            and parent.attr == "get"
            and isinstance(call, ast.Call)
            and call.func is parent
            and call.args
            and not isinstance(call.args[0], ast.Constant)
        ):
            key = self.companion(call.args[0], scope)
            if key is not None:
                return key, call
        return None, None

    def _held_offset(self, metadata: ast.expr, scope: Scope) -> ast.expr | None:
        """`info = X["metadata"]["pageInfo"]` then `info.get("nextPageOffset")`, the name
        assigned once and read for nothing else: the read of the offset."""
        key, page_info = _key_access(self.facts, metadata)
        statement = self.facts.parent(page_info) if page_info is not None else None
        if key != LEGACY_PAGE_INFO or not (
            isinstance(statement, ast.Assign)
            and statement.value is page_info
            and len(statement.targets) == 1
            and isinstance(statement.targets[0], ast.Name)
        ):
            return None
        name = statement.targets[0].id
        loads = scope.function_scope().loads.get(name, [])
        if len(self.evaluator.bindings(name, scope) or []) != 1 or len(loads) != 1:
            return None
        key, offset = _key_access(self.facts, loads[0])
        return offset if key == LEGACY_NEXT_OFFSET else None


def _json_call(facts: ModuleFacts, node: ast.expr) -> ast.Call | None:
    """`node.json()` (or `(await node).json()`), if that is how `node` is used."""
    parent = facts.parent(node)
    if isinstance(parent, ast.Attribute) and parent.attr == "json":
        call = facts.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent and not call.args:
            return call
    return None


def _key_access(facts: ModuleFacts, node: ast.expr) -> tuple[str | None, ast.expr | None]:
    parent = facts.parent(node)
    if (
        isinstance(parent, ast.Subscript)
        and parent.value is node
        and isinstance(parent.slice, ast.Constant)
        and isinstance(parent.slice.value, str)
        and isinstance(parent.ctx, ast.Load)
    ):
        return parent.slice.value, parent
    if isinstance(parent, ast.Attribute) and parent.attr == "get":
        call = facts.parent(parent)
        if (
            isinstance(call, ast.Call)
            and call.func is parent
            and call.args
            and isinstance(call.args[0], ast.Constant)
            and isinstance(call.args[0].value, str)
        ):
            return call.args[0].value, call
    return None, None


def _meta_chain(facts: ModuleFacts, metadata: ast.expr) -> ast.expr | None:
    """`X["metadata"]["pageInfo"]["nextPageOffset"]` (or the `.get` chain, a step possibly
    defaulted as `(X.get("metadata") or {})`) from its first step."""
    key, page_info = _key_access(facts, or_empty(facts, metadata))
    if key != LEGACY_PAGE_INFO or page_info is None:
        return None
    key, offset = _key_access(facts, or_empty(facts, page_info))
    if key != LEGACY_NEXT_OFFSET or offset is None:
        return None
    return offset


def or_empty(facts: ModuleFacts, node: ast.expr) -> ast.expr:
    """`(node or {})` around a step of a `.get` chain, else the node itself."""
    parent = facts.parent(node)
    if (
        isinstance(parent, ast.BoolOp)
        and isinstance(parent.op, ast.Or)
        and len(parent.values) == 2
        and parent.values[0] is node
        and isinstance(parent.values[1], ast.Dict)
        and not parent.values[1].keys
    ):
        return parent
    return node


def _total_chain(facts: ModuleFacts, metadata: ast.expr) -> TotalRead | None:
    """The steps of `X["metadata"]["pageInfo"]["totalCount"]` (or the `.get` chain)."""
    key, page_info = _key_access(facts, metadata)
    if key != LEGACY_PAGE_INFO or page_info is None:
        return None
    key, total = _key_access(facts, page_info)
    if key != LEGACY_TOTAL or total is None:
        return None
    return TotalRead(metadata, page_info, total)
