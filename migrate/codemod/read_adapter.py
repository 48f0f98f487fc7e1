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

from migrate.codemod.find.site import Site
from migrate.codemod.legacy_fields import LegacyAdapter, NoAdapter, legacy_adapter
from migrate.codemod.rule import Analysis
from migrate.codemod.text.edits import Piece


def changed_reads(site: Site, analysis: Analysis) -> list[tuple[str, str]]:
    """(legacy key, what becomes of it) for the changing fields of the call's records that the
    module reads (a string key read anywhere in it)."""
    facts = site.facts
    if facts is None or facts.operation.new is None:
        return []
    return [
        (key, what)
        for key, what in facts.changed_fields
        if key in analysis.key_reads and key not in facts.envelope_keys
    ]


def site_adapter(site: Site, analysis: Analysis) -> LegacyAdapter | None:
    """The function the call's records pass through (None: the module reads no changing
    field); `NoAdapter` says why the call cannot have one."""
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
        return legacy_adapter(analysis.index.catalogue, op.model, [key for key, _ in reads])
    if legacy.empty or new.empty or new.key is None or legacy.key == new.key:
        raise NoAdapter("its records do not enter through an envelope read the rewrite edits")
    response = site.response
    if not response.used:
        return None  # its body is not read: no record enters the module here
    # a bare body may be handed on (`return r.json()`): its `r.json()` is still wrapped
    raw = [escape for escape in response.escapes if "read as" in escape]
    if raw or (legacy.key is not None and response.escapes):
        raise NoAdapter("its body is not read right where the call is made")
    entries = response.json_calls if legacy.key is None else _keyed_reads(site, legacy.key)
    if not entries:
        raise NoAdapter("its records are not read from the body")
    return legacy_adapter(analysis.index.catalogue, op.model, [key for key, _ in reads])


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
