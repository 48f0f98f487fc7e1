"""PLM205 compat_dropped_query: a legacy filter compat cannot send gets a TODO at the call."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def card_expenses(kind):
            r = requests.get(BASE + "/expenses", params={"types": kind, "status": "QUEUED"})
            return r.json()["expenses"]
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def card_expenses(kind):
            # TODO[pleo-migrate PLM205]: expenses.list: `types` dropped, no new-API filter: filter the records here
            r = requests.get(BASE + "/expenses", params={"types": kind, "status": "QUEUED"})
            return r.json()["expenses"]
        """,
        id="a filter in params= the new API has not",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def for_account(account_id):
            return requests.get(f"{BASE}/expenses?accountId={account_id}&pageSize=50").json()
        """,
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def for_account(account_id):
            # TODO[pleo-migrate PLM205]: expenses.list: `accountId` dropped, no new-API filter: filter the records here
            return requests.get(f"{BASE}/expenses?accountId={account_id}&pageSize=50").json()
        """,
        id="a filter in the URL's query string",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def queued(offset):
            return requests.get(BASE + "/expenses", params={"status": "QUEUED", "pageOffset": offset}).json()
        """,
        None,
        id="no change: filters and paging compat carries",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_dropped_query(before: str, after: str | None) -> None:
    check(before, after, ["PLM205"], strategy="compat")
