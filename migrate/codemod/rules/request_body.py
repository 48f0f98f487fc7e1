"""PLM110: request bodies that change shape on the new API, or a body the codemod cannot see.

From the catalogue's request model: renamed or converted fields, new required fields
(filled from a legacy field or a default), fields with no equivalent. A company id that goes
into the body needs a body written as a dict display at the call.
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import docs

RULE = Rule(
    "PLM110",
    "request_body",
    "native",
    "review",
    "Flag request bodies that change shape on the new API (renamed, converted, new required "
    "or dropped fields) or that cannot take the company id.",
)


_WHOLE = ("flow", "merge-update")  # kinds whose calls PLM012 replaces whole


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    facts = site.facts
    if facts is None or facts.operation.new is None or facts.operation.kind in _WHOLE:
        return None  # PLM012's function builds its bodies, or PLM103/PLM104 says why it stays
    op = facts.operation
    if facts.request_changes:
        return RuleFinding(
            f"the request body of {op.id} changes: {'; '.join(facts.request_changes)}",
            docs(site),
        )
    company = op.company
    if company is not None and company.where == "body" and op.kind != "search" and (
        site.json_dict is None
    ):
        key = company.name
        return RuleFinding(
            f"{op.id} needs `{key}` in its JSON body, and the body is not a dict written at the "
            "call",
            docs(site),
        )
    return None
