"""The one stateful store both simulated APIs read and write.

Writes are domain operations (create an employee, queue expenses for export, …) so a change
made through one API is what the other API reads. Each raises `SimError` with an HTTP status
and a new-API error type; each app turns that into its own error body.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from migrate.simulator.records import (
    Account,
    AccountCategory,
    Company,
    Dimension,
    Employee,
    Expense,
    ExportJob,
    ExportJobItem,
    Organization,
    Receipt,
    Tag,
    TagGroup,
    TaxCode,
    Team,
)
from migrate.simulator.table import R, Table, TableView

EXPORT_STATUSES = ("NOT_EXPORTED", "QUEUED", "EXPORTING", "EXPORTED")


class SimError(Exception):
    """A request the store refuses: `status` is the HTTP status, `code` the new-API type."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def not_found(what: str, ident: str) -> SimError:
    return SimError(404, "NOT_FOUND", f"{what} {ident} not found")


def new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Snapshot:
    """What one request reads: every table, possibly as it was `lag` seconds ago."""

    companies: TableView[Company]
    employees: TableView[Employee]
    teams: TableView[Team]
    tag_groups: TableView[TagGroup]
    dimensions: TableView[Dimension]
    tags: TableView[Tag]
    tax_codes: TableView[TaxCode]
    account_categories: TableView[AccountCategory]
    accounts: TableView[Account]
    expenses: TableView[Expense]
    receipts: TableView[Receipt]
    export_jobs: TableView[ExportJob]
    export_items: TableView[ExportJobItem]


