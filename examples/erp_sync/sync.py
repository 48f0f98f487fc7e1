"""The sync itself: read what the ERP needs from Pleo and print the import report.

The report is deterministic (sorted, no timestamps), one section per kind of record, so two
runs over the same data print the same text. A section that fails says so and the others still
run; the exit code is 1 when any section failed.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

import requests

from erp_sync.client import PleoClient, PleoError
from erp_sync.paging import iter_pages

LOOKUP_EXPENSES = 3


def employee_lines(client: PleoClient) -> list[str]:
    rows = client.employees()
    return sorted(f"{e['id']} {e.get('email') or '-'} {e.get('firstName') or ''}" for e in rows)


def account_lines(client: PleoClient) -> list[str]:
    return sorted(f"{account['id']} {account['name']}" for account in client.accounts())


def tag_group_lines(client: PleoClient) -> list[str]:
    groups = client.get("/tag-groups")
    return sorted(f"{group['id']} {group['name']} archived={group['archived']}" for group in groups)


def tax_code_lines(client: PleoClient) -> list[str]:
    codes = client.get("/tax-codes")["taxCodes"]
    return sorted(f"{code['id']} {code['code']} rate={code['rate']}" for code in codes)


def exported_expense_lines(client: PleoClient) -> tuple[list[str], list[str]]:
    lines, ids = [], []
    for expense in iter_pages(client, "/expenses", "expenses", params={"status": "EXPORTED"}):
        amount = expense["amountSettled"]
        lines.append(f"{expense['id']} {amount['value']} {amount['currency']}")
        ids.append(expense["id"])
    return sorted(lines), sorted(ids)[:LOOKUP_EXPENSES]


def expense_detail_lines(client: PleoClient, ids: list[str]) -> list[str]:
    return [f"{expense['id']} note={expense.get('note')!r}" for expense in map(client.expense, ids)]


def balance_lines(client: PleoClient) -> list[str]:
    try:
        balance: dict[str, Any] = client.get("/companies/balance")
    except PleoError as error:
        return [f"unavailable: {error}"]
    return [f"{balance['currency']} available={balance['available']}"]


def section(title: str, lines: list[str]) -> str:
    return "\n".join([f"== {title} ({len(lines)})", *lines])


def guarded(title: str, lines: Callable[[], list[str]]) -> tuple[str, bool]:
    """One section of the report; a failing section is reported, and the run goes on."""
    try:
        return section(title, lines()), True
    except (PleoError, requests.RequestException, KeyError, TypeError, ValueError) as error:
        return f"== {title}: failed ({type(error).__name__}: {error})", False


def main() -> int:
    client = PleoClient()
    exported: list[list[str]] = [[], []]

    def expenses() -> list[str]:
        exported[:] = list(exported_expense_lines(client))
        return exported[0]

    def details() -> list[str]:
        # The ERP asks again about the expenses it is reconciling (or the first exported).
        wanted = [i for i in os.environ.get("ERP_SYNC_EXPENSE_IDS", "").split(",") if i]
        return expense_detail_lines(client, wanted or exported[1])

    sections = [
        guarded("employees", lambda: employee_lines(client)),
        guarded("accounts", lambda: account_lines(client)),
        guarded("tag groups", lambda: tag_group_lines(client)),
        guarded("tax codes", lambda: tax_code_lines(client)),
        guarded("exported expenses", expenses),
        guarded("expense details", details),
        guarded("wallet balance", lambda: balance_lines(client)),
    ]
    print("\n\n".join(text for text, _ok in sections))
    return 0 if all(ok for _text, ok in sections) else 1
