"""A plain `scan` command line runs without typer, with exactly typer's outcome.

`migrate.cli.run` parses `scan`'s flags itself when they are plainly valid (`fast_path.py`);
everything else goes to typer. Each command line here runs both ways (typer forced by making
the fast parser decline) and must give the same exit code, stdout and stderr.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import migrate.cli
from migrate.cli import fast_path
from migrate.cli.fast_path import ScanArgs, parse_scan
from migrate.resources import mappings_dir
from tests.cli_runner import Result, invoke

LEGACY = (
    "import requests\n\n"
    'BASE = "https://openapi.pleo.io/v1"\n\n\n'
    "def employee(employee_id):\n"
    '    return requests.get(f"{BASE}/employees/{employee_id}").json()\n'
)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "tree"
    files = {
        "client.py": LEGACY,
        "pkg/other.py": LEGACY.replace("employees", "expenses"),
        "plain.py": "x = 1\n",
        "notes.md": "see https://openapi.pleo.io/v1/teams\n",
        "broken.py": 'import requests\nrequests.get("https://openapi.pleo.io/v1/x"\n',
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    return root


def _both(args: list[str], monkeypatch: pytest.MonkeyPatch) -> tuple[Result, Result]:
    fast = invoke(args)
    with monkeypatch.context() as patch:
        patch.setattr(migrate.cli, "parse_scan", lambda argv: None)
        slow = invoke(args)
    return fast, slow


@pytest.mark.parametrize(
    "flags",
    [
        [],
        ["-o", "json"],
        ["--output-format=sarif", "-j", "1"],
        ["--jobs", "2", "--output-format", "text"],
        ["-o", "json", "--mappings", "MAPPINGS"],
        ["--mappings=MAPPINGS", "-j", "0"],
    ],
)
def test_a_plain_scan_gives_what_typer_gives(
    tree: Path, flags: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["scan", *(str(mappings_dir()) if f == "MAPPINGS" else
                      f.replace("MAPPINGS", str(mappings_dir())) for f in flags), str(tree)]
    assert parse_scan(args) is not None  # this command line does take the fast path
    fast, slow = _both(args, monkeypatch)
    assert fast == slow and fast.exit_code == 1
    assert "legacy call site" in fast.stderr


def test_paths_after_the_double_dash_and_between_flags(
    tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["scan", str(tree / "client.py"), "-o", "json", "--", str(tree / "pkg")]
    assert parse_scan(args) == ScanArgs(
        (tree / "client.py", tree / "pkg"), "json", 0, None
    )
    fast, slow = _both(args, monkeypatch)
    assert fast == slow and fast.exit_code == 1


@pytest.mark.parametrize(
    "args",
    [
        ["scan"],
        ["scan", "-h"],
        ["scan", "--help"],
        ["scan", "-o"],
        ["scan", "-o", "xml", "."],
        ["scan", "-o", "JSON", "."],
        ["scan", "-ojson", "."],
        ["scan", "-o=json", "."],
        ["scan", "-j", "-1", "."],
        ["scan", "-j", "x", "."],
        ["scan", "-j", "1", "-j", "2", "."],
        ["scan", "--job", "1", "."],
        ["scan", "--mappings", "", "."],
        ["scan", "--mappings", "-x", "."],
        ["scan", "--unknown", "."],
        ["scan", "-"],
        ["scan", ""],
        ["rewrite", "."],
        ["--version"],
        ["-V", "scan", "."],
    ],
)
def test_anything_unusual_goes_to_typer(
    args: list[str], tree: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tree)  # "." is the small tree, not the repository (a scan of it cost ~10 s)
    assert parse_scan(args) is None
    fast, slow = _both(args, monkeypatch)
    assert fast == slow


def test_an_unreadable_path_goes_to_typer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """typer words that refusal ("… is not readable"), so the fast parser leaves it to typer."""
    with monkeypatch.context() as patch:
        patch.setattr(fast_path.os, "access", lambda path, mode: False)
        assert parse_scan(["scan", str(tmp_path)]) is None
        assert parse_scan(["scan", "--mappings", str(tmp_path), str(tmp_path)]) is None
        assert parse_scan(["scan", str(tmp_path / "not-there")]) is not None  # typo: exit 2


def test_a_missing_path_is_the_same_usage_error_both_ways(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["scan", str(tmp_path / "nowhere")]
    assert parse_scan(args) is not None
    fast, slow = _both(args, monkeypatch)
    assert fast == slow and fast.exit_code == 2
    assert "no such file or directory" in fast.stderr
