"""How a call's response is used: its `.json()` body, the keys read from it, the paging
metadata it follows, and every way the body escapes where the codemod can follow it."""

from __future__ import annotations

import ast
from collections.abc import Callable

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import CallFacts, ModuleFacts, Scope
from migrate.codemod.find.name_regions import loads_of_binding
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
        if returns is None and root is call.node:  # `gather(*(client.get(u) for u in urls))`
            gathered = self.gathered_use(call, "response")
            if gathered is not None:
                return gathered
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
            loads = loads_of_binding(self.facts, self.evaluator, name, parent, call.scope)
            if loads is None:
                use.escapes.append(f"`{name}` is reassigned where a read may see either value")
                return use
            for load in loads:
                holder = self.facts.parent(load)
                json_of_load = _json_call(self.facts, load)
                if json_of_load is not None:
                    self._json_uses(json_of_load, call.scope, use)
                elif isinstance(holder, ast.Attribute) and holder.attr in HARMLESS_RESPONSE_ATTRS:
                    continue
                elif isinstance(holder, ast.Attribute) and holder.attr in ("text", "content") and (
                    _in_raise(self.facts, holder)
                ):
                    continue  # `raise Error(f"Pleo said {r.status_code}: {r.text}")`
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
        if _is_cast_of(parent, body):  # `cast(Page, r.json())` is the body itself
            assert isinstance(parent, ast.Call)
            body, parent = parent, self.facts.parent(parent)
        if (
            isinstance(parent, ast.Assign)
            and len(parent.targets) == 1
            and isinstance(parent.targets[0], ast.Name)
        ):
            name = parent.targets[0].id
            loads = loads_of_binding(self.facts, self.evaluator, name, parent, scope)
            if loads is None:
                use.escapes.append(f"`{name}` is reassigned where a read may see either value")
                return
            for load in loads:
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

    def gathered_use(self, call: CallFacts, returns: str | None) -> ResponseUse | None:
        """The use of a coroutine's result fanned out with `asyncio.gather` or a TaskGroup
        (None when the call is not one of those). Each result is the body (or the response)
        of one call, read where the list of results is iterated: `rows = await gather(*(f(u)
        for u in urls))` or `tasks = [f(u) for u in urls]; rows = await gather(*tasks)` (the
        coroutines possibly wrapped in `asyncio.create_task`), then `for row in rows:` or
        `{row["id"]: … for row in rows}`; unpacked, `a, b = await gather(f(x), g(y))`; or
        `tasks = [tg.create_task(f(u)) for u in urls]` read as `[t.result() for t in tasks]`.
        Every read of `row` (of `a`, of `t.result()`) is then a read of that call's body."""
        node: ast.expr = call.node
        task = _task_of(self.facts, node)
        gather, position = _gather_of(self.facts, task or node, call.scope, self.evaluator)
        if gather is None and task is None:
            return None
        use = ResponseUse(used=True)
        if gather is None:
            assert task is not None
            bodies = self._task_results(task, call.scope, use)
        else:
            handed = self._handed(gather) if returns == "json" and position is None else None
            if handed is not None:
                use.handed.append(handed)
                return use
            bodies = self._gathered(gather, position, call.scope, use)
        if use.escapes:
            return use
        for body in bodies:
            said = f"`{ast.unparse(body)}`"
            if returns == "json":
                use.json_calls.append(body)
                self._read(body, body, use, f"the body {said} is passed on", call.scope)
            else:
                json_call = _json_call(self.facts, body)
                holder = self.facts.parent(body)
                if json_call is None and (
                    isinstance(holder, ast.Attribute) and holder.attr in HARMLESS_RESPONSE_ATTRS
                ):
                    continue  # `a.raise_for_status()`, `a.status_code`
                if json_call is None:
                    use.escapes.append(f"the response {said} is read as more than its body")
                    continue
                use.json_calls.append(json_call)
                self._read(json_call, json_call, use, "the body is passed on", call.scope)
        return use

    def _handed(self, gather: ast.Call) -> ast.Await | None:
        """`return await gather(*tasks)` or `return list(await gather(*tasks))`: the awaited
        list of bodies, handed to the caller whole (None: the results are used otherwise)."""
        awaited = self.facts.parent(gather)
        if not isinstance(awaited, ast.Await):
            return None
        holder = self.facts.parent(awaited)
        if (
            isinstance(holder, ast.Call)
            and isinstance(holder.func, ast.Name)
            and holder.func.id == "list"
            and holder.args == [awaited]
            and not holder.keywords
        ):
            holder = self.facts.parent(holder)
        return awaited if isinstance(holder, ast.Return) else None

    def _gathered(
        self, gather: ast.Call, position: int | None, scope: Scope, use: ResponseUse
    ) -> list[ast.expr]:
        """Each read of one of the gathered results."""
        awaited = self.facts.parent(gather)
        holder = self.facts.parent(awaited) if isinstance(awaited, ast.Await) else None
        if not isinstance(awaited, ast.Await) or holder is None:
            use.escapes.append("the gathered results are not awaited where they are made")
            return []
        if position is not None:  # `a, b = await gather(f(x), g(y))`
            target = _unpacked(holder, awaited, position)
            if target is None:
                use.escapes.append("the gathered results are not unpacked into names")
                return []
            if len(self.evaluator.bindings(target, scope) or []) != 1:
                use.escapes.append(f"`{target}` is assigned more than once")
                return []
            return list(scope.function_scope().loads.get(target, []))
        bodies: list[ast.expr] = []
        for name, loop in self._element_loops(awaited, holder, scope, use):
            bodies.extend(loads_in(loop, name))
        return bodies

    def _task_results(self, task: ast.Call, scope: Scope, use: ResponseUse) -> list[ast.expr]:
        """`tasks = [tg.create_task(f(u)) for u in urls]`, each task read as `t.result()` in
        a loop over `tasks`: those reads."""
        comprehension = self.facts.parent(task)
        holder = self.facts.parent(comprehension) if comprehension is not None else None
        if not (
            isinstance(comprehension, ast.ListComp)
            and comprehension.elt is task
            and isinstance(holder, ast.Assign)
            and holder.value is comprehension
            and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)
        ):
            use.escapes.append("the task is not kept in a list of tasks")
            return []
        name = holder.targets[0].id
        if len(self.evaluator.bindings(name, scope) or []) != 1:
            use.escapes.append(f"`{name}` is assigned more than once")
            return []
        results: list[ast.expr] = []
        for load in scope.function_scope().loads.get(name, []):
            loop = iterated_by(self.facts, load)
            if loop is None:
                use.escapes.append("the tasks are passed on")
                return []
            for each in loads_in(loop[1], loop[0]):
                method = self.facts.parent(each)
                result = self.facts.parent(method) if method is not None else None
                if not (
                    isinstance(method, ast.Attribute)
                    and method.attr == "result"
                    and isinstance(result, ast.Call)
                    and result.func is method
                    and not result.args
                ):
                    use.escapes.append(f"the task `{each.id}` is read other than by .result()")
                    return []
                results.append(result)
        return results

    def _element_loops(
        self, awaited: ast.Await, holder: ast.AST, scope: Scope, use: ResponseUse
    ) -> list[tuple[str, ast.AST]]:
        """The loops over the gathered list (`for row in <list>`, a comprehension's first
        `for`): each with the name of its element; the list read any other way escapes."""
        lists: list[ast.expr] = [awaited]
        if (
            isinstance(holder, ast.Assign)
            and holder.value is awaited
            and len(holder.targets) == 1
            and isinstance(holder.targets[0], ast.Name)
        ):
            name = holder.targets[0].id
            if len(self.evaluator.bindings(name, scope) or []) != 1:
                use.escapes.append(f"`{name}` is assigned more than once")
                return []
            lists = list(scope.function_scope().loads.get(name, []))
        loops = []
        for found in lists:
            loop = iterated_by(self.facts, found)
            if loop is None:
                use.escapes.append("the gathered results are passed on")
                return []
            loops.append(loop)
        return loops

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


