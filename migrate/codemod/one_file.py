"""One file, start to end: read, pre-filter, decode, analyse, plan, render, verify.

`process` never raises: every file ends as changed, unchanged, skipped(reason) or
failed(error), and a bug in a rule fails that file only.
"""

from __future__ import annotations

import ast
import hashlib
import re
import sys

from migrate.codemod.apply import (
    Rendered,
    analyse,
    classified,
    has_work,
    plan_module,
    render_plan,
)
from migrate.codemod.file_results import NEEDS_PYTHON, FileResult, Job, Todo
from migrate.codemod.find.index import catalogue_index
from migrate.codemod.find.prefilter import is_generated, may_use_legacy
from migrate.codemod.registry import select
from migrate.codemod.rule import Analysis, ModulePlan
from migrate.codemod.site_report import call_sites, credentials, references
from migrate.codemod.text.edits import EditConflict
from migrate.codemod.text.imports import ImportProblem
from migrate.codemod.text.source import DecodeProblem, Source, decode, from_text, read_bytes

__all__ = ["Job", "process", "process_bytes"]


def process(path: str, job: Job) -> FileResult | None:
    """The result for one file, or None when it was not worth a look (no sign of Pleo)."""
    try:
        return _process(path, job)
    except Exception as error:  # a bug in one rule must not stop the run
        return FileResult(path, "failed", f"internal error: {type(error).__name__}: {error}")


def _process(path: str, job: Job) -> FileResult | None:
    try:
        raw = read_bytes(path)
    except OSError as error:
        return FileResult(path, "failed", f"cannot read: {error.strerror or error}")
    return process_bytes(path, raw, job)


def process_bytes(path: str, raw: bytes, job: Job) -> FileResult | None:
    """`process` for bytes already in memory (`path` is only used in messages)."""
    try:
        return _process_bytes(path, raw, job)
    except RecursionError:  # parsed, but nested deeper than the analysis can walk
        return FileResult(path, "failed", "cannot analyse: nested too deeply", 1)
    except Exception as error:  # a bug in one rule must not stop the run
        return FileResult(path, "failed", f"internal error: {type(error).__name__}: {error}")


def _process_bytes(path: str, raw: bytes, job: Job) -> FileResult | None:
    if not may_use_legacy(raw):
        return None
    if is_generated(raw):
        return FileResult(path, "skipped", "generated file (@generated)")
    try:
        source = decode(raw)
    except DecodeProblem as problem:
        return FileResult(path, "failed", problem.reason, problem.line)
    parsed = _parse(path, source, compiled=job.mode != "scan")
    if isinstance(parsed, FileResult):
        return parsed
    index = catalogue_index(job.mappings)
    analysis = analyse(path, source, parsed, index)
    try:
        return _result(path, raw, source, analysis, job)
    finally:
        _release(analysis)


def _release(analysis: Analysis) -> None:
    """Break the one reference cycle of an analysis (its evaluator and the module's URL
    helpers refer to each other), so that reference counting frees the file's tree and facts
    as soon as its result is made. Left to the cyclic collector, every file's tree stays in
    memory until a collection that walks them all (~30 ms per 200 files of a scan)."""
    analysis.evaluator.url_helper = None


def _result(
    path: str, raw: bytes, source: Source, analysis: Analysis, job: Job
) -> FileResult | None:
    """The file's result from its analysis: what a scan lists, or the rewrite and its checks."""
    if job.mode == "scan":
        plan = classified(analysis, job.strategy, _enabled(job), with_edits=False)
        sites, found, refs = call_sites(analysis, plan), credentials(analysis), references(analysis)
        if not (sites or found or refs):
            return None
        return FileResult(path, "unchanged", sites=sites, credentials=found, references=refs)
    plan = plan_module(analysis, job.strategy, _enabled(job))
    sites, found, refs = call_sites(analysis, plan), credentials(analysis), references(analysis)
    if not has_work(plan):
        if not (sites or found or refs or plan.todos):
            return None
        return FileResult(
            path,
            "unchanged",
            sites=sites,
            credentials=found,
            references=refs,
            todos=_render_todos(plan),
        )
    try:
        rendered = render_plan(plan)
    except (EditConflict, ImportProblem) as problem:
        return FileResult(path, "failed", f"not rewritten: {problem}", sites=sites)
    if rendered.text == source.text:
        return FileResult(
            path, "unchanged", sites=sites, credentials=found, references=refs, todos=rendered.todos
        )
    # a change's checks and figures: a scan never gets here, and never imports them
    from migrate.codemod.library_swap import routed_by_swap
    from migrate.codemod.text.verify import problem_with, unified_diff

    unsafe = problem_with(source.text, rendered.text, rendered.touched, path) or _again(
        path, source, rendered, job
    )
    if unsafe is not None:
        return FileResult(path, "failed", unsafe, _line_of(unsafe), sites=sites)
    try:
        new_bytes = source.encode(rendered.text)
    except UnicodeEncodeError as error:
        return FileResult(path, "failed", f"cannot encode as {source.codec}: {error.reason}")
    return FileResult(
        path,
        "changed",
        sites=sites,
        credentials=found,
        references=refs,
        todos=rendered.todos,
        rules=rendered.rules,
        routed=(
            _routed(source.text, rendered.text) + routed_by_swap(analysis, plan, len(sites))
            if job.strategy == "compat"
            else 0
        ),
        diff=unified_diff(source.text, rendered.text, path) if job.diff else None,
        new_bytes=new_bytes,
        digest=hashlib.sha256(raw).hexdigest(),
    )


