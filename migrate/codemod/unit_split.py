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
is not an assignment: its calls wait; so do those of a wrapper whose `__init__` reads the legacy
token as `os.environ["…"]` in a statement that stays (it would raise once the token is unset).
"""

from __future__ import annotations

import ast
from collections.abc import Iterable
from dataclasses import dataclass, field

from migrate.codemod.find.evaluate import Evaluator, Hole
from migrate.codemod.find.facts import ModuleFacts, Scope
from migrate.codemod.find.hosts import NEW_HOSTS, TOKEN_ENV_NAME
from migrate.codemod.find.reach import Reach
from migrate.codemod.find.site import Site, keyword
from migrate.codemod.find.sites import SiteFinder
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
    init: ast.FunctionDef | ast.AsyncFunctionDef
    # locals of `__init__` the copies read (`token = os.environ["PLEO_TOKEN"]`): copied too
    local_stmts: dict[str, ast.Assign] = field(default_factory=dict)
    locals_dirty: list[str] = field(default_factory=list)
    helper_names: set[str] = field(default_factory=set)  # shared names the helper reads itself
    # attribute → the statements of `__init__` after its assignment that set its client up
    # (`self.session.headers.update(…)`, `self.session.mount(…)`): copied with it
    setup: dict[str, list[ast.stmt]] = field(default_factory=dict)

    def copied(self) -> list[ast.stmt]:
        return [
            *(self.assigned[a] for a in self.dirty),
            *(later for a in self.dirty for later in self.setup.get(a, ())),
            *(self.local_stmts[n] for n in self.locals_dirty),
        ]


@dataclass
class UnitSplit:
    freed: set[Site] = field(default_factory=set)
    units: dict[str, Unit] = field(default_factory=dict)  # helper name → unit
    calls: list[tuple[Site, str]] = field(default_factory=list)  # moved call → its helper


def attribute_stores(nodes: Iterable[ast.AST]) -> dict[str, list[ast.AST]]:
    """Every place an attribute of that name is set (on any object), by its name, among the
    module's nodes (`ModuleFacts.nodes()`)."""
    stores: dict[str, list[ast.AST]] = {}
    for node in nodes:
        if isinstance(node, ast.Attribute) and not isinstance(node.ctx, ast.Load):
            stores.setdefault(node.attr, []).append(node)
        elif isinstance(node, ast.AugAssign) and isinstance(node.target, ast.Attribute):
            stores.setdefault(node.target.attr, []).append(node.target)
    return stores


