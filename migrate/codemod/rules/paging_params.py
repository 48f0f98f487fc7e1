"""PLM005: offset paging parameters become cursor paging parameters.

`pageSize` becomes `limit`, capped at the operation's maximum where the planner caps it: a
literal inside a paging loop (the page size is ours to choose there), and a size only known at
run time anywhere (`pageSize: page_size` → `limit: min(page_size, 1000)`, the maximum written
as a literal). A `pageOffset` of 0 on a single call is dropped. The `pageOffset` of a
recognised loop is PLM006's.

One call that stands for several operations (a path chosen from a set of values, a URL
chosen in branches) asks each value's page in a cursor loop with the smallest maximum of
them all: the loop follows the cursor to the end, so the page size changes how many requests
it makes, never which records it returns, and the call keeps one `limit` for every value
(a single page keeps each value's own cap: there the size is the number of records).
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import page_cap
from migrate.pleo import LEGACY_PAGE_OFFSET, LEGACY_PAGE_SIZE, NEW_LIMIT

RULE = Rule(
    "PLM005",
    "paging_params",
    "native",
    "rewrite",
    f"Rewrite offset paging parameters: {LEGACY_PAGE_SIZE} becomes {NEW_LIMIT} (capped inside "
    f"loops and when only known at run time), a zero {LEGACY_PAGE_OFFSET} on a single call goes.",
)


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    op = site.facts.operation if site.facts else None
    if op is None or op.paging != "offset-to-cursor":
        return
    size = site.query.get(LEGACY_PAGE_SIZE)
    if size is not None:
        request.renames[LEGACY_PAGE_SIZE] = NEW_LIMIT
        request.by[LEGACY_PAGE_SIZE] = RULE.id
        cap = loop_cap(site, analysis) if site.loop is not None else page_cap(op)
        if size.is_literal:
            if site.loop is not None and int(str(size.literal)) > cap:
                request.values[LEGACY_PAGE_SIZE] = (str(cap),)
        elif size.value is not None:  # known at run time: asked as the planner asks it
            request.values[LEGACY_PAGE_SIZE] = ("min(", analysis.span(size.value), f", {cap})")
    offset = site.query.get(LEGACY_PAGE_OFFSET)
    if offset is not None and site.loop is None and offset.is_literal:
        request.drops.add(LEGACY_PAGE_OFFSET)
        request.by[LEGACY_PAGE_OFFSET] = RULE.id


def loop_cap(site: Site, analysis: Analysis) -> int:
    """The page cap every offset-paged value of the call shares inside its cursor loop."""
    caps = [
        page_cap(variant.facts.operation)
        for found in analysis.sites
        if found.node is site.node
        for variant in found.variants
        if variant.facts is not None
        and variant.facts.operation is not None
        and variant.facts.operation.paging == "offset-to-cursor"
    ]
    assert site.facts is not None and site.facts.operation is not None
    return min([page_cap(site.facts.operation), *caps])
