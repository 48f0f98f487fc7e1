"""A twin of a fixed-verb request helper, for calls whose new endpoint needs another method.

A wrapper whose list reads go through `_get(path, params=None)` (the verb fixed inside) cannot
send a legacy list's `POST …:search` at the call. When the helper is simple (an optional local
URL, one HTTP call made as `<receiver>.get(…)`, an optional `raise_for_status()`, a return of
the response or its `.json()`), the rewrite adds, right after it, a copy with the verb changed
that also sends `json=` (a `json=None` parameter, unless `**kwargs` already reach the call),
and the moved calls call the copy. The copy is made from the helper's own text with libcst, so
its base, auth, timeout, decorators and error handling are the user's. A helper that does more,
whose text another rule edits (a host, a token, a header written in it), or that reads a name
`json` gets no twin: its calls keep a precise TODO.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass
from weakref import WeakKeyDictionary

from migrate.codemod.find.wrappers import RequestHelper
from migrate.codemod.rule import Analysis
from migrate.codemod.text.edits import Edit

VERBS = ("get", "post", "put", "patch", "delete")
# Text another rule may edit inside the helper (then a copy of today's text would be stale).
_SHARED_TEXT = re.compile(r"pleo\.io|pleo_|bearer|basic |authori[sz]ation|token|api[_-]?key", re.I)
_cache: WeakKeyDictionary[Analysis, dict[tuple[int, str], Twin | str]] = WeakKeyDictionary()


@dataclass(frozen=True)
class Twin:
    name: str
    forwards: frozenset[str]  # what the twin passes on: the helper's, plus json=
    edit: Edit  # the twin's text, inserted after the helper


class NoTwin(Exception):
    """Why a helper gets no twin (the call then keeps a TODO saying so)."""


def twin_for(helper: RequestHelper, method: str, analysis: Analysis, rule: str) -> Twin:
    """The twin of `helper` sending `method` (of a helper the method is passed to: the twin
    that also sends `json=`); `NoTwin` says why there is none."""
    cached = _cache.setdefault(analysis, {})
    key = (id(helper.function), method)
    if key not in cached:
        try:
            cached[key] = _make(helper, method.lower(), analysis, rule)
        except NoTwin as problem:
            cached[key] = str(problem)
    found = cached[key]
    if isinstance(found, str):
        raise NoTwin(found)
    return found


def _make(helper: RequestHelper, verb: str, analysis: Analysis, rule: str) -> Twin:
    if helper.method is None:  # the method is passed on: a twin that only adds json=
        fixed = f"`{helper.name}` does not pass json= on to the request"
        old = verb = "request"
    else:
        fixed = f"the method is fixed inside `{helper.name}`"
        old = helper.method.lower()
        if verb not in VERBS:
            raise NoTwin(f"{fixed}: change it there")
    function = helper.function
    inner = helper.inner
    func = inner.func
    if not isinstance(func, ast.Attribute) or func.attr != old:
        raise NoTwin(f"{fixed}, and its HTTP call is not `<client>.{old}(…)`")
    if helper.returns == "other" or not _simple_body(function, inner):
        raise NoTwin(f"{fixed}, and it does more than one request: change the method there")
    if _shared_text(function):
        raise NoTwin(f"{fixed}, and its own text changes for the new API: change the method there")
    names = _names(analysis.facts.tree)
    variables = {n.id for n in ast.walk(function) if isinstance(n, ast.Name)} | {
        a.arg for a in ast.walk(function) if isinstance(a, ast.arg)
    }
    if "json" in variables and "json" not in helper.forwards:
        raise NoTwin(f"{fixed}, and it already uses the name `json`: change the method there")
    name = _twin_name(helper.name, old, "json" if old == verb else verb, names)
    if name is None:
        raise NoTwin(f"{fixed}, and a name for its {verb.upper()} twin is taken")
    add_json = "json" not in helper.forwards
    insertion = _copied(helper, analysis, rule, fixed, (name, old, verb, add_json), {})
    forwards = helper.forwards | {"json"}
    return Twin(name, frozenset(forwards), insertion)


def unit_copy(
    helper: RequestHelper,
    name: str,
    attributes: dict[str, str],
    analysis: Analysis,
    rule: str,
    names: dict[str, str] | None = None,
) -> Edit:
    """A copy of a wrapper's request helper under `name`, reading the copied attributes
    (`self.base_url` → `self.new_api_base_url`): the split of `unit_split`. `NoTwin` says why
    there is none."""
    old = "request" if helper.method is None else helper.method.lower()
    func = helper.inner.func
    problem = f"`{helper.name}` cannot be copied"
    if not isinstance(func, ast.Attribute) or func.attr != old:
        raise NoTwin(f"{problem}: its HTTP call is not `<client>.{old}(…)`")
    if not copyable(helper):
        raise NoTwin(f"{problem}: its own text changes for the new API")
    return _copied(helper, analysis, rule, problem, (name, old, old, False), attributes, names)


def copyable(helper: RequestHelper) -> bool:
    """Whether a copy of the helper's text, with only its attributes renamed, is right: its
    own text needs no rule's edit (a retry loop or error handling is copied as it is)."""
    return not _shared_text(helper.function)