def self_reads(node: ast.AST, but: str | None = None) -> list[ast.Attribute]:
    """The `self.<x>` reads in a node (`but`: other than `self.<but>`)."""
    return [
        sub
        for sub in ast.walk(node)
        if isinstance(sub, ast.Attribute)
        and isinstance(sub.value, ast.Name)
        and sub.value.id == "self"
        and isinstance(sub.ctx, ast.Load)
        and sub.attr != but
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
        return "a helper whose own text changes for the new API"
    problem = _calls_out(analysis, helper, owner)
    if problem is not None:
        return problem
    init = next(
        (s for s in owner.body if isinstance(s, _Function) and s.name == "__init__"), None
    )
    if init is None:
        return "no __init__"
    helper_names = {
        n.id for n in ast.walk(helper.function) if isinstance(n, ast.Name)
    } & thing_names
    if any(_binds(helper.function, name) for name in helper_names):
        return "the helper binds a shared module-level name itself"
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
        stmt = next(
            (s for s in init.body if isinstance(s, ast.Assign) and _assigns(s, found[0])), None
        )
        if stmt is None:
            return f"`self.{attr}` is not set in the body of __init__"
        assigned[attr] = stmt
        todo += [ref.attr for ref in self_reads(stmt.value)]
    setup = {
        attr: [
            later for later in init.body[init.body.index(stmt) + 1 :]
            if client_setup(later) == attr
        ]
        for attr, stmt in assigned.items()
    }
    if any(self_reads(later, attr) for attr, found in setup.items() for later in found):
        return "a client is set up from other attributes of the instance"
    local_stmts = _init_locals(init)
    dirty: set[str] = set()
    dirty_locals: set[str] = set()
    statements = [(attr, stmt, dirty) for attr, stmt in assigned.items()]
    statements += [(name, stmt, dirty_locals) for name, stmt in local_stmts.items()]
    changed = True
    while changed:
        changed = False
        for key, stmt, into in statements:
            if key in into:
                continue
            later = setup.get(key, []) if into is dirty else []
            nodes: list[ast.AST] = [stmt.value, *later]
            reads = {n.id for node in nodes for n in ast.walk(node) if isinstance(n, ast.Name)}
            if (
                stmt in things
                or any(set_up in things for set_up in later)
                or reads & (thing_names | dirty_locals)
                or {ref.attr for node in nodes for ref in self_reads(node)} & dirty
            ):
                into.add(key)
                changed = True
    order = sorted(dirty, key=lambda attr: (assigned[attr].lineno, assigned[attr].col_offset))
    local_order = sorted(dirty_locals, key=lambda name: local_stmts[name].lineno)
    copied: list[ast.stmt] = [assigned[attr] for attr in order]
    copied += [local_stmts[n] for n in local_order]
    copied += [later for attr in order for later in setup[attr]]
    names = {
        n.id
        for stmt in copied
        for n in ast.walk(stmt)
        if isinstance(n, ast.Name) and n.id in thing_names and isinstance(n.ctx, ast.Load)
    }
    if any(raises_when_unset(analysis.facts, stmt) for stmt in copied):
        return "`__init__` reads the legacy token with `os.environ[…]`: it fails once unset"
    names |= helper_names
    return Unit(
        helper, assigned, order, names, init, local_stmts, local_order, helper_names, setup
    )


def _binds(function: ast.FunctionDef | ast.AsyncFunctionDef, name: str) -> bool:
    """Whether the function binds the name (a parameter, a local, `global`)."""
    args = function.args
    params = [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]
    return any(arg is not None and arg.arg == name for arg in params) or any(
        (isinstance(node, ast.Name) and node.id == name and not isinstance(node.ctx, ast.Load))
        or (isinstance(node, ast.Global | ast.Nonlocal) and name in node.names)
        for node in ast.walk(function)
    )


def raises_when_unset(facts: ModuleFacts, stmt: ast.stmt) -> bool:
    """Whether a statement that stays reads the environment by subscript (`os.environ["X"]`):
    after the cut-over it would raise in `__init__`, and take the moved calls down with it.
    A read of the legacy token does not count: a split makes it `os.environ.get("X", "")`
    (`token_reads`), so the staying calls fail at the call, not the module or constructor."""
    return any(
        _environ_read(node) and not _token_read(node) for node in facts.walk(stmt)
    )


def token_reads(stmt: ast.stmt) -> list[ast.Subscript]:
    """The `os.environ["PLEO_TOKEN"]` reads of a statement (a legacy token variable)."""
    return [
        node
        for node in ast.walk(stmt)
        if isinstance(node, ast.Subscript) and _environ_read(node) and _token_read(node)
    ]


def _environ_read(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Subscript)
        and isinstance(node.ctx, ast.Load)
        and isinstance(node.value, ast.Attribute | ast.Name)
        and (node.value.attr if isinstance(node.value, ast.Attribute) else node.value.id)
        == "environ"
    )


def _token_read(node: ast.AST) -> bool:
    key = node.slice if isinstance(node, ast.Subscript) else None
    return (
        isinstance(key, ast.Constant)
        and isinstance(key.value, str)
        and bool(TOKEN_ENV_NAME.match(key.value))
    )


def _calls_out(analysis: Analysis, helper: RequestHelper, owner: ast.ClassDef) -> str | None:
    """Why a copy of the helper would still send something legacy: it calls a method of its
    class (itself, to retry; a token refresh) or a module function that sends a legacy call."""
    methods = {s.name for s in owner.body if isinstance(s, _Function)}
    sending = {
        up.name
        for site in analysis.sites
        for up in analysis.facts.ancestors(site.node)
        if isinstance(up, _Function)
    }
    for node in ast.walk(helper.function):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "self"
            and func.attr in methods
        ):
            return f"the helper calls `self.{func.attr}`"
        if isinstance(func, ast.Name) and func.id in sending:
            return f"the helper calls `{func.id}`, which sends a legacy call"
    return None


