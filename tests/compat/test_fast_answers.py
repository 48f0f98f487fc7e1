"""The compat transport's fast answer path: the built legacy object handed to `.json()`, the
bytes still right, and the new call's URL built in one parse."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from migrate.compat.messages import NewRequest
from migrate.compat.routing import Target
from migrate.compat.transport import LegacyJsonResponse, _new_url
from tests.compat.test_transport import COMPANY, PAGE, Script, _json, _transport


def _get(url: str, page: object = PAGE) -> httpx.Response:
    with httpx.Client(transport=_transport(Script(_json(200, page)))) as client:
        return client.get(url)


def test_the_first_json_call_gets_the_built_object_then_the_bytes_are_decoded() -> None:
    answer = _get("https://openapi.pleo.io/v1/employees?pageSize=10")
    assert isinstance(answer, LegacyJsonResponse)  # httpx hands over the transport's object
    first = answer.json()
    assert first == json.loads(answer.content)
    first["employees"].clear()  # the caller owns what it got
    assert answer.json()["employees"][0]["firstName"] == "Astrid"
    assert answer.json() is not answer.json()


def test_content_and_text_are_the_encoded_legacy_body() -> None:
    employee = {**PAGE["data"][0], "firstName": "Zoë"}  # type: ignore[index]
    answer = _get(f"https://openapi.pleo.io/v1/employees/{employee['id']}", {"data": employee})
    assert answer.headers["content-type"] == "application/json"
    assert json.loads(answer.content)["firstName"] == "Zoë"
    assert '"firstName":"Zoë"' in answer.text
    assert answer.json(parse_float=str) == json.loads(answer.text, parse_float=str)


def test_the_async_transport_hands_over_the_built_object_too() -> None:
    from migrate.compat import AsyncCompatTransport

    async def get() -> httpx.Response:
        transport = AsyncCompatTransport(
            inner=httpx.MockTransport(Script(_json(200, PAGE))),
            api_key="k" * 8,
            company_id=COMPANY,
        )
        async with httpx.AsyncClient(transport=transport) as client:
            return await client.get("https://openapi.pleo.io/v1/employees?pageSize=10")

    answer = asyncio.run(get())
    assert isinstance(answer, LegacyJsonResponse)
    assert answer.json()["employees"][0]["firstName"] == "Astrid"


@pytest.mark.parametrize(
    "params",
    [
        (),
        (("companyId", COMPANY), ("limit", "10")),
        (("q", "a+b&c=d é/?#"), ("a", ""), ("b", "x y"), ("a", "2")),
    ],
)
def test_the_new_url_is_the_url_httpx_builds_from_params(
    params: tuple[tuple[str, str], ...],
) -> None:
    target = Target("production", "https://external.pleo.io")
    new = NewRequest("GET", "/v1/accounting-entries:search", params)
    expected = httpx.Request("GET", target.new_base_url + new.path, params=list(params)).url
    assert httpx.URL(_new_url(target, new)) == expected


def test_a_transport_built_without_orjson_still_answers(monkeypatch: pytest.MonkeyPatch) -> None:
    from migrate import jsonio

    monkeypatch.setattr(jsonio, "dumps", jsonio.std_dumps)
    monkeypatch.setattr(jsonio, "loads", jsonio.std_loads)
    answer = _get("https://openapi.pleo.io/v1/employees?pageSize=10")
    assert answer.json()["employees"][0]["firstName"] == "Astrid"
    assert answer.content.startswith(b'{"employees":[{')
