"""Pleo legacy expenses client on httpx, with retries for flaky networks."""

import os
import time

import httpx

BASE_URL = os.environ.get("PLEO_API_URL", "https://openapi.pleo.io/v1/")
RETRY_STATUSES = {429, 502, 503, 504}


class PleoHttpxClient:
    def __init__(self, token=None, retries=3):
        token = token or os.environ["PLEO_LEGACY_TOKEN"]
        self.retries = retries
        self.client = httpx.Client(
            base_url=BASE_URL,
            headers={"Authorization": f"Bearer {token}"},
            timeout=httpx.Timeout(30.0),
        )

    def _request(self, method, path, **kw):
        last = None
        for attempt in range(self.retries):
            try:
                response = self.client.request(method, path, **kw)
            except httpx.TransportError as exc:
                last = exc
                time.sleep(0.05 * (attempt + 1))
                continue
            if response.status_code in RETRY_STATUSES:
                time.sleep(0.05 * (attempt + 1))
                continue
            response.raise_for_status()
            return response
        if last:
            raise last
        response.raise_for_status()
        return response

    def expenses_between(self, date_from, date_to, page_size=250):
        expenses = []
        offset = 0
        while offset is not None:
            page = self._request(
                "GET",
                "expenses",
                params={
                    "dateFrom": date_from,
                    "dateTo": date_to,
                    "pageOffset": offset,
                    "pageSize": page_size,
                },
            ).json()
            expenses += page["expenses"]
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
        return [e["id"] for e in expenses]

    def expense(self, expense_id):
        return self._request("GET", f"expenses/{expense_id}").json()

    def mark_exported(self, expense_ids):
        self._request("PUT", "expenses", json={"expenseIds": expense_ids, "status": "EXPORTED"})
        return len(expense_ids)

    def teams(self):
        return [t["name"] for t in self._request("GET", "teams").json()["teams"]]
