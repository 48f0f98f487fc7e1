"""Registry = rule modules = rule tests = documented rules, and ids that never move."""

from __future__ import annotations

import re
from pathlib import Path

from migrate.codemod.registry import BY_ID, MODULES, REGISTRY, RULES, rules_for, select
from migrate.errors import UsageError

ROOT = Path(__file__).resolve().parents[2]
RULE_DIR = ROOT / "migrate" / "codemod" / "rules"
TEST_DIR = Path(__file__).resolve().parent / "rules"
DOCS = ROOT / "docs" / "rules.md"

# The ids are part of users' code (TODO comments) and CI (SARIF): they must never change.
STABLE_IDS = {
    "PLM001": "legacy_host",
    "PLM002": "resource_path",
    "PLM003": "search_request",
    "PLM004": "company_scope",
    "PLM005": "paging_params",
    "PLM006": "paging_loop",
    "PLM007": "envelope_key",
    "PLM008": "bearer_auth",
    "PLM009": "env_names",
    "PLM010": "hardcoded_credential",
    "PLM011": "drain_loop",
    "PLM012": "flow_call",
    "PLM101": "dynamic_path",
    "PLM102": "gap_endpoint",
    "PLM103": "export_flow",
    "PLM104": "merge_update",
    "PLM105": "unrecognised_call",
    "PLM106": "query_params",
    "PLM107": "paging",
    "PLM108": "response_envelope",
    "PLM109": "changed_fields",
    "PLM110": "request_body",
    "PLM111": "legacy_url_literal",
    "PLM112": "invented_endpoint",
    "PLM201": "compat_requests",
    "PLM202": "compat_httpx",
    "PLM203": "compat_review",
    "PLM204": "compat_lost_fields",
    "PLM205": "compat_dropped_query",
    "PLM206": "compat_unanswered",
    "PLM207": "compat_token_source",
}


def test_ids_are_stable_and_unique() -> None:
    assert {rule.id: rule.name for rule in RULES} == STABLE_IDS
    assert len(RULES) == len(BY_ID)


def test_registry_equals_the_rule_modules() -> None:
    modules = {path.stem for path in RULE_DIR.glob("*.py") if path.stem != "__init__"}
    assert modules == {rule.name for rule in RULES}
    for module, rule in zip(MODULES, RULES, strict=True):
        assert module.__name__.rsplit(".", 1)[1] == rule.name
        assert module.__doc__ and module.__doc__.startswith(f"{rule.id}")


def test_every_rule_has_a_test_table() -> None:
    tests = {path.stem.removeprefix("test_") for path in TEST_DIR.glob("test_*.py")}
    assert tests == {rule.name for rule in RULES}
    for rule in RULES:
        text = (TEST_DIR / f"test_{rule.name}.py").read_text(encoding="utf-8")
        assert "CASES = [" in text and "pytest.param(" in text
        assert rule.id in text or rule.id in (text.split('"""')[1] if '"""' in text else "")


def test_every_rule_is_documented_in_the_rule_table() -> None:
    rows = re.findall(
        r"^\| `(PLM\d{3})` \| `(\w+)` \| (\w+) \| (\w+) \| (.+) \|$",
        DOCS.read_text(encoding="utf-8"),
        re.M,
    )
    assert [(i, n, s, k) for i, n, s, k, _ in rows] == [
        (rule.id, rule.name, rule.strategy, rule.kind) for rule in RULES
    ]


def test_each_rule_kind_has_its_function() -> None:
    for module, rule in zip(MODULES, RULES, strict=True):
        functions = {name for name in ("review", "contribute", "rewrite") if hasattr(module, name)}
        assert functions, rule.id
        if rule.kind == "rewrite":
            assert "review" not in functions, rule.id


def test_the_registry_runs_every_hook_a_module_defines() -> None:
    for item in REGISTRY:
        for hook in ("review", "contribute", "rewrite"):
            assert getattr(item, hook) is getattr(item.module, hook, None), (item.rule.id, hook)


def test_selecting_rules() -> None:
    assert select("native") == {rule.id for rule in rules_for("native")}
    assert select("native", only=["PLM001", "env-names"]) == {"PLM001", "PLM009"}
    assert select("compat", skip=["compat_review"]) == {
        "PLM201", "PLM202", "PLM204", "PLM205", "PLM206", "PLM207"
    }
    for wrong in (["PLM999"], ["PLM201"]):
        try:
            select("native", only=wrong)
        except UsageError:
            continue
        raise AssertionError(f"{wrong} was accepted")
