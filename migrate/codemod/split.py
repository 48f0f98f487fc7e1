"""Split instead of wait: a call that could move but needs a module-level shared thing that
stays (its host constant, header builder or dict, token variable, a module-level client with
the statements that set it up, a client factory, plain or memoised) moves onto a copy of it.

The copy is made once per module, right after the legacy statement, with the module-wide
rules' edits applied to it (new host, Basic auth, new variable names) and a fresh name; the
call's own expressions are renamed to read it. The legacy statement stays exactly as it was,
with its TODO naming the calls still on it. A call moves only when every shared thing it
needs can be copied and every path from it to the call is a name the call itself reads
(otherwise it keeps waiting: never a half-moved call). Calls through a wrapper class's request
helper move onto copies of its attributes and helper (`unit_split`); other wrapper instances
(`self.base_url` read at the call) keep waiting.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

from migrate.codemod.find.facts import ModuleFacts
from migrate.codemod.find.hosts import TOKEN_ENV_NAME
from migrate.codemod.find.reach import Reach, reach_of
from migrate.codemod.find.site import Site
from migrate.codemod.find.wrappers import RequestHelper
from migrate.codemod.helper_twin import NoTwin, unit_copy
from migrate.codemod.rule import Analysis, RuleFinding
from migrate.codemod.rulekit import safe_env_read
from migrate.codemod.rules import (
    bearer_auth,
    env_names,
    flow_call,
    hardcoded_credential,
    legacy_host,
)
from migrate.codemod.text.edits import Edit, EditConflict, Piece, render, replace
from migrate.codemod.unit_split import (
    CLIENT_CLASSES,
    ClientCopy,
    Unit,
    after_statement,
    attribute_stores,
    call_rename,
    client_copy,
    client_edits,
    fits,
    other_path,
    raises_when_unset,
    receiver_rename,
    token_reads,
    unit_edits,
    unit_of,
)

_BODIES = ("body", "orelse", "finalbody", "handlers", "cases")
_DEF = re.compile(r"(?:async\s+)?def\s+")
_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass(frozen=True)
class Owner:
    """A module-level statement that can be copied: an assignment of one name, or a function."""

    stmt: ast.stmt
    name: str


@dataclass
class Split:
    """The calls that move onto copies, and the edits that make the copies and renames."""

    freed: set[Site] = field(default_factory=set)
    edits: list[Edit] = field(default_factory=list)
    # shared things every call of which moved: edited where they are, not copied
    unstuck: set[ast.stmt] = field(default_factory=set)
    rules: set[str] = field(default_factory=set)  # the rules whose edits the copies carry


def split_calls(
    analysis: Analysis,
    reasons: dict[Site, list[tuple[str, RuleFinding]]],
    held: dict[Site, ast.stmt],
    users: dict[ast.stmt, list[Site]],
    untraced: set[ast.stmt],
    shared: list[Edit],
    site_edits: dict[Site, list[Edit]],
    with_edits: bool = True,
) -> Split:
    """Which held calls move onto copies of what they wait for (`site_edits`: each held call's
    own edits, computed by the caller; `with_edits=False`: which calls only, as a scan asks, not
    the edits that make the module-level copies)."""
    result = Split()
    if not held:
        return result
    facts = analysis.facts
    tree = facts.tree
    finder = _Module(analysis, tree)
    reach = reach_of(facts)
    other_calls: dict[ast.stmt, set[Site]] = {}
    for site in analysis.sites:
        other_calls.setdefault(site.call.stmt, set()).add(site)
    calling = {  # the module-level functions that hold a legacy call
        up for site in analysis.sites for up in analysis.facts.ancestors(site.node)
        if isinstance(up, _Function)
    }
    chosen: dict[str, list[Owner]] = {}
    renames: list[tuple[ast.Name, str]] = []
    through: list[Site] = []  # calls through a request helper: the wrapper split below
    direct: list[Site] = []  # calls on a client attribute (`self._client.get`): copied client
    for site, thing in held.items():
        if site.helper is not None and thing not in untraced and site.carries is None:
            through.append(site)
        if site.helper is None and thing not in untraced and site.carries is None:
            direct.append(site)
        if thing in untraced or site.helper is not None or site.carries is not None:
            continue
        if reasons.get(site) or site not in site_edits:
            continue
        needed = [t for t, on in users.items() if site in on]
        owners = [finder.owner(t) for t in needed]
        if not owners or any(owner is None or owner.stmt in calling for owner in owners):
            continue  # nothing to copy, or a function that itself sends a legacy call
        if any(owner is not None and _kept_extension(analysis, owner, shared) for owner in owners):
            continue  # `URL += …` that PLM001 does not drop: its copy would extend the new host
        by_name: dict[str, list[Owner]] = {}
        for owner in owners:
            if owner is not None and owner not in by_name.setdefault(owner.name, []):
                by_name[owner.name].append(owner)
        for name in by_name:  # a module-level client is copied with every statement setting it up
            by_name[name] = finder.client_group(name) or by_name[name]
        if not all(finder.all_bindings(name, found) for name, found in by_name.items()):
            continue
        if site.template.form == "%-format" and any(len(f) > 1 for f in by_name.values()):
            continue  # `"%s/…" % (BASE, …)` on a copy bound in branches is not followed again
        if any(
            not isinstance(owner.stmt, _Function) and raises_when_unset(facts, owner.stmt)
            for found in by_name.values()
            for owner in found
        ):
            continue  # the legacy statement stays and raises at import once its token is unset
        own = _own_statements(analysis, site)
        if other_calls.get(site.call.stmt, set()) - {site}:
            continue
        for carrier in finder.carriers(own, by_name):  # `get = partial(requests.get, …)`
            by_name[carrier.name] = [carrier]
        if any(
            (reach.reached(stmt) & set(other_calls)) - {site.call.stmt}
            for stmt in own
            if stmt is not site.call.stmt
        ):
            continue  # a URL statement another call reads too
        refs = [ref for stmt in own for ref in _names_in(facts, stmt) if ref.id in by_name]
        if any(finder.shadowed(ref) for ref in refs):
            continue
        reached = {ref.id for ref in refs}
        todo = list(reached)
        while todo:  # a copy reads the copies of what it reads (a header builder, the token)
            name = todo.pop()
            for owner in by_name[name]:
                for ref in _names_in(facts, owner.stmt, whole=True):
                    if ref.id in by_name and ref.id not in reached:
                        reached.add(ref.id)
                        todo.append(ref.id)
        if reached != set(by_name):
            continue  # a thing reaches the call another way than by a name the call reads
        if finder.reaches_otherwise(site, own, by_name, reach):
            continue
        fresh = {name: f"\0{name}" for name in by_name}  # placeholder names for the trial
        trial = site_edits[site] + [_rename(analysis, ref, fresh[ref.id]) for ref in refs]
        try:
            render(analysis.source.text, trial)
        except EditConflict:
            continue  # the call's rebuilt URL does not keep the name
        result.freed.add(site)
        renames += [(ref, ref.id) for ref in refs]
        for name, found in by_name.items():
            for owner in found:
                if owner not in chosen.setdefault(name, []):
                    chosen[name].append(owner)
    for_units: dict[str, list[Owner]] = {}  # what the wrapper and client copies read
    units = _wrapper_split(
        analysis, through, reasons, users, untraced, site_edits, (finder, reach, calling),
        for_units,
    )
    clients = _client_split(
        analysis, direct, result.freed, reasons, users, site_edits, (finder, reach, calling),
        for_units,
    )
    in_place = _in_place(analysis, chosen, set(for_units), users, untraced, result.freed, reach)
    for name in in_place:
        for owner in chosen.pop(name):
            result.unstuck |= {
                t for t in users if t is owner.stmt or _inside(facts, t, owner.stmt)
            }
    renames = [(ref, name) for ref, name in renames if name not in in_place]
    for name, owners_of in for_units.items():
        for owner in owners_of:
            if owner not in chosen.setdefault(name, []):
                chosen[name].append(owner)
    if not result.freed and not units and not clients:
        return result
    if not with_edits and not units and not clients:
        return result  # the copies' edits decide nothing more: only a rewrite wants them
    new_names = finder.fresh_names(chosen, shared)
    for ref, name in renames:
        result.edits.append(_rename(analysis, ref, new_names[name]))
    taken = set(finder.used) | set(new_names.values())
    copies: dict[int, str] = {}  # an attribute statement already copied → its copy's name
    for unit, sites in units:
        calls = [s for s in analysis.sites if s.helper == unit.helper.name and s.carries is None]
        whole = set(calls) <= set(sites)
        try:
            edits, rules, name = unit_edits(
                analysis, unit, shared, new_names, taken, copies, whole
            )
        except (NoTwin, EditConflict):
            continue  # its calls keep waiting
        result.edits += edits
        result.rules |= rules
        if whole:  # the helper's own HTTP call moves with them
            result.freed |= set(sites) | {
                s for s in analysis.sites if s.carries == unit.helper.name
            }
            continue
        for site in sites:
            rename = call_rename(analysis, site, name)
            if rename is not None:
                result.edits.append(rename)
                result.freed.add(site)
    for site, copy, refs in clients:
        first = id(copy.stmt) not in copies
        before = dict(copies)
        try:
            edits, rules, attr = client_edits(analysis, copy, shared, taken, copies, new_names)
            if first:  # the copy is closed where the legacy client is
                edits += _closer_copies(analysis, copy.attr, attr, copy.setup)
        except EditConflict:
            copies.clear()
            copies.update(before)  # nothing of it was copied: later calls must not read it
            continue  # the call keeps waiting
        rename = receiver_rename(analysis, site, attr)
        if rename is None:
            continue
        result.edits += [*edits, rename, *(_rename(analysis, r, new_names[r.id]) for r in refs)]
        result.rules |= rules
        result.freed.add(site)
    for found in chosen.values():
        for owner in found:
            inside = [e for e in shared if _within(analysis, owner.stmt, e)]
            result.rules |= {edit.rule for edit in inside}
            if isinstance(owner.stmt, ast.AugAssign):
                continue  # the version a base's copy drops (`URL += "/v1"`): no copy at all
            result.edits.append(_copy(analysis, owner, inside, new_names))
    return result


def _in_place(
    analysis: Analysis,
    chosen: dict[str, list[Owner]],
    for_units: set[str],
    users: dict[ast.stmt, list[Site]],
    untraced: set[ast.stmt],
    freed: set[Site],
    reach: Reach,
) -> set[str]:
    """The copied names whose every user moves (a header builder kept back only by calls that
    waited for the host and now move onto its copy): they are edited where they are instead,
    or the legacy statement would be left unused and a second run would move it. Not when
    their statement reads another copied name (it would keep reading the legacy one) or a
    call of unknown URL may read them."""
    facts = analysis.facts
    unsure = {
        up
        for call in analysis.finder.unsure
        for up in analysis.facts.ancestors(call)
        if isinstance(up, ast.stmt)
    }
    found: set[str] = set()
    changed = True
    while changed:
        changed = False
        for name, owners in chosen.items():
            if name in found or name in for_units:
                continue
            stmts = [owner.stmt for owner in owners]
            things = [t for t in users if any(t is s or _inside(facts, t, s) for s in stmts)]
            if not things or any(t in untraced for t in things):
                continue
            if any(not set(users[t]) <= freed or reach.reached(t) & unsure for t in things):
                continue
            reads = {ref.id for stmt in stmts for ref in _names_in(facts, stmt, whole=True)}
            if reads & (set(chosen) - found - {name}):
                continue
            found.add(name)
            changed = True
    return found


def _inside(facts: ModuleFacts, node: ast.AST, outer: ast.AST) -> bool:
    return any(sub is node for sub in facts.walk(outer))


def _kept_extension(analysis: Analysis, owner: Owner, shared: list[Edit]) -> bool:
    """Whether the owner is a `+=` that PLM001 does not remove whole (only a removed one, the
    version of a base in pieces, may be left out of the copy)."""
    if not isinstance(owner.stmt, ast.AugAssign):
        return False
    start, end = analysis.span(owner.stmt)
    return not any(
        edit.start == start and edit.end == end and edit.pieces == ("",)
        and edit.rule == legacy_host.RULE.id
        for edit in shared
    )


def _wrapper_split(
    analysis: Analysis,
    through: list[Site],
    reasons: dict[Site, list[tuple[str, RuleFinding]]],
    users: dict[ast.stmt, list[Site]],
    untraced: set[ast.stmt],
    site_edits: dict[Site, list[Edit]],
    context: tuple[_Module, Reach, set[_Function]],
    chosen: dict[str, list[Owner]],
) -> list[tuple[Unit, list[Site]]]:
    """The calls through a wrapper class's request helper that move onto copies of its
    attributes and helper (`unit_split`); adds the module-level statements they need to
    `chosen`."""
    facts = analysis.facts
    finder, reach, calling = context
    if not through:
        return []
    owners = {thing: finder.owner(thing) for thing in users}
    thing_names = {owner.name for owner in owners.values() if owner is not None}
    stores = attribute_stores(analysis.facts.nodes())
    found: dict[str, Unit | str] = {}
    moved: dict[str, list[Site]] = {}
    for site in through:
        if reasons.get(site) or site not in site_edits:
            continue
        helper = next((h for h in analysis.finder.helpers if h.name == site.helper), None)
        if helper is None:
            continue
        if helper.name not in found:
            found[helper.name] = _checked_unit(analysis, helper, set(users), thing_names, stores)
        unit = found[helper.name]
        if isinstance(unit, str):
            continue
        needed = [t for t, on in users.items() if site in on]
        if any(t in untraced for t in needed):
            continue
        copied_attrs = set(unit.copied())
        by_name: dict[str, list[Owner]] = {}
        ok = True
        for thing in needed:
            if thing in copied_attrs:
                continue
            owner = owners.get(thing)
            if owner is None or owner.stmt in calling:
                ok = False
                break
            if owner not in by_name.setdefault(owner.name, []):
                by_name[owner.name].append(owner)
        if not ok or not all(finder.all_bindings(n, o) for n, o in by_name.items()):
            continue
        reached = set(unit.names)
        todo = list(reached)
        while todo:
            name = todo.pop()
            for owner in by_name.get(name, []):
                for ref in _names_in(facts, owner.stmt, whole=True):
                    if ref.id in by_name and ref.id not in reached:
                        reached.add(ref.id)
                        todo.append(ref.id)
        if reached != set(by_name):
            continue  # a thing reaches the call another way than through the attributes
        refs = [
            ref
            for stmt in unit.copied()
            for ref in _names_in(facts, stmt, whole=True)
            if ref.id in by_name
        ]
        if any(_local_in_init(unit, ref.id) for ref in refs):
            continue
        copied = [owner.stmt for found_owners in by_name.values() for owner in found_owners]
        if other_path(analysis, site, unit, copied, reach):
            continue
        rename = call_rename(analysis, site, "\0helper")
        if rename is None or not fits(analysis, site_edits[site], rename):
            continue
        moved.setdefault(helper.name, []).append(site)
        for name, owners_of in by_name.items():
            for owner in owners_of:
                if owner not in chosen.setdefault(name, []):
                    chosen[name].append(owner)
    units: list[tuple[Unit, list[Site]]] = []
    for name, sites in moved.items():
        unit = found[name]
        if not isinstance(unit, str):
            units.append((unit, sites))
    return units


def _client_split(
    analysis: Analysis,
    direct: list[Site],
    freed: set[Site],
    reasons: dict[Site, list[tuple[str, RuleFinding]]],
    users: dict[ast.stmt, list[Site]],
    site_edits: dict[Site, list[Edit]],
    context: tuple[_Module, Reach, set[_Function]],
    chosen: dict[str, list[Owner]],
) -> list[tuple[Site, ClientCopy, list[ast.Name]]]:
    """The direct calls on a client attribute that move onto a copy of its construction in
    `__init__` (`client_copy`): every shared thing the call needs is in the copied statements,
    the attribute is read nowhere but as the receiver of a request (a header update or a
    mounted adapter elsewhere would not reach the copy), and the call is the only one of its
    statement. The module-level statements the copies read (a base constant, a token
    variable) are copied by the module split (added to `chosen`)."""
    facts = analysis.facts
    finder, reach, calling = context
    found: list[tuple[Site, ClientCopy, list[ast.Name]]] = []
    if not direct:
        return found
    stores = attribute_stores(analysis.facts.nodes())
    per_stmt: dict[ast.stmt, int] = {}
    for site in analysis.sites:
        per_stmt[site.call.stmt] = per_stmt.get(site.call.stmt, 0) + 1
    for site in direct:
        if site in freed or reasons.get(site) or site not in site_edits:
            continue
        if any(edit.rule == flow_call.RULE.id for edit in site_edits[site]):
            continue  # its `send` would call the copy with a path no later run can follow
        if per_stmt.get(site.call.stmt, 0) != 1:
            continue
        copy = client_copy(analysis, site, set(users), stores)
        if isinstance(copy, str):
            continue
        needed = {thing for thing, on in users.items() if site in on}
        by_name = _module_owners(finder, needed - set(copy.copied()), calling)
        if not needed or by_name is None:
            continue  # a thing reaches the call another way than through the client
        reads = {
            n.id for stmt in copy.copied() for n in facts.walk(stmt) if isinstance(n, ast.Name)
        }
        own = _own_statements(analysis, site)
        # module-level names the call's own URL reads (`f"{BASE}/employees/{id}"`): renamed
        refs = [ref for stmt in own for ref in _names_in(facts, stmt) if ref.id in by_name]
        if any(finder.shadowed(ref) for ref in refs):
            continue
        reached = set(by_name) & (reads | {ref.id for ref in refs})
        todo = list(reached)
        while todo:  # a copy reads the copies of what it reads (a base built from a host)
            for owner in by_name[todo.pop()]:
                for ref in _names_in(facts, owner.stmt, whole=True):
                    if ref.id in by_name and ref.id not in reached:
                        reached.add(ref.id)
                        todo.append(ref.id)
        if reached != set(by_name):
            continue  # a module-level thing reaches the call another way
        copied = [owner.stmt for owners in by_name.values() for owner in owners]
        if by_name and _module_reads_elsewhere(analysis, finder, site, copy, copied, reach, own):
            continue
        if _closers(analysis, copy.attr, copy.setup) is None:
            continue
        rename = receiver_rename(analysis, site, "\0client")
        trial = [*site_edits[site], *(_rename(analysis, ref, f"\0{ref.id}") for ref in refs)]
        if rename is None or not fits(analysis, trial, rename):
            continue
        found.append((site, copy, refs))
        for name, owners in by_name.items():
            for owner in owners:
                if owner not in chosen.setdefault(name, []):
                    chosen[name].append(owner)
    return found


def _module_owners(
    finder: _Module, things: set[ast.stmt], calling: set[_Function]
) -> dict[str, list[Owner]] | None:
    """The module-level statements to copy for these things, by name (None: one cannot be)."""
    by_name: dict[str, list[Owner]] = {}
    for thing in things:
        owner = finder.owner(thing)
        if owner is None or owner.stmt in calling:
            return None
        if not isinstance(owner.stmt, _Function) and raises_when_unset(
            finder.analysis.facts, owner.stmt
        ):
            return None
        if owner not in by_name.setdefault(owner.name, []):
            by_name[owner.name].append(owner)
    if not all(finder.all_bindings(name, owners) for name, owners in by_name.items()):
        return None
    return by_name


def _module_reads_elsewhere(
    analysis: Analysis,
    finder: _Module,
    site: Site,
    copy: ClientCopy,
    copied: list[ast.stmt],
    reach: Reach,
    own: list[ast.stmt],
) -> bool:
    """Whether a statement other than the copies reads a copied module-level name and flows
    into the call (it would stay on the legacy thing)."""
    names = {owner_name for owner_name in finder.bindings if any(
        stmt in copied for stmt in finder.bindings[owner_name])}
    skip = set(copied) | set(copy.copied())
    spans = [analysis.span(stmt) for stmt in copied]
    for stmt in finder.readers(names):
        if stmt in skip or stmt in own:
            continue
        start, _end = analysis.span(stmt)
        if any(low <= start < high for low, high in spans):
            continue
        if site.call.stmt in reach.reached(stmt):
            return True
    return False


_REQUESTS = frozenset({
    "get", "post", "put", "patch", "delete", "head", "options", "request", "send", "stream",
})
_CLOSE = frozenset({"close", "aclose"})


def _closers(
    analysis: Analysis, attr: str, setup: list[ast.stmt] | None = None
) -> list[ast.stmt] | None:
    """The statements that close the client `self.<attr>` (`self._client.close()`, `await
    self._client.aclose()`), when every other read of it is the receiver of a request or in
    the statements of `__init__` that set it up (`setup`, copied with it); None when it is
    read any other way (a header update elsewhere, passed on)."""
    facts = analysis.facts
    closers: list[ast.stmt] = []
    inside = {id(node) for stmt in setup or () for node in facts.walk(stmt)}
    for node in facts.nodes():
        if id(node) in inside:
            continue
        if not (
            isinstance(node, ast.Attribute)
            and node.attr == attr
            and isinstance(node.ctx, ast.Load)
            and isinstance(node.value, ast.Name)
            and node.value.id == "self"
        ):
            continue
        up = facts.parent(node)
        call = facts.parent(up) if up is not None else None
        if not (
            isinstance(up, ast.Attribute)
            and up.attr in _REQUESTS | _CLOSE
            and isinstance(call, ast.Call)
            and call.func is up
        ):
            return None
        if up.attr in _CLOSE:
            stmt = facts.parent(call)
            if isinstance(stmt, ast.Await):
                stmt = facts.parent(stmt)
            if not isinstance(stmt, ast.Expr):
                return None
            closers.append(stmt)
    return closers


def _closer_copies(
    analysis: Analysis, attr: str, new: str, setup: list[ast.stmt]
) -> list[Edit]:
    """Each statement that closes the legacy client, again for its copy, right after it."""
    edits = []
    for stmt in _closers(analysis, attr, setup) or []:
        start, end = analysis.span(stmt)
        text = analysis.source.text[start:end]
        marker = f"self.{attr}."
        if text.count(marker) != 1:
            raise EditConflict("a close statement that names the client twice")
        edits.append(after_statement(analysis, stmt, text.replace(marker, f"self.{new}.")))
    return edits


def _local_in_init(unit: Unit, name: str) -> bool:
    """Whether `__init__` binds the name itself (a parameter or a local): not the module's."""
    owner = unit.helper.owner
    init = next(
        (s for s in owner.body if isinstance(s, _Function) and s.name == "__init__"), None
    ) if owner is not None else None
    if init is None:
        return True
    args = init.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    if any(arg is not None and arg.arg == name for arg in params):
        return True
    return any(
        isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load)
        for node in ast.walk(init)
    ) or any(isinstance(node, ast.Global) and name in node.names for node in ast.walk(init))


