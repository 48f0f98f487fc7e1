"""The new API's JSON shapes, written from the published specs (specs/new/*.yml).

New conventions: money on accounting entries is `{currency, minors}`; export items use
`{currency, value}` with the value in minor units; timestamps are second-precision RFC 3339;
optional fields that are not nullable in the spec are left out rather than sent as null.
"""

from __future__ import annotations

import uuid
from typing import Any

from migrate.simulator.money import iso_seconds
from migrate.simulator.records import (
    Account,
    Company,
    Dimension,
    Employee,
    Expense,
    ExportJob,
    ExportJobItem,
    Receipt,
    Tag,
    TagGroup,
    TagRef,
    TaxCode,
)
from migrate.simulator.store import Snapshot, Store

FAMILIES = {
    "CARD": "CARD_PURCHASE",
    "PERSONAL_TRANSFER": "OUT_OF_POCKET",
    "BILL_INVOICE": "BILL_INVOICE",
    "LOAD": "WALLET",
    "PLEO_INVOICE": "PLEO_INVOICE",
    "MANUAL": "BALANCE_AMENDMENT",
    "MANUAL_TRANSFER": "REIMBURSEMENT",
    # The five newer legacy types (vendored legacy spec); the last three pairings are ours.
    "BILL_INVOICE_PAYMENT": "BILL_INVOICE_PAYMENT",
    "CASHBACK": "CASHBACK",
    "OVERDRAFT_FEE": "OVERDRAFT",
    "OVERDRAFT_INTEREST": "OVERDRAFT",
    "EMPLOYEE_BANK_TRANSFER": "REIMBURSEMENT",
}
JOB_EXPIRY_SECONDS = 3600


def _put(body: dict[str, Any], key: str, value: Any) -> None:
    if value is not None:
        body[key] = value


def minors(amount: int, currency: str) -> dict[str, Any]:
    return {"currency": currency, "minors": amount}


def _tags(refs: tuple[TagRef, ...]) -> list[dict[str, str]]:
    return [{"tagId": ref.tag_id, "tagGroupId": ref.group_id} for ref in refs]


def accounting_entry(snap: Snapshot, row: Expense) -> dict[str, Any]:
    account = snap.accounts.get(row.account_id) if row.account_id else None
    body: dict[str, Any] = {
        "id": row.id,
        "companyId": row.company_id,
        "performedAt": iso_seconds(row.performed_at),
        "transactionValue": minors(row.original, row.original_currency),
        "totalBillValue": minors(row.settled, row.settled_currency),
        "family": FAMILIES[row.type],
        "status": row.payment_status,
        "reviewStatus": row.review_status,
        "exportStatus": row.export_status,
        "tags": _tags(row.tags),
        "splitItems": [],
        "receiptIds": list(row.receipt_ids),
        "attendees": [
            {"id": a.id, "attendableId": a.attendable_id, "attendableType": a.kind}
            for a in row.attendees
        ],
        "createdAt": iso_seconds(row.created_at),
        "updatedAt": iso_seconds(row.updated_at),
    }
    _put(body, "subFamily", row.sub_family)
    _put(body, "employeeId", row.employee_id)
    _put(body, "teamId", row.team_id)
    _put(body, "note", row.note)
    _put(body, "accountId", row.account_id)
    _put(body, "accountCode", account.code if account is not None else None)
    _put(body, "taxCodeId", row.tax_code_id)
    if row.settled_at is not None:
        body["settledAt"] = iso_seconds(row.settled_at)
    if row.bookkeeping_date is not None:
        body["bookkeepingDate"] = iso_seconds(row.bookkeeping_date)
    if row.deleted_at is not None:
        body["deletedAt"] = iso_seconds(row.deleted_at)
    if row.supplier is not None:
        body["supplier"] = {"cif": row.supplier.cif, "documentNumber": row.supplier.document_number}
    for line in row.lines:
        item: dict[str, Any] = {
            "id": line.id,
            "tags": _tags(line.tags),
            "totalBillValue": minors(line.settled, row.settled_currency),
            "transactionValue": minors(line.original, row.original_currency),
            "createdAt": body["createdAt"],
            "updatedAt": body["updatedAt"],
        }
        line_account = snap.accounts.get(line.account_id) if line.account_id else None
        _put(item, "accountId", line.account_id)
        _put(item, "accountCode", line_account.code if line_account is not None else None)
        _put(item, "taxCodeId", line.tax_code_id)
        body["splitItems"].append(item)
    return body


def employee(row: Employee) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": row.id,
        "companyId": row.company_id,
        "email": row.email,
        # Required by the spec; an employee created with only an email has no names yet.
        "firstName": row.first_name or "",
        "lastName": row.last_name or "",
    }
    _put(body, "code", row.code)
    _put(body, "jobTitle", row.job_title)
    _put(body, "phone", row.phone)
    return body


