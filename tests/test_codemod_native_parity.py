"""Behaviour parity of `rewrite --strategy native`, call by call: every part of the ERP sync
whose calls the scan marks automatic prints the same lines after the rewrite, against the new
simulator, as before it against the legacy one. Manual call sites cannot run until a person
does the TODO, so the harness calls the automatic parts only (the scan says which)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from migrate.simulator.testing import SimulatorHandle
from tests.cli_runner import invoke
from tests.codemod.helpers import drop_method

pytestmark = pytest.mark.slow
EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "erp_sync"
HARNESS = """
import json, sys
from erp_sync import sync
from erp_sync.client import PleoClient
client = PleoClient()
parts = {
    "employees.list": lambda: sync.employee_lines(client),
    "accounts.list": lambda: sync.account_lines(client),
    "expenses.get": lambda: sync.expense_detail_lines(client, json.loads(sys.argv[2])),
}
print(json.dumps({name: parts[name]() for name in json.loads(sys.argv[1])}))
"""


def _harness(root: Path, parts: list[str], ids: list[str], env: dict[str, str]) -> object:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("PLEO_")}
    done = subprocess.run(
        [sys.executable, "-c", HARNESS, json.dumps(parts), json.dumps(ids)],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**clean, "PYTHONPATH": str(root), **env},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_native_rewrite_keeps_the_output_of_every_automatic_call(
    simulator: SimulatorHandle, tmp_path: Path
) -> None:
    before_root, after_root = tmp_path / "before", tmp_path / "after"
    for root in (before_root, after_root):
        shutil.copytree(EXAMPLE, root / "erp_sync", ignore=shutil.ignore_patterns("__pycache__"))
        # The client's generic `get(path)` is manual and shares the base and the session with
        # the automatic calls, so native would move nothing in client.py (a module moves whole
        # or not at all): both sides run without it; the parts called here do not use it.
        client = root / "erp_sync" / "client.py"
        client.write_text(drop_method(client.read_text(encoding="utf-8"), "get"), "utf-8")
    scan = json.loads(invoke(["scan", str(before_root / "erp_sync"), "-o", "json"]).stdout)
    automatic = sorted({s["operation"] for s in scan["call_sites"] if s["automatic"]})
    assert automatic == ["accounts.list", "employees.list", "expenses.get"]

    rewritten = invoke(
        [
            "rewrite",
            str(after_root / "erp_sync"),
            "--write",
            "--strategy",
            "native",
            "--allow-dirty",
        ]
    )
    assert rewritten.exit_code in (0, 1), rewritten.stderr
    manual = [s for s in scan["call_sites"] if not s["automatic"]]
    todos = sum(
        path.read_text(encoding="utf-8").count("TODO[pleo-migrate")
        for path in (after_root / "erp_sync").glob("*.py")
    )
    assert todos >= len(manual) > 0

    ids = [e.id for e in simulator.store.expenses.rows([simulator.company_id])][:5]
    legacy_env = {
        "PLEO_LEGACY_URL": simulator.legacy_base_url,
        "PLEO_LEGACY_TOKEN": simulator.legacy_token,
    }
    new_env = {
        "PLEO_NEW_API_URL": simulator.new_base_url,
        "PLEO_API_KEY": simulator.api_key,
        "PLEO_COMPANY_ID": simulator.company_id,
    }
    before = _harness(before_root, automatic, ids, legacy_env)
    after = _harness(after_root, automatic, ids, new_env)
    assert after == before
