"""Split instead of wait, for a wrapper class: calls through its request helper move onto a
copy of the helper that reads copies of the instance attributes carrying the host and auth.

The pattern: a class sets its shared things in `__init__` (`self.base_url = (base or
DEFAULT_BASE).rstrip("/")`, `self.headers = {"Authorization": f"Bearer {token}"}`, or an
`httpx.Client(base_url=…, headers=…)` kept in `self.client`), and its public methods call one
private request helper (`self._request("GET", "/expenses")`). When one of those calls must stay
legacy and others can move, each attribute the helper reads whose value comes from a shared
thing gets a copy right after its assignment (`self.new_api_base_url = …`, with the module-wide
rules' edits applied), the helper gets a copy reading the copies (`_new_api_request`, copied
from the user's text by `helper_twin`), and the calls that move call the copy. A call moves
only when every shared thing it needs reaches it through those attributes (each assigned once,
in the body of `__init__`) or module-level statements they read, and no other path; otherwise
it keeps waiting. A session whose auth is set by a method call (`self.session.headers.update`)
is not an assignment: its calls wait.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from migrate.codemod.find.evaluate import Evaluator, Hole
from migrate.codemod.find.hosts import NEW_HOSTS
from migrate.codemod.find.reach import Reach
from migrate.codemod.find.site import Site
from migrate.codemod.find.wrappers import RequestHelper
from migrate.codemod.helper_twin import copyable, unit_copy
from migrate.codemod.rule import Analysis
from migrate.codemod.rules import legacy_host
from migrate.codemod.text.edits import Edit, EditConflict, Piece, render

_Function = ast.FunctionDef | ast.AsyncFunctionDef


@dataclass
class Unit:
    """What one wrapper class's split copies."""

    helper: RequestHelper
    assigned: dict[str, ast.Assign]  # attribute → its one assignment in `__init__`
    dirty: list[str]  # the attributes to copy, in the order they are assigned
    names: set[str]  # module-level names the copies read (copied in turn)


@dataclass
class UnitSplit:
    freed: set[Site] = field(default_factory=set)
    units: dict[str, Unit] = field(default_factory=dict)  # helper name → unit
    calls: list[tuple[Site, str]] = field(default_factory=list)  # moved call → its helper


def attribute_stores(tree: ast.Module) -> dict[str, list[ast.AST]]:
    """Every place an attribute of that name is set (on any object), by its name."""
    stores: dict[str, list[ast.AST]] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            stores.setdefault(node.attr, []).append(node)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
            stores.setdefault(node.target.attr, []).append(node.target)
    return stores


def self_reads(node: ast.AST) -> list[ast.Attribute]:
    return [
        sub
        for sub in ast.walk(node)
        if isinstance(sub, ast.Attribute)
        and isinstance(sub.value, ast.Name)
        and sub.value.id == "self"
        and isinstance(sub.ctx, ast.Load)
    ]


def unit_of(
    analysis: Analysis,
    helper: RequestHelper,
    things: set[ast.stmt],
    thing_names: set[str],
    stores: dict[str, list[ast.AST]],
) -> Unit | str:
    """The unit of a class's request helper, or why it has none."""
    owner = helper.owner
    if owner is None:
        return "a module-level helper"
    if not copyable(helper):
        return "a helper that does more than one request"
    init = next(
        (s for s in owner.body if isinstance(s, _Function) and s.name == "__init__"), None
    )
    if init is None:
        return "no __init__"
    helper_names = {
        n.id for n in ast.walk(helper.function) if isinstance(n, ast.Name)
    }
    if helper_names & thing_names:
        return "the helper reads a shared module-level name itself"
    assigned: dict[str, ast.Assign] = {}
    todo = [ref.attr for ref in self_reads(helper.function)]
    seen: set[str] = set()
    while todo:
        attr = todo.pop()
        if attr in seen:
            continue
        seen.add(attr)
        found = stores.get(attr, [])
        if not found:
            continue  # a method or a class attribute: clean unless a shared thing says not
        if len(found) != 1:
            return f"`self.{attr}` is set more than once"
        stmt = next((s for s in init.body if _assigns(s, found[0])), None)
        if stmt is None:
            return f"`self.{attr}` is not set in the body of __init__"
        assigned[attr] = stmt
        todo += [ref.attr for ref in self_reads(stmt.value)]
    dirty: set[str] = set()
    changed = True
    while changed:
        changed = False
        for attr, stmt in assigned.items():
            if attr in dirty:
                continue
            reads = {n.id for n in ast.walk(stmt.value) if isinstance(n, ast.Name)}
            if (
                stmt in things
                or reads & thing_names
                or {ref.attr for ref in self_reads(stmt.value)} & dirty
            ):
                dirty.add(attr)
                changed = True
    order = sorted(dirty, key=lambda attr: (assigned[attr].lineno, assigned[attr].col_offset))
    names = {
        n.id
        for attr in order
        for n in ast.walk(assigned[attr].value)
        if isinstance(n, ast.Name) and n.id in thing_names
    }
    return Unit(helper, assigned, order, names)


