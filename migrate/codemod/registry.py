"""The rules, in the order they run, each with the hooks its module defines. Adding a rule
means adding it here, in its own module, with a test table in tests/codemod/rules/ and a row
in README.md (a test checks all four, and that every hook a module defines is registered).

Order: the native reviews first (together they decide which call sites are automatic), then
the per-call rewrites, then the module-wide rewrites (the host rule last, so it can leave
alone the URLs a call rewrite already rebuilt), then the compat rules.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from migrate.codemod.file_results import Strategy
from migrate.codemod.rule import Contribute, Review, Rewrite, Rule, RuleModule
from migrate.codemod.rules import (
    bearer_auth,
    changed_fields,
    company_scope,
    compat_dropped_query,
    compat_httpx,
    compat_lost_fields,
    compat_requests,
    compat_review,
    compat_token_source,
    compat_unanswered,
    drain_loop,
    dynamic_path,
    env_names,
    envelope_key,
    export_flow,
    flow_call,
    gap_endpoint,
    hardcoded_credential,
    invented_endpoint,
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


@dataclass(frozen=True)
class Registered:
    """One rule as a run uses it: its module and the hooks the module defines."""

    module: RuleModule
    review: Review | None = None
    contribute: Contribute | None = None
    rewrite: Rewrite | None = None

    @property
    def rule(self) -> Rule:
        return self.module.RULE


REGISTRY: tuple[Registered, ...] = (
    Registered(invented_endpoint, review=invented_endpoint.review),
    Registered(dynamic_path, review=dynamic_path.review),
    Registered(gap_endpoint, review=gap_endpoint.review),
    Registered(export_flow, review=export_flow.review),
    Registered(merge_update, review=merge_update.review),
    Registered(unrecognised_call, review=unrecognised_call.review),
    Registered(query_params, review=query_params.review),
    Registered(paging, review=paging.review, rewrite=paging.rewrite),
    Registered(response_envelope, review=response_envelope.review),
    Registered(changed_fields, review=changed_fields.review, rewrite=changed_fields.rewrite),
    Registered(request_body, review=request_body.review),
    Registered(resource_path, contribute=resource_path.contribute),
    Registered(search_request, contribute=search_request.contribute),
    Registered(company_scope, contribute=company_scope.contribute),
    Registered(paging_params, contribute=paging_params.contribute),
    Registered(paging_loop, contribute=paging_loop.contribute),
    Registered(envelope_key, contribute=envelope_key.contribute, rewrite=envelope_key.rewrite),
    Registered(drain_loop, contribute=drain_loop.contribute),
    # last of the per-call rewrites: a flow call is replaced whole (it drops the others' plans)
    Registered(flow_call, contribute=flow_call.contribute, rewrite=flow_call.rewrite),
    Registered(bearer_auth, rewrite=bearer_auth.rewrite),
    Registered(hardcoded_credential, rewrite=hardcoded_credential.rewrite),
    Registered(env_names, rewrite=env_names.rewrite),
    Registered(legacy_host, rewrite=legacy_host.rewrite),
    Registered(legacy_url_literal, rewrite=legacy_url_literal.rewrite),
    Registered(compat_requests, rewrite=compat_requests.rewrite),
    Registered(compat_httpx, rewrite=compat_httpx.rewrite),
    Registered(compat_review, review=compat_review.review),
    Registered(compat_lost_fields, rewrite=compat_lost_fields.rewrite),
    Registered(compat_dropped_query, review=compat_dropped_query.review),
    Registered(compat_unanswered, review=compat_unanswered.review),
    Registered(compat_token_source, rewrite=compat_token_source.rewrite),
)
MODULES: tuple[RuleModule, ...] = tuple(item.module for item in REGISTRY)
RULES: tuple[Rule, ...] = tuple(item.rule for item in REGISTRY)
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
