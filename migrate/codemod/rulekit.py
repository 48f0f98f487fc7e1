"""Small helpers the rule modules share (kept out of `rules/`, which holds one rule a module)."""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from migrate.codemod.find.facts import Imports
from migrate.codemod.find.hosts import (
    BASE_URL_ENV_NAME,
    COMPANY_ENV,
    LEGACY_HOST_IN_TEXT,
    MIGRATION_DOCS,
    NEW_API_ENV_NAME,
    NEW_HOSTS,
    TOKEN_ENV_NAME,
)
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, ModulePlan, Review, RuleFinding
from migrate.codemod.text.edits import replace
from migrate.codemod.text.literals import str_literal, style_of
from migrate.mapping import Filter, Operation
from migrate.pleo import API_KEY_VAR, LEGACY_PAGE_SIZE, NEW_LIMIT_MAX

COMPAT_MODULE = "migrate.compat"
COMPANY_CODE = f'os.environ["{COMPANY_ENV}"]'
# The rule that moves a call of each operation kind to its new path; the other per-call rules
# act only when it does.
PATH_RULES = {"direct": "PLM002", "search": "PLM003", "flow": "PLM012", "merge-update": "PLM012"}
DRAIN_RULE = "PLM011"  # the page loop of a list the legacy API returned whole
HOST_RULE = "PLM001"  # moves the module's legacy hosts


def moves(site: Site, enabled: frozenset[str]) -> bool:
    """Whether this run moves the call to its new path (with the rules enabled). A list the
    legacy API returned whole moves only with its page loop (PLM011): alone, it would return
    the first page. A flow or merge-update call (PLM012, whose generated function sends
    new-API paths) moves only with the module's host (PLM001)."""
    op = operation(site)
    if op is not None and DRAIN_RULE not in enabled and _needs_loop(site, op) and op.kind != "flow":
        return False
    if op is not None and op.kind in ("flow", "merge-update") and HOST_RULE not in enabled:
        return False  # its function sends new-API paths: on a legacy base they would be lost
    return op is not None and PATH_RULES.get(op.kind) in enabled


def _needs_loop(site: Site, op: Operation) -> bool:
    """A list the legacy API returned whole, or one page larger than the new maximum."""
    if op.paging == "all-to-cursor":
        return True
    size = site.query.get(LEGACY_PAGE_SIZE)
    return (
        op.paging == "offset-to-cursor"
        and site.loop is None
        and size is not None
        and size.is_literal
        and str(size.literal).isdigit()
        and int(str(size.literal)) > page_cap(op)
    )


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
    """The largest `limit` the planner asks of one new page (the spec's maximum where it
    states one, e.g. 100 for accounting entries): a rewrite asks no more than compat does."""
    return op.new_limit_max or NEW_LIMIT_MAX


def find_filter(op: Operation, key: str) -> Filter | None:
    for item in op.filters:
        if item.legacy == key:
            return item
    return None


def convert(item: Filter, value: Any) -> Any:
    """A literal filter value as the planner sends it (a list with `as_list`);
    ConversionError when it cannot be converted."""
    from migrate.mapping import filter_body_value  # the planner: where a filter is sent

    return filter_body_value(item, (value,))


@dataclass(frozen=True)
class Constants:
    """What the planner sends on every call of an operation besides the call's own query:
    the catalogue's constant query (`include_deleted=true`), the legacy list's default
    search body, and the defaults of filters the call leaves out; plus the filters the call
    gives with a value that sends nothing (`omit_when`)."""

    query: tuple[tuple[str, str], ...]
    body: tuple[tuple[str, Any], ...]
    silent: frozenset[str]  # legacy query keys to drop without a replacement


def planned_constants(op: Operation, site: Site) -> Constants:
    """The parts of `plan_call`'s request that do not come from the call as written, for the
    query the call writes (`site.query`); mirrors the planner step by step."""
    query: list[tuple[str, str]] = list(op.new_query.items())
    body: dict[str, Any] = dict(op.list_default_body) if op.kind == "search" else {}
    silent: set[str] = set()
    for item in op.filters:
        given = site.query.get(item.legacy)
        if given is not None:
            if given.is_literal and not item.sends(str(given.literal)):
                silent.add(item.legacy)
            continue
        values = [value for value in item.values([]) if item.sends(value)]
        if not values or not item.carried:
            continue
        from migrate.mapping import filter_body_value, filter_query  # where a filter is sent

        if item.new_query is not None:
            query.extend(filter_query(item, values))
        elif item.new_body is not None:
            body[item.new_body] = filter_body_value(item, values)
    return Constants(tuple(query), tuple(body.items()), frozenset(silent))


def is_atomic(node: ast.expr) -> bool:
    return isinstance(
        node, ast.Name | ast.Attribute | ast.Subscript | ast.Call | ast.Constant | ast.JoinedStr
    )


VERBS = frozenset({"get", "post", "put", "patch", "delete", "head", "options", "request"})


