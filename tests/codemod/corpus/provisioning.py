"""HR-system provisioning: keep Pleo teams and employee titles in step (module functions)."""

import os

import requests

PLEO_API = "https://openapi.pleo.io/v1"
HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


def team_names():
    r = requests.get(f"{PLEO_API}/teams", headers=HEADERS, params={"pageSize": 100})
    r.raise_for_status()
    return sorted(t["name"] for t in r.json()["teams"])


def ensure_team(name):
    if name in team_names():
        return "exists"
    r = requests.post(f"{PLEO_API}/teams", headers=HEADERS, json={"name": name})
    r.raise_for_status()
    return "created"


def update_job_title(employee_id, title):
    r = requests.put(
        f"{PLEO_API}/employees/{employee_id}", headers=HEADERS, json={"jobTitle": title}
    )
    r.raise_for_status()
    return r.json()["jobTitle"]


def employee_by_email(email):
    offset = 0
    while offset is not None:
        r = requests.get(
            f"{PLEO_API}/employees",
            headers=HEADERS,
            params={"pageOffset": offset, "pageSize": 100},
        )
        r.raise_for_status()
        page = r.json()
        for employee in page["employees"]:
            if employee["email"] == email:
                return employee["id"]
        offset = page["metadata"]["pageInfo"]["nextPageOffset"]
    return None
