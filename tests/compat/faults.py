"""A fault server on loopback that plays a misbehaving new API, for the reliability tests.

Each test sets `server.behaviour` to one of the functions below (or its own); the server
records what it was sent and how many exchanges are still open, so a test can tell whether
the compat layer gave up on an upstream call or left it hanging.
"""

from __future__ import annotations

import gzip
import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Behaviour = Callable[["_Handler"], None]


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class FaultState:
    behaviour: Behaviour
    seen: list[Seen] = field(default_factory=list)
    open: int = 0
    most_open: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: FaultState

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: the tests read `seen`, not a log."""

    def _any(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        if length:
            self.rfile.read(length)
        state = self.state
        with state.lock:
            state.seen.append(Seen(self.command, self.path, dict(self.headers.items())))
            state.open += 1
            state.most_open = max(state.most_open, state.open)
        try:
            state.behaviour(self)
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            with state.lock:
                state.open -= 1

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _any

    def answer(self, status: int, body: bytes, **headers: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)


class FaultServer:
    def __init__(self, behaviour: Behaviour) -> None:
        self.state = FaultState(behaviour)
        handler = type("Handler", (_Handler,), {"state": self.state})
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def behaviour(self) -> Behaviour:
        return self.state.behaviour

    @behaviour.setter
    def behaviour(self, value: Behaviour) -> None:
        self.state.behaviour = value

    @property
    def seen(self) -> list[Seen]:
        return self.state.seen

    def wait_idle(self, seconds: float) -> bool:
        """Whether every exchange ended within `seconds`."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if self.state.open == 0:
                return True
            time.sleep(0.05)
        return self.state.open == 0


@contextmanager
def fault_server(behaviour: Behaviour) -> Iterator[FaultServer]:
    server = FaultServer(behaviour)
    server._thread.start()
    try:
        yield server
    finally:
        server._server.shutdown()
        server._server.server_close()


# --- behaviours ------------------------------------------------------------------------------


def trickle(handler: _Handler) -> None:
    """Headers, then one byte every 0.3 s, for up to a minute: a per-read timeout never fires."""
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", "1000")
    handler.end_headers()
    for _ in range(200):
        handler.wfile.write(b" ")
        handler.wfile.flush()
        time.sleep(0.3)


def gzip_bomb(handler: _Handler) -> None:
    """About 64 KB on the wire, 64 MB inflated, sent although nobody asked for gzip."""
    body = gzip.compress(b'{"data":{"id":"x","pad":"' + b" " * (64 << 20) + b'"}}', 9)
    handler.answer(200, body, Content_Encoding="gzip")


def huge(size: int) -> Behaviour:
    def send(handler: _Handler) -> None:
        handler.answer(200, b'{"data":{"pad":"' + b"x" * size + b'"}}')

    return send


def lost_answer(handler: _Handler) -> None:
    """Read the request (as if applied), then close without a word."""
    handler.close_connection = True
    handler.connection.shutdown(2)


def deep_json(handler: _Handler) -> None:
    handler.answer(200, b'{"data":' + b"[" * 200_000 + b"]" * 200_000 + b"}")


def slow(seconds: float, body: Any) -> Behaviour:
    def send(handler: _Handler) -> None:
        time.sleep(seconds)
        handler.answer(200, json.dumps(body).encode())

    return send
