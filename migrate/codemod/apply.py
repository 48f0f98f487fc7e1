"""Runs the rules over one analysed module: classify call sites, plan edits, render the text."""

from __future__ import annotations

import ast
from dataclasses import dataclass, replace

from migrate.codemod.file_results import Strategy, Todo
from migrate.codemod.find.collect import collect
from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.index import CatalogueIndex
from migrate.codemod.find.site import Site
from migrate.codemod.find.sites import SiteFinder
from migrate.codemod.generic_helpers import generic_edits, left_behind_todos, reviewed
from migrate.codemod.holdback import SHARED_RULES, drop_stuck, noted, settle, stuck_todo
from migrate.codemod.registry import REGISTRY, rules_for
from migrate.codemod.request_dispatch import branch_edits, differs
from migrate.codemod.request_edits import NotRewritable, request_edits
from migrate.codemod.rule import (
    Analysis,
    Contribute,
    ModulePlan,
    RequestPlan,
    Review,
    Rewrite,
    Rule,
    RuleFinding,
)
from migrate.codemod.rulekit import moves
from migrate.codemod.rules import (
    env_names,
    legacy_host,
    paging,
    unrecognised_call,
)
from migrate.codemod.split import Split, safe_token_reads, split_calls
from migrate.codemod.text.edits import Edit, render
from migrate.codemod.text.imports import add_imports, add_statement, remove_unused
from migrate.codemod.text.source import Source, split_lines
from migrate.codemod.todo import anchor_line, existing_rules, is_todo_line, message_text, todo_edit
from migrate.codemod.unit_split import on_new_default_base
from migrate.errors import ConversionError

NATIVE_IDS = frozenset(rule.id for rule in rules_for("native"))
# The rules' hooks by role, in registry order, looked up once.
NATIVE_REVIEWS: tuple[tuple[str, Review], ...] = tuple(
    (item.rule.id, item.review)
    for item in REGISTRY
    if item.rule.strategy == "native" and item.rule.kind == "review" and item.review is not None
)
COMPAT_REVIEWS: tuple[tuple[str, Review], ...] = tuple(
    (item.rule.id, item.review)
    for item in REGISTRY
    if item.rule.strategy == "compat" and item.review is not None
)
CONTRIBUTORS: tuple[tuple[str, Contribute], ...] = tuple(
    (item.rule.id, item.contribute)
    for item in REGISTRY
    if item.rule.strategy == "native" and item.contribute is not None
)
REWRITES: tuple[tuple[Rule, Rewrite], ...] = tuple(
    (item.rule, item.rewrite) for item in REGISTRY if item.rewrite is not None
)

def analyse(path: str, source: Source, tree: ast.Module, index: CatalogueIndex) -> Analysis:
    facts = collect(tree)
    finder = SiteFinder(facts, source, index)
    # a split's copy of a wrapper's base (`self.new_api_base_url`) is not a legacy call
    sites = [s for s in finder.find() if not on_new_default_base(s, finder)]
    key_reads = frozenset(key for key, _node in facts.key_reads)
    return Analysis(path, source, facts, index, finder, sites, key_reads)


def classify(analysis: Analysis) -> dict[Site, list[tuple[str, RuleFinding]]]:
    """Why each call site needs a human (empty: it is rewritten automatically)."""
    result: dict[Site, list[tuple[str, RuleFinding]]] = {}
    for site in analysis.sites:
        findings: list[tuple[str, RuleFinding]] = []
        if site.carries is not None:
            result[site] = findings  # nothing of its own moves: its base and auth are shared
            continue
        # a URL chosen in branches, or a path its callers choose: each URL it can take (of a
        # generic function, those with a new-API equivalent: the others answer 404 either way)
        for variant in reviewed(site, analysis):
            for rule_id, review in NATIVE_REVIEWS:
                found = review(variant, analysis)
                if found is not None and all(rule_id != seen for seen, _ in findings):
                    findings.append((rule_id, found))
                if found is not None and found.terminal:
                    break
            if any(finding.terminal for _, finding in findings):
                break
        if not findings:
            problem = dry_run(site, analysis)
            if problem:
                findings.append(
                    (unrecognised_call.RULE.id, unrecognised_call.after_dry_run(site, problem))
                )
        result[site] = findings
    return result


