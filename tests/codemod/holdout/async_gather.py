# ruff: noqa: B905
"""Fan-out lookups: fetch many Pleo records concurrently."""
import asyncio
import os

import httpx

PLEO = "https://openapi.pleo.io/v1"
CONCURRENCY = 8


def _auth():
    return {"Authorization": "Bearer " + os.getenv("PLEO_LEGACY_API_TOKEN", "")}


async def _fetch(client, sem, url):
    async with sem:
        r = await client.get(url, headers=_auth())
        r.raise_for_status()
        return r.json()


async def employees_by_id(ids):
    sem = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(timeout=10) as client:
        rows = await asyncio.gather(*(_fetch(client, sem, f"{PLEO}/employees/{i}") for i in ids))
    return {row["id"]: row["email"] for row in rows}


async def expenses_by_id(ids):
    sem = asyncio.Semaphore(CONCURRENCY)
    async with httpx.AsyncClient(timeout=10) as client:
        tasks = [_fetch(client, sem, PLEO + "/expenses/" + i) for i in ids]
        rows = await asyncio.gather(*tasks)
    return [(r["id"], r["amountOriginal"]["value"]) for r in rows]


async def tags_per_group():
    async with httpx.AsyncClient(base_url=PLEO, headers=_auth(), timeout=10) as client:
        groups = (await client.get("/tag-groups")).raise_for_status().json()
        live = [g for g in groups if not g["archived"]]
        answers = await asyncio.gather(*(client.get(f"/tag-groups/{g['id']}/tags") for g in live))
    return {g["name"]: len(a.json()) for g, a in zip(live, answers)}


async def wallet():
    async with httpx.AsyncClient() as client:
        r = await client.get(f"{PLEO}/companies/balance", headers=_auth())
        r.raise_for_status()
        body = r.json()
    return {"available": body["available"], "currency": body["currency"]}


if __name__ == "__main__":
    print(asyncio.run(wallet()))
