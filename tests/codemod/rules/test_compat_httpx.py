"""PLM202 compat_httpx: httpx clients that talk to the legacy API come from migrate.compat."""

from __future__ import annotations

import pytest

from tests.codemod.helpers import check

CASES = [
    pytest.param(
        """
        import httpx

        client = httpx.Client(base_url="https://erp.example.com")  # a Pleo-free client
        """,
        None,
        id="no change: an httpx client for another API",
    ),
    pytest.param(
        """
        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        async def tax_codes():
            async with httpx.AsyncClient(base_url=PLEO, timeout=10) as client:
                return (await client.get("/tax-codes")).json()["taxCodes"]
        """,
        """
        from migrate.compat import legacy_async_client

        PLEO = "https://openapi.pleo.io/v1"


        async def tax_codes():
            async with legacy_async_client(base_url=PLEO, timeout=10) as client:
                return (await client.get("/tax-codes")).json()["taxCodes"]
        """,
        id="AsyncClient with a legacy base_url, arguments kept",
    ),
    pytest.param(
        """
        import httpx


        def employee(employee_id):
            return httpx.get(f"https://openapi.pleo.io/v1/employees/{employee_id}").json()


        def tags(group_id, client: httpx.Client | None = None):
            client = client or httpx.Client()
            return client.get(f"https://openapi.pleo.io/v1/tag-groups/{group_id}/tags").json()
        """,
        """
        import httpx
        import functools
        from migrate.compat import legacy_client
        _pleo_client = functools.cache(legacy_client)


        def employee(employee_id):
            return _pleo_client().get(f"https://openapi.pleo.io/v1/employees/{employee_id}").json()


        def tags(group_id, client: httpx.Client | None = None):
            client = client or legacy_client()
            return client.get(f"https://openapi.pleo.io/v1/tag-groups/{group_id}/tags").json()
        """,
        id="httpx.get through one lazily made client, and a client made in a fallback",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_httpx(before: str, after: str | None) -> None:
    check(before, after, ["PLM202"], strategy="compat")
