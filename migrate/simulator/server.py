"""Serve both simulated APIs with real uvicorn servers, in one background thread.

Built on `migrate.serving`: sockets are bound first, so a port in use is a clear
`ConfigurationError` before any server starts, and port 0 picks a free port. The CLI and the
pytest fixture both use `start_servers`; stopping asks uvicorn to exit and joins the thread.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from types import TracebackType
from typing import Any

from migrate.errors import ConfigurationError
from migrate.serving import ServedApps
from migrate.simulator.core import Simulator
from migrate.simulator.new_app import SCOPES


class RunningSimulator:
    """Both servers, running; use as a context manager or call `stop()`."""

    def __init__(self, simulator: Simulator, host: str, legacy_port: int, new_port: int) -> None:
        self.simulator = simulator
        self.host = host
        self._served = ServedApps(
            [(simulator.legacy_app, host, legacy_port), (simulator.new_app, host, new_port)],
            name="pleo-simulator",
            lifespan="off",
        )
        self.legacy_port = self._served.addresses[0][1]
        self.new_port = self._served.addresses[1][1]

    @property
    def legacy_base_url(self) -> str:
        return self._served.url(0) + "/v1"

    @property
    def new_base_url(self) -> str:
        return self._served.url(1)

    @property
    def alive(self) -> bool:
        return self._served.alive

    def start(self, timeout: float = 10.0) -> RunningSimulator:
        self._served.start(timeout)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self._served.stop(timeout)

    def __enter__(self) -> RunningSimulator:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop()

    def credentials_document(self) -> dict[str, Any]:
        """The `--credentials-file` JSON: the start-up legacy token and company-level key."""
        sim = self.simulator
        return {
            "environment": sim.config.environment,
            "legacy": {"base_url": self.legacy_base_url, "token": sim.startup.legacy_token.secret},
            "new": {
                "base_url": self.new_base_url,
                "api_key": sim.startup.api_key.secret,
                "company_id": sim.company_id,
                "organization_id": sim.organization_id,
                "scopes": list(SCOPES),
            },
        }


def start_servers(
    simulator: Simulator, *, host: str = "127.0.0.1", legacy_port: int = 0, new_port: int = 0
) -> RunningSimulator:
    """Bind, start and wait until both servers answer; port 0 means any free port."""
    return RunningSimulator(simulator, host, legacy_port, new_port).start()


def write_credentials_file(path: Path, document: dict[str, Any]) -> None:
    """Write the credentials JSON atomically with mode 0600 (it holds secrets)."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=directory)
    except OSError as error:
        raise ConfigurationError(f"cannot write {path}: {error.strerror}") from error
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, indent=2)
            handle.write("\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except OSError as error:
        Path(temporary).unlink(missing_ok=True)
        raise ConfigurationError(f"cannot write {path}: {error.strerror}") from error