def _checked_unit(
    analysis: Analysis,
    helper: RequestHelper,
    things: set[ast.stmt],
    thing_names: set[str],
    stores: dict[str, list[ast.AST]],
) -> Unit | str:
    """The helper's unit, once its copy is known to be possible (libcst may refuse it)."""
    unit = unit_of(analysis, helper, things, thing_names, stores)
    if isinstance(unit, str):
        return unit
    if not unit.dirty and not unit.helper_names:
        return "no attribute of the helper carries a shared thing"
    trial = {attr: f"new_api_{attr}" for attr in unit.dirty}
    names = {name: f"NEW_API_{name}" for name in unit.helper_names}
    try:
        unit_copy(helper, "_new_api_trial", trial, analysis, legacy_host.RULE.id, names)
    except NoTwin as problem:
        return str(problem)
    return unit


def _rename(analysis: Analysis, node: ast.Name, new: str) -> Edit:
    start, end = analysis.span(node)
    return Edit(start, end, (new,), legacy_host.RULE.id)


def _within(analysis: Analysis, stmt: ast.stmt, edit: Edit) -> bool:
    start, end = analysis.span(stmt)
    return start <= edit.start and edit.end <= end


def _copy(analysis: Analysis, owner: Owner, inside: list[Edit], names: dict[str, str]) -> Edit:
    """The statement again, under its new name, with the shared rules' edits and the renames of
    the other copies it reads; inserted after the line it ends on."""
    facts = analysis.facts
    source = analysis.source
    start, end = analysis.span(owner.stmt)
    if isinstance(owner.stmt, _Function) and owner.stmt.decorator_list:
        start = source.text.rfind("@", 0, analysis.span(owner.stmt.decorator_list[0])[0])
    edits = list(inside)
    for ref in _names_in(facts, owner.stmt, whole=True):
        if ref.id in names:
            edits.append(_rename(analysis, ref, names[ref.id]))
    if isinstance(owner.stmt, _Function):
        found = _DEF.search(source.text, start)
        if found is not None:
            at = found.end()
            edits.append(Edit(at, at + len(owner.name), (names[owner.name],), legacy_host.RULE.id))
    text = render(source.text[start:end], [_shifted(edit, -start) for edit in edits])
    line = source.line_of(start)
    first = source.lines[line - 1]
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    newline = source.newline(line)
    last = source.line_of(max(start, end - 1))
    at = sum(len(text_line) for text_line in source.lines[:last])
    at -= len(source.lines[last - 1]) - len(source.lines[last - 1].rstrip("\r\n"))
    gap = newline * 3 if isinstance(owner.stmt, _Function) and not indent else newline
    rule = next((e.rule for e in inside), legacy_host.RULE.id)
    return Edit(at, at, (gap + indent + text,), rule)


