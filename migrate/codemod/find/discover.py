"""Which files a run looks at: Python files under the given paths, minus what must not be touched.

Inside a git work tree the list comes from `git ls-files` (tracked and untracked, without
what `.gitignore` excludes); elsewhere from walking the folders. Either way `.git`,
virtual environments (a `pyvenv.cfg` or `conda-meta` inside, or named `.venv`/`venv`), caches
and symlinks are left out. A file named on the command line is taken as given, unless git
ignores it.

Files that are not Python are listed too when they spell a legacy host (`others`, found by
`git grep` or GNU grep, or read in Python without either), so that a scan reports them as
references; a non-Python file named on the command line goes there whatever it holds.

Screening: where it can, discovery also asks `git grep` (in a work tree) or GNU grep
(elsewhere) which files contain one of the pre-filter's needles, in the same pass that lists
them; only those are read by Python. That keeps a scan of a large tree within a small factor
of a plain `grep`. Without either tool, every file is read and screened in Python, with the
same needles and the same result.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import compress
from pathlib import Path

from migrate.codemod.find.prefilter import NEEDLES
from migrate.codemod.text.foreign import MAX_BYTES, host_mentions, is_python
from migrate.codemod.text.foreign import NEEDLES as HOST_NEEDLES

SKIP_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        ".venv",
        "venv",
        "__pycache__",
        "node_modules",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".hypothesis",
        "site-packages",
        ".eggs",
    }
)
VENV_MARKERS = ("pyvenv.cfg", "conda-meta")
SUFFIX = ".py"
OnHit = Callable[[], None]  # called once, as soon as grep reports the first file with a needle
_HIT = re.compile(rb"\x00[1-9]")  # `path\0count` with a count above 0, in grep -c --null output
_LISTED = re.compile(rb"[^\x00]")  # any path at all, in `git grep -l -z` output
_PIPE_BYTES = 1 << 20  # Linux's default most for an unprivileged process (pipe-max-size)


@dataclass(frozen=True)
class Discovery:
    files: tuple[str, ...]  # as given or joined to the given folder, in the order found
    skipped: tuple[tuple[str, str], ...]  # (path, reason) for files named but not taken
    missing: tuple[str, ...]
    candidates: tuple[str, ...] = ()  # the files worth reading: screened hits, or unscreened
    shares: tuple[Share, ...] = ()  # parts of folders left for workers to list and screen
    others: tuple[str, ...] = ()  # non-Python files named, or found spelling a legacy host

    @property
    def examined(self) -> int:
        return len(self.files) + len(self.skipped) + len(self.missing) + len(self.others)


@dataclass(frozen=True)
class Share:
    """Entries of a folder that one worker lists and screens with its own grep."""

    folder: str
    paths: tuple[str, ...]


def discover(
    paths: Sequence[str | Path],
    screen: bool = True,
    ways: int = 1,
    workers: int = 1,
    on_hit: OnHit | None = None,
) -> Discovery:
    """The files under `paths`; with `screen`, also which of them may use the legacy API.

    `on_hit` runs while GNU grep is still screening, once it has reported a file that may use
    the legacy API: what that file needs (the analysis, the catalogue) loads in the meantime.

    With several `workers`, a folder outside git that GNU grep can screen, and that has
    enough entries to keep them all busy, is not listed here but cut into `ways` shares, so
    that workers list, screen and analyse in one go, side by side.
    """
    files: dict[str, None] = {}
    candidates: dict[str, None] = {}
    skipped: list[tuple[str, str]] = []
    missing: list[str] = []
    shares: list[Share] = []
    others: dict[str, None] = {}
    for given in paths:
        path = str(given)
        if os.path.islink(path):
            skipped.append((path, "symlink"))
        elif os.path.isfile(path):
            reason = _explicit_file_reason(path)
            if reason:
                skipped.append((path, reason))
            elif not is_python(path):
                others[path] = None
            else:
                files[path] = candidates[path] = None
        elif os.path.isdir(path):
            groups = _shares(path, ways) if workers > 1 and screen else []
            if len(groups) >= workers > 1 and _gnu_grep() and not _in_work_tree(path):
                shares.extend(Share(path, tuple(group)) for group in groups)
                others.update(dict.fromkeys(_top_level_others(path)))  # the shares hold the rest
                continue
            # Outside git, GNU grep looks for legacy hosts in other files while Python files
            # are screened.
            if screen:
                _ask_gnu_grep()
            in_git = _in_work_tree(path) if screen else None
            pending = _OtherGrep([path]) if in_git is False else None
            try:
                listed, hits = _listing(
                    path, screen, ways, on_hit, in_git, pending.start if pending else None
                )
            except BaseException:  # on_hit failed (a broken catalogue), or Ctrl-C
                if pending is not None:
                    pending.stop()
                raise
            if screen:
                grepped = pending.found(path) if pending is not None else None
                others.update(dict.fromkeys(_other_files(path) if grepped is None else grepped))
            files.update(dict.fromkeys(listed))
            candidates.update(dict.fromkeys(listed if hits is None else hits))
        else:
            missing.append(path)
    return Discovery(
        tuple(files),  # only counted: sorting 20,000 paths cost a scan 3 ms
        tuple(skipped),
        tuple(missing),
        tuple(sorted(candidates)),
        tuple(shares),
        tuple(sorted(others)),
    )


def screen_share(
    share: Share, on_hit: OnHit | None = None
) -> tuple[list[str], list[str], list[str]]:
    """(every Python file, those that may use the legacy API, the non-Python files that spell
    a legacy host) of one share; the two greps run side by side."""
    folders = [path for path in share.paths if os.path.isdir(path)]
    pending = _OtherGrep(folders) if folders else None
    try:
        grepped = _grep_paths(
            share.folder, list(share.paths), on_hit=on_hit,
            then=pending.start if pending else None,
        )
    except BaseException:
        if pending is not None:
            pending.stop()
        raise
    others = pending.found(share.folder) if pending is not None else None
    if others is None:
        others = [found for folder in folders for found in _other_files(folder)]
    if grepped is not None:
        return grepped[0], grepped[1], others
    listed: list[str] = []
    for path in share.paths:
        if os.path.isdir(path):
            listed.extend(_walk(path))
        else:
            listed.append(path)
    return listed, listed, others  # not screened: every file is read and screened in Python


def _top_level_others(folder: str) -> list[str]:
    """The non-Python files right inside `folder` that spell a legacy host."""
    try:
        with os.scandir(folder) as entries:
            files = [
                entry.path
                for entry in entries
                if entry.is_file(follow_symlinks=False) and not is_python(entry.name)
            ]
    except OSError:
        return []
    return [path for path in sorted(files) if _spells_host(path)]


def _other_files(folder: str) -> list[str]:
    """Non-Python files under `folder` that spell a legacy host (not ignored, not in a skipped
    folder): `git grep` in a work tree, else GNU grep, else read here."""
    if _in_work_tree(folder):
        args = ["grep", "-l", "-z", "-I", "-F", "--untracked", "--no-color"]
        for needle in HOST_NEEDLES:
            args += ["-e", needle]
        done = _git([*args, "--", ".", ":(exclude)*" + SUFFIX], folder)
        if done is not None and done.returncode in (0, 1):
            found = [
                os.path.join(folder, *os.fsdecode(raw).split("/"))
                for raw in done.stdout.split(b"\0")
                if raw
            ]
            return [path for path in found if _kept(folder, path)]
    else:
        grepped = _OtherGrep([folder]).found(folder)
        if grepped is not None:
            return grepped
    return [path for path in _walk(folder, python=False) if _spells_host(path)]


class _OtherGrep:
    """GNU grep listing the non-Python files under `paths` that spell a legacy host, run by a
    thread of its own once the Python files' greps are under way (`start`). Started from
    the scan's own thread while those greps held both cores, its start stalled the scan
    5 to 8 ms: starting a process waits until the new process runs the program."""

    def __init__(self, paths: list[str]) -> None:
        self._args: list[str] | None = None
        if _gnu_grep():
            args = ["grep", "-r", "-l", "-I", "-F", "--null", "--exclude=*" + SUFFIX]
            args += [f"--exclude-dir={name}" for name in sorted(SKIP_DIRS)]
            for needle in HOST_NEEDLES:
                args += ["-e", needle]
            self._args = [*args, "--", *paths]
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None
        self._stopped = False
        self._output: bytes | None = None

    def start(self) -> None:
        if self._args is not None and self._thread is None:
            self._thread = threading.Thread(target=self._run, args=(self._args,), daemon=True)
            self._thread.start()

    def _run(self, args: list[str]) -> None:
        try:
            with self._lock:
                if self._stopped:
                    return
                self._process = process = subprocess.Popen(
                    args, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                    env={**os.environ, "LC_ALL": "C"},
                )
            output = process.communicate(timeout=600)[0]
        except (OSError, subprocess.SubprocessError):
            self.stop()
            return
        if process.returncode in (0, 1):
            self._output = output

    def stop(self) -> None:
        """End the grep (the scan stops): no process outlives it."""
        with self._lock:
            self._stopped = True
            process = self._process
        if process is not None and process.poll() is None:
            process.kill()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join()

    def found(self, folder: str) -> list[str] | None:
        """The files it listed (started now if it was not), or None: no GNU grep, or it
        failed (then the caller reads the files itself)."""
        self.start()
        if self._thread is not None:
            self._thread.join()
        if self._output is None:
            return None
        found = [os.fsdecode(raw) for raw in self._output.split(b"\0") if raw]
        return [path for path in found if _kept(folder, path)]


def _kept(folder: str, path: str) -> bool:
    if os.path.islink(path) or not os.path.isfile(path):
        return False
    parts = os.path.relpath(path, folder).split(os.sep)
    return not any(part in SKIP_DIRS for part in parts[:-1]) and not _under_venv(
        folder, parts[:-1], {}
    )


def _spells_host(path: str) -> bool:
    try:
        if os.path.getsize(path) > MAX_BYTES:
            return False
        with open(path, "rb") as handle:
            return bool(host_mentions(handle.read()))
    except OSError:
        return False


def _in_work_tree(folder: str) -> bool:
    done = _git(["rev-parse", "--is-inside-work-tree"], folder)
    return done is not None and done.returncode == 0 and done.stdout.strip() == b"true"


def _listing(
    folder: str,
    screen: bool,
    ways: int,
    on_hit: OnHit | None = None,
    in_git: bool | None = None,
    then: Callable[[], None] | None = None,
) -> tuple[list[str], list[str] | None]:
    """Every file under `folder`, and the screened hits among them (None: not screened).
    `in_git` False: known to be outside a work tree (no `git ls-files` to try). `then` runs
    once GNU grep has started, if it screens."""
    listed = None if in_git is False else _git_listing(folder)
    if listed is not None:
        return listed, _git_grep(folder, listed, on_hit) if screen else None
    if screen:
        grepped = _grep_tree(folder, ways, on_hit, then)
        if grepped is not None:
            return grepped
    return list(_walk(folder)), None


def _explicit_file_reason(path: str) -> str | None:
    parts = Path(path).parts
    if any(part in SKIP_DIRS for part in parts[:-1]):
        return "inside a folder that is never rewritten (.git, virtualenv, cache)"
    if _git_ignored(path):
        return "ignored by .gitignore"
    return None


def _walk(root: str, python: bool = True) -> Iterable[str]:
    """Python files under `root` (with `python=False`: every other file instead)."""
    stack = [root]
    found: list[str] = []
    while stack:
        folder = stack.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    if entry.is_symlink():
                        continue
                    if entry.is_dir():
                        if entry.name not in SKIP_DIRS and not _is_venv(entry.path):
                            stack.append(entry.path)
                    elif entry.name.endswith(SUFFIX) == python:
                        found.append(entry.path)
        except OSError:
            continue
    return found


def _is_venv(folder: str) -> bool:
    return any(os.path.exists(os.path.join(folder, marker)) for marker in VENV_MARKERS)


def _git(args: Sequence[str], cwd: str) -> subprocess.CompletedProcess[bytes] | None:
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, check=False, timeout=120
        )
    except (OSError, subprocess.SubprocessError):
        return None


def _git_listing(folder: str) -> list[str] | None:
    """Python files under `folder` that git does not ignore, or None outside a work tree."""
    done = _git(["ls-files", "-z", "--cached", "--others", "--exclude-standard", "--", "."], folder)
    if done is None or done.returncode != 0:
        return None
    result = []
    venv_cache: dict[str, bool] = {}
    for raw in done.stdout.split(b"\0"):
        if not raw.endswith(SUFFIX.encode()):
            continue
        relative = os.fsdecode(raw)
        parts = relative.split("/")
        if any(part in SKIP_DIRS for part in parts[:-1]):
            continue
        if _under_venv(folder, parts[:-1], venv_cache):
            continue
        path = os.path.join(folder, *parts)
        if os.path.isfile(path) and not os.path.islink(path):
            result.append(path)
    return result


def _under_venv(root: str, parts: list[str], cache: dict[str, bool]) -> bool:
    current = root
    for part in parts:
        current = os.path.join(current, part)
        if current not in cache:
            cache[current] = _is_venv(current)
        if cache[current]:
            return True
    return False


def _git_grep(folder: str, listed: list[str], on_hit: OnHit | None = None) -> list[str] | None:
    """The listed files that contain a needle, by `git grep` over the work tree."""
    args = ["git", "grep", "-l", "-z", "-F", "--untracked", "--no-color"]
    for needle in NEEDLES:
        args += ["-e", needle.decode()]
    try:
        process = _spawn([*args, "--", "*" + SUFFIX], cwd=folder)
    except OSError:
        return None
    try:
        output = _outputs([process], on_hit, _LISTED)[0]
    except subprocess.SubprocessError:
        return None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()
    if process.returncode not in (0, 1):
        return None
    found = {os.path.join(folder, *os.fsdecode(raw).split("/")) for raw in output.split(b"\0")}
    return [path for path in listed if path in found]


def _grep_tree(
    folder: str, ways: int = 1, on_hit: OnHit | None = None, then: Callable[[], None] | None = None
) -> tuple[list[str], list[str]] | None:
    """(every Python file, those with a needle) from GNU grep over `folder`.

    With `ways` > 1 the folder's entries are shared out between that many grep processes
    running side by side (the screening is bound by system calls, one core each)."""
    if not _gnu_grep():
        return None
    return _grep_paths(folder, *_shares(folder, ways), on_hit=on_hit, then=then)


def _grep_paths(
    folder: str,
    *groups: list[str],
    on_hit: OnHit | None = None,
    then: Callable[[], None] | None = None,
) -> tuple[list[str], list[str]] | None:
    """One GNU grep per group of paths under `folder`, all running at once; `then` runs as
    soon as they are started."""
    if not _gnu_grep():
        return None
    # One extended regex: GNU grep runs an alternation through its DFA at nearly the speed
    # of a single fixed string, while several -F patterns are markedly slower.
    args = ["grep", "-r", "-c", "-H", "--null", "-E", "--include=*" + SUFFIX]
    args += [f"--exclude-dir={name}" for name in sorted(SKIP_DIRS)]
    args += ["-e", "|".join(needle.decode() for needle in NEEDLES), "--"]
    if not any(groups):
        return [], []
    running: list[subprocess.Popen[bytes]] = []
    try:
        for group in groups:
            if group:
                running.append(_spawn([*args, *group], env={**os.environ, "LC_ALL": "C"}))
        if then is not None:
            then()
        outputs = _outputs(running, on_hit)
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        for process in running:
            if process.poll() is None:
                process.kill()
                process.wait()
            if process.stdout is not None:
                process.stdout.close()
    if any(process.returncode not in (0, 1) for process in running):
        return None
    return _parse_counts(folder, b"".join(outputs))


def _spawn(
    args: list[str], cwd: str | None = None, env: dict[str, str] | None = None
) -> subprocess.Popen[bytes]:
    """A grep whose output we read, with a pipe that holds all of a 20,000-file listing
    (Linux): with the default 64 KiB, each grep stops whenever its pipe is full until this
    process, busy importing the analysis, reads it, and two greps side by side took as long
    as one. Where the size cannot be set, the default pipe."""
    try:
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            pipesize=_PIPE_BYTES,
        )
    except PermissionError:  # over the user's pipe allowance: F_SETPIPE_SZ refused
        return subprocess.Popen(
            args, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )


def _outputs(
    running: list[subprocess.Popen[bytes]], on_hit: OnHit | None, hit_mark: re.Pattern[bytes] = _HIT
) -> list[bytes]:
    """What each grep printed; `on_hit` runs here, in this thread, while they still run, once
    `hit_mark` shows in their output."""
    if on_hit is None:
        return [process.communicate(timeout=600)[0] for process in running]
    blocks: list[list[bytes]] = [[] for _ in running]
    finished: list[int] = []
    hit, wake = threading.Event(), threading.Event()

    def drain(process: subprocess.Popen[bytes], into: list[bytes]) -> None:
        assert process.stdout is not None
        fd = process.stdout.fileno()
        try:
            for block in iter(lambda: os.read(fd, 1 << 16), b""):
                into.append(block)
                if not hit.is_set() and hit_mark.search(block):
                    hit.set()
                    wake.set()
        finally:
            finished.append(1)
            wake.set()

    readers = [
        threading.Thread(target=drain, args=pair, daemon=True)
        for pair in zip(running, blocks, strict=True)
    ]
    for reader in readers:
        reader.start()
    called = False
    try:
        while True:
            if hit.is_set() and not called:
                called = True
                on_hit()
            if len(finished) == len(readers):
                break
            wake.wait()
            wake.clear()
    finally:
        if len(finished) < len(readers):  # on_hit raised: end grep, so that its reader ends
            for process in running:
                process.kill()
        for reader in readers:
            reader.join()
    for process in running:
        process.wait(timeout=600)
    return [b"".join(found) for found in blocks]


def _shares(folder: str, ways: int) -> list[list[str]]:
    """`folder` itself, or its entries dealt out in `ways` groups (never into a skipped dir)."""
    if ways <= 1:
        return [[folder]]
    try:
        with os.scandir(folder) as entries:
            children = sorted(
                entry.path
                for entry in entries
                if not entry.is_symlink()
                and (
                    (entry.is_dir() and entry.name not in SKIP_DIRS)
                    or (entry.is_file() and entry.name.endswith(SUFFIX))
                )
            )
    except OSError:
        return [[folder]]
    ways = min(ways, len(children))
    if ways <= 1:
        return [[folder]]
    return [children[start::ways] for start in range(ways)]


def _parse_counts(folder: str, output: bytes) -> tuple[list[str], list[str]]:
    """(every file, those with a needle) from `grep -c --null` output, without the files of
    a virtual environment (looked for once per folder)."""
    listed, hits = _counted(output) or _counted_lines(output)
    prefix = len(folder.rstrip(os.sep)) + 1
    venv_cache: dict[str, bool] = {}
    venvs = set()
    for parent in {path.rpartition("/")[0] for path in listed}:
        parts = parent[prefix:].split(os.sep) if len(parent) >= prefix else []
        if _under_venv(folder, [part for part in parts if part], venv_cache):
            venvs.add(parent)
    if venvs:
        listed = [path for path in listed if path.rpartition("/")[0] not in venvs]
        hits = [path for path in hits if path.rpartition("/")[0] not in venvs]
    return listed, hits


def _counted(output: bytes) -> tuple[list[str], list[str]] | None:
    """The `path\0count` lines cut by `str` methods in one go: a scan waits for this before
    it shares out its files. None when a path has a line break in its name (the fields do
    not pair up): `_counted_lines` reads those."""
    fields = os.fsdecode(output).replace("\n", "\0").split("\0")
    listed, counts = fields[0:-1:2], fields[1::2]
    if len(listed) != len(counts) or fields[-1] or not all(map(str.isdigit, counts)):
        return None
    return listed, list(compress(listed, map("0".__ne__, counts)))


def _counted_lines(output: bytes) -> tuple[list[str], list[str]]:
    """The `path\0count` lines read one by one."""
    listed: list[str] = []
    hits: list[str] = []
    for line in output.split(b"\n"):
        raw_path, _, count = line.partition(b"\0")
        if not raw_path:
            continue
        path = os.fsdecode(raw_path)
        listed.append(path)
        if count != b"0":
            hits.append(path)
    return listed, hits


_GNU: list[bool] = []
_GNU_ASKED: list[subprocess.Popen[bytes]] = []  # `grep --version` started, not yet read


def _ask_gnu_grep() -> None:
    """Start `grep --version` now, to be read when first needed: it then runs beside the
    work-tree check instead of after it."""
    if _GNU or _GNU_ASKED:
        return
    try:
        _GNU_ASKED.append(subprocess.Popen(
            ["grep", "--version"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        ))
    except OSError:
        _GNU.append(False)


def _gnu_grep() -> bool:
    if not _GNU:
        _ask_gnu_grep()
        if _GNU_ASKED:
            asked = _GNU_ASKED.pop()
            try:
                output = asked.communicate(timeout=30)[0]
            except subprocess.SubprocessError:
                asked.kill()
                asked.communicate()
                output = b""
            _GNU.append(asked.returncode == 0 and b"GNU grep" in output)
    return _GNU[0]


def _git_ignored(path: str) -> bool:
    folder = os.path.dirname(os.path.abspath(path))
    done = _git(["check-ignore", "-q", "--", os.path.abspath(path)], folder)
    return done is not None and done.returncode == 0


def dirty_paths(paths: Sequence[str | Path]) -> list[str]:
    """Uncommitted or untracked files under `paths`, per `git status` (empty outside git)."""
    dirty: list[str] = []
    for given in paths:
        path = os.path.abspath(str(given))
        folder = path if os.path.isdir(path) else os.path.dirname(path)
        done = _git(["status", "--porcelain", "-z", "--untracked-files=all", "--", path], folder)
        if done is None or done.returncode != 0:
            continue
        for entry in done.stdout.split(b"\0"):
            if len(entry) > 3 and entry[2:3] == b" ":
                dirty.append(os.fsdecode(entry[3:]))
    return sorted(set(dirty))
