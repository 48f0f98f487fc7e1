"""Fetch many expenses and employees concurrently, at most N requests in flight."""
from __future__ import annotations

import asyncio
import os

import httpx

OPENAPI = "https://openapi.pleo.io/v1"
MAX_IN_FLIGHT = 4


def _auth_header() -> dict[str, str]:
    return {"Authorization": "Bearer " + os.environ["PLEO_BULK_TOKEN"]}


async def _get_json(client: httpx.AsyncClient, sem: asyncio.Semaphore, url: str) -> dict:
    async with sem:
        resp = await client.get(url)
    resp.raise_for_status()
    return resp.json()


async def expenses(ids: list[str]) -> list[dict]:
    sem = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with httpx.AsyncClient(headers=_auth_header(), timeout=30) as client:
        tasks = [_get_json(client, sem, f"{OPENAPI}/expenses/{i}") for i in ids]
        return list(await asyncio.gather(*tasks))


async def expense_totals(ids: list[str]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for expense in await expenses(ids):
        amount = expense.get("amountOriginal") or {}
        cur = amount.get("currency", "???")
        totals[cur] = round(totals.get(cur, 0.0) + float(amount.get("value") or 0), 2)
    return totals


async def employees(ids: list[str]) -> list[dict]:
    sem = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with httpx.AsyncClient(headers=_auth_header(), timeout=30) as client:
        results = await asyncio.gather(
            *(_get_json(client, sem, OPENAPI + "/employees/" + i) for i in ids)
        )
    return [{"id": e["id"], "email": e.get("email")} for e in results]


async def account_names() -> list[str]:
    async with httpx.AsyncClient(headers=_auth_header()) as client:
        resp = await client.get(f"{OPENAPI}/accounts", params={"pageSize": 100})
        resp.raise_for_status()
        return sorted(a["name"] for a in resp.json()["accounts"])


if __name__ == "__main__":
    print(asyncio.run(account_names()))
