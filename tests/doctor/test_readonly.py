"""Doctor only reads, and nothing a server says can carry a secret into a verdict."""

from __future__ import annotations

from pathlib import Path

import pytest

from migrate import pleo
from migrate.doctor import Credential, DoctorRequest, Wire, run_checkup
from migrate.errors import SafetyRefusal
from migrate.mapping import load_catalogue
from tests.doctor.conftest import Simulators


@pytest.mark.parametrize(("method", "path"), [
    ("PUT", "/v1/chart-of-accounts/x"), ("POST", "/v1/chart-of-accounts"),
    ("DELETE", "/v0/tags/x"), ("PATCH", "/v1/tag-groups/x"), ("POST", "/v0/tags:searchable"),
])
def test_the_wire_refuses_every_write_before_sending(method: str, path: str) -> None:
    with Wire("http://127.0.0.1:9/v1", "http://127.0.0.1:9", ["s3cret"]) as wire:
        with pytest.raises(SafetyRefusal, match="doctor only reads"):
            wire.send("new", method, path, Credential.api_key("s3cret"))
        assert wire.sent == [] and wire.requests == {"legacy": 0, "new": 0}


def test_the_read_rule_lets_searches_through_only() -> None:
    assert pleo.is_read_request("GET", "/v2/employees")
    assert pleo.is_read_request("head", "/v2/employees")
    assert pleo.is_read_request("POST", "/v0/tax-codes:search")
    assert not pleo.is_read_request("POST", "/v0/tax-codes")
    assert not pleo.is_read_request("POST", "/v1/installations/me")


def test_a_full_run_sends_reads_only(
    simulators: Simulators, authorisations_catalogue: Path
) -> None:
    sim = simulators()
    catalogue = load_catalogue(authorisations_catalogue)
    writes = [op.id for op in catalogue if not op.is_read and op.mapped]
    request = DoctorRequest(
        env="staging", new_url=sim.new_base_url, legacy_url=sim.legacy_base_url,
        key=Credential.api_key(sim.api_key), key_is_oauth=False,
        legacy_token=Credential.legacy_token(sim.legacy_token), company_id=sim.company_id,
        scan_operations=tuple(op.id for op in catalogue if op.mapped),
    )
    with Wire(request.legacy_url, request.new_url, request.secrets()) as wire:
        checkup = run_checkup(request, catalogue, wire)
    assert checkup.exit_code == 0, [v for v in checkup.verdicts if v.status.value == "fail"]
    assert writes and wire.requests["legacy"] > 0 and wire.requests["new"] > 0
    assert all(pleo.is_read_request(method, path) for method, path in wire.sent), wire.sent
    assert any(path.endswith(pleo.SEARCH_SUFFIX) for _, path in wire.sent)
    not_probed = [v.check for v in checkup.verdicts if v.status.value == "not-probed"]
    assert "scope:accounts:write" in not_probed


def test_server_text_is_redacted_of_every_credential() -> None:
    with Wire(None, "http://127.0.0.1:9", ["key-123", "tok-456"]) as wire:
        said = wire._explanation({"message": "key key-123 and tok-456 are not valid"})
    assert said == "key [redacted] and [redacted] are not valid"


def test_credentials_stay_out_of_reprs() -> None:
    request = DoctorRequest(env="staging", new_url="http://x", legacy_url=None,
                            key=Credential.api_key("key-123"), key_is_oauth=False,
                            legacy_token=Credential.legacy_token("tok-456"))
    assert "key-123" not in repr(request) and "tok-456" not in repr(request)
    assert request.secrets() == ("key-123", "tok-456")
