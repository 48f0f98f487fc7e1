"""Poll Pleo for expenses waiting to be exported, hand them to the ledger, mark them done.

Runs as a long-lived container (`python export_poller.py`); `run(rounds=...)` is used by
the tests and the one-shot cron variant.
"""

import logging
import os
import time

import requests

LOG = logging.getLogger("export-poller")
OPENAPI = "https://openapi.pleo.io"
POLL_SECONDS = int(os.environ.get("POLL_SECONDS", "60"))


def _session():
    session = requests.Session()
    session.headers["Authorization"] = "Bearer " + os.environ["POLLER_PLEO_TOKEN"]
    session.headers["User-Agent"] = "export-poller/2.3"
    return session


def poll_once(session=None, batch=50):
    """Ids of the QUEUED expenses (one page), oldest first."""
    session = session or _session()
    resp = session.get(OPENAPI + "/v1/expenses", params={"status": "QUEUED", "pageSize": batch})
    resp.raise_for_status()
    items = resp.json()["expenses"]
    items.sort(key=lambda e: (e["performedAt"], e["id"]))
    return [e["id"] for e in items]


def mark(session, expense_ids, status):
    resp = session.put(OPENAPI + "/v1/expenses",
                       json={"expenseIds": list(expense_ids), "status": status})
    resp.raise_for_status()
    return len(expense_ids)


def run(rounds=None, interval=POLL_SECONDS, batch=5):
    session = _session()
    done, seen = 0, 0
    while rounds is None or seen < rounds:
        seen += 1
        ids = poll_once(session, batch)
        if not ids:
            LOG.info("nothing queued")
        else:
            mark(session, ids, "EXPORTING")
            done += mark(session, ids, "EXPORTED")
        time.sleep(interval)
    return done


def queued_after_run(rounds=2):
    run(rounds=rounds, interval=0)
    return len(poll_once(batch=100))


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    run()