def _shifted(edit: Edit, by: int) -> Edit:
    pieces: list[Piece] = [
        piece if isinstance(piece, str) else (piece[0] + by, piece[1] + by)
        for piece in edit.pieces
    ]
    return Edit(edit.start + by, edit.end + by, tuple(pieces), edit.rule)


def _own_statements(analysis: Analysis, site: Site) -> list[ast.stmt]:
    """The call's statement and those that build each URL it can take."""
    own: list[ast.stmt] = [site.call.stmt]
    for variant in site.variants:
        root = variant.template.edit_at or variant.template.root
        stmt = next(
            (up for up in analysis.facts.ancestors(root) if isinstance(up, ast.stmt)), None
        )
        if stmt is not None and stmt not in own:
            own.append(stmt)
    made = _receiver_made(analysis, site)
    if made is not None and made not in own:
        own.append(made)
    return own


def _receiver_made(analysis: Analysis, site: Site) -> ast.stmt | None:
    """The statement that makes the client a call is sent on from a factory, when it is the one
    binding of that local in the function (`s = _session()`, `with _client() as http:`)."""
    func = site.node.func
    if not (isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)):
        return None
    name = func.value.id
    function = next(
        (up for up in analysis.facts.ancestors(site.node) if isinstance(up, _Function)), None
    )
    if function is None:
        return None
    found: list[ast.stmt] = []
    for node in analysis.facts.walk(function):
        if (
            isinstance(node, _Function | ast.Lambda)
            and node is not function
            and any(  # a nested function binding the name: not this one's local to follow
                isinstance(n, ast.Name) and n.id == name and not isinstance(n.ctx, ast.Load)
                for n in analysis.facts.walk(node)
            )
        ):
            return None
        if isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load):
            made = _made_by_a_call(analysis, node)
            if made is None:
                return None
            found.append(made)
    args = function.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    if len(found) != 1 or any(arg is not None and arg.arg == name for arg in params):
        return None
    return found[0]


