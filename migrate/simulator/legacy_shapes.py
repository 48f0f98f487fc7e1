"""The legacy API's JSON shapes, written from specs/legacy/legacy-openapi.yml.

Legacy conventions: money is `{value, currency}`, timestamps carry milliseconds, nullable
fields are explicit nulls, optional fields that the spec does not mark nullable are left out,
single records are bare objects. Where the spec leaves a unit or an identity open, the answer
follows this run's `Assumptions` (money units, tax-rate unit, account ids).
"""

from __future__ import annotations

import uuid
from typing import Any

from migrate.simulator.assumptions import Assumptions
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

LEGACY_TAX_TYPES = {"inclusive": "NORMAL", "exclusive": "NORMAL", "reverse": "REVERSE"}
_EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
_ACCOUNT_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://openapi.pleo.io/v1/accounts")


def _when(ms: int | None) -> str | None:
    return iso_millis(ms) if ms is not None else None


def _put(body: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        body[key] = value


def receipt_name(row: Receipt) -> str:
    return f"receipt-{row.id[:8]}.{_EXTENSIONS.get(row.mime_type, 'bin')}"


class LegacyShapes:
    """Renders stored records as the legacy API does, under one run's assumptions."""

    def __init__(self, store: Store, assumptions: Assumptions) -> None:
        self.store = store
        self.assumptions = assumptions

    # -- units and identities -----------------------------------------------------------

    def amount(self, minors: int, currency: str) -> int | float:
        return minors if self.assumptions.legacy_minor_units else major(minors, currency)

    def money(self, minors: int, currency: str) -> dict[str, Any]:
        return {"value": self.amount(minors, currency), "currency": currency}

    def account_id(self, stored_id: str | None) -> str | None:
        """The id the legacy API shows for a stored account."""
        if stored_id is None or not self.assumptions.distinct_account_ids:
            return stored_id
        return str(uuid.uuid5(_ACCOUNT_NAMESPACE, stored_id))

    def stored_account_id(self, company_id: str, legacy_id: str) -> str | None:
        """The stored account a legacy account id names, or None."""
        legacy_id = legacy_id.lower()
        if not self.assumptions.distinct_account_ids:
            return legacy_id
        for account in self.store.accounts.rows([company_id]):
            if self.account_id(account.id) == legacy_id:
                return account.id
        return None

    def rate(self, row: TaxCode) -> float:
        return row.rate_bp / 10000 if self.assumptions.legacy_rate_fraction else row.rate_bp / 100

    # -- expenses and receipts ----------------------------------------------------------

    @staticmethod
    def _tag_ids(refs: tuple[TagRef, ...]) -> list[dict[str, str]]:
        return [{"id": ref.tag_id, "tagGroupId": ref.group_id} for ref in refs]

    def _line(self, line: Line, currency: str) -> dict[str, Any]:
        return {
            "amountSettled": self.money(line.settled, currency),
            "accountId": self.account_id(line.account_id),
            "taxCodeId": line.tax_code_id,
            "tagIds": self._tag_ids(line.tags),
        }

    def expense(self, snap: Snapshot, row: Expense) -> dict[str, Any]:
        employee = snap.employees.get(row.employee_id) if row.employee_id else None
        card = row.card
        return {
            "id": row.id,
            "performedAt": iso_millis(row.performed_at),
            "amountOriginal": self.money(row.original, row.original_currency),
            "amountSettled": self.money(row.settled, row.settled_currency),
            "type": row.type,
            "lines": [self._line(line, row.settled_currency) for line in row.lines],
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
            "accountId": self.account_id(row.account_id),
            "taxCodeId": row.tax_code_id,
            "tagIds": self._tag_ids(row.tags),
            "receiptIds": list(row.receipt_ids),
            "settledExpenseIds": list(row.settled_expense_ids),
            "supplier": None if row.supplier is None else {
                "CIF": row.supplier.cif, "documentNumber": row.supplier.document_number,
            },
        }

    @staticmethod
    def receipt(row: Receipt, url: str) -> dict[str, Any]:
        """`size` is in kilobytes (spec), one decimal."""
        return {"id": row.id, "name": receipt_name(row), "url": url,
                "mimeType": row.mime_type, "size": round(row.size / 1024, 1)}

    # -- people -------------------------------------------------------------------------

    @staticmethod
    def employee(row: Employee) -> dict[str, Any]:
        body: dict[str, Any] = {"id": row.id}
        _put(body, "firstName", row.first_name)
        _put(body, "lastName", row.last_name)
        body.update({
            "email": row.email,
            "jobTitle": row.job_title,
            "role": row.role,
            "phone": row.phone,
            "avatar": {"url": row.avatar_url} if row.avatar_url else None,
            "code": row.code,
            "teamId": row.team_id,
        })
        return body

    def team(self, snap: Snapshot, row: Team) -> dict[str, Any]:
        members = [e for e in snap.employees.rows([row.company_id]) if e.team_id == row.id]
        reviewers = [snap.employees.get(i) for i in row.reviewer_ids]
        return {
            "id": row.id,
            "name": row.name,
            "code": row.code,
            "employees": [self.employee(e) for e in members],
            "reviewers": [self.employee(e) for e in reviewers if e is not None],
        }

    # -- tags ---------------------------------------------------------------------------

    def tag_group(self, snap: Snapshot, row: TagGroup) -> dict[str, Any]:
        return {
            "id": row.id,
            "name": row.name,
            "archived": row.archived,
            "tagAttributes": [
                {"id": d.id, "name": d.name, "displayOrder": d.display_order,
                 "hidden": not d.visible}
                for d in self.store.dimensions_of(row, snap.dimensions)
            ],
        }

    @staticmethod
    def tag(row: Tag) -> dict[str, Any]:
        return {
            "id": row.id,
            "tagGroupId": row.group_id,
            "attributeValues": [{"attributeId": d, "value": v} for d, v in row.values],
            "displayOrder": row.display_order,
            "hidden": row.archived,
        }

    # -- tax codes, accounts, groups, balance -------------------------------------------

    def tax_code(self, row: TaxCode) -> dict[str, Any]:
        return {
            "id": row.id,
            "name": row.name,
            "code": row.code,
            "ingoingTaxAccount": row.ingoing_account,
            "outgoingTaxAccount": row.outgoing_account,
            "rate": self.rate(row),
            "type": LEGACY_TAX_TYPES[row.type],
            "enabled": not row.archived,
            "createdAt": iso_millis(row.created_at),
            "updatedAt": iso_millis(row.updated_at),
            "deletedAt": None,  # the store deletes tax codes outright
        }

    def account(self, row: Account) -> dict[str, Any]:
        body: dict[str, Any] = {
            "id": self.account_id(row.id),
            "name": row.name,
            "accountCategoryId": row.category_id,
            "hidden": row.archived,
        }
        _put(body, "accountNumber", row.code)
        tax = self.store.tax_code_by_code(row.company_id, row.tax_code_external_id)
        _put(body, "taxCodeId", tax.id if tax is not None else None)
        return body

    @staticmethod
    def account_group(row: AccountCategory) -> dict[str, Any]:
        return {"id": row.id, "name": row.name, "typeKey": row.type_key, "hidden": row.hidden}

    def account_group_with_accounts(self, snap: Snapshot, row: AccountCategory) -> dict[str, Any]:
        accounts = [a for a in snap.accounts.rows([row.company_id]) if a.category_id == row.id]
        return {**self.account_group(row), "accounts": [self.account(a) for a in accounts]}

    def balance(self, row: Company) -> dict[str, Any]:
        return {
            "currency": row.currency,
            "current": self.amount(row.balance_current, row.currency),
            "available": self.amount(row.balance_available, row.currency),
        }
