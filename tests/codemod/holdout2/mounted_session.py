"""A requests Session that knows its base URL, with retries mounted on an HTTPAdapter.

Same idea as requests-toolbelt's BaseUrlSession, without the extra dependency.
"""

import os
from urllib.parse import urljoin

import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry


class PrefixedSession(requests.Session):
    def __init__(self, prefix):
        super().__init__()
        self.prefix = prefix if prefix.endswith("/") else prefix + "/"
        retry = Retry(total=3, backoff_factor=0.2, status_forcelist=(502, 503, 504),
                      allowed_methods=frozenset({"GET"}))
        self.mount("https://", HTTPAdapter(max_retries=retry))

    def request(self, method, url, *args, **kwargs):
        return super().request(method, urljoin(self.prefix, url.lstrip("/")), *args, **kwargs)


class PeopleDirectory:
    """Employees and teams, for the intranet's people page."""

    def __init__(self, token=None, base="https://openapi.pleo.io/v1/"):
        self.http = PrefixedSession(base)
        self.http.headers.update({"Authorization": "Bearer {}".format(
            token or os.environ["PLEO_DIRECTORY_TOKEN"])})

    def _get(self, path, **params):
        response = self.http.get(path, params=params or None, timeout=30)
        response.raise_for_status()
        return response.json()

    def people(self):
        return [
            {"name": f"{e.get('firstName', '')} {e.get('lastName', '')}".strip(),
             "email": e.get("email")}
            for e in self._get("employees", pageSize=50)["employees"]
        ]

    def person(self, employee_id):
        return self._get("employees/" + employee_id)

    def teams(self):
        return sorted(t["name"] for t in self._get("/teams")["teams"])

    def team_members(self, team_id):
        team = self._get(f"teams/{team_id}")
        return [m["id"] for m in team.get("employees") or []]