def _assigns(stmt: ast.stmt, target: ast.AST) -> bool:
    return (
        isinstance(stmt, ast.Assign)
        and len(stmt.targets) == 1
        and stmt.targets[0] is target
        and isinstance(target, ast.Attribute)
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    )


def other_path(
    analysis: Analysis, site: Site, unit: Unit, copied: list[ast.stmt], reach: Reach
) -> bool:
    """Whether a statement besides the copied ones and the helper reads a copied attribute or
    name and flows into the call (it would stay on the legacy thing)."""
    dirty = set(unit.dirty)
    skip = {id(stmt) for stmt in copied}
    skip |= {id(stmt) for stmt in ast.walk(unit.helper.function) if isinstance(stmt, ast.stmt)}
    skip |= {id(unit.assigned[attr]) for attr in unit.dirty}
    for stmt in ast.walk(analysis.facts.tree):
        if not isinstance(stmt, ast.stmt) or id(stmt) in skip:
            continue
        if isinstance(stmt, _Function | ast.ClassDef):
            continue
        own = _own_nodes(stmt)
        reads_attr = any(ref.attr in dirty for node in own for ref in self_reads(node))
        reads_name = any(
            isinstance(n, ast.Name) and n.id in unit.names and isinstance(n.ctx, ast.Load)
            for node in own
            for n in ast.walk(node)
        )
        if (reads_attr or reads_name) and site.call.stmt in reach.reached(stmt):
            return True
    return False


def _own_nodes(stmt: ast.stmt) -> list[ast.AST]:
    found: list[ast.AST] = []
    for name, value in ast.iter_fields(stmt):
        if name in ("body", "orelse", "finalbody", "handlers", "cases"):
            continue
        for node in value if isinstance(value, list) else [value]:
            if isinstance(node, ast.AST):
                found.append(node)
    return found


def call_rename(analysis: Analysis, site: Site, new: str) -> Edit | None:
    """The edit that makes `self._request(…)` call `self.<new>(…)`."""
    func = site.call.node.func
    if not isinstance(func, ast.Attribute):
        return None
    _start, end = analysis.span(func)
    return Edit(end - len(func.attr), end, (new,), legacy_host.RULE.id)


def fits(analysis: Analysis, own: list[Edit], rename: Edit) -> bool:
    try:
        render(analysis.source.text, [*own, rename])
    except EditConflict:
        return False
    return True


def attribute_names(unit: Unit, taken: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for attr in unit.dirty:
        under = "_" if attr.startswith("_") else ""
        wanted = f"{under}new_api_{attr.lstrip('_')}"
        candidate, number = wanted, 2
        while candidate in taken:
            candidate, number = f"{wanted}_{number}", number + 1
        taken.add(candidate)
        names[attr] = candidate
    return names


def helper_name(unit: Unit, taken: set[str]) -> str:
    wanted = f"_new_api_{unit.helper.name.lstrip('_')}"
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}_{number}", number + 1
    taken.add(candidate)
    return candidate


