"""PLM106: query parameters that cannot be carried over mechanically.

Every legacy query key must be a paging key or a filter the catalogue maps; a filter whose
value needs converting (an enum, a date) or that sends nothing for one value (`omit_when`)
must be a literal so it is decided now, unless the conversion can be written out for a
run-time value (a day bound in a search body, `runtime_filters`); a filter with a declared
loss has no new equivalent, nor has one the new API leaves to the caller (`records:`); and the
parameters must be written statically (a dict display or the URL) when the call needs any of
them changed.
"""

from __future__ import annotations

from migrate.codemod.find.hosts import LEGACY_PAGE_OFFSET, LEGACY_PAGE_SIZE
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import docs, find_filter
from migrate.codemod.runtime_filters import day_bound, writable
from migrate.errors import ConversionError
from migrate.mapping import Operation

RULE = Rule(
    "PLM106",
    "query_params",
    "native",
    "review",
    "Flag query parameters built at run time, unknown to the catalogue, lossy, or needing a "
    "conversion (bar a search's day bound held in a name) or an omit decision on a run-time "
    "value.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.new is None:
        return None
    query = site.query
    needs_query = (
        op.kind == "search"
        or op.paging != "none"
        or _query_company(op) is not None
        or bool(op.filters)
        or bool(op.new_query)
    )
    if not query.static:
        if needs_query or query.items:
            return RuleFinding(
                f"{query.reason}; {op.id} needs them mapped "
                f"({_what(op, _query_company(op))})",
                docs(site),
            )
        return None
    problems = []
    company = _query_company(op)
    for item in query.items:
        if item.key in (LEGACY_PAGE_SIZE, LEGACY_PAGE_OFFSET) and op.paging != "none":
            continue
        if item.key == company:
            continue  # already names the company as the new API wants it
        found = find_filter(op, item.key)
        if found is None:
            problems.append(f"`{item.key}` is not a parameter the catalogue maps for {op.id}")
            continue
        if found.loss:
            problems.append(f"`{item.key}`: {found.loss}")
            continue
        if found.records is not None and not found.carried:
            problems.append(
                f"`{item.key}` is applied to the records after the call on the new API "
                f"(filter on `{found.records}` in code)"
            )
            continue
        if found.omit_when is not None and not item.is_literal:
            problems.append(
                f"`{item.key}` sends nothing when it is {found.omit_when!r}, and is only known "
                "at run time"
            )
            continue
        if found.converter != "same" or found.as_list:
            if not item.is_literal:
                if op.kind == "search" and writable(found, item.value):
                    continue  # PLM003 writes the conversion out (runtime_filters)
                if op.kind == "search" and day_bound(found) is not None:
                    problems.append(
                        f"`{item.key}` needs converting ({found.converter}), done only for a "
                        "value held in a name"
                    )
                    continue
                problems.append(
                    f"`{item.key}` needs converting ({found.converter}) and is only known at "
                    "run time"
                )
                continue
            try:
                found.convert(item.literal)
            except ConversionError as problem:
                problems.append(f"`{item.key}`: {problem}")
    if problems:
        return RuleFinding("; ".join(problems), docs(site))
    return None


def _query_company(op: Operation) -> str | None:
    """The query parameter that names the company on the new call, if it goes in the query."""
    return op.company.name if op.company is not None and op.company.where == "query" else None


def _what(op: Operation, company: str | None) -> str:
    parts = []
    if op.kind == "search":
        parts.append("filters move into a JSON body")
    if company is not None:
        parts.append(f"{company} is added")
    if op.new_query:
        constants = ", ".join(f"{key}={value}" for key, value in op.new_query.items())
        parts.append(f"{constants} is added")
    if op.paging != "none":
        parts.append("paging parameters change")
    return ", ".join(parts) or "query parameters change"
