"""The simulator's stored records: one neutral shape per resource, shared by both APIs.

Records are named tuples (immutable, and cheap enough to build 100,000 expenses in a few
seconds): an update stores a new record under the same id, so a reader never sees a
half-written one and the `lag` drift profile can keep the previous version for the new API.
Money is integer minor units plus a currency; instants are epoch milliseconds. Every record
carries `id`, `company_id` and `seq` (its insertion position, which fixes the paging order).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple


class Organization(NamedTuple):
    id: str
    name: str


class Address(NamedTuple):
    line1: str
    line2: str | None
    locality: str
    region: str | None
    postal_code: str
    country: str


class Company(NamedTuple):
    id: str
    company_id: str  # itself, so companies fit the same table as everything else
    seq: int
    organization_id: str
    name: str
    registration_number: str
    currency: str
    address: Address
    balance_current: int
    balance_available: int


class Employee(NamedTuple):
    id: str
    company_id: str
    seq: int
    email: str
    first_name: str | None
    last_name: str | None
    job_title: str | None
    role: str
    phone: str | None
    avatar_url: str | None
    code: str | None
    team_id: str | None
    created_at: int
    updated_at: int


class Team(NamedTuple):
    id: str
    company_id: str
    seq: int
    name: str
    code: str | None
    reviewer_ids: tuple[str, ...]


class TagGroup(NamedTuple):
    id: str
    company_id: str
    seq: int
    code: str
    name: str
    archived: bool
    metadata: tuple[tuple[str, str], ...]
    created_at: int
    updated_at: int


class Dimension(NamedTuple):
    """A tag-group column beyond name and code: legacy `tagAttributes[]`, new `dimensions[]`."""

    id: str
    company_id: str
    seq: int
    group_id: str
    code: str
    name: str
    display_order: int
    visible: bool
    created_at: int
    updated_at: int


class Tag(NamedTuple):
    id: str
    company_id: str
    seq: int
    group_id: str
    code: str
    name: str | None
    archived: bool
    values: tuple[tuple[str, str], ...]  # (dimension id, value)
    created_at: int
    updated_at: int
    display_order: int | None = None  # legacy only: the new API's tags have no order


class TaxCode(NamedTuple):
    id: str
    company_id: str
    seq: int
    name: str
    code: str | None
    rate_bp: int  # basis points: 2500 is 25 % (legacy 25.0, new 0.25)
    type: str  # inclusive | exclusive | reverse
    archived: bool
    ingoing_account: str | None
    outgoing_account: str | None
    integration_system: str | None
    created_at: int
    updated_at: int


class AccountCategory(NamedTuple):
    id: str
    company_id: str
    seq: int
    name: str
    type_key: str
    hidden: bool


class Account(NamedTuple):
    id: str
    company_id: str
    seq: int
    name: str
    code: str | None  # legacy accountNumber
    archived: bool  # legacy hidden
    category_id: str | None
    external_id: str
    tax_code_external_id: str | None  # the tax code's ERP code, never its Pleo id
    metadata: Mapping[str, Any] | None
    created_at: int
    updated_at: int


class TagRef(NamedTuple):
    tag_id: str
    group_id: str


class Line(NamedTuple):
    id: str
    settled: int  # minor units, company currency
    original: int  # minor units, transaction currency
    account_id: str | None
    tax_code_id: str | None
    tags: tuple[TagRef, ...]


class CardTransaction(NamedTuple):
    state: str
    merchant_id: str
    merchant_name: str
    authorized_at: int | None
    settled_at: int | None
    reversed_at: int | None


class Supplier(NamedTuple):
    cif: str
    document_number: str


class Attendee(NamedTuple):
    id: str
    kind: str  # EMPLOYEE | CONTACT
    attendable_id: str


class Expense(NamedTuple):
    """A legacy expense and a new accounting entry are two views of this one record."""

    id: str
    company_id: str
    seq: int
    employee_id: str | None
    team_id: str | None
    type: str  # legacy type (CARD, PERSONAL_TRANSFER, …)
    sub_family: str | None
    performed_at: int
    original: int
    original_currency: str
    settled: int
    settled_currency: str
    note: str | None
    account_id: str | None
    tax_code_id: str | None
    tags: tuple[TagRef, ...]
    receipt_ids: tuple[str, ...]
    settled_expense_ids: tuple[str, ...]
    supplier: Supplier | None
    card: CardTransaction | None
    lines: tuple[Line, ...]
    export_status: str  # NOT_EXPORTED | QUEUED | EXPORTING | EXPORTED
    review_status: str
    payment_status: str
    bookkeeping_date: int | None
    attendees: tuple[Attendee, ...]
    created_at: int
    updated_at: int
    deleted_at: int | None

    @property
    def settled_at(self) -> int | None:
        # Only card purchases settle in the legacy view (cardTransaction.settledAt), so the new
        # view's settledAt follows the same rule and the two agree.
        return self.card.settled_at if self.card is not None else None


class Receipt(NamedTuple):
    id: str
    company_id: str
    seq: int
    expense_id: str
    mime_type: str
    size: int
    created_at: int


class ExportJob(NamedTuple):
    id: str
    company_id: str
    seq: int
    status: str  # pending | in_progress | failed | completed | completed_with_errors
    created_at: int
    last_updated_at: int
    started_at: int | None
    completed_at: int | None
    failure_reason: str | None
    failure_reason_type: str | None
    is_interactive: bool
    created_by: str | None
    vendor_based_bookkeeping: bool
    entry_ids: tuple[str, ...]


class ExportJobItem(NamedTuple):
    id: str  # "<job id>/<entry id>"
    company_id: str
    seq: int
    job_id: str
    entry_id: str
    status: str  # pending | in_progress | failed | successful | abandoned
    exported_at: int | None
    external_id: str | None
    external_url: str | None
    failure_reason: str | None
    failure_reason_type: str | None
