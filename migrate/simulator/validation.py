"""Request checks: JSON bodies against small field tables and typed query parameters.

The field tables in the apps are written by hand from the specs (no spec file is read at run
time). A failed check raises `BadRequest` naming the field, which each app renders as its own
400 body.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.datastructures import QueryParams

from migrate.simulator.money import parse_instant

_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")


class BadRequest(ValueError):
    """The request is malformed; the message says which field and why."""


def is_uuid(value: object) -> bool:
    return isinstance(value, str) and _UUID.match(value) is not None


@dataclass(frozen=True)
class Field:
    """One JSON field: its type, whether it must be present, may be null, and its limits."""

    kind: str  # string|uuid|datetime|boolean|integer|int32|number|object|array|any
    required: bool = False
    nullable: bool = False
    enum: tuple[str, ...] | None = None
    items: Field | None = None
    fields: Mapping[str, Field] | None = None  # nested object with known fields
    values: Field | None = None  # map values (additionalProperties)
    min_items: int | None = None
    max_items: int | None = None
    min_length: int | None = None
    max_length: int | None = None
    unique: bool = False
    extra: Mapping[str, Any] = field(default_factory=dict)


def parse_json(raw: bytes, *, required: bool) -> Any:
    """The body as JSON; an empty body is None when the body is optional."""
    if not raw.strip():
        if required:
            raise BadRequest("a JSON request body is required")
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(f"malformed JSON: {error}") from error


def check_object(value: Any, fields: Mapping[str, Field], path: str = "") -> dict[str, Any]:
    """Check an object against its field table; unknown fields are ignored (as Pleo does)."""
    if not isinstance(value, dict):
        raise BadRequest(f"{path or 'body'}: expected a JSON object")
    for name, rule in fields.items():
        where = f"{path}.{name}" if path else name
        if name not in value:
            if rule.required:
                raise BadRequest(f"{where}: is required")
            continue
        check_value(value[name], rule, where)
    return value


def check_value(value: Any, rule: Field, where: str) -> None:
    if value is None:
        if rule.nullable:
            return
        raise BadRequest(f"{where}: must not be null")
    kind = rule.kind
    if kind in ("string", "uuid", "datetime"):
        if not isinstance(value, str):
            raise BadRequest(f"{where}: expected a string")
        if kind == "uuid" and not is_uuid(value):
            raise BadRequest(f"{where}: expected a UUID")
        if kind == "datetime" and (len(value) < 11 or parse_instant(value) is None):
            raise BadRequest(f"{where}: expected an RFC 3339 date-time")
        if rule.min_length is not None and len(value) < rule.min_length:
            raise BadRequest(f"{where}: shorter than {rule.min_length}")
        if rule.max_length is not None and len(value) > rule.max_length:
            raise BadRequest(f"{where}: longer than {rule.max_length}")
        if rule.enum is not None and value not in rule.enum:
            raise BadRequest(f"{where}: must be one of {', '.join(rule.enum)}")
    elif kind == "boolean":
        if not isinstance(value, bool):
            raise BadRequest(f"{where}: expected true or false")
    elif kind in ("integer", "int32"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise BadRequest(f"{where}: expected an integer")
        if kind == "int32" and not -(2**31) <= value < 2**31:
            raise BadRequest(f"{where}: out of the 32-bit integer range")
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise BadRequest(f"{where}: expected a number")
    elif kind == "array":
        _check_array(value, rule, where)
    elif kind == "object":
        if not isinstance(value, dict):
            raise BadRequest(f"{where}: expected an object")
        if rule.fields is not None:
            check_object(value, rule.fields, where)
        if rule.values is not None:
            for key, item in value.items():
                check_value(item, rule.values, f"{where}.{key}")


def _check_array(value: Any, rule: Field, where: str) -> None:
    if not isinstance(value, list):
        raise BadRequest(f"{where}: expected an array")
    if rule.min_items is not None and len(value) < rule.min_items:
        raise BadRequest(f"{where}: needs at least {rule.min_items} items")
    if rule.max_items is not None and len(value) > rule.max_items:
        raise BadRequest(f"{where}: takes at most {rule.max_items} items")
    if rule.items is not None:
        for index, item in enumerate(value):
            check_value(item, rule.items, f"{where}[{index}]")
    if rule.unique:
        seen = [json.dumps(item, sort_keys=True) for item in value]
        if len(set(seen)) != len(seen):
            raise BadRequest(f"{where}: items must be unique")


# -- query parameters -------------------------------------------------------------------


def q_str(params: QueryParams, name: str) -> str | None:
    return params.get(name)


def q_uuid(params: QueryParams, name: str) -> str | None:
    value = params.get(name)
    if value is None:
        return None
    if not is_uuid(value):
        raise BadRequest(f"{name}: expected a UUID")
    return value.lower()


def q_uuids(params: QueryParams, name: str) -> list[str]:
    values = params.getlist(name)
    for value in values:
        if not is_uuid(value):
            raise BadRequest(f"{name}: expected UUIDs")
    return [v.lower() for v in values]


def q_bool(params: QueryParams, name: str) -> bool | None:
    value = params.get(name)
    if value is None:
        return None
    lowered = value.lower()
    if lowered not in ("true", "false"):
        raise BadRequest(f"{name}: expected true or false")
    return lowered == "true"


def q_int(
    params: QueryParams, name: str, *, minimum: int | None = None, maximum: int | None = None
) -> int | None:
    value = params.get(name)
    if value is None:
        return None
    if not re.fullmatch(r"[+-]?\d{1,18}", value):
        raise BadRequest(f"{name}: expected an integer")
    number = int(value)
    if minimum is not None and number < minimum:
        raise BadRequest(f"{name}: must be at least {minimum}")
    if maximum is not None and number > maximum:
        raise BadRequest(f"{name}: must be at most {maximum}")
    return number


def q_enum(params: QueryParams, name: str, allowed: Sequence[str]) -> str | None:
    value = params.get(name)
    if value is not None and value not in allowed:
        raise BadRequest(f"{name}: must be one of {', '.join(allowed)}")
    return value


def q_enums(params: QueryParams, name: str, allowed: Sequence[str]) -> list[str]:
    values = params.getlist(name)
    for value in values:
        if value not in allowed:
            raise BadRequest(f"{name}: must be one of {', '.join(allowed)}")
    return values
