"""A fork server for `corpus_driver.py`: one process imports the driver's libraries once, then
forks a fresh child per run (started by `corpus_harness`, Linux only).

Each driver run used to be a new interpreter that spent most of its CPU importing `requests`
and `httpx` (about 0.15 s, some 600 times a suite). A forked child starts with them imported
and nothing else: it gets the run's working folder, environment and argv, its stdout and
stderr go to the run's log file, and it executes `corpus_driver.py` as `__main__` exactly as
`python corpus_driver.py PLAN` would. The child is a separate process, so no state of one run
reaches another, as before.

Protocol: one JSON line per run on stdin, `{"argv", "cwd", "env", "log", "timeout"}`; one JSON
line back, `{"returncode": int}` or `{"timeout": true}` (the child was killed).
"""

from __future__ import annotations

# Besides what this server needs, what corpus_driver.py imports (the expensive part of its
# start-up), and nothing else.
import asyncio  # noqa: F401
import contextlib
import dataclasses  # noqa: F401
import importlib.util  # noqa: F401
import inspect  # noqa: F401
import json
import os
import runpy
import select
import signal
import sys
import time
import traceback
import urllib.parse  # noqa: F401
from typing import Any

import httpx  # noqa: F401
import requests
import requests.adapters  # noqa: F401


def _child(job: dict[str, Any]) -> int:
    """Runs in the forked child: become the run's process, execute the driver."""
    log = os.open(job["log"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.chdir(job["cwd"])
    os.environ.clear()
    os.environ.update(job["env"])
    sys.argv = list(job["argv"])
    try:
        runpy.run_path(job["argv"][0], run_name="__main__")
    except SystemExit as stop:
        if stop.code is None or isinstance(stop.code, int):
            return stop.code or 0
        print(stop.code, file=sys.stderr)
        return 1
    except BaseException:
        traceback.print_exc()
        return 1
    return 0


def _wait(pid: int, timeout: float) -> int | None:
    """The child's exit status, or None after killing it when it outlives `timeout`."""
    deadline = time.monotonic() + timeout
    try:
        handle: int | None = os.pidfd_open(pid)
    except (AttributeError, OSError):
        handle = None
    try:
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                return os.waitstatus_to_exitcode(status)
            left = deadline - time.monotonic()
            if left <= 0:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                return None
            if handle is not None:
                select.select([handle], [], [], left)
            else:
                time.sleep(min(left, 0.005))
    finally:
        if handle is not None:
            os.close(handle)


def serve() -> None:
    for line in sys.stdin:
        job = json.loads(line)
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                code = _child(job)
            finally:
                for stream in (sys.stdout, sys.stderr):
                    with contextlib.suppress(BaseException):
                        stream.flush()
                os._exit(code)
        code = _wait(pid, float(job["timeout"]))
        reply = {"timeout": True} if code is None else {"returncode": code}
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    serve()
