"""PLM203 (compat): legacy calls the compat strategy cannot route from this module.

A call through a session or client created somewhere this module does not show (a
parameter, an attribute set elsewhere), and urllib calls. Calls through wrappers and helpers
are not flagged here: their HTTP call is in the module that defines them. Once the library is
swapped for its compat twin, a client the module makes itself is routed wherever it is kept, so
a call through `self` (an attribute, a `get_conn()` method, a Session subclass) is not flagged
when the module makes such a client.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.site import COMPAT_NAMES, Site, receiver_of
from migrate.codemod.rule import Analysis, Rule, RuleFinding

RULE = Rule(
    "PLM203",
    "compat_review",
    "compat",
    "review",
    "Flag legacy calls the compat strategy cannot route from here: clients created elsewhere, "
    "urllib.",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    if site.kind == "urllib":
        return RuleFinding(
            f"{site.resolution.display} goes through urllib, which migrate.compat cannot serve; "
            "use legacy_session() from migrate.compat",
            MIGRATION_DOCS,
        )
    if site.kind != "http" or site.client != "object" or site.receiver in COMPAT_NAMES:
        return None
    if site.resolution.how == "client base_url":
        return None  # the client's construction is rewritten by PLM202
    receiver = receiver_of(site)
    if (
        isinstance(receiver, ast.Call)
        and isinstance(receiver.func, ast.Name)
        and receiver.func.id in COMPAT_NAMES
    ):
        return None  # already routed: `_pleo_session().get(…)`
    # the compat strategy's machinery: a native scan never imports it
    from migrate.codemod.library_swap import swap_view

    view = swap_view(analysis)
    if view.clients.constructions(receiver, site.call.scope):
        return None
    root = _root(receiver)
    if root in view.twins:
        return None  # swapped: `requests.get(…)` is the compat twin's
    if view.routes_self and (
        root in ("self", "cls", "super") or _made_here(root, site, analysis)
    ):
        return None
    shown = site.receiver or (analysis.text(receiver) if receiver is not None else "a client")
    return RuleFinding(
        f"{site.resolution.display} goes through `{shown}`, created where this module "
        "does not show; create it with legacy_session() or legacy_client() from migrate.compat",
        MIGRATION_DOCS,
    )


def _made_here(root: str | None, site: Site, analysis: Analysis) -> bool:
    """Whether the client comes from a function of this module (`client()[0].get(…)`, `with
    pleo_session() as s: s.get(…)`): once swapped, every client the module makes is routed."""
    if root is None:
        return False
    local = {
        node.name
        for node in analysis.facts.nodes()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    }
    if root in local:
        return True
    for binding in analysis.evaluator.bindings(root, site.call.scope) or ():
        stmt = binding.stmt
        if binding.kind != "with" or not isinstance(stmt, ast.With | ast.AsyncWith):
            continue
        for item in stmt.items:
            if _root(item.context_expr) in local:
                return True
    return False


def _root(node: ast.expr | None) -> str | None:
    """The name an expression starts from: `self` in `self.get_conn().session`."""
    while isinstance(node, ast.Attribute | ast.Call | ast.Subscript):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None

