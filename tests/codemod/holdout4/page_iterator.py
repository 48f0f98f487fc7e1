"""An iterator over Pleo's offset-paged lists, and the reports built on it."""

import os

import requests

LEGACY_API = "https://openapi.pleo.io/v1"


class PageIterator:
    """Iterates the records of one list endpoint, fetching a page when the last one runs out."""

    def __init__(self, session, path, key, page_size=100, **filters):
        self.session = session
        self.url = LEGACY_API + path
        self.key = key
        self.params = dict(filters, pageSize=page_size)
        self.offset = 0
        self.buffer = []
        self.done = False

    def __iter__(self):
        return self

    def __next__(self):
        while not self.buffer:
            if self.done:
                raise StopIteration
            self._fetch()
        return self.buffer.pop(0)

    def _fetch(self):
        resp = self.session.get(self.url, params={**self.params, "pageOffset": self.offset})
        resp.raise_for_status()
        body = resp.json()
        self.buffer.extend(body[self.key])
        next_offset = body.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
        if next_offset:
            self.offset = next_offset
        else:
            self.done = True


def _session():
    s = requests.Session()
    s.headers.update(Authorization="Bearer " + os.environ["REPORTS_PLEO_TOKEN"])
    return s


def account_names():
    return sorted(a["name"] for a in PageIterator(_session(), "/accounts", "accounts")
                  if not a["hidden"])


def employee_count():
    return sum(1 for _ in PageIterator(_session(), "/employees", "employees", page_size=10))


def queued_amounts():
    totals = {}
    for e in PageIterator(_session(), "/expenses", "expenses", page_size=200, status="QUEUED"):
        money = e["amountSettled"]
        totals[money["currency"]] = round(totals.get(money["currency"], 0) + money["value"], 2)
    return totals