def request_for(site: Site, analysis: Analysis, enabled: frozenset[str]) -> RequestPlan:
    """What the enabled rules change about one call.

    Nothing, unless the rule that moves the call to its new path is enabled: a legacy call
    that reads the new envelope or sends new parameters would be neither API's code, and a
    second run would find it again.
    """
    request = RequestPlan(site)
    if not moves(site, enabled):
        return request
    for rule_id, contribute in CONTRIBUTORS:
        if rule_id in enabled:
            contribute(site, request, analysis)
    return request


def dry_run(site: Site, analysis: Analysis) -> str | None:
    """Why the call's edits cannot be made with every native rule on (None: they can)."""
    found = own_edits(site, analysis)
    return str(found) if isinstance(found, Exception) else None


def own_edits(site: Site, analysis: Analysis) -> list[Edit] | Exception:
    """The call's own edits with every native rule on, or why it has none: made once per call
    (the classification tries them, and the split of a call that waits uses them)."""
    found = analysis.own_edits.get(site)
    if found is None:
        try:
            found = site_edits(site, analysis, NATIVE_IDS)[0]
        except (NotRewritable, ConversionError, ValueError) as problem:
            found = problem
        analysis.own_edits[site] = found
    return found


def classified(
    analysis: Analysis, strategy: Strategy, enabled: frozenset[str], with_edits: bool = True
) -> ModulePlan:
    """A plan with only the classification filled in: what `scan` needs (`with_edits=False`: not
    the edits of the split's copies either, which only a rewrite writes).

    A call the rules could rewrite still waits when a shared thing it needs (its host, its
    auth) stays for a call that does not move (see `holdback`): it is manual, with its reason.
    """
    plan = ModulePlan(analysis, strategy, enabled)
    plan.reasons = classify(analysis)
    if strategy == "native":
        settlement = settle(analysis, plan.reasons, NATIVE_IDS)
        split = Split()  # with a shared rule left out, a copy would be half-moved: none
        if enabled >= SHARED_RULES:
            split = split_calls(
                analysis, plan.reasons, settlement.held, settlement.users, settlement.untraced,
                settlement.edits, _held_edits(analysis, settlement.held), with_edits,
            )
        for site in split.freed:
            del settlement.held[site]
        for thing in split.unstuck:  # every call on it moved: it moves too, in place
            settlement.stuck.pop(thing, None)
        if split.freed and with_edits:  # the statements that stay must not raise without the token
            safe = safe_token_reads(analysis, list(settlement.stuck))
            split.edits.extend(safe)
            if safe:
                split.rules.add(env_names.RULE.id)
        for site, base in settlement.unmovable.items():
            plan.reasons[site].append(
                (unrecognised_call.RULE.id, unrecognised_call.fixed_base(site, base))
            )
        for site, thing in settlement.held.items():
            plan.reasons[site].append(
                (unrecognised_call.RULE.id, unrecognised_call.waits(site, thing.lineno))
            )
        plan.stuck, plan.shared_at = settlement.stuck, settlement.where
        plan.shared_needs, plan.held = settlement.needs, set(settlement.held)
        plan.untraced = settlement.untraced
        plan.split_edits, plan.split_rules = split.edits, split.rules
        moved = {site.node.lineno for site in split.freed}
        for thing, lines in plan.stuck.items():  # the TODO names the calls still on it
            plan.stuck[thing] = tuple(line for line in lines if line not in moved) or lines
    plan.automatic = {site: not reasons for site, reasons in plan.reasons.items()}
    return plan