def _in_raise(facts: ModuleFacts, node: ast.AST) -> bool:
    """Whether `node` is part of a `raise` statement (an error's message, not a read)."""
    for above in facts.ancestors(node):
        if isinstance(above, ast.stmt):
            return isinstance(above, ast.Raise)
    return False


def _is_cast_of(call: ast.AST | None, node: ast.expr) -> bool:
    """`cast(T, node)` or `typing.cast(T, node)`: the value itself, for the type checker."""
    if not (isinstance(call, ast.Call) and len(call.args) == 2 and call.args[1] is node):
        return False
    func = call.func
    return (isinstance(func, ast.Name) and func.id == "cast") or (
        isinstance(func, ast.Attribute) and func.attr == "cast" and isinstance(func.value, ast.Name)
        and func.value.id in ("typing", "t")
    )


def _json_call(facts: ModuleFacts, node: ast.expr) -> ast.Call | None:
    """`node.json()` (or `(await node).json()`), if that is how `node` is used; also
    `node.raise_for_status().json()` (httpx's `raise_for_status()` gives the response back)."""
    parent = facts.parent(node)
    if isinstance(parent, ast.Attribute) and parent.attr == "raise_for_status":
        check = facts.parent(parent)
        if isinstance(check, ast.Call) and check.func is parent and not check.args:
            node, parent = check, facts.parent(check)
    if isinstance(parent, ast.Attribute) and parent.attr == "json":
        call = facts.parent(parent)
        if isinstance(call, ast.Call) and call.func is parent and not call.args:
            return call
    if isinstance(parent, ast.Attribute) and parent.attr in ("text", "content"):
        return _loads_of(facts, parent)
    return None


