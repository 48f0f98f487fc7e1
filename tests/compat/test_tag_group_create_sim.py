"""A legacy tag-group create with attributes, through `legacy_client`, against the simulator.

The `tag-group-create` flow posts the group and then one dimension per attribute; until the
simulator served `POST /v0/tag-groups/{groupId}/dimensions` this answered 400 (the hold-out
corpus found it). The group must read back, through compat and on the new API, with its columns.
"""

from __future__ import annotations

import uuid

import httpx

from migrate.compat import legacy_client
from migrate.simulator.testing import SimulatorHandle


def _client(simulator: SimulatorHandle) -> httpx.Client:
    return legacy_client(
        simulator.api_key, env=simulator.environment, company_id=simulator.company_id,
        new_base_url=simulator.new_base_url, legacy_base_url=simulator.legacy_base_url,
    )


def test_a_group_with_attributes_is_created_and_reads_back(simulator: SimulatorHandle) -> None:
    name = f"Cost centres {uuid.uuid4().hex[:8]}"
    attributes = [{"name": "Centre", "displayOrder": 0}, {"name": "Owner", "displayOrder": 1}]
    base = simulator.legacy_base_url
    with _client(simulator) as client:
        created = client.post(f"{base}/tag-groups",
                              json={"name": name, "tagAttributes": attributes})
        assert created.status_code < 300, created.text
        group = created.json()
        assert [a["name"] for a in group["tagAttributes"]] == ["Centre", "Owner"]
        # the list and the one group both read the aggregated view, with the attributes
        listed = client.get(f"{base}/tag-groups")
        assert listed.status_code == 200, listed.text
        read = next(g for g in listed.json() if g["id"] == group["id"])
        assert read == client.get(f"{base}/tag-groups/{group['id']}").json()
        assert read["name"] == name
        assert [(a["id"], a["name"]) for a in read["tagAttributes"]] == [
            (a["id"], a["name"]) for a in group["tagAttributes"]]
    with httpx.Client(base_url=simulator.new_base_url, headers=simulator.new_headers) as new:
        dimensions = new.get(f"/v0/tag-groups/{group['id']}/dimensions").json()["data"]
    assert [(d["code"], d["name"], d["visible"]) for d in dimensions] == [
        ("Centre", "Centre", True), ("Owner", "Owner", True)]


def test_attributes_are_created_in_their_display_order(simulator: SimulatorHandle) -> None:
    """The new API appends each dimension (displayOrder on create is ignored, per its spec):
    attributes listed out of order still get their columns in the legacy displayOrder."""
    name = f"Projects {uuid.uuid4().hex[:8]}"
    attributes = [{"name": "Second", "displayOrder": 2}, {"name": "First", "displayOrder": 1}]
    with _client(simulator) as client:
        created = client.post(f"{simulator.legacy_base_url}/tag-groups",
                              json={"name": name, "tagAttributes": attributes})
        assert created.status_code < 300, created.text
        group = created.json()
    with httpx.Client(base_url=simulator.new_base_url, headers=simulator.new_headers) as new:
        dimensions = new.get(f"/v0/tag-groups/{group['id']}/dimensions").json()["data"]
    ordered = sorted(dimensions, key=lambda d: d["displayOrder"])
    assert [d["name"] for d in ordered] == ["First", "Second"]
