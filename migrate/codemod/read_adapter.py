"""Where a moved call's records enter the module, and the legacy-field function they pass through.

A call the native rewrite moves hands the module new-API records. When the module reads
record fields that change (PLM109), the records are wrapped, at the one expression where they
enter, in the generated `_pleo_legacy_<model>` function (`legacy_fields`): the envelope read
the rewrite already edits (PLM007), `r.json()` → `_pleo_legacy_expense(r.json()["data"])` for
one record, `r.json()["expenses"]` → `list(map(_pleo_legacy_expense, r.json()["data"]))` for a
list (inline, in a paging loop, after `await`); in the loop PLM011 writes to drain every page,
`records.extend(map(_pleo_legacy_expense, page["data"]))`; around the call of a generated
flow function that replaces the call and its read (PLM012), `_pleo_legacy_tag(_pleo_tags_get(
send, tag_id))`. Anything else keeps the PLM109 hold: a body the codemod cannot follow
(PLM108), a field the function cannot restore exactly.
"""

from __future__ import annotations

import ast
from weakref import WeakKeyDictionary

from migrate.codemod.find.copied_values import only_copied
from migrate.codemod.find.record_reads import FieldRead, RecordReads
from migrate.codemod.find.site import Site
from migrate.codemod.legacy_fields import LegacyAdapter, NoAdapter, legacy_adapter
from migrate.codemod.rule import Analysis
from migrate.codemod.text.edits import Piece
from migrate.mapping import Catalogue

_OWN: WeakKeyDictionary[Site, list[FieldRead] | None] = WeakKeyDictionary()
_ADAPTERS: WeakKeyDictionary[Site, LegacyAdapter | NoAdapter | None] = WeakKeyDictionary()


def changed_reads(site: Site, analysis: Analysis) -> list[tuple[str, str]]:
    """(legacy key, what becomes of it) for the changing fields of the call's records that the
    module reads: the reads of this call's own records when `record_reads` follows them all
    (a key inside a nested model counts wherever the module reads it), else a string key read
    anywhere in the module."""
    facts = site.facts
    if facts is None or facts.operation.new is None:
        return []
    keys = _read_keys(site, analysis)
    return [
        (key, what)
        for key, what in facts.changed_fields
        if key in keys and key not in facts.envelope_keys
    ]


def own_reads(site: Site, analysis: Analysis) -> list[FieldRead] | None:
    """The field reads of this call's own records (None: they cannot all be followed)."""
    if site in _OWN:
        return _OWN[site]
    _OWN[site] = found = _own_reads(site, analysis)
    return found


def _own_reads(site: Site, analysis: Analysis) -> list[FieldRead] | None:
    op = site.facts.operation if site.facts is not None else None
    if op is None or op.response is None or op.kind == "flow" or op.model is None:
        return None
    response = site.response
    if not response.used:
        return []
    legacy = op.response.legacy
    if legacy.empty or any("read as" in escape for escape in response.escapes):
        return None
    if legacy.key is not None and response.escapes:
        return None  # a keyed body handed on: its records are not found here
    if legacy.key is not None and any(
        read.key not in (legacy.key, "metadata") for read in response.reads
    ):
        return None
    starts = list(response.json_calls) if legacy.key is None else _keyed_reads(site, legacy.key)
    handed = list(response.handed) if legacy.key is None and not legacy.many else []
    if not starts and not handed:
        return None
    reader = RecordReads(analysis.facts, analysis.evaluator)
    found = reader.of(starts, legacy.many)
    more = reader.of(handed, True)  # a list of the bodies, each one record
    return None if found is None or more is None else [*found, *more]


def _read_keys(site: Site, analysis: Analysis) -> frozenset[str]:
    own = own_reads(site, analysis)
    op = site.facts.operation if site.facts is not None else None
    if own is None or op is None or op.model is None:
        return analysis.key_reads
    top = {
        field.legacy.split(".")[0]
        for field in analysis.index.catalogue.models[op.model].fields
        if field.legacy
    }
    return frozenset({read.key for read in own} | (analysis.key_reads - top))


def read_line(site: Site, analysis: Analysis, key: str) -> int | None:
    """The line of the first read of `key` that holds the call: among its own records' reads
    when they are known, else anywhere in the module."""
    own = own_reads(site, analysis)
    nodes = [read.node for read in own or [] if read.key == key] or [
        node for found, node in analysis.facts.key_reads if found == key
    ]
    return min((node.lineno for node in nodes), default=None)