def _made_by_a_call(analysis: Analysis, target: ast.Name) -> ast.stmt | None:
    """The statement binding `target` to what a function returns (`s = _session()`, `with
    _client() as http:`, one item), if that is how it is bound."""
    up = analysis.facts.parent(target)
    value: ast.expr | None = None
    stmt: ast.stmt | None = None
    if isinstance(up, ast.Assign) and len(up.targets) == 1:
        stmt, value = up, up.value
    elif isinstance(up, ast.withitem):
        around = next((w for w in analysis.facts.ancestors(up) if isinstance(w, ast.With)), None)
        if around is not None and len(around.items) == 1:
            stmt, value = around, up.context_expr
    if isinstance(value, ast.Call) and isinstance(value.func, ast.Name):
        return stmt
    return None


def _names_in(facts: ModuleFacts, stmt: ast.stmt, whole: bool = False) -> list[ast.Name]:
    """The names a statement reads, without the statements nested in it (`whole`: with)."""
    if whole:
        return [node for node in facts.walk(stmt) if isinstance(node, ast.Name)]
    found: list[ast.Name] = []
    for name, value in ast.iter_fields(stmt):
        if name in _BODIES:
            continue
        for node in value if isinstance(value, list) else [value]:
            if isinstance(node, ast.AST):
                found += [
                    sub
                    for sub in facts.walk(node)
                    if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Load)
                ]
    return found


