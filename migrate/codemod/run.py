"""A whole run: discover files, process them (in parallel with --jobs), write what changed.

Never raises for a file: each file's outcome is in the `RunResult`. Files that show no sign
of Pleo are counted, not listed. Writes are atomic (a temporary file in the same folder,
then a rename), keep the file's permissions, and are skipped when the file changed on disk
since it was read.
"""

from __future__ import annotations

import gc
import os
import signal
import stat
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.codemod.file_results import FileResult, Job, RunResult
from migrate.codemod.find.discover import dirty_paths, discover
from migrate.codemod.find.prefilter import process_other, screen
from migrate.codemod.text.source import read_bytes
from migrate.errors import PleoMigrateError

if TYPE_CHECKING:  # imported where used: a scan without workers or writes never needs them
    import multiprocessing.context
    from concurrent.futures import ProcessPoolExecutor

MIN_FILES_PER_WORKER = 16
# A scan reads a candidate in ~0.6 ms. Its share for a forked sibling (`_scan_forked`: one
# fork, one pipe, no pool) costs ~5 ms to set up, so a second process pays from a few dozen
# candidates on; a pool of workers (spawn platforms) only past a few hundred.
MIN_SCAN_FILES_PER_FORK = 48
MIN_SCAN_FILES_PER_WORKER = 128
CHUNKS_PER_WORKER = 8  # more slices than workers, so one slow slice does not hold up the run


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


def outside_git(paths: Sequence[str | Path]) -> list[str]:
    """The given paths that no git work tree holds: there --write has no undo."""
    outside = []
    for given in paths:
        path = os.path.abspath(str(given))
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        try:
            done = subprocess.run(["git", "rev-parse", "--is-inside-work-tree"], cwd=folder,
                                  capture_output=True, check=False, timeout=30)
        except (OSError, subprocess.SubprocessError):
            outside.append(str(given))
            continue
        if done.returncode != 0 or done.stdout.strip() != b"true":
            outside.append(str(given))
    return outside


def run(
    paths: Sequence[str | Path],
    job: Job,
    jobs: int = 1,
    progress: Callable[[int, int], None] | None = None,
) -> RunOutcome:
    # grep screens here, one process per core, while the analysis loads (for a scan, as soon
    # as grep reports a candidate); workers forked afterwards inherit it and share the files.
    if job.mode == "scan":  # a scan only reads: a second process pays on a free core only
        jobs = max(1, min(jobs, 1 + _spare_cpus()))
    found = discover(paths, ways=jobs, on_hit=_on_hit(job))
    listed: list[FileResult] = [
        FileResult(path, "skipped", reason) for path, reason in found.skipped
    ]
    listed.extend(FileResult(path, "failed", "no such file or directory") for path in found.missing)
    if job.mode != "scan" or found.candidates:
        _load_analysis(job)  # once here, before forked workers inherit it
    listed.extend(_process_all(list(found.candidates), job, jobs, progress))
    listed.extend(process_other(path) for path in found.others)
    written: list[str] = []
    if job.mode == "write":
        roots = _roots(paths)
        with _finish_current_file_on_signal() as stop:
            for index, item in enumerate(listed):
                if stop.requested:
                    raise Interrupted(tuple(written), sum(
                        1 for i in listed if i.status == "changed" and i.new_bytes is not None
                    ))
                listed[index] = _write(item, written, roots)
    listed.sort(key=lambda item: item.path)
    result = RunResult(job.mode, job.strategy, tuple(listed), tuple(written))
    return RunOutcome(result, found.examined)


def _load_analysis(job: Job) -> None:
    """Import the analysis and read the catalogue: only a run with a file that may use the
    legacy API pays for them (a scan of code without Pleo stays near grep speed). A broken
    catalogue raises here, before any file is looked at."""
    from importlib import import_module

    from migrate.codemod.find.index import catalogue_index

    # Cyclic GC off meanwhile: the imports and the unpickled catalogue make only objects that
    # live as long as the run, which collections would walk again and again for nothing.
    with _no_gc():
        catalogue_index(job.mappings)
        # The analysis and the rules too: a scan gets here while grep still screens the
        # tree, so their imports overlap it instead of waiting for its end.
        import_module("migrate.codemod.one_file")


def _on_hit(job: Job) -> Callable[[], None] | None:
    """For a scan: load the analysis as soon as grep reports a candidate, while it goes on."""
    return partial(_load_analysis, job) if job.mode == "scan" else None


def _look_at(path: str, job: Job) -> FileResult | None:
    """One file's result, or None when its bytes show no sign of Pleo (then nothing heavy was
    imported for it). Never raises for a file; a broken catalogue is the run's error."""
    try:
        screened = screen(path)
    except Exception as error:
        return FileResult(path, "failed", f"internal error: {type(error).__name__}: {error}")
    if not isinstance(screened, bytes):
        return screened
    _load_analysis(job)
    from migrate.codemod.one_file import process_bytes

    return process_bytes(path, screened, job)