def plan_module(analysis: Analysis, strategy: Strategy, enabled: frozenset[str]) -> ModulePlan:
    plan = classified(analysis, strategy, enabled)
    for site in analysis.sites:
        if strategy == "native":
            _native_site(site, analysis, plan)
        else:
            for rule_id, review in COMPAT_REVIEWS:
                if rule_id in enabled:
                    found = review(site, analysis)
                    if found is not None:
                        plan.todo(site.call.stmt, rule_id, found)
    for_calls = list(plan.imports)
    for rule, rewrite in REWRITES:
        if rule.strategy == strategy and rule.id in enabled:
            rewrite(analysis, plan)
    if strategy == "native" and plan.stuck:
        keep_back(plan, for_calls)
    if plan.split_edits and plan.split_rules | {legacy_host.RULE.id} <= enabled:
        plan.edits.extend(plan.split_edits)
        for rule_id in sorted(plan.split_rules):
            for module_name, name in sorted(plan.shared_needs.get(rule_id, ()), key=str):
                plan.need_import(module_name, name)
    if legacy_host.RULE.id in enabled:
        legacy_host.add_new_base_function(plan)
    return plan


def _held_edits(analysis: Analysis, held: dict[Site, ast.stmt]) -> dict[Site, list[Edit]]:
    """The own edits of each call that waits, when it has them (a split may move it)."""
    found: dict[Site, list[Edit]] = {}
    for site in held:
        edits = own_edits(site, analysis)
        if not isinstance(edits, Exception):
            found[site] = list(edits)
    return found


def keep_back(plan: ModulePlan, for_calls: list[tuple[str, str | None]]) -> None:
    """Shared things that stay keep their text and get one TODO naming the calls on them;
    an import that only dropped edits wanted is not added (`for_calls`: the calls' own)."""
    dropped = drop_stuck(plan)
    kept_rules = {edit.rule for edit in plan.edits}
    for item in list(plan.imports):
        wanted_by = {rule for rule, needs in plan.shared_needs.items() if item in needs}
        if item not in for_calls and wanted_by and not wanted_by & kept_rules:
            plan.imports.remove(item)
    waiting_loops = {
        id(stmt)
        for site in plan.held
        if site.loop is not None
        for stmt in _statements_around(plan.analysis, site.loop.chain)
    }
    # a loop of a call that waits is not "a request the codemod cannot see": the call's own
    # TODO says why it stays
    plan.todos[:] = [
        pending
        for pending in plan.todos
        if not (pending.rule == paging.RULE.id and id(pending.stmt) in waiting_loops)
    ]
    if legacy_host.RULE.id not in plan.enabled:
        return
    for stmt in noted(plan, dropped):
        plan.todo(stmt, legacy_host.RULE.id, stuck_todo(plan.stuck[stmt], MIGRATION_DOCS))


def _statements_around(analysis: Analysis, node: ast.AST) -> list[ast.stmt]:
    return [above for above in analysis.facts.ancestors(node) if isinstance(above, ast.stmt)][:1]


def _native_site(site: Site, analysis: Analysis, plan: ModulePlan) -> None:
    reasons = plan.reasons[site]
    if site.carries is not None:
        return  # a helper's own call: its callers carry the edits and the TODOs
    if reasons:
        for rule_id, finding in reasons:
            if rule_id in plan.enabled:
                plan.todo(site.call.stmt, rule_id, finding)
        return
    try:
        edits, requests = site_edits(site, analysis, plan.enabled)
    except (NotRewritable, ConversionError, ValueError):
        return
    plan.edits.extend(edits)
    for request in requests:
        for module_name, name in request.imports:
            plan.need_import(module_name, name)
    if edits:
        _left_behind_todos(site, analysis, plan)


def _left_behind_todos(site: Site, analysis: Analysis, plan: ModulePlan) -> None:
    """A generic call that moved: each value with no new-API equivalent gets its own TODO
    where it is written (its caller, its dict entry, its class attribute)."""
    for item in left_behind_todos(site, analysis):
        if item.rule in plan.enabled:
            plan.todo(item.stmt, item.rule, item.finding)


