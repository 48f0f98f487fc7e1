"""Pleo's fixed facts: hosts, auth headers, envelopes and Retry-After, checked against the docs."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from migrate import pleo
from migrate.errors import ConfigurationError


def test_hosts_per_environment_follow_pleos_environments_page() -> None:
    assert pleo.LEGACY_BASE_URLS == {
        "production": "https://openapi.pleo.io/v1",
        "staging": "https://openapi.staging.pleo.io/v1",
    }
    assert pleo.NEW_BASE_URLS == {
        "production": "https://external.pleo.io",
        "staging": "https://external.staging.pleo.io",
    }
    assert pleo.environment_of_host("External.Staging.Pleo.io") == "staging"
    assert pleo.environment_of_host("openapi.pleo.io") == "production"
    assert pleo.environment_of_host("example.com") is None


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.9.9.9", True), ("[::1]", True), ("localhost", True),
     ("10.0.0.1", False), ("example.com", False), ("localhost.example.com", False)],
)
def test_loopback(host: str, loopback: bool) -> None:
    assert pleo.is_loopback(host) is loopback


def test_api_key_is_basic_with_an_empty_password() -> None:
    value = pleo.api_key_authorization("k")
    assert value.startswith("Basic ")
    assert base64.b64decode(value.removeprefix("Basic ")) == b"k:"
    assert pleo.legacy_authorization("t") == "Bearer t"
    assert pleo.oauth_authorization("o") == "Bearer o"


def test_every_secret_variable_is_listed_once() -> None:
    assert set(pleo.SECRET_VARIABLES) == {"PLEO_LEGACY_TOKEN", "PLEO_API_KEY", "PLEO_OAUTH_TOKEN"}
    assert pleo.COMPANY_ID_VAR not in pleo.SECRET_VARIABLES


@pytest.mark.parametrize(
    ("body", "offset"),
    [
        ({"metadata": {"pageInfo": {"nextPageOffset": 200}}}, 200),
        ({"metadata": {"pageInfo": {"nextPageOffset": None}}}, None),
        ({"metadata": {"pageInfo": {"nextPageOffset": 0}}}, None),
        ({"employees": []}, None),
        ([], None),
    ],
)
def test_legacy_next_offset(body: object, offset: int | None) -> None:
    assert pleo.legacy_next_offset(body) == offset


def test_legacy_next_offset_refuses_garbage() -> None:
    with pytest.raises(pleo.EnvelopeError, match="nextPageOffset"):
        pleo.legacy_next_offset({"metadata": {"pageInfo": {"nextPageOffset": "x"}}})


def test_legacy_page_info_round_trips_through_the_reader() -> None:
    body = {"metadata": pleo.legacy_page_info(50, 120, 100)}
    assert pleo.legacy_next_offset(body) == 100


def test_cursor_page() -> None:
    page = pleo.CursorPage.read(
        {"data": [1], "pagination": {"hasNextPage": True, "endCursor": "c", "total": 3}}
    )
    assert (page.data, page.next_cursor(), page.total) == ([1], "c", 3)
    last = pleo.CursorPage.read({"data": []})
    assert last.next_cursor() is None
    with pytest.raises(pleo.EnvelopeError, match="data"):
        pleo.CursorPage.read({"items": []})
    with pytest.raises(pleo.EnvelopeError, match="endCursor"):
        pleo.CursorPage.read({"data": [], "pagination": {"hasNextPage": True}}).next_cursor()
    assert pleo.cursor_params(10, "c") == {"limit": "10", "after": "c"}
    assert pleo.cursor_params(10) == {"limit": "10"}


@pytest.mark.parametrize(
    ("value", "seconds"),
    [("7", 7.0), (" 2.5 ", 2.5), ("-3", 0.0), (None, None), ("", None), ("soon", None),
     ("nan", None), ("Mon, 30 Nov 2026 12:00:10 GMT", 10.0),
     ("Mon, 30 Nov 2026 11:00:00 GMT", 0.0)],
)
def test_retry_after(value: str | None, seconds: float | None) -> None:
    now = datetime(2026, 11, 30, 12, 0, 0, tzinfo=UTC)
    assert pleo.parse_retry_after(value, now) == seconds


def test_backoff_doubles_and_is_capped() -> None:
    assert [pleo.backoff(n, 0.5, 3.0) for n in (1, 2, 3, 4)] == [0.5, 1.0, 2.0, 3.0]


def test_environment_names_are_checked_in_one_place() -> None:
    assert pleo.require_environment("staging") == "staging"
    with pytest.raises(ConfigurationError, match="staging or production, got 'prod'"):
        pleo.require_environment("prod")
    assert pleo.legacy_host() == "openapi.pleo.io"
    assert pleo.legacy_host("staging") == "openapi.staging.pleo.io"


def test_envelope_paths_for_messages_follow_the_keys() -> None:
    assert pleo.LEGACY_NEXT_OFFSET_PATH == "metadata.pageInfo.nextPageOffset"
    assert (pleo.NEW_HAS_NEXT_PATH, pleo.NEW_END_CURSOR_PATH) == (
        "pagination.hasNextPage",
        "pagination.endCursor",
    )
