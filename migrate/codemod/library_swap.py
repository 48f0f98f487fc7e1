"""The compat strategy's import swap: a legacy module's HTTP library becomes its compat twin.

`import requests` → `from migrate.compat import pleo_requests as requests` (`import requests as
rq`, `import requests.adapters` likewise), `from requests import Session, get` →
`from migrate.compat.pleo_requests import Session, get`; the same for httpx with `pleo_httpx`.
The twins are the real library but for its clients, which serve legacy URLs from the new API
and pass every other URL through untouched. So every client the module makes is routed, however
it is reached: a `requests.Session` subclass, `functools.partial(requests.get, ...)`, a session
made in a `get_conn()` helper.

The swap is impossible, and the per-call form is kept, when an import statement names the
library next to other modules (`import os, requests`) or star-imports it (`from requests
import *`): neither can be rewritten without touching the other names.
"""

from __future__ import annotations

import ast
import re
import weakref
from dataclasses import dataclass

from migrate.codemod.find.facts import Imports
from migrate.codemod.find.hosts import LEGACY_HOST_IN_TEXT, NEW_API_ENV_NAME, TOKEN_ENV_NAME
from migrate.codemod.find.resolve import Clients
from migrate.codemod.rule import Analysis, ModulePlan
from migrate.codemod.rulekit import compat_token_reads, reaches_legacy, safe_env_read
from migrate.codemod.text.edits import Edit, replace
from migrate.codemod.text.literals import str_literal, style_of
from migrate.pleo import API_KEY_VAR, LEGACY_HOSTS

COMPAT_PACKAGE = "migrate.compat"
TWINS = {"requests": "pleo_requests", "httpx": "pleo_httpx"}
CLIENT_CLASSES = {"requests": ("Session", "session"), "httpx": ("Client", "AsyncClient")}
# A variable named as a Pleo secret, or read into a line that builds an auth header.
SECRET_NAME = re.compile(r"(?i)\A\w*PLEO\w*(TOKEN|SECRET|KEY|PASSWORD)\w*\Z")
AUTH_TEXT = re.compile(r"(?i)\b(Bearer|Authorization)\b")
TOKEN_WORDS = re.compile(r"(?i)token|secret|api_?key|credential")
_FROM = re.compile(r"\Afrom\s+")


def legacy_module(analysis: Analysis) -> bool:
    """Whether the module talks to the legacy API (`reaches_legacy`), also when it spells a
    legacy host as a whole string constant: `"https://openapi.pleo.io"` in a dict of hosts,
    `"openapi.pleo.io"` as a connection's default host."""
    if reaches_legacy(analysis):
        return True
    for string in analysis.facts.strings:
        node = string.node
        if string.prose or not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        value = node.value.strip().lower()
        if value in LEGACY_HOSTS or LEGACY_HOST_IN_TEXT.search(value):
            return True
    return False


def swap_edits(analysis: Analysis, library: str, rule_id: str) -> list[Edit] | None:
    """The edits that swap every import of `library` for its twin; None when one cannot be
    swapped (see the module docstring), [] when the module does not import it."""
    twin = TWINS[library]
    edits: list[Edit] = []
    for node in analysis.facts.imports.nodes:
        if isinstance(node, ast.Import):
            ours = [a for a in node.names if _is_library(a.name, library)]
            if not ours:
                continue
            if len(node.names) > 1:
                return None
            alias = node.names[0]
            if alias.name != library and alias.asname:
                continue  # `import requests.adapters as ra` binds the submodule itself
            local = alias.asname or library
            code = f"from {COMPAT_PACKAGE} import {twin} as {local}"
            edits.append(replace(analysis.source, node, rule_id, code))
        elif node.module == library and not node.level:
            if any(alias.name == "*" for alias in node.names):
                return None
            start, _ = analysis.span(node)
            found = _FROM.match(analysis.text(node))
            if found is None:  # pragma: no cover - an ImportFrom always starts with `from`
                return None
            at = start + found.end()
            edits.append(Edit(at, at + len(library), (f"{COMPAT_PACKAGE}.{twin}",), rule_id))
    return edits


def _is_library(name: str, library: str) -> bool:
    return name == library or name.startswith(library + ".")


def swap(analysis: Analysis, plan: ModulePlan, library: str, rule_id: str) -> bool:
    """Swap the library in `plan` (token reads made safe too); False when it cannot be."""
    edits = swap_edits(analysis, library, rule_id)
    if not edits:
        return False
    for edit in edits:
        plan.add(edit)
    safe_token_reads(analysis, plan, rule_id)
    return True


