"""Discovery: grep-screened and Python-screened listings agree, whichever way they run."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from migrate.codemod import Job, run, select
from migrate.codemod.find import discover as discovery
from migrate.codemod.find.discover import discover, screen_share

LEGACY = 'import requests\nrequests.get("https://openapi.pleo.io/v1/employees/e-1")\n'


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    files = {
        "top.py": LEGACY,
        "plain.py": "x = 1\n",
        "notes.txt": "pleo",
        "pkg/a.py": LEGACY,
        "pkg/b.py": "# mentions Pleo in a comment\n",
        "pkg/deep/c.py": "y = 2\n",
        "pkg/deep/paging.py": "offset = body['metadata']['pageInfo']['nextPageOffset']\n",
        "node_modules/x.py": LEGACY,
        "env/lib/site.py": LEGACY,
        "env/pyvenv.cfg": "home = /usr\n",
        "other/d.py": "z = 3\n",
        "third/e.py": LEGACY,
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    os.symlink(tmp_path / "top.py", tmp_path / "pkg" / "link.py")
    return tmp_path


def _relative(root: Path, paths: tuple[str, ...] | list[str]) -> set[str]:
    return {str(Path(path).relative_to(root)) for path in paths}


EXPECTED_FILES = {
    "top.py",
    "plain.py",
    "pkg/a.py",
    "pkg/b.py",
    "pkg/deep/c.py",
    "pkg/deep/paging.py",
    "other/d.py",
    "third/e.py",
}
EXPECTED_HITS = {"top.py", "pkg/a.py", "pkg/b.py", "pkg/deep/paging.py", "third/e.py"}


def test_grep_screening(tree: Path) -> None:
    found = discover([str(tree)])
    assert _relative(tree, found.files) == EXPECTED_FILES
    assert _relative(tree, found.candidates) == EXPECTED_HITS


def test_python_walk_without_grep(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(discovery, "_gnu_grep", lambda: False)
    found = discover([str(tree)])
    assert _relative(tree, found.files) == EXPECTED_FILES
    assert _relative(tree, found.candidates) == EXPECTED_FILES  # screened later, in Python


def test_shares_list_and_screen_the_same_files(tree: Path) -> None:
    found = discover([str(tree)], ways=3, workers=2)
    assert found.files == () and len(found.shares) == 3
    listed: list[str] = []
    hits: list[str] = []
    for share in found.shares:
        share_listed, share_hits, _others = screen_share(share)
        listed += share_listed
        hits += share_hits
    assert _relative(tree, listed) == EXPECTED_FILES
    assert _relative(tree, hits) == EXPECTED_HITS


@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("grep", [True, False])
def test_a_run_finds_the_same_whichever_way(
    tree: Path, jobs: int, grep: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not grep:
        monkeypatch.setattr(discovery, "_gnu_grep", lambda: False)
    outcome = run([str(tree)], Job("scan", "native", select("native")), jobs=jobs)
    assert outcome.examined == len(EXPECTED_FILES)
    sites = {(Path(site.path).name, site.label) for site in outcome.result.sites}
    assert sites == {
        ("top.py", "employees.get"),
        ("a.py", "employees.get"),
        ("e.py", "employees.get"),
        ("paging.py", "legacy paging"),  # follows nextPageOffset: the rewrite leaves a TODO
    }


def test_grep_counts_are_read_in_one_go_and_line_by_line_alike(tree: Path) -> None:
    lines = [("top.py", 1), ("plain.py", 0), ("env/lib/site.py", 2), ("pkg/a.py", 3)]
    output = b"".join(f"{tree}/{name}\0{count}\n".encode() for name, count in lines)
    listed, hits = discovery._parse_counts(str(tree), output)
    assert _relative(tree, listed) == {"top.py", "plain.py", "pkg/a.py"}  # the venv's left out
    assert _relative(tree, hits) == {"top.py", "pkg/a.py"}
    assert discovery._counted(output) == discovery._counted_lines(output)
    odd = output + f"{tree}/odd\nname.py\0{1}\n".encode()  # a line break in a file's name
    assert discovery._counted(odd) is None  # the fields no longer pair up: read line by line
    listed, hits = discovery._parse_counts(str(tree), odd)
    assert {str(tree / "top.py"), str(tree / "pkg" / "a.py")} <= set(hits)
    assert str(tree / "env" / "lib" / "site.py") not in listed
