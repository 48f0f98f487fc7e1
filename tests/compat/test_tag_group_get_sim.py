"""Legacy `GET /tag-groups/{id}` through `legacy_client`, against the simulator.

`tag-groups.get` used to read `GET /v0/tag-groups/{groupId}`, which has no dimensions, and
answered `tagAttributes: null`; code that reads a group's columns failed on it (hold-out
`json_config_file.py`). It now reads the aggregated view for the one id, like the list does.
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest

from migrate.compat import legacy_client
from migrate.simulator.testing import SimulatorHandle


@pytest.fixture(scope="module")
def client(simulator: SimulatorHandle) -> Any:
    with legacy_client(
        simulator.api_key, env=simulator.environment, company_id=simulator.company_id,
        new_base_url=simulator.new_base_url, legacy_base_url=simulator.legacy_base_url,
    ) as opened:
        yield opened


def _listed(client: httpx.Client, base: str, query: str) -> list[dict[str, Any]]:
    answer = client.get(f"{base}/tag-groups{query}")
    assert answer.status_code == 200, answer.text
    return list(answer.json())


def test_one_group_has_the_attributes_the_list_shows(
    client: httpx.Client, simulator: SimulatorHandle
) -> None:
    base = simulator.legacy_base_url
    groups = _listed(client, base, "") + _listed(client, base, "?archived=true")
    assert any(g["archived"] for g in groups)  # archived groups are read by id too
    assert any(a["hidden"] for g in groups for a in g["tagAttributes"] or [])
    for group in groups:
        one = client.get(f"{base}/tag-groups/{group['id']}")
        assert one.status_code == 200, one.text
        assert one.json() == group
        assert isinstance(one.json()["tagAttributes"], list)


def test_an_upper_case_id_finds_its_group(
    client: httpx.Client, simulator: SimulatorHandle
) -> None:
    group = next(g for g in _listed(client, simulator.legacy_base_url, "") if g["tagAttributes"])
    one = client.get(f"{simulator.legacy_base_url}/tag-groups/{group['id'].upper()}")
    assert one.status_code == 200, one.text
    assert one.json()["tagAttributes"] == group["tagAttributes"]


def test_an_unknown_group_is_a_legacy_404(
    client: httpx.Client, simulator: SimulatorHandle
) -> None:
    group_id = str(uuid.uuid4())
    answer = client.get(f"{simulator.legacy_base_url}/tag-groups/{group_id}")
    assert answer.status_code == 404, answer.text
    body = answer.json()
    assert (body["statusCode"], body["error"]) == (404, "Not Found")
    assert group_id in body["detail"]
    with httpx.Client(headers=simulator.legacy_headers) as legacy:
        reference = legacy.get(f"{simulator.legacy_base_url}/tag-groups/{group_id}")
    assert reference.status_code == 404  # the legacy simulator agrees


def test_an_id_that_is_no_uuid_is_a_400_as_on_the_legacy_api(
    client: httpx.Client, simulator: SimulatorHandle
) -> None:
    answer = client.get(f"{simulator.legacy_base_url}/tag-groups/not-a-uuid")
    assert answer.status_code == 400, answer.text
    assert "not a UUID" in answer.json()["detail"]
    with httpx.Client(headers=simulator.legacy_headers) as legacy:
        reference = legacy.get(f"{simulator.legacy_base_url}/tag-groups/not-a-uuid")
    assert reference.status_code == 400
