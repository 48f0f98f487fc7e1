"""The hold-out corpus (issue 12, generalisation): what the harness calls in each module of
`tests/codemod/holdout/`, and which legacy operations each call uses.

These modules were written from the legacy spec and common client habits, without reading the
codemod or the main corpus, so that their figures say how the codemod does on code it was not
built beside. Same `CorpusModule`/`Call` types as `corpus_manifest` (same meaning); a hold-out
module only lives in another folder. Ops are named by hand from each module's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.codemod.corpus_manifest import LEGACY_TOKEN, Call, CorpusModule

HOLDOUT_DIR = Path(__file__).resolve().parent / "holdout"


@dataclass(frozen=True)
class HoldoutModule(CorpusModule):
    """A corpus module kept in `tests/codemod/holdout/` instead of `corpus/`."""

    @property
    def path(self) -> Path:
        return HOLDOUT_DIR / self.file


HOLDOUT: tuple[CorpusModule, ...] = (
    HoldoutModule(
        "retry_session.py",
        factory="PleoApiSession",
        env={"PLEO_SECRET": LEGACY_TOKEN},
        calls=(
            Call("people", ("employees.list",)),
            Call("person", ("employees.get",), ("@employee",)),
            Call("account", ("accounts.get",), ("@account",)),
            Call("vat_rates", ("tax-codes.list",)),
            Call("team", ("teams.get",), ("@team",)),
        ),
    ),
    HoldoutModule(
        "config_dataclass.py",
        env={"PLEO_ACCESS_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("queued_expense_ids", ("expenses.list",)),
            Call("expense_receipts", ("expense-receipts.list",), ("@expense",)),
            Call("account_names", ("accounts.list",)),
            Call("amount_of", ("expenses.get",), ("@expense",)),
        ),
    ),
    HoldoutModule(
        "partial_get.py",
        env={"PLEO_KEY": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
            Call("tag_group_names", ("tag-groups.list",)),
            Call("tags_in", ("tags.list",), ("@tag_group",)),
            Call("team_sizes", ("teams.list",)),
            Call("new_tag_group", ("tag-groups.create",), ("Cost centres 2027",)),
        ),
    ),
    HoldoutModule(
        "httpx_hooks.py",
        factory="PleoReader",
        env={"PLEO_READ_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("expenses", ("expenses.list",),
                 ("2020-01-01T00:00:00.000Z", "2030-12-31T23:59:59.999Z")),
            Call("expense_note", ("expenses.get",), ("@expense",)),
            Call("tag", ("tags.get",), ("@tag_group", "@tag")),
            Call("tag_group", ("tag-groups.get",), ("@tag_group",)),
            Call("account_groups", ("account-groups.list",)),
        ),
    ),
    HoldoutModule(
        "async_gather.py",
        env={"PLEO_LEGACY_API_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("employees_by_id", ("employees.get",), (["@employee"],)),
            Call("expenses_by_id", ("expenses.get",), (["@expense", "@expense2"],)),
            Call("tags_per_group", ("tag-groups.list", "tags.list")),
            Call("wallet", ("companies.balance",)),
        ),
    ),
    HoldoutModule(
        "argparse_cli.py",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("main", ("employees.list",), (["employees"],), name="main_employees"),
            Call("main", ("tax-codes.list",), (["tax-codes", "--page-size", "5"],),
                 name="main_tax_codes"),
            Call("main", ("accounts.list",), (["accounts"],), name="main_accounts"),
            Call("main", ("teams.list",), (["teams"],), name="main_teams"),
            Call("main", ("companies.balance",), (["balance"],), name="main_balance"),
        ),
    ),
    HoldoutModule(
        "airflow_hook.py",
        factory="PleoHook",
        env={"AIRFLOW_CONN_PLEO_DEFAULT_PASSWORD": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("get_expenses", ("expenses.list",)),
            Call("get_receipts", ("expense-receipts.list",), ("@expense",)),
            Call("set_export_status", ("expenses.update-export-status",),
                 (["@expense", "@expense2"], "EXPORTING")),
            Call("get_expenses", ("expenses.list",), ("EXPORTING",), name="get_exporting"),
            Call("test_connection", ("health.get",)),
        ),
    ),
    HoldoutModule(
        "paginate_generator.py",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("all_employees", ("employees.list",)),
            Call("all_accounts", ("accounts.list",)),
            Call("all_tax_codes", ("tax-codes.list",)),
            Call("exported_expenses", ("expenses.list",)),
            Call("team_names", ("teams.list",)),
        ),
    ),
    HoldoutModule(
        "resource_classes.py",
        env={"PLEO_OPENAPI_KEY": LEGACY_TOKEN},
        calls=(
            Call("directory", ("employees.list",)),
            Call("employee_team", ("employees.get",), ("@employee",)),
            Call("tax_code_name", ("tax-codes.get",), ("@tax_code",)),
            Call("hidden_accounts", ("accounts.list",)),
            Call("tag_group", ("tag-groups.get",), ("@tag_group",)),
            Call("team_codes", ("teams.list",)),
        ),
    ),
    HoldoutModule(
        "json_config_file.py",
        factory="TagSync",
        env={"ENV": "environment"},
        writes=True,
        calls=(
            Call("group", ("tag-groups.get",), ("@tag_group",)),
            Call("add_tag", ("tag-groups.get", "tags.create"), ("@tag_group", ["A-1", "B-1"])),
            Call("hide_tag", ("tags.update",), ("@tag_group", "@tag")),
            Call("rename_team", ("teams.update",), ("@team", "Finance & Ops")),
        ),
    ),
    HoldoutModule(
        "urljoin_script.py",
        env={"PLEO_AUDIT_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("expense_summary", ("expenses.get",), ("@expense",)),
            Call("expense_receipt_count", ("expense-receipts.list",), ("@expense",)),
            Call("employee_of", ("employees.get",), ("@employee",)),
            Call("expense_comments", ("invented:GET /expenses/{expenseId}/comments",),
                 ("@expense",)),
            Call("audit", ("expenses.get",), (["@expense", "@expense2"],)),
        ),
    ),
)


HOLDOUT = (
    *HOLDOUT,
    HoldoutModule(
        "auth_class.py",
        factory="PleoConnector",
        env={"ERP_PLEO_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("chart_of_accounts", ("accounts.list",)),
            Call("account_group_ids", ("accounts.list",)),
            Call("rename_account", ("accounts.update",), ("@account", "Travel (EU)")),
            Call("new_account", ("accounts.create",), ("4711", "Conference fees")),
            Call("tag_group_archived", ("tag-groups.get",), ("@tag_group",)),
        ),
    ),
    HoldoutModule(
        "csv_export.py",
        env={"DWH_PLEO_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("export_csv", ("expenses.list",), ("2025-06-01T00:00:00.000Z",)),
            Call("one_expense_csv", ("expenses.get",), ("@expense",)),
            Call("receipt_names", ("expense-receipts.list",), ("@expense",)),
        ),
    ),
    # Already on the new API: both strategies must leave it byte-identical.
    HoldoutModule(
        "new_api_functions.py",
        negative=True,
        env={"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id",
             "PLEO_ENV": "environment"},
        calls=(
            Call("employee_emails", ()),
            Call("tag_group_name", (), ("@tag_group",)),
            Call("tax_code_codes", ()),
            Call("employee", (), ("@employee",)),
        ),
    ),
)


def by_name(name: str) -> CorpusModule:
    return next(m for m in HOLDOUT if m.name == name)
