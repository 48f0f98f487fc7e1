"""PLM204 compat_lost_fields: reads of fields the catalogue declares lost get a TODO."""

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


        class Employee:
            path = "/employees"

            @classmethod
            def teams(cls, send):
                rows = send("GET", BASE + cls.path)["employees"]
                return {row["id"]: row["teamId"] for row in rows}
        """,
        """
        from migrate.compat import pleo_requests as requests

        BASE = "https://openapi.pleo.io/v1"


        class Employee:
            path = "/employees"

            @classmethod
            def teams(cls, send):
                rows = send("GET", BASE + cls.path)["employees"]
                # TODO[pleo-migrate PLM204]: reads `teamId` of employees.list, employees.get, lost on the new API: the new…
                return {row["id"]: row["teamId"] for row in rows}
        """,
        id="a lost field read where a helper hides the call: the path literal names the records",
    ),
    pytest.param(
        """
        import requests

        URL = "https://openapi.pleo.io/v1/accounts"


        def names():
            return [a["name"] for a in requests.get(URL).json()["accounts"]]
        """,
        """
        from migrate.compat import pleo_requests as requests

        URL = "https://openapi.pleo.io/v1/accounts"


        def names():
            return [a["name"] for a in requests.get(URL).json()["accounts"]]
        """,
        id="a field the operations keep gets no TODO",
    ),
    pytest.param(
        """
        import requests

        URL = "https://openapi.pleo.io/v1/expenses"


        def rows():
            out = []
            for e in requests.get(URL).json()["expenses"]:
                card = e.get("cardTransaction") or {}
                out.append({"day": e["performedAt"][:10], "shop": (card.get("merchant") or {}).get("name")})
            return out
        """,
        """
        from migrate.compat import pleo_requests as requests

        URL = "https://openapi.pleo.io/v1/expenses"


        def rows():
            out = []
            for e in requests.get(URL).json()["expenses"]:
                card = e.get("cardTransaction") or {}
                # TODO[pleo-migrate PLM204]: reads `performedAt`, `merchant` of expenses.list, lost on the new API…
                out.append({"day": e["performedAt"][:10], "shop": (card.get("merchant") or {}).get("name")})
            return out
        """,
        id="two lost fields read by one statement: both are named",
    ),
    pytest.param(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def account_ids():
            return [a["id"] for a in requests.get(BASE + "/accounts").json()["accounts"]]


        def account_tax_code(account_id):
            account = requests.get(f"{BASE}/accounts/{account_id}").json()
            return account["taxCodeId"]
        """,
        """
        from migrate.compat import pleo_requests as requests

        BASE = "https://openapi.pleo.io/v1"


        def account_ids():
            return [a["id"] for a in requests.get(BASE + "/accounts").json()["accounts"]]


        def account_tax_code(account_id):
            account = requests.get(f"{BASE}/accounts/{account_id}").json()
            # TODO[pleo-migrate PLM204]: reads `taxCodeId` of accounts.get, lost on the new API: the new account links a tax…
            return account["taxCodeId"]
        """,
        id="a read named after the operation its own function calls",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_flags_reads_of_lost_fields(before: str, after: str | None) -> None:
    check(before, after, ["PLM201", "PLM204"], strategy="compat")
