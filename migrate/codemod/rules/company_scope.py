"""PLM004: the company the legacy token implied is named on the call, from PLEO_COMPANY_ID.

Where the catalogue says: `company_id` or `companyId` in the query, or `companyId` in the
JSON body (`os.environ["PLEO_COMPANY_ID"]`).
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, RequestPlan, Rule
from migrate.codemod.rulekit import COMPANY_CODE
from migrate.pleo import COMPANY_ID_VAR

RULE = Rule(
    "PLM004",
    "company_scope",
    "native",
    "rewrite",
    "Name the company on each call as the new API wants it (company_id / companyId in the "
    f"query or the body), read from {COMPANY_ID_VAR}.",
)


def contribute(site: Site, request: RequestPlan, analysis: Analysis) -> None:
    op = site.facts.operation if site.facts else None
    if op is None or op.new is None or op.company is None:
        return
    where, key = op.company.where, op.company.name
    if where == "query":
        if site.query.get(key) is None and all(k != key for k, _ in request.add_query):
            request.add_query.append((key, (COMPANY_CODE,)))
            request.by[key] = RULE.id
            request.imports.append(("os", None))
    elif where == "body":
        if request.body is not None:
            if all(k != key for k, _ in request.body):
                request.body.append((key, (COMPANY_CODE,)))
                request.imports.append(("os", None))
        elif site.json_dict is not None:
            keys = {getattr(k, "value", None) for k in site.json_dict.keys}
            if key not in keys:
                request.add_body.append((key, (COMPANY_CODE,)))
                request.by[key] = RULE.id
                request.imports.append(("os", None))
