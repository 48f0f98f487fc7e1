"""Which legacy requests a parity run makes: all reads, named operations, a scenario or a scan.

A plan is data: requests (an operation id with the legacy path parameters, query and body the
user gave) and the operations left out with the reason. Nothing here touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from migrate.contracts import SCAN, read_document
from migrate.errors import ConfigurationError, UsageError
from migrate.mapping import Catalogue, Operation, load_located

Pairs = tuple[tuple[str, str], ...]
_STEP_KEYS = {"op", "request", "path", "query", "body", "name"}


@dataclass(frozen=True)
class ParityRequest:
    """One legacy request to compare; missing path parameters are discovered from lists."""

    operation: str
    path_params: Pairs = ()
    query: Pairs = ()
    body: Any = field(default=None, compare=False)
    source: str = "all-reads"
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.operation

    @property
    def bare(self) -> bool:
        """Nothing but the operation: every such request of one operation is the same one."""
        return not (self.path_params or self.query or self.name) and self.body is None


# The old name, for fetch.py and writes.py until their rewrite (another branch) imports
# ParityRequest; nothing else may use it.


@dataclass(frozen=True)
class Skipped:
    operation: str
    reason: str


@dataclass(frozen=True)
class ParityPlan:
    """What a parity run compares (reads), may send (writes) and leaves out (skipped)."""

    reads: tuple[ParityRequest, ...]
    writes: tuple[ParityRequest, ...]
    skipped: tuple[Skipped, ...]

    def operations(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(step.operation for step in (*self.reads, *self.writes)))


def comparable(operation: Operation) -> str | None:
    """Why an operation cannot be compared record by record, or None when it can."""
    if not operation.mapped or operation.new is None:
        return f"no new-API equivalent: {operation.gap or 'gap'}"
    if operation.kind not in ("direct", "search", "flow"):
        return f"a {operation.kind} operation has no single new read to compare"
    if operation.model is None or operation.response is None:
        return "the catalogue describes no response records"
    if operation.response.legacy.empty or operation.response.new.empty:
        return "the response has no body"
    return None


def is_write(operation: Operation) -> bool:
    return not operation.is_read


def build_parity_plan(
    catalogue: Catalogue, ops: str, from_scan: Path | None = None
) -> ParityPlan:
    """`ops` is `all-reads`, a comma-separated list of operation ids, or a scenario file."""
    requests: list[ParityRequest] = []
    if from_scan is not None:
        requests.extend(scan_requests(catalogue, from_scan))
    if ops and not (from_scan is not None and ops == "all-reads"):
        requests.extend(_ops_requests(catalogue, ops))
    return _split(catalogue, requests)


def _ops_requests(catalogue: Catalogue, ops: str) -> list[ParityRequest]:
    if ops == "all-reads":
        return [ParityRequest(op.id) for op in catalogue if op.is_read]
    candidate = Path(ops)
    if candidate.suffix.lower() in (".yaml", ".yml", ".json") or candidate.is_file():
        return scenario_requests(catalogue, candidate)
    ids = [part.strip() for part in ops.split(",") if part.strip()]
    if not ids:
        raise UsageError("--ops needs all-reads, operation ids or a scenario file")
    return [ParityRequest(catalogue.get(op_id).id, source="--ops") for op_id in ids]


def plan_from_requests(catalogue: Catalogue, requests: Iterable[ParityRequest]) -> ParityPlan:
    """A plan from requests (a replayed cassette's), sorted into reads, writes and skipped."""
    return _split(catalogue, requests)


def _split(catalogue: Catalogue, requests: Iterable[ParityRequest]) -> ParityPlan:
    """Reads, writes and skipped operations, each request once (bare ones once per operation)."""
    reads: list[ParityRequest] = []
    writes: list[ParityRequest] = []
    skipped: dict[str, Skipped] = {}
    seen: set[ParityRequest | str] = set()
    for request in requests:
        key: ParityRequest | str = request.operation if request.bare else request
        if key in seen:
            continue
        seen.add(key)
        operation = catalogue.get(request.operation)
        if is_write(operation):
            writes.append(request)
            continue
        reason = comparable(operation)
        if reason is None:
            reads.append(request)
        else:
            skipped.setdefault(operation.id, Skipped(operation.id, reason))
    return ParityPlan(tuple(reads), tuple(writes), tuple(skipped.values()))


# --- scenario files ---------------------------------------------------------------------------


def scenario_requests(catalogue: Catalogue, path: Path) -> list[ParityRequest]:
    """Requests from a scenario file: `requests: [{op, path, query, body} | {request}]`."""
    if not path.is_file():
        raise ConfigurationError(f"{path}: no such scenario file")
    document = load_located(path)
    items = document.get("requests") if isinstance(document, Mapping) else document
    if not isinstance(items, list) or not items:
        raise ConfigurationError(f"{path}: a scenario is a list of requests under `requests:`")
    requests = []
    for index, item in enumerate(items):
        line = getattr(items, "item_lines", [0] * len(items))[index]
        where = f"{path}:{line}"
        if not isinstance(item, Mapping):
            raise ConfigurationError(f"{where}: a request must be a mapping")
        unknown = set(item) - _STEP_KEYS
        if unknown:
            known = ", ".join(sorted(_STEP_KEYS))
            raise ConfigurationError(
                f"{where}: unknown key {sorted(unknown)[0]!r} (known: {known})"
            )
        requests.append(_scenario_request(catalogue, item, where))
    return requests


def _scenario_request(
    catalogue: Catalogue, item: Mapping[str, Any], where: str
) -> ParityRequest:
    name = str(item["name"]) if item.get("name") is not None else None
    if "request" in item:
        if "op" in item:
            raise ConfigurationError(f"{where}: give either `op` or `request`, not both")
        step = _parsed_request(catalogue, str(item["request"]), where)
        return ParityRequest(
            step.operation, step.path_params, step.query,
            body=_plain(item.get("body")), source=where, name=name,
        )
    if "op" not in item:
        raise ConfigurationError(f"{where}: a request needs `op` or `request`")
    try:
        operation = catalogue.get(str(item["op"]))
    except UsageError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
    params = _pairs(item.get("path"), where, "path")
    unknown = {key for key, _ in params} - set(operation.legacy.params)
    if unknown:
        raise ConfigurationError(
            f"{where}: {operation.id} has no path parameter {sorted(unknown)[0]!r}"
        )
    return ParityRequest(
        operation.id, params, _pairs(item.get("query"), where, "query"),
        body=_plain(item.get("body")), source=where, name=name,
    )


def _parsed_request(catalogue: Catalogue, text: str, where: str) -> ParityRequest:
    method, _, url = text.strip().partition(" ")
    if not url:
        raise ConfigurationError(f"{where}: write a request as `METHOD /v1/path?query`")
    match = catalogue.match_legacy(method, url.strip())
    if match is None:
        raise ConfigurationError(f"{where}: no catalogue operation serves {method.upper()} {url}")
    params = tuple(
        (key, value) for key, value in match.path_params.items() if not _placeholder(value)
    )
    return ParityRequest(match.operation.id, params, match.query, source=where)


def _placeholder(value: str) -> bool:
    return value.startswith("{") and value.endswith("}")


def _pairs(value: Any, where: str, what: str) -> Pairs:
    if value is None:
        return ()
    if not isinstance(value, Mapping):
        raise ConfigurationError(f"{where}: `{what}` must be a mapping of names to values")
    out = []
    for key, item in value.items():
        values = item if isinstance(item, list) else [item]
        for one in values:
            if isinstance(one, Mapping | list) or one is None:
                raise ConfigurationError(f"{where}: {what}.{key} must be a plain value")
            out.append((str(key), _text(one)))
    return tuple(out)


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _plain(value: Any) -> Any:
    """Located YAML containers as plain dicts and lists (JSON round trip)."""
    return None if value is None else json.loads(json.dumps(value, default=str))


# --- codemod scans ----------------------------------------------------------------------------


def scan_requests(catalogue: Catalogue, path: Path) -> list[ParityRequest]:
    """One request per operation a codemod scan found, however many call sites it has.

    The scan is read through its contract (migrate/codemod/scan.schema.json), so anything but
    a `pleo-migrate scan -o json` document of a known schema_version is refused. A call site
    whose operation is null has a path chosen at run time: there is nothing to compare.
    """
    document = read_document(path, SCAN)
    planned: dict[str, ParityRequest] = {}
    for index, site in enumerate(document["call_sites"]):
        op_id = site["operation"]
        if op_id is None or op_id in planned:
            continue
        where = f"{path}#{index}"
        planned[op_id] = ParityRequest(_known(catalogue, op_id, where), source=where)
    return list(planned.values())


def _known(catalogue: Catalogue, op_id: str, where: str) -> str:
    try:
        return catalogue.get(op_id).id
    except UsageError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