class _Module:
    """What the split asks of the module: owners, bindings, names in use."""

    def __init__(self, analysis: Analysis, tree: ast.Module) -> None:
        self.analysis = analysis
        self.bindings: dict[str, list[ast.stmt]] = {}  # module-level statements binding a name
        self.declared_global: set[str] = set()
        self._used: set[str] | None = None
        self._readers: dict[str, list[ast.stmt]] | None = None
        self._groups: dict[str, list[Owner] | None] = {}
        self._stores: dict[ast.AST, set[str]] = {}
        self._collect(tree.body)
        for node in analysis.facts.walk(tree):
            if isinstance(node, ast.Global):
                self.declared_global.update(node.names)

    @property
    def used(self) -> set[str]:
        """Every name the module uses (what a copy's new name must not clash with): asked only
        when something is copied."""
        if self._used is None:
            used: set[str] = set()
            for node in self.analysis.facts.nodes():
                if isinstance(node, ast.Name):
                    used.add(node.id)
                elif isinstance(node, _Function | ast.ClassDef):
                    used.add(node.name)
                elif isinstance(node, ast.arg):
                    used.add(node.arg)
                elif isinstance(node, ast.alias):
                    used.add((node.asname or node.name).split(".")[0])
                elif isinstance(node, ast.Attribute):
                    used.add(node.attr)
            self._used = used
        return self._used

    def _collect(self, body: list[ast.stmt]) -> None:
        for stmt in body:
            if isinstance(stmt, _Function | ast.ClassDef):
                self.bindings.setdefault(stmt.name, []).append(stmt)
                continue
            for name, value in ast.iter_fields(stmt):
                if name in _BODIES:
                    continue
                for node in value if isinstance(value, list) else [value]:
                    if not isinstance(node, ast.AST):
                        continue
                    for sub in self.analysis.facts.walk(node):
                        if isinstance(sub, ast.Name) and not isinstance(sub.ctx, ast.Load):
                            self.bindings.setdefault(sub.id, []).append(stmt)
                        elif isinstance(sub, ast.alias):
                            bound = (sub.asname or sub.name).split(".")[0]
                            self.bindings.setdefault(bound, []).append(stmt)
            for name in _BODIES:
                inner = getattr(stmt, name, None)
                if isinstance(inner, list):
                    for item in inner:
                        if isinstance(item, ast.ExceptHandler | ast.match_case):
                            self._collect(item.body)
                        elif isinstance(item, ast.stmt):
                            self._collect([item])

    def owner(self, thing: ast.stmt) -> Owner | None:
        """The copyable module-level statement a shared thing is part of, if any."""
        chain = [up for up in self.analysis.facts.ancestors(thing) if isinstance(up, ast.stmt)]
        if not chain:
            root = _mutated(thing)
            if root is not None and any(o.stmt is thing for o in self.client_group(root) or ()):
                return Owner(thing, root)  # `s.headers["Authorization"] = …` on a module client
            return _assigned(thing)
        if all(isinstance(up, ast.If) for up in chain):
            return _assigned(thing)
        top = chain[-1]
        if (
            isinstance(top, _Function)
            and all(_memoising(decorator) for decorator in top.decorator_list)
            and not any(isinstance(up, ast.ClassDef) for up in chain)
        ):
            return Owner(top, top.name)
        return None

    def client_group(self, name: str) -> list[Owner] | None:
        """A module-level client (`s = requests.Session()`, `client = httpx.Client(…)`) and
        the module-level statements after it that set it up (`s.headers["Authorization"] = …`,
        `s.headers.update(…)`, `s.mount(…)`), when that is all the module does with it besides
        sending requests and closing it: copied together, so the copy has the same adapters,
        hooks and other headers. None: not such a client (a header update in a function, the
        client handed on, rebound)."""
        if name in self._groups:
            return self._groups[name]
        self._groups[name] = None
        facts = self.analysis.facts
        tree = facts.tree
        bound = self.bindings.get(name, [])
        if len(bound) != 1 or name in self.declared_global or bound[0] not in tree.body:
            return None
        made = bound[0]
        if not (
            isinstance(made, ast.Assign)
            and len(made.targets) == 1
            and isinstance(made.targets[0], ast.Name)
            and isinstance(made.value, ast.Call)
            and _builds_client(facts, made)
        ):
            return None
        group = [Owner(made, name)]
        setup: set[ast.stmt] = set()
        for stmt in tree.body[tree.body.index(made) + 1 :]:
            if _mutated(stmt) == name:
                group.append(Owner(stmt, name))
                setup.add(stmt)
        for node in facts.walk(tree):
            if not (isinstance(node, ast.Name) and node.id == name and node is not made.targets[0]):
                continue
            if self.shadowed(node) or any(up in setup for up in facts.ancestors(node)):
                continue
            if not _sends_or_closes(facts, node):
                return None  # read another way: the copy would miss what that does
        self._groups[name] = group
        return group

    def carriers(self, own: list[ast.stmt], by_name: dict[str, list[Owner]]) -> list[Owner]:
        """Module-level `name = functools.partial(…)` statements the call reads by name and
        that read a shared thing (`get = partial(requests.get, headers=HEADERS)`): copied
        with the things, so that the call reads the copy."""
        facts = self.analysis.facts
        found: list[Owner] = []
        for ref in (ref for stmt in own for ref in _names_in(facts, stmt)):
            if ref.id in by_name or any(owner.name == ref.id for owner in found):
                continue
            bound = self.bindings.get(ref.id, [])
            if len(bound) != 1 or not _partial(bound[0]) or self.shadowed(ref):
                continue
            owner = _assigned(bound[0])
            module_level = self.analysis.facts.parent(bound[0]) is self.analysis.facts.tree
            if owner is None or not module_level:
                continue
            if any(name.id in by_name for name in _names_in(facts, bound[0], whole=True)):
                found.append(owner)
        return found

    def all_bindings(self, name: str, owners: list[Owner]) -> bool:
        """Whether the owners are every module-level binding of the name (a copy of one branch
        of two, or a name a function rebinds, would not follow the legacy one)."""
        if name in self.declared_global:
            return False
        binding = {owner.stmt for owner in owners if _mutated(owner.stmt) != name}
        return set(self.bindings.get(name, ())) == binding

    def reaches_otherwise(
        self, site: Site, own: list[ast.stmt], by_name: dict[str, list[Owner]], reach: Reach
    ) -> bool:
        """Whether a statement other than the call's own (and the copies') reads one of the
        names and flows into the call (`prefix = BASE + "/v1"` then used by it): renaming
        the call's own reads would leave that path on the legacy thing."""
        copied = [owner.stmt for found in by_name.values() for owner in found]
        spans = [self.analysis.span(stmt) for stmt in copied]
        for stmt in self.readers(set(by_name)):
            if stmt in own:
                continue
            start, _end = self.analysis.span(stmt)
            if any(low <= start < high for low, high in spans):
                continue
            if site.call.stmt in reach.reached(stmt):
                return True
        return False

    def readers(self, names: set[str]) -> list[ast.stmt]:
        """The statements that read any of the names themselves (nested statements apart)."""
        facts = self.analysis.facts
        if self._readers is None:
            self._readers = {}
            for stmt in facts.statements():
                for ref in _names_in(facts, stmt):
                    self._readers.setdefault(ref.id, []).append(stmt)
        return [stmt for name in sorted(names) for stmt in self._readers.get(name, ())]

    def _stored_in(self, function: ast.AST) -> set[str]:
        """The names a function (nested ones included) stores to, found once per function."""
        found = self._stores.get(function)
        if found is None:
            found = {
                node.id
                for node in self.analysis.facts.walk(function)
                if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load)
            }
            self._stores[function] = found
        return found

    def shadowed(self, ref: ast.Name) -> bool:
        """Whether a function around the name binds it locally (then it is not the module's)."""
        in_function = False  # a class body's names are not seen by its methods
        for up in self.analysis.facts.ancestors(ref):
            if isinstance(up, _Function | ast.Lambda):
                in_function = True
                args = up.args
                params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
                if any(arg is not None and arg.arg == ref.id for arg in params):
                    return True
                if isinstance(up, _Function) and ref.id in self._stored_in(up):
                    return True
            elif isinstance(up, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
                if any(  # a name the comprehension binds (`for s in …`) is not the module's
                    isinstance(node, ast.Name) and node.id == ref.id
                    for generator in up.generators
                    for node in ast.walk(generator.target)
                ):
                    return True
            elif isinstance(up, ast.ClassDef) and not in_function:
                return True
        return False

    def fresh_names(self, chosen: dict[str, list[Owner]], shared: list[Edit]) -> dict[str, str]:
        """A new name per copied name, by its role, clashing with none of the module's."""
        taken = set(self.used)
        names: dict[str, str] = {}
        for name, owners in chosen.items():
            rules = {
                edit.rule
                for owner in owners
                for edit in shared
                if _within(self.analysis, owner.stmt, edit)
            }
            wanted = self._role(name, owners, rules)
            candidate, number = wanted, 2
            while candidate in taken:
                candidate, number = f"{wanted}_{number}", number + 1
            taken.add(candidate)
            names[name] = candidate
        return names

    def _role(self, name: str, owners: list[Owner], rules: set[str]) -> str:
        function = any(isinstance(owner.stmt, _Function) for owner in owners)
        facts = self.analysis.facts
        if any(_partial(owner.stmt) for owner in owners):
            return f"new_api_{name.lstrip('_')}"  # `fetch = partial(requests.get, headers=…)`
        if any(_builds_client(facts, owner.stmt) for owner in owners):  # `_new_api_session()`
            return f"_new_api_{name.lstrip('_')}" if function else f"new_api_{name.lstrip('_')}"
        if bearer_auth.RULE.id in rules:
            return "_new_api_headers" if function else "NEW_API_HEADERS"
        if function:
            return f"_new_api_{name.lstrip('_')}"
        tokens = any(
            TOKEN_ENV_NAME.match(read.name)
            for read in self.analysis.facts.env_reads
            for owner in owners
            if read.stmt is owner.stmt
        )
        if tokens or hardcoded_credential.RULE.id in rules:
            return "NEW_API_KEY"
        if legacy_host.RULE.id in rules:
            return "NEW_API_BASE"
        return f"NEW_API_{name.upper().lstrip('_')}"


_MEMOISING = frozenset({"cache", "lru_cache"})


def _memoising(decorator: ast.expr) -> bool:
    """`@functools.lru_cache(maxsize=1)`, `@cache`…: a factory made once per process; its copy
    (decorators and all) is made once too, beside it, so the two never share a client."""
    if isinstance(decorator, ast.Call):
        decorator = decorator.func
    if isinstance(decorator, ast.Attribute):
        return (
            decorator.attr in _MEMOISING
            and isinstance(decorator.value, ast.Name)
            and decorator.value.id == "functools"
        )
    return isinstance(decorator, ast.Name) and decorator.id in _MEMOISING


def _mutated(stmt: ast.stmt) -> str | None:
    """The name a statement sets something on (`s.headers["A"] = …`, `s.auth = …`,
    `s.headers.update(…)`, `s.mount(…)`): the root of its target or of the method it calls."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        node: ast.expr = stmt.targets[0]
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        node = stmt.value.func
    else:
        return None
    if not isinstance(node, ast.Attribute | ast.Subscript):
        return None
    while isinstance(node, ast.Attribute | ast.Subscript):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def _sends_or_closes(facts: ModuleFacts, node: ast.Name) -> bool:
    """Whether a read of a client is the receiver of a request or a close (`s.get(…)`)."""
    up = facts.parent(node)
    call = facts.parent(up) if up is not None else None
    return (
        isinstance(up, ast.Attribute)
        and up.attr in _REQUESTS | _CLOSE
        and isinstance(call, ast.Call)
        and call.func is up
    )


def _builds_client(facts: ModuleFacts, stmt: ast.stmt) -> bool:
    """Whether a function constructs a client (`requests.Session()`, `httpx.Client(…)`)."""
    return any(
        isinstance(node, ast.Call)
        and (node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", "")) in CLIENT_CLASSES
        for node in facts.walk(stmt)
    )


def _partial(stmt: ast.stmt) -> bool:
    """`name = functools.partial(…)`: a callable with the headers bound, not a header dict."""
    value = stmt.value if isinstance(stmt, ast.Assign | ast.AnnAssign) else None
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    return (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) == "partial"


def _assigned(thing: ast.stmt) -> Owner | None:
    if isinstance(thing, ast.Assign) and len(thing.targets) == 1:
        target = thing.targets[0]
    elif isinstance(thing, ast.AugAssign) or (
        isinstance(thing, ast.AnnAssign) and thing.value is not None
    ):  # a `+=` only when PLM001 drops it (`+= "/v1"`): see `_kept_extension`
        target = thing.target
    else:
        return None
    return Owner(thing, target.id) if isinstance(target, ast.Name) else None


def safe_token_reads(analysis: Analysis, staying: list[ast.stmt]) -> list[Edit]:
    """`os.environ["PLEO_TOKEN"]` → `os.environ.get("PLEO_TOKEN", "")` in the legacy statements
    that stay beside a split: the module must import, and the wrapper construct, once the legacy
    token is unset, or the moved calls fail with the staying ones."""
    edits = []
    for stmt in staying:
        for node in token_reads(stmt):
            key = analysis.text(node.slice)
            code = safe_env_read(analysis, node, key, key[-1])
            edits.append(replace(analysis.source, node, env_names.RULE.id, code))
    return edits

