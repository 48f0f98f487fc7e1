"""The example legacy client runs unchanged through the compat layer and prints the same report."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from migrate.compat import ProxyAccess, new_caller_token
from migrate.compat.proxy import ProxyConfig, build_proxy_app
from migrate.serving import ServedApps
from migrate.simulator.testing import SimulatorHandle

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "expense_report" / "report.py"


def _run(base_url: str, token: str) -> subprocess.CompletedProcess[str]:
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("PLEO_")},
        "PLEO_LEGACY_URL": base_url,
        "PLEO_LEGACY_TOKEN": token,
    }
    return subprocess.run(
        [sys.executable, str(EXAMPLE)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )


def test_example_report_is_the_same_through_the_proxy(simulator: SimulatorHandle) -> None:
    direct = _run(simulator.legacy_base_url, simulator.legacy_token)
    assert direct.returncode == 0, direct.stderr
    assert "Expenses:" in direct.stdout and "Tag groups:" in direct.stdout
    config = ProxyConfig(
        env=simulator.environment,
        company_id=simulator.company_id,
        new_base_url=simulator.new_base_url,
        api_key=simulator.api_key,
    )
    access = ProxyAccess(caller_token=new_caller_token())
    assert access.caller_token is not None
    with ServedApps([(build_proxy_app(config, access=access), "127.0.0.1", 0)]) as proxy:
        refused = _run(proxy.url() + "/v1", simulator.legacy_token)  # the old token: 401
        through = _run(proxy.url() + "/v1", access.caller_token)  # only the token swapped
    assert refused.returncode != 0
    assert through.returncode == 0, through.stderr
    assert through.stdout == direct.stdout
