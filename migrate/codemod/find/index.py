"""What the rules ask of the catalogue, computed once per catalogue: nothing endpoint-specific
lives in the codemod itself.

For every operation: the legacy record keys whose name, shape or existence changes on the new
API (so a read of such a key in the calling module makes the call manual), and what a request
body has to change. Plus the first path segments of every legacy path, which tell a legacy
path literal (`"/expenses"`) from any other string.

The index is kept on disk between runs (`_index`): a scan that finds it loads the catalogue's
frozen objects without importing the YAML reader, the schema or the spec files.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from migrate.mapping import (
    LEGACY_BASE_PATH,
    cached_build,
    cached_file,
    load_catalogue,
    template_regex,
)
from migrate.pleo import LEGACY_ENVELOPE_KEYS, LEGACY_PAGE_OFFSET, LEGACY_PAGE_SIZE
from migrate.resources import legacy_spec_file, mappings_dir

if TYPE_CHECKING:
    from migrate.mapping import Catalogue, Field, LegacyMatch, Operation

PAGING_KEYS = (LEGACY_PAGE_SIZE, LEGACY_PAGE_OFFSET)
ENVELOPE_META_KEYS = LEGACY_ENVELOPE_KEYS


@dataclass(frozen=True)
class OperationFacts:
    operation: Operation
    changed_fields: tuple[tuple[str, str], ...]  # (legacy key, what becomes of it)
    request_changes: tuple[str, ...]
    envelope_keys: frozenset[str]  # legacy and new envelope keys: never "record fields"


class CatalogueIndex:
    """The catalogue plus the derived facts above."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self.segments = frozenset(_first_segment(op.legacy.path) for op in catalogue)
        self.facts = {op.id: self._operation_facts(op) for op in catalogue}
        self._new_paths = [template_regex(op.new.path, named=False) for op in catalogue if op.new]
        self._legacy = [
            (method, template_regex(path, named=False))
            for method, path in {*_legacy_endpoints(), *((op.legacy.method, op.legacy.path)
                                                        for op in catalogue)}
        ]

    def match(self, method: str, path: str) -> LegacyMatch | None:
        return self.catalogue.match_legacy(method, path)

    def is_legacy_endpoint(self, method: str, path: str) -> bool:
        """Whether the legacy API had `method path` (`/expenses/x`, without `/v1`): in the
        catalogue, or in the list of every legacy endpoint it is checked against."""
        full = LEGACY_BASE_PATH + path
        return any(m == method and pattern.fullmatch(full) for m, pattern in self._legacy)

    def is_new_path(self, path: str) -> bool:
        """Whether `path` (`/v2/employees/x`) is already one of the new API's paths."""
        return any(pattern.fullmatch(path) for pattern in self._new_paths)

    def looks_like_legacy_path(self, text: str) -> bool:
        """`/expenses/…`, `/v1/employees`, `expenses?x=1`: a path under a legacy resource."""
        path = text.split("?", 1)[0].lstrip("/")
        prefix = LEGACY_BASE_PATH.strip("/") + "/"
        if path.startswith(prefix):
            path = path[len(prefix) :]
        return path.split("/", 1)[0] in self.segments

    def _operation_facts(self, op: Operation) -> OperationFacts:
        changed: dict[str, str] = {}
        if op.model:
            for key, what in self._changes(op.model):
                changed.setdefault(key, what)
        request: list[str] = []
        if op.request_model:
            request.extend(self._request_changes(op.request_model))
        keys: set[str] = set()
        for pair in (op.response, op.request):
            if pair is not None:
                keys.update(envelope.key for envelope in (pair.legacy, pair.new) if envelope.key)
        return OperationFacts(
            op, tuple(sorted(changed.items())), tuple(request), frozenset(keys) | ENVELOPE_META_KEYS
        )

    def _changes(self, model: str) -> Iterator[tuple[str, str]]:
        for field in self.catalogue.models[model].fields:
            if field.legacy is None:
                continue
            key = field.legacy.split(".")[0]
            what = _what_changes(field)
            if what:
                yield key, what
            elif field.model is not None:
                # Same key on both sides: what changes inside it matters too.
                yield from self._changes(field.model)

    def _request_changes(self, model: str) -> Iterator[str]:
        for field in self.catalogue.models[model].fields:
            if field.legacy is None:
                if field.has_default or field.default_from:
                    source = f" (from `{field.default_from}`)" if field.default_from else ""
                    yield f"adds required `{field.new}`{source}"
                continue
            what = _what_changes(field)
            if what:
                yield f"`{field.legacy}` {what}"
            elif field.has_default or field.default_from:
                yield f"`{field.legacy}` gets a default when absent"


def _what_changes(field: Field) -> str | None:
    if field.legacy and "." in field.legacy:
        return f"is gone (`{field.legacy}` becomes `{field.new or 'nothing'}`)"
    if field.new is None:
        return "has no equivalent"
    convert = "" if field.converter == "same" else f" ({field.converter})"
    if field.new != field.legacy:
        return f"becomes `{field.new}`{convert}"
    if convert:
        return f"changes representation{convert}"
    return None


def _legacy_endpoints() -> list[tuple[str, str]]:
    """Every endpoint of the legacy spec, read once and then kept between runs (its YAML
    costs more than the rest of an index)."""
    return cached_file(legacy_spec_file(), _read_legacy_endpoints)


def _read_legacy_endpoints(path: Path) -> list[tuple[str, str]]:
    from migrate.mapping import legacy_endpoints  # the spec's YAML reader: on a cache miss only

    return legacy_endpoints(path)


def _first_segment(path: str) -> str:
    rest = path[len(LEGACY_BASE_PATH) :] if path.startswith(LEGACY_BASE_PATH + "/") else path
    return rest.lstrip("/").split("/", 1)[0]


@cache
def _index(folder: Path | None) -> CatalogueIndex:
    """Built once per catalogue and kept on disk between runs, keyed by the content of every
    file it reads: a run that finds it unpickles it (a few ms) and never imports the YAML
    reader, the schema or the legacy spec. An entry that cannot be read is built again."""
    where = folder if folder is not None else mappings_dir()
    try:
        inputs = [*sorted(where.glob("*.yaml")), legacy_spec_file()]
    except OSError:  # an unreadable folder: load_catalogue says what is wrong
        return _build(folder)
    return cached_build(
        "codemod-index", inputs, [Path(__file__)], lambda: _build(folder), CatalogueIndex
    )


def _build(folder: Path | None) -> CatalogueIndex:
    return CatalogueIndex(load_catalogue(folder))


def catalogue_index(folder: str | Path | None = None) -> CatalogueIndex:
    """The index of the catalogue in `folder` (default: the shipped one), cached per process
    and on disk."""
    return _index(Path(folder).resolve() if folder is not None else None)
