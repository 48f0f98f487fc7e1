"""PLM206 (compat): routed calls that compat cannot answer with records.

Compat routes every call of a legacy module, but two kinds come back as errors, by design: an
endpoint with no new-API equivalent (compat answers 501 and names the alternative) and an
endpoint the legacy API never had (404, sent nowhere). The code keeps running until that call,
so without a TODO the summary would say "0 TODOs" while a call is certain to fail. Each such
call gets one, with the status it will get and what to do instead. A call compat cannot route
from here (PLM203) gets none: compat never sees it.
"""

from __future__ import annotations

from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import operation
from migrate.codemod.rules import compat_review
from migrate.codemod.rules.invented_endpoint import invented_path
from migrate.mapping import LEGACY_BASE_PATH

RULE = Rule(
    "PLM206",
    "compat_unanswered",
    "compat",
    "review",
    "Flag routed calls compat answers with an error: endpoints with no new-API equivalent (501, "
    "with the alternative) and endpoints the legacy API never had (404).",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    if compat_review.review(site, analysis) is not None:
        return None  # not routed from here: PLM203 says so, and compat never sees the call
    op = operation(site)
    if op is not None and not op.mapped:
        alternative = f"; alternative: {op.alternative}" if op.alternative else ""
        return RuleFinding(
            f"{op.legacy} ({op.id}) has no new-API equivalent: compat answers 501 here"
            f"{alternative}",
            op.docs,
        )
    path = invented_path(site, analysis)
    if path is None:
        return None
    return RuleFinding(
        f"{site.method} {LEGACY_BASE_PATH}{path} is not a legacy Pleo endpoint: compat answers "
        "404; remove the call (compat sends it nowhere)",
        MIGRATION_DOCS,
    )
