"""`pleo-migrate simulate` as a user runs it: a subprocess on loopback, stopped by signals."""

from __future__ import annotations

import json
import os
import signal
import socket
import stat
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue

import httpx
import pytest

from migrate.simulator.testing import basic, bearer

# Runs the real CLI entry point; registers the command if the CLI does not (yet) do so itself.
RUNNER = """
import sys
from migrate import cli
from migrate.cli import simulate
if not any(c.name == "simulate" for c in cli.app.registered_commands):
    simulate.register(cli.app)
sys.exit(cli.run(sys.argv[1:]))
"""
ROOT = Path(__file__).parents[2]


class Cli:
    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", RUNNER, "simulate", *args], cwd=ROOT,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        self.lines: Queue[str] = Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)

    def read_until(self, predicate, timeout: float = 10.0) -> list[str]:  # type: ignore[no-untyped-def]
        seen: list[str] = []
        deadline = time.monotonic() + timeout
        while True:
            try:
                line = self.lines.get(timeout=max(0.01, deadline - time.monotonic()))
            except Empty:
                pytest.fail(f"no expected output; got {seen!r}; stderr: {self.stop_and_stderr()}")
            seen.append(line)
            if predicate(line):
                return seen

    def stop(self, sig: int = signal.SIGINT) -> tuple[int, str]:
        self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=10)
        finally:
            if self.process.poll() is None:
                self.process.kill()
        return code, self._stderr_and_close()

    def stop_and_stderr(self) -> str:
        if self.process.poll() is None:
            self.process.kill()
        return self._stderr_and_close()

    def _stderr_and_close(self) -> str:
        """The process's stderr; both pipes closed (an open pipe is a ResourceWarning)."""
        assert self.process.stderr is not None and self.process.stdout is not None
        self.process.wait(timeout=10)
        text = self.process.stderr.read()
        self.process.stderr.close()
        self.process.stdout.close()
        return text


def _fields(lines: list[str]) -> dict[str, str]:
    out = {}
    for line in lines:
        key, _, value = line.rstrip("\n").partition("  ")
        out[key.strip()] = value.strip()
    return out


@pytest.mark.slow
def test_starts_serves_and_stops_on_sigint(tmp_path: Path) -> None:
    credentials = tmp_path / "sim.json"
    cli = Cli("--legacy-port", "0", "--new-port", "0", "--credentials-file", str(credentials))
    fields = _fields(cli.read_until(lambda line: line.startswith("scopes")))
    legacy_url, new_url = fields["legacy base URL"], fields["new base URL"]
    assert legacy_url.startswith("http://127.0.0.1:") and legacy_url.endswith("/v1")
    response = httpx.get(f"{new_url}/v2/employees", headers=basic(fields["new API key"]))
    assert response.status_code == 200  # how fast it answers is measured in bench/, not here
    assert httpx.get(f"{legacy_url}/employees",
                     headers=bearer(fields["legacy token"])).status_code == 200

    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    document = json.loads(credentials.read_text())
    assert set(document) == {"environment", "legacy", "new"}
    assert document["environment"] == "production"
    assert document["legacy"] == {"base_url": legacy_url, "token": fields["legacy token"]}
    assert set(document["new"]) == {"base_url", "api_key", "company_id", "organization_id",
                                    "scopes"}
    assert document["new"]["company_id"] == fields["company_id"]
    key = basic(document["new"]["api_key"])
    companies = httpx.get(f"{new_url}/v1/companies", headers=key).json()["data"]
    assert [c["id"] for c in companies] == [document["new"]["company_id"]]
    assert "users:read" in document["new"]["scopes"]

    code, stderr = cli.stop(signal.SIGINT)
    assert code == 0, stderr
    assert "stopped" in stderr and "Traceback" not in stderr
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{new_url}/v2/employees", headers=key)


@pytest.mark.slow
def test_stops_cleanly_on_sigterm_with_json_output() -> None:
    cli = Cli("--legacy-port", "0", "--new-port", "0", "--output-format", "json",
              "--env", "staging", "--drift", "defects", "--seed", "3")
    document = json.loads("".join(cli.read_until(lambda line: line == "}\n")))
    assert document["environment"] == "staging"
    assert document["new"]["api_key"].startswith("sim_key_staging_")
    assert document["drift"] == "defects"
    code, stderr = cli.stop(signal.SIGTERM)
    assert code == 0, stderr
    assert "Traceback" not in stderr


@pytest.mark.slow
def test_port_in_use_is_a_one_line_configuration_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        process = subprocess.run(
            [sys.executable, "-c", RUNNER, "simulate", "--legacy-port", str(port),
             "--new-port", "0"], cwd=ROOT, capture_output=True, text=True, timeout=30,
        )
    assert process.returncode == 2
    errors = [line for line in process.stderr.splitlines() if "error" in line]
    assert errors == [f"pleo-migrate: error: port {port} on 127.0.0.1 is already in use"]
    assert "Traceback" not in process.stderr
    assert process.stdout == ""


@pytest.mark.parametrize("args", [["--drift", "chaos"], ["--scale", "0"],
                                  ["--rate-limit", "lots"], ["--env", "dev"]])
def test_bad_flags_exit_2(args: list[str]) -> None:
    process = subprocess.run([sys.executable, "-c", RUNNER, "simulate", *args], cwd=ROOT,
                             capture_output=True, text=True, timeout=30)
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr


@pytest.mark.parametrize(("value", "words"), [
    ("bogus=1", ["unknown assumption", "legacy-money-units=major|minor",
                 "legacy-list-defaults=active-only|all"]),
    ("legacy-money-units=cents", ["legacy-money-units", "major, minor"]),
])
def test_bad_assumptions_exit_2_with_the_valid_list(value: str, words: list[str]) -> None:
    process = subprocess.run([sys.executable, "-c", RUNNER, "simulate", "--assume", value],
                             cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr and process.stdout == ""
    for word in words:
        assert word in process.stderr


@pytest.mark.slow
def test_runs_under_flipped_assumptions() -> None:
    cli = Cli("--legacy-port", "0", "--new-port", "0", "--output-format", "json",
              "--assume", "legacy-money-units=minor", "--assume", "account-ids=different")
    document = json.loads("".join(cli.read_until(lambda line: line == "}\n")))
    assert document["assumptions"]["legacy-money-units"] == "minor"
    assert document["assumptions"]["account-ids"] == "different"
    assert document["assumptions"]["legacy-tax-rate-unit"] == "percent"
    legacy = document["legacy"]
    balance = httpx.get(f"{legacy['base_url']}/companies/balance",
                        headers=bearer(legacy["token"])).json()
    assert balance["current"] == 184_250_075  # minor units
    code, stderr = cli.stop(signal.SIGTERM)
    assert code == 0, stderr
    assert "assumptions legacy-money-units=minor, account-ids=different" in stderr
