"""Record, replay and scan: canaries in every place a secret hides never reach a cassette."""

from __future__ import annotations

import dataclasses
import gzip
import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from migrate.mapping.catalogue import Catalogue
from migrate.shadow.cassettes import load_cassette, scan_path
from migrate.shadow.config import Credentials, Endpoints, Limits
from migrate.shadow.parity_run import RunRequest, replay_request, run_shadow
from migrate.shadow.plan import build_parity_plan
from migrate.shadow.redact import STEPS, Redactor
from tests.shadow.conftest import no_sleep
from tests.shadow.fakes import COMPANY, LEGACY, NEW, FakePleo, RawStream, people


def canary(place: str) -> str:
    """An obviously fake secret, made at run time so none is ever committed."""
    return f"pleo-canary-{place}-{uuid.uuid4().hex}"


class Canaries:
    def __init__(self) -> None:
        self.legacy_token = canary("legacy-token")
        self.api_key = canary("api-key")
        self.query = canary("query")
        self.json = canary("json")
        self.gzip = canary("gzip")
        self.cookie = canary("cookie")
        self.header = canary("header")

    def all(self) -> list[str]:
        return [self.legacy_token, self.api_key, self.query, self.json, self.gzip, self.cookie,
                self.header]


def canary_fake(canaries: Canaries) -> FakePleo:
    """Both APIs, answering with a secret in every place one can hide."""
    fake = FakePleo(*people(4), legacy_token=canaries.legacy_token, api_key=canaries.api_key)
    legacy, new = fake._legacy, fake._new

    def legacy_side(request: httpx.Request) -> httpx.Response:
        answer = legacy(request)
        body = answer.json()
        body["sessionToken"] = canaries.gzip  # inside a gzip body
        return httpx.Response(
            answer.status_code, stream=RawStream(gzip.compress(json.dumps(body).encode())),
            headers={"content-encoding": "gzip", "content-type": "application/json",
                     "set-cookie": f"session={canaries.cookie}; Path=/; HttpOnly",
                     "x-session-token": canaries.header},
        )

    def new_side(request: httpx.Request) -> httpx.Response:
        answer = new(request)
        body = answer.json()
        body["apiKey"] = canaries.json  # a JSON body under a secret-sounding key
        body["echo"] = f"token was {canaries.legacy_token}"  # a known secret, anywhere
        return httpx.Response(answer.status_code, json=body)

    fake._legacy = legacy_side  # type: ignore[method-assign]
    fake._new = new_side  # type: ignore[method-assign]
    return fake


def record(catalogue: Catalogue, tmp_path: Path, canaries: Canaries,
           redactor: Redactor | None = None) -> tuple[Path, dict[str, Any]]:
    scenario = tmp_path / "scenario.yaml"
    scenario.write_text(
        "requests:\n"
        "  - op: employees.list\n"
        f"    query: {{access_token: {canaries.query}}}\n"
        "  - op: employees.get\n",
        encoding="utf-8",
    )
    cassette = tmp_path / "run.yaml"
    request = RunRequest(
        catalogue=catalogue, plan=build_parity_plan(catalogue, str(scenario)),
        endpoints=Endpoints("staging", LEGACY, NEW),
        credentials=Credentials(canaries.legacy_token, canaries.api_key, COMPANY),
        limits=Limits(sample=None, rate=None, page_size=2, recheck=1, recheck_backoff=0),
        out=tmp_path / "recorded", record=cassette,
    )
    report = run_shadow(request, inner=canary_fake(canaries).transport(), sleep=no_sleep,
                        redactor=redactor)
    return cassette, report.summary


def test_a_recorded_run_holds_no_secret(catalogue: Catalogue, tmp_path: Path) -> None:
    canaries = Canaries()
    cassette, summary = record(catalogue, tmp_path, canaries)
    text = cassette.read_text(encoding="utf-8")
    assert "REDACTED-" in text
    for secret in canaries.all():
        assert secret not in text
    files, findings = scan_path(cassette, canaries.all())
    assert files == [cassette]
    assert findings == []
    assert summary["totals"]["records"] == 8


@pytest.mark.parametrize("step", STEPS)
def test_every_redaction_step_is_needed(catalogue: Catalogue, tmp_path: Path, step: str) -> None:
    canaries = Canaries()
    weakened = Redactor([canaries.legacy_token, canaries.api_key],
                        steps=[s for s in STEPS if s != step])
    cassette, _ = record(catalogue, tmp_path, canaries, weakened)
    _, findings = scan_path(cassette, canaries.all())
    assert findings, f"without the {step!r} step a secret should have leaked"
    for finding in findings:
        for secret in canaries.all():
            assert secret not in str(finding)  # findings say where, never what


def test_the_scanner_finds_secrets_without_knowing_them(catalogue: Catalogue,
                                                        tmp_path: Path) -> None:
    canaries = Canaries()
    cassette, _ = record(catalogue, tmp_path, canaries,
                         Redactor([], steps=["known", "gzip"]))
    _, findings = scan_path(cassette)
    rules = {f.finding.rule for f in findings}
    assert {"credential in an auth header", "cookie value",
            "value under a secret-sounding header", "value under a secret-sounding parameter",
            "value under a secret-sounding key"} <= rules


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a replay tried to open a connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


def test_replay_reproduces_the_summary_offline(catalogue: Catalogue, tmp_path: Path,
                                               no_network: None) -> None:
    canaries = Canaries()
    cassette, _ = record(catalogue, tmp_path, canaries)
    request = replay_request(catalogue, load_cassette(cassette), out=tmp_path / "replayed")
    run_shadow(request)
    recorded = (tmp_path / "recorded" / "summary.json").read_bytes()
    assert (tmp_path / "replayed" / "summary.json").read_bytes() == recorded


def test_a_request_the_cassette_lacks_is_an_error_not_a_network_call(
    catalogue: Catalogue, tmp_path: Path, no_network: None
) -> None:
    canaries = Canaries()
    cassette, _ = record(catalogue, tmp_path, canaries)
    request = replay_request(catalogue, load_cassette(cassette), out=tmp_path / "replayed")
    request = dataclasses.replace(request, plan=build_parity_plan(catalogue, "tax-codes.list"))
    report = run_shadow(request)
    op = report.summary["operations"][0]
    assert op["failed_requests"] == 2  # both sides; a failed request is not a record
    assert op["outcomes"]["error"] == 0 and op["records"] == 0
    assert op["errors"] == [
        "legacy API: GET /v1/tax-codes: the cassette holds no recorded answer for "
        "GET https://legacy.test/v1/tax-codes",
        "new API: POST /v0/tax-codes:search?company_id=c0ffee00-0000-4000-8000-000000000001"
        "&limit=2: the cassette holds no recorded answer for POST "
        "https://new.test/v0/tax-codes:search?company_id=c0ffee00-0000-4000-8000-000000000001"
        "&limit=2",
    ]
