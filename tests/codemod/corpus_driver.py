"""Run one corpus module's public calls in a subprocess and print what each returned, as JSON.

Started by `corpus_harness` as `python corpus_driver.py PLAN.json`. Before the module is
imported, every HTTP request made through `requests` or `httpx` (sync and async) is routed
by host: the plan maps each reachable host (`openapi.pleo.io`, `external.pleo.io`, their
staging twins) to a loopback origin; any other host is refused with the library's own
connection error, so nothing but 127.0.0.1 is ever contacted. Each request is logged (method,
host, path, routed or refused, the auth scheme but never the secret) against the call that
made it. The driver imports nothing from the project: it stands where the user's code stands.
"""

from __future__ import annotations

import asyncio
import dataclasses
import importlib.util
import inspect
import json
import sys
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx
import requests
import requests.adapters

LOG: list[dict[str, Any]] = []
LOOP = asyncio.new_event_loop()  # one loop for every call: async clients keep their pools
ROUTES: dict[str, str] = {}


class Refused(Exception):
    """The harness refused a host (kept apart from each library's own error type)."""


def _route(method: str, url: str, auth: str | None) -> str:
    """The loopback URL serving `url`; raises Refused for a host that is not reachable."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    scheme = (auth or "").split(" ", 1)[0] or None
    entry = {"method": method, "host": host, "path": parts.path, "auth": scheme}
    LOG.append(entry)
    origin = ROUTES.get(host)
    if origin is None:
        entry["outcome"] = "refused"
        raise Refused(f"corpus harness: {host or url} is not reachable in this run")
    entry["outcome"] = "routed"
    target = urlsplit(origin)
    return urlunsplit((target.scheme, target.netloc, parts.path, parts.query, ""))


_requests_send = requests.adapters.HTTPAdapter.send
_httpx_send = httpx.HTTPTransport.handle_request
_httpx_async_send = httpx.AsyncHTTPTransport.handle_async_request


def _send_requests(
    self: requests.adapters.HTTPAdapter, request: requests.PreparedRequest, *args: Any,
    **kwargs: Any
) -> requests.Response:
    try:
        url = _route(str(request.method), str(request.url), request.headers.get("Authorization"))
    except Refused as refused:
        raise requests.ConnectionError(str(refused), request=request) from None
    routed = request.copy()
    routed.url = url
    response = _requests_send(self, routed, *args, **kwargs)
    response.url = str(request.url)
    response.request = request
    return response


def _httpx_request(request: httpx.Request) -> httpx.Request:
    try:
        url = _route(request.method, str(request.url), request.headers.get("Authorization"))
    except Refused as refused:
        raise httpx.ConnectError(str(refused), request=request) from None
    routed = httpx.Request(
        request.method, url, headers=request.headers, content=request.content,
        extensions=request.extensions,
    )
    return routed


def _send_httpx(self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
    request.read()
    return _httpx_send(self, _httpx_request(request))


async def _send_httpx_async(
    self: httpx.AsyncHTTPTransport, request: httpx.Request
) -> httpx.Response:
    await request.aread()
    return await _httpx_async_send(self, _httpx_request(request))


def install_routing(routes: dict[str, str]) -> None:
    ROUTES.update(routes)
    requests.adapters.HTTPAdapter.send = _send_requests  # type: ignore[method-assign]
    httpx.HTTPTransport.handle_request = _send_httpx  # type: ignore[method-assign]
    httpx.AsyncHTTPTransport.handle_async_request = _send_httpx_async  # type: ignore[method-assign]


# --- values --------------------------------------------------------------------------------


def plain(value: Any) -> Any:
    """A JSON-ready copy of what a call returned."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, set | frozenset):
        return sorted((plain(v) for v in value), key=repr)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return plain(dataclasses.asdict(value))
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, requests.Response | httpx.Response):
        return {"status": value.status_code}
    return repr(value)


def status_of(error: BaseException) -> int | None:
    """The HTTP status an exception carries, wherever the client put it."""
    response = getattr(error, "response", None)
    for holder in (response, error):
        for name in ("status_code", "status"):
            value = getattr(holder, name, None)
            if isinstance(value, int):
                return value
    return None


async def _drain_async(value: Any) -> Any:
    if inspect.isawaitable(value):
        value = await value
    if inspect.isasyncgen(value):
        return [item async for item in value]
    return value


def settle(value: Any) -> Any:
    """Run coroutines, drain generators: what the caller would end up holding."""
    if inspect.isawaitable(value) or inspect.isasyncgen(value):
        value = LOOP.run_until_complete(_drain_async(value))
    if inspect.isgenerator(value) or isinstance(value, Iterator):
        value = list(value)
    return value


def load(path: Path) -> Any:
    sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


def run(plan: dict[str, Any]) -> dict[str, Any]:
    install_routing(plan["routes"])
    try:
        module = load(Path(plan["module"]))
    except BaseException as error:  # the rewritten module may not even import
        return {"import_error": f"{type(error).__name__}: {error}", "calls": {}}
    owner: Any = module
    calls: dict[str, Any] = {}
    if plan.get("factory"):
        try:
            owner = getattr(module, plan["factory"])(*plan.get("factory_args", []))
        except BaseException as error:
            return {"import_error": f"{plan['factory']}(): {type(error).__name__}: {error}",
                    "calls": {}}
    for call in plan["calls"]:
        start = len(LOG)
        try:
            result = settle(getattr(owner, call["method"])(*call["args"], **call["kwargs"]))
            record: dict[str, Any] = {"returned": plain(result)}
        except BaseException as error:
            record = {"raised": type(error).__name__, "status": status_of(error),
                      "detail": "".join(traceback.format_exception_only(error)).strip()[:300]}
        record["requests"] = LOG[start:]
        calls[call["name"]] = record
    return {"import_error": None, "calls": calls}


def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    outcome = run(plan)
    Path(plan["out"]).write_text(json.dumps(outcome), encoding="utf-8")


if __name__ == "__main__":
    main()
