"""The rules, in the order they run. Adding a rule means adding it here, in its own module,
with a test table in tests/codemod/rules/ and a row in README.md (a test checks all four).

Order: the native reviews first (together they decide which call sites are automatic), then
the per-call rewrites, then the module-wide rewrites (the host rule last, so it can leave
alone the URLs a call rewrite already rebuilt), then the compat rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from types import ModuleType

from migrate.codemod.results import Strategy
from migrate.codemod.rule import Rule
from migrate.codemod.rules import (
    bearer_auth,
    changed_fields,
    company_scope,
    compat_httpx,
    compat_requests,
    compat_review,
    dynamic_path,
    env_names,
    envelope_key,
    export_flow,
    gap_endpoint,
    hardcoded_credential,
    legacy_host,
    legacy_url_literal,
    merge_update,
    paging,
    paging_loop,
    paging_params,
    query_params,
    request_body,
    resource_path,
    response_envelope,
    search_request,
    unrecognised_call,
)
from migrate.errors import UsageError

MODULES: tuple[ModuleType, ...] = (
    dynamic_path,
    gap_endpoint,
    export_flow,
    merge_update,
    unrecognised_call,
    query_params,
    paging,
    response_envelope,
    changed_fields,
    request_body,
    resource_path,
    search_request,
    company_scope,
    paging_params,
    paging_loop,
    envelope_key,
    bearer_auth,
    hardcoded_credential,
    env_names,
    legacy_host,
    legacy_url_literal,
    compat_requests,
    compat_httpx,
    compat_review,
)
RULES: tuple[Rule, ...] = tuple(module.RULE for module in MODULES)
BY_ID = {rule.id: rule for rule in RULES}
BY_NAME = {rule.name: rule for rule in RULES}


def rules_for(strategy: Strategy) -> tuple[Rule, ...]:
    return tuple(rule for rule in RULES if rule.strategy == strategy)


def select(
    strategy: Strategy, only: Iterable[str] = (), skip: Iterable[str] = ()
) -> frozenset[str]:
    """The ids of the rules a run uses; UsageError for an unknown or out-of-strategy rule."""
    chosen = {rule.id for rule in rules_for(strategy)}
    only_ids = {_lookup(item, strategy) for item in only}
    skip_ids = {_lookup(item, strategy) for item in skip}
    if only_ids:
        chosen = only_ids
    return frozenset(chosen - skip_ids)


def _lookup(item: str, strategy: Strategy) -> str:
    rule = BY_ID.get(item.upper()) or BY_NAME.get(item.replace("-", "_"))
    if rule is None:
        known = ", ".join(f"{r.id} ({r.name})" for r in rules_for(strategy))
        raise UsageError(f"unknown rule {item!r}; the {strategy} rules are: {known}")
    if rule.strategy != strategy:
        raise UsageError(
            f"{rule.id} ({rule.name}) belongs to the {rule.strategy} strategy, not {strategy}"
        )
    return rule.id
