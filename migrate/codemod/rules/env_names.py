"""PLM009: environment variables of the legacy set-up get the new names.

A variable that holds a legacy token (`PLEO_TOKEN`, `PLEO_API_TOKEN`, `PLEO_LEGACY_TOKEN`: any
name with PLEO and TOKEN) becomes `PLEO_API_KEY`; a qualifier that tells two keys apart stays
(`PLEO_STAGING_TOKEN` → `PLEO_STAGING_API_KEY`). So does a Pleo variable of another name read
right in a `Bearer` header, the legacy token's place (`PLEO_KEY`, `PLEO_SECRET` → `PLEO_API_KEY`):
the copy a split adds must not read the variable the legacy header still reads. A variable
that holds the legacy base URL
(its default is a legacy base URL, or its name has PLEO and URL/HOST/BASE/ENDPOINT in a
module that calls the legacy API) becomes `PLEO_NEW_API_URL`: the value it holds in the
deployment must change too, and a renamed variable fails loudly instead of silently pointing
at the old host. A read with a legacy default that PLM001 wraps in `_pleo_new_base` is not
renamed: the wrap reads `PLEO_NEW_API_URL` first and the old variable, translated, when it is
unset (`find/runtime_bases`). Read through
`os.environ[...]`, `os.environ.get`, `os.getenv`.
"""

from __future__ import annotations

import ast
from weakref import WeakKeyDictionary

from migrate.codemod.find.facts import EnvRead
from migrate.codemod.find.hosts import (
    BASE_URL_ENV_NAME,
    LEGACY_BASE_ONLY,
    LEGACY_HOST_ONLY,
    NEW_API_ENV_NAME,
    TOKEN_ENV_NAME,
)
from migrate.codemod.find.runtime_bases import translated_reads
from migrate.codemod.find.token_sources import TokenTracer
from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.rules import legacy_host
from migrate.codemod.rules.bearer_auth import bearer_headers, connected
from migrate.codemod.text.edits import replace
from migrate.codemod.text.literals import str_literal, style_of
from migrate.pleo import API_KEY_VAR, NEW_HOST_VAR, NEW_URL_VAR

RULE = Rule(
    "PLM009",
    "env_names",
    "native",
    "rewrite",
    "Rename environment variables: legacy token names (PLEO_TOKEN, PLEO_API_TOKEN, …) become "
    f"{API_KEY_VAR}; legacy base-URL variables become {NEW_URL_VAR} (a bare host's: "
    f"{NEW_HOST_VAR}).",
)


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    for read, new in renames(analysis, translating=legacy_host.RULE.id in plan.enabled):
        style = style_of(analysis.text(read.name_node))
        plan.add(replace(analysis.source, read.name_node, RULE.id, str_literal(new, style)))


def renames(analysis: Analysis, translating: bool = False) -> list[tuple[EnvRead, str]]:
    """The variables to rename, and their new names (`translating`: PLM001 is on, so a base
    read it wraps in `_pleo_new_base` is left to it)."""
    found: list[tuple[EnvRead, str]] = []
    calls_legacy = any(site.resolution.how == "base" for site in analysis.sites)
    in_bearer = {
        node for _entry, token in bearer_headers(analysis) for node in analysis.facts.walk(token)
    }
    traced = header_env_reads(analysis)
    translated = translated_reads(analysis.facts, analysis.evaluator) if translating else set()
    for read in analysis.facts.env_reads:
        new = None
        if TOKEN_ENV_NAME.match(read.name):
            new = new_token_name(read.name)
        elif _legacy_key_name(read.name):  # PLEO_API_KEY_LEGACY → PLEO_API_KEY
            kept = [part for part in read.name.upper().split("_") if part not in QUALIFIERS]
            new = new_token_name("_".join([*kept[:-1], "TOKEN"]))
        elif (read.node in in_bearer or read.node in traced) and _pleo_key_name(read.name):
            new = new_token_name("_".join([*read.name.upper().split("_")[:-1], "TOKEN"]))
        elif read.node in traced and _secret_name(read.name):
            new = API_KEY_VAR  # `ACME_SECRET`, read for Pleo's header only through a function
        elif read.node in translated:
            continue  # PLM001 translates its value at run time: the name stays (runtime_bases)
        elif (read.default is not None and _legacy_default(read.default, analysis)) or (
            BASE_URL_ENV_NAME.match(read.name) and calls_legacy
        ):
            new = NEW_HOST_VAR if _bare_host(read.default) else NEW_URL_VAR
        if new is not None and new != read.name:
            found.append((read, new))
    return found


