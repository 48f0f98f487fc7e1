"""PLM202 compat_httpx: a module that talks to the legacy API gets httpx's compat twin."""

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


        def employee(employee_id):
            return httpx.get(f"{PLEO}/employees/{employee_id}").json()
        """,
        """
        from migrate.compat import pleo_httpx as httpx

        PLEO = "https://openapi.pleo.io/v1"


        def employee(employee_id):
            return httpx.get(f"{PLEO}/employees/{employee_id}").json()
        """,
        id="import httpx: the twin takes its name",
    ),
    pytest.param(
        """
        from httpx import AsyncClient, HTTPStatusError

        PLEO = "https://openapi.pleo.io/v1"


        async def tax_codes():
            async with AsyncClient(base_url=PLEO, timeout=10) as client:
                return (await client.get("/tax-codes")).json()["taxCodes"]
        """,
        """
        from migrate.compat.pleo_httpx import AsyncClient, HTTPStatusError

        PLEO = "https://openapi.pleo.io/v1"


        async def tax_codes():
            async with AsyncClient(base_url=PLEO, timeout=10) as client:
                return (await client.get("/tax-codes")).json()["taxCodes"]
        """,
        id="from httpx import AsyncClient: a legacy base_url, arguments kept",
    ),
    pytest.param(
        """
        from httpx import *

        PLEO = "https://openapi.pleo.io/v1"
        client = Client(base_url=PLEO)
        """,
        None,
        id="no swap of a star import (and no per-call form either)",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_compat_httpx(before: str, after: str | None) -> None:
    check(before, after, ["PLM202"], strategy="compat")