def _copied(
    helper: RequestHelper,
    analysis: Analysis,
    rule: str,
    fixed: str,
    change: tuple[str, str, str, bool],
    attributes: dict[str, str],
    names: dict[str, str] | None = None,
) -> Edit:
    """The helper's own text copied by libcst with `change` (name, old verb, verb, add json=),
    inserted right after it."""
    name, old, verb, add_json = change
    function = helper.function
    first = min([function.lineno, *(d.lineno for d in function.decorator_list)])
    source = analysis.source
    start = source.offset(first, 0)
    last = function.end_lineno or function.lineno
    end = source.offset(last, 0) + len(source.lines[last - 1].rstrip("\r\n"))  # past a comment
    indent = source.text[start : source.offset(first, function.col_offset)]
    if indent.strip():
        raise NoTwin(f"{fixed}, and it does not start its own line")
    text = source.text[start:end]
    if "\t" in text:
        raise NoTwin(f"{fixed}, and it is indented with tabs: change the method there")
    try:
        from migrate.codemod.text.cst import copy_helper  # lazily: it imports libcst

        docline = _docline(helper, verb) if not (attributes or names) else _unit_docline(helper)
        code = copy_helper(
            textwrap.dedent(text), name, old, verb, add_json, docline, attributes, names
        )
    except Exception as problem:  # whatever libcst refuses means: no twin
        reason = type(problem).__name__
        raise NoTwin(f"{fixed}, and its text could not be copied ({reason})") from None
    newline = source.newline(function.lineno)
    lines = [indent + line if line.strip() else "" for line in code.rstrip("\n").split("\n")]
    gap = newline * (1 if helper.owner is not None else 2)
    return Edit(end, end, (newline + gap + newline.join(lines),), rule)


def _unit_docline(helper: RequestHelper) -> str:
    return f'"""`{helper.name}` on the new API (added by pleo-migrate)."""'


def _docline(helper: RequestHelper, verb: str) -> str:
    sending = "also sending" if verb == "request" else f"sending {verb.upper()} with"
    return f'"""`{helper.name}` {sending} a JSON body (added by pleo-migrate)."""'


def _simple_body(function: ast.FunctionDef | ast.AsyncFunctionDef, inner: ast.Call) -> bool:
    """A local URL, the HTTP call (assigned, awaited, returned), `raise_for_status()`, return."""
    body = list(function.body)
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]  # the docstring
    calls = 0
    for stmt in body:
        value = stmt.value if isinstance(stmt, ast.Assign | ast.Return | ast.Expr) else None
        if isinstance(stmt, ast.Assign) and not (
            len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name)
        ):
            return False
        if value is None and not isinstance(stmt, ast.Return):
            return False
        if value is None:
            continue
        own = [node for node in ast.walk(value) if isinstance(node, ast.Call)]
        if any(node is inner for node in own):
            calls += 1
            continue
        rest = [node for node in own if not _harmless(node)]
        if rest:
            return False
    return calls == 1 and len(body) <= 5


def _harmless(call: ast.Call) -> bool:
    """`r.raise_for_status()`, `r.json()`, `path.lstrip("/")`: reads of what the call made."""
    func = call.func
    return isinstance(func, ast.Attribute) and func.attr in (
        "raise_for_status", "json", "lstrip", "rstrip", "strip"
    )


def _shared_text(function: ast.FunctionDef | ast.AsyncFunctionDef) -> bool:
    """Whether the helper's code (not its docstring) holds what another rule edits: a host,
    a token or auth literal, an environment read. Names of shared things (`self.base_url`,
    `PLEO_API`) are fine: those move where they are set, for the helper and its twin alike."""
    body = function.body
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
        body = body[1:]
    for top in [*function.decorator_list, *function.args.defaults, *body]:
        for node in ast.walk(top):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                if _SHARED_TEXT.search(node.value):
                    return True
            elif isinstance(node, ast.Name | ast.Attribute):
                name = node.id if isinstance(node, ast.Name) else node.attr
                if name in ("environ", "getenv"):
                    return True
    return False


def _names(tree: ast.AST) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            found.add(node.name)
        elif isinstance(node, ast.arg):
            found.add(node.arg)
    return found


def _twin_name(name: str, old: str, verb: str, taken: set[str]) -> str | None:
    """`_get` → `_post`, `_api_get` → `_api_post`, `_fetch` → `_fetch_post`; the json twin
    of `_request` → `_request_json`."""
    words = name.split("_")
    swapped = "_".join(verb if word == old else word for word in words)
    candidates: tuple[str, ...] = (swapped, f"{name}_{verb}", f"{swapped}_json")
    if verb == "json":
        candidates = (f"{name}_json", f"{name}_with_json")
    for candidate in candidates:
        if candidate != name and candidate not in taken:
            return candidate
    return None