def site_edits(
    site: Site, analysis: Analysis, enabled: frozenset[str]
) -> tuple[list[Edit], list[RequestPlan]]:
    """The edits of one call; for a URL chosen in branches, each branch's URL edit at its own
    assignment plus the edits of the call itself, which every branch must want alike."""
    requests = [request_for(variant, analysis, enabled) for variant in site.variants]
    if site.value_set is not None:
        return generic_edits(site, requests, analysis), requests
    if site.alternatives and differs(requests):  # each branch's own method, query, body
        return branch_edits(site, requests, analysis), requests
    edits: list[Edit] = []
    shared: set[Edit] | None = None
    for variant, request in zip(site.variants, requests, strict=True):
        found = request_edits(request, analysis)
        if not site.alternatives:
            return found, requests
        start, end = analysis.span(variant.template.root)
        own = [edit for edit in found if start <= edit.start and edit.end <= end]
        rest = {edit for edit in found if edit not in own}
        if shared is not None and rest != shared:
            names = ", ".join(v.operation_id or "?" for v in site.variants)
            raise NotRewritable(f"its branches ({names}) need different changes to the call")
        shared = rest
        edits.extend(own)
    edits.extend(sorted(shared or (), key=lambda edit: edit.start))
    return edits, requests


def has_work(plan: ModulePlan) -> bool:
    source = plan.analysis.source
    return bool(plan.edits or plan.statements or plan.imports) or any(
        not existing_rules(source, anchor_line(source, pending.stmt)) for pending in plan.todos
    )


@dataclass(frozen=True)
class Rendered:
    text: str
    todos: tuple[Todo, ...]
    rules: tuple[str, ...]
    touched: frozenset[int]  # original lines an edit may change (1-based)


def render_plan(plan: ModulePlan) -> Rendered:
    """The module's new text; raises EditConflict or ImportProblem (callers report them)."""
    source = plan.analysis.source
    edits = list(plan.edits)
    todos: list[Todo] = []
    for pending in plan.todos:
        line = anchor_line(source, pending.stmt)
        if existing_rules(source, line):  # a statement that has a TODO of ours gets no more
            message = message_text(pending.finding, source)
            todos.append(Todo(pending.rule, line, message, pending.finding.docs, inserted=False))
            continue
        edit, todo = todo_edit(source, line, pending.rule, pending.finding)
        edits.append(edit)
        todos.append(todo)
    text = render(source.text, edits)
    if plan.imports:
        text = add_imports(text, plan.imports)
    if plan.unused:
        text = remove_unused(text, plan.unused)
    for code, _rule in plan.statements:
        text = add_statement(text, code, source.newline(1))
    rules = {edit.rule for edit in plan.edits} | {t.rule for t in todos if t.inserted}
    rules |= {rule for _code, rule in plan.statements}
    return Rendered(text, _place(todos, text), tuple(sorted(rules)), _touched(plan))


def _place(todos: list[Todo], text: str) -> tuple[Todo, ...]:
    """Each TODO with the line its comment has in the new text."""
    lines = [
        (number, line.strip())
        for number, line in enumerate(split_lines(text), start=1)
        if is_todo_line(line)
    ]
    used: set[int] = set()
    placed = []
    for todo in todos:
        comment = todo.comment()
        found = next((n for n, line in lines if n not in used and line == comment), None)
        if found is None:
            tag = f"{todo.rule}]"
            found = next((n for n, line in lines if n not in used and tag in line), todo.line)
        used.add(found)
        placed.append(replace(todo, line=found, source_line=todo.line))
    return tuple(placed)


def _touched(plan: ModulePlan) -> frozenset[int]:
    source = plan.analysis.source
    lines: set[int] = set()
    for edit in plan.edits:
        first = source.line_of(edit.start)
        last = source.line_of(max(edit.start, edit.end - 1))
        lines.update(range(first, last + 1))
    wanted = {module for module, _name in plan.imports}
    for node in plan.analysis.facts.imports.nodes:
        merged = isinstance(node, ast.ImportFrom) and node.module in wanted
        removed = isinstance(node, ast.Import) and any(a.name in plan.unused for a in node.names)
        if merged or removed:
            first = node.lineno
            while removed and first > 1 and not source.lines[first - 2].strip():
                first -= 1  # text.imports.remove_unused may drop the blank line above it too
            lines.update(range(first, (node.end_lineno or node.lineno) + 1))
    return frozenset(lines)
