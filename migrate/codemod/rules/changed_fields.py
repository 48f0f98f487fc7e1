"""PLM109: record fields that change between the APIs, read in the module or by callers.

From the catalogue's model of the operation: fields renamed (`accountNumber` → `code`),
converted (money in minor units, rates as fractions, whole-second timestamps, enums) or gone
(`role`). Reads are those of the call's own records where `find/record_reads` follows them
all (into the module's own functions and back); otherwise string keys used with `[...]` or
`.get(...)` anywhere in the module, which errs on the side of flagging. Such a read no longer
keeps the call manual when the module's legacy-field function can give the field back
(`read_adapter`, `legacy_fields`; a declared loss only copied comes back as None): the call
moves, its records pass through the function, and one TODO names the new fields to read.
Otherwise (a field with no new equivalent that is used, a body the codemod cannot follow) the
call stays, and the TODO names the field and the line of its read, then "no legacy-field
function".

Reads in other modules are not seen: when a call the rewrite moves hands its records out of
its function (returned, yielded, kept in a list that is, stored, passed on), the call is
still rewritten, and one TODO above it names the operation and the first fields its callers
must read differently; scan JSON and SARIF carry every changed field (`notes`).
"""

from __future__ import annotations

from migrate.codemod.file_results import TODO_TAG
from migrate.codemod.find.record_flow import RecordFlow
from migrate.codemod.find.site import Site
from migrate.codemod.legacy_fields import LegacyAdapter, NoAdapter
from migrate.codemod.read_adapter import adapter_of, changed_reads, own_reads, site_adapter
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding
from migrate.codemod.rulekit import docs, moves
from migrate.codemod.text.todo_line import MAX_LENGTH, todo_comment

RULE = Rule(
    "PLM109",
    "changed_fields",
    "native",
    "review",
    "Flag calls whose records are read (in the same module) through fields that the new API "
    "renames, converts or drops; note rewritten calls that hand such records to callers.",
)

MAX_LISTED = 4


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    hits = [f"`{key}` {what}" for key, what in changed_reads(site, analysis)]
    if not hits:
        return None
    try:
        site_adapter(site, analysis)
        return None  # its records pass through the generated legacy-field function
    except NoAdapter as why:
        reason = str(why)
    more = f" and {len(hits) - MAX_LISTED} more" if len(hits) > MAX_LISTED else ""
    whose = (
        "its records are read through fields that change"
        if own_reads(site, analysis) is not None
        else "the module reads fields that change (not traced to this call's records)"
    )
    return RuleFinding(
        f"{reason}: no legacy-field function; {whose}: {', '.join(hits[:MAX_LISTED])}{more}",
        docs(site),
    )


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    """A TODO above each call this run moves: the legacy fields its records get back, else
    whether its new-shape records leave its function (`new_shape_note`)."""
    for site in analysis.sites:
        if not plan.automatic.get(site) or not moves(site, plan.enabled):
            continue
        found = new_shape_note(site, analysis)
        if found is not None:
            plan.todo(site.call.stmt, RULE.id, found)


def adapter_note(site: Site, adapter: LegacyAdapter) -> RuleFinding:
    """`reads amountSettled via _pleo_legacy_expense: read totalBillValue (minor units)`,
    with as many fields as keep the line whole (the link left out before a field is)."""
    restored = adapter.restored
    messages = []
    for count in range(len(restored), 0, -1):
        more = f" (+{len(restored) - count})" if count < len(restored) else ""  # no trailing …
        reads = ", ".join(item.legacy for item in restored[:count]) + more
        advice = ", ".join(item.advice for item in restored[:count]) + more
        messages.append(f"reads {reads} via {adapter.name}: read {advice}")
    first = restored[0].legacy + (f" (+{len(restored) - 1})" if len(restored) > 1 else "")
    messages.append(f"reads {first} via {adapter.name}")  # deep code: the advice gives way
    indent = site.call.stmt.col_offset
    link = docs(site)  # left out of the comment by `todo_comment` when the message needs room
    for message in messages:
        if message in todo_comment(TODO_TAG, RULE.id, message, link, indent):
            return RuleFinding(message, link, advisory=True)
    return RuleFinding(messages[-1], link, advisory=True)


def new_shape_note(site: Site, analysis: Analysis) -> RuleFinding | None:
    """What callers of a call must know when its records leave the function in the new
    shape: None when nothing leaves or no field changes. A call whose records pass through the
    module's legacy-field function gets that function's note instead (scan shows the same)."""
    adapter = adapter_of(site, analysis)
    if adapter is not None:
        return adapter_note(site, adapter)
    facts = site.facts
    op = facts.operation if facts is not None else None
    if facts is None or op is None or op.new is None or op.response is None:
        return None
    fields = _in_model_order(
        analysis,
        op.model,
        [(key, what) for key, what in facts.changed_fields if key not in facts.envelope_keys],
    )
    if not fields or op.response.legacy.empty:
        return None
    key = op.response.legacy.key
    starts = (
        [read.node for read in site.response.reads if read.key == key]
        if key is not None
        else [*site.response.json_calls, *site.response.handed]
    )
    how = RecordFlow(analysis.facts).leaves(starts)
    if how is None:
        return None
    head = f"{op.legacy} ({op.id}) returns new-API records"
    names = [name for name, _what in fields]
    listed = _fitting(head, names, docs(site), site.call.stmt.col_offset)
    detail = ", ".join(f"`{name}` {what}" for name, what in fields)
    return RuleFinding(
        f"{head}: callers reading {listed} must change; the records are {how}; "
        f"every field that changes: {detail}",
        docs(site),
        advisory=True,
    )


def _in_model_order(
    analysis: Analysis, model: str | None, fields: list[tuple[str, str]]
) -> list[tuple[str, str]]:
    """The fields in the order the catalogue's model lists them (ids and amounts first)."""
    models = analysis.index.catalogue.models
    if model is None or model not in models:
        return fields
    order = [item.legacy.split(".")[0] for item in models[model].fields if item.legacy]
    return sorted(fields, key=lambda pair: order.index(pair[0]) if pair[0] in order else 1 << 30)


def _fitting(head: str, names: list[str], link: str, indent: int) -> str:
    """As many field names as keep the TODO line whole (≤ MAX_LENGTH with its indentation,
    nothing cut)."""
    for count in range(min(len(names), MAX_LISTED), 0, -1):
        listed = ", ".join(f"`{name}`" for name in names[:count])
        if count < len(names):
            listed += " …"
        message = f"{head}: callers reading {listed} must change"
        line = todo_comment(TODO_TAG, RULE.id, message, link, indent)
        if indent + len(line) <= MAX_LENGTH and "must change" in line:
            return listed
    return f"`{names[0]}` …"