def _init_locals(init: ast.FunctionDef | ast.AsyncFunctionDef) -> dict[str, ast.Assign]:
    """The locals `__init__` binds once, by a plain assignment in its body (not a parameter,
    unless the assignment gives it a default from itself)."""
    args = init.args
    params = {a.arg for a in [*args.posonlyargs, *args.args, *args.kwonlyargs]}
    counts: dict[str, int] = {}
    for node in ast.walk(init):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Load):
            counts[node.id] = counts.get(node.id, 0) + 1
    found: dict[str, ast.Assign] = {}
    for stmt in init.body:
        if (
            isinstance(stmt, ast.Assign)
            and len(stmt.targets) == 1
            and isinstance(stmt.targets[0], ast.Name)
        ):
            name = stmt.targets[0].id
            # a parameter given its default here (`token = token or os.environ[…]`) counts
            rebinds = any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(stmt.value))
            if counts.get(name) == 1 and (name not in params or rebinds):
                found[name] = stmt
    return found


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
    skip |= {id(stmt) for stmt in unit.copied()}
    in_init = {id(stmt) for stmt in ast.walk(unit.init) if isinstance(stmt, ast.stmt)}
    for stmt in analysis.facts.statements():
        if id(stmt) in skip:
            continue
        if isinstance(stmt, _Function | ast.ClassDef):
            continue
        own = _own_nodes(stmt)
        reads_attr = any(ref.attr in dirty for node in own for ref in self_reads(node))
        names = unit.names | (set(unit.locals_dirty) if id(stmt) in in_init else set())
        reads_name = any(
            isinstance(n, ast.Name) and n.id in names and isinstance(n.ctx, ast.Load)
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


def _fresh(wanted: str, taken: set[str]) -> str:
    candidate, number = wanted, 2
    while candidate in taken:
        candidate, number = f"{wanted}_{number}", number + 1
    taken.add(candidate)
    return candidate


def _copy_name(key: str) -> str:
    under = "_" if key.startswith("_") else ""
    return f"{under}new_api_{key.lstrip('_')}"


def unit_edits(
    analysis: Analysis,
    unit: Unit,
    shared: list[Edit],
    module_names: dict[str, str],
    taken: set[str],
    copies: dict[int, str],
    whole: bool = False,
) -> tuple[list[Edit], set[str], str]:
    """The copies of a unit's attributes and helper; the rules their edits carry; the name of
    the helper's copy. `copies` (statement id → the name of its copy) is shared by the units
    of a module, so that two helpers of one class read the same copied attributes; `whole`:
    every call of the helper moves, so the helper itself reads the copies (a helper left with
    no caller would be a legacy call of its own on a second run). Raises
    NoTwin when the helper cannot be copied, EditConflict when a statement cannot."""
    pairs = [(a, unit.assigned[a]) for a in unit.dirty]
    pairs += [(n, unit.local_stmts[n]) for n in unit.locals_dirty]
    fresh = [(key, stmt) for key, stmt in pairs if id(stmt) not in copies]
    made = {id(stmt): _fresh(_copy_name(key), taken) for key, stmt in fresh}
    known = {**copies, **made}
    attributes = {a: known[id(unit.assigned[a])] for a in unit.dirty}
    local_names = {n: known[id(unit.local_stmts[n])] for n in unit.locals_dirty}
    helper_names = {n: module_names[n] for n in unit.helper_names}
    if whole:  # every call of the helper moves: the helper itself reads the copies
        name = unit.helper.name
        edits = [
            _edit(end - len(ref.attr), end, attributes[ref.attr])
            for ref in self_reads(unit.helper.function)
            if ref.attr in attributes
            for _start, end in [analysis.span(ref)]
        ]
        edits += [
            _edit(*analysis.span(node), helper_names[node.id])
            for node in ast.walk(unit.helper.function)
            if isinstance(node, ast.Name) and node.id in helper_names
        ]
    else:
        name = _fresh(f"_new_api_{unit.helper.name.lstrip('_')}", taken)
        edits = [
            unit_copy(
                unit.helper, name, attributes, analysis, legacy_host.RULE.id, helper_names
            )
        ]
    rules: set[str] = set()
    names = {**module_names, **local_names}
    for key, stmt in fresh:
        start, end = analysis.span(stmt)
        inside = [e for e in shared if start <= e.start and e.end <= end]
        rules |= {e.rule for e in inside}
        renames = list(inside)
        _t, target_end = analysis.span(stmt.targets[0])
        renames.append(_edit(target_end - len(key), target_end, known[id(stmt)]))
        for ref in self_reads(stmt.value):
            if ref.attr in attributes:
                _r, ref_end = analysis.span(ref)
                renames.append(_edit(ref_end - len(ref.attr), ref_end, attributes[ref.attr]))
        for node in ast.walk(stmt.value):
            # `token = token or …` reads the parameter: its copy reads it too
            if isinstance(node, ast.Name) and node.id in names and node.id != key:
                low, high = analysis.span(node)
                renames.append(_edit(low, high, names[node.id]))
        text = render(analysis.source.text[start:end], [_shifted(e, -start) for e in renames])
        edits.append(_after(analysis, stmt, text, next((e.rule for e in inside), None)))
        for later in unit.setup.get(key, []) if stmt is unit.assigned.get(key) else []:
            edits.append(_set_up_copy(analysis, later, key, known[id(stmt)], shared, names))
            rules |= {e.rule for e in edits[-1:]} | {
                e.rule for e in shared if _inside_span(analysis, later, e)
            }
    copies.update(made)
    return edits, rules, name


def _inside_span(analysis: Analysis, stmt: ast.stmt, edit: Edit) -> bool:
    start, end = analysis.span(stmt)
    return start <= edit.start and edit.end <= end


def _set_up_copy(
    analysis: Analysis, stmt: ast.stmt, attr: str, new: str, shared: list[Edit],
    names: dict[str, str],
) -> Edit:
    """A statement setting up `self.<attr>` again for `self.<new>`, right after it, with the
    shared rules' edits (Basic auth) and the copied names it reads."""
    start, end = analysis.span(stmt)
    inside = [e for e in shared if _inside_span(analysis, stmt, e)]
    renames = list(inside)
    for node in ast.walk(stmt):
        if (
            isinstance(node, ast.Attribute) and node.attr == attr
            and isinstance(node.value, ast.Name) and node.value.id == "self"
        ):
            _s, node_end = analysis.span(node)
            renames.append(_edit(node_end - len(attr), node_end, new))
    text = render(analysis.source.text[start:end], [_shifted(e, -start) for e in renames])
    text = _renamed(text, names)
    return _after(analysis, stmt, text, next((e.rule for e in inside), None))


def _edit(start: int, end: int, text: str) -> Edit:
    return Edit(start, end, (text,), legacy_host.RULE.id)


def _shifted(edit: Edit, by: int) -> Edit:
    pieces: list[Piece] = [
        piece if isinstance(piece, str) else (piece[0] + by, piece[1] + by)
        for piece in edit.pieces
    ]
    return Edit(edit.start + by, edit.end + by, tuple(pieces), edit.rule)


def after_statement(analysis: Analysis, stmt: ast.stmt, text: str) -> Edit:
    """`text` on a line of its own after the statement, at its indent (a PLM001 edit)."""
    return _after(analysis, stmt, text, None)


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




def on_new_default_base(site: Site, finder: SiteFinder) -> bool:
    """Whether a call the finder could not follow sends to an attribute whose every value
    defaults to a new-API host (`self.new_api_base_url = (base or NEW_API_BASE).rstrip("/")`),
    or a bare path on clients all made with such a `base_url` (`self.new_api_http`): the copies
    a split made. A base resolved to the new host is never legacy."""
    if site.resolution.status != "dynamic" or site.helper is not None or site.carries:
        return False
    evaluator = finder.evaluator
    scope = site.call.scope
    first = site.template.parts[0] if site.template.parts else None
    if not isinstance(first, Hole):
        return False
    if len(site.template.parts) == 1 and isinstance(site.call.node.func, ast.Attribute):
        made = finder.clients.constructions(site.call.node.func.value, scope)
        urls = [keyword(c, "base_url") for c in made]
        return bool(made) and all(
            url is not None and _new_default(url, evaluator, scope) for url in urls
        )
    if not isinstance(first.node, ast.Attribute):
        return False
    bindings = evaluator.attribute_bindings(first.node, scope)
    if not bindings:
        return False
    return all(
        binding.value is not None and _new_default(binding.value, evaluator, scope)
        for binding in bindings
    )


def _new_default(value: ast.expr, evaluator: Evaluator, scope: Scope) -> bool:
    """`NEW`, `NEW.rstrip("/")`, `(base or NEW)`, `os.environ.get(…, NEW)` for a new host."""
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr in ("rstrip", "strip")
    ):
        value = value.func.value
    if isinstance(value, ast.BoolOp) and isinstance(value.op, ast.Or):
        value = value.values[-1]  # `base or DEFAULT`: the default
    inner = evaluator.scope_of(value, scope)
    found = evaluator.static_str(value, inner)
    values = [found] if found is not None else evaluator.samples(value, inner)
    new = tuple(NEW_HOSTS.values())
    return bool(values) and all(url.startswith(new) for url in values)


