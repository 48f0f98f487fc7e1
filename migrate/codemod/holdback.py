"""Per-call atomicity of the native strategy: which shared things move, which calls wait.

A call is rewritten whole (its URL, method, query, body, envelope, paging) or not at all. A
*shared* thing (a host constant, a base attribute, a header dict or builder, a token
variable: the statements the module-wide rules PLM001/PLM008/PLM009/PLM010 edit) moves only
when no legacy call that uses it stays on the legacy API. A call with no new-API equivalent
(PLM102 gap, PLM112 invented endpoint) stays like any other: it works on the legacy host until
the cut-over, so what it shares stays with it (moving it would make the call answer 404 while
the legacy API still serves it). A shared thing that stays carries one TODO naming the calls
still on it, and every call that needs it waits (a PLM105 TODO naming the blocking line) unless
`split` moves it onto a copy; waiting calls keep other shared things back in turn, until
nothing changes. Which call uses which thing comes from the def-use links of
`find.reach`, never from line proximity.
"""

from __future__ import annotations

import ast
from bisect import bisect_right
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from migrate import pleo
from migrate.codemod.find.built_bases import drops_version, version_drops
from migrate.codemod.find.evaluate import Base, Hole
from migrate.codemod.find.facts import ModuleFacts
from migrate.codemod.find.hosts import BASE_URL_ENV_NAME
from migrate.codemod.find.reach import Reach, reach_of
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, ModulePlan, Rewrite, RuleFinding
from migrate.codemod.rulekit import libraries
from migrate.codemod.rules import (
    bearer_auth,
    env_names,
    hardcoded_credential,
    legacy_host,
)
from migrate.codemod.text.edits import Edit

SHARED_REWRITES: tuple[tuple[str, Rewrite], ...] = (
    (bearer_auth.RULE.id, bearer_auth.rewrite),
    (hardcoded_credential.RULE.id, hardcoded_credential.rewrite),
    (env_names.RULE.id, env_names.rewrite),
    (legacy_host.RULE.id, legacy_host.rewrite),
)
HTTP_LIBRARIES = frozenset({"requests", "httpx", "urllib", "urllib.request", "aiohttp"})
SHARED_RULES = frozenset(rule_id for rule_id, _hook in SHARED_REWRITES)


@dataclass
class Settlement:
    """What stays on the legacy API besides the manual calls."""

    held: dict[Site, ast.stmt] = field(default_factory=dict)  # call → the statement it waits on
    stuck: dict[ast.stmt, tuple[int, ...]] = field(default_factory=dict)  # → lines still on it
    # the shared rules' edits, (start, end, rule) → the statement they are in
    where: dict[tuple[int, int, str], ast.stmt] = field(default_factory=dict)
    needs: dict[str, set[tuple[str, str | None]]] = field(default_factory=dict)  # rule → imports
    users: dict[ast.stmt, list[Site]] = field(default_factory=dict)  # thing → calls on it
    untraced: set[ast.stmt] = field(default_factory=set)  # things no call can be traced to
    # calls whose URL starts at a legacy base that no shared rule can move (a base built with
    # `%` from a bare host, say): moving their path alone would send it to the legacy host
    unmovable: dict[Site, str] = field(default_factory=dict)  # call → the base, as written
    edits: list[Edit] = field(default_factory=list)  # the shared rules' edits themselves


