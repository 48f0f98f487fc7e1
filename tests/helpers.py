"""Helpers shared by tests: strip the fields whose loss the catalogue declares."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from migrate.mapping.catalogue import Catalogue
from migrate.mapping.model import Envelope, Field


def lossy(field: Field) -> bool:
    return field.lossy


def lossy_or_new_only(field: Field) -> bool:
    return field.lossy or field.legacy is None


def payload(body: Any, envelope: Envelope) -> list[Any]:
    """The record(s) inside a body, as a list."""
    if envelope.key is not None:
        body = body[envelope.key]
    return list(body) if envelope.many else [body]


def strip(
    catalogue: Catalogue, record: Any, model: str, side: str, drop: Callable[[Field], bool]
) -> Any:
    """A copy of a raw record without the paths of the fields `drop` selects."""
    record = copy.deepcopy(record)
    _strip_in_place(catalogue, record, model, side, drop)
    return record


def _strip_in_place(
    catalogue: Catalogue, record: Any, model: str, side: str, drop: Callable[[Field], bool]
) -> None:
    if not isinstance(record, dict):
        return
    fields = catalogue.models[model].fields
    grouped: dict[str, list[bool]] = {}
    for field in fields:
        path = field.legacy if side == "legacy" else field.new
        if path is not None and "." in path:
            grouped.setdefault(path.split(".")[0], []).append(drop(field))
    for top, dropped in grouped.items():
        if all(dropped):  # every field under it is dropped: so is the object (or its null)
            record.pop(top, None)
    for field in fields:
        path = field.legacy if side == "legacy" else field.new
        if path is None:
            continue
        parts = path.split(".")
        parent: Any = record
        for part in parts[:-1]:
            parent = parent.get(part) if isinstance(parent, dict) else None
        if not isinstance(parent, dict) or parts[-1] not in parent:
            continue
        if drop(field):
            del parent[parts[-1]]
            if len(parts) > 1 and parent == {}:
                _delete_path(record, parts[:-1])
        elif field.model is not None and parent[parts[-1]] is not None:
            values = parent[parts[-1]] if field.many else [parent[parts[-1]]]
            for value in values:
                _strip_in_place(catalogue, value, field.model, side, drop)


def _delete_path(record: dict[str, Any], parts: list[str]) -> None:
    for part in parts[:-1]:
        record = record[part]
    del record[parts[-1]]


def shared_view(catalogue: Catalogue, model: str, canonical: Any) -> Any:
    """Only the canonical fields both APIs carry without a declared loss, recursively.

    A null and an absent field are the same here: the new API leaves nulls out.
    """
    if isinstance(canonical, list):
        return [shared_view(catalogue, model, item) for item in canonical]
    if not isinstance(canonical, dict):
        return canonical
    view: dict[str, Any] = {}
    for field in catalogue.models[model].fields:
        if field.legacy is None or field.new is None or field.lossy:
            continue
        if canonical.get(field.name) is None:
            continue
        value = canonical[field.name]
        view[field.name] = shared_view(catalogue, field.model, value) if field.model else value
    return view
