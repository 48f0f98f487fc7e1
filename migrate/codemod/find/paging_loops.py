"""A recognised paging loop: `while True:` or `while offset is not None:` around a call whose
`pageOffset` starts at 0 (`offset = 0`, or `rows, offset = [], 0`) and follows
`metadata.pageInfo.nextPageOffset` (subscripts or `.get` steps, with or without defaults),
directly, through a name that holds it and is only tested (`offset = next_offset`), or read
from page info held in a name (`info = body["metadata"]["pageInfo"]`, `info.get(…)`).
Only such a loop can become a cursor loop."""

from __future__ import annotations

import ast
from typing import Literal

from migrate.codemod.find.facts import Binding, ModuleFacts, Scope
from migrate.codemod.find.queries import offset_stores
from migrate.codemod.find.site import PagingLoop, Site
from migrate.pleo import (
    LEGACY_METADATA,
    LEGACY_NEXT_OFFSET,
    LEGACY_PAGE_INFO,
    LEGACY_PAGE_OFFSET,
)


def paging_loop(site: Site, facts: ModuleFacts) -> tuple[PagingLoop | None, str | None]:
    """The loop around a site that sends `pageOffset`, or why it is not one we can rewrite."""
    item = site.query.get("pageOffset")
    assert item is not None
    loop = site.call.loop
    if item.is_literal:
        return _stored_offset_loop(site, facts)
    if loop is None:
        return None, "the offset is not set in a loop around the call"
    if not isinstance(loop, ast.While):
        return None, "the offset loop is a `for` loop"
    if item.where == "url":
        return None, "the offset is written into the URL; the first request must leave it out"
    if not (isinstance(item.value, ast.Name)):
        return None, "pageOffset is not a plain variable"
    var = item.value.id
    scope = site.call.scope.function_scope()
    init: ast.Constant | None = None
    chain: ast.expr | None = None
    for binding in scope.bindings.get(var, []):
        stmt = binding.stmt
        value = binding.value if binding.kind == "assign" else _unpacked(binding)
        if stmt is None or value is None:
            return None, f"`{var}` is changed in a way the codemod does not follow"
        inside = any(ancestor is loop for ancestor in facts.ancestors(stmt))
        relayed = _relayed(value, site, facts, loop) if inside else None
        if inside and value in site.response.next_offsets:
            chain = value
        elif relayed is not None and chain is None:
            chain = relayed  # `next_offset = <chain>`, `if next_offset is None: break`, …
        elif (
            not inside
            and isinstance(value, ast.Constant)
            and value.value == 0
            and init is None
        ):
            init = value
        else:
            return None, f"`{var}` is set from something other than {LEGACY_NEXT_OFFSET}"
    if chain is None or init is None:
        return None, f"the loop does not start at offset 0 and follow {LEGACY_NEXT_OFFSET}"
    tests_cursor = _is_not_none(loop.test, var)
    if not tests_cursor and not (isinstance(loop.test, ast.Constant) and loop.test.value is True):
        return (
            None,
            f"the loop condition is neither `True` nor `{var} is not None`",
        )
    for load in scope.loads.get(var, []):
        if load is item.value:
            continue
        if not _truthiness_use(facts, load):
            return None, f"`{var}` is used as a number"
    base = _chain_base(chain)
    style: Literal["subscript", "get"] = "get" if isinstance(chain, ast.Call) else "subscript"
    held = _held_page_info(base, scope)
    if held is not None:  # `info = body["metadata"]["pageInfo"]`; `info.get("nextPageOffset")`
        source = _step(_step(held, LEGACY_PAGE_INFO) or held, LEGACY_METADATA) or held
        return PagingLoop(loop, var, chain, source, style, init, tests_cursor, held=held), None
    return PagingLoop(loop, var, chain, base, style, init, tests_cursor), None


def _held_page_info(base: ast.expr, scope: Scope) -> ast.expr | None:
    """The `X["metadata"]["pageInfo"]` a name read for the offset holds (responses checks the
    name is assigned once and read only there)."""
    if not isinstance(base, ast.Name):
        return None
    bindings = scope.bindings.get(base.id, [])
    if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].value is None:
        return None
    value = bindings[0].value
    inner = _step(value, LEGACY_PAGE_INFO)
    return value if inner is not None and _step(inner, LEGACY_METADATA) is not None else None


