"""PLM207 compat_token_source: a legacy token read that would raise once the token is gone is
made safe, and a source the codemod cannot rename gets one TODO at the read."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import json

        import requests


        def _token():
            with open("pleo.json") as fh:
                return json.load(fh)["legacy"]["token"]


        def tax_codes():
            r = requests.get("https://openapi.pleo.io/v1/tax-codes", headers={"Authorization": f"Bearer {_token()}"})
            return r.json()["taxCodes"]
        """,
        """
        import json

        import requests


        def _token():
            with open("pleo.json") as fh:
                # TODO[pleo-migrate PLM207]: pleo.json key legacy.token: compat sends PLEO_API_KEY
                return json.load(fh).get("legacy", {}).get("token", "")


        def tax_codes():
            r = requests.get("https://openapi.pleo.io/v1/tax-codes", headers={"Authorization": f"Bearer {_token()}"})
            return r.json()["taxCodes"]
        """,
        id="a JSON file read in a function: a .get chain and a TODO naming file and key",
    ),
    pytest.param(
        """
        import httpx


        def account(config, account_id):
            headers = {"Authorization": "Bearer " + config["api_token"]}
            return httpx.get(f"https://openapi.pleo.io/v1/accounts/{account_id}", headers=headers).json()
        """,
        """
        import httpx


        def account(config, account_id):
            # TODO[pleo-migrate PLM207]: config key api_token: compat sends PLEO_API_KEY
            headers = {"Authorization": "Bearer " + config.get("api_token", "")}
            return httpx.get(f"https://openapi.pleo.io/v1/accounts/{account_id}", headers=headers).json()
        """,
        id="a config handed in",
    ),
    pytest.param(
        """
        import os

        import requests


        def token():
            return os.environ["ERP_SECRET"]


        def tax_codes():
            return requests.get("https://openapi.pleo.io/v1/tax-codes", headers={"Authorization": "Bearer " + token()}).json()
        """,
        """
        import os

        import requests


        def token():
            return os.environ.get("ERP_SECRET", "")


        def tax_codes():
            return requests.get("https://openapi.pleo.io/v1/tax-codes", headers={"Authorization": "Bearer " + token()}).json()
        """,
        id="an environment read behind a function: safe, no TODO",
    ),
    pytest.param(
        """
        import tomllib

        import httpx


        def tax_codes():
            with open("secrets.toml", "rb") as fh:
                secrets = tomllib.load(fh)
            auth = "Bearer %s" % secrets["pleo"]["token"]
            return httpx.get("https://openapi.pleo.io/v1/tax-codes", headers={"Authorization": auth}).json()
        """,
        """
        import tomllib

        import httpx


        def tax_codes():
            with open("secrets.toml", "rb") as fh:
                secrets = tomllib.load(fh)
            # TODO[pleo-migrate PLM207]: secrets.toml key pleo.token: compat sends PLEO_API_KEY
            auth = "Bearer %s" % secrets.get("pleo", {}).get("token", "")
            return httpx.get("https://openapi.pleo.io/v1/tax-codes", headers={"Authorization": auth}).json()
        """,
        id="a TOML file, the header's value held in a name",
    ),
    pytest.param(
        """
        import json

        import requests


        def _token():
            with open("pleo.json") as fh:
                return json.load(fh)["legacy"]["token"]


        def weather():
            return requests.get("https://api.example.com/weather", headers={"Authorization": f"Bearer {_token()}"}).json()
        """,
        None,
        id="no change: a module that never calls the legacy API",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_token_source(before: str, after: str | None) -> None:
    check(before, after, ["PLM207"], strategy="compat")
