"""CompatTransport's safety and resilience, against a scripted fake of the new API."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import requests

from migrate.compat import CompatTransport, RetryPolicy, legacy_client, legacy_session
from migrate.errors import ConfigurationError, SafetyRefusal
from migrate.pleo import parse_retry_after

CANARY_KEY = "canary" + "-api-key-" + "7f3a9c"  # built at run time; not a real credential
CANARY_LEGACY = "canary" + "-legacy-token-" + "51d0e2"
COMPANY = "a0e1d3f5-13c2-4a01-8c91-cfbd0ade4010"
EMPLOYEE = {
    "id": "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9",
    "companyId": COMPANY,
    "firstName": "Astrid",
    "lastName": "Berg",
    "email": "astrid@example.com",
}
PAGE = {
    "data": [EMPLOYEE],
    "pagination": {
        "currentRequestPagination": {"parameters": {}},
        "hasNextPage": False,
        "hasPreviousPage": False,
        "total": 1,
    },
}


class Script:
    """A fake new API: answers in order, records every request it saw."""

    def __init__(
        self, *answers: httpx.Response | Callable[[httpx.Request], httpx.Response]
    ) -> None:
        self.answers = list(answers)
        self.seen: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.seen.append(request)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return answer(request) if callable(answer) else answer


def _json(status: int, body: Any, **headers: str) -> httpx.Response:
    return httpx.Response(status, json=body, headers=headers)


def _transport(script: Script, **options: Any) -> CompatTransport:
    return CompatTransport(
        inner=httpx.MockTransport(script),
        api_key=CANARY_KEY,
        company_id=COMPANY,
        retry=options.pop("retry", RetryPolicy(base_delay=0.001)),
        sleep=lambda _: None,
        **options,
    )


def _client(script: Script, **options: Any) -> httpx.Client:
    return httpx.Client(transport=_transport(script, **options))


def test_legacy_call_becomes_the_new_call_with_the_new_credential() -> None:
    script = Script(_json(200, PAGE))
    with _client(script) as client:
        answer = client.get(
            "https://openapi.pleo.io/v1/employees?pageSize=10",
            headers={"Authorization": f"Bearer {CANARY_LEGACY}"},
        )
    assert answer.status_code == 200
    assert answer.json()["employees"][0]["firstName"] == "Astrid"
    assert answer.json()["metadata"]["pageInfo"] == {
        "pageSize": 10,
        "totalCount": 1,
        "nextPageOffset": None,
    }
    (sent,) = script.seen
    assert sent.url.host == "external.pleo.io" and sent.url.path == "/v2/employees"
    assert dict(sent.url.params) == {"companyId": COMPANY, "limit": "10"}
    assert sent.headers["authorization"].startswith("Basic ")
    assert CANARY_LEGACY not in str(sent.headers) and CANARY_LEGACY not in str(sent.url)


def test_oauth_token_is_sent_as_bearer() -> None:
    script = Script(_json(200, PAGE))
    transport = CompatTransport(
        inner=httpx.MockTransport(script), oauth_token=CANARY_KEY, company_id=COMPANY
    )
    with httpx.Client(transport=transport) as client:
        client.get("https://openapi.pleo.io/v1/employees")
    assert script.seen[0].headers["authorization"] == f"Bearer {CANARY_KEY}"


def test_staging_legacy_host_goes_to_the_staging_new_host_only() -> None:
    script = Script(_json(200, PAGE))
    with _client(script, env="staging") as client:
        client.get("https://openapi.staging.pleo.io/v1/employees")
        with pytest.raises(SafetyRefusal, match="production legacy URL"):
            client.get("https://openapi.pleo.io/v1/employees")
    assert [r.url.host for r in script.seen] == ["external.staging.pleo.io"]


def test_other_hosts_pass_through_without_credentials() -> None:
    script = Script(_json(200, {"ok": True}))
    with _client(script) as client:
        client.get("https://example.com/v1/employees")
        client.get("http://openapi.pleo.io/v1/employees")  # not https: not Pleo's API
    assert [r.url.host for r in script.seen] == ["example.com", "openapi.pleo.io"]
    assert all("authorization" not in r.headers for r in script.seen)


def test_redirect_to_a_foreign_host_is_not_followed() -> None:
    script = Script(httpx.Response(302, headers={"location": "https://evil.example/steal"}))
    with _client(script) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees/x")
    assert answer.status_code == 502
    assert "evil.example" in answer.json()["detail"]
    assert [r.url.host for r in script.seen] == ["external.pleo.io"]


def test_same_host_redirect_is_followed_with_the_credential() -> None:
    script = Script(
        httpx.Response(307, headers={"location": "/v2/employees/moved"}),
        _json(200, {"data": EMPLOYEE}),
    )
    with _client(script) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees/x")
    assert answer.status_code == 200
    assert [r.url.path for r in script.seen] == ["/v2/employees/x", "/v2/employees/moved"]
    assert "authorization" in script.seen[1].headers


def test_canary_secrets_stay_out_of_reprs_and_debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script = Script(_json(429, {"type": "TOO_MANY"}, **{"retry-after": "0"}), _json(200, PAGE))
    transport = _transport(script)
    with httpx.Client(transport=transport) as client:
        client.get(
            "https://openapi.pleo.io/v1/employees?email=a",
            headers={"Authorization": f"Bearer {CANARY_LEGACY}"},
        )
        texts = [repr(transport), str(transport), repr(client), repr(transport.engine)]
    session = legacy_session(CANARY_KEY, company_id=COMPANY)
    texts += [repr(session.get_adapter("https://openapi.pleo.io/v1/x")), repr(session)]
    texts += [record.getMessage() for record in caplog.records]
    assert any("compat" in text for text in texts)
    for text in texts:
        assert CANARY_KEY not in text and CANARY_LEGACY not in text


def test_canary_key_stays_out_of_configuration_errors() -> None:
    with pytest.raises(ConfigurationError) as raised:
        legacy_client(CANARY_KEY, env="prod")
    assert CANARY_KEY not in str(raised.value)


def test_post_is_never_retried() -> None:
    script = Script(_json(503, {"type": "UNAVAILABLE", "message": "later"}))
    with _client(script) as client:
        answer = client.post("https://openapi.pleo.io/v1/accounts", json={"name": "Meals"})
    assert answer.status_code == 503
    assert len(script.seen) == 1


def test_429_twice_then_200_is_three_requests() -> None:
    waits: list[float] = []
    script = Script(
        _json(429, {"type": "TOO_MANY_REQUESTS"}, **{"retry-after": "2"}),
        _json(
            429, {"type": "TOO_MANY_REQUESTS"}, **{"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}
        ),
        _json(200, {"data": EMPLOYEE}),
    )
    transport = CompatTransport(
        inner=httpx.MockTransport(script),
        api_key=CANARY_KEY,
        company_id=COMPANY,
        sleep=waits.append,
        retry=RetryPolicy(jitter=0.0),
    )
    with httpx.Client(transport=transport) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees/x")
    assert answer.status_code == 200
    assert len(script.seen) == 3
    assert waits == [2.0, 0.0]  # seconds as given; a date in the past means now


def test_retries_stop_at_the_cap_and_report_the_last_answer() -> None:
    script = Script(_json(503, {"type": "UNAVAILABLE", "message": "down"}))
    with _client(script, retry=RetryPolicy(attempts=3, base_delay=0.0)) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees/x")
    assert answer.status_code == 503
    assert answer.json()["error"] == "Service Unavailable"
    assert answer.json()["message"] == "service_unavailable"
    assert len(script.seen) == 3


def test_connection_errors_are_retried_then_reported() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    script = Script(refuse)
    with _client(script, retry=RetryPolicy(attempts=2, base_delay=0.0)) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees/x")
    assert answer.status_code == 502
    assert "could not be reached" in answer.json()["detail"]
    assert len(script.seen) == 2


@pytest.mark.parametrize("content", [b'{"data": {"id": "x", "firstN', b"<html>oops</html>"])
def test_truncated_or_malformed_json_is_a_legacy_502(content: bytes) -> None:
    script = Script(httpx.Response(200, content=content))
    with _client(script) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees/x")
    assert answer.status_code == 502
    body = answer.json()
    assert body["error"] == "Bad Gateway" and body["message"] == "bad_gateway"
    assert body["statusCode"] == 502
    assert "not valid JSON" in body["detail"] and body["operation"] == "employees.get"


def test_missing_scope_names_the_scope() -> None:
    script = Script(_json(403, {"type": "FORBIDDEN", "message": "missing scope users:read"}))
    with _client(script) as client:
        answer = client.get("https://openapi.pleo.io/v1/employees")
    assert answer.status_code == 403
    assert answer.json()["requiredScopes"] == ["users:read"]
    assert "needs the scope users:read" in answer.json()["detail"]


def test_gap_is_a_501_naming_the_operation_and_sends_nothing() -> None:
    script = Script(_json(200, {}))
    with _client(script) as client:
        answer = client.post("https://openapi.pleo.io/v1/employees", json={"email": "a@b.c"})
    assert answer.status_code == 501
    body = answer.json()
    assert body["operation"] == "employees.create"
    assert "SCIM" in body["detail"] and body["docs"].startswith("https://")
    assert script.seen == []


def test_unknown_legacy_path_is_a_clear_404_and_sends_nothing() -> None:
    script = Script(_json(200, {}))
    with _client(script) as client:
        answer = client.get("https://openapi.pleo.io/v1/invoices")
    assert answer.status_code == 404
    assert "not a legacy Pleo endpoint" in answer.json()["detail"]
    assert script.seen == []


def test_malformed_legacy_request_body_is_a_400() -> None:
    script = Script(_json(200, {}))
    with _client(script) as client:
        answer = client.post(
            "https://openapi.pleo.io/v1/accounts",
            content=b"{nope",
            headers={"content-type": "application/json"},
        )
    assert answer.status_code == 400 and script.seen == []


def test_company_is_discovered_when_the_key_sees_one() -> None:
    installation = {"id": "i-1", "resource": f"urn:pleo:company:{COMPANY}"}
    script = Script(_json(200, installation), _json(200, PAGE))
    transport = CompatTransport(inner=httpx.MockTransport(script), api_key=CANARY_KEY)
    with httpx.Client(transport=transport) as client:
        assert client.get("https://openapi.pleo.io/v1/employees").status_code == 200
    assert [r.url.path for r in script.seen] == ["/v1/installations/me", "/v2/employees"]
    assert script.seen[1].url.params["companyId"] == COMPANY


def test_requests_adapter_serves_legacy_urls() -> None:
    session = legacy_session(CANARY_KEY, company_id=COMPANY)
    adapter = session.get_adapter("https://openapi.pleo.io/v1/employees")
    script = Script(_json(200, PAGE))
    adapter._transport._inner = httpx.MockTransport(script)  # the fake new API
    answer = session.get("https://openapi.pleo.io/v1/employees?pageSize=5")
    assert isinstance(answer, requests.Response)
    assert answer.json()["employees"][0]["id"] == EMPLOYEE["id"]
    assert isinstance(session.get_adapter("https://example.com/"), requests.adapters.HTTPAdapter)


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("5", 5.0), ("0", 0.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0), ("soon", None)],
)
def test_parse_retry_after(value: str, seconds: float | None) -> None:
    assert parse_retry_after(value) == seconds


def test_retry_policy_rules() -> None:
    policy = RetryPolicy(jitter=0.0, base_delay=1.0, max_wait=5.0, max_total=8.0)
    assert policy.delay("POST", 1, 503, None, 0.0) is None
    assert policy.delay("GET", 1, 404, None, 0.0) is None
    assert policy.delay("GET", 1, 503, None, 0.0) == 1.0
    assert policy.delay("PUT", 2, None, None, 1.0, unsent=True) == 2.0
    assert policy.delay("PUT", 2, None, None, 1.0) is None  # it may have been applied
    assert policy.delay("PUT", 1, 503, None, 0.0) is None
    assert policy.delay("PUT", 1, 429, "2", 0.0) == 2.0  # rate limited: nothing happened
    assert policy.delay("POST", 1, 502, None, 0.0, read=True) == 1.0  # a search is a read
    assert policy.delay("GET", 1, 429, "60", 0.0) is None  # not before 60 s: give up now
    assert policy.delay("GET", 3, 503, None, 7.0) is None  # over the per-call budget
    assert policy.delay("DELETE", 4, 503, None, 0.0) is None  # out of attempts


def test_bodies_are_translated_both_ways() -> None:
    created = {
        "id": "8b9c0d1e-2f3a-4b4c-9d6e-7f8091a2b3c4",
        "companyId": COMPANY,
        "externalId": "4020",
        "name": "Meals",
        "code": "4020",
        "archived": False,
    }
    script = Script(_json(201, {"data": created}))
    with _client(script) as client:
        answer = client.post(
            "https://openapi.pleo.io/v1/accounts", json={"name": "Meals", "accountNumber": "4020"}
        )
    assert answer.status_code == 200  # every legacy create answers 200
    assert json.loads(script.seen[0].content) == {
        "name": "Meals",
        "code": "4020",
        "archived": False,
        "externalId": "4020",
        "companyId": COMPANY,
    }
    assert answer.json()["accountNumber"] == "4020" and answer.json()["hidden"] is False
