"""Issue 13 in `pleo-migrate shadow`: a misconfigured run says why and exits 2 (pre-flight),
credentials go only to Pleo, loopback or a named host, and --allow-writes needs proof of
staging beyond the --env flag."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from migrate.errors import SafetyRefusal
from migrate.shadow.config import default_endpoints
from tests.shadow.conftest import Sim
from tests.shadow.test_cli import invoke, sim_args, sim_env

pytestmark = pytest.mark.slow


def _ops(*more: str) -> list[str]:
    return ["--ops", "employees.list", "--sample", "5", *more]


@pytest.mark.parametrize(
    ("credential", "where", "reason"),
    [
        pytest.param({"kind": "legacy"}, "new API", "HTTP 401", id="legacy-token-as-key"),
        pytest.param({"kind": "api_key", "environment": "staging"}, "new API",
                     "another environment", id="staging-key-on-production"),
        pytest.param({"kind": "api_key", "scopes": ["expenses:read"]}, "new API",
                     "users:read", id="missing-scope"),
    ],
)
def test_a_credential_problem_is_one_line_and_exit_2(
    sim_none: Sim, tmp_path: Path, credential: dict[str, object], where: str, reason: str
) -> None:
    kind = str(credential.pop("kind"))
    minted = sim_none.simulator.mint(kind, **credential)  # type: ignore[arg-type]
    env = {**sim_env(sim_none), "PLEO_API_KEY": minted.secret}
    result = invoke(None, [*sim_args(sim_none, tmp_path), *_ops()], env)
    assert result.exit_code == 2, result.stderr
    (line,) = [text for text in result.stderr.splitlines() if "pre-flight" in text]
    assert where in line and reason in line
    assert "parity" not in result.stderr
    assert not (tmp_path / "out" / "summary.json").exists()  # nothing compared, nothing written


def test_a_wrong_company_is_exit_2_with_the_servers_reason(sim_none: Sim, tmp_path: Path) -> None:
    env = {**sim_env(sim_none), "PLEO_COMPANY_ID": "00000000-0000-4000-8000-00000000dead"}
    result = invoke(None, [*sim_args(sim_none, tmp_path), *_ops()], env)
    assert result.exit_code == 2, result.stderr
    assert "pre-flight read failed" in result.stderr and "HTTP 40" in result.stderr


def test_an_unreachable_host_is_exit_2_naming_the_connection(tmp_path: Path) -> None:
    env = {"PLEO_LEGACY_TOKEN": "t" * 12, "PLEO_API_KEY": "k" * 12, "PLEO_COMPANY_ID": "c"}
    result = invoke(None, ["shadow", "--legacy-url", "http://127.0.0.1:9/v1", "--new-url",
                           "http://127.0.0.1:9", "--rate", "0", "--out", str(tmp_path / "o"),
                           *_ops()], env)
    assert result.exit_code == 2, result.stderr
    assert "pre-flight read failed" in result.stderr
    assert "connection failed (ConnectError)" in result.stderr


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com", "plain http would send the credential in clear"),
        ("https://example.com", "example.com is neither a Pleo host nor loopback"),
        ("http://external.pleo.io", "plain http would send the credential in clear"),
    ],
)
def test_credentials_go_only_to_pleo_or_loopback(url: str, message: str) -> None:
    with pytest.raises(SafetyRefusal, match=message):
        default_endpoints("production", None, url)


def test_allow_host_names_a_trusted_https_host_but_not_plain_http() -> None:
    assert default_endpoints("production", None, "https://Api.Example.com",
                             ["api.example.com"]).new_url == "https://Api.Example.com"
    with pytest.raises(SafetyRefusal, match="plain http"):
        default_endpoints("production", None, "http://api.example.com", ["api.example.com"])
    for loopback in ("http://127.0.0.1:8402", "http://localhost:1", "http://[::1]:8"):
        assert default_endpoints("production", None, loopback).new_url == loopback


def test_shadow_refuses_a_foreign_host_with_exit_2_before_any_io(tmp_path: Path) -> None:
    env = {"PLEO_LEGACY_TOKEN": "t" * 12, "PLEO_API_KEY": "k" * 12, "PLEO_COMPANY_ID": "c"}
    result = invoke(None, ["shadow", "--new-url", "http://example.com", "--out",
                           str(tmp_path / "o")], env)
    assert result.exit_code == 2
    assert "plain http would send the credential in clear" in result.stderr


def test_allow_writes_to_loopback_needs_proof_of_staging(sim_none: Sim, tmp_path: Path) -> None:
    # --env staging alone does not make a loopback server staging (this simulator is
    # production): the write guard refuses before anything is sent
    scenario = tmp_path / "writes.yaml"
    scenario.write_text("requests:\n  - request: POST /v1/tag-groups\n"
                        "    body: {name: Regions}\n", encoding="utf-8")
    before = len(sim_none.simulator.store.tag_groups.rows([sim_none.simulator.company_id]))
    result = invoke(None, [*sim_args(sim_none, tmp_path), "--env", "staging", "--allow-writes",
                           "--ops", str(scenario)], sim_env(sim_none))
    assert result.exit_code == 2, result.stderr
    assert "cannot confirm that --legacy-url" in result.stderr
    after = len(sim_none.simulator.store.tag_groups.rows([sim_none.simulator.company_id]))
    assert after == before


def test_a_credentials_file_marked_production_never_vouches_for_writes(
    sim_none: Sim, tmp_path: Path
) -> None:
    document = sim_none.running.credentials_document()
    assert document["environment"] == "production"
    credentials = tmp_path / "sim.json"
    credentials.write_text(json.dumps(document), encoding="utf-8")
    result = invoke(None, ["shadow", "--credentials-file", str(credentials), "--env",
                           "staging", "--allow-writes"])
    assert result.exit_code == 2
    assert "environments never mix" in result.stderr