# --- a client attribute built in `__init__`, called directly ---------------------------------

CLIENT_CLASSES = frozenset({"Client", "AsyncClient", "Session"})


@dataclass
class ClientCopy:
    """What a split copies for calls made directly on a client attribute (`self._client.get(…)`)
    whose construction in `__init__` carries the host and auth: the attribute's assignment and
    the `__init__` locals it reads that carry a shared thing."""

    attr: str
    stmt: ast.Assign
    locals_dirty: list[ast.Assign]
    # the `__init__` statements after it that set the client up (`self.http.headers[…] = …`,
    # `self.http.headers.update(…)`, `self.http.mount(…)`): copied for the copy too
    setup: list[ast.stmt] = field(default_factory=list)

    def assigned(self) -> list[ast.Assign]:
        return [self.stmt, *self.locals_dirty]

    def copied(self) -> list[ast.stmt]:
        return [*self.assigned(), *self.setup]


def client_copy(
    analysis: Analysis,
    site: Site,
    things: set[ast.stmt],
    stores: dict[str, list[ast.AST]],
) -> ClientCopy | str:
    """The copy a direct call on `self.<attr>` moves onto, or why there is none: the attribute
    must be set once, by a plain assignment in the body of `__init__`, to a client constructed
    there (`httpx.Client(base_url=…, headers=…, event_hooks=…)`, `requests.Session()`), reading
    no other attribute of the instance."""
    func = site.call.node.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if not (
        isinstance(receiver, ast.Attribute)
        and isinstance(receiver.value, ast.Name)
        and receiver.value.id == "self"
    ):
        return "not a call on an attribute of the instance"
    owner = next(
        (up for up in analysis.facts.ancestors(site.node) if isinstance(up, ast.ClassDef)), None
    )
    makers = [  # where a client attribute is made: `__init__`, or on entering a `with`
        s for s in (owner.body if owner is not None else [])
        if isinstance(s, _Function) and s.name in ("__init__", "__enter__", "__aenter__")
    ]
    if not makers:
        return "no __init__"
    found = [store for store in stores.get(receiver.attr, []) if not _set_to_none(store, owner)]
    if len(found) != 1:
        return f"`self.{receiver.attr}` is set more than once"
    init, stmt = next(
        ((m, s) for m in makers for s in m.body
         if isinstance(s, ast.Assign) and _assigns(s, found[0])),
        (makers[0], None),
    )
    if stmt is None or not _constructs_client(stmt.value):
        return f"`self.{receiver.attr}` is not a client made in the body of __init__ or __enter__"
    if self_reads(stmt.value):
        return "the client reads other attributes of the instance"
    setup = [
        later for later in init.body[init.body.index(stmt) + 1 :]
        if client_setup(later) == receiver.attr
    ]
    if any(self_reads(later, receiver.attr) for later in setup):
        return "the client's set-up reads other attributes of the instance"
    local_stmts = _init_locals(init)
    dirty: list[ast.Assign] = []
    reads = {
        n.id for node in (stmt.value, *setup) for n in ast.walk(node) if isinstance(n, ast.Name)
    }
    for name in sorted(reads & set(local_stmts), key=lambda n: local_stmts[n].lineno):
        local = local_stmts[name]
        if local in things:
            inner = {n.id for n in ast.walk(local.value) if isinstance(n, ast.Name)}
            if inner & set(local_stmts):
                return "a local the client reads is built from other locals"
            dirty.append(local)
    copied = [stmt, *dirty, *setup]
    if any(raises_when_unset(analysis.facts, s) for s in copied):
        return "`__init__` reads a variable with `os.environ[…]`: it fails once unset"
    return ClientCopy(receiver.attr, stmt, dirty, setup)


