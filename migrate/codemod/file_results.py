"""The codemod's results as frozen data. Only the CLI turns them into text and exit codes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from migrate.codemod.text.todo_line import todo_comment

Status = Literal["changed", "unchanged", "skipped", "failed"]
Strategy = Literal["native", "compat"]
Mode = Literal["scan", "check", "diff", "write"]

TODO_TAG = "TODO[pleo-migrate"
NON_PYTHON = "legacy host in a non-Python file"  # the kind of a Reference outside Python
NEEDS_PYTHON = "needs Python "  # how the reason of a file skipped for newer syntax starts


@dataclass(frozen=True)
class Job:
    """What to do with each file; the same for every file of a run (and picklable).

    `enabled` None means every rule of the strategy: a scan can then start without importing
    the rules, which only a file that may use the legacy API needs."""

    mode: Mode
    strategy: Strategy
    enabled: frozenset[str] | None = None
    mappings: str | None = None
    diff: bool = False


@dataclass(frozen=True)
class Todo:
    """One item of the manual-review list, written as a comment above its statement."""

    rule: str
    line: int  # the line of the TODO comment in the file as it is after the run
    message: str
    docs: str
    inserted: bool = True  # False: the same TODO was already there
    source_line: int = 0  # the statement's line in the file as it was read (0: same as line)
    indent: int = 0  # columns before the comment: the line as a whole keeps to the width

    @property
    def on_disk(self) -> int:
        """The line in the file as it was read: what `--check` and `--diff` users open."""
        return self.source_line or self.line

    def comment(self) -> str:
        return todo_comment(TODO_TAG, self.rule, self.message, self.docs, self.indent)


@dataclass(frozen=True)
class CallSite:
    """One place where the code calls the legacy API, as `scan` reports it."""

    path: str
    line: int
    col: int  # 1-based, like compilers print it
    operation: str | None  # None: dynamic path, or a path the catalogue does not know
    method: str | None
    target: str  # the legacy request as far as it is known: "GET /v1/expenses/{…}"
    url: str  # how the URL is built: "f-string on constant BASE_URL", …
    new: str | None  # "POST /v1/accounting-entries:search" when mapped
    automatic: bool
    scopes: tuple[str, ...]
    reasons: tuple[Todo, ...]  # why it is manual (empty when automatic)
    environment: str | None  # production / staging when the host says so
    fingerprint: str = ""  # stable across runs and line shifts: path, operation, line text
    status: str = "matched"  # matched, dynamic, unknown-method, unknown-path, paging
    # Said about an automatic site: what its callers must change (PLM109's new-shape records).
    notes: tuple[Todo, ...] = ()

    @property
    def label(self) -> str:
        if self.operation:
            return self.operation
        return {
            "unknown-path": "unknown path",
            "unknown-method": "dynamic method",
            "paging": "legacy paging",
            "helper": "request helper",
        }.get(self.status, "dynamic path")


@dataclass(frozen=True)
class HardcodedCredential:
    """A hard-coded credential. The value itself is never kept; only its length and a digest."""

    path: str
    line: int
    col: int
    name: str  # the variable, keyword, or header it was found in
    kind: str  # "assignment", "keyword", "dict entry", "bearer header"
    length: int
    fingerprint: str  # first 12 hex digits of sha256(value): to match findings, not to recover


@dataclass(frozen=True)
class Reference:
    """Legacy usage that is not a call: a base URL constant, a token variable."""

    path: str
    line: int
    col: int
    kind: str
    detail: str


@dataclass(frozen=True)
class FileResult:
    """How one file ended: changed / unchanged / skipped(reason) / failed(error)."""

    path: str
    status: Status
    reason: str | None = None  # skipped: why; failed: the error
    line: int | None = None  # failed: where, when known
    sites: tuple[CallSite, ...] = ()
    credentials: tuple[HardcodedCredential, ...] = ()
    references: tuple[Reference, ...] = ()
    todos: tuple[Todo, ...] = ()
    rules: tuple[str, ...] = ()  # ids of the rules that edited the file
    routed: int = 0  # compat: calls and client constructions now made through migrate.compat
    diff: str | None = None
    new_bytes: bytes | None = field(default=None, repr=False, compare=False)
    digest: str | None = field(default=None, repr=False, compare=False)  # sha256 of the input

    @property
    def unread(self) -> bool:
        """A file that may use the legacy API but was not analysed: it failed, or its syntax
        needs a newer Python. Either way a run cannot say the code is clean."""
        return self.status == "failed" or (
            self.status == "skipped" and (self.reason or "").startswith(NEEDS_PYTHON)
        )

    @property
    def location(self) -> str:
        return f"{self.path}:{self.line}" if self.line else self.path


@dataclass(frozen=True)
class RunResult:
    """Every file of one run, in a stable order, and what was done with them."""

    mode: Mode
    strategy: Strategy
    files: tuple[FileResult, ...]
    written: tuple[str, ...] = ()

    def count(self, status: Status) -> int:
        return sum(1 for item in self.files if item.status == status)

    @property
    def sites(self) -> tuple[CallSite, ...]:
        return tuple(site for item in self.files for site in item.sites)

    @property
    def credentials(self) -> tuple[HardcodedCredential, ...]:
        return tuple(found for item in self.files for found in item.credentials)

    @property
    def todos(self) -> tuple[tuple[str, Todo], ...]:
        return tuple((item.path, todo) for item in self.files for todo in item.todos)
