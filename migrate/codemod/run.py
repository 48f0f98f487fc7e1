"""A whole run: discover files, process them (in parallel with --jobs), write what changed.

Never raises for a file: each file's outcome is in the `RunResult`. Files that show no sign
of Pleo are counted, not listed. Writes are atomic (a temporary file in the same folder,
then a rename), keep the file's permissions, and are skipped when the file changed on disk
since it was read.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path

from migrate.codemod.file_results import FileResult, RunResult
from migrate.codemod.find.discover import Share, dirty_paths, discover, screen_share
from migrate.codemod.find.index import catalogue_index
from migrate.codemod.one_file import Job, process, process_other, read_bytes

MIN_FILES_PER_WORKER = 16
SHARES_PER_WORKER = 8  # more shares than workers, so one slow share does not hold up the run
Task = tuple[str, "Share | list[str]"]


@dataclass(frozen=True)
class RunOutcome:
    result: RunResult
    examined: int  # every file looked at, listed or not


def dirty_refusal(paths: Sequence[str | Path]) -> str | None:
    """Why `--write` must not run (uncommitted changes under the paths), or None."""
    dirty = dirty_paths(paths)
    if not dirty:
        return None
    shown = ", ".join(dirty[:5]) + (f" and {len(dirty) - 5} more" if len(dirty) > 5 else "")
    return (
        f"the git work tree has uncommitted changes ({shown}); commit or stash them, "
        "or pass --allow-dirty"
    )


def run(
    paths: Sequence[str | Path],
    job: Job,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RunOutcome:
    found = discover(paths, ways=jobs * SHARES_PER_WORKER, workers=jobs)
    listed: list[FileResult] = [
        FileResult(path, "skipped", reason) for path, reason in found.skipped
    ]
    listed.extend(FileResult(path, "failed", "no such file or directory") for path in found.missing)
    catalogue_index(job.mappings)  # load once here; forked workers inherit it
    tasks: list[Task] = [("share", share) for share in found.shares]
    processed, shared_files = _process_all(list(found.candidates), tasks, job, jobs, progress)
    listed.extend(processed)
    listed.extend(process_other(path) for path in found.others)
    written: list[str] = []
    if job.mode == "write":
        listed = [_write(item, written) for item in listed]
    listed.sort(key=lambda item: item.path)
    result = RunResult(job.mode, job.strategy, tuple(listed), tuple(written))
    return RunOutcome(result, found.examined + shared_files)


def _process_chunk(files: list[str], job: Job) -> list[FileResult]:
    results = []
    with _no_gc():
        for path in files:
            outcome = process(path, job)
            if outcome is not None:
                results.append(outcome)
    return results


def _run_task(task: Task, job: Job) -> tuple[int, list[FileResult]]:
    """A worker's unit: files to process, or a share of a folder to list, screen and process.
    Returns how many files it listed (for the count of files looked at) and the results."""
    kind, payload = task
    if kind == "share":
        assert isinstance(payload, Share)
        listed, hits, others = screen_share(payload)
        results = _process_chunk(hits, job)
        results.extend(process_other(path) for path in others)
        return len(listed) + len(others), results
    assert isinstance(payload, list)
    return 0, _process_chunk(payload, job)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Cyclic GC off while files are processed: each file's analysis is small and short-lived,
    and collections that walk every live object (the catalogue included) cost more than the
    little garbage they would find. Reference counting still frees almost everything."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _process_all(
    files: list[str],
    shares: list[Task],
    job: Job,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[FileResult], int]:
    """Results of every file and share; and how many files the shares listed."""
    if not shares:
        jobs = max(1, min(jobs, len(files) // MIN_FILES_PER_WORKER or 1))
    if jobs == 1:
        return _serial(files, shares, job, progress)
    size = max(1, len(files) // (jobs * 8))
    tasks: list[Task] = list(shares)
    tasks.extend(("files", files[start : start + size]) for start in range(0, len(files), size))
    results: list[FileResult] = []
    listed = 0
    gc.freeze()  # forked workers then leave the inherited heap alone (no copy-on-write)
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=_context()) as pool:
            for done, (count, task_results) in enumerate(
                pool.map(_run_task, tasks, [job] * len(tasks)), start=1
            ):
                results.extend(task_results)
                listed += count
                if progress:
                    progress(done, len(tasks))
    except Exception:  # a broken pool: do the work here instead
        return _serial(files, shares, job, progress)
    finally:
        gc.unfreeze()
    return results, listed


def _serial(
    files: list[str],
    shares: list[Task],
    job: Job,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[FileResult], int]:
    results: list[FileResult] = []
    listed = 0
    for share in shares:
        count, found = _run_task(share, job)
        listed += count
        results.extend(found)
    with _no_gc():
        for count, path in enumerate(files, start=1):
            outcome = process(path, job)
            if outcome is not None:
                results.append(outcome)
            if progress and count % 200 == 0:
                progress(count, len(files))
    return results, listed


def _context() -> multiprocessing.context.BaseContext:
    """fork where it is safe and cheap (Linux), spawn elsewhere."""
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _write(item: FileResult, written: list[str]) -> FileResult:
    if item.status != "changed" or item.new_bytes is None:
        return item
    try:
        current = read_bytes(item.path)
        if item.digest and hashlib.sha256(current).hexdigest() != item.digest:
            return replace(
                item, status="failed", reason="changed on disk during the run; not written"
            )
        write_atomic(item.path, item.new_bytes)
    except OSError as error:
        return replace(item, status="failed", reason=f"cannot write: {error.strerror or error}")
    written.append(item.path)
    return item


def write_atomic(path: str, data: bytes) -> None:
    mode = stat.S_IMODE(os.stat(path).st_mode)
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".pleo-migrate-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