def _set_to_none(store: ast.AST, owner: ast.ClassDef | None) -> bool:
    """`self.<attr> = None` in a method of the class (before `__enter__` or after `__exit__`)."""
    if owner is None:
        return False
    for method in owner.body:
        if not isinstance(method, _Function):
            continue
        for stmt in ast.walk(method):
            if (
                isinstance(stmt, ast.Assign)
                and any(target is store for target in stmt.targets)
                and isinstance(stmt.value, ast.Constant)
                and stmt.value.value is None
            ):
                return True
    return False


def client_setup(stmt: ast.stmt) -> str | None:
    """The attribute of the instance a statement sets a client up on (`self.http.headers[…] =
    …`, `self.http.auth = …`, `self.http.headers.update(…)`, `self.http.mount(…)`), if any."""
    if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
        node: ast.expr = stmt.targets[0]
    elif isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        node = stmt.value.func
    else:
        return None
    chain: list[ast.expr] = []
    while isinstance(node, ast.Attribute | ast.Subscript):
        chain.append(node)
        node = node.value
    if not (isinstance(node, ast.Name) and node.id == "self") or len(chain) < 2:
        return None
    top = chain[-1]  # `self.<attr>`, then something on it
    return top.attr if isinstance(top, ast.Attribute) else None


def _constructs_client(value: ast.expr) -> bool:
    if not isinstance(value, ast.Call):
        return False
    func = value.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    return name in CLIENT_CLASSES


