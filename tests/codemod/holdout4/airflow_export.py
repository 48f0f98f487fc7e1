"""Nightly export of approved Pleo expenses to the bookkeeping queue (Airflow plugin).

Airflow's BaseHook/BaseOperator are stubbed here so the module can be unit-tested without an
Airflow install; in the DAG the real ones are used.
"""

import logging
import os

import requests

log = logging.getLogger(__name__)


class BaseHook:
    def __init__(self, conn_id: str):
        self.conn_id = conn_id


class BaseOperator:
    def __init__(self, task_id: str):
        self.task_id = task_id


class PleoHook(BaseHook):
    default_host = "https://openapi.pleo.io"

    def __init__(self, conn_id: str = "pleo_default"):
        super().__init__(conn_id)
        self._session = None

    def get_conn(self) -> requests.Session:
        if self._session is None:
            session = requests.Session()
            session.headers.update({
                "Authorization": "Bearer %s" % os.environ["PLEO_AIRFLOW_TOKEN"],  # noqa: UP031
                "Content-Type": "application/json",
            })
            self._session = session
        return self._session

    def endpoint(self, path: str) -> str:
        return "%s/v1/%s" % (self.default_host, path.lstrip("/"))  # noqa: UP031


class PleoExportOperator(BaseOperator):
    """Marks every NOT_EXPORTED expense of the window as QUEUED and returns what it queued."""

    def __init__(self, task_id: str = "pleo_export", conn_id: str = "pleo_default"):
        super().__init__(task_id)
        self.hook = PleoHook(conn_id)

    def pending(self, date_from: str, date_to: str) -> list[dict]:
        conn = self.hook.get_conn()
        found, offset = [], 0
        while True:
            resp = conn.get(self.hook.endpoint("expenses"), params={
                "status": "NOT_EXPORTED", "dateFrom": date_from, "dateTo": date_to,
                "pageOffset": offset, "pageSize": 100,
            })
            resp.raise_for_status()
            body = resp.json()
            found.extend(body["expenses"])
            offset = body["metadata"]["pageInfo"].get("nextPageOffset")
            if not offset:
                return found

    def execute(self, context: dict) -> list[str]:
        day = context["ds"]
        expenses = self.pending(day[:8] + "01", day)
        ids = [e["id"] for e in expenses if e["amountSettled"]["value"] > 0]
        if not ids:
            log.info("nothing to queue for %s", day)
            return []
        conn = self.hook.get_conn()
        resp = conn.put(self.hook.endpoint("/expenses"),
                        json={"expenseIds": ids, "status": "QUEUED"})
        resp.raise_for_status()
        log.info("queued %d expenses for export", len(ids))
        return sorted(ids)

    def pending_total(self, date_from: str, date_to: str) -> float:
        return round(sum(e["amountSettled"]["value"] for e in self.pending(date_from, date_to)),
                     2)