def company(row: Company) -> dict[str, Any]:
    address: dict[str, Any] = {
        "addressLine1": row.address.line1,
        "locality": row.address.locality,
        "postalCode": row.address.postal_code,
        "country": row.address.country,
    }
    _put(address, "addressLine2", row.address.line2)
    _put(address, "region", row.address.region)
    return {
        "id": row.id,
        "name": row.name,
        "organizationId": row.organization_id,
        "registrationNumber": row.registration_number,
        "address": address,
    }


def tag_group(row: TagGroup, tags_count: int | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": row.id,
        "companyId": row.company_id,
        "code": row.code,
        "name": row.name,
        "archived": row.archived,
        "metadata": dict(row.metadata),
        "createdAt": iso_seconds(row.created_at),
        "updatedAt": iso_seconds(row.updated_at),
    }
    _put(body, "totalTagsCount", tags_count)
    return body


def dimension(row: Dimension, *, with_group: bool = True) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": row.id,
        "code": row.code,
        "name": row.name,
        "displayOrder": row.display_order,
        "visible": row.visible,
        "createdAt": iso_seconds(row.created_at),
        "updatedAt": iso_seconds(row.updated_at),
    }
    if with_group:
        body["groupId"] = row.group_id
    return body


def aggregated_tag_group(store: Store, snap: Snapshot, row: TagGroup) -> dict[str, Any]:
    body = tag_group(row)
    del body["metadata"]
    body["dimensions"] = [
        dimension(d, with_group=False) for d in store.dimensions_of(row, snap.dimensions)
    ]
    return body


def tag(row: Tag) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": row.id,
        "groupId": row.group_id,
        "code": row.code,
        "archived": row.archived,
        "createdAt": iso_seconds(row.created_at),
        "updatedAt": iso_seconds(row.updated_at),
    }
    _put(body, "name", row.name)
    return body


def tag_dimension_values(row: Tag) -> list[dict[str, Any]]:
    return [
        {"tagId": row.id, "dimensionId": dimension_id, "value": value,
         "createdAt": iso_seconds(row.created_at), "updatedAt": iso_seconds(row.updated_at)}
        for dimension_id, value in row.values
    ]


def tax_code(row: TaxCode) -> dict[str, Any]:
    return {
        "id": row.id,
        "companyId": row.company_id,
        "name": row.name,
        "code": row.code,
        "rate": row.rate_bp / 10000,  # a fraction: 0.25
        "type": row.type,
        "archived": row.archived,
        "ingoingTaxAccount": row.ingoing_account,
        "outgoingTaxAccount": row.outgoing_account,
        "accountingIntegrationSystem": row.integration_system,
        "createdAt": iso_seconds(row.created_at),
        "updatedAt": iso_seconds(row.updated_at),
    }


def account(row: Account) -> dict[str, Any]:
    return {
        "id": row.id,
        "companyId": row.company_id,
        "externalId": row.external_id,
        "code": row.code,
        "name": row.name,
        "archived": row.archived,
        "taxCodeExternalId": row.tax_code_external_id,
        "metadata": dict(row.metadata) if row.metadata is not None else None,
    }


def export_job(row: ExportJob, now_ms: int) -> dict[str, Any]:
    running = row.status in ("pending", "in_progress")
    idle = (now_ms - row.last_updated_at) // 1000
    body: dict[str, Any] = {
        "id": row.id,
        "companyId": row.company_id,
        "status": row.status,
        "createdAt": iso_seconds(row.created_at),
        "lastUpdatedAt": iso_seconds(row.last_updated_at),
        "startedAt": iso_seconds(row.started_at) if row.started_at else None,
        "completedAt": iso_seconds(row.completed_at) if row.completed_at else None,
        "expiredAt": None,
        # Seconds left before the job expires, counted from its last action: changes over time.
        "expiresIn": max(0, JOB_EXPIRY_SECONDS - idle) if running else 0,
        "failureReason": row.failure_reason,
        "isInteractive": row.is_interactive,
        "createdBy": row.created_by,
        "numberOfItems": len(row.entry_ids),
        "vendorBasedBookkeeping": row.vendor_based_bookkeeping,
    }
    _put(body, "failureReasonType", row.failure_reason_type)
    return body


def export_job_item(row: ExportJobItem) -> dict[str, Any]:
    body: dict[str, Any] = {
        "accountingEntryId": row.entry_id,
        "exportJobId": row.job_id,
        "status": row.status,
        "exportedAt": iso_seconds(row.exported_at) if row.exported_at else None,
        "externalId": row.external_id,
        "externalUrl": row.external_url,
        "failureReason": row.failure_reason,
    }
    _put(body, "failureReasonType", row.failure_reason_type)
    return body


def _money_model(amount: int, currency: str) -> dict[str, Any]:
    return {"currency": currency, "value": amount}


