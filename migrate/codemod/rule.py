"""What a rule is, and the context every rule gets.

Rules come in two kinds. A *review* rule looks at one legacy call site (or the module) and
says why it cannot be rewritten safely; its message becomes a `# TODO[pleo-migrate PLMxxx]`
comment and an entry of the manual-review list. A *rewrite* rule edits what is provably
safe: per call site through a `RequestPlan`, or module-wide through the `ModulePlan`.

A call site is rewritten only when no review rule objects to it, whichever rules are
selected with `--only`/`--skip`: selecting rules changes which edits and TODOs are written,
never which call sites count as automatic, so `scan` and `rewrite` always agree. The
per-call rules act only together with the rule that moves the call to its new path
(PLM002 or PLM003): a call still on its legacy path keeps its legacy parameters and body.

A rule module defines `RULE` and one or more hooks, each typed by a protocol below:
`review` (`Review`), `contribute` (a per-call rewrite, `Contribute`) and `rewrite` (a
module-wide rewrite, `Rewrite`). The registry names each module's hooks explicitly.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Literal, Protocol

from migrate.codemod.file_results import Strategy
from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.find.facts import ModuleFacts
from migrate.codemod.find.index import CatalogueIndex
from migrate.codemod.find.resolve import Clients
from migrate.codemod.find.site import Site
from migrate.codemod.find.sites import SiteFinder
from migrate.codemod.text.edits import Edit, Piece, Span
from migrate.codemod.text.source import Source

Kind = Literal["rewrite", "review"]


@dataclass(frozen=True)
class Rule:
    id: str  # stable: PLM0xx native rewrites, PLM1xx reviews, PLM2xx compat
    name: str  # the module name under migrate/codemod/rules/
    strategy: Strategy
    kind: Kind
    summary: str  # one line, shown by --list-rules and in README.md


@dataclass(frozen=True)
class RuleFinding:
    """Why a call site (or a statement) needs a human; becomes a TODO."""

    message: str
    docs: str
    terminal: bool = False  # nothing else is worth saying about this site
    # Said about a call the rewrite makes (not why it stays): goes with the call's edits, and
    # scan lists it as a note of an automatic site.
    advisory: bool = False


@dataclass(eq=False)
class Analysis:
    """Everything known about one module, shared by all rules."""

    path: str
    source: Source
    facts: ModuleFacts
    index: CatalogueIndex
    finder: SiteFinder
    sites: list[Site]
    key_reads: frozenset[str]
    # each call's own edits with every native rule on, or why it has none (`apply.own_edits`)
    own_edits: dict[Site, list[Edit] | Exception] = field(default_factory=dict, repr=False)

    @property
    def evaluator(self) -> Evaluator:
        return self.finder.evaluator

    @property
    def clients(self) -> Clients:
        return self.finder.clients

    def text(self, node: ast.AST) -> str:
        start, end = self.span(node)
        return self.source.text[start:end]

    def span(self, node: ast.AST) -> Span:
        source = self.source
        return (
            source.offset(node.lineno, node.col_offset),  # type: ignore[attr-defined]
            source.offset(node.end_lineno, node.end_col_offset),  # type: ignore[attr-defined]
        )


@dataclass(eq=False)
class PendingTodo:
    stmt: ast.stmt
    rule: str
    finding: RuleFinding


@dataclass(eq=False)
class RequestPlan:
    """What the rewrite rules want to change about one call; `request_edits` makes edits."""

    site: Site
    new_path: str | None = None  # with hole tokens, from the catalogue's new path
    new_method: str | None = None
    renames: dict[str, str] = field(default_factory=dict)  # query key → new key
    drops: set[str] = field(default_factory=set)  # query keys to remove
    values: dict[str, tuple[Piece, ...]] = field(default_factory=dict)  # new value code
    entries: dict[str, tuple[Piece, ...]] = field(default_factory=dict)  # whole new entry code
    add_query: list[tuple[str, tuple[Piece, ...]]] = field(default_factory=list)
    body: list[tuple[str, tuple[Piece, ...]]] | None = None  # a new JSON body
    add_body: list[tuple[str, tuple[Piece, ...]]] = field(default_factory=list)
    extra: list[Edit] = field(default_factory=list)
    by: dict[str, str] = field(default_factory=dict)  # what → rule id ("url", "method", key…)
    imports: list[tuple[str, str | None]] = field(default_factory=list)


@dataclass(eq=False)
class ModulePlan:
    """Every edit, TODO and import one run wants for one module."""

    analysis: Analysis
    strategy: Strategy
    enabled: frozenset[str]
    edits: list[Edit] = field(default_factory=list)
    todos: list[PendingTodo] = field(default_factory=list)
    imports: list[tuple[str, str | None]] = field(default_factory=list)
    unused: list[str] = field(default_factory=list)  # modules to un-import if nothing uses them
    statements: list[tuple[str, str]] = field(default_factory=list)  # (code, rule) after imports
    automatic: dict[Site, bool] = field(default_factory=dict)
    reasons: dict[Site, list[tuple[str, RuleFinding]]] = field(default_factory=dict)
    # shared statements (host, auth, token) that stay legacy → the lines of the calls on them
    stuck: dict[ast.stmt, tuple[int, ...]] = field(default_factory=dict)
    # the module-wide rules' edits on shared things, (start, end, rule) → their statement
    shared_at: dict[tuple[int, int, str], ast.stmt] = field(default_factory=dict)
    shared_needs: dict[str, set[tuple[str, str | None]]] = field(default_factory=dict)
    held: set[Site] = field(default_factory=set)  # calls that could move but wait
    untraced: set[ast.stmt] = field(default_factory=set)  # stuck: no call traced to them
    # calls that move onto copies of shared things that stay (`split`): the copies and renames
    split_edits: list[Edit] = field(default_factory=list)
    split_rules: set[str] = field(default_factory=set)

    def add(self, edit: Edit) -> None:
        self.edits.append(edit)

    def covered(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside text another edit already rewrites."""
        return any(e.start <= start and end <= e.end and not e.insertion for e in self.edits)

    def todo(self, stmt: ast.stmt, rule: str, finding: RuleFinding) -> None:
        for pending in self.todos:
            if pending.stmt is stmt and pending.rule == rule:
                return
        self.todos.append(PendingTodo(stmt, rule, finding))

    def need_import(self, module: str, name: str | None = None) -> None:
        if (module, name) not in self.imports:
            self.imports.append((module, name))


# --- the hooks a rule module may define --------------------------------------------------------


class RuleModule(Protocol):
    """A module under `migrate/codemod/rules/`: one rule, described by its `RULE`."""

    @property
    def RULE(self) -> Rule: ...


class Review(Protocol):
    """Why a call site cannot be rewritten safely; None when this rule has no objection."""

    def __call__(self, site: Site, analysis: Analysis) -> RuleFinding | None: ...


class Contribute(Protocol):
    """This rule's part of the rewrite of one call, added to the call's `RequestPlan`."""

    def __call__(self, site: Site, request: RequestPlan, analysis: Analysis) -> None: ...


class Rewrite(Protocol):
    """Module-wide edits, TODOs and imports, added to the module's `ModulePlan`."""

    def __call__(self, analysis: Analysis, plan: ModulePlan) -> None: ...
