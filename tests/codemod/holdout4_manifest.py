"""The fourth hold-out corpus (issue 12, generalisation): what the harness calls in each module
of `tests/codemod/holdout4/`, and which legacy operations each call uses.

Written blind, like the third: from the legacy spec, Pleo's reference notes and the habits of
ordinary integration code (a Singer-SDK-style stream hierarchy, an Airflow hook and operator,
a Lambda handler, Flask-style views over a module-level Session, a config dataclass, a Session
subclass prefixing its base, an httpx.Auth, functools.partial, a retry decorator, cached
lookups, a CSV export, Zapier performs, an iterator class, an ERP bridge, a poller, a
Protocol-typed source, an asyncio.Semaphore fan-out), without reading the codemod, its rule
notes or the earlier corpora. Same `CorpusModule`/`Call` types as `corpus_manifest`; ops are
named by hand from each module's code and the legacy spec.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from tests.codemod.corpus_manifest import LEGACY_TOKEN, Call, CorpusModule

HOLDOUT4_DIR = Path(__file__).resolve().parent / "holdout4"


def token(name: str) -> dict[str, str]:
    """A module reading its legacy token from `name` (`APP_PLEO_TOKEN`), and the variable the
    operator sets at the cut-over (`APP_PLEO_API_KEY`: the qualifier kept). The harness finds
    such renamed names only when they start with `PLEO_`; these modules qualify theirs with a
    prefix, as deployments sharing one environment do."""
    return {name: LEGACY_TOKEN, name.removesuffix("_TOKEN") + "_API_KEY": "new.api_key"}


@dataclass(frozen=True)
class Holdout4Module(CorpusModule):
    """A corpus module kept in `tests/codemod/holdout4/`."""

    @property
    def path(self) -> Path:
        return HOLDOUT4_DIR / self.file


HOLDOUT4: tuple[CorpusModule, ...] = (
    Holdout4Module(
        "tap_streams.py",
        env=token("TAP_PLEO_AUTH_TOKEN"),
        calls=(
            Call("sync", ("expenses.list",), ("expenses",), name="sync_expenses"),
            Call("sync", ("employees.list",), ("employees",), name="sync_employees"),
            Call("sync", ("tag-groups.list",), ("tag_groups",), name="sync_tag_groups"),
        ),
    ),
    Holdout4Module(
        "airflow_export.py",
        factory="PleoExportOperator",
        env=token("PLEO_AIRFLOW_TOKEN"),
        writes=True,
        calls=(
            Call("pending_total", ("expenses.list",), ("2025-02-01", "2025-02-28")),
            Call("execute", ("expenses.list", "expenses.update-export-status"),
                 ({"ds": "2025-03-31"},)),
        ),
    ),
    Holdout4Module(
        "lambda_lookup.py",
        env=token("SLACKBOT_PLEO_TOKEN"),
        calls=(
            Call("handler", ("employees.get",),
                 ({"queryStringParameters": {"action": "employee", "employeeId": "@employee"}},
                  None), name="handler_employee"),
            Call("handler", ("expenses.get",),
                 ({"queryStringParameters": {"action": "expense", "expenseId": "@expense2"}},
                  None), name="handler_expense"),
            Call("handler", ("companies.balance",),
                 ({"queryStringParameters": {"action": "balance"}}, None),
                 name="handler_balance"),
        ),
    ),
    Holdout4Module(
        "flask_accounts.py",
        env=token("DASHBOARD_PLEO_TOKEN"),
        calls=(
            Call("list_accounts", ("accounts.list",)),
            Call("account_detail", ("accounts.get",), ("@account",)),
            Call("tax_code_detail", ("tax-codes.get",), ("@tax_code",)),
            Call("tag_groups", ("tag-groups.list",)),
        ),
    ),
    Holdout4Module(
        "config_client.py",
        factory="make_client",
        env=token("VAT_PLEO_TOKEN"),
        calls=(
            Call("tax_codes", ("tax-codes.list",)),
            Call("tax_rate", ("tax-codes.get",), ("@tax_code",)),
            Call("accounts_by_tax_code", ("accounts.list",)),
        ),
    ),
    Holdout4Module(
        "prefixed_session.py",
        factory="PleoDirectory",
        env=token("INTRANET_PLEO_TOKEN"),
        calls=(
            Call("employee_emails", ("employees.list",)),
            Call("employee", ("employees.get",), ("@employee",)),
            Call("team_name", ("teams.get",), ("@team",)),
            Call("by_code", ("employees.list",)),
        ),
    ),
    Holdout4Module(
        "custom_auth_tags.py",
        env=token("PROJECTS_PLEO_TOKEN"),
        writes=True,
        calls=(
            Call("group_columns", ("tag-groups.list",)),
            Call("project_codes", ("tags.list",), ("@tag_group",)),
            Call("add_project", ("tag-groups.get", "tags.create"), ("@tag_group", "P-900")),
        ),
    ),
    Holdout4Module(
        "partial_receipts.py",
        env=token("AUDIT_PLEO_TOKEN"),
        calls=(
            Call("expense_summary", ("expenses.get",), ("@expense2",)),
            Call("receipt_urls", ("expense-receipts.list",), ("@expense2",)),
            Call("largest_receipt", ("expense-receipts.list", "expense-receipts.get"),
                 ("@expense2",)),
        ),
    ),
    Holdout4Module(
        "retrying_accounts.py",
        env=token("MAINT_PLEO_TOKEN"),
        writes=True,
        calls=(
            Call("accounts", ("accounts.list",)),
            Call("account", ("accounts.get",), ("@account",)),
            Call("rename_account", ("accounts.update", "accounts.get"),
                 ("@account", "Client entertainment")),
        ),
    ),
    Holdout4Module(
        "cached_labels.py",
        env=token("REVIEW_PLEO_TOKEN"),
        calls=(
            Call("tax_code_name", ("tax-codes.list",), ("@tax_code",)),
            Call("account_number", ("accounts.list",), ("@account",)),
            Call("label_expense", ("expenses.get",), ("@expense",)),
        ),
    ),
    Holdout4Module(
        "accountant_csv.py",
        env=token("ACCOUNTANT_PLEO_TOKEN"),
        calls=(
            Call("export_expenses", ("expenses.list",), ("2025-02-01", "2025-02-28")),
            Call("export_employees", ("employees.list",)),
        ),
    ),
    Holdout4Module(
        "zapier_app.py",
        env=token("ZAPIER_PLEO_TOKEN"),
        calls=(
            Call("run_local", ("expenses.list",), ("new_expenses",), name="new_expenses"),
            Call("run_local", ("employees.list",), ("find_employee",),
                 {"email": "Zoe.Smith@nordlys.dk"}, name="find_employee"),
            Call("run_local", ("invented:GET /cards",), ("list_cards",), name="list_cards"),
            Call("run_local", ("tag-groups.get",), ("tag_group",),
                 {"tag_group_id": "@tag_group"}, name="tag_group"),
        ),
    ),
    Holdout4Module(
        "page_iterator.py",
        env=token("REPORTS_PLEO_TOKEN"),
        calls=(
            Call("account_names", ("accounts.list",)),
            Call("employee_count", ("employees.list",)),
            Call("queued_amounts", ("expenses.list",)),
        ),
    ),
    Holdout4Module(
        "erp_bridge.py",
        env=token("BRIDGE_PLEO_TOKEN"),
        calls=(
            Call("bill_invoices", ("expenses.list",)),
            Call("post_to_erp", ("expenses.get",), ("@expense",)),
        ),
    ),
    Holdout4Module(
        "export_poller.py",
        env=token("POLLER_PLEO_TOKEN"),
        writes=True,
        calls=(
            Call("poll_once", ("expenses.list",)),
            Call("queued_after_run", ("expenses.list", "expenses.update-export-status")),
        ),
    ),
    Holdout4Module(
        "people_protocol.py",
        factory="build_directory",
        env=token("DIRECTORY_PLEO_TOKEN"),
        calls=(
            Call("names", ("employees.list",)),
            Call("by_job_title", ("employees.list",)),
            Call("contact", ("employees.get",), ("@employee",)),
        ),
    ),
    Holdout4Module(
        "async_fetch.py",
        env=token("ASYNC_PLEO_TOKEN"),
        calls=(
            Call("fetch_expenses", ("expenses.get",), (["@expense", "@expense2"],)),
            Call("tag_labels", ("tag-groups.get", "tags.list"), ("@tag_group",)),
            Call("receipt_counts", ("expense-receipts.list",), (["@expense", "@expense2"],)),
        ),
    ),
    Holdout4Module(
        "ledger_key_client.py",
        factory="LedgerKeyClient",
        negative=True,
        env={"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id"},
        calls=(
            Call("company_name", ()),
            Call("staff_codes", ()),
            Call("tag_group_codes", ()),
            Call("active_tax_codes", ()),
            Call("recent_entries", ()),
        ),
    ),
)


def by_name(name: str) -> CorpusModule:
    return next(m for m in HOLDOUT4 if m.name == name)