@dataclass(frozen=True)
class Routing:
    """What routing one library's clients through `migrate.compat` did to a module."""

    routed: int  # function calls (`requests.get(…)`) now made on the shared compat client
    constructions: int  # client constructions (`requests.Session()`) now made by migrate.compat


def reaches_legacy(analysis: Analysis) -> bool:
    """Whether the module talks to the legacy API: it spells a legacy host in code, or reads
    a legacy token or base-URL variable. The compat strategy then routes every client of the
    module (migrate.compat passes other URLs through untouched)."""
    for string in analysis.facts.strings:
        if not string.prose and LEGACY_HOST_IN_TEXT.search(analysis.text(string.node)):
            return True
    for read in analysis.facts.env_reads:
        if NEW_API_ENV_NAME.search(read.name):
            continue
        if TOKEN_ENV_NAME.match(read.name):
            return True
        if BASE_URL_ENV_NAME.match(read.name) and not _new_default(read.default, analysis):
            return True
    return False


def _new_default(node: ast.expr | None, analysis: Analysis) -> bool:
    if node is None:
        return False
    return any(base in analysis.text(node) for base in NEW_HOSTS.values())


def route_through(
    analysis: Analysis,
    plan: ModulePlan,
    rule_id: str,
    library: str,
    through: str,
    factories: dict[str, str],
    verbs: frozenset[str] = VERBS,
) -> Routing:
    """The compat rules' shared step, module-wide: `library.get(…)` (and a bare `get(…)`
    imported from `library`) becomes `through().get(…)`, and each construction named in
    `factories` (`Session` → `legacy_session`) is made by migrate.compat instead."""
    imports = analysis.facts.imports
    routed = made = 0
    for call in analysis.facts.calls:
        found = _library_call(call.node.func, imports, library)
        if found is None:
            continue
        target, name, bare = found
        if name in factories:
            plan.add(replace(analysis.source, call.node.func, rule_id, factories[name]))
            plan.need_import(COMPAT_MODULE, factories[name])
            made += 1
        elif name in verbs:
            code = f"{through}().{name}" if bare else f"{through}()"
            plan.add(replace(analysis.source, target, rule_id, code))
            routed += 1
    return Routing(routed, made)


def _library_call(
    func: ast.expr, imports: Imports, library: str
) -> tuple[ast.expr, str, bool] | None:
    """(what to replace, the library's name called, whether it was imported bare) when
    `func` is `library.name` or a `name` imported from `library`."""
    if isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name):
        if imports.modules.get(func.value.id) == library:
            return func.value, func.attr, False
    elif isinstance(func, ast.Name):
        origin = imports.names.get(func.id)
        if origin and origin[0] == library:
            return func, origin[1], True
    return None


def compat_token_reads(analysis: Analysis, plan: ModulePlan, rule_id: str) -> None:
    """Reads of a legacy token variable read the new API key instead, and cannot raise
    KeyError: migrate.compat sends the key itself, so the code only must not fail without
    the legacy token."""
    for read in analysis.facts.env_reads:
        if not TOKEN_ENV_NAME.match(read.name) or NEW_API_ENV_NAME.search(read.name):
            continue
        node: ast.expr = read.node
        key = str_literal(API_KEY_VAR, style_of(analysis.text(read.name_node)))
        if isinstance(node, ast.Subscript):
            if not isinstance(node.ctx, ast.Load):
                continue
            # the key's own quotes: the read may sit inside an f-string
            code = safe_env_read(analysis, node, key, key[-1])
        else:
            node, code = read.name_node, key
        start, end = analysis.span(node)
        if not plan.covered(start, end):
            plan.add(replace(analysis.source, node, rule_id, code))


def safe_env_read(analysis: Analysis, node: ast.Subscript, key: str, quote: str) -> str:
    """`os.environ[…]` as a read that cannot raise: `os.environ.get(<key>, "")`, the default
    written with `quote` (the key's own, or one that is free inside an f-string)."""
    return f"{analysis.text(node.value)}.get({key}, {quote}{quote})"


def libraries(analysis: Analysis) -> set[str]:
    imports = analysis.facts.imports
    return set(imports.modules.values()) | {module for module, _ in imports.names.values()}


def subclasses(analysis: Analysis, library: str, names: tuple[str, ...]) -> list[ast.ClassDef]:
    """Classes of the module derived from `library.Name` (their instances are made by
    the class, not by a call the compat rules can replace)."""
    imports = analysis.facts.imports
    found = []
    for node in analysis.facts.nodes():
        if not isinstance(node, ast.ClassDef):
            continue
        for base in node.bases:
            if isinstance(base, ast.Attribute) and isinstance(base.value, ast.Name):
                hit = imports.modules.get(base.value.id) == library and base.attr in names
            elif isinstance(base, ast.Name):
                hit = imports.names.get(base.id, ("", ""))[0] == library and (
                    imports.names[base.id][1] in names
                )
            else:
                hit = False
            if hit:
                found.append(node)
                break
    return found
