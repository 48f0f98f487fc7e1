"""`pleo-migrate doctor` against the simulator: every check, each way it can come out.

Each test runs the real command in-process against a staging simulator (real HTTP on
127.0.0.1), so the exit code, the printed line and the JSON document are what a user sees.
"""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from migrate import pleo
from tests.cli_runner import Result
from tests.doctor.conftest import Simulators, by_check, doctor, doctor_json
from tests.scan_documents import call_site, scan_json, write_json

UNIT_FLIPS = [
    ("legacy-money-units=minor", "legacy-money-units", "value: minor"),
    ("legacy-tax-rate-unit=fraction", "legacy-tax-rate-unit", "value: fraction"),
]
CORRECTED_FLIPS = [
    ("account-ids=different", "account-ids", "value: different"),
    ("legacy-list-defaults=all", "legacy-list-defaults", "value: all"),
    ("legacy-authorisations=included", "legacy-authorisations", "value: included"),
]


def _statuses(document: dict[str, object]) -> dict[str, str]:
    return {check: found["status"] for check, found in by_check(document).items()}  # type: ignore[arg-type]


def test_against_the_simulator_every_check_holds(simulators: Simulators) -> None:
    sim = simulators()
    result = doctor(sim)
    assert result.exit_code == 0, result.output
    assert "✗" not in result.stdout
    for title in ("API key works on staging", "key's company matches",
                  "legacy token works", "same company", "legacy-money-units = major",
                  "legacy-tax-rate-unit = percent"):
        assert any(line.startswith("✓") and title in line
                   for line in result.stdout.splitlines()), (title, result.stdout)
    code, document = doctor_json(sim)
    assert code == 0 and document["ok"] is True and document["counts"]["fail"] == 0
    statuses = _statuses(document)
    assert statuses["assumption:legacy-money-units"] == "pass"
    assert statuses["assumption:legacy-error-body"] == "untestable"


def test_with_the_corrected_assumptions_every_check_holds(
    simulators: Simulators, authorisations_catalogue: Path
) -> None:
    code, document = doctor_json(simulators(), "--mappings", str(authorisations_catalogue))
    assert code == 0, document
    statuses = _statuses(document)
    assert statuses["assumption:account-ids"] == "pass"
    assert statuses["assumption:legacy-list-defaults"] == "pass"
    assert statuses["assumption:legacy-authorisations"] == "pass"


@pytest.mark.parametrize(("assume", "assumption", "fix"), UNIT_FLIPS + CORRECTED_FLIPS,
                         ids=[flip[0] for flip in UNIT_FLIPS + CORRECTED_FLIPS])
def test_each_flipped_assumption_is_caught(
    simulators: Simulators, authorisations_catalogue: Path, assume: str, assumption: str,
    fix: str,
) -> None:
    sim = simulators(assume)
    result = doctor(sim, "--mappings", str(authorisations_catalogue))
    assert result.exit_code == 1, result.output
    failed = [line for line in result.stdout.splitlines() if line.startswith("✗")]
    assert len(failed) == 1 and f"assumption {assumption} = " in failed[0], result.stdout
    assert "contradicted" in failed[0] and fix in failed[0]
    assert "assumptions.yaml:" in failed[0]  # where to make the one-line change
    code, document = doctor_json(sim, "--mappings", str(authorisations_catalogue))
    assert code == 1
    found = by_check(document)[f"assumption:{assumption}"]
    assert found["status"] == "fail" and fix in found["fix"]


@pytest.mark.parametrize("assume", [flip[0] for flip in CORRECTED_FLIPS[:2]])
def test_the_shipped_catalogue_declares_what_doctor_tests(
    simulators: Simulators, assume: str
) -> None:
    """account-ids and legacy-list-defaults belong in the shipped assumptions.yaml."""
    result = doctor(simulators(assume))
    assert result.exit_code == 1, result.output


