"""PLM107: paging the codemod cannot carry over.

Legacy lists page by offset; the new API pages by cursor. Rewritten: a `while True:` loop
that follows `nextPageOffset` (PLM006), and a single call for one page whose size is a
literal the new API accepts or only known at run time in `params=` or a helper's keywords
(PLM005 caps it as the planner does). Flagged: lists the legacy API returned whole (the new
API pages them), a single call with the API's default page size (the two APIs' defaults
differ) or a run-time size written in the URL, a non-zero starting offset, offset arithmetic,
other loop shapes, a recognised loop that may stop before its last page (`if not
STREAMS[s]["paginated"]: break`, a `return` in it) while its page size changes, and reads of
`metadata` other than `nextPageOffset` and, where the new answer has `pagination.total`,
`totalCount` (PLM007 rewrites that one). Module-wide, a
`nextPageOffset` read that belongs to no call in sight (a paging helper that gets its
responses passed in) is flagged too.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.paging_loops import other_exits
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding
from migrate.codemod.rulekit import docs, moves, page_cap
from migrate.codemod.rules import drain_loop
from migrate.codemod.rules.envelope_key import answers_total
from migrate.codemod.rules.paging_params import loop_cap
from migrate.mapping import Operation
from migrate.pleo import (
    LEGACY_DOCS,
    LEGACY_METADATA,
    LEGACY_NEXT_OFFSET,
    LEGACY_NEXT_OFFSET_PATH,
    LEGACY_PAGE_INFO,
    LEGACY_PAGE_OFFSET,
    LEGACY_PAGE_SIZE,
    LEGACY_TOTAL,
    NEW_AFTER,
    NEW_END_CURSOR_PATH,
    NEW_HAS_NEXT_PATH,
    NEW_PAGINATION,
    NEW_TOTAL,
)

RULE = Rule(
    "PLM107",
    "paging",
    "native",
    "review",
    "Flag paging that cannot be converted from offsets to cursors: whole lists that become "
    "paged, default page sizes, run-time ones written in the URL, offset arithmetic, "
    "unrecognised loops, paging "
    f"metadata with no new twin (all but {LEGACY_TOTAL}), and {LEGACY_NEXT_OFFSET} read for a "
    "request made elsewhere (a scan site of its own).",
)

_FOLLOW = f"loop while {NEW_HAS_NEXT_PATH}, sending {NEW_AFTER}={NEW_END_CURSOR_PATH}"


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.new is None or op.kind == "flow":
        return None  # a flow: PLM012's function drains the pages, or PLM103 says why it stays
    if drain_loop.shape(site, analysis) is not None:
        return None  # PLM011 loops over the pages
    problem = _problem(site, op, analysis)
    return RuleFinding(f"{problem}; {_FOLLOW}", docs(site)) if problem else None


def _problem(site: Site, op: Operation, analysis: Analysis) -> str | None:
    response = site.response
    paging, cap = op.paging, page_cap(op)
    if paging == "all-to-cursor":
        shared = _shared_with(site, analysis)
        if shared:  # a URL chosen in branches: one call for every branch
            return (
                f"{op.id} came whole from the legacy call and is paged by the new API; a call "
                f"also serving {', '.join(shared)} (paged by offset) cannot drain it"
            )
        return "the legacy call returned every record; the new API returns one page at a time"
    if paging != "offset-to-cursor":
        return None
    metadata = _metadata_problem(site, op, analysis)
    if metadata is not None:
        return metadata
    size = site.query.get(LEGACY_PAGE_SIZE)
    offset = site.query.get(LEGACY_PAGE_OFFSET)
    if offset is not None and not offset.is_literal:
        if site.loop is None:
            why = site.loop_problem or (
                f"the offset does not come from {LEGACY_NEXT_OFFSET} in a loop"
            )
            return f"the offset paging is not a loop the codemod rewrites ({why})"
        return _exit_problem(site, analysis)
    if site.loop is not None:
        return _exit_problem(site, analysis)  # the offset is in the dict sent (PLM006)
    if site.loop_problem is not None and response.next_offsets:
        return f"the offset paging is not a loop the codemod rewrites ({site.loop_problem})"
    if response.next_offsets:
        return f"reads {LEGACY_NEXT_OFFSET_PATH} outside a recognised paging loop"
    if offset is not None and not (offset.is_literal and str(offset.literal) == "0"):
        return (
            f"starts at a non-zero {LEGACY_PAGE_OFFSET}; the new API has no offset for every list"
        )
    if size is None:
        return (
            "one call returns one page of the API's default size, and the two APIs' defaults differ"
        )
    if not size.is_literal:
        if size.where in ("params", "keywords") and size.value is not None:
            return None  # PLM005 asks for min(size, the new maximum), as the planner does
        return "the page size is only known at run time"
    try:
        number = int(str(size.literal))
    except ValueError:
        return f"{LEGACY_PAGE_SIZE}={size.literal!r} is not a number"
    if number > cap:
        return f"{LEGACY_PAGE_SIZE}={number} is above the new API's limit of {cap} per page"
    return None


def _shared_with(site: Site, analysis: Analysis) -> list[str]:
    """The other operations the same call stands for (a URL chosen in branches) that the
    legacy API paged by offset."""
    return sorted({
        variant.facts.operation.id
        for found in analysis.sites
        if found.node is site.node
        for variant in found.variants
        if variant is not site
        and variant.facts is not None
        and variant.facts.operation is not None
        and variant.facts.operation.paging == "offset-to-cursor"
    })


def _exit_problem(site: Site, analysis: Analysis) -> str | None:
    """A recognised loop that may also stop before the last page (`if not more: break`, a
    `return` in the loop) returns as many records as the pages it saw hold, so its pages must
    keep their size: a size the rewrite caps, or the API's default, changes that number."""
    assert site.loop is not None
    exits = other_exits(site.loop, analysis.facts)
    if not exits:
        return None
    size = site.query.get(LEGACY_PAGE_SIZE)
    if size is not None and size.is_literal:
        try:
            if int(str(size.literal)) <= loop_cap(site, analysis):
                return None
        except ValueError:
            pass
    what = "its page size" if size is not None else "the default page size"
    return (
        f"the loop may also stop at line {exits[0].lineno} before the last page, and "
        f"{what} is not one the new API keeps, so it could end after fewer records"
    )


