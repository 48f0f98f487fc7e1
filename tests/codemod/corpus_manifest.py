"""What the corpus harness calls in each corpus module, and which legacy operations each call
uses (written by hand from the module's code, so it does not depend on what `scan` finds).

`ops` name catalogue operation ids; `invented:METHOD /path` names an endpoint the legacy API
never had. Arguments like `@expense` are ids of seeded simulator rows (see
`corpus_harness.placeholders`). `env` maps the variables a module reads to keys of the
simulator's credentials file (`legacy.token`, `new.api_key`, `new.company_id`, `environment`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.mapping.catalogue import Catalogue

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"
INVENTED = "invented:"


@dataclass(frozen=True)
class Call:
    method: str
    ops: tuple[str, ...]
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.method

    def has_gap(self, catalogue: Catalogue) -> bool:
        """Does the call use an endpoint with no new-API equivalent (or one that never was)?"""
        mapped = {op.id for op in catalogue if op.mapped}
        return any(op not in mapped for op in self.ops)


@dataclass(frozen=True)
class CorpusModule:
    file: str
    calls: tuple[Call, ...]
    env: Mapping[str, str]
    factory: str | None = None  # a class (or function) whose result the calls are made on
    factory_args: tuple[Any, ...] = ()
    negative: bool = False  # already on the new API: the codemod must leave it byte-identical
    writes: bool = False  # changes the simulator's data: each run gets a fresh simulator

    @property
    def name(self) -> str:
        return self.file.removesuffix(".py")

    @property
    def path(self) -> Path:
        return CORPUS_DIR / self.file


LEGACY_TOKEN = "legacy.token"

CORPUS: tuple[CorpusModule, ...] = (
    CorpusModule(
        "wrapper_requests.py",
        factory="PleoClient",
        env={"PLEO_API_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("list_employees", ("employees.list",)),
            Call("get_employee", ("employees.get",), ("@employee",)),
            Call("get_expense", ("expenses.get",), ("@expense",)),
            Call("list_tax_codes", ("tax-codes.list",)),
            Call("get_tax_code", ("tax-codes.get",), ("@tax_code",)),
            Call("company_balance", ("companies.balance",)),
        ),
    ),
    CorpusModule(
        "wrapper_session.py",
        factory="PleoSession",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("accounts", ("accounts.list",)),
            Call("account", ("accounts.get",), ("@account",)),
            Call("tag_groups", ("tag-groups.list",)),
            Call("tags", ("tags.list",), ("@tag_group",)),
            Call("tag", ("tags.get",), ("@tag_group", "@tag")),
            Call("rename_tag_group", ("tag-groups.update",), ("@tag_group", "Cost centre")),
        ),
    ),
    CorpusModule(
        "wrapper_httpx_retry.py",
        factory="PleoHttpxClient",
        env={"PLEO_LEGACY_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("expenses_between", ("expenses.list",), ("2026-01-01", "2026-12-31")),
            Call("expense", ("expenses.get",), ("@expense",)),
            Call("mark_exported", ("expenses.update-export-status",),
                 (["@expense", "@expense2"],)),
            Call("teams", ("teams.list",)),
        ),
    ),
    CorpusModule(
        "singer_tap.py",
        env={"TAP_PLEO_API_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("get_records", ("employees.list",), ("employees",), name="records_employees"),
            Call("get_records", ("expenses.list",), ("expenses",), name="records_expenses"),
            Call("get_records", ("accounts.list",), ("accounts",), name="records_accounts"),
            Call("tax_codes", ("tax-codes.list",)),
        ),
    ),
    CorpusModule(
        "mcp_server.py",
        env={"PLEO_API_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("list_employees", ("employees.list",), kwargs={"limit": 10}),
            Call("get_expense", ("expenses.get",), ("@expense",)),
            Call("list_tag_groups", ("tag-groups.list",)),
            Call("list_tags", ("tags.list",), ("@tag_group",)),
            Call("company_balance", ("companies.balance",)),
        ),
    ),
    CorpusModule(
        "django_connector.py",
        factory="PleoConnector",
        env={"PLEO_API_KEY_LEGACY": LEGACY_TOKEN},
        calls=(
            Call("sync_employees", ("employees.list",)),
            Call("account_names", ("accounts.list",)),
            Call("expense_detail", ("expenses.get",), ("@expense",)),
            Call("tax_code_rates", ("tax-codes.list",)),
        ),
    ),
    CorpusModule(
        "script_branches.py",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("fetch", ("employees.list",), ("employees",), name="fetch_employees"),
            Call("fetch", ("accounts.list",), ("accounts",), name="fetch_accounts"),
            Call("fetch", ("tax-codes.list",), ("tax-codes",), name="fetch_tax_codes"),
            Call("fetch_one", ("employees.get",), ("employee", "@employee"),
                 name="fetch_one_employee"),
            Call("fetch_one", ("tax-codes.get",), ("tax-code", "@tax_code"),
                 name="fetch_one_tax_code"),
        ),
    ),
    CorpusModule(
        "script_reassigned.py",
        env={"PLEO_OPENAPI_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("employee_emails", ("employees.list",)),
            Call("expense_note", ("expenses.get",), ("@expense",)),
            Call("tag_group_names", ("tag-groups.list",)),
            Call("tax_code", ("tax-codes.get",), ("@tax_code",)),
            Call("account", ("accounts.get",), ("@account",)),
        ),
    ),
    CorpusModule(
        "async_client.py",
        factory="AsyncPleo",
        env={"PLEO_LEGACY_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("tag_groups", ("tag-groups.list",)),
            Call("tag_group", ("tag-groups.get",), ("@tag_group",)),
            Call("tags", ("tags.list",), ("@tag_group",)),
            Call("employees", ("employees.list",)),
            Call("employee", ("employees.get",), ("@employee",)),
        ),
    ),
    CorpusModule(
        "new_api_client.py",
        factory="PleoExternalClient",
        negative=True,
        env={"PLEO_API_KEY": "new.api_key", "PLEO_COMPANY_ID": "new.company_id"},
        calls=(
            Call("companies", ()),
            Call("employees", ()),
            Call("accounting_entry", (), ("@expense",)),
            Call("export_jobs", ()),
            Call("tax_codes", ()),
        ),
    ),
    CorpusModule(
        "invented_endpoints.py",
        factory="LegacyPleo",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        calls=(
            Call("cards", ("invented:GET /cards",)),
            Call("monthly_report", ("invented:GET /reports",), ("2026-01",)),
            Call("set_note", ("invented:PATCH /expenses/{expenseId}",), ("@expense", "lunch")),
            Call("employee_count", ("employees.list",)),
        ),
    ),
    CorpusModule(
        "export_sync.py",
        factory="ExportJob",
        env={"PLEO_LEGACY_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("queued", ("expenses.list",)),
            Call("receipts", ("expense-receipts.list",), ("@expense",)),
            Call("start", ("expenses.update-export-status",), (["@expense"],)),
            Call("finish", ("expenses.update-export-status",), (["@expense"],)),
        ),
    ),
    CorpusModule(
        "provisioning.py",
        env={"PLEO_TOKEN": LEGACY_TOKEN},
        writes=True,
        calls=(
            Call("team_names", ("teams.list",)),
            Call("ensure_team", ("teams.list", "teams.create"), ("Finance",)),
            Call("update_job_title", ("employees.update",), ("@employee", "Controller")),
            Call("employee_by_email", ("employees.list",), ("nobody@example.invalid",)),
        ),
    ),
)


def by_name(name: str) -> CorpusModule:
    return next(m for m in CORPUS if m.name == name)