def safe_token_reads(analysis: Analysis, plan: ModulePlan, rule_id: str) -> None:
    """No read of the legacy token may raise once it is unset: the ones named as tokens read
    the new key (`compat_token_reads`); `os.environ["PLEO_SECRET"]` and other reads named as
    Pleo secrets or feeding an auth header become `os.environ.get(<new key>, "")`.
    migrate.compat sends the new credential itself, so the value only must not fail."""
    compat_token_reads(analysis, plan, rule_id)
    for read in analysis.facts.env_reads:
        node = read.node
        if not isinstance(node, ast.Subscript) or not isinstance(node.ctx, ast.Load):
            continue
        if NEW_API_ENV_NAME.search(read.name) or read.name == API_KEY_VAR:
            continue
        if TOKEN_ENV_NAME.match(read.name):
            continue  # compat_token_reads has it
        feeds_auth = read.stmt is not None and AUTH_TEXT.search(analysis.text(read.stmt))
        if not (SECRET_NAME.match(read.name) or feeds_auth):
            continue
        key = str_literal(API_KEY_VAR, style_of(analysis.text(read.name_node)))
        start, end = analysis.span(node)
        if not plan.covered(start, end):
            code = safe_env_read(analysis, node, key, key[-1])
            plan.add(replace(analysis.source, node, rule_id, code))
    for node in _named_elsewhere(analysis):
        start, end = analysis.span(node)
        if not plan.covered(start, end):
            quote = free_quote(analysis, node)
            code = safe_env_read(analysis, node, analysis.text(node.slice), quote)
            plan.add(replace(analysis.source, node, rule_id, code))


def free_quote(analysis: Analysis, node: ast.AST) -> str:
    """A quote the read may use: inside an f-string, not the f-string's own (Python < 3.12)."""
    for above in analysis.facts.ancestors(node):
        if isinstance(above, ast.JoinedStr):
            opening = analysis.text(above).lstrip("rRfFbBuU")[:1]
            return "'" if opening == '"' else '"'
    return '"'


def _named_elsewhere(analysis: Analysis) -> list[ast.Subscript]:
    """`os.environ[<name from config>]` reads of the token: the variable's name comes from a
    parameter default, a dict or a config file (`os.environ[cfg["token_variable"]]`), so only
    where the value goes (an auth header) or what it is called (`token = …`) says it is the
    token. Such a read keeps its name and cannot raise: `os.environ.get(<name>, "")`."""
    facts = analysis.facts
    found = []
    for node in facts.nodes():
        if not (
            isinstance(node, ast.Subscript)
            and isinstance(node.ctx, ast.Load)
            and not isinstance(node.slice, ast.Constant)
            and analysis.facts.imports.is_environ(node.value)
        ):
            continue
        stmt = next((a for a in facts.ancestors(node) if isinstance(a, ast.stmt)), None)
        said = analysis.text(node.slice)
        if isinstance(stmt, ast.Assign | ast.AnnAssign):
            targets = stmt.targets if isinstance(stmt, ast.Assign) else [stmt.target]
            said += " " + " ".join(analysis.text(target) for target in targets)
        if (stmt is not None and AUTH_TEXT.search(analysis.text(stmt))) or TOKEN_WORDS.search(
            said
        ):
            found.append(node)
    return found


def swapped_libraries(analysis: Analysis) -> set[str]:
    """The libraries whose clients are the compat twin's in this module: swapped by this run
    (imported, and each import swappable) or by an earlier one (the twin is imported)."""
    found = set()
    for library, twin in TWINS.items():
        if _aliases(analysis, f"{COMPAT_PACKAGE}.{twin}") or swap_edits(analysis, library, ""):
            found.add(library)
    return found


def twin_names(analysis: Analysis) -> set[str]:
    """Local names bound to a compat twin or to a name imported from one (after a swap)."""
    found: set[str] = set()
    for twin in TWINS.values():
        whole, names = _aliases(analysis, f"{COMPAT_PACKAGE}.{twin}")
        found |= whole | names
    return found


def _aliases(analysis: Analysis, module: str) -> tuple[set[str], set[str]]:
    """(local names of `module`, local names of the classes and functions imported from it)."""
    imports = analysis.facts.imports
    package, _, leaf = module.rpartition(".")
    whole = {local for local, name in imports.modules.items() if name == module}
    whole |= {local for local, origin in imports.names.items() if origin == (package, leaf)}
    names = {local for local, origin in imports.names.items() if origin[0] == module}
    return whole, names


