"""PLM106: query parameters that cannot be carried over mechanically.

Every legacy query key must be a paging key or a filter the catalogue maps; a filter whose
value needs converting (an enum, a date) must be a literal so it is converted now; a filter
with a declared loss has no new equivalent; and the parameters must be written statically
(a dict display or the URL) when the call needs any of them changed.
"""

from __future__ import annotations

from migrate.codemod.find.hosts import LEGACY_PAGE_OFFSET, LEGACY_PAGE_SIZE
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import convert, docs, find_filter
from migrate.errors import ConversionError

RULE = Rule(
    "PLM106",
    "query_params",
    "native",
    "review",
    "Flag query parameters built at run time, unknown to the catalogue, lossy, or needing a "
    "conversion of a run-time value.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.new is None:
        return None
    query = site.query
    needs_query = (
        op.kind == "search"
        or op.paging != "none"
        or op.company.startswith("query:")
        or bool(op.filters)
    )
    if not query.static:
        if needs_query or query.items:
            return RuleFinding(
                f"{query.reason}; {op.id} needs them mapped "
                f"({_what(op.kind, op.company, op.paging)})",
                docs(site),
            )
        return None
    problems = []
    company = op.company.split(":", 1)[1] if op.company.startswith("query:") else None
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
        if found.converter != "same" or found.as_list:
            if not item.is_literal:
                problems.append(
                    f"`{item.key}` needs converting ({found.converter}) and is only known at "
                    "run time"
                )
                continue
            try:
                convert(found, item.literal)
            except ConversionError as problem:
                problems.append(f"`{item.key}`: {problem}")
    if problems:
        return RuleFinding("; ".join(problems), docs(site))
    return None


def _what(kind: str, company: str, paging: str) -> str:
    parts = []
    if kind == "search":
        parts.append("filters move into a JSON body")
    if company.startswith("query:"):
        parts.append(f"{company.split(':', 1)[1]} is added")
    if paging != "none":
        parts.append("paging parameters change")
    return ", ".join(parts) or "query parameters change"
