"""PLM107 paging: paging that cannot be converted from offsets to cursors is flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, code, rewrite, scan

CASES = [
    pytest.param(
        """
        import requests

        requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        None,
        id="no change: one page of an explicit size",
    ),
    pytest.param(
        """
        import requests


        def tax_codes():
            return {"all": requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]}
        """,
        """
        import requests


        def tax_codes():
            # TODO[pleo-migrate PLM107]: the legacy call returned every record (developers.pleo.io/reference/pleo-deprecated)
            return {"all": requests.get("https://openapi.pleo.io/v1/tax-codes").json()["taxCodes"]}
        """,
        id="a list the legacy API returned whole, in a shape PLM011 does not loop over",
    ),
    pytest.param(
        """
        import requests


        def accounts():
            return requests.get("https://openapi.pleo.io/v1/accounts?pageSize=100000&pageOffset=0").json()["accounts"]
        """,
        """
        import requests


        def accounts():
            # TODO[pleo-migrate PLM107]: pageSize=100000 is above the new API's limit of 1000 per page
            return requests.get("https://openapi.pleo.io/v1/accounts?pageSize=100000&pageOffset=0").json()["accounts"]
        """,
        id="pageSize=100000&pageOffset=0 to get everything at once",
    ),
    pytest.param(
        """
        import requests


        def second_page():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=50&pageOffset=50").json()["employees"]
        """,
        """
        import requests


        def second_page():
            # TODO[pleo-migrate PLM107]: starts at a non-zero pageOffset (developers.pleo.io/reference/pleo-deprecated)
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=50&pageOffset=50").json()["employees"]
        """,
        id="a non-zero starting offset",
    ),
    pytest.param(
        """
        import requests


        def count():
            body = requests.get("https://openapi.pleo.io/v1/employees?pageSize=1").json()
            return body["metadata"]["pageInfo"]["pageSize"]
        """,
        """
        import requests


        def count():
            # TODO[pleo-migrate PLM107]: no metadata.pageInfo.pageSize in the new API
            body = requests.get("https://openapi.pleo.io/v1/employees?pageSize=1").json()
            return body["metadata"]["pageInfo"]["pageSize"]
        """,
        id="legacy paging metadata other than nextPageOffset and totalCount",
    ),
    pytest.param(
        """
        from pleo_sync.client import get


        def walk(path, key):
            offset = 0
            while True:
                body = get(path, pageOffset=offset)
                yield from body[key]
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    return
        """,
        """
        from pleo_sync.client import get


        def walk(path, key):
            offset = 0
            while True:
                body = get(path, pageOffset=offset)
                yield from body[key]
                # TODO[pleo-migrate PLM107]: follows the legacy metadata.pageInfo.nextPageOffset for a request the codemod…
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    return
        """,
        id="nextPageOffset in a helper that gets responses passed in",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_paging(before: str, after: str | None) -> None:
    check(before, after, ["PLM107"])


HELPER = """
import requests

BASE = "https://openapi.pleo.io/v1/"


def fetch(path, offset):
    return requests.get(BASE + path, params={"pageOffset": offset}, timeout=5)


def walk(path, key):
    offset = 0
    while offset is not None:
        body = fetch(path, offset).json()
        yield from body[key]
        offset = body.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
"""


def test_scan_reports_the_paging_the_rewrite_leaves_a_todo_for() -> None:
    """The rewrite flags the `nextPageOffset` read of a request it cannot see; `scan` once
    reported nothing in that function (scan ⊇ rewrite failed): now it is a manual site."""
    read = '        offset = body.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")'
    read_line = code(HELPER).splitlines().index(read) + 1
    after = rewrite(HELPER).splitlines()
    below = [after[n + 1] for n, line in enumerate(after) if "TODO[pleo-migrate PLM107]" in line]
    sites = [site for site in scan(HELPER) if site.status == "paging"]
    assert [(s.line, s.label, s.automatic, [r.rule for r in s.reasons]) for s in sites] == [
        (read_line, "legacy paging", False, ["PLM107"])
    ]
    assert sites[0].reasons[0].message.startswith("follows the legacy metadata.pageInfo")
    assert below == [read]  # the rewrite's one PLM107 TODO is above the line scan reports


def test_paging_of_a_call_left_alone_for_its_path_is_flagged_once_and_plainly() -> None:
    """The call is in sight (a dynamic path, PLM101): its paging read gets one PLM107 TODO that
    does not claim the request cannot be seen."""
    after = rewrite(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"


        def walk(stream):
            offset = 0
            while True:
                body = requests.get(f"{BASE}/{stream}", params={"pageOffset": offset}).json()
                yield from body[stream]
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    break
        """
    )
    todos = [line.strip() for line in after.splitlines() if "PLM107" in line]
    assert todos == [
        "# TODO[pleo-migrate PLM107]: follows the legacy nextPageOffset paging"
    ]  # indented 16 columns: the link does not fit beside the whole reason
