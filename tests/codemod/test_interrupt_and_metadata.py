"""`rewrite --write` interrupted, and the files it must not touch (review D11, D15;
newcomer defects 8 and 13)."""

from __future__ import annotations

import importlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from migrate.codemod import Interrupted, Job, run, select
from tests.cli_runner import invoke
from tests.codemod.helpers import FIXTURE_MAPPINGS
from tests.codemod.test_safety import LEGACY_MODULE, _git

REPO = Path(__file__).resolve().parents[2]
# the module, not the package's `run` function of the same name
run_module = importlib.import_module("migrate.codemod.run")


def _tree(folder: Path, count: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        (folder / f"m{n:04d}.py").write_text(LEGACY_MODULE, encoding="utf-8")
    return folder


def _job() -> Job:
    return Job("write", "native", select("native"), FIXTURE_MAPPINGS)


def test_a_signal_in_the_write_phase_finishes_the_file_and_stops(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = _tree(tmp_path / "t", 6)
    real = run_module.write_atomic
    calls = []

    def write_then_signal(path: str, data: bytes) -> None:
        calls.append(path)
        os.kill(os.getpid(), signal.SIGTERM if len(calls) == 1 else signal.SIGINT)
        real(path, data)  # the handler only asks to stop: this write still completes

    monkeypatch.setattr(run_module, "write_atomic", write_then_signal)
    with pytest.raises(Interrupted) as stopped:
        run([str(tree)], _job())
    assert stopped.value.written == tuple(calls) and len(calls) == 1
    assert stopped.value.planned == 6
    assert Path(calls[0]).read_text(encoding="utf-8") != LEGACY_MODULE
    assert not list(tree.glob(".pleo-migrate-*"))
    assert signal.getsignal(signal.SIGTERM) is signal.SIG_DFL  # handlers given back


def test_the_cli_lists_what_was_written_and_how_to_resume(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tree = _tree(tmp_path / "t", 3)

    def interrupted(*_: object, **__: object) -> None:
        raise Interrupted((str(tree / "m0000.py"),), 3)

    monkeypatch.setattr("migrate.cli.codemod.run", interrupted)
    result = invoke(["rewrite", "--write", "--allow-dirty", str(tree)], {"NO_COLOR": "1"})
    assert result.exit_code == 130
    assert f"rewrote {tree / 'm0000.py'}" in result.stdout
    assert "rewrote 1 of 3 files" in result.stderr and "--allow-dirty" in result.stderr
    assert "is not in a git work tree" in result.stderr


def test_read_only_files_are_refused_with_a_message(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t", 2)
    locked = tree / "m0000.py"
    locked.chmod(0o444)
    if os.access(locked, os.W_OK) and os.getuid() != 0:
        pytest.skip("cannot make a read-only file here")
    outcome = run([str(tree)], _job())
    by_path = {item.path: item for item in outcome.result.files}
    assert by_path[str(locked)].status == "failed"
    assert "read-only" in (by_path[str(locked)].reason or "")
    assert locked.read_text(encoding="utf-8") == LEGACY_MODULE
    assert (tree / "m0001.py").read_text(encoding="utf-8") != LEGACY_MODULE


def test_a_path_through_a_symlink_never_writes_outside_the_tree(tmp_path: Path,
                                                                 monkeypatch: pytest.MonkeyPatch
                                                                 ) -> None:
    outside = _tree(tmp_path / "outside", 1)
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "linkdir").symlink_to(outside)
    monkeypatch.chdir(tree)
    outcome = run(["linkdir/m0000.py"], _job())
    (item,) = outcome.result.files
    assert item.status == "failed" and "outside the paths given" in (item.reason or "")
    assert (outside / "m0000.py").read_text(encoding="utf-8") == LEGACY_MODULE


@pytest.mark.skipif(os.getuid() != 0, reason="changing a file's owner needs root")
def test_the_owner_is_kept(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t", 1)
    target = tree / "m0000.py"
    os.chown(target, 1234, 1234)
    run([str(tree)], _job())
    info = target.stat()
    assert (info.st_uid, info.st_gid) == (1234, 1234)
    assert target.read_text(encoding="utf-8") != LEGACY_MODULE


def _children(pid: int) -> set[int]:
    found = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True,
                           check=False)
    return {int(line) for line in found.stdout.split()}


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and ") Z " in stat.read_text())


@pytest.mark.slow
def test_sigterm_to_the_main_process_leaves_no_worker_behind(tmp_path: Path) -> None:
    tree = _tree(tmp_path / "t", 3000)
    _git(tmp_path / "t", "init", "-q")
    _git(tmp_path / "t", "add", "-A")
    _git(tmp_path / "t", "commit", "-qm", "x")
    process = subprocess.Popen(
        [sys.executable, "-m", "migrate", "rewrite", "--write", "--strategy", "compat", "-j",
         "2", "--mappings", str(FIXTURE_MAPPINGS), str(tree)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=REPO,
        env={**os.environ, "NO_COLOR": "1"},
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2 and process.poll() is None and time.monotonic() < deadline:
            workers |= _children(process.pid)
            time.sleep(0.1)
        assert workers, "no worker process started"
        time.sleep(0.1)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    deadline = time.monotonic() + 10
    while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(pid) for pid in workers)
    assert not list(tree.glob(".pleo-migrate-*"))


def test_sigterm_in_any_phase_is_an_interrupt() -> None:
    """SIGTERM before any worker exists (files still being found) ends the command as Ctrl-C
    does: "interrupted", exit 130. It used to kill the process with no word (-15)."""
    code = (
        "import os, signal, sys, time\n"
        "import migrate.cli.root as root\n"
        "def invoke(args):\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        "    time.sleep(5)\n"
        "    return 0\n"
        "root.invoke = invoke\n"
        "from migrate.cli import main\n"
        "sys.argv = ['pleo-migrate', 'rewrite', '--check', '.']\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=60,
        check=False,
    )
    assert done.returncode == 130, done.stderr
    assert "interrupted" in done.stderr and "Traceback" not in done.stderr
