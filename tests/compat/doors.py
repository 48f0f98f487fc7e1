"""The ways a legacy request reaches an API in the parity tests: one interface, five doors."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx

from migrate.compat import (
    ProxyAccess,
    legacy_async_client,
    legacy_client,
    legacy_session,
    new_caller_token,
)
from migrate.compat.proxy import ProxyConfig, build_proxy_app
from migrate.serving import ServedApps
from migrate.simulator.testing import SimulatorHandle

Answer = tuple[int, Any]


def _json(status: int, content: bytes) -> Answer:
    return status, (json.loads(content) if content else None)


class Door:
    name = "door"

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        raise NotImplementedError

    def close(self) -> None:
        """Release what the door holds."""


class LegacyDoor(Door):
    """Straight to the legacy simulator with the legacy token: the reference answers."""

    name = "legacy"

    def __init__(self, sim: SimulatorHandle) -> None:
        self.client = httpx.Client(headers=sim.legacy_headers, timeout=30)
        self.base = sim.legacy_base_url

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        response = self.client.request(method, self.base + path, json=body)
        return _json(response.status_code, response.content)

    def close(self) -> None:
        self.client.close()


def _compat_options(sim: SimulatorHandle) -> dict[str, Any]:
    return {
        "api_key": sim.api_key,
        "company_id": sim.company_id,
        "env": sim.environment,
        "new_base_url": sim.new_base_url,
        "legacy_base_url": sim.legacy_base_url,
    }


class HttpxDoor(Door):
    name = "httpx"

    def __init__(self, sim: SimulatorHandle) -> None:
        self.client = legacy_client(**_compat_options(sim), timeout=30)
        self.base = sim.legacy_base_url

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        response = self.client.request(method, self.base + path, json=body)
        return _json(response.status_code, response.content)

    def close(self) -> None:
        self.client.close()


class AsyncDoor(Door):
    name = "httpx-async"

    def __init__(self, sim: SimulatorHandle) -> None:
        self.loop = asyncio.new_event_loop()
        self.client = legacy_async_client(**_compat_options(sim), timeout=30)
        self.base = sim.legacy_base_url

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        async def go() -> httpx.Response:
            return await self.client.request(method, self.base + path, json=body)

        response = self.loop.run_until_complete(go())
        return _json(response.status_code, response.content)

    def close(self) -> None:
        self.loop.run_until_complete(self.client.aclose())
        self.loop.close()


class RequestsDoor(Door):
    name = "requests"

    def __init__(self, sim: SimulatorHandle) -> None:
        self.session = legacy_session(**_compat_options(sim))
        self.base = sim.legacy_base_url

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        response = self.session.request(method, self.base + path, json=body, timeout=30)
        return _json(response.status_code, response.content)

    def close(self) -> None:
        self.session.close()


class ProxyDoor(Door):
    """A plain HTTP client to `pleo-migrate proxy`, sending its caller token (never forwarded)."""

    name = "proxy"

    def __init__(self, sim: SimulatorHandle) -> None:
        options = _compat_options(sim)
        config = ProxyConfig(
            env=options["env"],
            company_id=options["company_id"],
            new_base_url=options["new_base_url"],
            api_key=options["api_key"],
        )
        access = ProxyAccess(caller_token=new_caller_token())
        app = build_proxy_app(config, access=access)
        self.served = ServedApps([(app, "127.0.0.1", 0)]).start()
        self.client = httpx.Client(
            base_url=self.served.url() + "/v1",
            headers={"Authorization": f"Bearer {access.caller_token}"},
            timeout=30,
        )

    def call(self, method: str, path: str, body: Any = None) -> Answer:
        response = self.client.request(method, path, json=body)
        return _json(response.status_code, response.content)

    def close(self) -> None:
        self.client.close()
        self.served.stop()


COMPAT_DOORS: dict[str, type[Door]] = {
    door.name: door for door in (HttpxDoor, AsyncDoor, RequestsDoor, ProxyDoor)
}
