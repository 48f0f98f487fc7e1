"""A Pleo client you open and close like a file:

    with PleoClient() as pleo:
        pleo.team(team_id)
"""
import os

import httpx

DEFAULT_URL = "https://openapi.pleo.io/v1"


class PleoError(RuntimeError):
    def __init__(self, response):
        super().__init__(f"{response.request.method} {response.request.url.path}: "
                         f"{response.status_code}")
        self.status_code = response.status_code


class PleoClient:
    def __init__(self, token=None, url=DEFAULT_URL, timeout=10.0):
        self._token = token or os.environ["PLEO_TEAMS_TOKEN"]
        self._url = url
        self._timeout = timeout
        self._http = None

    def __enter__(self):
        self._http = httpx.Client(
            base_url=self._url,
            headers={"Authorization": f"Bearer {self._token}"},
            timeout=self._timeout,
        )
        return self

    def __exit__(self, exc_type, exc, tb):
        self._http.close()
        self._http = None
        return False

    def _json(self, path, **params):
        response = self._http.get(path, params=params or None)
        if response.is_error:
            raise PleoError(response)
        return response.json()

    def teams(self):
        return self._json("/teams", pageSize=100)["teams"]

    def team(self, team_id):
        return self._json(f"/teams/{team_id}")

    def account(self, account_id):
        return self._json(f"/accounts/{account_id}")


def team_names():
    with PleoClient() as pleo:
        return sorted(t["name"] for t in pleo.teams())


def team_reviewers(team_id):
    with PleoClient() as pleo:
        team = pleo.team(team_id)
    return {
        "team": team["name"],
        "reviewers": [r["email"] for r in team.get("reviewers", [])],
        "size": len(team.get("employees", [])),
    }


def account_label(account_id):
    with PleoClient(timeout=5.0) as pleo:
        acc = pleo.account(account_id)
    return f"{acc['accountNumber']} {acc['name']}" + (" (hidden)" if acc["hidden"] else "")