def _loads_of(facts: ModuleFacts, read: ast.Attribute) -> ast.Call | None:
    """`json.loads(r.text)`, `json.loads(r.content)` or `json.loads(r.content.decode())`: the
    body decoded by hand is the body `r.json()` gives."""
    value: ast.expr = read
    above = facts.parent(read)
    if read.attr == "content" and isinstance(above, ast.Attribute) and above.attr == "decode":
        decode = facts.parent(above)
        if not (isinstance(decode, ast.Call) and decode.func is above and not decode.keywords
                and len(decode.args) <= 1):
            return None
        value, above = decode, facts.parent(decode)
    if (
        isinstance(above, ast.Call)
        and len(above.args) == 1
        and above.args[0] is value
        and not above.keywords
        and isinstance(above.func, ast.Attribute)
        and above.func.attr == "loads"
        and isinstance(above.func.value, ast.Name)
        and above.func.value.id == "json"
    ):
        return above
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


def _gather_of(
    facts: ModuleFacts, node: ast.expr, scope: Scope, evaluator: Evaluator
) -> tuple[ast.Call | None, int | None]:
    """The `asyncio.gather(…)` call a coroutine goes into, and its position among the
    arguments when it is passed by itself (None when it is one of a starred comprehension's)."""
    parent = facts.parent(node)
    if isinstance(parent, ast.Call) and _is_gather(parent):
        if node in parent.args and not any(isinstance(a, ast.Starred) for a in parent.args):
            return parent, parent.args.index(node)
        return None, None
    if not (isinstance(parent, ast.GeneratorExp | ast.ListComp) and parent.elt is node):
        return None, None
    comprehension: ast.expr = parent
    holder = facts.parent(comprehension)
    if (
        isinstance(holder, ast.Assign)
        and holder.value is comprehension
        and len(holder.targets) == 1
        and isinstance(holder.targets[0], ast.Name)
    ):  # `tasks = [f(u) for u in urls]`, read only as `gather(*tasks)`
        name = holder.targets[0].id
        loads = scope.function_scope().loads.get(name, [])
        if len(evaluator.bindings(name, scope) or []) != 1 or len(loads) != 1:
            return None, None
        comprehension = loads[0]
        holder = facts.parent(comprehension)
    if not isinstance(holder, ast.Starred) or holder.value is not comprehension:
        return None, None
    call = facts.parent(holder)
    if isinstance(call, ast.Call) and _is_gather(call) and call.args == [holder]:
        return call, None
    return None, None


def _task_of(facts: ModuleFacts, node: ast.expr) -> ast.Call | None:
    """`asyncio.create_task(node)`, `tg.create_task(node)`, `asyncio.ensure_future(node)`."""
    parent = facts.parent(node)
    if (
        isinstance(parent, ast.Call)
        and isinstance(parent.func, ast.Attribute)
        and parent.func.attr in ("create_task", "ensure_future")
        and parent.args == [node]
        and all(item.arg == "name" for item in parent.keywords)
    ):
        return parent
    return None


