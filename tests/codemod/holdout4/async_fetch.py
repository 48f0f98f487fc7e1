"""Fetch many expenses at once without hammering Pleo: at most four requests in flight."""

import asyncio
import os

import httpx

BASE_URL = "https://openapi.pleo.io/v1"
MAX_IN_FLIGHT = 4


def _client():
    return httpx.AsyncClient(
        base_url=BASE_URL,
        headers={"Authorization": f"Bearer {os.environ['ASYNC_PLEO_TOKEN']}"},
        timeout=30,
    )


async def _one(client, gate, expense_id):
    async with gate:
        resp = await client.get(f"/expenses/{expense_id}")
    resp.raise_for_status()
    data = resp.json()
    return data["id"], data["amountSettled"]["value"], data["status"]


async def fetch_expenses(expense_ids):
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)
    async with _client() as client:
        rows = await asyncio.gather(*(_one(client, gate, i) for i in expense_ids))
    return sorted(rows)


async def tag_labels(group_id):
    async with _client() as client:
        group, tags = await asyncio.gather(
            client.get(f"/tag-groups/{group_id}"),
            client.get(f"/tag-groups/{group_id}/tags"),
        )
    columns = {a["id"]: a["name"] for a in group.json()["tagAttributes"]}
    return sorted(
        "; ".join(f"{columns.get(v['attributeId'], '?')}={v['value']}"
                  for v in tag["attributeValues"])
        for tag in tags.json()
    )


async def receipt_counts(expense_ids):
    gate = asyncio.Semaphore(MAX_IN_FLIGHT)

    async def count(client, expense_id):
        async with gate:
            resp = await client.get(f"/expenses/{expense_id}/receipts")
        return expense_id, len(resp.json())

    async with _client() as client:
        pairs = await asyncio.gather(*(count(client, i) for i in expense_ids))
    return dict(pairs)
