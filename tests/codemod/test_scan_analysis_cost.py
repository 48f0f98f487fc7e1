"""What one file's analysis costs, without changing what it finds.

A file's analysis must be freed by reference counting as soon as its result is made (no
garbage left for the cyclic collector, whose collections walk every file's tree), and
`Reach`'s own walk of a statement must see every node `ast.walk` sees.
"""

from __future__ import annotations

import ast
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from migrate.codemod import Job, process_bytes
from migrate.codemod.find import reach
from migrate.codemod.find.collect import collect

REPO = Path(__file__).resolve().parents[2]
REQUESTS_MODULE = (
    "import os\n\nimport requests\n\n"
    'BASE = os.environ.get("LEGACY_URL", "https://openapi.pleo.io/v1")\n\n\n'
    "def _url(path):\n"
    '    return f"{BASE}/{path}"\n\n\n'
    "def expense(expense_id):\n"
    '    return requests.get(_url(f"expenses/{expense_id}")).json()\n\n\n'
    "def teams(session: requests.Session):\n"
    '    return session.get(BASE + "/teams").json()["teams"]\n'
)
HTTPX_MODULE = (
    "import httpx\n\n"
    'PLEO = "https://openapi.pleo.io/v1"\n\n\n'
    "class Client:\n"
    "    def __init__(self, token):\n"
    '        self.http = httpx.Client(base_url=PLEO, headers={"Authorization": token})\n\n'
    "    def employees(self, offset=0):\n"
    '        page = self.http.get("/employees", params={"pageOffset": offset}).json()\n'
    '        return page["employees"], page["metadata"]["pageInfo"]["nextPageOffset"]\n'
)


@contextmanager
def _collector_off() -> Iterator[None]:
    gc.collect()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


@pytest.mark.parametrize("text", [REQUESTS_MODULE, HTTPX_MODULE], ids=["requests", "httpx"])
@pytest.mark.parametrize(
    "job",
    [Job("scan", "native"), Job("check", "native"), Job("check", "compat")],
    ids=["scan", "native", "compat"],
)
def test_a_file_s_analysis_leaves_nothing_for_the_cyclic_collector(text: str, job: Job) -> None:
    process_bytes("warm.py", text.encode(), job)  # imports and caches: not the file's
    with _collector_off():
        result = process_bytes("client.py", text.encode(), job)
        unreachable = gc.collect()
    assert result is not None and result.sites, "the module's legacy calls were not found"
    assert unreachable == 0, f"{unreachable} objects of one file waited for the cyclic collector"


def _modules() -> list[Path]:
    """Varied real code: this package, the corpora, and the standard library's ast."""
    found = sorted((REPO / "migrate" / "codemod").rglob("*.py"))
    found += sorted((REPO / "tests" / "codemod").glob("*/*.py"))
    found.append(Path(ast.__file__))
    return found


def test_reach_walks_every_node_ast_walk_yields() -> None:
    extra = ast.parse(
        "match x:\n    case {'k': [a, *rest]} if a: pass\n    case Point(x=0) | None: pass\n"
        "@deco(1)\nasync def f(a: int = 1, /, *b, c, **d) -> T:\n"
        "    async with g() as (h, i): yield [j async for j in k if j]\n"
        "try: pass\nexcept* (E, F) as e: del e\n"
        "lam = lambda q=1: f'{q!r:>{w}}'\nglobal z\nimport a.b as c\nfrom . import d\n"
    )
    trees = [extra]
    for path in _modules()[::3]:
        try:
            trees.append(ast.parse(path.read_bytes()))
        except SyntaxError:
            continue
    assert len(trees) > 50
    for tree in trees:
        for node in [tree, *(sub for sub in ast.walk(tree) if isinstance(sub, ast.stmt))]:
            expected = {id(sub) for sub in ast.walk(node) if not isinstance(sub, ast.expr_context)}
            assert {id(sub) for sub in reach._nodes(node)} == expected, ast.dump(node)[:200]


def _links(tree: ast.Module, cached: bool = False) -> object:
    """A Reach's links, with statements and functions named by their place in the tree
    (`cached`: built as a run builds it, on the module facts' cached walks)."""
    place = {id(node): number for number, node in enumerate(ast.walk(tree))}

    def key(text: str) -> str:
        head, colon, rest = text.partition(":")
        return f"@{place[int(head)]}{colon}{rest}" if head.isdigit() else text

    built = reach.reach_of(collect(tree)) if cached else reach.Reach(tree)
    return (
        sorted((key(k), sorted(place[id(s)] for s in v)) for k, v in built.loaders.items()),
        sorted((place[id(s)], sorted(map(key, v))) for s, v in built.defines.items()),
        sorted((place[id(s)], sorted(v)) for s, v in built.called.items()),
        sorted(built.loaded),
    )


def test_reach_links_are_those_of_a_walk_with_ast_walk(monkeypatch: pytest.MonkeyPatch) -> None:
    trees = [ast.parse(path.read_bytes()) for path in _modules()[1::4]]
    fast = [_links(tree) for tree in trees]
    assert [_links(tree, cached=True) for tree in trees] == fast
    monkeypatch.setattr(reach, "_nodes", lambda node: list(ast.walk(node)))
    assert [_links(tree) for tree in trees] == fast
