"""Small helpers the rule modules share (kept out of `rules/`, which holds one rule a module)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from typing import Any

from migrate.codemod.find.hosts import COMPANY_ENV, DEFAULT_PAGE_LIMIT, MIGRATION_DOCS
from migrate.codemod.find.site import Site, receiver_of
from migrate.codemod.rule import Analysis, ModulePlan, Review, RuleFinding
from migrate.codemod.text.edits import replace
from migrate.mapping import Filter, Operation, filter_body_value

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


def flags_kind(kind: str, message: Callable[[Operation], str]) -> Review:
    """A review that leaves every call of one operation kind to a human (and says nothing
    more about it): the whole job of the rules for gaps, flows and merge-updates."""

    def review(site: Site, analysis: Analysis) -> RuleFinding | None:
        op = operation(site)
        if op is None or op.kind != kind:
            return None
        return RuleFinding(message(op), op.docs, terminal=True)

    return review


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


def route_through(
    analysis: Analysis, plan: ModulePlan, rule_id: str, library: str, through: str
) -> tuple[bool, list[ast.Call]]:
    """The compat rules' shared step: `library.get(…)` and a bare `get(…)` imported from
    `library` become `through.get(…)`. Returns whether any call was routed, and the client
    constructions (`Session()`, `Client(…)`) that the other legacy calls are made on."""
    routed = False
    constructions: list[ast.Call] = []
    for site in analysis.sites:
        if site.kind != "http":
            continue
        func = site.node.func
        if site.client == library and isinstance(func, ast.Attribute):
            plan.add(replace(analysis.source, func.value, rule_id, through))
            routed = True
        elif site.client == "function" and isinstance(func, ast.Name):
            origin = analysis.facts.imports.names.get(func.id)
            if origin and origin[0] == library:
                plan.add(replace(analysis.source, func, rule_id, f"{through}.{origin[1]}"))
                routed = True
        elif site.client == "object":
            for call in analysis.clients.constructions(receiver_of(site), site.call.scope):
                if call not in constructions:
                    constructions.append(call)
    return routed, constructions
