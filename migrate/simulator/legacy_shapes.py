"""The legacy API's JSON shapes, written from pleo-apis.md §1.1 and our documented assumptions.

Legacy conventions: money is `{value, currency}` in major units, timestamps carry milliseconds,
absent values are explicit nulls, single records are bare objects.
"""

from __future__ import annotations

from typing import Any

from migrate.simulator.money import iso_millis, major
from migrate.simulator.records import (
    Account,
    AccountCategory,
    Company,
    Employee,
    Expense,
    Line,
    Receipt,
    Tag,
    TagGroup,
    TagRef,
    TaxCode,
    Team,
)
from migrate.simulator.store import Snapshot, Store


def money(minors: int, currency: str) -> dict[str, Any]:
    return {"value": major(minors, currency), "currency": currency}


def _when(ms: int | None) -> str | None:
    return iso_millis(ms) if ms is not None else None


def _tag_ids(refs: tuple[TagRef, ...]) -> list[dict[str, str]]:
    return [{"id": ref.tag_id, "tagGroupId": ref.group_id} for ref in refs]


def _line(line: Line, currency: str) -> dict[str, Any]:
    return {
        "amountSettled": money(line.settled, currency),
        "accountId": line.account_id,
        "taxCodeId": line.tax_code_id,
        "tagIds": _tag_ids(line.tags),
    }


def expense(snap: Snapshot, row: Expense) -> dict[str, Any]:
    employee = snap.employees.get(row.employee_id) if row.employee_id else None
    card = row.card
    return {
        "id": row.id,
        "performedAt": iso_millis(row.performed_at),
        "amountOriginal": money(row.original, row.original_currency),
        "amountSettled": money(row.settled, row.settled_currency),
        "type": row.type,
        "lines": [_line(line, row.settled_currency) for line in row.lines],
        "status": row.export_status,
        "createdAt": iso_millis(row.created_at),
        "updatedAt": iso_millis(row.updated_at),
        "deletedAt": _when(row.deleted_at),
        "employeeId": row.employee_id,
        "employeeCode": employee.code if employee is not None else None,
        "departmentId": row.team_id,
        "note": row.note,
        "cardTransaction": None if card is None else {
            "state": card.state,
            "merchant": {"id": card.merchant_id, "name": card.merchant_name},
            "authorizedAt": _when(card.authorized_at),
            "settledAt": _when(card.settled_at),
            "reversedAt": _when(card.reversed_at),
        },
        "accountId": row.account_id,
        "taxCodeId": row.tax_code_id,
        "tagIds": _tag_ids(row.tags),
        "receiptIds": list(row.receipt_ids),
        "settledExpenseIds": list(row.settled_expense_ids),
        "supplier": None if row.supplier is None else {
            "CIF": row.supplier.cif, "documentNumber": row.supplier.document_number,
        },
    }


def receipt(row: Receipt, url: str) -> dict[str, Any]:
    return {
        "id": row.id,
        "expenseId": row.expense_id,
        "url": url,
        "mimeType": row.mime_type,
        "sizeInBytes": row.size,
        "createdAt": iso_millis(row.created_at),
    }


def employee(row: Employee) -> dict[str, Any]:
    return {
        "id": row.id,
        "firstName": row.first_name,
        "lastName": row.last_name,
        "email": row.email,
        "jobTitle": row.job_title,
        "role": row.role,
        "phone": row.phone,
        "avatar": {"url": row.avatar_url} if row.avatar_url else None,
        "code": row.code,
        "teamId": row.team_id,
    }


def team(snap: Snapshot, row: Team) -> dict[str, Any]:
    members = [e for e in snap.employees.rows([row.company_id]) if e.team_id == row.id]
    reviewers = [snap.employees.get(i) for i in row.reviewer_ids]
    return {
        "id": row.id,
        "name": row.name,
        "code": row.code,
        "employees": [employee(e) for e in members],
        "reviewers": [employee(e) for e in reviewers if e is not None],
    }


def tag_group(store: Store, snap: Snapshot, row: TagGroup) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "archived": row.archived,
        "tagAttributes": [
            {"id": d.id, "name": d.name, "displayOrder": d.display_order, "hidden": not d.visible}
            for d in store.dimensions_of(row, snap.dimensions)
        ],
    }


def tag(row: Tag) -> dict[str, Any]:
    return {
        "id": row.id,
        "tagGroupId": row.group_id,
        "code": row.code,
        "name": row.name,
        "hidden": row.archived,
        "attributeValues": [{"attributeId": d, "value": v} for d, v in row.values],
    }


def tax_code(row: TaxCode) -> dict[str, Any]:
    return {
        "id": row.id,
        "name": row.name,
        "code": row.code,
        "ingoingTaxAccount": row.ingoing_account,
        "outgoingTaxAccount": row.outgoing_account,
        "rate": row.rate_bp / 100,  # a percent: 25.0 (our documented assumption)
        "type": row.type,
        "enabled": not row.archived,
        "createdAt": iso_millis(row.created_at),
        "updatedAt": iso_millis(row.updated_at),
    }


def account(store: Store, row: Account) -> dict[str, Any]:
    tax = store.tax_code_by_code(row.company_id, row.tax_code_external_id)
    return {
        "id": row.id,
        "name": row.name,
        "accountCategoryId": row.category_id,
        "hidden": row.archived,
        "accountNumber": row.code,
        "taxCodeId": tax.id if tax is not None else None,
    }


def account_category(row: AccountCategory) -> dict[str, Any]:
    return {"id": row.id, "name": row.name, "typeKey": row.type_key, "hidden": row.hidden}


def balance(row: Company) -> dict[str, Any]:
    return {
        "currency": row.currency,
        "current": major(row.balance_current, row.currency),
        "available": major(row.balance_available, row.currency),
    }
