# ruff: noqa: B905
"""Admin script for Pleo tags: create groups, add and hide tags, rename groups.

Settings come from an INI file (path in PLEO_ADMIN_INI), falling back to the defaults below.
"""

import configparser
import os

import requests

DEFAULTS = """
[pleo]
base_url = https://openapi.pleo.io/v1
token_variable = PLEO_ADMIN_TOKEN
timeout = 20
"""


def load_config(path=None):
    config = configparser.ConfigParser()
    config.read_string(DEFAULTS)
    path = path or os.environ.get("PLEO_ADMIN_INI")
    if path:
        config.read(path)
    return config


class TagAdmin:
    def __init__(self, config=None):
        section = (config or load_config())["pleo"]
        self.base_url = section["base_url"].rstrip("/")
        self.timeout = section.getint("timeout")
        token = os.environ[section["token_variable"]]
        self.headers = {"Authorization": "Bearer " + token}

    def _call(self, method, path, body=None):
        resp = requests.request(method, self.base_url + path, json=body,
                                headers=self.headers, timeout=self.timeout)
        resp.raise_for_status()
        return resp.json() if resp.content else None

    def create_group(self, name, columns):
        body = {"name": name, "tagAttributes": [{"name": c} for c in columns]}
        created = self._call("POST", "/tag-groups", body)
        return {"name": created["name"], "columns": [a["name"] for a in created["tagAttributes"]]}

    def add_tag(self, group_id, values):
        group = self._call("GET", f"/tag-groups/{group_id}")
        attributes = [a["id"] for a in group["tagAttributes"]]
        body = {"attributeValues": [{"attributeId": a, "value": v}
                                    for a, v in zip(attributes, values)]}
        tag = self._call("POST", f"/tag-groups/{group_id}/tags", body)
        return sorted(v["value"] for v in tag["attributeValues"])

    def hide_tag(self, group_id, tag_id, hidden=True):
        tag = requests.patch(f"{self.base_url}/tag-groups/{group_id}/tags/{tag_id}",
                             json={"hidden": hidden}, headers=self.headers,
                             timeout=self.timeout)
        tag.raise_for_status()
        return tag.json().get("hidden")

    def rename_group(self, group_id, new_name):
        updated = self._call("PATCH", "/tag-groups/" + group_id, {"name": new_name})
        return updated["name"]

    def archive_group(self, group_id):
        resp = requests.patch(self.base_url + "/tag-groups/" + group_id,
                              json={"archived": True}, headers=self.headers,
                              timeout=self.timeout)
        resp.raise_for_status()
        return resp.json()["archived"]
