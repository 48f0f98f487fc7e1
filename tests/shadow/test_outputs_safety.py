"""The files a shadow run leaves: never a mix of two runs, never written through a planted
link, never holding a credential an upstream echoed (review D11, D12, D14)."""

from __future__ import annotations

import base64
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate.shadow.config import Safety
from tests.shadow.conftest import Run, Sim
from tests.shadow.fakes import FakePleo, people
from tests.shadow.test_cli import sim_args, sim_env


def test_results_redact_a_credential_an_upstream_echoes(run_fake: Run, tmp_path: Path) -> None:
    legacy, new = people(3)
    fake = FakePleo(legacy, new)
    basic = base64.b64encode(f"{fake.api_key}:".encode()).decode()
    fake.render_legacy = lambda record: {**record, "jobTitle": f"token {fake.legacy_token}"}
    fake.render_new = lambda record: {**record, "jobTitle": f"Basic {basic} / {fake.api_key}"}
    run_fake(fake)
    text = (tmp_path / "out" / "results.jsonl").read_text(encoding="utf-8")
    assert "REDACTED-" in text  # the differing values are there, pseudonymised
    for secret in (fake.legacy_token, fake.api_key, basic):
        assert secret not in text


def test_outputs_replace_planted_links_instead_of_writing_through(
    run_fake: Run, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victims = {}
    for name in ("results.jsonl", "summary.json", "junit.xml", "write-plan.json"):
        victim = tmp_path / f"victim-{name}"
        victim.write_text("precious", encoding="utf-8")
        (out / name).symlink_to(victim)
        victims[name] = victim
    cassette = tmp_path / "victim-cassette"
    cassette.write_text("precious", encoding="utf-8")
    (tmp_path / "rec.yaml").symlink_to(cassette)
    legacy, new = people(2)
    run_fake(FakePleo(legacy, new), record=tmp_path / "rec.yaml",
             safety=Safety(plan_writes=True))
    for victim in (*victims.values(), cassette):
        assert victim.read_text(encoding="utf-8") == "precious"
    for name in ("results.jsonl", "summary.json", "junit.xml"):
        assert not (out / name).is_symlink()
    assert not (tmp_path / "rec.yaml").is_symlink()
    assert (tmp_path / "rec.yaml").stat().st_mode & 0o077 == 0  # company data: owner only
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []


@pytest.mark.slow
@pytest.mark.parametrize("signal_number", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_run_keeps_the_previous_set_whole_and_says_so(
    sim_none: Sim, tmp_path: Path, signal_number: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    old = {"results.jsonl": '{"operation": "x", "run_id": "old"}\n',
           "summary.json": '{"run_id": "old"}\n', "junit.xml": "<testsuites/>\n"}
    for name, text in old.items():
        (out / name).write_text(text, encoding="utf-8")
    # --rate 5 over every record: long enough to be interrupted mid-run
    args = [*sim_args(sim_none, tmp_path), "--sample", "0", "--rate", "5"]
    env = {**os.environ, **sim_env(sim_none), "NO_COLOR": "1"}
    process = subprocess.Popen([sys.executable, "-m", "migrate", *args], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not any(p.name.endswith(".partial") for p in out.iterdir()):
            assert process.poll() is None and time.monotonic() < deadline, process.stderr
            time.sleep(0.1)
        time.sleep(1.0)  # some results streamed into the staged file
        process.send_signal(signal_number)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "interrupted; nothing written to" in err
    for name, text in old.items():
        assert (out / name).read_text(encoding="utf-8") == text
    assert sorted(p.name for p in out.iterdir()) == sorted(old)
