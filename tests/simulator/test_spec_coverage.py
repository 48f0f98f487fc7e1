"""The new-API simulator serves every operation of the vendored specs, bar a short, reasoned list.

The list is held honest both ways: an excluded operation must still be in the specs, must still
be unserved (serve it → drop it from the list), and must not be a call the catalogue or a compat
flow makes (those are exactly the operations the simulator exists to check).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from migrate.mapping import FLOWS, load_catalogue
from migrate.simulator import NEW_OPERATIONS

SPECS = Path(__file__).resolve().parents[2] / "specs" / "new"
METHODS = ("get", "put", "post", "delete", "patch")

_WEBHOOKS = "webhook subscriptions: an integration's own set-up, no legacy counterpart to migrate"
_INSTALL = "installation lifecycle is the integration's own set-up; migration only reads `me`"
_BETA = "beta accounts API, superseded by /v1/chart-of-accounts which the catalogue uses"
_BULK_TAGS = "bulk tag reads and writes beyond the legacy tag endpoints; no legacy call needs them"

# (method, path) → why the simulator does not serve it. Keep this short and true.
EXCLUDED: dict[tuple[str, str], str] = {
    ("POST", "/v1/accounting-entries/core:search"): "a reduced entry view; the catalogue reads "
    "full entries",
    ("GET", "/v1/accounting-entries/{accountingEntryId}/core"): "a reduced entry view; the "
    "catalogue reads full entries",
    **{(m, p): _BETA for m, p in (
        ("POST", "/v1-beta/accounts"), ("GET", "/v1-beta/accounts/{accountId}"),
        ("PUT", "/v1-beta/accounts/{accountId}"), ("DELETE", "/v1-beta/accounts/{accountId}"),
        ("POST", "/v1-beta/accounts:search"))},
    ("POST", "/v1/chart-of-accounts/batch"): "bulk account upsert; legacy has one-by-one "
    "account writes only",
    ("GET", "/v3/export-job-items"): "cross-job item listing; the export flow reads items per job",
    ("POST", "/v3/export-job-items:search"): "cross-job item search; the export flow reads items "
    "per job",
    **{(m, p): _INSTALL for m, p in (
        ("PUT", "/v1/installations/completions"), ("PUT", "/v1/installations/me"),
        ("POST", "/v1/installations/me"), ("DELETE", "/v1/installations/me"),
        ("POST", "/v1/installations/me:activate"))},
    **{(m, p): _WEBHOOKS for m, p in (
        ("GET", "/v1/subscriptions"), ("POST", "/v1/subscriptions"),
        ("GET", "/v1/subscriptions/{id}"), ("PUT", "/v1/subscriptions/{id}"),
        ("DELETE", "/v1/subscriptions/{id}"), ("GET", "/v1/subscriptions/{id}/activities"),
        ("GET", "/v1/subscriptions/{id}/secret"))},
    ("GET", "/v0/tag-groups/{groupId}/usage"): "usage statistics; no legacy endpoint reports them",
    **{(m, p): _BULK_TAGS for m, p in (
        ("POST", "/v0/aggregations/tags"), ("GET", "/v0/tags"), ("DELETE", "/v0/tags"),
        ("POST", "/v0/tags/archive"))},
    ("POST", "/v0/tax-codes:calculate-tax-amounts"): "a tax calculator; no legacy endpoint "
    "computes tax",
}


def spec_operations() -> set[tuple[str, str]]:
    """Every (METHOD, path template) of every specs/new/*.yml file."""
    found: set[tuple[str, str]] = set()
    for path in sorted(SPECS.glob("*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        for template, item in (document.get("paths") or {}).items():
            found |= {(method.upper(), template) for method in item if method in METHODS}
    return found


def served() -> set[tuple[str, str]]:
    return {(method, path) for method, path, *_ in NEW_OPERATIONS}


def test_the_specs_are_read() -> None:
    operations = spec_operations()
    assert len(operations) > 60
    assert ("POST", "/v0/tag-groups/{groupId}/dimensions") in operations


def test_every_spec_operation_is_served_or_excluded_with_a_reason() -> None:
    missing = sorted(spec_operations() - served() - set(EXCLUDED))
    assert not missing, "the simulator does not serve: " + ", ".join(
        f"{m} {p}" for m, p in missing)


def test_every_exclusion_is_a_real_unserved_operation_with_a_reason() -> None:
    operations = spec_operations()
    for key, reason in EXCLUDED.items():
        assert key in operations, f"{key} is not in the specs any more: drop it from EXCLUDED"
        assert key not in served(), f"{key} is served now: drop it from EXCLUDED"
        assert reason.strip() and "\n" not in reason


def test_no_exclusion_is_a_call_our_code_makes() -> None:
    catalogue = load_catalogue()
    calls = {(op.new.method, op.new.path) for op in catalogue.operations if op.new is not None}
    calls |= {(e.method, e.path) for flow in FLOWS.values() for e in flow.endpoints}
    assert calls, "the catalogue names no new-API call"
    assert not calls & set(EXCLUDED), sorted(calls & set(EXCLUDED))
    assert calls <= served(), sorted(calls - served())