def settle(
    analysis: Analysis,
    reasons: dict[Site, list[tuple[str, RuleFinding]]],
    native_ids: frozenset[str],
) -> Settlement:
    result = Settlement()
    # every call with a reason stays, a gap or an invented call too: it works on the legacy
    # host until the cut-over, so what it shares stays with it (the others move onto copies)
    staying = {site for site, found in reasons.items() if found}
    unsure = analysis.finder.unsure
    result.where, result.needs, result.edits = shared_edits(analysis, native_ids)
    things = sorted(set(result.where.values()), key=lambda stmt: (stmt.lineno, stmt.col_offset))
    reach = _LazyReach(analysis.facts)
    _unmovable(analysis, reasons, result, reach)
    staying |= set(result.unmovable)
    if not things:
        return result
    by_stmt: dict[ast.stmt, list[Site]] = {}
    for site in analysis.sites:
        by_stmt.setdefault(site.call.stmt, []).append(site)
    unsure_stmts = {_statement_of(analysis, call) for call in unsure}
    users: dict[ast.stmt, list[Site]] = {}
    unsure_lines: dict[ast.stmt, list[int]] = {}
    flows: set[ast.stmt] = set()  # things whose value may be read somewhere
    for thing in things:
        reached = reach.reached(thing)
        if (
            len(reached) > 1
            or _names_of(analysis, thing) & reach.loaded
            or (analysis.sites and _handed_on(analysis, thing, result.where))
        ):
            flows.add(thing)
        users[thing] = [site for stmt in reached for site in by_stmt.get(stmt, ())]
        unsure_lines[thing] = sorted(stmt.lineno for stmt in unsure_stmts if stmt in reached)
    # A shared thing no call can be traced to (a dataclass field default read through a
    # property, a base behind functools.partial, a header of a client made elsewhere) may be
    # what calls the finder cannot see use: it stays, and since the calls that do use it
    # cannot be told apart, every call waits (the module-wide rule, kept for what the def-use
    # links cannot see).
    # (A module that sends nothing itself, a settings module, moves its constants: no call of
    # its own can be hidden from the finder there; nor can a value no statement reads.)
    sends = bool(libraries(analysis) & HTTP_LIBRARIES)
    untraced = [
        thing
        for thing in things
        if sends and thing in flows and not users[thing] and not unsure_lines[thing]
    ]
    if not staying and not unsure and not untraced:
        return Settlement()  # every call moves, so does everything they share
    result.users, result.untraced = users, set(untraced)
    for thing in untraced:
        result.stuck[thing] = ()
        for site in analysis.sites:
            if site not in staying and not reasons.get(site):
                staying.add(site)
                result.held[site] = thing
    followers: set[Site] = set()  # gone calls that stay only because a thing they use does
    changed = True
    while changed:
        changed = False
        for thing in things:
            if thing in result.stuck:
                continue
            if not unsure_lines[thing] and not any(site in staying for site in users[thing]):
                continue
            changed = True
            result.stuck[thing] = ()
            for site in users[thing]:
                if site in staying:
                    continue
                # a gap or an invented call on a thing that stays is still a legacy call:
                # its other shared things (its own header, say) stay with it, so that no
                # call sends the new key to the legacy host
                staying.add(site)
                if reasons.get(site):
                    followers.add(site)
                else:
                    result.held[site] = thing
    for thing in result.stuck:
        if thing in untraced:
            continue  # its TODO says that no call could be traced to it
        # the calls that keep it: those that cannot move themselves, else those that wait
        roots = {
            s.node.lineno
            for s in users[thing]
            if s in staying and s not in result.held and s not in followers
        }
        roots |= set(unsure_lines[thing])
        if not roots:
            roots = {s.node.lineno for s in users[thing] if s in result.held}
        result.stuck[thing] = tuple(sorted(roots))
    return result


class _LazyReach:
    """`Reach` built on first use: most modules have no shared thing to trace (a whole-tree
    walk saved per file, which is most of what `scan` spends on a file)."""

    def __init__(self, facts: ModuleFacts) -> None:
        self.facts = facts
        self._reach: Reach | None = None

    @property
    def built(self) -> Reach:
        if self._reach is None:
            self._reach = reach_of(self.facts)
        return self._reach

    @property
    def loaded(self) -> set[str]:
        """Every name and attribute the module reads (by its last part): coarse on purpose."""
        return self.built.loaded

    def reached(self, stmt: ast.stmt) -> frozenset[ast.stmt]:
        return self.built.reached(stmt)


def _unmovable(
    analysis: Analysis,
    reasons: dict[Site, list[tuple[str, RuleFinding]]],
    result: Settlement,
    reach: _LazyReach,
) -> None:
    """Calls on a legacy base (a name, an attribute, an env lookup) that no host rule edits."""
    text = analysis.source.text
    movers = {
        stmt
        for (start, end, rule), stmt in result.where.items()
        if rule == legacy_host.RULE.id
        or (rule == env_names.RULE.id and BASE_URL_ENV_NAME.match(text[start:end].strip("\"'")))
    }
    reached: set[ast.stmt] = set()
    for stmt in movers:
        reached |= reach.reached(stmt)
    for site in analysis.sites:
        if reasons.get(site) or site.carries is not None:
            continue
        if site.helper is not None:
            continue  # its base is the helper's, which moves with the helper's own call
        for variant in site.variants:
            base = _base_part(analysis, variant)
            # a base extended in place (`URL += "/v1"`) is not what the host literal says
            if base is not None and (
                site.call.stmt not in reached or _extended(analysis, base.node, site)
            ):
                result.unmovable[site] = analysis.text(base.node)
                break