class Store:
    """All records of one simulated organisation, guarded by one lock."""

    def __init__(self, clock: Callable[[], float] = time.time) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.organization = Organization(id="", name="")
        self.companies: Table[Company] = self._table()
        self.employees: Table[Employee] = self._table()
        self.teams: Table[Team] = self._table()
        self.tag_groups: Table[TagGroup] = self._table()
        self.dimensions: Table[Dimension] = self._table()
        self.tags: Table[Tag] = self._table()
        self.tax_codes: Table[TaxCode] = self._table()
        self.account_categories: Table[AccountCategory] = self._table()
        self.accounts: Table[Account] = self._table()
        self.expenses: Table[Expense] = self._table()
        self.receipts: Table[Receipt] = self._table()
        self.export_jobs: Table[ExportJob] = self._table()
        self.export_items: Table[ExportJobItem] = self._table()
        self.tag_usage: Counter[str] = Counter()
        self.account_usage: Counter[str] = Counter()
        self.tax_code_usage: Counter[str] = Counter()

    def _table(self) -> Table[Any]:
        return Table(self.lock, self.clock)

    # -- reading ------------------------------------------------------------------------

    def now_ms(self) -> int:
        return int(self.clock() * 1000)

    def set_lag(self, seconds: float) -> None:
        """Keep enough history to serve views `seconds` old (export jobs never lag)."""
        for table in self._lagged_tables():
            table.keep_history_seconds = seconds

    def _lagged_tables(self) -> list[Table[Any]]:
        return [
            self.companies, self.employees, self.teams, self.tag_groups, self.dimensions,
            self.tags, self.tax_codes, self.account_categories, self.accounts, self.expenses,
            self.receipts,
        ]

    def snapshot(self, lag_seconds: float = 0.0) -> Snapshot:
        cutoff = self.clock() - lag_seconds if lag_seconds > 0 else None
        return Snapshot(
            companies=self.companies.view(cutoff),
            employees=self.employees.view(cutoff),
            teams=self.teams.view(cutoff),
            tag_groups=self.tag_groups.view(cutoff),
            dimensions=self.dimensions.view(cutoff),
            tags=self.tags.view(cutoff),
            tax_codes=self.tax_codes.view(cutoff),
            account_categories=self.account_categories.view(cutoff),
            accounts=self.accounts.view(cutoff),
            expenses=self.expenses.view(cutoff),
            receipts=self.receipts.view(cutoff),
            export_jobs=self.export_jobs.view(None),
            export_items=self.export_items.view(None),
        )

    def company_ids(self) -> list[str]:
        return [c.id for c in self.companies.rows()]

    def first_company(self) -> Company:
        return self.companies.rows()[0]

    def dimensions_of(self, group: TagGroup, view: TableView[Dimension] | None = None) -> list[
        Dimension
    ]:
        source = view if view is not None else self.dimensions.view(None)
        rows = [d for d in source.rows([group.company_id]) if d.group_id == group.id]
        return sorted(rows, key=lambda d: (d.display_order, d.seq))

    # -- employees and teams ------------------------------------------------------------

    def create_employee(self, company_id: str, fields: Mapping[str, Any]) -> Employee:
        with self.lock:
            email = str(fields["email"])
            if any(e.email.lower() == email.lower() for e in self.employees.rows([company_id])):
                raise SimError(409, "CONFLICT", f"an employee with email {email} already exists")
            now = self.now_ms()
            employee = Employee(
                id=new_id(), company_id=company_id, seq=self.employees.next_seq(), email=email,
                first_name=fields.get("first_name"), last_name=fields.get("last_name"),
                job_title=fields.get("job_title"), role=fields.get("role") or "member",
                phone=fields.get("phone"), avatar_url=None, code=fields.get("code"),
                team_id=fields.get("team_id"), created_at=now, updated_at=now,
            )
            self.employees.put(employee)
            return employee

    def update_employee(self, employee_id: str, changes: Mapping[str, Any]) -> Employee:
        with self.lock:
            employee = self._get(self.employees, "employee", employee_id)
            if "email" in changes and changes["email"] != employee.email:
                clash = any(
                    e.email.lower() == str(changes["email"]).lower() and e.id != employee.id
                    for e in self.employees.rows([employee.company_id])
                )
                if clash:
                    raise SimError(409, "CONFLICT", "another employee has that email")
            updated = employee._replace(**changes, updated_at=self.now_ms())
            self.employees.put(updated)
            return updated

    def delete_employee(self, employee_id: str) -> None:
        with self.lock:
            self._get(self.employees, "employee", employee_id)
            self.employees.delete(employee_id)

    def create_team(self, company_id: str, name: str, code: str | None) -> Team:
        with self.lock:
            team = Team(
                id=new_id(), company_id=company_id, seq=self.teams.next_seq(), name=name,
                code=code, reviewer_ids=(),
            )
            self.teams.put(team)
            return team

    def update_team(self, team_id: str, changes: Mapping[str, Any]) -> Team:
        with self.lock:
            updated = self._get(self.teams, "team", team_id)._replace(**changes)
            self.teams.put(updated)
            return updated

    def delete_team(self, team_id: str) -> None:
        """Delete a team; its members stay, without a team."""
        with self.lock:
            team = self._get(self.teams, "team", team_id)
            now = self.now_ms()
            for employee in self.employees.rows([team.company_id]):
                if employee.team_id == team_id:
                    self.employees.put(employee._replace(team_id=None, updated_at=now))
            self.teams.delete(team_id)

    def set_team(self, employee_id: str, team_id: str | None) -> Employee:
        """Move an employee into a team, or out of every team with None."""
        with self.lock:
            employee = self._get(self.employees, "employee", employee_id)
            updated = employee._replace(team_id=team_id, updated_at=self.now_ms())
            self.employees.put(updated)
            return updated

    def unique_tag_code(self, group: TagGroup, wanted: str) -> str:
        """`wanted`, or `wanted_2`, `wanted_3`, … whichever is free in the group."""
        with self.lock:
            taken = {t.code for t in self.tags.rows([group.company_id])
                     if t.group_id == group.id}
            code, n = wanted, 2
            while code in taken:
                code, n = f"{wanted}_{n}", n + 1
            return code

    # -- tag groups, dimensions and tags ------------------------------------------------

    def create_tag_group(
        self,
        company_id: str,
        *,
        name: str,
        code: str,
        archived: bool = False,
        metadata: Iterable[tuple[str, str]] = (),
        dimensions: Iterable[Mapping[str, Any]] = (),
    ) -> TagGroup:
        with self.lock:
            self._unique_group_code(company_id, code, None)
            now = self.now_ms()
            group = TagGroup(
                id=new_id(), company_id=company_id, seq=self.tag_groups.next_seq(), code=code,
                name=name, archived=archived, metadata=tuple(metadata), created_at=now,
                updated_at=now,
            )
            self.tag_groups.put(group)
            for spec in dimensions:
                self.add_dimension(group, spec)
            return group

    def _unique_group_code(self, company_id: str, code: str, own_id: str | None) -> None:
        for group in self.tag_groups.rows([company_id]):
            if group.code == code and group.id != own_id:
                raise SimError(409, "CONFLICT", f"a tag group with code {code!r} already exists")

    def add_dimension(self, group: TagGroup, spec: Mapping[str, Any]) -> Dimension:
        with self.lock:
            existing = self.dimensions_of(group)
            order = spec.get("display_order")
            if order is None:
                order = max((d.display_order for d in existing), default=0) + 1
            now = self.now_ms()
            name = str(spec["name"])
            dimension = Dimension(
                id=new_id(), company_id=group.company_id, seq=self.dimensions.next_seq(),
                group_id=group.id, code=str(spec.get("code") or code_from_name(name)),
                name=name, display_order=int(order), visible=bool(spec.get("visible", True)),
                created_at=now, updated_at=now,
            )
            self.dimensions.put(dimension)
            return dimension

    def update_dimension(self, dimension_id: str, changes: Mapping[str, Any]) -> Dimension:
        with self.lock:
            dimension = self._get(self.dimensions, "dimension", dimension_id)
            updated = dimension._replace(**changes, updated_at=self.now_ms())
            self.dimensions.put(updated)
            return updated

    def delete_dimension(self, dimension_id: str) -> None:
        """Drop a dimension and every tag's value for it (the values have no column left)."""
        with self.lock:
            dimension = self._get(self.dimensions, "dimension", dimension_id)
            for tag in self.tags.rows([dimension.company_id]):
                if tag.group_id == dimension.group_id and any(
                    d == dimension_id for d, _ in tag.values
                ):
                    kept = tuple((d, v) for d, v in tag.values if d != dimension_id)
                    self.tags.put(tag._replace(values=kept, updated_at=self.now_ms()))
            self.dimensions.delete(dimension_id)

    def update_tag_group(self, group_id: str, changes: Mapping[str, Any]) -> TagGroup:
        with self.lock:
            group = self._get(self.tag_groups, "tag group", group_id)
            if "code" in changes:
                self._unique_group_code(group.company_id, str(changes["code"]), group.id)
            updated = group._replace(**changes, updated_at=self.now_ms())
            self.tag_groups.put(updated)
            return updated

    def delete_tag_group(self, group_id: str) -> None:
        with self.lock:
            group = self._get(self.tag_groups, "tag group", group_id)
            tags = [t for t in self.tags.rows([group.company_id]) if t.group_id == group_id]
            if any(self.tag_usage[t.id] for t in tags):
                raise SimError(409, "CONFLICT", "tags of this group are used by expenses")
            for tag in tags:
                self.tags.delete(tag.id)
            for dimension in self.dimensions_of(group):
                self.dimensions.delete(dimension.id)
            self.tag_groups.delete(group_id)

    def create_tag(
        self,
        group_id: str,
        *,
        code: str,
        name: str | None,
        archived: bool,
        values: Mapping[str, str],
        display_order: int | None = None,
    ) -> Tag:
        with self.lock:
            group = self._get(self.tag_groups, "tag group", group_id)
            self._unique_tag_code(group, code, None)
            now = self.now_ms()
            tag = Tag(
                id=new_id(), company_id=group.company_id, seq=self.tags.next_seq(),
                group_id=group.id, code=code, name=name, archived=archived,
                values=tuple(values.items()), created_at=now, updated_at=now,
                display_order=display_order,
            )
            self.tags.put(tag)
            return tag

    def _unique_tag_code(self, group: TagGroup, code: str, own_id: str | None) -> None:
        for tag in self.tags.rows([group.company_id]):
            if tag.group_id == group.id and tag.code == code and tag.id != own_id:
                raise SimError(409, "CONFLICT", f"a tag with code {code!r} already exists")

    def update_tag(
        self, tag_id: str, changes: Mapping[str, Any], values: Mapping[str, str] | None = None
    ) -> Tag:
        with self.lock:
            tag = self._get(self.tags, "tag", tag_id)
            if "code" in changes:
                group = self._get(self.tag_groups, "tag group", tag.group_id)
                self._unique_tag_code(group, str(changes["code"]), tag.id)
            merged = dict(tag.values)
            merged.update(values or {})
            updated = tag._replace(
                **changes, values=tuple(merged.items()), updated_at=self.now_ms()
            )
            self.tags.put(updated)
            return updated

    def delete_tag_value(self, tag_id: str, dimension_id: str) -> Tag:
        with self.lock:
            tag = self._get(self.tags, "tag", tag_id)
            kept = tuple((d, v) for d, v in tag.values if d != dimension_id)
            updated = tag._replace(values=kept, updated_at=self.now_ms())
            self.tags.put(updated)
            return updated

    def delete_tag(self, tag_id: str) -> None:
        with self.lock:
            self._get(self.tags, "tag", tag_id)
            if self.tag_usage[tag_id]:
                raise SimError(409, "CONFLICT", "the tag is used by expenses; archive it instead")
            self.tags.delete(tag_id)

    # -- tax codes, accounts, account categories ----------------------------------------

    def create_tax_code(self, company_id: str, fields: Mapping[str, Any]) -> TaxCode:
        with self.lock:
            now = self.now_ms()
            tax_code = TaxCode(
                id=new_id(), company_id=company_id, seq=self.tax_codes.next_seq(),
                name=fields["name"], code=fields.get("code"), rate_bp=int(fields["rate_bp"]),
                type=fields["type"], archived=bool(fields.get("archived", False)),
                ingoing_account=fields.get("ingoing_account"),
                outgoing_account=fields.get("outgoing_account"),
                integration_system=fields.get("integration_system"),
                created_at=now, updated_at=now,
            )
            self.tax_codes.put(tax_code)
            return tax_code

    def update_tax_code(self, tax_code_id: str, changes: Mapping[str, Any]) -> TaxCode:
        with self.lock:
            tax_code = self._get(self.tax_codes, "tax code", tax_code_id)
            updated = tax_code._replace(**changes, updated_at=self.now_ms())
            self.tax_codes.put(updated)
            return updated

    def delete_tax_code(self, tax_code_id: str) -> None:
        with self.lock:
            tax_code = self._get(self.tax_codes, "tax code", tax_code_id)
            linked = tax_code.code is not None and any(
                a.tax_code_external_id == tax_code.code
                for a in self.accounts.rows([tax_code.company_id])
            )
            if self.tax_code_usage[tax_code_id] or linked:
                raise SimError(409, "CONFLICT", "the tax code is in use; archive it instead")
            self.tax_codes.delete(tax_code_id)

    def tax_code_by_code(self, company_id: str, code: str | None) -> TaxCode | None:
        if code is None:
            return None
        for tax_code in self.tax_codes.rows([company_id]):
            if tax_code.code == code:
                return tax_code
        return None

    def create_account(self, company_id: str, fields: Mapping[str, Any]) -> tuple[Account, bool]:
        """Create an account; returns (account, created). An identical one is matched, not
        duplicated; the same externalId with other values is a conflict (as the spec says)."""
        with self.lock:
            external_id = str(fields["external_id"])
            for account in self.accounts.rows([company_id]):
                if account.external_id == external_id:
                    same = all(getattr(account, k) == v for k, v in fields.items())
                    if same:
                        return account, False
                    raise SimError(
                        409, "CONFLICT", f"an account with externalId {external_id!r} exists"
                    )
            now = self.now_ms()
            account = Account(
                id=new_id(), company_id=company_id, seq=self.accounts.next_seq(),
                name=fields["name"], code=fields.get("code"),
                archived=bool(fields.get("archived", False)),
                category_id=fields.get("category_id") or self.fallback_category(company_id),
                external_id=external_id,
                tax_code_external_id=fields.get("tax_code_external_id"),
                metadata=fields.get("metadata"), created_at=now, updated_at=now,
            )
            self.accounts.put(account)
            return account, True

    def update_account(self, account_id: str, changes: Mapping[str, Any]) -> Account:
        with self.lock:
            account = self._get(self.accounts, "account", account_id)
            updated = account._replace(**changes, updated_at=self.now_ms())
            self.accounts.put(updated)
            return updated

    def delete_account(self, account_id: str) -> None:
        with self.lock:
            self._get(self.accounts, "account", account_id)
            if self.account_usage[account_id]:
                raise SimError(
                    409, "CONFLICT",
                    "the account is linked to accounting entries; archive it instead",
                )
            self.accounts.delete(account_id)

    def fallback_category(self, company_id: str) -> str:
        """The group an ungrouped account joins: the company's no_suitable_category group,
        created when missing (our assumption: a legacy account always has a group)."""
        with self.lock:
            for category in self.account_categories.rows([company_id]):
                if category.type_key == "no_suitable_category":
                    return category.id
            return self.create_account_category(
                company_id, "Uncategorised", "no_suitable_category", True
            ).id

    def create_account_category(
        self, company_id: str, name: str, type_key: str, hidden: bool
    ) -> AccountCategory:
        with self.lock:
            category = AccountCategory(
                id=new_id(), company_id=company_id, seq=self.account_categories.next_seq(),
                name=name, type_key=type_key, hidden=hidden,
            )
            self.account_categories.put(category)
            return category

    def update_account_category(
        self, category_id: str, changes: Mapping[str, Any]
    ) -> AccountCategory:
        with self.lock:
            category = self._get(self.account_categories, "account category", category_id)
            updated = category._replace(**changes)
            self.account_categories.put(updated)
            return updated

    def delete_account_category(self, category_id: str) -> None:
        with self.lock:
            category = self._get(self.account_categories, "account category", category_id)
            if any(a.category_id == category_id for a in self.accounts.rows([category.company_id])):
                raise SimError(409, "CONFLICT", "accounts still belong to this category")
            self.account_categories.delete(category_id)

    # -- expenses and export ------------------------------------------------------------

    def add_expense(self, expense: Expense) -> None:
        """Insert an expense (seeding helpers and tests); keeps usage counters right."""
        with self.lock:
            self.expenses.put(expense)
            count_usage(self, expense)

    def set_export_status(self, company_id: str, ids: Collection[str], status: str) -> None:
        """The legacy `PUT /expenses`: all or nothing."""
        with self.lock:
            rows = []
            for expense_id in ids:
                expense = self.expenses.get(expense_id)
                if expense is None or expense.company_id != company_id:
                    raise not_found("expense", expense_id)
                rows.append(expense)
            now = self.now_ms()
            for expense in rows:
                self.expenses.put(expense._replace(export_status=status, updated_at=now))

    def _set_entry_status(self, entry_id: str, status: str) -> None:
        expense = self.expenses.get(entry_id)
        if expense is not None and expense.export_status != status:
            self.expenses.put(expense._replace(export_status=status, updated_at=self.now_ms()))

    def create_export_job(
        self,
        company_id: str,
        entry_ids: Iterable[str],
        *,
        created_by: str | None,
        interactive: bool,
        vendor_based: bool,
    ) -> ExportJob:
        with self.lock:
            for job in self.export_jobs.rows([company_id]):
                if job.status in ("pending", "in_progress"):
                    raise SimError(
                        409, "EXPORT_ALREADY_IN_PROGRESS",
                        "Export Job already in progress for this company.",
                    )
            ids = list(dict.fromkeys(entry_ids))
            for entry_id in ids:
                expense = self.expenses.get(entry_id)
                if expense is None or expense.company_id != company_id:
                    raise SimError(
                        400, "VALIDATION_FAILED",
                        f"accounting entry {entry_id} does not exist in company {company_id}",
                    )
            now = self.now_ms()
            job = ExportJob(
                id=new_id(), company_id=company_id, seq=self.export_jobs.next_seq(),
                status="pending", created_at=now, last_updated_at=now, started_at=None,
                completed_at=None, failure_reason=None, failure_reason_type=None,
                is_interactive=interactive, created_by=created_by,
                vendor_based_bookkeeping=vendor_based, entry_ids=tuple(ids),
            )
            self.export_jobs.put(job)
            for entry_id in ids:
                self.export_items.put(
                    ExportJobItem(
                        id=f"{job.id}/{entry_id}", company_id=company_id,
                        seq=self.export_items.next_seq(), job_id=job.id, entry_id=entry_id,
                        status="pending", exported_at=None, external_id=None,
                        external_url=None, failure_reason=None, failure_reason_type=None,
                    )
                )
                self._set_entry_status(entry_id, "QUEUED")
            return job

    def job_items(self, job: ExportJob) -> list[ExportJobItem]:
        return [i for i in self.export_items.rows([job.company_id]) if i.job_id == job.id]

    def export_job_event(
        self, job_id: str, event: str, reason: str | None, reason_type: str | None
    ) -> ExportJob:
        allowed = {
            "started": ({"pending"}, "in_progress"),
            "failed": ({"pending", "in_progress"}, "failed"),
            "completed": ({"in_progress"}, "completed"),
            "completed_with_errors": ({"in_progress"}, "completed_with_errors"),
        }
        with self.lock:
            job = self.export_jobs.get(job_id)
            if job is None:
                raise SimError(404, "EXPORT_NOT_FOUND", "Export job not found.")
            sources, target = allowed[event]
            if job.status not in sources:
                raise SimError(
                    422, "INVALID_EXPORT_JOB_STATUS_CHANGE",
                    f"Export Job status change failed: {job.status} cannot become {target}",
                )
            now = self.now_ms()
            finished = target != "in_progress"
            updated = job._replace(
                status=target, last_updated_at=now,
                started_at=now if target == "in_progress" else job.started_at,
                completed_at=now if finished else None,
                failure_reason=reason if target == "failed" else None,
                failure_reason_type=reason_type if target == "failed" else None,
            )
            self.export_jobs.put(updated)
            if finished:
                for item in self.job_items(job):
                    if item.status in ("pending", "in_progress"):
                        self.export_items.put(item._replace(status="abandoned"))
                        self._set_entry_status(item.entry_id, "NOT_EXPORTED")
            return updated

    def update_export_items(
        self, job_id: str, updates: Sequence[Mapping[str, Any]]
    ) -> tuple[list[ExportJobItem], list[tuple[str, str, str]]]:
        """Apply item updates; returns (updated items, errors as (entry id, type, message))."""
        entry_status = {
            "pending": "QUEUED", "in_progress": "EXPORTING", "successful": "EXPORTED",
            "failed": "NOT_EXPORTED", "abandoned": "NOT_EXPORTED",
        }
        with self.lock:
            job = self.export_jobs.get(job_id)
            if job is None:
                raise SimError(404, "EXPORT_NOT_FOUND", "Export job not found.")
            if len(updates) > 100:
                raise SimError(
                    413, "EXPORT_JOB_ITEMS_UPDATE_LIMIT",
                    "Number of items to update is more than 100.",
                )
            if job.status not in ("pending", "in_progress"):
                raise SimError(422, "EXPORT_JOB_STATUS_UNPROCESSABLE", "Export job is finished.")
            done: list[ExportJobItem] = []
            errors: list[tuple[str, str, str]] = []
            for update in updates:
                entry_id = str(update["accountingEntryId"])
                item = self.export_items.get(f"{job_id}/{entry_id}")
                if item is None:
                    errors.append((
                        entry_id, "ACCOUNTING_ENTRY_DOES_NOT_EXIST",
                        "The accounting entry is not part of this export job.",
                    ))
                    continue
                status = str(update["status"])
                new_item = item._replace(
                    status=status,
                    exported_at=update.get("exportedAt", item.exported_at),
                    external_id=update.get("externalId", item.external_id),
                    external_url=update.get("externalUrl", item.external_url),
                    failure_reason=update.get("failureReason", item.failure_reason),
                    failure_reason_type=update.get("failureReasonType", item.failure_reason_type),
                )
                self.export_items.put(new_item)
                self._set_entry_status(entry_id, entry_status[status])
                done.append(new_item)
            self.export_jobs.put(job._replace(last_updated_at=self.now_ms()))
            return done, errors

    # -- helpers -------------------------------------------------------------------------

    @staticmethod
    def _get(table: Table[R], what: str, row_id: str) -> R:
        row = table.get(row_id)
        if row is None:
            raise not_found(what, row_id)
        return row


def count_usage(store: Store, expense: Expense) -> None:
    """Count which tags, accounts and tax codes an expense uses (they then resist deletion)."""
    for ref in expense.tags:
        store.tag_usage[ref.tag_id] += 1
    if expense.account_id:
        store.account_usage[expense.account_id] += 1
    if expense.tax_code_id:
        store.tax_code_usage[expense.tax_code_id] += 1
    for line in expense.lines:
        for ref in line.tags:
            store.tag_usage[ref.tag_id] += 1
        if line.account_id:
            store.account_usage[line.account_id] += 1
        if line.tax_code_id:
            store.tax_code_usage[line.tax_code_id] += 1


def code_from_name(name: str) -> str:
    """A code derived from a name, upper snake case: "Cost centre 2" → "COST_CENTRE_2"."""
    out = []
    for char in name.strip().upper():
        out.append(char if char.isascii() and char.isalnum() else "_")
    code = "_".join(part for part in "".join(out).split("_") if part)
    return code or "CODE"
