"""The second hold-out corpus (issue 12, generalisation): what the harness calls in each
module of `tests/codemod/holdout2/`, and which legacy operations each call uses.

Written from the legacy spec and common client habits, without reading the codemod, the main
corpus or the first hold-out (which has been used to tune the codemod since). Same
`CorpusModule`/`Call` types as `corpus_manifest` (same meaning); a module here only lives in
another folder. Ops are named by hand from each module's code and the legacy spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.codemod.corpus_manifest import LEGACY_TOKEN, Call, CorpusModule

HOLDOUT2_DIR = Path(__file__).resolve().parent / "holdout2"


@dataclass(frozen=True)
class Holdout2Module(CorpusModule):
    """A corpus module kept in `tests/codemod/holdout2/`."""

    @property
    def path(self) -> Path:
        return HOLDOUT2_DIR / self.file


_EXPENSE_EVENT = {"type": "expense.created", "expenseId": "@expense"}

HOLDOUT2: tuple[CorpusModule, ...] = (
    Holdout2Module(
        "webhook_sync.py",
        env={"PLEO_WEBHOOK_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("handle_event", ("expenses.get", "expense-receipts.list"), (_EXPENSE_EVENT,)),
            Call("fetch_expense", ("expenses.get",), ("@expense",)),
            Call("fetch_receipts", ("expense-receipts.list",), ("@expense2",)),
        ),
    ),
    Holdout2Module(
        "flow_tasks.py",
        env={"PLEO_FLOW_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("extract_employees", ("employees.list",)),
            Call("extract_teams", ("teams.list",)),
            Call("extract_team", ("teams.get",), ("@team",)),
            Call("nightly_flow", ("employees.list", "teams.list")),
        ),
    ),
    Holdout2Module(
        "protocol_gateway.py",
        factory="make_source",
        env={"PLEO_LEDGER_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("tax_codes", ("tax-codes.list",)),
            Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
            Call("accounts", ("accounts.list",)),
            Call("account", ("accounts.get",), ("@account",)),
        ),
    ),
    Holdout2Module(
        "mounted_session.py",
        factory="PeopleDirectory",
        env={"PLEO_DIRECTORY_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("people", ("employees.list",)),
            Call("person", ("employees.get",), ("@employee",)),
            Call("teams", ("teams.list",)),
            Call("team_members", ("teams.get",), ("@team",)),
        ),
    ),
    Holdout2Module(
        "httpx_auth_flow.py",
        factory="TagCatalogue",
        env={"PLEO_TAGS_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("group_names", ("tag-groups.list",)),
            Call("group", ("tag-groups.get",), ("@tag_group",)),
            Call("tag_labels", ("tags.list",), ("@tag_group",)),
            Call("tag", ("tags.get",), ("@tag_group", "@tag")),
        ),
    ),
    Holdout2Module(
        "async_semaphore.py",
        env={"PLEO_BULK_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("expenses", ("expenses.get",), (["@expense", "@expense2"],)),
            Call("expense_totals", ("expenses.get",), (["@expense", "@expense2"],)),
            Call("employees", ("employees.get",), (["@employee"],)),
            Call("account_names", ("accounts.list",)),
        ),
    ),
    Holdout2Module(
        "etl_expenses.py",
        factory="PleoExpenseETL",
        env={"PLEO_ETL_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("run", ("expenses.list",)),
            Call("employee_ids", ("employees.list",)),
        ),
    ),
    Holdout2Module(
        "format_urls.py",
        env={"PLEO_ARCHIVE_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("get_expense", ("expenses.get",), ("@expense",)),
            Call("receipt_names", ("expense-receipts.list",), ("@expense2",)),
            Call("first_receipt", ("expense-receipts.list", "expense-receipts.get"),
                 ("@expense2",)),
            Call("submitter", ("expenses.get", "employees.get"), ("@expense2",)),
            Call("archive_manifest", ("invented:GET /expenses/{expenseId}/archive-manifest",),
                 ("@expense",)),
        ),
    ),
    Holdout2Module(
        "retry_decorator.py",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("tax_codes", ("tax-codes.list",)),
            Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
            Call("balance", ("companies.balance",)),
            Call("account_group_names", ("account-groups.list",)),
        ),
    ),
    Holdout2Module(
        "resource_sync.py",
        env={"PLEO_SYNC_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("sync_all", ("employees.list", "teams.list", "accounts.list", "tax-codes.list",
                              "tag-groups.list")),
            Call("sync", ("employees.list",), ("employees",), name="sync_employees"),
            Call("sync", ("tax-codes.list",), ("tax_codes",), name="sync_tax_codes"),
            Call("describe", ("accounts.list",), ("accounts",), name="describe_accounts"),
            Call("describe", ("tag-groups.list",), ("tag_groups",), name="describe_tag_groups"),
        ),
    ),
    Holdout2Module(
        "expense_report_csv.py",
        env={"PLEO_REPORT_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("report_csv", ("employees.list", "expenses.list")),
            Call("employees_by_id", ("employees.list",)),
        ),
    ),
    Holdout2Module(
        "tag_admin.py",
        factory="TagAdmin",
        env={"PLEO_ADMIN_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("create_group", ("tag-groups.create",), ("Projects 2027", ["Code", "Name"])),
            Call("add_tag", ("tag-groups.get", "tags.create"), ("@tag_group", ["X-1", "Extra"])),
            Call("hide_tag", ("tags.update",), ("@tag_group", "@tag")),
            Call("rename_group", ("tag-groups.update",), ("@tag_group", "Cost centre (new)")),
            Call("archive_group", ("tag-groups.update",), ("@tag_group",)),
        ),
    ),
    Holdout2Module(
        "export_status.py",
        env={"PLEO_EXPORT_TOKEN": LEGACY_TOKEN, "PLEO_ENVIRONMENT": "environment"},
        writes=True,
        calls=(
            Call("queued_expense_ids", ("expenses.list",)),
            Call("run_export", ("expenses.update-export-status", "expenses.get"),
                 (["@expense"],)),
            Call("exported_count", ("expenses.list",)),
        ),
    ),
    Holdout2Module(
        "typed_records.py",
        env={"PLEO_TYPED_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("list_employees", ("employees.list",)),
            Call("employee", ("employees.get",), ("@employee",)),
            Call("job_titles", ("employees.list",)),
            Call("team", ("teams.get",), ("@team",)),
            Call("update_job_title", ("employees.get", "employees.update"),
                 ("@employee", "Controller")),
        ),
    ),
    Holdout2Module(
        "response_cache.py",
        factory="PleoCache",
        env={"PLEO_CACHE_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("expense_notes", ("expenses.list",)),
            Call("expense_currency", ("expenses.get",), ("@expense",)),
            Call("expense_receipt_ids", ("expenses.get",), ("@expense2",)),
            Call("tax_code_names", ("tax-codes.list",)),
            Call("tag_group_ids", ("tag-groups.list",)),
        ),
    ),
    Holdout2Module(
        "new_api_reader.py",
        factory="PleoExternalReader",
        negative=True,
        env={"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id"},
        calls=(
            Call("employees", ()),
            Call("tag_groups", ()),
            Call("tax_codes", ()),
            Call("company_name", ()),
        ),
    ),
)


def by_name(name: str) -> CorpusModule:
    return next(m for m in HOLDOUT2 if m.name == name)