def _base_part(analysis: Analysis, site: Site) -> Base | Hole | None:
    """The part a call's legacy host comes from when the URL does not spell it: a base, or a
    name whose value the finder resolved only as a whole (`ROOT = "https://%s/%s" % …`)."""
    parts = site.template.parts
    if not parts or site.resolution.host_own:
        return None
    first = parts[0]
    if isinstance(first, Base) and first.value is not None:
        return first
    if not isinstance(first, Hole):
        return None  # a literal path on a client's base_url: the client's base moves
    samples = analysis.evaluator.samples(first.node, site.call.scope)
    if any(urlsplit(sample).hostname in pleo.NEW_HOSTS for sample in samples):
        return None  # already on the new host (a half-moved call): only its path is left
    return first


def _extended(analysis: Analysis, node: ast.expr, site: Site) -> bool:
    """Whether the name or attribute a base is read from is also changed by `+=` somewhere
    (other than a `+= "/v1"` that PLM001 drops with the host literals it follows)."""
    evaluator = analysis.evaluator
    if isinstance(node, ast.Name):
        bindings = evaluator.bindings(node.id, site.call.scope)
    elif isinstance(node, ast.Attribute):
        bindings = evaluator.attribute_bindings(node, site.call.scope)
    else:
        return False
    drops = version_drops(analysis.facts, evaluator, analysis.source.text, analysis.span)
    return any(
        binding.kind == "augassign"
        and not (binding.stmt is not None and drops_version(binding.stmt, drops))
        for binding in bindings or ()
    )


def _handed_on(
    analysis: Analysis, thing: ast.stmt, where: dict[tuple[int, int, str], ast.stmt]
) -> bool:
    """Whether a host the statement holds is handed to other code (an argument of a call, a
    returned value: `return Expenses(session, "https://openapi.pleo.io/v1")`), where it may
    become a base the def-use links cannot follow (a parameter stored on an instance). Asked
    only of a module with calls of its own: a client factory with none moves its base and auth
    for the calls in other modules, rewritten in the same run."""
    spans = {(start, end) for (start, end, rule), stmt in where.items()
             if stmt is thing and rule == legacy_host.RULE.id}
    for node in ast.walk(thing):
        if not isinstance(node, ast.Constant) or analysis.span(node) not in spans:
            continue
        if isinstance(thing, ast.Return):
            return True
        for above in analysis.facts.ancestors(node):
            if above is thing:
                break
            if isinstance(above, ast.Call) and node is not above.func:
                return True
    return False


def _names_of(analysis: Analysis, thing: ast.stmt) -> set[str]:
    """What a thing's value is known by: its targets, and the functions around it."""
    names: set[str] = set()
    targets: list[ast.expr] = []
    if isinstance(thing, ast.Assign):
        targets = list(thing.targets)
    elif isinstance(thing, ast.AnnAssign | ast.AugAssign):
        targets = [thing.target]
    for target in targets:
        for node in ast.walk(target):
            if isinstance(node, ast.Name):
                names.add(node.id)
            elif isinstance(node, ast.Attribute):
                names.add(node.attr)
    for above in analysis.facts.ancestors(thing):
        if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(above.name)
    return names


def shared_edits(
    analysis: Analysis, native_ids: frozenset[str]
) -> tuple[
    dict[tuple[int, int, str], ast.stmt], dict[str, set[tuple[str, str | None]]], list[Edit]
]:
    """Where the module-wide native rules would edit (each edit's statement), the imports
    each of them needs, and the edits."""
    edits: list[Edit] = []
    needs: dict[str, set[tuple[str, str | None]]] = {}
    for rule_id, rewrite in SHARED_REWRITES:
        scratch = ModulePlan(analysis, "native", native_ids)
        rewrite(analysis, scratch)
        edits.extend(scratch.edits)
        needs[rule_id] = set(scratch.imports)
    if not edits:
        return {}, needs, edits
    facts = analysis.facts
    # the rules edit strings, environment reads and header values: the statement around such
    # a node is the innermost one around the offset it starts at
    candidates: list[ast.expr] = [string.node for string in facts.strings]
    candidates += [node for read in facts.env_reads for node in (read.node, read.name_node)]
    candidates += [entry.value for entry in facts.entries]
    at = {analysis.span(node)[0]: node for node in candidates}
    statements: _Statements | None = None
    found: dict[tuple[int, int, str], ast.stmt] = {}
    for edit in edits:
        node = at.get(edit.start)
        stmt = _first_statement(analysis, node) if node is not None else None
        if stmt is None:
            statements = statements or _Statements(analysis)
            stmt = statements.innermost(edit.start)
        if stmt is not None:
            found[(edit.start, edit.end, edit.rule)] = stmt
    return found, needs, edits


