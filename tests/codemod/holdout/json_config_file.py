# ruff: noqa: B905
"""Sync job configuration lives in a JSON file; the path comes from PLEO_CONFIG.

The file looks like {"legacy": {"token": "..."}} (the layout `pleo-migrate simulate
--credentials-file` writes, which we reuse in staging). ENV picks the Pleo environment.
"""
import json
import os
import pathlib

import requests

HOSTS = {
    "production": "https://openapi.pleo.io",
    "staging": "https://openapi.staging.pleo.io",
}
ENV = os.environ.get("ENV", "production").lower()
API_ROOT = HOSTS.get(ENV, HOSTS["production"]) + "/v1"


def _load_token():
    path = pathlib.Path(os.environ.get("PLEO_CONFIG", "credentials.json")).expanduser()
    with path.open(encoding="utf-8") as handle:
        config = json.load(handle)
    return config["legacy"]["token"]


class TagSync:
    def __init__(self):
        self.session = requests.Session()
        self.session.headers.update({"Authorization": f"Bearer {_load_token()}"})

    def group(self, group_id):
        r = self.session.get(f"{API_ROOT}/tag-groups/{group_id}")
        if r.status_code == 404:
            return None
        if r.status_code != 200:
            raise RuntimeError(f"GET tag group failed: {r.status_code}")
        return {"name": r.json()["name"], "columns": len(r.json()["tagAttributes"])}

    def add_tag(self, group_id, values):
        group = self.session.get(f"{API_ROOT}/tag-groups/{group_id}").json()
        columns = [a["id"] for a in group["tagAttributes"]]
        body = {"attributeValues": [{"attributeId": c, "value": v}
                                    for c, v in zip(columns, values)]}
        r = self.session.post(f"{API_ROOT}/tag-groups/{group_id}/tags", json=body)
        if r.status_code not in (200, 201):
            raise RuntimeError(f"creating tag failed: {r.status_code} {r.text}")
        return sorted(v["value"] for v in r.json()["attributeValues"])

    def hide_tag(self, group_id, tag_id):
        r = self.session.patch(f"{API_ROOT}/tag-groups/{group_id}/tags/{tag_id}",
                               json={"hidden": True})
        r.raise_for_status()
        return r.json()["hidden"]

    def rename_team(self, team_id, name):
        r = self.session.put(f"{API_ROOT}/teams/{team_id}", json={"name": name})
        r.raise_for_status()
        return r.json()["name"]
