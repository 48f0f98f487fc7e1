"""Keeps Pleo's project tags in step with our project list (httpx with a custom Auth)."""

import os

import httpx


class PleoTokenAuth(httpx.Auth):
    def __init__(self, token: str):
        self._token = token

    def auth_flow(self, request: httpx.Request):
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


def _client() -> httpx.Client:
    return httpx.Client(
        base_url="https://openapi.pleo.io/v1",
        auth=PleoTokenAuth(os.environ["PROJECTS_PLEO_TOKEN"]),
        timeout=httpx.Timeout(10.0, connect=5.0),
    )


def group_columns() -> dict[str, list[str]]:
    with _client() as client:
        groups = client.get("/tag-groups").raise_for_status().json()
    return {g["name"]: [a["name"] for a in g["tagAttributes"] if not a["hidden"]]
            for g in groups}


def project_codes(group_id: str) -> list[str]:
    with _client() as client:
        tags = client.get(f"/tag-groups/{group_id}/tags").raise_for_status().json()
    codes = []
    for tag in tags:
        first = tag["attributeValues"][0]["value"] if tag["attributeValues"] else ""
        codes.append(first)
    return sorted(codes)


def add_project(group_id: str, code: str) -> str:
    with _client() as client:
        group = client.get(f"/tag-groups/{group_id}").raise_for_status().json()
        columns = [a["id"] for a in group["tagAttributes"]]
        body = {"attributeValues": [{"attributeId": column, "value": code}
                                    for column in columns[:1]]}
        created = client.post(f"/tag-groups/{group_id}/tags", json=body)
        created.raise_for_status()
    return created.json()["attributeValues"][0]["value"]
