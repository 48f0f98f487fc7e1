"""Running ASGI apps on real sockets: bind first (clear errors), then serve with uvicorn.

Binding before uvicorn starts turns "port in use" into a ConfigurationError (exit 2) instead of
uvicorn's own exit, and port 0 picks a free port for tests.
"""

from __future__ import annotations

import asyncio
import errno
import ipaddress
import signal
import socket
import threading
import time
from collections.abc import Callable
from types import FrameType
from typing import Any, Literal

import uvicorn

from migrate.errors import ConfigurationError


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port, or a ConfigurationError saying why not."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as error:
        raise ConfigurationError(f"cannot resolve host {host!r}: {error.strerror}") from error
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as error:
        sock.close()
        reason = (
            "is already in use"
            if error.errno == errno.EADDRINUSE
            else f"cannot be bound ({error.strerror})"
        )
        raise ConfigurationError(f"port {port} on {host} {reason}") from error
    sock.setblocking(False)
    return sock


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def parse_listen(listen: str) -> tuple[str, int]:
    """`127.0.0.1:8400` or `[::1]:8400` → (host, port)."""
    host, sep, port_text = listen.rpartition(":")
    if not sep or not port_text.isdigit():
        raise ConfigurationError(f"--listen takes HOST:PORT, got {listen!r}")
    port = int(port_text)
    if not 0 <= port <= 65535:
        raise ConfigurationError(f"port {port} is out of range")
    return host.strip("[]") or "127.0.0.1", port


class ServedApps:
    """ASGI apps served by uvicorn on bound sockets, in one background thread.

    Used by the simulator, the proxy's tests and anything else that needs real loopback
    servers inside one process; `stop()` asks uvicorn to exit and joins the thread.
    """

    def __init__(
        self,
        apps: list[tuple[Any, str, int]],
        *,
        name: str = "pleo-migrate-serve",
        lifespan: Literal["auto", "on", "off"] = "on",
    ) -> None:
        self._sockets: list[socket.socket] = []
        try:
            for _, host, port in apps:
                self._sockets.append(bind(host, port))
        except ConfigurationError:
            for sock in self._sockets:
                sock.close()
            raise
        self.addresses = [
            (host, sock.getsockname()[1])
            for (_, host, _), sock in zip(apps, self._sockets, strict=True)
        ]
        self._servers = [
            uvicorn.Server(
                uvicorn.Config(
                    app,
                    log_level="warning",
                    lifespan=lifespan,
                    access_log=False,
                    timeout_graceful_shutdown=2,
                )
            )
            for app, _, _ in apps
        ]
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def url(self, index: int = 0) -> str:
        host, port = self.addresses[index]
        return f"http://{url_host(host)}:{port}"

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def start(self, timeout: float = 10.0) -> ServedApps:
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not all(server.started for server in self._servers):
            if self._error is not None or not self._thread.is_alive():
                raise ConfigurationError(f"the server could not start: {self._error}")
            if time.monotonic() > deadline:
                self.stop()
                raise ConfigurationError("the server did not start in time")
            time.sleep(0.01)
        return self

    def _run(self) -> None:
        async def serve_all() -> None:
            await asyncio.gather(
                *(
                    server.serve(sockets=[sock])
                    for server, sock in zip(self._servers, self._sockets, strict=True)
                )
            )

        try:
            asyncio.run(serve_all())
        except BaseException as error:
            self._error = error
        finally:
            for sock in self._sockets:
                sock.close()

    def stop(self, timeout: float = 10.0) -> None:
        for server in self._servers:
            server.should_exit = True
        if self._thread.is_alive():
            self._thread.join(timeout)

    def __enter__(self) -> ServedApps:
        return self.start() if not self._thread.is_alive() else self

    def __exit__(self, *exc: object) -> None:
        self.stop()


class StopSignals:
    """Catches SIGINT and SIGTERM from the moment it is entered; `wait()` blocks until one comes.

    Enter it before printing "ready": a signal sent as soon as a caller sees the output must
    stop the servers cleanly (exit 0), not kill the process with the default action.
    """

    def __init__(self) -> None:
        self._stop = threading.Event()
        self._previous: dict[int, Any] = {}

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        self._stop.set()

    def __enter__(self) -> StopSignals:
        for sig in (signal.SIGINT, signal.SIGTERM):
            self._previous[sig] = signal.signal(sig, self._handle)
        return self

    def wait(self, alive: Callable[[], bool]) -> None:
        while not self._stop.wait(0.2):
            if not alive():
                raise ConfigurationError("the server stopped unexpectedly")

    def __exit__(self, *exc: object) -> None:
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
