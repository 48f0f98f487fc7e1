"""Async receipt collector for the document archive (runs inside our aiohttp-free worker)."""
import asyncio
import os

import httpx

PLEO_V1 = "https://openapi.pleo.io/v1"


def _settings():
    return {
        "base_url": PLEO_V1,
        "headers": {"Authorization": f"Bearer {os.environ['PLEO_ARCHIVE_BEARER']}"},
        "timeout": httpx.Timeout(20.0, connect=5.0),
    }


async def expense_with_receipts(expense_id):
    async with httpx.AsyncClient(**_settings()) as client:
        expense, receipts = await asyncio.gather(
            client.get(f"/expenses/{expense_id}"),
            client.get(f"/expenses/{expense_id}/receipts"),
        )
    expense.raise_for_status()
    receipts.raise_for_status()
    e = expense.json()
    return {
        "id": e["id"],
        "note": e.get("note"),
        "receipt_ids": e.get("receiptIds", []),
        "files": sorted(r["name"] for r in receipts.json()),
    }


async def receipt_sizes(expense_id):
    async with httpx.AsyncClient(**_settings()) as client:
        listing = await client.get(f"/expenses/{expense_id}/receipts")
        listing.raise_for_status()
        sizes = {}
        for item in listing.json():
            one = await client.get(f"/expenses/{expense_id}/receipts/{item['id']}")
            one.raise_for_status()
            sizes[one.json()["id"]] = one.json()["size"]
    return sizes


async def recent_expense_ids(limit=5):
    async with httpx.AsyncClient(**_settings()) as client:
        resp = await client.get("/expenses", params={"pageSize": limit})
    resp.raise_for_status()
    return [e["id"] for e in resp.json()["expenses"]]


def run(expense_id):
    return asyncio.run(expense_with_receipts(expense_id))
