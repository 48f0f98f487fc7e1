"""Before the run: one read per API, so a credential or connection problem is named, not
counted as parity 0 %; and, for --allow-writes, proof that every URL serves staging.

A wrong key kind, a staging key on production, a missing scope, a wrong company or an
unreachable host all fail the first request of the run; the server's own reason then ends the
run with exit 2 (configuration), before any record is compared.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import replace
from urllib.parse import urlsplit

import httpx

from migrate.errors import ConfigurationError, ConversionError, SafetyRefusal
from migrate.mapping import Catalogue, Operation
from migrate.pleo import is_loopback, is_pleo_host
from migrate.shadow.config import Endpoints, Limits
from migrate.shadow.fetch import Api, Calls, FetchError, parents
from migrate.shadow.plan import ParityPlan, ParityRequest

HEALTH_PATH = "/healthz"


class PreflightFailed(ConfigurationError):
    """The first read of one API failed: the message is the server's reason, on one line."""


def probe_step(catalogue: Catalogue, plan: ParityPlan) -> ParityRequest | None:
    """A cheap read the run needs anyway: the first planned list that needs no path
    parameters, or the list a planned read takes its parameters from."""
    for step in plan.reads:
        operation = catalogue.get(step.operation)
        if operation.new is None:
            continue
        if "{" not in operation.legacy.path:
            return replace(step, path_params=())
        source = _first_parent(catalogue, operation)
        if source is not None:
            return ParityRequest(source.id)
    return None


def _first_parent(catalogue: Catalogue, operation: Operation) -> Operation | None:
    try:
        chain = parents(catalogue, operation)
    except ConversionError:
        return None
    return chain[0][1] if chain and chain[0][1].new is not None else None


async def preflight(
    catalogue: Catalogue,
    plan: ParityPlan,
    company_id: str | None,
    limits: Limits,
    legacy: Api,
    new: Api,
    compat: Api | None,
) -> None:
    """One read per side (one record); a failure raises PreflightFailed with its reason."""
    step = probe_step(catalogue, plan)
    if step is None:
        return
    operation = catalogue.get(step.operation)
    one = replace(limits, page_size=1, sample=1, retries=min(limits.retries, 1))
    try:
        calls = Calls(catalogue, operation, step, company_id, one)
    except ConversionError:
        return  # the run reports it against the operation
    legacy_call = calls.legacy({}, 0)
    try:
        await legacy.send(legacy_call)
        if operation.kind == "flow":
            if compat is not None:
                await compat.send(legacy_call)
        else:
            await new.send(calls.new({}))
    except FetchError as exc:
        raise PreflightFailed(
            f"pre-flight read failed, nothing compared: {exc.side} API: {exc.request}: "
            f"{exc.message}"
        ) from None


async def confirm_staging(
    endpoints: Endpoints,
    vouched: Collection[str],
    transport: httpx.AsyncBaseTransport | None = None,
) -> None:
    """--allow-writes sends only to staging: each URL must be Pleo's staging host (checked
    already), or a loopback server whose /healthz says staging, or a URL that a credentials
    file marked staging gave (`vouched`). A server that says another environment is refused
    even then: a proxy in front of production is production."""
    for name, url in (("--legacy-url", endpoints.legacy_url), ("--new-url", endpoints.new_url)):
        host = urlsplit(url).hostname or ""
        if is_pleo_host(host):
            continue
        said = await _health_env(url, transport) if is_loopback(host) else None
        if said is not None and said != "staging":
            raise SafetyRefusal(
                f"{name} {url} serves {said} (its {HEALTH_PATH} says so); --allow-writes "
                "sends only to staging"
            )
        if said == "staging" or url.rstrip("/") in vouched:
            continue
        raise SafetyRefusal(
            f"cannot confirm that {name} {url} is staging: it is not Pleo's staging host, it "
            f"names no environment at {HEALTH_PATH}, and no --credentials-file marked staging "
            "gave this URL; --allow-writes sends only to staging"
        )


async def _health_env(url: str, transport: httpx.AsyncBaseTransport | None) -> str | None:
    parts = urlsplit(url)
    origin = f"{parts.scheme}://{parts.netloc}"
    try:
        async with httpx.AsyncClient(transport=transport, timeout=5.0,
                                     follow_redirects=False) as client:
            response = await client.get(origin + HEALTH_PATH)
        body = json.loads(response.content) if response.status_code == 200 else None
    except (httpx.HTTPError, ValueError, RecursionError):
        return None
    env = body.get("env") if isinstance(body, dict) else None
    return env if isinstance(env, str) else None