QUALIFIERS = {"LEGACY", "OPEN", "OPENAPI", "API", "ACCESS", "BEARER", "AUTH"}


def new_token_name(name: str) -> str:
    """PLEO_TOKEN, PLEO_API_TOKEN, PLEO_LEGACY_TOKEN → PLEO_API_KEY; PLEO_STAGING_TOKEN →
    PLEO_STAGING_API_KEY (a qualifier that tells keys apart is kept)."""
    parts = [part for part in name.upper().split("_") if part not in QUALIFIERS]
    if parts == ["PLEO", "TOKEN"]:
        return API_KEY_VAR
    return "_".join("API_KEY" if part == "TOKEN" else part for part in parts)


_SECRET_WORDS = {"KEY", "SECRET", "PASSWORD", "PAT", "CREDENTIAL", "CREDENTIALS"}


def _pleo_key_name(name: str) -> bool:
    """`PLEO_KEY`, `PLEO_SECRET`, `PLEO_READ_SECRET`: a Pleo secret not named a token (and not
    the new API's own variable)."""
    parts = name.upper().split("_")
    return (
        "PLEO" in parts
        and parts[-1] in _SECRET_WORDS
        and parts[-2:] != ["API", "KEY"]
        and not NEW_API_ENV_NAME.search(name)
    )


def _legacy_key_name(name: str) -> bool:
    """`PLEO_API_KEY_LEGACY`, `LEGACY_PLEO_KEY`: a Pleo secret its name calls the legacy one,
    renamed wherever it is read (a settings object may carry it to the header)."""
    parts = name.upper().split("_")
    kept = [part for part in parts if part not in QUALIFIERS]
    return "PLEO" in parts and "LEGACY" in parts and kept[-1:] in (["KEY"], ["SECRET"])
def header_env_reads(analysis: Analysis) -> frozenset[ast.expr]:
    """Environment reads a legacy `Bearer` header's token comes from, followed back through
    names, functions, dicts and `or` (`find/token_sources.py`); traced once per module (the
    rewrite and the scan's references both ask)."""
    found = _HEADER_READS.get(analysis)
    if found is None:
        tracer = TokenTracer(analysis.facts, analysis.evaluator)
        found = _HEADER_READS[analysis] = frozenset(
            source.node
            for entry, token in bearer_headers(analysis)
            if connected(entry, token, analysis)
            for source in tracer.sources(token)
            if source.kind == "env"
        )
    return found


_HEADER_READS: WeakKeyDictionary[Analysis, frozenset[ast.expr]] = WeakKeyDictionary()


def _secret_name(name: str) -> bool:
    """`ACME_SECRET`, `SYNC_TOKEN`: a secret's name without PLEO (Pleo's own names are
    `_pleo_key_name`'s, the new key's included), not a new-API variable."""
    parts = set(name.upper().split("_"))
    return (
        "PLEO" not in parts
        and bool((_SECRET_WORDS | {"TOKEN"}) & parts)
        and not NEW_API_ENV_NAME.search(name)
    )


def _bare_host(node: ast.expr | None) -> bool:
    """`"openapi.pleo.io"`: a default that is a host without a scheme. Its variable becomes
    PLEO_NEW_API_HOST, never PLEO_NEW_API_URL, whose value is a whole URL: the code puts a
    scheme in front of it (`f"https://{HOST}/…"`), which a URL would double."""
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and LEGACY_HOST_ONLY.match(node.value) is not None
    )


def _legacy_default(node: ast.expr, analysis: Analysis) -> bool:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return LEGACY_BASE_ONLY.match(node.value) is not None
    scope = analysis.facts.scope_of_name.get(node) if isinstance(node, ast.Name) else None
    found = analysis.evaluator.base_of(node, scope or analysis.facts.module_scope)
    return found is not None
