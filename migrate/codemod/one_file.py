"""One file, start to end: read, pre-filter, decode, analyse, plan, render, verify.

`process` never raises: every file ends as changed, unchanged, skipped(reason) or
failed(error), and a bug in a rule fails that file only.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
from dataclasses import dataclass

from migrate.codemod.apply import (
    Rendered,
    analyse,
    classified,
    has_work,
    plan_module,
    render_plan,
)
from migrate.codemod.file_results import NON_PYTHON, FileResult, Mode, Reference, Strategy, Todo
from migrate.codemod.find.index import catalogue_index
from migrate.codemod.find.prefilter import is_generated, may_use_legacy
from migrate.codemod.library_swap import routed_by_swap
from migrate.codemod.rule import Analysis, ModulePlan
from migrate.codemod.site_report import call_sites, credentials, references
from migrate.codemod.text.edits import EditConflict
from migrate.codemod.text.foreign import ADVICE, host_mentions, language_of
from migrate.codemod.text.imports import ImportProblem
from migrate.codemod.text.source import DecodeProblem, Source, decode, from_text
from migrate.codemod.text.verify import problem_with, unified_diff

READ_CHUNK = 65536


@dataclass(frozen=True)
class Job:
    """What to do with each file; the same for every file of a run (and picklable)."""

    mode: Mode
    strategy: Strategy
    enabled: frozenset[str]
    mappings: str | None = None
    diff: bool = False


def read_bytes(path: str) -> bytes:
    """The whole file; a first read below the allocator's mmap threshold keeps this fast."""
    fd = os.open(path, os.O_RDONLY)
    try:
        data = os.read(fd, READ_CHUNK)
        if len(data) == READ_CHUNK:
            rest = [data]
            while True:
                more = os.read(fd, 1 << 20)
                if not more:
                    break
                rest.append(more)
            data = b"".join(rest)
    finally:
        os.close(fd)
    return data


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
    if job.mode == "scan":
        plan = classified(analysis, job.strategy, job.enabled)
        sites, found, refs = call_sites(analysis, plan), credentials(analysis), references(analysis)
        if not (sites or found or refs):
            return None
        return FileResult(path, "unchanged", sites=sites, credentials=found, references=refs)
    plan = plan_module(analysis, job.strategy, job.enabled)
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


def process_other(path: str) -> FileResult:
    """A file that is not Python: skipped, with a reference for each legacy host it spells
    (the codemod cannot rewrite Go or YAML; the proxy can serve those calls)."""
    try:
        raw = read_bytes(path)
    except OSError as error:
        return FileResult(path, "skipped", f"not a Python file (cannot read: {error.strerror})")
    mentions = host_mentions(raw)
    if not mentions:
        return FileResult(path, "skipped", "not a Python file")
    language = language_of(path)
    refs = tuple(
        Reference(
            path,
            found.line,
            found.col,
            NON_PYTHON,
            f"{found.text} in a {language} file: the codemod cannot rewrite it; {ADVICE}",
        )
        for found in mentions
    )
    return FileResult(
        path,
        "skipped",
        f"not Python: {len(refs)} reference{'' if len(refs) == 1 else 's'} to a legacy host; "
        "serve them through the local proxy (`pleo-migrate proxy`)",
        refs[0].line,
        references=refs,
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
        return FileResult(path, "failed", f"cannot parse: {error.msg}", error.lineno or 1)
    except (ValueError, RecursionError, MemoryError) as error:
        return FileResult(path, "failed", f"cannot parse: {error}", 1)


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
    plan = plan_module(analysis, job.strategy, job.enabled)
    if has_work(plan):
        return "a second run would change the file again; not written (please report this)"
    return None


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
