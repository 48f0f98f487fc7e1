"""`pleo-migrate shadow` and `cassettes scan` as a user meets them: exit codes and streams."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from migrate.cli import shadow as shadow_cli
from migrate.shadow.config import Credentials
from tests.cli_runner import Result
from tests.cli_runner import invoke as run_cli
from tests.scan_documents import SARIF, write_json
from tests.shadow.conftest import REPO, Sim

pytestmark = pytest.mark.slow


@pytest.fixture
def cli() -> None:
    """The real `pleo-migrate` (commands, error handling and exit codes as users meet them)."""


def invoke(app: None, args: list[str], env: dict[str, str] | None = None) -> Result:
    base = {"PLEO_LEGACY_TOKEN": "", "PLEO_API_KEY": "", "PLEO_COMPANY_ID": "", "PLEO_ENV": "",
            "NO_COLOR": "1"}
    return run_cli(args, {**base, **(env or {})})


def sim_env(sim: Sim) -> dict[str, str]:
    credentials: Credentials = sim.credentials
    return {"PLEO_LEGACY_TOKEN": credentials.legacy_token or "",
            "PLEO_API_KEY": credentials.api_key or "",
            "PLEO_COMPANY_ID": credentials.company_id or ""}


def sim_args(sim: Sim, tmp_path: Path, *more: str) -> list[str]:
    return ["shadow", "--legacy-url", sim.endpoints.legacy_url, "--new-url",
            sim.endpoints.new_url, "--rate", "0", "--recheck", "0", "--out",
            str(tmp_path / "out"), *more]


@pytest.fixture
def no_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the run started: a refusal must come before any I/O")

    monkeypatch.setattr(shadow_cli, "run_shadow", refuse)


@pytest.mark.parametrize(
    ("args", "env", "message"),
    [
        pytest.param(["--allow-writes"], {"PLEO_LEGACY_TOKEN": "t" * 10, "PLEO_API_KEY": "k" * 10},
                     "--allow-writes is only allowed with --env staging", id="writes-production"),
        pytest.param([], {}, "missing credentials: PLEO_LEGACY_TOKEN", id="no-credentials"),
        pytest.param(["--record", "a.yaml", "--replay", "b.yaml"], {},
                     "--record and --replay exclude each other", id="record-and-replay"),
        pytest.param(["--env", "staging", "--new-url", "https://external.pleo.io"], {},
                     "external.pleo.io is a production host", id="mixed-environments"),
        pytest.param(["--ops", "nope.list"], {"PLEO_LEGACY_TOKEN": "t" * 10,
                                              "PLEO_API_KEY": "k" * 10, "PLEO_COMPANY_ID": "c"},
                     "no operation 'nope.list'", id="unknown-operation"),
        pytest.param(["--sample", "-1"], {}, "--sample and --recheck must be", id="bad-number"),
    ],
)
def test_refusals_exit_2_before_any_io(cli: None, no_run: None, args: list[str],
                                       env: dict[str, str], message: str) -> None:
    result = invoke(cli, ["shadow", *args], env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_from_scan_refuses_a_sarif_file_with_exit_2(cli: None, no_run: None,
                                                    tmp_path: Path) -> None:
    sarif = write_json(tmp_path / "scan.sarif", SARIF)
    env = {"PLEO_LEGACY_TOKEN": "t" * 10, "PLEO_API_KEY": "k" * 10, "PLEO_COMPANY_ID": "c"}
    result = invoke(cli, ["shadow", "--from-scan", str(sarif)], env)
    assert result.exit_code == 2, result.output
    assert f"{sarif} is a SARIF file, not a pleo-migrate scan" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_run_prints_data_on_stdout_and_the_summary_on_stderr(
    cli: None, sim_none: Sim, tmp_path: Path
) -> None:
    result = invoke(cli, sim_args(sim_none, tmp_path, "--ops", "employees.list,tax-codes.get",
                                  "--sample", "5"), sim_env(sim_none))
    assert result.exit_code == 0, result.stderr
    assert "employees.list" in result.stdout and "100.00 %" in result.stdout
    # 5 employees and the 4 tax codes the legacy list shows by default (hidden ones left out)
    assert "parity 100.00 % over 9 records in 2 operations" in result.stderr
    assert "\x1b[" not in result.stdout + result.stderr  # NO_COLOR, and not a terminal
    for name in ("results.jsonl", "summary.json", "junit.xml"):
        assert (tmp_path / "out" / name).is_file()
    secrets = [v for k, v in sim_env(sim_none).items() if k != "PLEO_COMPANY_ID"]
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir())
    for secret in secrets:
        assert secret not in result.stdout + result.stderr + written


def test_json_output_and_fail_under(cli: None, sim_defects: Sim, tmp_path: Path) -> None:
    args = sim_args(sim_defects, tmp_path, "--ops", "employees.list", "--sample", "0", "-o",
                    "json")
    result = invoke(cli, args, sim_env(sim_defects))
    assert result.exit_code == 1, result.stderr
    summary = json.loads(result.stdout)
    assert summary["schema_version"] == 1
    assert summary["operations"][0]["outcomes"]["mismatch"] == 1
    assert "parity under --fail-under 100 %" in result.stderr
    result = invoke(cli, [*args, "--fail-under", "90"], sim_env(sim_defects))
    assert result.exit_code == 0, result.stderr


def test_record_then_replay_without_credentials(cli: None, sim_none: Sim,
                                                tmp_path: Path) -> None:
    cassette = tmp_path / "run.yaml"
    args = sim_args(sim_none, tmp_path, "--ops", "accounts.list", "--sample", "3",
                    "--record", str(cassette))
    assert invoke(cli, args, sim_env(sim_none)).exit_code == 0
    replayed = invoke(cli, ["shadow", "--replay", str(cassette), "--out",
                            str(tmp_path / "again")])
    assert replayed.exit_code == 0, replayed.stderr
    assert (tmp_path / "again" / "summary.json").read_bytes() == (
        tmp_path / "out" / "summary.json").read_bytes()
    scanned = invoke(cli, ["cassettes", "scan", str(cassette)], sim_env(sim_none))
    assert scanned.exit_code == 0 and "0 secret(s) found in 1 cassette(s)" in scanned.stderr


def test_plan_writes_shows_the_new_calls_and_sends_nothing(cli: None, sim_none: Sim,
                                                           tmp_path: Path) -> None:
    scenario = tmp_path / "writes.yaml"
    scenario.write_text("requests:\n  - request: PATCH /v1/tag-groups/g1\n"
                        "    body: {archived: true}\n  - request: PUT /v1/expenses\n"
                        "    body: {expenseIds: [e1], status: EXPORTED}\n", encoding="utf-8")
    result = invoke(cli, sim_args(sim_none, tmp_path, "--ops", str(scenario), "--plan-writes"),
                    sim_env(sim_none))
    assert result.exit_code == 0, result.stderr
    assert "→ GET /v0/tag-groups/g1" in result.stdout
    assert "→ PUT /v0/tag-groups/g1" in result.stdout
    assert 'body {"archived": true}' in result.stdout
    assert "→ POST /v3/export-jobs" in result.stdout
    plan = json.loads((tmp_path / "out" / "write-plan.json").read_text(encoding="utf-8"))
    assert [p["operation"] for p in plan] == [
        "tag-groups.update", "expenses.update-export-status"
    ]


def test_cassettes_in_the_repository_hold_no_secret(cli: None) -> None:
    result = invoke(cli, ["cassettes", "scan", str(REPO / "cassettes")])
    assert result.exit_code == 0, result.stdout
    assert "0 secret(s) found in 1 cassette(s)" in result.stderr


def test_scan_finds_a_planted_secret_and_never_prints_it(cli: None,
                                                          tmp_path: Path) -> None:
    secret = "pleo-canary-" + "0123456789abcdef"
    cassette = tmp_path / "leak.yaml"
    cassette.write_text(
        "interactions:\n- request:\n    body: null\n    headers:\n      authorization:\n"
        f"      - Bearer {secret}\n    method: GET\n    uri: https://x.test/v1/a\n"
        "  response:\n    body:\n      string: '{}'\n    headers: {}\n"
        "    status:\n      code: 200\n      message: OK\nversion: 1\n",
        encoding="utf-8",
    )
    result = invoke(cli, ["cassettes", "scan", str(tmp_path), "--secret-env", "CANARY"],
                    {"CANARY": secret})
    assert result.exit_code == 1
    assert "interaction 0: request header authorization: credential in an auth header" in (
        result.stdout)
    assert secret not in result.stdout + result.stderr


def test_an_internal_error_is_exit_123_without_a_traceback(
    cli: None, monkeypatch: pytest.MonkeyPatch, sim_none: Sim, tmp_path: Path
) -> None:
    def boom(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(shadow_cli, "run_shadow", boom)
    result = invoke(cli, sim_args(sim_none, tmp_path, "--ops", "employees.list"),
                    sim_env(sim_none))
    assert result.exit_code == 123
    assert "internal error: RuntimeError" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_the_committed_cassette_is_a_replayable_shadow_recording() -> None:
    from migrate.shadow.cassettes import load_cassette

    cassette = load_cassette(REPO / "cassettes" / "shadow-simulator.yaml")
    assert len(cassette.requests) == len(cassette.responses) > 0
    assert [step["op"] for step in cassette.metadata["steps"]] == [
        "employees.list", "employees.get", "tag-groups.list", "tax-codes.list"]
    assert {r.method for r in cassette.requests} <= {"GET", "POST"}


def _credentials_file(sim: Sim, path: Path) -> Path:
    """The file `pleo-migrate simulate --credentials-file` writes, for this simulator."""
    path.write_text(json.dumps(sim.running.credentials_document()), encoding="utf-8")
    return path


def test_credentials_file_is_enough_to_run(cli: None, sim_none: Sim, tmp_path: Path) -> None:
    credentials = _credentials_file(sim_none, tmp_path / "sim.json")
    result = invoke(cli, ["shadow", "--credentials-file", str(credentials), "--rate", "0",
                          "--recheck", "0", "--ops", "employees.list", "--sample", "5",
                          "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.stderr
    assert "parity 100.00 % over 5 records in 1 operations" in result.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert summary["run"]["new_url"] == sim_none.running.new_base_url


def test_flags_beat_the_credentials_file(cli: None, no_run: None, tmp_path: Path) -> None:
    credentials = tmp_path / "sim.json"
    credentials.write_text(json.dumps({
        "environment": "production",
        "legacy": {"base_url": "http://127.0.0.1:9/v1", "token": "t" * 12},
        "new": {"base_url": "http://127.0.0.1:9", "api_key": "k" * 12, "company_id": "c"},
    }), encoding="utf-8")
    mixed = invoke(cli, ["shadow", "--credentials-file", str(credentials), "--env", "staging"])
    assert mixed.exit_code == 2
    assert "holds production credentials; environments never mix" in mixed.stderr
    foreign = invoke(cli, ["shadow", "--credentials-file", str(credentials), "--new-url",
                           "https://external.staging.pleo.io"])
    assert foreign.exit_code == 2
    assert "external.staging.pleo.io is a staging host" in foreign.stderr


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", '{"legacy": "x"}'])
def test_a_bad_credentials_file_is_exit_2(cli: None, no_run: None, tmp_path: Path,
                                           content: str) -> None:
    credentials = tmp_path / "sim.json"
    credentials.write_text(content, encoding="utf-8")
    result = invoke(cli, ["shadow", "--credentials-file", str(credentials)])
    assert result.exit_code == 2, result.output
    assert str(credentials) in result.stderr and "Traceback" not in result.output