def _metadata_problem(site: Site, op: Operation, analysis: Analysis) -> str | None:
    """Why a read of the legacy `metadata` cannot be carried over: `totalCount` becomes
    `pagination.total` where the new answer has it (PLM007); nothing else has a new twin."""
    response = site.response
    total = f"{LEGACY_METADATA}.{LEGACY_PAGE_INFO}.{LEGACY_TOTAL}"
    totals = {id(read.metadata) for read in response.totals}
    if totals and not answers_total(op):
        assert op.new is not None
        return (
            f"no {NEW_PAGINATION}.{NEW_TOTAL} for {LEGACY_TOTAL}; the new API's answer to "
            f"{op.new.method} {op.new.path} has none in its spec"
        )
    others = [holder for holder in response.other_meta if id(holder) not in totals]
    if not others:
        return None
    return (
        f"no {_path_of(others[0], analysis)} in the new API; only {total} has a new twin "
        f"({NEW_PAGINATION}.{NEW_TOTAL})"
    )


def _path_of(holder: ast.expr, analysis: Analysis) -> str:
    """The dotted keys read from `X["metadata"]` on: `metadata.pageInfo.pageSize`."""
    keys = [LEGACY_METADATA]
    node: ast.AST = holder
    while True:
        parent = analysis.facts.parent(node)
        if isinstance(parent, ast.Attribute) and parent.attr == "get":
            call = analysis.facts.parent(parent)
            if not isinstance(call, ast.Call) or call.func is not parent or not call.args:
                break
            parent, key = call, call.args[0]
        elif isinstance(parent, ast.Subscript) and parent.value is node:
            key = parent.slice
        else:
            break
        if not isinstance(key, ast.Constant) or not isinstance(key.value, str):
            break
        keys.append(key.value)
        node = parent
    return ".".join(keys)


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    """Module-wide: `nextPageOffset` followed where no recognised call is in sight, or for a
    call left alone whose own TODOs do not say its paging changes."""
    handled: set[int] = set()
    for site in analysis.sites:
        reads = {id(node) for node in site.response.next_offsets}
        if not plan.automatic.get(site):
            if any(rule == RULE.id for rule, _finding in plan.reasons.get(site, [])):
                handled |= reads  # the call's own PLM107 TODO says it
        elif site.loop and "PLM006" in plan.enabled and moves(site, plan.enabled):
            handled.add(id(site.loop.chain))
    unseen = {id(node) for node in unseen_requests(analysis)}
    for node in orphan_offsets(analysis, handled):
        statement = next(
            (above for above in analysis.facts.ancestors(node) if isinstance(above, ast.stmt)),
            None,
        )
        if statement is not None:
            plan.todo(statement, RULE.id, UNSEEN_REQUEST if id(node) in unseen else OWN_REQUEST)


# What the TODO above a `nextPageOffset` read says when no call in sight made the request;
# `scan` reports the same finding (see `unseen_requests`).
UNSEEN_REQUEST = RuleFinding(
    f"follows the legacy {LEGACY_NEXT_OFFSET_PATH} for a request the codemod cannot see; "
    f"{_FOLLOW}",
    LEGACY_DOCS,
)


# ... and when a call in the same function is left alone for another reason (its path, a
# helper that builds the request).
OWN_REQUEST = RuleFinding(
    f"follows the legacy {LEGACY_NEXT_OFFSET} paging; {_FOLLOW}",
    LEGACY_DOCS,
)


def orphan_offsets(analysis: Analysis, handled: set[int]) -> list[ast.expr]:
    """Reads of `nextPageOffset` other than those in `handled` (ids of the loops this run
    rewrites). Reads of calls left alone count too: once the host is rewritten, a second run
    no longer sees those calls as legacy, and must find the TODO already there."""
    return [
        node
        for key, node in analysis.facts.key_reads
        if key == LEGACY_NEXT_OFFSET and id(node) not in handled
    ]


def unseen_requests(analysis: Analysis) -> list[ast.expr]:
    """The `nextPageOffset` reads `scan` reports as legacy paging of their own: those of no
    call site, in a function (or module body) without a call site. A read next to a site is
    reported with that site; the rewrite's TODO above it is about that call too."""
    own = {id(node) for site in analysis.sites for node in site.response.next_offsets}
    with_sites = {id(_function_of(analysis, site.node)) for site in analysis.sites}
    return [
        node
        for node in orphan_offsets(analysis, own)
        if id(_function_of(analysis, node)) not in with_sites
    ]


def _function_of(analysis: Analysis, node: ast.AST) -> ast.AST:
    """The innermost function around `node`, else the module."""
    for above in analysis.facts.ancestors(node):
        if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef):
            return above
    return analysis.facts.tree