def test_a_key_of_the_other_environment_is_named(simulators: Simulators) -> None:
    sim = simulators()
    production_key = sim.mint("api_key", environment="production")
    result = doctor(sim, **{pleo.API_KEY_VAR: production_key})
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "API key works" in line)
    assert line.startswith("✗") and "refused" in line
    assert "production" in line and "--env production" in line
    assert "Pleo binds each key to the environment where it was made" in line


def test_a_legacy_token_given_as_the_api_key_is_named(simulators: Simulators) -> None:
    sim = simulators()
    result = doctor(sim, **{pleo.API_KEY_VAR: sim.legacy_token, pleo.LEGACY_TOKEN_VAR: ""})
    assert result.exit_code == 1
    assert f"✗ the API key works on staging (127.0.0.1:{sim.new_base_url.rsplit(':', 1)[1]})" \
        in result.stdout
    assert f"{pleo.API_KEY_VAR} holds a legacy API token" in result.stdout
    assert f"move it to {pleo.LEGACY_TOKEN_VAR}" in result.stdout


def test_an_api_key_given_as_the_legacy_token_is_named(simulators: Simulators) -> None:
    sim = simulators()
    result = doctor(sim, **{pleo.LEGACY_TOKEN_VAR: sim.api_key})
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "legacy token works" in line)
    assert line.startswith("✗") and f"{pleo.LEGACY_TOKEN_VAR} holds an API key" in line


def test_a_wrong_company_is_reported_with_the_right_one(simulators: Simulators) -> None:
    sim = simulators()
    result = doctor(sim, **{pleo.COMPANY_ID_VAR: sim.other_company_id})
    assert result.exit_code == 1
    line = next(line for line in result.stdout.splitlines() if "company matches" in line)
    assert line.startswith("✗")
    assert f"bound to company {sim.company_id}" in line
    assert f"set {pleo.COMPANY_ID_VAR}={sim.company_id}" in line


def test_an_unset_company_is_reported_so_it_can_be_set(simulators: Simulators) -> None:
    sim = simulators()
    result = doctor(sim, **{pleo.COMPANY_ID_VAR: ""})
    assert result.exit_code == 0, result.output
    assert f"export {pleo.COMPANY_ID_VAR}={sim.company_id}" in result.stdout
    assert "✓ assumption legacy-money-units" in result.stdout  # the bound company was used


def test_an_organisation_key_needs_and_checks_the_company(simulators: Simulators) -> None:
    sim = simulators()
    without = doctor(sim, **{pleo.API_KEY_VAR: sim.org_api_key, pleo.COMPANY_ID_VAR: ""})
    assert without.exit_code == 1
    assert f"organisation {sim.organization_id}" in without.stdout
    assert f"set {pleo.COMPANY_ID_VAR} to the company to migrate" in without.stdout
    with_company = doctor(sim, **{pleo.API_KEY_VAR: sim.org_api_key})
    assert with_company.exit_code == 0, with_company.output
    assert f"reaches company {sim.company_id}" in with_company.stdout


def _scan(tmp_path: Path, *operations: str) -> Path:
    sites = [call_site("app.py", line, op, "POST" if op.endswith("create") else "GET")
             for line, op in enumerate(operations, start=1)]
    return write_json(tmp_path / "scan.json", scan_json(*sites))


def test_missing_scopes_are_found_by_reads_and_writes_are_not_probed(
    simulators: Simulators, tmp_path: Path
) -> None:
    sim = simulators()
    limited = sim.mint("api_key", scopes=["users:read", "accounting-entries:read"])
    scan = _scan(tmp_path, "employees.list", "tax-codes.list", "tags.create")
    code, document = doctor_json(sim, "--from-scan", str(scan), **{pleo.API_KEY_VAR: limited})
    assert code == 1
    found = by_check(document)
    assert found["scope:users:read"]["status"] == "pass"
    assert found["scope:tax-codes:read"]["status"] == "fail"
    assert "403" in found["scope:tax-codes:read"]["detail"]
    assert "add tax-codes:read" in found["scope:tax-codes:read"]["fix"]
    assert found["scope:tag-groups:write"]["status"] == "not-probed"
    assert "would need a write" in found["scope:tag-groups:write"]["detail"]
    full = doctor(sim, "--from-scan", str(scan))
    assert full.exit_code == 0, full.output
    assert "- the key has tag-groups:write" in full.stdout