def site_adapter(site: Site, analysis: Analysis) -> LegacyAdapter | None:
    """The function the call's records pass through (None: its records are read through no
    changing field); `NoAdapter` says why the call cannot have one. The function restores
    the changing fields the call's records are read with plus every other one of the model
    the module reads and the function can restore, so that all calls of a model in the module
    share one function. Made once per call: the review and the scan's note both ask."""
    if site not in _ADAPTERS:
        try:
            _ADAPTERS[site] = _site_adapter(site, analysis)
        except NoAdapter as why:
            _ADAPTERS[site] = why
    found = _ADAPTERS[site]
    if isinstance(found, NoAdapter):
        raise NoAdapter(str(found))
    return found


def _site_adapter(site: Site, analysis: Analysis) -> LegacyAdapter | None:
    reads = changed_reads(site, analysis)
    if not reads:
        return None
    op = site.facts.operation if site.facts is not None else None
    if op is None or op.model is None or op.response is None:
        raise NoAdapter("its records have no model in the catalogue")
    legacy, new = op.response.legacy, op.response.new
    if op.kind == "flow":  # PLM012 replaces the call and its read: it wraps the flow's result
        if new.empty:
            raise NoAdapter("the flow returns no records")
        return _adapter(site, analysis, op.model, [key for key, _ in reads])
    if legacy.empty or new.empty or new.key is None or legacy.key == new.key:
        raise NoAdapter("its records do not enter through an envelope read the rewrite edits")
    response = site.response
    if not response.used:
        return None  # its body is not read: no record enters the module here
    # a bare body may be handed on (`return r.json()`): its `r.json()` is still wrapped
    raw = [escape for escape in response.escapes if "read as" in escape]
    if raw or (legacy.key is not None and response.escapes):
        raise NoAdapter("its body is not read right where the call is made")
    entries = (
        [*response.json_calls, *response.handed]
        if legacy.key is None
        else _keyed_reads(site, legacy.key)
    )
    if not entries:
        raise NoAdapter("its records are not read from the body")
    return _adapter(site, analysis, op.model, [key for key, _ in reads])


def _adapter(site: Site, analysis: Analysis, model: str, keys: list[str]) -> LegacyAdapter:
    """The module's function for `model`; NoAdapter names the first of `keys` it cannot
    restore, with the line of its read."""
    catalogue = analysis.index.catalogue
    lost = lost_copies(analysis, model)
    lines = {key: read_line(site, analysis, key) for key in keys}
    for key in sorted(keys, key=lambda each: lines[each] or 0):
        try:
            legacy_adapter(catalogue, model, [key], lost)
        except NoAdapter as why:
            said, line = str(why), lines[key]
            if line and said.startswith(f"`{key}`"):
                said = f"`{key}` (line {line}){said[len(key) + 2:]}"
            raise NoAdapter(said) from None
    others = [
        key
        for key, _what in site.facts.changed_fields  # type: ignore[union-attr]
        if key in analysis.key_reads
        and key not in keys
        and _restorable(catalogue, model, key, lost)
    ]
    return legacy_adapter(catalogue, model, [*keys, *others], lost)


def lost_copies(analysis: Analysis, model: str) -> frozenset[str]:
    """The legacy keys of `model` the new API has no equivalent for, declared lost in the
    catalogue, that the module reads only to copy them (`copied_values`): the function gives
    them back as None and the call moves, its TODO saying the loss. Judged on every read of
    the key in the module, so every call of the model shares one function."""
    found = set()
    for field in analysis.index.catalogue.models[model].fields:
        key = field.legacy
        if key is None or "." in key or field.new is not None or field.loss is None:
            continue
        nodes = [node for read, node in analysis.facts.key_reads if read == key]
        if nodes and all(only_copied(analysis.facts, node) for node in nodes):
            found.add(key)
    return frozenset(found)


def _restorable(catalogue: Catalogue, model: str, key: str, lost: frozenset[str]) -> bool:
    try:
        legacy_adapter(catalogue, model, [key], lost)
    except NoAdapter:
        return False
    return True


def wrapped(adapter: LegacyAdapter, many: bool, inner: tuple[Piece, ...]) -> tuple[Piece, ...]:
    """`inner` (the records' expression, already edited) passed through the function."""
    if many:
        return (f"list(map({adapter.name}, ", *inner, "))")
    return (f"{adapter.name}(", *inner, ")")


def adapter_of(site: Site, analysis: Analysis) -> LegacyAdapter | None:
    """`site_adapter`, None when there is none or it cannot be written."""
    try:
        return site_adapter(site, analysis)
    except NoAdapter:
        return None


def _keyed_reads(site: Site, key: str) -> list[ast.expr]:
    return [read.node for read in site.response.reads if read.key == key]
