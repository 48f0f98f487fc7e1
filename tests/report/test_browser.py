"""The demo's report as a person sees it: headless Chromium opens it from disk.

Skips where Chromium is missing, unless PLEO_MIGRATE_REQUIRE_CHROMIUM=1 (CI sets it after
installing Debian's chromium), which turns the skip into a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from migrate.demo import DemoResult

REPO = Path(__file__).resolve().parents[2]
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.environ.get("PLEO_MIGRATE_REQUIRE_CHROMIUM") == "1":
        pytest.fail("Chromium is required here (PLEO_MIGRATE_REQUIRE_CHROMIUM=1) but not installed")
    pytest.skip("Chromium is not installed (apt-get install chromium); the browser check needs it")


def test_demo_report_in_headless_chromium(tmp_path: Path, demo: DemoResult) -> None:
    browser = _chromium()
    page = demo.report.resolve().as_uri()
    profile = ["--user-data-dir=" + str(tmp_path / "profile")]
    dom = subprocess.run(
        [browser, *FLAGS, *profile, "--enable-logging=stderr", "--v=0", "--dump-dom", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert 'class="readiness-table"' in dom.stdout
    body = dom.stdout[dom.stdout.index("<body") :]
    first_section = body[body.index("<section") :].split(">", 1)[0]
    assert first_section == '<section id="next-steps"', first_section  # the plan comes first
    steps = body[body.index('<ol class="next-steps">') : body.index("</ol>")]
    assert steps.index("Decide what replaces companies.balance") < steps.index("Port ")
    assert "question for Pleo" in steps and "our code" in steps
    assert 'class="scopes"' in dom.stdout
    assert '<mark class="mismatch">' in dom.stdout
    console = [line for line in dom.stderr.splitlines() if "CONSOLE" in line]
    blocked = [
        line
        for line in dom.stderr.splitlines()
        if "Refused to" in line or "ERR_BLOCKED" in line or "net::ERR" in line
    ]
    assert console == [] and blocked == []
    shots = REPO / "reports"
    shots.mkdir(exist_ok=True)
    shot = shots / "report-screenshot.png"
    shot.unlink(missing_ok=True)
    taken = subprocess.run(
        [browser, *FLAGS, *profile, "--window-size=1280,2000", f"--screenshot={shot}", page],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert taken.returncode == 0, taken.stderr[-2000:]
    assert shot.exists() and shot.stat().st_size > 10_000
