"""Fixtures for the simulator's tests: running servers, in-process apps, spec validators."""

from __future__ import annotations

import copy
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from jsonschema import Draft202012Validator

from migrate.mapping.specs import NewApiSpecs, load_new_api_specs
from migrate.simulator import Simulator, SimulatorConfig, build_simulator
from migrate.simulator.testing import SimulatorHandle, basic, bearer, simulator  # noqa: F401

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient



def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """starlette.testclient warns that it prefers httpx2; the in-process tests use it anyway."""
    for item in items:
        if "simulator" in item.nodeid:
            item.add_marker(pytest.mark.filterwarnings(
                "ignore:Using `httpx` with `starlette.testclient`"))


@pytest.fixture(scope="session")
def specs() -> NewApiSpecs:
    return load_new_api_specs()


def _without_bogus_patterns(schema: Any) -> Any:
    """Drop `pattern: YYYY-MM-DD…` from date-time fields: the published specs put a format
    description where a regex belongs, and no real timestamp matches it literally."""
    if isinstance(schema, dict):
        out = {k: _without_bogus_patterns(v) for k, v in schema.items()}
        pattern = out.get("pattern")
        if isinstance(pattern, str) and pattern.upper().startswith(("YYYY", "YYYY-MM-DD")):
            del out["pattern"]
        return out
    if isinstance(schema, list):
        return [_without_bogus_patterns(v) for v in schema]
    return schema


@pytest.fixture(scope="session")
def response_validator(specs: NewApiSpecs) -> Callable[[str, str, int, Any], None]:
    """Validate a body against the spec's schema for (method, path template, status)."""
    cache: dict[tuple[str, str, str], Draft202012Validator | None] = {}

    def validate(method: str, path: str, status: int, body: Any) -> None:
        operation = specs.find(method, path)
        assert operation is not None, f"{method} {path} is not in the specs"
        key = str(status) if str(status) in operation.responses else "default"
        assert key in operation.responses, f"{method} {path}: status {status} is undocumented"
        if (method, path, key) not in cache:
            schema = operation.responses[key]
            cache[(method, path, key)] = None if schema is None else Draft202012Validator(
                _without_bogus_patterns(copy.deepcopy(dict(schema))),
                format_checker=Draft202012Validator.FORMAT_CHECKER,
            )
        validator = cache[(method, path, key)]
        if validator is not None:
            errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
            assert not errors, (
                f"{method} {path} {status}: {errors[0].message} at "
                f"{'/'.join(map(str, errors[0].absolute_path))}"
            )

    return validate


@pytest.fixture(scope="session")
def legacy_validator() -> Callable[[str, str, int, Any], None]:
    """Validate a legacy answer against legacy-openapi.yml for (method, template, status).

    A status the operation does not document must be one the simulator lists as its own
    (`LEGACY_UNDOCUMENTED_STATUSES`); every error answer must be the spec's ErrorBody.
    """
    from legacy_spec import find, legacy_operations

    from migrate.simulator.assumptions import LEGACY_UNDOCUMENTED_STATUSES

    error_schema = next(op.responses["401"] for op in legacy_operations())
    cache: dict[int, Draft202012Validator] = {}

    def check(schema: Any, body: Any, where: str) -> None:
        validator = cache.setdefault(id(schema), Draft202012Validator(
            schema, format_checker=Draft202012Validator.FORMAT_CHECKER))
        errors = sorted(validator.iter_errors(body), key=lambda e: list(e.absolute_path))
        assert not errors, (
            f"{where}: {errors[0].message} at {'/'.join(map(str, errors[0].absolute_path))}"
        )

    def validate(method: str, path: str, status: int, body: Any) -> None:
        operation = find(method, path)
        assert operation is not None, f"{method} {path} is not in legacy-openapi.yml"
        where = f"{method} {path} {status}"
        if str(status) in operation.responses:
            schema = operation.responses[str(status)]
        else:
            assert status in LEGACY_UNDOCUMENTED_STATUSES, f"{where}: status undocumented"
            schema = None
        if schema is None and status >= 400:
            schema = error_schema
        if schema is not None:
            check(schema, body, where)

    return validate


@pytest.fixture
def fresh() -> Simulator:
    """A private simulator (default seed, no drift) that a test may change freely."""
    return build_simulator(SimulatorConfig())


@pytest.fixture
def clients(fresh: Simulator) -> Iterator[tuple[TestClient, TestClient]]:
    """In-process clients (legacy, new) over `fresh`, already authenticated."""
    with TestClient(fresh.legacy_app, headers=bearer(fresh.startup.legacy_token.secret)) as old, \
            TestClient(fresh.new_app, headers=basic(fresh.startup.api_key.secret)) as new:
        yield old, new


@pytest.fixture
def legacy_http(simulator: SimulatorHandle) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=simulator.legacy_base_url, headers=simulator.legacy_headers,
                      timeout=10) as client:
        yield client


@pytest.fixture
def new_http(simulator: SimulatorHandle) -> Iterator[httpx.Client]:  # noqa: F811
    with httpx.Client(base_url=simulator.new_base_url, headers=simulator.new_headers,
                      timeout=10) as client:
        yield client