def _step(node: ast.expr, key: str) -> ast.expr | None:
    """What `node` reads `key` from (`X[key]`, `X.get(key…)`), else None."""
    if isinstance(node, ast.Subscript):
        found, source = node.slice, node.value
    elif (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "get"
        and node.args
    ):
        found, source = node.args[0], node.func.value
    else:
        return None
    return source if isinstance(found, ast.Constant) and found.value == key else None


def _relayed(value: ast.expr, site: Site, facts: ModuleFacts, loop: ast.While) -> ast.expr | None:
    """The `nextPageOffset` chain a name in the loop holds, when the offset is set from it
    (`next_offset = <chain>`, `if next_offset is None: break`, `offset = next_offset`): the
    name assigned once, in the loop, and otherwise only tested."""
    if not isinstance(value, ast.Name):
        return None
    scope = site.call.scope.function_scope()
    bindings = scope.bindings.get(value.id, [])
    if len(bindings) != 1 or bindings[0].kind != "assign" or bindings[0].stmt is None:
        return None
    chain = bindings[0].value
    if chain not in site.response.next_offsets or not any(
        ancestor is loop for ancestor in facts.ancestors(bindings[0].stmt)
    ):
        return None
    for load in scope.loads.get(value.id, []):
        if load is not value and not _truthiness_use(facts, load):
            return None
    return chain


def _unpacked(binding: Binding) -> ast.expr | None:
    """The value a name gets in `rows, offset = [], 0` (a tuple of as many plain values)."""
    stmt, target = binding.stmt, binding.target
    if binding.kind != "unpack" or not isinstance(stmt, ast.Assign) or len(stmt.targets) != 1:
        return None
    names, values = stmt.targets[0], stmt.value
    if not (isinstance(names, ast.Tuple | ast.List) and isinstance(values, ast.Tuple | ast.List)):
        return None
    if len(names.elts) != len(values.elts) or any(
        isinstance(node, ast.Starred) for node in [*names.elts, *values.elts]
    ):
        return None
    for name, value in zip(names.elts, values.elts, strict=True):
        if name is target:
            return value
    return None


def _is_not_none(test: ast.expr, var: str) -> bool:
    """`var is not None`."""
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == var
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.IsNot)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


def _chain_base(chain: ast.expr) -> ast.expr:
    node = chain
    for _ in range(3):
        if isinstance(node, ast.BoolOp) and isinstance(node.op, ast.Or):
            node = node.values[0]  # `(body.get("metadata") or {})`: a defaulted step
        if isinstance(node, ast.Subscript):
            node = node.value
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            node = node.func.value
    return node


def _truthiness_use(facts: ModuleFacts, load: ast.Name) -> bool:
    """`x is None`, `x is not None`, `not x`, `if x:`, `while x:`, `x and …`."""
    parent = facts.parent(load)
    if isinstance(parent, ast.Compare):
        return (
            len(parent.ops) == 1
            and isinstance(parent.ops[0], ast.Is | ast.IsNot)
            and isinstance(parent.comparators[0], ast.Constant)
            and parent.comparators[0].value is None
        )
    if isinstance(parent, ast.UnaryOp) and isinstance(parent.op, ast.Not):
        return True
    if isinstance(parent, ast.If | ast.While | ast.IfExp) and parent.test is load:
        return True
    return isinstance(parent, ast.BoolOp)


