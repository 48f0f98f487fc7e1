"""`ModuleFacts.walk` stands in for `ast.walk` everywhere the analysis walks a tree again: it
must yield the same nodes in the same order, including lists that hold other things than
nodes (`{**x}` keys, a bare `*` default, `global` names, match-class attributes)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from migrate.codemod.find.collect import collect

TRICKY = '''
import os as o, sys
from x import (a as b)
global_value = {**o.environ, "k": [i for i in range(3) if i], 1: {2, 3}}

def f(p, /, q=1, *r, s, t=2, **u) -> None:
    global global_value
    def g():
        nonlocal_holder = 1
        def h():
            nonlocal nonlocal_holder
            nonlocal_holder += 1
        return h
    lambda v, *, w=3: v + w
    async def k():
        async with o.x as y, o.z:
            await y
        async for z in y:
            yield z
    try:
        pass
    except (ValueError, KeyError) as e:
        raise RuntimeError(f"{e!r:>{p}}") from e
    finally:
        del q
    match p:
        case Point(x=0, y=yy) | [1, *rest] if yy:
            pass
        case {"a": 1, **others}:
            pass
        case str() as text:
            pass
    return (yield from g()) if t else f"{u}"
'''


def _same(tree: ast.Module) -> None:
    facts = collect(tree)
    for node in [tree, *list(ast.walk(tree))[::3]]:
        expected = list(ast.walk(node))
        got = facts.walk(node)
        assert len(got) == len(expected)
        assert all(one is other for one, other in zip(got, expected, strict=True))
    assert facts.walk(tree) is facts.nodes()  # listed once, then shared
    assert facts.statements() == [n for n in ast.walk(tree) if isinstance(n, ast.stmt)]


def test_the_cached_walk_is_ast_walk_on_every_kind_of_node() -> None:
    _same(ast.parse(TRICKY))


@pytest.mark.parametrize("path", sorted(Path("migrate/codemod").rglob("*.py"))[::7], ids=str)
def test_the_cached_walk_is_ast_walk_on_real_modules(path: Path) -> None:
    _same(ast.parse(path.read_text(encoding="utf-8")))
