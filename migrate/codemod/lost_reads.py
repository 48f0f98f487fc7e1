"""Reads of record fields the catalogue declares lost, in a module the compat strategy routes.

Compat answers in the legacy shape, but a field the new API cannot carry comes back empty or
changed (`teamId`, `accountCategoryId`, `performedAt` in milliseconds). The records that reach
a read are those of the operations the module calls: its call sites, and the legacy paths it
spells (`"/employees"`, `path = "accounts"`, `f"/tag-groups/{gid}"`, a full legacy URL), since a
helper often hides the call; a path reaches an operation when it is its path or the part of it
before path parameters only. A key is flagged only when none of those operations keeps it, so
a generic key (`id`, `name`) that some operation keeps is never flagged; this errs on the side
of silence. A read is attributed to the operations that lose its key and are called in the
read's own function when there are such calls (a module calling both `accounts.list` and
`accounts.get` has its `account_detail` read named after the one it makes), else to every
operation of the module that loses it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from urllib.parse import urlsplit

from migrate.codemod.rule import Analysis
from migrate.mapping import LEGACY_BASE_PATH, Operation


@dataclass(frozen=True)
class LostRead:
    """One statement that reads a lost field, and the operations that lose it."""

    stmt: ast.stmt
    key: str
    operations: tuple[Operation, ...]
    reason: str

    @property
    def operation(self) -> Operation:
        return self.operations[0]

    @property
    def message(self) -> str:
        return lost_message([self])


def lost_message(reads: list[LostRead]) -> str:
    """`reads `a`, `b` of expenses.list, lost on the new API: …`: one statement's lost reads,
    each key once, the operations that lose them, and each key's declared loss."""
    keys = list(dict.fromkeys(read.key for read in reads))
    ops = list(dict.fromkeys(op.id for read in reads for op in read.operations))
    listed = ", ".join(f"`{key}`" for key in keys)
    head = f"reads {listed} of {', '.join(ops)}, lost on the new API: "
    if len(keys) == 1:
        return head + reads[0].reason
    reasons = {read.key: read.reason for read in reads}
    return head + "; ".join(f"`{key}`: {reasons[key]}" for key in keys)


def lost_reads(analysis: Analysis) -> list[LostRead]:
    operations = _operations(analysis)
    catalogue = analysis.index.catalogue
    kept: set[str] = set()
    lost: dict[str, list[tuple[Operation, str]]] = {}
    for op in operations:
        if not op.model:
            continue
        for item in catalogue.fields(op.model):
            legacy = item.field.legacy
            if not legacy:
                continue
            key = legacy.split(".")[-1]
            if item.loss is None:
                kept.add(key)
            elif item.field.loss is not None:
                lost.setdefault(key, []).append((op, item.field.loss))
    found: list[LostRead] = []
    seen: set[tuple[int, str]] = set()
    for key, node in analysis.facts.key_reads:
        if key not in lost or key in kept:
            continue
        stmt = _statement(analysis, node)
        if stmt is None or (id(stmt), key) in seen:
            continue
        seen.add((id(stmt), key))
        losing = lost[key]
        called = _called_in(analysis, stmt)
        chosen = [pair for pair in losing if pair[0].id in called] or losing
        losers = tuple({op.id: op for op, _reason in chosen}.values())
        found.append(LostRead(stmt, key, losers, chosen[0][1]))
    return found


def _called_in(analysis: Analysis, stmt: ast.stmt) -> set[str]:
    """The operations of the call sites in the function that holds `stmt` (none at module
    level: every call of the module may feed a module-level read)."""
    function = _function(analysis, stmt)
    if function is None:
        return set()
    return {
        site.facts.operation.id
        for site in analysis.sites
        if site.facts is not None and _function(analysis, site.call.stmt) is function
    }


def _function(analysis: Analysis, node: ast.AST) -> ast.AST | None:
    parents = analysis.facts.parents
    current = parents.get(node)
    while current is not None and not isinstance(current, ast.FunctionDef | ast.AsyncFunctionDef):
        current = parents.get(current)
    return current


def _operations(analysis: Analysis) -> list[Operation]:
    """The operations whose records may reach this module's reads (see the docstring)."""
    found: dict[str, Operation] = {}
    for site in analysis.sites:
        if site.facts is not None:
            found.setdefault(site.facts.operation.id, site.facts.operation)
    spelt = [
        segments
        for string in analysis.facts.strings
        if not string.prose and (segments := _spelt_path(analysis, string.node)) is not None
    ]
    for op in analysis.index.catalogue:
        if any(_reaches(segments, _segments(op.legacy.path)) for segments in spelt):
            found.setdefault(op.id, op)
    return list(found.values())


HOLE = "{}"


def _spelt_path(analysis: Analysis, node: ast.Constant | ast.JoinedStr) -> list[str] | None:
    """The legacy path a string spells, as segments (`{}` for a part known at run time):
    `"/employees"`, `f"/tag-groups/{gid}"`, `"https://openapi.pleo.io/v1/expenses"`."""
    if isinstance(node, ast.JoinedStr):
        text = "".join(
            str(part.value) if isinstance(part, ast.Constant) else HOLE for part in node.values
        )
    elif isinstance(node.value, str):
        text = node.value
    else:
        return None
    text = text.strip()
    if "://" in text:
        text = urlsplit(text).path
    text = text.removeprefix(HOLE)  # f"{base}/employees"
    if not text or not analysis.index.looks_like_legacy_path(text):
        return None
    return _segments(text)


def _segments(path: str) -> list[str]:
    """`["employees", "{id}"]` for `/v1/employees/{id}`, `employees/{id}?x=1`."""
    path = path.split("?", 1)[0].strip("/")
    prefix = LEGACY_BASE_PATH.strip("/")
    if path == prefix or path.startswith(prefix + "/"):
        path = path[len(prefix) :].lstrip("/")
    return [segment for segment in path.split("/") if segment]


def _reaches(spelt: list[str], legacy: list[str]) -> bool:
    """Whether a spelt path is the operation's path, or its prefix before path parameters
    only (`/employees` reaches `/employees/{id}`, not `/expenses/{id}/receipts`)."""
    if not spelt or len(spelt) > len(legacy):
        return False
    for mine, theirs in zip(spelt, legacy, strict=False):
        if mine != theirs and not (mine == HOLE and theirs.startswith("{")):
            return False
    return all(rest.startswith("{") for rest in legacy[len(spelt) :])


def _statement(analysis: Analysis, node: ast.AST) -> ast.stmt | None:
    parents = analysis.facts.parents
    current: ast.AST | None = node
    while current is not None and not isinstance(current, ast.stmt):
        current = parents.get(current)
    return current