def _stored_offset_loop(site: Site, facts: ModuleFacts) -> tuple[PagingLoop | None, str | None]:
    """`params = {…, "pageOffset": 0}` before `while True:`, and in the loop
    `next_offset = <nextPageOffset>`, `if not next_offset: break`,
    `params["pageOffset"] = next_offset`: the offset is set in the dict the call sends."""
    item = site.query.get(LEGACY_PAGE_OFFSET)
    params = site.query.params
    if item is None or item.where != "params" or not isinstance(params, ast.Name):
        return None, None
    stores = offset_stores(params, site.call.scope, facts)
    if stores is None:
        return None, None
    loop = site.call.loop
    if str(item.literal) != "0":
        return None, f"{LEGACY_PAGE_OFFSET} starts at {item.literal!r}, not 0"
    if not isinstance(loop, ast.While) or len(stores) != 1:
        return None, f"`{params.id}[\"{LEGACY_PAGE_OFFSET}\"]` is set other than once in a loop"
    store = stores[0]
    statement = facts.parent(store)
    if not (isinstance(loop.test, ast.Constant) and loop.test.value is True):
        return None, "the loop condition is not `True`"
    if statement not in loop.body or not isinstance(statement, ast.Assign):
        return None, f"`{params.id}[\"{LEGACY_PAGE_OFFSET}\"]` is set inside a nested block"
    value = statement.value
    if not isinstance(value, ast.Name):
        return None, "the offset stored is not a plain variable"
    var = value.id
    scope = site.call.scope.function_scope()
    bindings = scope.bindings.get(var, [])
    if len(bindings) != 1 or bindings[0].value not in site.response.next_offsets:
        return None, f"`{var}` is set from something other than {LEGACY_NEXT_OFFSET}"
    chain = bindings[0].value
    assert chain is not None
    for load in scope.loads.get(var, []):
        if load is not value and not _truthiness_use(facts, load):
            return None, f"`{var}` is used as a number"
    before = loop.body[: loop.body.index(statement)]
    if not any(_breaks_without(var, check) for check in before):
        return None, f"the loop does not stop before storing an empty `{var}`"
    style: Literal["subscript", "get"] = "get" if isinstance(chain, ast.Call) else "subscript"
    return PagingLoop(loop, var, chain, _chain_base(chain), style, None, store=store), None


def _breaks_without(var: str, statement: ast.stmt) -> bool:
    """`if not var: break` or `if var is None: break`."""
    if not isinstance(statement, ast.If) or statement.orelse:
        return False
    if not (len(statement.body) == 1 and isinstance(statement.body[0], ast.Break)):
        return False
    test = statement.test
    if isinstance(test, ast.UnaryOp) and isinstance(test.op, ast.Not):
        return isinstance(test.operand, ast.Name) and test.operand.id == var
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == var
        and len(test.ops) == 1
        and isinstance(test.ops[0], ast.Is)
        and isinstance(test.comparators[0], ast.Constant)
        and test.comparators[0].value is None
    )


def other_exits(found: PagingLoop, facts: ModuleFacts) -> list[ast.stmt]:
    """The loop's ways out other than running out of pages: a `break` or `return` not under a
    test of the offset alone (`if not next_offset: break`). Such a loop ends after as many
    pages as it sees, so its pages must keep their size."""
    names = {found.var}
    holder = facts.parent(found.chain)
    if isinstance(holder, ast.Assign) and len(holder.targets) == 1:
        target = holder.targets[0]
        if isinstance(target, ast.Name):
            names.add(target.id)
    exits: list[ast.stmt] = []
    stack: list[tuple[ast.AST, bool]] = [(node, True) for node in found.loop.body]
    while stack:
        node, own = stack.pop()  # own: a `break` here leaves the paging loop
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        leaves = isinstance(node, ast.Return) or (own and isinstance(node, ast.Break))
        if leaves and not _offset_test(facts.parent(node), names):
            exits.append(node)  # type: ignore[arg-type]
        if isinstance(node, ast.For | ast.AsyncFor | ast.While):
            stack.extend((child, False) for child in node.body)
            stack.extend((child, own) for child in node.orelse)
        else:  # a `break` or `return` is a statement: only statements hold one
            stack.extend((child, own) for child in _inner_statements(node))
    return sorted(exits, key=lambda node: (node.lineno, node.col_offset))


def _inner_statements(node: ast.AST) -> list[ast.stmt]:
    """The statements right inside a compound statement (its handlers' and cases' too)."""
    found: list[ast.stmt] = []
    for name in ("body", "orelse", "finalbody", "handlers", "cases"):
        value = getattr(node, name, None)
        if not isinstance(value, list):
            continue
        for item in value:
            if isinstance(item, ast.ExceptHandler | ast.match_case):
                found.extend(item.body)
            elif isinstance(item, ast.stmt):
                found.append(item)
    return found


def _offset_test(statement: ast.AST | None, names: set[str]) -> bool:
    """`if <test of the offset names only>: break` (or `return …`)."""
    if not isinstance(statement, ast.If) or len(statement.body) != 1:
        return False
    read = {node.id for node in ast.walk(statement.test) if isinstance(node, ast.Name)}
    return bool(read) and read <= names
