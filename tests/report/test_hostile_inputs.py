"""`report` under hostile or huge input: deep JSON is exit 2, a huge scan gives a page of
bounded size with exact totals (review D8, D16)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.cli import run
from tests.report.fixtures import scan_document, shadow_folder
from tests.scan_documents import write_json

DEEP = '{"schema_version": 1, "x": ' + "[" * 50_000 + "]" * 50_000 + "}"


def _report(tmp_path: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = run(["report", *args, "--out", str(tmp_path / "r")])
    return code, capsys.readouterr().err


def test_deeply_nested_scan_summary_or_result_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    scan = tmp_path / "scan.json"
    scan.write_text(DEEP, encoding="utf-8")
    code, err = _report(tmp_path, capsys, "--scan", str(scan))
    assert code == 2 and "nested too deeply" in err, err

    folder = shadow_folder(tmp_path / "shadow")
    good = (folder / "summary.json").read_text(encoding="utf-8")
    (folder / "summary.json").write_text(DEEP, encoding="utf-8")
    code, err = _report(tmp_path, capsys, "--shadow", str(folder))
    assert code == 2 and "nested too deeply" in err, err

    (folder / "summary.json").write_text(good, encoding="utf-8")
    with (folder / "results.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(DEEP + "\n")
    code, err = _report(tmp_path, capsys, "--shadow", str(folder))
    assert code == 2 and "nested too deeply" in err, err
    assert not (tmp_path / "r" / "index.html").exists()


def _huge_scan(sites: int) -> dict[str, Any]:
    document = scan_document()
    template = document["call_sites"][0]
    document["call_sites"] = [
        {**template, "path": f"pkg{n // 10}/m{n}.py", "line": n % 500 + 1,
         "fingerprint": f"pkg/m{n}.py:{n}"}
        for n in range(sites)
    ]
    summary = document["summary"]
    summary["call_sites"] = summary["files"] = sites
    summary["automatic"] = sum(1 for s in document["call_sites"] if s["automatic"])
    summary["manual"] = sites - summary["automatic"]
    return document


@pytest.mark.slow
def test_a_huge_scan_folds_its_rows_and_keeps_totals_exact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sites = 30_000
    scan = write_json(tmp_path / "scan.json", _huge_scan(sites))
    code, err = _report(tmp_path, capsys, "--scan", str(scan))
    assert code in (0, 1), err
    html = (tmp_path / "r" / "index.html").read_text(encoding="utf-8")
    assert len(html.encode()) < 3_000_000  # 30,000 rows made about 11 MB
    assert f"{sites} legacy call sites in {sites} files" in html
    assert "… and 28000 more call sites in 28000 more files" in html
    report = json.loads((tmp_path / "r" / "report.json").read_text(encoding="utf-8"))
    assert report["code"]["call_sites"] == sites
    assert sum(len(f["sites"]) for f in report["code"]["files"]) == sites
