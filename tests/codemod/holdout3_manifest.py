"""The third hold-out corpus (issue 12, generalisation): what the harness calls in each module
of `tests/codemod/holdout3/`, and which legacy operations each call uses.

Written blind: from the legacy spec, Pleo's reference notes and the habits of ordinary client
code (Django commands, task decorators, argparse tools, repositories, thread pools, notebooks,
generator pipelines, context managers, enums, urlencode, json.loads on bodies, NamedTuples,
async httpx, tokens from functions and files), without reading the codemod, its rule notes or
the earlier corpora, which have been used to tune the codemod. Same `CorpusModule`/`Call`
types as `corpus_manifest` (same meaning); ops are named by hand from each module's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.codemod.corpus_manifest import LEGACY_TOKEN, Call, CorpusModule

HOLDOUT3_DIR = Path(__file__).resolve().parent / "holdout3"


@dataclass(frozen=True)
class Holdout3Module(CorpusModule):
    """A corpus module kept in `tests/codemod/holdout3/`."""

    @property
    def path(self) -> Path:
        return HOLDOUT3_DIR / self.file


HOLDOUT3: tuple[CorpusModule, ...] = (
    Holdout3Module(
        "sync_people_command.py",
        factory="Command",
        env={"PLEO_HR_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("directory_rows", ("employees.list",)),
            Call("team_rows", ("teams.list",)),
            Call("handle", ("employees.list", "teams.list"), kwargs={"dry_run": True}),
            Call("handle", ("teams.list",), kwargs={"only": "teams"}, name="handle_teams"),
        ),
    ),
    Holdout3Module(
        "expense_tasks.py",
        env={"PLEO_WORKER_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("sync_tax_codes", ("tax-codes.list",)),
            Call("refresh_expense", ("expenses.get",), ("@expense",)),
            Call("sync_accounts", ("accounts.list",)),
            Call("enqueue", ("expenses.get",), ("pleo.refresh_expense", "@expense2"),
                 name="enqueue_refresh"),
        ),
    ),
    Holdout3Module(
        "pleoctl.py",
        env={"PLEOCTL_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("main", ("employees.list",), (["employees", "list"],), name="employees_list"),
            Call("main", ("employees.get",), (["employees", "show", "@employee"],),
                 name="employees_show"),
            Call("main", ("tag-groups.get", "tags.list"), (["tags", "@tag_group"],),
                 name="tags"),
            Call("main", ("invented:GET /cards",), (["cards"],), name="cards"),
        ),
    ),
    Holdout3Module(
        "expense_repository.py",
        factory="make_repository",
        env={"PLEO_BOOKS_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("get", ("expenses.get",), ("@expense",)),
            Call("list", ("expenses.list",)),
            Call("list", ("expenses.list",), kwargs={"status": "EXPORTED"},
                 name="list_exported"),
            Call("mark", ("expenses.get", "expenses.update-export-status"),
                 ("@expense", "EXPORTED")),
        ),
    ),
    Holdout3Module(
        "threaded_lookup.py",
        env={"PLEO_LOOKUP_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("employees_by_id", ("employees.get",), (["@employee"],)),
            Call("expense_amounts", ("expenses.get",), (["@expense", "@expense2"],)),
            Call("all_employee_codes", ("employees.list", "employees.get")),
        ),
    ),
    Holdout3Module(
        "tag_notebook.py",
        env={"PLEO_NOTEBOOK_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("group_overview", ("tag-groups.list",)),
            Call("value_counts", ("tags.list",), ("@tag_group",)),
            Call("first_tag", ("tags.list", "tags.get"), ("@tag_group",)),
        ),
    ),
    Holdout3Module(
        "expense_pipeline.py",
        env={"PLEO_DWH_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("expense_rows", ("expenses.list",)),
            Call("totals_by_currency", ("expenses.list",)),
            Call("employee_emails", ("employees.list",)),
        ),
    ),
    Holdout3Module(
        "team_context.py",
        env={"PLEO_TEAMS_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("team_names", ("teams.list",)),
            Call("team_reviewers", ("teams.get",), ("@team",)),
            Call("account_label", ("accounts.get",), ("@account",)),
        ),
    ),
    Holdout3Module(
        "env_settings.py",
        env={"PLEO_SETTINGS_TOKEN": LEGACY_TOKEN, "PLEO_ENVIRONMENT": "environment"},
        calls=(
            Call("account_groups", ("account-groups.list",)),
            Call("balance", ("companies.balance",)),
            Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
            Call("disabled_tax_codes", ("tax-codes.list",)),
            Call("summary", ("account-groups.list", "companies.balance")),
        ),
    ),
    Holdout3Module(
        "expense_query.py",
        env={"PLEO_CLOSE_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("open_card_expenses", ("expenses.list",)),
            Call("expenses_for_account", ("expenses.list",), ("@account",)),
            Call("expenses_for_account", ("expenses.list",), ("@account",),
                 {"exported": False}, name="unexported_for_account"),
            Call("accounts_page", ("accounts.list",)),
        ),
    ),
    Holdout3Module(
        "typed_tax_records.py",
        env={"PLEO_VAT_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("tax_codes", ("tax-codes.list",)),
            Call("rate_of", ("tax-codes.get",), ("@tax_code",)),
            Call("receipts", ("expense-receipts.list",), ("@expense2",)),
            Call("person", ("employees.get",), ("@employee",)),
        ),
    ),
    Holdout3Module(
        "endpoint_catalog.py",
        env={"PLEO_ENUM_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("employees", ("employees.list",)),
            Call("team", ("teams.get",), ("@team",)),
            Call("tag_group_names", ("tag-groups.list",)),
            Call("account", ("accounts.get",), ("@account",)),
            Call("counts", ("employees.list", "teams.list")),
        ),
    ),
    Holdout3Module(
        "onboarding_writes.py",
        env={"PLEO_ONBOARDING_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("invite", ("employees.create",), ("new.hire@example.com",)),
            Call("update_profile", ("employees.update",), ("@employee", "Controller",
                                                            "+45 12 34 56 78")),
            Call("create_team", ("teams.create",), ("Treasury", "TRS")),
            Call("new_account", ("accounts.create",), ("6120", "Software subscriptions")),
        ),
    ),
    Holdout3Module(
        "receipt_fetcher.py",
        env={"PLEO_ARCHIVE_BEARER": LEGACY_TOKEN},
        calls=(
            Call("expense_with_receipts", ("expenses.get", "expense-receipts.list"),
                 ("@expense2",)),
            Call("receipt_sizes", ("expense-receipts.list", "expense-receipts.get"),
                 ("@expense2",)),
            Call("recent_expense_ids", ("expenses.list",)),
            Call("run", ("expenses.get", "expense-receipts.list"), ("@expense",)),
        ),
    ),
    Holdout3Module(
        "file_token_sync.py",
        factory="AccountSync",
        env={},
        writes=True,
        calls=(
            Call("accounts", ("accounts.list",)),
            Call("account", ("accounts.get",), ("@account",)),
            Call("rename", ("accounts.update",), ("@account", "Travel (domestic)")),
            Call("tax_code_names", ("tax-codes.list",)),
        ),
    ),
    Holdout3Module(
        "reconcile_books.py",
        env={"PLEO_RECON_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("employees_without_team", ("teams.list", "employees.list")),
            Call("expenses_on_unknown_accounts", ("accounts.list", "expenses.list")),
            Call("accounts_with_unknown_tax_codes", ("tax-codes.list", "accounts.list")),
            Call("report", ("teams.list", "employees.list", "accounts.list", "expenses.list",
                            "tax-codes.list")),
        ),
    ),
    Holdout3Module(
        "ledger_export_v1.py",
        factory="LedgerExport",
        negative=True,
        env={"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id"},
        calls=(
            Call("company_name", ()),
            Call("staff_emails", ()),
            Call("entry_ids", ()),
            Call("tag_group_names", ()),
            Call("tax_code_count", ()),
        ),
    ),
)


def by_name(name: str) -> CorpusModule:
    return next(m for m in HOLDOUT3 if m.name == name)
