# ruff: noqa: UP031
"""Airflow-style hook for Pleo (works without Airflow installed: the base is a stand-in)."""
import json
import os

import requests

try:  # pragma: no cover - Airflow is optional
    from airflow.hooks.base import BaseHook
except ImportError:  # pragma: no cover
    class BaseHook:  # type: ignore[no-redef]
        def __init__(self, *args, **kwargs):
            pass


def _connection(conn_id):
    """What Airflow would keep in a Connection: host, password and extras."""
    prefix = "AIRFLOW_CONN_" + conn_id.upper()
    return {
        "host": os.environ.get(prefix + "_HOST", "openapi.pleo.io"),
        "schema": "https",
        "password": os.environ.get(prefix + "_PASSWORD"),
        "extra": json.loads(os.environ.get(prefix + "_EXTRA", '{"api_version": "v1"}')),
    }


class PleoHook(BaseHook):
    conn_name_attr = "pleo_conn_id"
    default_conn_name = "pleo_default"

    def __init__(self, pleo_conn_id=default_conn_name):
        super().__init__()
        self.pleo_conn_id = pleo_conn_id
        self._session = None
        self.base_url = None

    def get_conn(self):
        if self._session is None:
            conn = _connection(self.pleo_conn_id)
            self.base_url = "{}://{}/{}".format(conn["schema"], conn["host"],
                                                conn["extra"]["api_version"])
            session = requests.Session()
            session.headers["Authorization"] = "Bearer %s" % conn["password"]
            session.headers["User-Agent"] = "airflow-provider-pleo/0.3"
            self._session = session
        return self._session

    def _url(self, endpoint):
        self.get_conn()
        return self.base_url + endpoint

    def get_expenses(self, status="QUEUED"):
        response = self.get_conn().get(self._url("/expenses"), params={"status": status})
        response.raise_for_status()
        return [e["id"] for e in response.json()["expenses"]]

    def get_receipts(self, expense_id):
        response = self.get_conn().get(self._url(f"/expenses/{expense_id}/receipts"))
        response.raise_for_status()
        return response.json()

    def set_export_status(self, expense_ids, status):
        response = self.get_conn().put(self._url("/expenses"),
                                       json={"expenseIds": list(expense_ids), "status": status})
        response.raise_for_status()
        return response.status_code

    def test_connection(self):
        try:
            self.get_conn().get(self._url("/health")).raise_for_status()
        except requests.RequestException as err:
            return False, str(err)
        return True, "Connection successfully tested"
