"""Which legacy requests a shadow run makes: all reads, named operations, a scenario or a scan.

A plan is data: steps (an operation id with the legacy path parameters, query and body the
user gave) and the operations left out with the reason. Nothing here touches the network.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from migrate.errors import ConfigurationError, UsageError
from migrate.mapping.catalogue import Catalogue
from migrate.mapping.model import Operation
from migrate.mapping.yaml_reader import load_located

Pairs = tuple[tuple[str, str], ...]
_STEP_KEYS = {"op", "request", "path", "query", "body", "name"}


@dataclass(frozen=True)
class Step:
    """One legacy request to shadow; missing path parameters are discovered from lists."""

    operation: str
    path_params: Pairs = ()
    query: Pairs = ()
    body: Any = field(default=None, compare=False)
    source: str = "all-reads"
    name: str | None = None

    @property
    def label(self) -> str:
        return self.name or self.operation


@dataclass(frozen=True)
class Skipped:
    operation: str
    reason: str


@dataclass(frozen=True)
class Plan:
    reads: tuple[Step, ...]
    writes: tuple[Step, ...]
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


def build_plan(catalogue: Catalogue, ops: str, from_scan: Path | None = None) -> Plan:
    """`ops` is `all-reads`, a comma-separated list of operation ids, or a scenario file."""
    steps: list[Step] = []
    if from_scan is not None:
        steps.extend(scan_steps(catalogue, from_scan))
    if ops and not (from_scan is not None and ops == "all-reads"):
        steps.extend(_ops_steps(catalogue, ops))
    return _split(catalogue, steps)


def _ops_steps(catalogue: Catalogue, ops: str) -> list[Step]:
    if ops == "all-reads":
        return [Step(op.id) for op in catalogue if op.is_read]
    candidate = Path(ops)
    if candidate.suffix.lower() in (".yaml", ".yml", ".json") or candidate.is_file():
        return scenario_steps(catalogue, candidate)
    ids = [part.strip() for part in ops.split(",") if part.strip()]
    if not ids:
        raise UsageError("--ops needs all-reads, operation ids or a scenario file")
    return [Step(catalogue.get(op_id).id, source="--ops") for op_id in ids]


def plan_from_steps(catalogue: Catalogue, steps: Iterable[Step]) -> Plan:
    """A plan from steps (a replayed cassette's), sorted into reads, writes and skipped."""
    return _split(catalogue, steps)


def _split(catalogue: Catalogue, steps: Iterable[Step]) -> Plan:
    reads: list[Step] = []
    writes: list[Step] = []
    skipped: dict[str, Skipped] = {}
    seen: set[Step] = set()
    for step in steps:
        if step in seen:
            continue
        seen.add(step)
        operation = catalogue.get(step.operation)
        if is_write(operation):
            writes.append(step)
            continue
        reason = comparable(operation)
        if reason is None:
            reads.append(step)
        else:
            skipped.setdefault(operation.id, Skipped(operation.id, reason))
    return Plan(tuple(reads), tuple(writes), tuple(skipped.values()))


# --- scenario files ---------------------------------------------------------------------------


def scenario_steps(catalogue: Catalogue, path: Path) -> list[Step]:
    """Steps from a scenario file: `requests: [{op, path, query, body} | {request}]`."""
    if not path.is_file():
        raise ConfigurationError(f"{path}: no such scenario file")
    document = load_located(path)
    items = document.get("requests") if isinstance(document, Mapping) else document
    if not isinstance(items, list) or not items:
        raise ConfigurationError(f"{path}: a scenario is a list of requests under `requests:`")
    steps = []
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
        steps.append(_scenario_step(catalogue, item, where))
    return steps


def _scenario_step(catalogue: Catalogue, item: Mapping[str, Any], where: str) -> Step:
    name = str(item["name"]) if item.get("name") is not None else None
    if "request" in item:
        if "op" in item:
            raise ConfigurationError(f"{where}: give either `op` or `request`, not both")
        step = _request_step(catalogue, str(item["request"]), where)
        return Step(
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
    return Step(
        operation.id, params, _pairs(item.get("query"), where, "query"),
        body=_plain(item.get("body")), source=where, name=name,
    )


def _request_step(catalogue: Catalogue, text: str, where: str) -> Step:
    method, _, url = text.strip().partition(" ")
    if not url:
        raise ConfigurationError(f"{where}: write a request as `METHOD /v1/path?query`")
    match = catalogue.match_legacy(method, url.strip())
    if match is None:
        raise ConfigurationError(f"{where}: no catalogue operation serves {method.upper()} {url}")
    params = tuple(
        (key, value) for key, value in match.path_params.items() if not _placeholder(value)
    )
    return Step(match.operation.id, params, match.query, source=where)


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


def scan_steps(catalogue: Catalogue, path: Path) -> list[Step]:
    """The operations a codemod scan found: ids, or concrete legacy requests.

    Accepted shapes: `pleo-migrate scan -o json` (its `call_sites`; a site whose operation is
    null has a path chosen at run time and is skipped), `{"operations": [...]}`, or a list
    (bare or under `findings`, `calls`, `usages` or `results`) whose items carry `operation` /
    `operation_id` / `rule_id`, or a `method` and a `url` / `path`.
    """
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"{path}: cannot read the scan: {type(exc).__name__}") from None
    except json.JSONDecodeError as exc:
        raise ConfigurationError(f"{path}:{exc.lineno}: invalid JSON: {exc.msg}") from None
    items = _scan_items(document)
    if items is None:
        raise ConfigurationError(
            f"{path}: no operations found (expected `call_sites`, `operations`, `findings`, "
            "`calls`, `usages` or `results`)"
        )
    steps: list[Step] = []
    for index, item in enumerate(items):
        where = f"{path}#{index}"
        step = _scan_item(catalogue, item, where)
        if step is not None:
            steps.append(step)
    return steps


def _scan_items(document: Any) -> list[Any] | None:
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping):
        for key in ("call_sites", "operations", "findings", "calls", "usages", "results"):
            if isinstance(document.get(key), list):
                return list(document[key])
    return None


def _scan_item(catalogue: Catalogue, item: Any, where: str) -> Step | None:
    if isinstance(item, str):
        return Step(_known(catalogue, item, where), source=where)
    if not isinstance(item, Mapping):
        raise ConfigurationError(f"{where}: expected an operation id or an object")
    if "fingerprint" in item and item.get("operation") is None:
        return None  # a scan's call site with a run-time path: nothing to compare
    for key in ("operation", "operation_id", "operationId", "rule_id", "ruleId"):
        if isinstance(item.get(key), str):
            return Step(_known(catalogue, item[key], where), source=where)
    url = item.get("url") or item.get("path")
    if isinstance(item.get("method"), str) and isinstance(url, str):
        match = catalogue.match_legacy(item["method"], urlsplit(url).path or url)
        if match is None:
            return None  # not a legacy call the catalogue knows; the codemod reports those
        params = tuple((k, v) for k, v in match.path_params.items() if not _placeholder(v))
        query = tuple(parse_qsl(urlsplit(url).query, keep_blank_values=True))
        return Step(match.operation.id, params, query, source=where)
    raise ConfigurationError(f"{where}: an item needs an operation id or a method and url")


def _known(catalogue: Catalogue, op_id: str, where: str) -> str:
    try:
        return catalogue.get(op_id).id
    except UsageError as exc:
        raise ConfigurationError(f"{where}: {exc}") from None
