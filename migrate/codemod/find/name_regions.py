"""Which reads of a name see one of its assignments, when a function assigns it more than once.

Real code reuses one name for several responses (`r = s.get(a)` … `r = s.get(b)`). A read
sees an assignment when it sits after it in the same block of statements, before the next
statement of that block that assigns the name again (in any nested part). When every read of
the name in the function is seen by exactly one assignment so placed, each assignment's reads
are known; a read that could see two of them (after an `if` that assigns in one branch, at the
top of a loop that assigns further down) makes the answer unknown.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import ModuleFacts, Scope


def loads_of_binding(
    facts: ModuleFacts, evaluator: Evaluator, name: str, statement: ast.AST, scope: Scope
) -> list[ast.Name] | None:
    """The reads of `name` that see the value `statement` assigns it (None: not known)."""
    bindings = evaluator.bindings(name, scope) or []
    loads = scope.function_scope().loads.get(name, [])
    if len(bindings) == 1:
        return list(loads)
    statements: list[ast.stmt] = []
    for binding in bindings:
        if not (
            binding.kind == "assign"
            and isinstance(binding.stmt, ast.Assign | ast.AnnAssign)
            and isinstance(binding.target, ast.Name)
        ):
            return None
        statements.append(binding.stmt)
    if not any(each is statement for each in statements):
        return None
    regions: list[tuple[ast.stmt, set[int]]] = []
    for each in statements:
        region = _region(facts, each, name)
        if region is None:
            return None
        regions.append((each, region))
    mine: list[ast.Name] = []
    for load in loads:
        seen_by = [each for each, region in regions if id(load) in region]
        if len(seen_by) != 1:
            return None
        if seen_by[0] is statement:
            mine.append(load)
    return mine


def _region(facts: ModuleFacts, statement: ast.stmt, name: str) -> set[int] | None:
    """The ids of the reads of `name` after `statement` in its block, up to the next statement
    of that block that assigns `name` again."""
    block = _block_of(facts, statement)
    if block is None:
        return None
    found: set[int] = set()
    for later in block[block.index(statement) + 1 :]:
        if _assigns(later, name):
            break
        found.update(
            id(node)
            for node in ast.walk(later)
            if isinstance(node, ast.Name) and node.id == name and isinstance(node.ctx, ast.Load)
        )
    return found


def _block_of(facts: ModuleFacts, statement: ast.stmt) -> list[ast.stmt] | None:
    parent = facts.parent(statement)
    for part in ("body", "orelse", "finalbody"):
        block = getattr(parent, part, None)
        if isinstance(block, list) and any(each is statement for each in block):
            return block
    return None


def _assigns(statement: ast.stmt, name: str) -> bool:
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            return True
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and (
            node.name == name
        ):
            return True
        if isinstance(node, ast.alias) and (node.asname or node.name) == name:
            return True
    return False