def unit_edits(
    analysis: Analysis,
    unit: Unit,
    shared: list[Edit],
    module_names: dict[str, str],
    taken: set[str],
) -> tuple[list[Edit], set[str], str]:
    """The copies of a unit's attributes and helper; the rules their edits carry; the name of
    the helper's copy. Raises NoTwin when the helper cannot be copied."""
    attributes = attribute_names(unit, taken)
    name = helper_name(unit, taken)
    edits = [unit_copy(unit.helper, name, attributes, analysis, legacy_host.RULE.id)]
    rules: set[str] = set()
    for attr in unit.dirty:
        stmt = unit.assigned[attr]
        start, end = analysis.span(stmt)
        inside = [e for e in shared if start <= e.start and e.end <= end]
        rules |= {e.rule for e in inside}
        renames = list(inside)
        target = stmt.targets[0]
        _t, target_end = analysis.span(target)
        renames.append(_edit(target_end - len(attr), target_end, attributes[attr]))
        for ref in self_reads(stmt.value):
            if ref.attr in attributes:
                _r, ref_end = analysis.span(ref)
                renames.append(_edit(ref_end - len(ref.attr), ref_end, attributes[ref.attr]))
        for node in ast.walk(stmt.value):
            if isinstance(node, ast.Name) and node.id in module_names:
                low, high = analysis.span(node)
                renames.append(_edit(low, high, module_names[node.id]))
        text = render(analysis.source.text[start:end], [_shifted(e, -start) for e in renames])
        edits.append(_after(analysis, stmt, text, next((e.rule for e in inside), None)))
    return edits, rules, name


def _edit(start: int, end: int, text: str) -> Edit:
    return Edit(start, end, (text,), legacy_host.RULE.id)


def _shifted(edit: Edit, by: int) -> Edit:
    pieces: list[Piece] = [
        piece if isinstance(piece, str) else (piece[0] + by, piece[1] + by)
        for piece in edit.pieces
    ]
    return Edit(edit.start + by, edit.end + by, tuple(pieces), edit.rule)


def _after(analysis: Analysis, stmt: ast.stmt, text: str, rule: str | None) -> Edit:
    """`text` on a line of its own after the statement, at its indent."""
    source = analysis.source
    start, end = analysis.span(stmt)
    line = source.line_of(start)
    first = source.lines[line - 1]
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    newline = source.newline(line)
    last = source.line_of(max(start, end - 1))
    at = sum(len(text_line) for text_line in source.lines[:last])
    at -= len(source.lines[last - 1]) - len(source.lines[last - 1].rstrip("\r\n"))
    return Edit(at, at, (newline + indent + text,), rule or legacy_host.RULE.id)




def on_new_default_base(site: Site, evaluator: Evaluator) -> bool:
    """Whether a call the finder could not follow sends to an attribute whose every value
    defaults to a new-API host (`self.new_api_base_url = (base or NEW_API_BASE).rstrip("/")`,
    the copy a split made): a base resolved to the new host is never legacy."""
    if site.resolution.status != "dynamic" or site.helper is not None or site.carries:
        return False
    first = site.template.parts[0] if site.template.parts else None
    if not isinstance(first, Hole) or not isinstance(first.node, ast.Attribute):
        return False
    bindings = evaluator.attribute_bindings(first.node, site.call.scope)
    if not bindings:
        return False
    for binding in bindings:
        value = binding.value
        if value is None:
            return False
        if (
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in ("rstrip", "strip")
        ):
            value = value.func.value
        if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
            value = value.values[-1]  # `base or DEFAULT`: the default
        scope = evaluator.scope_of(value, site.call.scope)
        found = evaluator.static_str(value, scope)
        values = [found] if found is not None else evaluator.samples(value, scope)
        new = tuple(NEW_HOSTS.values())
        if not values or not all(url.startswith(new) for url in values):
            return False  # (an environment read: the samples are its default)
    return True