def test_an_invalid_scan_is_a_configuration_error(simulators: Simulators, tmp_path: Path) -> None:
    bad = tmp_path / "scan.json"
    bad.write_text('{"runs": [], "version": "2.1.0"}', encoding="utf-8")
    result = doctor(simulators(), "--from-scan", str(bad))
    assert result.exit_code == 2
    assert "not a pleo-migrate scan" in result.stderr and result.stdout == ""


def test_an_unreachable_host_is_a_failed_check(simulators: Simulators) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    sim = simulators()
    result = doctor(sim, "--timeout", "2", **{pleo.NEW_URL_VAR: f"http://127.0.0.1:{port}"})
    assert result.exit_code == 1
    assert f"✗ the API key works on staging (127.0.0.1:{port}): cannot reach" in result.stdout


def test_without_a_legacy_token_the_assumptions_are_untestable(simulators: Simulators) -> None:
    code, document = doctor_json(simulators(), **{pleo.LEGACY_TOKEN_VAR: ""})
    assert code == 0
    found = by_check(document)
    assert found["legacy-token"]["status"] == "untestable"
    assert found["assumption:legacy-money-units"]["status"] == "untestable"
    assert pleo.LEGACY_TOKEN_VAR in found["assumption:legacy-money-units"]["detail"]


@pytest.mark.parametrize(("args", "env", "message"), [
    ((), {pleo.API_KEY_VAR: ""}, "no API key"),
    (("--env", "production", "--new-url", "https://external.staging.pleo.io"), {},
     "environments never mix"),
    (("--timeout", "0"), {}, "--timeout"),
])
def test_usage_and_configuration_errors_exit_2_before_sending(
    simulators: Simulators, args: tuple[str, ...], env: dict[str, str], message: str
) -> None:
    result = doctor(simulators(), *args, **env)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stdout == ""


def test_no_color_prints_plain_markers(simulators: Simulators) -> None:
    result = doctor(simulators(), NO_COLOR="1")
    assert result.exit_code == 0
    assert "✓" not in result.stdout and "[ok] the API key works" in result.stdout


def test_no_secret_is_ever_printed(simulators: Simulators, tmp_path: Path) -> None:
    sim = simulators()
    canary = "canary-key-" + "7" * 24
    runs: list[Result] = [
        doctor(sim), doctor(sim, "-o", "json"),
        doctor(sim, **{pleo.API_KEY_VAR: canary}),
        doctor(sim, "-o", "json", **{pleo.API_KEY_VAR: canary}),
        doctor(sim, **{pleo.API_KEY_VAR: sim.legacy_token, pleo.LEGACY_TOKEN_VAR: sim.api_key}),
        doctor(sim, **{pleo.LEGACY_TOKEN_VAR: canary}),
        doctor(sim, "--from-scan", str(_scan(tmp_path, "employees.list"))),
    ]
    for result in runs:
        for secret in (sim.api_key, sim.legacy_token, canary):
            assert secret not in result.stdout and secret not in result.stderr
    assert runs[2].exit_code == 1  # the canary key was really tried (and refused)


def test_an_oauth_token_is_checked_as_the_new_credential(simulators: Simulators) -> None:
    sim = simulators()
    result = doctor(sim, **{pleo.API_KEY_VAR: "", pleo.OAUTH_TOKEN_VAR: sim.oauth_token})
    assert result.exit_code == 0, result.output
    assert "✓ the OAuth token works on staging" in result.stdout
    refused = doctor(sim, **{pleo.API_KEY_VAR: "", pleo.OAUTH_TOKEN_VAR: sim.legacy_token})
    assert refused.exit_code == 1 and "✗ the OAuth token works on staging" in refused.stdout
