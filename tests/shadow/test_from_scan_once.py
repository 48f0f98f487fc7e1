"""`shadow --from-scan` on the demo's own scan reads each operation once: an operation found
at two call sites is not counted twice (issue 13 point 8, fixed on main; this guards it)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from migrate.mapping import Catalogue
from migrate.shadow.plan import build_parity_plan
from tests.cli_runner import invoke
from tests.shadow.conftest import REPO, Sim
from tests.shadow.test_cli import sim_args, sim_env

pytestmark = pytest.mark.slow


def _demo_scan(tmp_path: Path) -> Path:
    result = invoke(["scan", "-o", "json", str(REPO / "examples")], {"NO_COLOR": "1"})
    assert result.exit_code == 1, result.stderr  # call sites found
    path = tmp_path / "scan.json"
    path.write_text(result.stdout, encoding="utf-8")
    return path


def test_the_demo_scan_plans_each_operation_once(catalogue: Catalogue, tmp_path: Path) -> None:
    scan = _demo_scan(tmp_path)
    sites = Counter(site["operation"] for site in json.loads(scan.read_text())["call_sites"]
                    if site.get("operation"))
    assert any(count > 1 for count in sites.values())  # the case that double-counted
    plan = build_parity_plan(catalogue, "all-reads", scan)
    planned = Counter(step.operation for step in plan.reads)
    assert planned and all(count == 1 for count in planned.values()), planned


def test_the_demo_scan_compares_each_record_once(sim_none: Sim, tmp_path: Path) -> None:
    scan = _demo_scan(tmp_path)
    result = invoke([*sim_args(sim_none, tmp_path), "--from-scan", str(scan), "--sample", "0"],
                    {**sim_env(sim_none), "NO_COLOR": "1"})
    assert result.exit_code in (0, 1), result.stderr
    lines = [json.loads(text) for text in
             (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8").splitlines()]
    pairs = Counter((line["operation"], line["id"]) for line in lines if line["id"])
    assert pairs and max(pairs.values()) == 1
    employees = sum(1 for op, _ in pairs if op == "employees.list")
    assert employees == len(sim_none.simulator.store.employees.rows(
        [sim_none.simulator.company_id]))
