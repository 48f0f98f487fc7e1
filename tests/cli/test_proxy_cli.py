"""`pleo-migrate proxy` as a real process: starts, answers legacy paths, stops on a signal."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from migrate.simulator.testing import SimulatorHandle


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _env(**extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PLEO_")}
    return {**base, **extra}


def _proxy(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "migrate", "proxy", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _wait_for(url: str, process: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(process.stderr.read() if process.stderr else "proxy exited")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.05)
    raise AssertionError("the proxy did not start")


@pytest.mark.parametrize("stop", [signal.SIGINT, signal.SIGTERM])
def test_proxy_serves_legacy_paths_and_stops_cleanly(
    simulator: SimulatorHandle, tmp_path: Path, stop: signal.Signals
) -> None:
    credentials = tmp_path / "sim.json"
    credentials.write_text(
        json.dumps(
            {
                "environment": simulator.environment,
                "new": {
                    "base_url": simulator.new_base_url,
                    "api_key": simulator.api_key,
                    "company_id": simulator.company_id,
                },
            }
        )
    )
    port = _free_port()
    token_file = tmp_path / "caller-token"
    args = ["--listen", f"127.0.0.1:{port}", "--credentials-file", str(credentials)]
    process = _proxy([*args, "--token-file", str(token_file)], _env())
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz", process)
        url = f"http://127.0.0.1:{port}/v1/employees?pageSize=3"
        anonymous = httpx.get(url, timeout=10)
        assert anonymous.status_code == 401
        assert anonymous.json()["error"] == "Unauthorized"
        token = token_file.read_text().strip()
        assert token.startswith("pleo-migrate-proxy-caller-")
        assert token_file.stat().st_mode & 0o777 == 0o600
        answer = httpx.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert answer.status_code == 200
        assert len(answer.json()["employees"]) == 3
    finally:
        process.send_signal(stop)
        out, err = process.communicate(timeout=20)
    assert process.returncode == 0, err
    assert out.startswith(f"legacy base URL: http://127.0.0.1:{port}/v1")
    assert simulator.api_key not in out + err
    assert "Traceback" not in err


def test_port_in_use_is_a_usage_error() -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "migrate", "proxy", "--listen", f"127.0.0.1:{port}"],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env=_env(PLEO_API_KEY="placeholder-key-for-tests"),
        )
    assert result.returncode == 2
    assert "already in use" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        (
            ["--listen", "0.0.0.0:0"],
            {"PLEO_API_KEY": "placeholder-key-for-tests"},
            "refusing to listen on 0.0.0.0",
        ),
        (["--listen", "127.0.0.1:0"], {}, "no new-API credential"),
        (["--listen", "nonsense"], {"PLEO_API_KEY": "x"}, "--listen takes HOST:PORT"),
        (["--env", "prod"], {"PLEO_API_KEY": "x"}, "staging or production"),
        (
            ["--env", "staging", "--new-url", "https://external.pleo.io"],
            {"PLEO_API_KEY": "placeholder-key-for-tests"},
            "external.pleo.io is Pleo's production host but the credential is for staging",
        ),
        (
            ["--env", "staging"],
            {"PLEO_API_KEY": "placeholder-key-for-tests", "PLEO_ENV": "production"},
            "--env staging contradicts PLEO_ENV, which says production",
        ),
        (
            ["--new-url", "http://example.com"],
            {"PLEO_API_KEY": "placeholder-key-for-tests"},
            "over plain http to example.com",
        ),
        (
            ["--new-url", "https://example.com"],
            {"PLEO_API_KEY": "placeholder-key-for-tests"},
            "example.com is not a Pleo host",
        ),
        (
            ["--listen", "0.0.0.0:0", "--allow-remote", "--no-caller-token"],
            {"PLEO_API_KEY": "placeholder-key-for-tests"},
            "--no-caller-token is for loopback only",
        ),
    ],
)
def test_refusals_exit_2(args: list[str], env: dict[str, str], message: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "migrate", "proxy", *args],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_env(**env),
    )
    assert result.returncode == 2, result.stderr
    assert message in result.stderr and "Traceback" not in result.stderr


def test_a_production_credentials_file_is_never_relabelled_staging(tmp_path: Path) -> None:
    credentials = tmp_path / "prod.json"
    document = {"environment": "production", "new": {"api_key": "placeholder-key-for-tests"}}
    credentials.write_text(json.dumps(document))
    result = subprocess.run(
        [
            *(sys.executable, "-m", "migrate", "proxy", "--env", "staging"),
            *("--credentials-file", str(credentials), "--listen", "127.0.0.1:0"),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env=_env(),
    )
    assert result.returncode == 2, result.stderr
    assert "which says production" in result.stderr and "Traceback" not in result.stderr
