"""PLM101: a call whose path (or method) is chosen at run time is flagged, never guessed.

A URL variable assigned in branches is not "chosen at run time" when every branch is a known
operation: the call is rewritten branch by branch (each URL at its own assignment, and each
branch's method, added query and body next to it when they differ: `request_dispatch.py`);
otherwise the TODO names them.
A path part its callers choose from a finite set (the literal each caller of a private
function passes, the entries of a module dict nothing changes, a class attribute of every
subclass: `find/value_sets.py`) is not "chosen at run time" either: when every value with a
new-API equivalent is known, the call is rewritten once through a table of new paths
(`generic_helpers.py`, with a generated lookup of each value's method, query and body when they
differ: `request_dispatch.py`); otherwise the TODO names the values' operations.
A path from a parameter, or a field of an f-string nothing bounds, stays flagged, and the TODO
names the caller or value that leaves it open.
"""

from __future__ import annotations

from migrate.codemod.find.evaluate import Base, Text
from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.site import Site
from migrate.codemod.generic_helpers import reviewed
from migrate.codemod.rule import Analysis, Rule, RuleFinding

RULE = Rule(
    "PLM101",
    "dynamic_path",
    "native",
    "review",
    "Flag calls whose path or HTTP method is chosen at run time: the operation cannot be known.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    resolution = site.resolution
    if site.value_set is not None:
        return _chosen_by_callers(site, analysis)
    if site.alternatives:
        return _branches(site)
    if resolution.status == "dynamic" and site.helper_problem is not None:
        return RuleFinding(site.helper_problem, MIGRATION_DOCS, terminal=True)  # a URL helper's
    if resolution.status == "dynamic" and _host_apart(site):
        return RuleFinding(
            "the URL spells its legacy host as a piece of its own (`https://{HOST}/…`); write "
            "the base as one URL constant and run the codemod again",
            MIGRATION_DOCS,
            terminal=True,
        )
    if resolution.status == "dynamic":
        return RuleFinding(
            f"the path is chosen at run time ({resolution.display}), so the new endpoint is "
            "unknown; map every path it can take (`pleo-migrate mappings show ID`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    if resolution.status == "unknown-method":
        return RuleFinding(
            "the HTTP method is chosen at run time, so the operation is unknown; "
            "map every method it can take (`pleo-migrate mappings list`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    return None


def _host_apart(site: Site) -> bool:
    """Whether the URL starts with literal text that holds no host (`"https://"`) and the
    legacy host comes from another piece: the codemod edits a base written as one value."""
    first = site.template.parts[0] if site.template.parts else None
    return (
        isinstance(first, Text)
        and first.value.rstrip("/") in ("https:", "http:")
        and not any(isinstance(part, Base) for part in site.template.parts)
    )


def _branches(site: Site) -> RuleFinding | None:
    """A URL chosen in branches: rewritten branch by branch when each is one known operation;
    otherwise the TODO names what each branch is."""
    names = [variant.operation_id or _path(variant) for variant in site.variants]
    listed = ", ".join(names)
    if any(variant.resolution.status != "matched" for variant in site.variants):
        return RuleFinding(
            f"a branch is not a known operation ({listed}); the URL is chosen in branches: "
            "map each by hand (`pleo-migrate mappings show ID`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    # branches needing different methods, query or bodies are each given theirs at the branch
    # (`request_dispatch.branch_edits`); when that cannot be written, the dry run's PLM105 says
    # why; a gap's own review (PLM102) speaks for it
    return None


def _chosen_by_callers(site: Site, analysis: Analysis) -> RuleFinding | None:
    """A path part from a finite set: open, or a value no operation (the TODO names why); a
    gap or invented value holds nothing back (it gets its own TODO)."""
    found = site.value_set
    assert found is not None
    if found.unknown is not None:
        return RuleFinding(
            f"`{found.name}` unbounded ({found.unknown}); it chooses the path at run "
            f"time and comes from {found.origin}: map every value by hand "
            "(`pleo-migrate mappings show ID`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    variants = reviewed(site, analysis)
    listed = ", ".join(dict.fromkeys(v.operation_id or _path(v) for v in variants))
    if any(variant.resolution.status != "matched" for variant in variants):
        return RuleFinding(
            f"a value of `{found.name}` is not a known operation ({listed}): map it by hand "
            "(`pleo-migrate mappings show ID`)",
            MIGRATION_DOCS,
            terminal=True,
        )
    # values needing different methods, query or bodies are sent through a generated lookup of
    # each value's request (`request_dispatch.py`); when that cannot be written, the dry run's
    # PLM105 says why; a gap's own review (PLM102) speaks for it
    return None


def _path(site: Site) -> str:
    """`/v1/teams/{ident}` (the first site's display lists every branch: its own is first)."""
    return site.resolution.display.split(" ", 1)[-1].split(" | ")[0]
