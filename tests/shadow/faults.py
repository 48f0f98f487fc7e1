"""A misbehaving HTTP server on loopback, for the shadow's fault tests.

Each path is one fault: `/trickle` sends headers then a byte every 0.2 s until the client goes
away; `/bomb` a small gzip body that inflates to `BOMB_SIZE` bytes; `/huge` a plain body of
`HUGE_SIZE` bytes; `/slow-429` a 429 asking to wait a billion seconds; `/deep` JSON nested
200,000 levels; anything else `{}`. `hits` counts requests per path.
"""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

BOMB_SIZE = 256 * 1024 * 1024
HUGE_SIZE = 8 * 1024 * 1024
_BOMB = gzip.compress(b'{"data": [{"id": "x", "pad": "' + b" " * BOMB_SIZE + b'"}]}', 9)
_DEEP = b'{"data": ' + b"[" * 200_000 + b"]" * 200_000 + b"}"


class FaultServer(ThreadingHTTPServer):
    daemon_threads = True
    hits: Counter[str]
    stopping: threading.Event

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, *args: object) -> None:
        return None

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        name = next((p for p in ("trickle", "bomb", "huge", "slow-429", "deep")
                     if f"/{p}" in path), "other")
        self.server.hits[name] += 1
        if name == "trickle":
            self._trickle()
        elif name == "bomb":
            self._answer(200, _BOMB, {"Content-Encoding": "gzip"})
        elif name == "huge":
            self._answer(200, b'{"data": "' + b"x" * HUGE_SIZE + b'"}')
        elif name == "slow-429":
            self._answer(429, b'{"message": "slow down"}', {"Retry-After": "999999999"})
        elif name == "deep":
            self._answer(200, _DEEP)
        else:
            self._answer(200, b"{}")

    do_POST = do_GET

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        with suppress(OSError):
            self.wfile.write(body)

    def _trickle(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        try:
            while not self.server.stopping.is_set():
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            return


@contextmanager
def fault_server() -> Iterator[FaultServer]:
    server = FaultServer(("127.0.0.1", 0), _Handler)
    server.hits = Counter()
    server.stopping = threading.Event()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.stopping.set()
        server.shutdown()
        server.server_close()