def _is_gather(call: ast.Call) -> bool:
    func = call.func
    name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(
        func, ast.Name
    ) else None
    if isinstance(func, ast.Attribute) and not (
        isinstance(func.value, ast.Name) and func.value.id == "asyncio"
    ):
        return False
    return name == "gather" and not call.keywords


def _unpacked(holder: ast.AST, awaited: ast.Await, position: int) -> str | None:
    """`a, b = await gather(f(x), g(y))`: the name at the call's position."""
    if not (
        isinstance(holder, ast.Assign) and holder.value is awaited and len(holder.targets) == 1
    ):
        return None
    target = holder.targets[0]
    if not isinstance(target, ast.Tuple | ast.List) or position >= len(target.elts):
        return None
    if not all(isinstance(item, ast.Name) for item in target.elts):
        return None
    item = target.elts[position]
    return item.id if isinstance(item, ast.Name) else None


def iterated_by(
    facts: ModuleFacts, node: ast.expr, position: int | None = None
) -> tuple[str, ast.AST] | None:
    """`for row in <node>:` (the loop) or a comprehension whose first `for` iterates
    `<node>` (the comprehension), with the element's name, which the loop does not rebind.
    `position`: the element is that name of a tuple target (`for i, row in enumerate(…)`)."""
    parent = facts.parent(node)
    scope_node: ast.AST
    target = parent.target if isinstance(parent, ast.For | ast.comprehension) else None
    element = _element(target, position)
    if isinstance(parent, ast.For) and parent.iter is node and element is not None:
        name, scope_node = element, parent
        body: list[ast.AST] = [*parent.body]
    elif (
        isinstance(parent, ast.comprehension)
        and parent.iter is node
        and element is not None
        and not parent.is_async
    ):
        holder = facts.parent(parent)
        comprehensions = ast.GeneratorExp | ast.ListComp | ast.SetComp | ast.DictComp
        if not isinstance(holder, comprehensions) or holder.generators[0] is not parent:
            return None
        name, scope_node = element, holder
        body = [*parent.ifs, *holder.generators[1:]]
        body += [holder.key, holder.value] if isinstance(holder, ast.DictComp) else [holder.elt]
    else:
        return None
    if isinstance(scope_node, ast.For) and not _only_in_loop(facts, scope_node, name):
        return None  # `row` read after the loop: the last record, in the old shape
    for part in body:
        for inner in ast.walk(part):
            if isinstance(inner, ast.Name) and inner.id == name and not isinstance(
                inner.ctx, ast.Load
            ):
                return None
            if isinstance(inner, ast.comprehension | ast.For) and any(
                isinstance(t, ast.Name) and t.id == name for t in ast.walk(inner.target)
            ):
                return None
    return name, scope_node


def _element(target: ast.expr | None, position: int | None) -> str | None:
    """The loop target's name (`row`), or the name at `position` of a tuple of names."""
    if position is None:
        return target.id if isinstance(target, ast.Name) else None
    if not isinstance(target, ast.Tuple) or position >= len(target.elts):
        return None
    if not all(isinstance(item, ast.Name) for item in target.elts):
        return None
    item = target.elts[position]
    return item.id if isinstance(item, ast.Name) else None


def _only_in_loop(facts: ModuleFacts, loop: ast.For, name: str) -> bool:
    """Whether every use of `name` in the function around the loop is its target or in its
    body (not after it, not in an `else:`)."""
    function: ast.AST = facts.tree
    for above in facts.ancestors(loop):
        if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            function = above
            break
    inside = _uses(loop.target, name) + sum(_uses(stmt, name) for stmt in loop.body)
    return _uses(function, name) == inside


def _uses(node: ast.AST, name: str) -> int:
    return sum(1 for n in ast.walk(node) if isinstance(n, ast.Name) and n.id == name)


def loads_in(loop: ast.AST, name: str) -> list[ast.Name]:
    """The reads of a loop's element inside the loop (not its target, not its iterable)."""
    if isinstance(loop, ast.For):
        parts: list[ast.AST] = [*loop.body]
    else:
        assert isinstance(loop, ast.GeneratorExp | ast.ListComp | ast.SetComp | ast.DictComp)
        first = loop.generators[0]
        parts = [*first.ifs, *loop.generators[1:]]
        parts += [loop.key, loop.value] if isinstance(loop, ast.DictComp) else [loop.elt]
    return [
        node
        for part in parts
        for node in ast.walk(part)
        if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
    ]