def _parse(path: str, source: Source, compiled: bool) -> ast.Module | FileResult:
    """The module's tree; with `compiled`, also checked by the compiler (a file that does not
    compile is never rewritten). `scan` skips that second step: it only reads."""
    try:
        tree = ast.parse(source.text, filename=path)
        if compiled:
            compile(tree, path, "exec", dont_inherit=True)
        return tree
    except SyntaxError as error:
        newer = newer_syntax(error)
        if newer is not None:
            return FileResult(path, "skipped", newer, error.lineno or 1)
        return FileResult(path, "failed", f"cannot parse: {error.msg}", error.lineno or 1)
    except (RecursionError, MemoryError) as error:
        return FileResult(path, "failed", f"cannot parse: nested too deeply ({error})", 1)
    except ValueError as error:
        return FileResult(path, "failed", f"cannot parse: {error}", 1)


# Syntax this interpreter may not know, recognised from the line a SyntaxError points at:
# (the Python that brought it, what it is, the message's start or None, the line's pattern).
_NEWER: tuple[tuple[tuple[int, int], str, str | None, re.Pattern[str]], ...] = (
    ((3, 12), "a type statement", None,
     re.compile(r"^\s*type\s+[A-Za-z_]\w*\s*(\[[^\]]*\])?\s*=")),
    ((3, 12), "type parameters, PEP 695", None,
     re.compile(r"^\s*(async\s+def|def|class)\s+[A-Za-z_]\w*\s*\[")),
    ((3, 14), "a template string (t-string)", None,
     re.compile(r"(?<![\w'\"])([tT][rR]?|[rR][tT])['\"]")),
    ((3, 14), "exception types without parentheses, PEP 758",
     "multiple exception types must be parenthesized", re.compile(r"^\s*except\b(?!.*\bas\b)")),
    ((3, 12), "an f-string that reuses its quotes or holds a backslash, PEP 701", "f-string",
     re.compile(r"[fF][rR]?(?P<q>['\"])[^'\"]*\{[^}]*((?P=q)|\\)")),
    ((3, 11), "`except*` (exception groups)", None, re.compile(r"^\s*except\s*\*")),
)


def newer_syntax(error: SyntaxError, running: tuple[int, int] | None = None) -> str | None:
    """"needs Python 3.x (what) …" when the error is syntax that a newer Python than the
    running one accepts; None for a plain syntax error."""
    current = running or (sys.version_info.major, sys.version_info.minor)
    line = error.text or ""
    for version, what, message, pattern in _NEWER:
        if version <= current:
            continue
        if message is not None and not (error.msg or "").startswith(message):
            continue
        if pattern.search(line):
            needed = f"{version[0]}.{version[1]}"
            return (
                f"{NEEDS_PYTHON}{needed} ({what}); this is Python {current[0]}.{current[1]}: "
                f"run pleo-migrate with Python {needed} or later to look at this file"
            )
    return None


def _enabled(job: Job) -> frozenset[str]:
    """The job's rules; None stands for every rule of its strategy."""
    return select(job.strategy) if job.enabled is None else job.enabled


def _render_todos(plan: ModulePlan) -> tuple[Todo, ...]:
    try:
        return render_plan(plan).todos
    except (EditConflict, ImportProblem):
        return ()


def _again(path: str, source: Source, rendered: Rendered, job: Job) -> str | None:
    """A second run over the output must find nothing to do (idempotence, checked every time)."""
    second = from_text(rendered.text, source.codec, source.bom)
    try:
        tree = ast.parse(second.text, filename=path)
    except SyntaxError as error:
        return f"line {error.lineno}: the rewritten code does not parse ({error.msg})"
    analysis: Analysis = analyse(path, second, tree, catalogue_index(job.mappings))
    try:
        plan = plan_module(analysis, job.strategy, _enabled(job))
        if has_work(plan):
            return "a second run would change the file again; not written (please report this)"
        return None
    finally:
        _release(analysis)


# A call made through migrate.compat after a compat rewrite: `_pleo_session().get(`, or a
# client it made: `legacy_session(`, `legacy_client(`, `legacy_async_client(`.
_THROUGH_COMPAT = re.compile(
    r"\b(?:_pleo_session\(\)\.|_pleo_client\(\)\.|legacy_(?:async_)?client\(|legacy_session\()"
)


def _routed(before: str, after: str) -> int:
    """How many calls and client constructions the rewrite routed through migrate.compat."""
    return max(len(_THROUGH_COMPAT.findall(after)) - len(_THROUGH_COMPAT.findall(before)), 0)


def _line_of(problem: str) -> int | None:
    if problem.startswith("line "):
        number = problem[5:].split(":", 1)[0]
        return int(number) if number.isdigit() else None
    return None