def export_item(
    store: Store, snap: Snapshot, row: Expense, file_url: Any, base_url: str
) -> dict[str, Any]:
    """An accounting entry prepared for export (ExportItemV3), amounts in minor units."""
    entry = accounting_entry(snap, row)
    account_rows = {a.id: a for a in snap.accounts.rows([row.company_id])}
    tax_rows = {t.id: t for t in snap.tax_codes.rows([row.company_id])}
    tag_rows = {t.id: t for t in snap.tags.rows([row.company_id])}
    groups = {g.id: g for g in snap.tag_groups.rows([row.company_id])}

    def line(line_id: str, settled: int, original: int, account_id: str | None,
             tax_code_id: str | None, refs: tuple[TagRef, ...]) -> dict[str, Any]:
        amount = {
            "inSupplierCurrency": _money_model(original, row.original_currency),
            "inWalletCurrency": _money_model(settled, row.settled_currency),
        }
        body: dict[str, Any] = {
            "accountingEntryLineId": line_id, "lineAmount": amount, "netAmount": amount,
        }
        account = account_rows.get(account_id or "")
        if account is not None:
            body["account"] = {"id": account.id, "name": account.name, "code": account.code,
                               "identifier": account.external_id}
        tax = tax_rows.get(tax_code_id or "")
        if tax is not None:
            tax_part = settled * tax.rate_bp // (10000 + tax.rate_bp)
            tax_orig = original * tax.rate_bp // (10000 + tax.rate_bp)
            body["tax"] = {
                "id": tax.id, "code": tax.code, "rate": tax.rate_bp / 10000, "type": tax.type,
                "amount": {
                    "inSupplierCurrency": _money_model(tax_orig, row.original_currency),
                    "inWalletCurrency": _money_model(tax_part, row.settled_currency),
                },
            }
        tags = []
        for ref in refs:
            tag_row, group = tag_rows.get(ref.tag_id), groups.get(ref.group_id)
            if tag_row is not None and group is not None:
                tags.append({"id": tag_row.id, "code": tag_row.code, "groupCode": group.code})
        body["tags"] = tags
        return body

    if row.lines:
        lines = [line(x.id, x.settled, x.original, x.account_id, x.tax_code_id, x.tags)
                 for x in row.lines]
    else:
        lines = [line(row.id, row.settled, row.original, row.account_id, row.tax_code_id,
                      row.tags)]
    item: dict[str, Any] = {
        "_links": {"api": {"accountingEntry": f"{base_url}/v1/accounting-entries/{row.id}"}},
        "accountingEntryId": row.id,
        "accountingEntryLines": lines,
        "additionalInformation": {"reconciliationId": f"R-{row.seq}", "attendees": None},
        "amount": {
            "inSupplierCurrency": _money_model(row.original, row.original_currency),
            "inWalletCurrency": _money_model(row.settled, row.settled_currency),
        },
        "companyId": row.company_id,
        "date": entry["performedAt"],
        "type": entry["family"],
        "note": row.note,
        "files": [
            {"url": file_url(receipt.id), "type": receipt.mime_type, "size": receipt.size}
            for receipt in (snap.receipts.get(i) for i in row.receipt_ids)
            if receipt is not None
        ],
    }
    if row.sub_family is not None:
        item["subType"] = row.sub_family
    employee_row = snap.employees.get(row.employee_id) if row.employee_id else None
    if employee_row is not None:
        name = " ".join(p for p in (employee_row.first_name, employee_row.last_name) if p)
        item["user"] = {"id": employee_row.id, "name": name or employee_row.email,
                        "code": employee_row.code}
    team_row = snap.teams.get(row.team_id) if row.team_id else None
    if team_row is not None:
        item["team"] = {"id": team_row.id, "name": team_row.name, "code": team_row.code}
    return item


def receipt(row: Receipt, url: str, file_type: str) -> dict[str, Any]:
    """ReceiptModel of the accounting-entries spec; `source` is ours (nothing stores it)."""
    return {
        "id": row.id,
        "accountingEntryId": row.expense_id,
        "createdAt": iso_seconds(row.created_at),
        "fileType": file_type,
        "mimeType": row.mime_type,
        "sizeInBytes": row.size,
        "source": "USER",
        "url": url,
    }


INSTALLATION_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://external.pleo.io/v1/installations")
STANDALONE_KEY_APPLICATION = str(uuid.uuid5(INSTALLATION_NAMESPACE, "standalone-api-key"))


def installation(resource: str, created_ms: int) -> dict[str, Any]:
    """InstallationResponse for a credential's resource (`urn:pleo:company:<uuid>`)."""
    stamp = iso_seconds(created_ms)
    return {
        "id": str(uuid.uuid5(INSTALLATION_NAMESPACE, resource)),
        "applicationId": STANDALONE_KEY_APPLICATION,
        "resource": resource,
        "status": "ACTIVATED",
        "metadata": {},
        "createdAt": stamp,
        "updatedAt": stamp,
    }