def _first_statement(analysis: Analysis, node: ast.AST) -> ast.stmt | None:
    return next((up for up in analysis.facts.ancestors(node) if isinstance(up, ast.stmt)), None)


def drop_stuck(plan: ModulePlan) -> list[Edit]:
    """Removes the shared rules' edits inside statements that stay; returns what was removed."""
    if not plan.stuck:
        return []
    statements: _Statements | None = None
    kept: list[Edit] = []
    dropped: list[Edit] = []
    for edit in plan.edits:
        stmt = None
        if edit.rule in SHARED_RULES:
            stmt = plan.shared_at.get((edit.start, edit.end, edit.rule))
            if stmt is None:  # not an edit the classification saw: look it up
                statements = statements or _Statements(plan.analysis)
                stmt = statements.innermost(edit.start)
        (dropped if stmt in plan.stuck else kept).append(edit)
    plan.edits[:] = kept
    return dropped


def noted(plan: ModulePlan, dropped: list[Edit]) -> list[ast.stmt]:
    """The stuck statements that get the TODO: those holding a legacy host (the other shared
    things, header and token, stay with them), or each stuck one when no host is shared."""
    hosts = {
        plan.shared_at.get((edit.start, edit.end, edit.rule))
        for edit in dropped
        if edit.rule == legacy_host.RULE.id
    }
    chosen = [stmt for stmt in plan.stuck if stmt in hosts] or list(plan.stuck)
    sites = plan.analysis.sites
    site_lines = {site.node.lineno for site in sites}
    noted: list[ast.stmt] = []
    for stmt in chosen:
        lines = set(plan.stuck[stmt])
        own = {site.node.lineno for site in sites if site.call.stmt is stmt}
        # a call that stays with its own host and auth needs no note beside its own TODO;
        # nor does auth kept only for HTTP calls whose URL is unknown (no site to report)
        if (lines & site_lines and not lines <= own) or stmt in hosts:
            noted.append(stmt)
    return noted


def stuck_todo(lines: tuple[int, ...], docs: str) -> RuleFinding:
    shown = ", ".join(str(n) for n in lines[:5]) + (", …" if len(lines) > 5 else "")
    if not lines:
        return RuleFinding(
            "unchanged: no call here can be traced to it; move it with the calls that use it",
            docs,
        )
    one = len(lines) == 1
    return RuleFinding(
        f"unchanged while {'line' if one else 'lines'} {shown} {'stays' if one else 'stay'} "
        f"legacy; its host and auth move once the {'call is' if one else 'calls are'} "
        "migrated (rerun then)",
        docs,
    )


class _Statements:
    """The innermost statement around an offset of the module's text."""

    def __init__(self, analysis: Analysis) -> None:
        spans: list[tuple[int, int, ast.stmt]] = []
        for node in analysis.facts.statements():
            start, end = analysis.span(node)
            spans.append((start, end, node))
        spans.sort(key=lambda item: (item[0], -item[1]))
        self.spans = spans
        self.starts = [start for start, _end, _node in spans]

    def innermost(self, offset: int) -> ast.stmt | None:
        best: ast.stmt | None = None
        for start, end, node in self.spans[: bisect_right(self.starts, offset)]:
            if start <= offset < end:
                best = node  # later starts inside an earlier one are nested deeper
        return best


def _statement_of(analysis: Analysis, call: ast.Call) -> ast.stmt:
    for above in analysis.facts.ancestors(call):
        if isinstance(above, ast.stmt):
            return above
    raise ValueError("a call outside any statement")  # pragma: no cover - ast guarantees one
