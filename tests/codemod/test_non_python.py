"""Legacy hosts in files that are not Python are references, never a clean report (issue 12)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from migrate.codemod.find import discover as discover_module
from migrate.codemod.find.discover import discover
from tests.cli_runner import invoke

FILES = {
    "go/client.go": 'package pleo\n\nconst Base = "https://openapi.pleo.io/v1"\n',
    "web/api.ts": "// the legacy API\nexport const base = `https://openapi.pleo.io/v1/`;\n",
    "ops/sync.ps1": "$uri = 'https://openapi.pleo.io/v1/expenses'\n",
    "java/Pleo.java": 'class Pleo { String u = "https://openapi.staging.pleo.io/v1"; }\n',
    "cs/Pleo.cs": 'var u = "https://openapi.pleo.io/v1/employees";\n',
    "bin/export.sh": "#!/bin/sh\ncurl -H x \\\n  https://openapi.pleo.io/v1/teams\n",
    "deploy/values.yaml": "pleo:\n  url: openapi.pleo.io\n",
    ".env": "PLEO_URL=https://openapi.pleo.io\n",
    "clean.py": "print('nothing to see')\n",
    "notes.md": "We moved to https://external.pleo.io.\n",
    "node_modules/pleo/index.js": "module.exports = 'https://openapi.pleo.io';\n",
}
EXPECTED = {  # path → the lines that spell a legacy host
    "go/client.go": [3],
    "web/api.ts": [2],
    "ops/sync.ps1": [1],
    "java/Pleo.java": [1],
    "cs/Pleo.cs": [1],
    "bin/export.sh": [3],
    "deploy/values.yaml": [2],
    ".env": [1],
}


def _tree(root: Path) -> Path:
    for name, text in FILES.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    (root / "logo.png").write_bytes(b"\x89PNG\0\0openapi.pleo.io")
    return root


def _found(data: dict[str, object], root: Path) -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for ref in data["references"]:  # type: ignore[attr-defined]
        assert ref["kind"] == "legacy host in a non-Python file"
        assert "pleo-migrate proxy" in ref["detail"]
        found.setdefault(Path(ref["path"]).relative_to(root).as_posix(), []).append(ref["line"])
    return found


def test_scan_reports_every_legacy_host_in_non_python_files(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    result = invoke(["scan", "-o", "json", str(root)])
    assert result.exit_code == 1, result.stderr  # findings, not a clean tree
    data = json.loads(result.stdout)
    assert _found(data, root) == EXPECTED
    assert data["summary"]["non_python_references"] == 8
    assert data["summary"]["non_python_files"] == 8
    assert "8 references to a legacy host in 8 non-Python files" in result.stderr
    text = invoke(["scan", str(root)])
    assert f"{root / 'go' / 'client.go'}:3:15: https://openapi.pleo.io in a .go file" in text.stdout


def test_a_git_work_tree_is_screened_with_git_grep(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    (root / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    (root / "ignored").mkdir()
    (root / "ignored" / "old.go").write_text('"https://openapi.pleo.io"\n', encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    data = json.loads(invoke(["scan", "-o", "json", str(root)]).stdout)
    assert _found(data, root) == EXPECTED


def test_without_grep_the_files_are_read_in_python(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _tree(tmp_path / "repo")
    monkeypatch.setattr(discover_module, "_gnu_grep", lambda: False)
    found = discover([str(root)])
    assert sorted(Path(p).relative_to(root).as_posix() for p in found.others) == sorted(EXPECTED)


def test_a_named_non_python_file_is_skipped_not_failed(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    result = invoke(["scan", "-o", "json", str(root / "go" / "client.go")])
    assert result.exit_code == 1
    (problem,) = json.loads(result.stdout)["problems"]
    assert problem["status"] == "skipped" and problem["line"] == 3
    assert "pleo-migrate proxy" in problem["reason"]
    plain = invoke(["scan", "-o", "json", str(root / "notes.md")])
    assert plain.exit_code == 0, plain.stderr
    (problem,) = json.loads(plain.stdout)["problems"]
    assert (problem["status"], problem["reason"]) == ("skipped", "not a Python file")
    rewrite = invoke(["rewrite", "--strategy", "compat", str(root / "go" / "client.go")])
    assert rewrite.exit_code == 0 and "0 failed" in rewrite.stderr and "1 skipped" in rewrite.stderr


def test_sarif_has_a_result_for_each_reference(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    data = json.loads(invoke(["scan", "-o", "sarif", str(root)]).stdout)
    results = data["runs"][0]["results"]
    assert {r["ruleId"] for r in results} == {"PLM301"}
    lines = sorted(
        r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results
    )
    assert lines == sorted(line for found in EXPECTED.values() for line in found)


def test_workers_sharing_a_folder_find_the_same_references(tmp_path: Path) -> None:
    root = _tree(tmp_path / "repo")
    for number in range(40):  # enough entries to share the folder between workers
        (root / f"pkg{number}").mkdir()
        (root / f"pkg{number}" / "m.py").write_text("x = 'pleo'\n", encoding="utf-8")
    (root / "top.ts").write_text("const u = 'https://openapi.pleo.io';\n", encoding="utf-8")
    data = json.loads(invoke(["scan", "-o", "json", "--jobs", "2", str(root)]).stdout)
    assert _found(data, root) == {**EXPECTED, "top.ts": [1]}
