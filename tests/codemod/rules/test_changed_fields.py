"""PLM109 changed_fields: record fields that change, read in the calling module, are flagged."""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import check, rewrite, scan

CASES = [
    pytest.param(
        """
        import requests


        def names():
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["firstName"] for e in employees]
        """,
        None,
        id="no change: only fields that stay the same",
    ),
    pytest.param(
        """
        import requests


        def owners():
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["email"] for e in employees if e["role"] == "owner"]
        """,
        """
        import requests


        def owners():
            # TODO[pleo-migrate PLM109]: `role` (line 6) has no new-API equivalent: no legacy-field function
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["email"] for e in employees if e["role"] == "owner"]
        """,
        id="a field the new API drops",
    ),
    pytest.param(
        """
        import requests


        def amounts(expense_id):
            expense = requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}").json()
            return expense["amountOriginal"]["value"], expense.get("cardTransaction")
        """,
        """
        import requests


        def amounts(expense_id):
            # TODO[pleo-migrate PLM109]: `cardTransaction` (line 6) is gone on the new API: no legacy-field function
            expense = requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}").json()
            return expense["amountOriginal"]["value"], expense.get("cardTransaction")
        """,
        id="renamed and converted fields, nested objects",
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_changed_fields(before: str, after: str | None) -> None:
    check(before, after, ["PLM109"])


NOTE = (
    "# TODO[pleo-migrate PLM109]: employees.list: returns new-API records: callers reading "
    "`role`, `avatar` … must change"
)
NOTE_DEEP = NOTE.replace("`role`, `avatar`", "`role`")  # indented 8: one field name fewer fits
# The call is rewritten (with the rules that move it), and its records leave the function.
LEAVING = [
    pytest.param(
        """
        import requests


        def employees():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
        """,
        f"""
        import requests


        def employees():
            {NOTE}
            return requests.get("https://external.pleo.io/v2/employees?limit=10").json()["data"]
        """,
        id="returned",
    ),
    pytest.param(
        """
        import requests


        def every_employee():
            offset = 0
            while True:
                body = requests.get("https://openapi.pleo.io/v1/employees", params={"pageSize": 100, "pageOffset": offset}).json()
                for employee in body["employees"]:
                    yield employee
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    break
        """,
        f"""
        import requests


        def every_employee():
            offset = None
            while True:
                {NOTE_DEEP}
                body = requests.get("https://external.pleo.io/v2/employees", params={{"limit": 100, "after": offset}}).json()
                for employee in body["data"]:
                    yield employee
                offset = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
                if offset is None:
                    break
        """,
        id="yielded one by one from a paging loop",
    ),
    pytest.param(
        """
        import requests


        def collect():
            found = []
            found.extend(requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"])
            return found
        """,
        f"""
        import requests


        def collect():
            found = []
            {NOTE}
            found.extend(requests.get("https://external.pleo.io/v2/employees?limit=10").json()["data"])
            return found
        """,
        id="kept in a list that is returned",
    ),
    pytest.param(
        """
        import requests


        def store(db):
            db.save(requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"])
        """,
        f"""
        import requests


        def store(db):
            {NOTE}
            db.save(requests.get("https://external.pleo.io/v2/employees?limit=10").json()["data"])
        """,
        id="passed on",
    ),
    pytest.param(
        """
        import requests


        def count():
            return len(requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"])
        """,
        """
        import requests


        def count():
            return len(requests.get("https://external.pleo.io/v2/employees?limit=10").json()["data"])
        """,
        id="no note: only counted",
    ),
    pytest.param(
        """
        import requests


        def emails():
            employees = requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]
            return [e["email"] for e in employees]
        """,
        """
        import requests


        def emails():
            employees = requests.get("https://external.pleo.io/v2/employees?limit=10").json()["data"]
            return [e["email"] for e in employees]
        """,
        id="no note: only unchanged fields leave",
    ),
]


@pytest.mark.parametrize(("before", "after"), LEAVING)
def test_new_shape_records_that_leave_are_noted(before: str, after: str) -> None:
    check(before, after, ["PLM002", "PLM005", "PLM006", "PLM007", "PLM109"])


def test_scan_notes_carry_every_changed_field_of_an_automatic_site() -> None:
    [site] = scan(LEAVING[0].values[0])  # type: ignore[arg-type]
    assert site.automatic and not site.reasons
    [note] = site.notes
    assert note.rule == "PLM109"
    assert note.message.startswith("GET /v1/employees (employees.list) returns new-API records")
    assert note.message.endswith(
        "every field that changes: `role` has no equivalent, `avatar` has no equivalent, "
        "`teamId` has no equivalent"
    )


def test_a_call_that_waits_keeps_no_note() -> None:
    """The note goes with the call's edits: a call that waits for a base shared with a call
    that stays legacy (a flow) says nothing about records it does not change. (A wrapper
    instance's base: a module constant would be split, and the call would move.)"""
    after = rewrite(
        """
        import requests


        class Pleo:
            def __init__(self):
                self.base = "https://openapi.pleo.io/v1"

            def employees(self):
                return requests.get(self.base + "/employees?pageSize=10").json()["employees"]

            def tag_groups(self):
                return requests.get(self.base + "/tag-groups?archived=true").json()
        """
    )
    assert "PLM109" not in after and "PLM103" in after and "waits for line" in after


def test_a_call_that_moves_beside_a_gap_is_noted() -> None:
    """A gap does not hold a call with its own host back: that call moves, with its note."""
    after = rewrite(
        """
        import requests


        def employees():
            return requests.get("https://openapi.pleo.io/v1/employees?pageSize=10").json()["employees"]


        def teams():
            return requests.get("https://openapi.pleo.io/v1/teams").json()["teams"]
        """
    )
    assert "PLM109]: employees.list: returns new-API records" in after and "PLM102" in after
