"""People directory for the intranet: employees and their teams, straight from Pleo."""

import os

import requests


class PleoSession(requests.Session):
    """A Session that takes paths and prefixes Pleo's base URL itself."""

    def __init__(self, token, base_url="https://openapi.pleo.io/v1"):
        super().__init__()
        self.base_url = base_url.rstrip("/")
        self.headers.update({"Authorization": "Bearer " + token})

    def request(self, method, url, *args, **kwargs):
        if url.startswith("/"):
            url = self.base_url + url
        kwargs.setdefault("timeout", 15)
        return super().request(method, url, *args, **kwargs)


class PleoDirectory:
    def __init__(self):
        self.session = PleoSession(os.environ["INTRANET_PLEO_TOKEN"])

    def _employees(self):
        offset = 0
        while offset is not None:
            page = self.session.get("/employees", params={"pageOffset": offset,
                                                          "pageSize": 50}).json()
            yield from page["employees"]
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]

    def employee_emails(self):
        return sorted(e["email"].lower() for e in self._employees() if e.get("email"))

    def employee(self, employee_id):
        resp = self.session.get(f"/employees/{employee_id}")
        resp.raise_for_status()
        data = resp.json()
        return {
            "name": " ".join(p for p in (data["firstName"], data["lastName"]) if p),
            "email": data["email"],
            "phone": data.get("phone"),
            "code": data.get("code"),
        }

    def team_name(self, team_id):
        resp = self.session.get("/teams/%s" % team_id)  # noqa: UP031
        resp.raise_for_status()
        return resp.json()["name"]

    def by_code(self):
        return {e["code"]: e["id"] for e in self._employees() if e.get("code")}
