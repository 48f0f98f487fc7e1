"""Both sides of one operation projected into the catalogue's canonical shape, ready to diff.

The catalogue turns a body into canonical records; this module keeps only what both APIs could
say (fields the legacy API has), treats a null like an absent value, finds each record's id, and
maps a difference's path back to the catalogue field it belongs to, with its declared loss.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from migrate.errors import ConversionError
from migrate.mapping import Catalogue, Loss, Operation, Side

__all__ = ["KEY_FIELD", "FieldInfo", "Projection", "Record", "Side", "path_text"]
Record = dict[str, Any]
PathPart = str | int
KEY_FIELD = "id"  # every canonical record model names its identity `id`


@dataclass(frozen=True)
class FieldInfo:
    """One catalogue field, addressed by its canonical path (`lines[].tagIds[].id`)."""

    path: str
    top: str
    legacy: str | None
    new: str | None
    loss: str | None  # its own declared loss, or the nearest enclosing field's
    new_missing: bool  # the new API has no such field (it or an enclosing field is `new: null`)
    nested: bool


def path_text(parts: tuple[PathPart, ...]) -> str:
    """`('lines', 0, 'tagIds')` as `lines[0].tagIds`."""
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


class Projection:
    """Comparable canonical records of one operation, and what the catalogue says per field."""

    def __init__(self, catalogue: Catalogue, operation: Operation) -> None:
        if operation.model is None or operation.response is None:
            raise ConversionError(f"{operation.id} describes no response records")
        self.catalogue = catalogue
        self.operation = operation
        self.model = operation.model
        self.legacy_envelope = operation.response.legacy
        self.new_envelope = operation.response.new
        self.fields: dict[str, FieldInfo] = {}
        self._keep: dict[str, tuple[tuple[str, str | None, bool], ...]] = {}
        self._by_parts: dict[tuple[str, ...], FieldInfo | None] = {}
        self._index()
        # Top-level fields with a declared loss: compared one by one (see compare_split).
        self.lossy_top: tuple[str, ...] = tuple(
            name for name, info in self.fields.items()
            if info.path == info.top and info.loss is not None and info.legacy is not None
        )

    def _index(self) -> None:
        """Every field by canonical path (the catalogue's one walk), and per model the fields
        the legacy API has."""
        keep: dict[str, list[tuple[str, str | None, bool]]] = {self.model: []}
        for item in self.catalogue.fields(self.model):
            field = item.field
            self.fields[item.path] = FieldInfo(
                path=item.path,
                top=item.top,
                legacy=field.legacy,
                new=field.new,
                loss=item.loss,
                new_missing=item.new_missing,
                nested=field.model is not None,
            )
            if field.model is not None:
                keep.setdefault(field.model, [])
            if field.legacy is not None and item.model in keep:
                entry = (field.name, field.model, field.many)
                if entry not in keep[item.model]:
                    keep[item.model].append(entry)
        self._keep = {model: tuple(entries) for model, entries in keep.items()}

    # --- records ----------------------------------------------------------------------------

    def records(self, side: Side, body: Any) -> list[Record]:
        """The comparable canonical records in one response body (envelope included), read in
        one compiled step each (equal to `comparable` over `to_canonical`)."""
        return self.catalogue.comparable_records(self.operation, side, body)

    def comparable(self, record: Any, model: str) -> Any:
        """Only the fields the legacy API has, with nulls dropped (null ≡ absent)."""
        if not isinstance(record, Mapping):
            return record
        out: Record = {}
        for name, nested, many in self._keep[model]:
            value = record.get(name)
            if value is None:
                continue
            if nested is not None:
                if many and isinstance(value, list):
                    value = [self.comparable(item, nested) for item in value]
                elif not many:
                    value = self.comparable(value, nested)
            out[name] = value
        return out

    @staticmethod
    def key(record: Mapping[str, Any]) -> str | None:
        value = record.get(KEY_FIELD)
        return None if value is None else str(value)

    # --- fields -----------------------------------------------------------------------------

    def field_for(self, parts: tuple[PathPart, ...]) -> FieldInfo | None:
        """The deepest catalogue field that contains a difference at `parts`."""
        names = tuple(part for part in parts if isinstance(part, str))
        if names in self._by_parts:
            return self._by_parts[names]
        found: FieldInfo | None = None
        prefix = ""
        model: str | None = self.model
        for name in names:
            if model is None:
                break
            field = self.catalogue.models[model].field(name)
            if field is None:
                break
            path = f"{prefix}{name}"
            found = self.fields.get(path)
            prefix = f"{path}{'[]' if field.many else ''}."
            model = field.model
        self._by_parts[names] = found
        return found

    def field_path(self, parts: tuple[PathPart, ...]) -> str:
        """The catalogue field path of a difference, or its own path with indices as `[]`."""
        info = self.field_for(parts)
        if info is not None:
            return info.path
        return path_text(tuple("[]" if isinstance(p, int) else p for p in parts)).replace(
            ".[]", "[]"
        )

    def losses(self) -> tuple[Loss, ...]:
        return self.catalogue.losses(self.operation)

    def comparable_fields(self) -> tuple[str, ...]:
        """Every field path both APIs may carry (the legacy API has it)."""
        return tuple(path for path, info in self.fields.items() if info.legacy is not None)

    def legacy_form(self, top: str, value: Any) -> Any:
        """One top-level canonical field as the legacy API would show it (for loss checks)."""
        record = {top: value}
        body = self.catalogue.from_canonical(
            self.operation, "legacy", [record] if self.legacy_envelope.many else record
        )
        if self.legacy_envelope.key is not None:
            body = body[self.legacy_envelope.key]
        return body[0] if self.legacy_envelope.many else body