def _process_chunk(files: list[str], job: Job) -> list[FileResult]:
    """A worker's unit: a slice of the candidate files."""
    results = []
    with _no_gc():
        for path in files:
            outcome = _look_at(path, job)
            if outcome is not None:
                results.append(outcome)
    return results


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
    job: Job,
    jobs: int,
    progress: Callable[[int, int], None] | None,
) -> list[FileResult]:
    """Results of every file: here, or in `jobs` forked workers when there are enough files.
    The parent only hands out slices of the list and collects results (no catalogue, no
    source text goes to a worker: it inherits the loaded analysis and reads its own files).
    A scan on Linux shares its files with forked copies instead (`_scan_forked`)."""
    if job.mode == "scan" and _can_fork():
        # `jobs` is already what the CPUs free at the start of the run allow (`run`): one
        # reading, since another, taken after grep, could see its last moments as load
        ways = max(1, min(jobs, len(files) // MIN_SCAN_FILES_PER_FORK))
        return _serial(files, job, progress) if ways == 1 else _scan_forked(files, job, ways)
    least = MIN_SCAN_FILES_PER_WORKER if job.mode == "scan" else MIN_FILES_PER_WORKER
    jobs = max(1, min(jobs, len(files) // least or 1))
    if jobs == 1:
        return _serial(files, job, progress)
    from concurrent.futures import ProcessPoolExecutor
    size = max(1, -(-len(files) // (jobs * CHUNKS_PER_WORKER)))
    chunks = [files[start : start + size] for start in range(0, len(files), size)]
    results: list[FileResult] = []
    gc.freeze()  # forked workers then leave the inherited heap alone (no copy-on-write)
    try:
        with _interrupt_on_terminate(), ProcessPoolExecutor(
            max_workers=jobs, mp_context=_context(), initializer=_worker_signals
        ) as pool:
            try:
                for done, chunk_results in enumerate(
                    pool.map(_process_chunk, chunks, [job] * len(chunks)), start=1
                ):
                    results.extend(chunk_results)
                    if progress:
                        progress(done, len(chunks))
            except BaseException:
                _stop_workers(pool)  # Ctrl-C or SIGTERM: no worker outlives the run
                raise
    except PleoMigrateError:  # a broken catalogue, met by a worker
        raise
    except Exception:  # a broken pool: do the work here instead
        return _serial(files, job, progress)
    finally:
        gc.unfreeze()
    return results


def _spare_cpus() -> int:
    """CPUs free right now besides the one this process runs on: Linux's count of runnable
    threads (`/proc/loadavg`, this process included), the least of a few readings. On a busy
    machine a scan's second process or second grep has no core to run on and only adds the
    cost of forking and copying; elsewhere, every CPU is taken as free. One reading alone
    catches a kernel worker's wake-up now and then (3 % of readings on an idle 2-core
    machine), and the scan then ran in one process, at half its speed."""
    cpus = os.cpu_count() or 1
    try:
        runnable = min(_runnable() for _ in range(_READINGS))
    except (OSError, ValueError, IndexError):
        return cpus - 1
    return max(0, cpus - runnable)


_READINGS = 3


def _runnable() -> int:
    with open("/proc/loadavg", "rb") as stream:
        return int(stream.read().split()[3].split(b"/")[0])


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def _scan_forked(files: list[str], job: Job, ways: int) -> list[FileResult]:
    """A scan's candidates shared out between this process and `ways - 1` forked copies of
    it, each sending its results back through a pipe. Reading is all a scan does, so nothing
    needs a pool: a copy that fails or dies has its share done here instead, and every copy
    still running when this returns (Ctrl-C) is ended."""
    import pickle

    gc.freeze()  # the copies then leave the inherited heap alone (no copy-on-write)
    children: list[tuple[int, int, list[str]]] = []
    here = files[0::ways]
    try:
        for way in range(1, ways):
            share = files[way::ways]
            try:
                read_end, write_end = os.pipe()
            except OSError:  # out of file descriptors: this share is done here
                here += share
                continue
            try:
                pid = os.fork()
            except OSError:  # out of processes or memory: this share is done here
                os.close(read_end)
                os.close(write_end)
                here += share
                continue
            if pid == 0:  # the copy: its share, pickled into the pipe, and out
                os.close(read_end)
                _child_scan(share, job, write_end)
            os.close(write_end)
            children.append((pid, read_end, share))
        results = _process_chunk(here, job)
        for pid, read_end, share in children:
            with os.fdopen(read_end, "rb") as stream:
                data = stream.read()
            _, status = os.waitpid(pid, 0)
            try:
                received = pickle.loads(data) if status == 0 else None
            except Exception:
                received = None
            results.extend(received if isinstance(received, list) else
                           _process_chunk(share, job))
        children.clear()
        return results
    finally:
        gc.unfreeze()
        for pid, read_end, _share in children:  # interrupted: no copy outlives the run
            with suppress(OSError):
                os.close(read_end)
            with suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            with suppress(OSError):
                os.waitpid(pid, 0)


def _child_scan(share: list[str], job: Job, write_end: int) -> None:
    """In a forked copy: scan `share`, write the pickled results, and end this process
    without running anything of the parent's (its finally blocks, its atexit hooks)."""
    import pickle

    code = 1
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
        data = pickle.dumps(_process_chunk(share, job), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)
        code = 0
    finally:
        os._exit(code)


def _serial(
    files: list[str],
    job: Job,
    progress: Callable[[int, int], None] | None,
) -> list[FileResult]:
    results: list[FileResult] = []
    with _no_gc():
        for count, path in enumerate(files, start=1):
            outcome = _look_at(path, job)
            if outcome is not None:
                results.append(outcome)
            if progress and count % 200 == 0:
                progress(count, len(files))
    return results


def _context() -> multiprocessing.context.BaseContext:
    """fork where it is safe and cheap (Linux), spawn elsewhere."""
    import multiprocessing
    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _write(item: FileResult, written: list[str], roots: Sequence[str] = ()) -> FileResult:
    if item.status != "changed" or item.new_bytes is None:
        return item
    if roots and not _inside(item.path, roots):
        return replace(item, status="failed", reason="resolves outside the paths given "
                       "(through a symbolic link); not written")
    if not os.access(item.path, os.W_OK) or not os.stat(item.path).st_mode & stat.S_IWUSR:
        return replace(item, status="failed", reason="read-only; not written (make it "
                       "writable to rewrite it)")
    try:
        import hashlib

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
    """`data` into `path` whole or not at all, with the file's mode and (when allowed) owner."""
    import tempfile

    info = os.stat(path)
    mode = stat.S_IMODE(info.st_mode)
    folder = os.path.dirname(os.path.abspath(path))
    fd, temporary = tempfile.mkstemp(prefix=".pleo-migrate-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        _keep_owner(temporary, info)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise


def _keep_owner(temporary: str, original: os.stat_result) -> None:
    """Give the new file the old one's owner: a run as root (CI containers on bind mounts)
    must not leave root-owned files. Without the right to, the owner is the caller's."""
    if (original.st_uid, original.st_gid) == (os.getuid(), os.getgid()):
        return
    with suppress(PermissionError):
        os.chown(temporary, original.st_uid, original.st_gid)


def _roots(paths: Sequence[str | Path]) -> list[str]:
    """Where writes may land: the given folders and the working folder, symlinks resolved."""
    roots = {os.path.realpath(os.getcwd())}
    roots.update(os.path.realpath(str(p)) for p in paths if os.path.isdir(str(p)))
    return sorted(roots)


def _inside(path: str, roots: Sequence[str]) -> bool:
    """A file reached without a symlink is where it was named; one reached through a link
    must resolve inside a root, so a link never takes a write outside the tree given."""
    real = os.path.realpath(path)
    if real == os.path.abspath(path):
        return True
    return any(real == root or real.startswith(root.rstrip(os.sep) + os.sep) for root in roots)


# --- interruption -------------------------------------------------------------------------------


class Interrupted(Exception):
    """Ctrl-C or SIGTERM during the write phase: the files written before it, whole."""

    def __init__(self, written: tuple[str, ...], planned: int) -> None:
        super().__init__(f"interrupted after {len(written)} of {planned} files")
        self.written = written
        self.planned = planned


@dataclass
class _Stop:
    requested: bool = False


@contextmanager
def _finish_current_file_on_signal() -> Iterator[_Stop]:
    """While files are written, SIGINT and SIGTERM only ask to stop: the file being written
    is finished, and the loop stops before the next one."""
    stop = _Stop()
    if threading.current_thread() is not threading.main_thread():
        yield stop
        return

    def ask(_signal: int, _frame: object) -> None:
        stop.requested = True

    previous = {number: signal.signal(number, ask) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield stop
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


@contextmanager
def _interrupt_on_terminate() -> Iterator[None]:
    """While workers run, SIGTERM stops the run as Ctrl-C does (then the workers are ended)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _worker_signals() -> None:
    """In a worker: Ctrl-C is the parent's to handle (it ends the workers); SIGTERM ends."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in processes:
        if worker.is_alive():
            worker.terminate()
    for worker in processes:
        worker.join(timeout=5)
