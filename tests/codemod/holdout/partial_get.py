# quick helpers for the finance notebook -- pleo legacy api
import functools
import os

import requests

API = "https://openapi.pleo.io/v1/"
HEADERS = {
    "Authorization": "Bearer {}".format(os.environ.get("PLEO_KEY", "")),
    "Content-Type": "application/json",
}

get = functools.partial(requests.get, headers=HEADERS, timeout=30)
post = functools.partial(requests.post, headers=HEADERS, timeout=30)


def tax_code(code_id):
    r = get(API + "tax-codes/" + code_id)
    r.raise_for_status()
    return r.json()


def tag_group_names():
    r = get(API + "tag-groups")
    r.raise_for_status()
    return [g["name"] for g in r.json()]


def tags_in(group_id):
    r = get(API + "tag-groups/" + group_id + "/tags")
    r.raise_for_status()
    return [t["id"] for t in r.json()]


def team_sizes():
    r = get(API + "teams", params={"pageSize": 100})
    r.raise_for_status()
    return {t["name"]: len(t.get("employees") or []) for t in r.json()["teams"]}


def new_tag_group(name):
    r = post(API + "tag-groups", json={"name": name, "tagAttributes": [{"name": "Code"}]})
    r.raise_for_status()
    created = r.json()
    return {"name": created["name"], "columns": [a["name"] for a in created["tagAttributes"]]}