def client_edits(
    analysis: Analysis, copy: ClientCopy, shared: list[Edit], taken: set[str],
    copies: dict[int, str], module_names: dict[str, str],
) -> tuple[list[Edit], set[str], str]:
    """The copies of the client's assignment and the locals it reads (the module-wide rules'
    edits applied: new host, Basic auth, new variable names), under fresh names; the rules the
    edits carry; the copied attribute's name. Raises EditConflict when a copy cannot be made."""
    edits: list[Edit] = []
    rules: set[str] = set()
    names = dict(copies)  # committed only once every copy renders
    locals_named: dict[str, str] = {}
    made: set[int] = set()  # the statements this call's copy adds (others are copied already)
    for stmt in copy.assigned():
        target = stmt.targets[0]
        key = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if id(stmt) not in names:
            names[id(stmt)] = _fresh(_copy_name(key), taken)
            made.add(id(stmt))
        if stmt is not copy.stmt:
            locals_named[key] = names[id(stmt)]
    for stmt in copy.assigned():
        if id(stmt) not in made:
            continue
        target = stmt.targets[0]
        key = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        start, end = analysis.span(stmt)
        inside = [e for e in shared if start <= e.start and e.end <= end]
        rules |= {e.rule for e in inside}
        _t, target_end = analysis.span(target)
        renames = [*inside, _edit(target_end - len(key), target_end, names[id(stmt)])]
        text = render(analysis.source.text[start:end], [_shifted(e, -start) for e in renames])
        # the locals it reads, renamed in the edited text (a host swap rewrites the f-string
        # that reads them): found by parsing that text
        renamed = {**module_names, **locals_named}
        text = _renamed(text, {k: v for k, v in renamed.items() if k != key})
        edits.append(_after(analysis, stmt, text, next((e.rule for e in inside), None)))
    attr = names[id(copy.stmt)]
    for later in copy.setup if id(copy.stmt) in made else ():
        rules |= {e.rule for e in shared if _inside_span(analysis, later, e)}
        edits.append(_set_up_copy(
            analysis, later, copy.attr, attr, shared, {**module_names, **locals_named}
        ))
    copies.update(names)
    return edits, rules, attr


def _renamed(text: str, names: dict[str, str]) -> str:
    """`text` (one statement) with each read of a name in `names` renamed."""
    if not names:
        return text
    try:
        tree = ast.parse(text)
    except SyntaxError as problem:
        raise EditConflict(f"a copied statement does not parse: {problem.msg}") from problem
    lines = text.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    found: list[tuple[int, int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in names and isinstance(node.ctx, ast.Load):
            line = lines[node.lineno - 1]
            col = len(line.encode()[: node.col_offset].decode())
            at = starts[node.lineno - 1] + col
            found.append((at, at + len(node.id), names[node.id]))
    for low, high, new in sorted(found, reverse=True):
        text = text[:low] + new + text[high:]
    return text


def receiver_rename(analysis: Analysis, site: Site, new: str) -> Edit | None:
    """The edit that makes `self._client.get(…)` read `self.<new>`."""
    func = site.call.node.func
    receiver = func.value if isinstance(func, ast.Attribute) else None
    if not isinstance(receiver, ast.Attribute):
        return None
    _start, end = analysis.span(receiver)
    return Edit(end - len(receiver.attr), end, (new,), legacy_host.RULE.id)
