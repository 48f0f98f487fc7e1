"""Small helpers the rule modules share (kept out of `rules/`, which holds one rule a module)."""

from __future__ import annotations

import ast
from typing import Any

from migrate.codemod.hosts import COMPANY_ENV, DEFAULT_PAGE_LIMIT, MIGRATION_DOCS
from migrate.codemod.sites import Site
from migrate.mapping.calls import filter_body_value
from migrate.mapping.model import Filter, Operation

COMPANY_CODE = f'os.environ["{COMPANY_ENV}"]'
# The rule that moves a call of each operation kind to its new path; the other per-call rules
# act only when it does.
PATH_RULES = {"direct": "PLM002", "search": "PLM003"}


def moves(site: Site, enabled: frozenset[str]) -> bool:
    """Whether this run moves the call to its new path (with the rules enabled)."""
    op = operation(site)
    return op is not None and PATH_RULES.get(op.kind) in enabled


def operation(site: Site) -> Operation | None:
    return site.facts.operation if site.facts else None


def docs(site: Site) -> str:
    op = operation(site)
    return op.docs if op is not None else MIGRATION_DOCS


def new_endpoint(op: Operation) -> str:
    return str(op.new) if op.new else "-"


def page_cap(op: Operation) -> int:
    return op.new_limit_max or DEFAULT_PAGE_LIMIT


def find_filter(op: Operation, key: str) -> Filter | None:
    for item in op.filters:
        if item.legacy == key:
            return item
    return None


def convert(item: Filter, value: Any) -> Any:
    """A literal filter value as the planner sends it (a list with `as_list`);
    ConversionError when it cannot be converted."""
    return filter_body_value(item, (value,))


def is_atomic(node: ast.expr) -> bool:
    return isinstance(
        node, ast.Name | ast.Attribute | ast.Subscript | ast.Call | ast.Constant | ast.JoinedStr
    )