def unswapped(imports: Imports) -> Imports:
    """The imports as they were before a swap (each twin read as its library), so a module
    is judged the same before and after: a second run must find nothing to do."""
    modules = dict(imports.modules)
    names = dict(imports.names)
    for library, twin in TWINS.items():
        for local, origin in imports.names.items():
            if origin == (COMPAT_PACKAGE, twin):
                modules[local] = library
                del names[local]
            elif origin[0] == f"{COMPAT_PACKAGE}.{twin}":
                names[local] = (library, origin[1])
    return Imports(modules, names, list(imports.nodes))


def clients(analysis: Analysis) -> Clients:
    """`analysis.clients`, reading a twin's clients as its library's."""
    if not twin_names(analysis):
        return analysis.clients
    return Clients(analysis.evaluator, unswapped(analysis.facts.imports))


def makes_clients(analysis: Analysis, libraries: set[str]) -> bool:
    """Whether the module makes a client of one of `libraries` itself (a construction or a
    subclass), through the library or its twin: then a client reached through `self` is one
    of those, routed by the swap."""
    imports = unswapped(analysis.facts.imports)
    for node in analysis.facts.nodes():
        if isinstance(node, ast.Call):
            candidates: list[ast.expr] = [node.func]
        elif isinstance(node, ast.ClassDef):
            candidates = list(node.bases)
        else:
            continue
        for expr in candidates:
            for library in libraries:
                names = CLIENT_CLASSES[library]
                if isinstance(expr, ast.Attribute) and isinstance(expr.value, ast.Name):
                    if imports.modules.get(expr.value.id) == library and expr.attr in names:
                        return True
                elif isinstance(expr, ast.Name):
                    origin = imports.names.get(expr.id)
                    if origin is not None and origin[0] == library and origin[1] in names:
                        return True
    return False


def routed_by_swap(analysis: Analysis, plan: ModulePlan, sites: int) -> int:
    """How many legacy calls this run's swap routes: the module's call sites that carry no
    PLM203 TODO, and at least one for each reference to a swapped library's clients (a
    `functools.partial(requests.get, ...)` is routed though no call site shows it)."""
    twins = {piece for edit in plan.edits for piece in edit.pieces if isinstance(piece, str)}
    swapped = [
        library
        for library, twin in TWINS.items()
        if any(twin in piece for piece in twins) and library in _imported(analysis)
    ]
    if not swapped:
        return 0
    left = sum(1 for pending in plan.todos if pending.rule == "PLM203")
    return max(sites - left, _client_references(analysis, swapped), 0)


def _imported(analysis: Analysis) -> set[str]:
    imports = analysis.facts.imports
    return set(imports.modules.values()) | {module for module, _ in imports.names.values()}


def _client_references(analysis: Analysis, libraries: list[str]) -> int:
    """References to the libraries' request functions and client classes."""
    imports = analysis.facts.imports
    wanted = {"get", "post", "put", "patch", "delete", "head", "options", "request", "stream"}
    count = 0
    for node in analysis.facts.nodes():
        for library in libraries:
            names = wanted | set(CLIENT_CLASSES[library])
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                count += imports.modules.get(node.value.id) == library and node.attr in names
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
                origin = imports.names.get(node.id)
                count += origin is not None and origin[0] == library and origin[1] in names
    return count


@dataclass(frozen=True)
class SwapView:
    """What PLM203 asks of a module about the swap, worked out once per module."""

    twins: frozenset[str]  # local names bound to a twin or to a name imported from one
    routes_self: bool  # swapped and makes its own clients: a client reached via `self` is one
    clients: Clients  # `analysis.clients`, reading a twin's clients as its library's


_VIEWS: weakref.WeakKeyDictionary[Analysis, SwapView] = weakref.WeakKeyDictionary()


def swap_view(analysis: Analysis) -> SwapView:
    view = _VIEWS.get(analysis)
    if view is None:
        swapped = swapped_libraries(analysis)
        routes_self = (
            bool(swapped) and legacy_module(analysis) and makes_clients(analysis, swapped)
        )
        view = SwapView(frozenset(twin_names(analysis)), routes_self, clients(analysis))
        _VIEWS[analysis] = view
    return view
