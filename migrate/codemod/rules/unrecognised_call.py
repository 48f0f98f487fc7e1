"""PLM105: a legacy call in a shape the codemod cannot rewrite safely.

That covers paths the catalogue does not know, calls through wrappers and helpers whose
insides are in other code (a private request helper of the module is seen into, see
`find/wrappers.py`; what it cannot pass on is said here), urllib, and URLs built in ways that
are not rebuilt (%-formatting; str.format whose template is neither in the call nor in a name
read only there; urljoin whose path argument is not a literal, f-string or concatenation; a
constant defined elsewhere). A call of a helper whose verb is fixed while the new endpoint
needs another is rewritten onto a twin of the helper when the helper is simple
(`helper_twin.py`); otherwise the finding says why there is none. A call that could move but
needs a host or auth that stays for another call waits (`waits`, see `holdback.py`). The
engine also gives this rule's id to a call that passed every review but whose edits could not
be made after all (a dry run of every native rewrite rule), so a call only counts as automatic
when its edits can be made.
"""

from __future__ import annotations

import ast
import re

from migrate.codemod.find.built_bases import site_version_apart
from migrate.codemod.find.evaluate import Template
from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import docs, new_endpoint

RULE = Rule(
    "PLM105",
    "unrecognised_call",
    "native",
    "review",
    "Flag legacy calls the codemod cannot rewrite: unknown paths, wrappers and helpers it cannot "
    "see into, urllib, URLs built with % templates other than plain %s (or str.format, urljoin "
    "in shapes not rebuilt), or in a constant defined elsewhere; and calls that wait for a host "
    "or auth shared with a call that stays legacy.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    resolution = site.resolution
    op = site.facts.operation if site.facts else None
    if resolution.status == "unknown-path":
        return RuleFinding(
            f"{resolution.display} is not in the mapping catalogue; check Pleo's documentation "
            "for its new-API equivalent",
            MIGRATION_DOCS,
            terminal=True,
        )
    if op is None:
        return None
    target = f"{op.legacy} ({op.id}) becomes {new_endpoint(op)}"
    if site.helper_problem is not None:  # a request helper's, or a partial's that binds params=
        return RuleFinding(f"{target}; {site.helper_problem}", docs(site), terminal=True)
    if site.kind in ("wrapper", "helper") and site.helper is None:
        callee = f"`{site.receiver}`" if site.receiver else "a helper"
        if site.kind == "wrapper":
            callee = f"`{site.receiver}.{site.verb}`"
        base = analysis.finder.url_helpers.unknown_base(site.node)
        if base is not None:
            return RuleFinding(
                f"{target}; {callee} puts the path on `{base}`, which is not a known legacy "
                "base URL: change the path, query and body at the call by hand",
                docs(site),
                terminal=True,
            )
        return RuleFinding(
            f"{target}; the call goes through {callee}, whose request the codemod cannot see: "
            "change the path, query and body there by hand",
            docs(site),
            terminal=True,
        )
    if site_version_apart(site, analysis.clients):
        return RuleFinding(
            f"{target}; the base spells /v1 apart from its host (`HOST + \"/v1\"`), which "
            "stays when the host moves: write the base as one literal, or change it by hand",
            docs(site),
            terminal=True,
        )
    if site.kind == "urllib":
        return RuleFinding(
            f"{target}; urllib calls are not rewritten: switch to requests or httpx",
            docs(site),
            terminal=True,
        )
    template = site.template
    if template.form == "name":
        return RuleFinding(
            f"{target}; the URL is the value of a name used in more than one place: "
            "change it where it is defined",
            docs(site),
            terminal=True,
        )
    if not template.editable:
        return RuleFinding(
            f"{target}; the URL is built with {template.form}, which the codemod does not rebuild",
            docs(site),
            terminal=True,
        )
    if template.form == "%-format" and not resolution.path_editable and not plain_percent(template):
        return RuleFinding(
            f"{target}; the %-format template is not a literal with plain %s values, which "
            "the codemod does not rebuild",
            docs(site),
            terminal=True,
        )
    if not resolution.path_editable and site.value is None:  # a value: read through a table
        return RuleFinding(
            f"{target}; the URL path comes from a name defined elsewhere: change it there",
            docs(site),
            terminal=True,
        )
    return None


def plain_percent(template: Template) -> bool:
    """Whether a %-format URL is a literal template with only plain `%s` values: then the
    path is held by something else (a value defined elsewhere), not by the template."""
    root = template.root
    return (
        isinstance(root, ast.BinOp)
        and isinstance(root.left, ast.Constant)
        and isinstance(root.left.value, str)
        and not isinstance(root.right, ast.Dict)
        and re.search(r"%(?![s%])|%%s", root.left.value) is None
    )


def after_dry_run(site: Site, problem: str) -> RuleFinding:
    """The finding when every review passed but the edits could not be made after all."""
    op = site.facts.operation if site.facts else None
    target = f"{op.legacy} ({op.id}) becomes {new_endpoint(op)}" if op else "this call"
    return RuleFinding(f"{target}; {problem}", docs(site), terminal=True)


def waits(site: Site, line: int) -> RuleFinding:
    """The finding of a call that could move but needs a shared thing that stays (line)."""
    op = site.facts.operation if site.facts else None
    return RuleFinding(
        f"{op.id if op else 'this call'}: waits for line {line} (host/auth shared with a "
        "call that stays legacy)",
        docs(site),
        terminal=True,
    )


def fixed_base(site: Site, base: str) -> RuleFinding:
    """The finding of a call whose legacy base no rule can move (built from a bare host)."""
    op = site.facts.operation if site.facts else None
    shown = base if len(base) <= 24 else base[:23] + "…"
    return RuleFinding(
        f"{op.id if op else 'this call'}: cannot move its base `{shown}` (write it as one URL)",
        docs(site),
        terminal=True,
    )

