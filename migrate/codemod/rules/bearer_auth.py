"""PLM008: `Authorization: Bearer <legacy token>` becomes the new key's Basic auth.

`Basic base64(key + ":")`, with the key taken from the same expression that held the token
(whose environment variable PLM009 renames to PLEO_API_KEY). Recognised values:
`f"Bearer {t}"`, `"Bearer " + t`, `"Bearer {}".format(t)`, `"Bearer %s" % t`, under an
`Authorization`/`authorization` key of a dict, a `headers[...]` assignment or a keyword.
A header counts as Pleo's when its token mentions Pleo or the legacy token, when it is sent
with a legacy call (the headers dict, a session's headers), or when the module calls no
other HTTP API.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import Entry, dotted
from migrate.codemod.find.token_sources import new_key_code
from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.rulekit import is_atomic
from migrate.codemod.text.edits import Piece, replace

RULE = Rule(
    "PLM008",
    "bearer_auth",
    "native",
    "rewrite",
    "Rewrite `Authorization: Bearer <legacy token>` headers to the new API key's Basic auth "
    '(base64 of key + ":").',
)

PREFIX = "bearer "


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    for entry, token in bearer_headers(analysis):
        if not connected(entry, token, analysis):
            continue
        span = analysis.span(token)
        key: tuple[Piece, ...] = (span,) if is_atomic(token) else ("(", span, ")")
        conventional = new_key_code(analysis.facts, analysis.evaluator, token)  # token_sources
        if conventional is not None:
            key = (conventional,)
            plan.need_import("os")
        plan.add(
            replace(
                analysis.source,
                entry.value,
                RULE.id,
                '"Basic " + base64.b64encode((',
                *key,
                ' + ":").encode()).decode()',
            )
        )
        plan.need_import("base64")


def bearer_headers(analysis: Analysis) -> list[tuple[Entry, ast.expr]]:
    found = []
    for entry in analysis.facts.entries:
        if entry.key.lower() != "authorization":
            continue
        token = bearer_token(entry.value)
        if token is not None:
            found.append((entry, token))
    return found


def bearer_token(value: ast.expr) -> ast.expr | None:
    """The token expression of a `Bearer …` header value, if it has one of the known forms."""
    if isinstance(value, ast.JoinedStr) and len(value.values) == 2:
        head, field = value.values
        if (
            _is_prefix(head)
            and isinstance(field, ast.FormattedValue)
            and field.conversion == -1
            and field.format_spec is None
        ):
            return field.value
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add) and _is_prefix(value.left):
        return value.right
    if (
        isinstance(value, ast.BinOp)
        and isinstance(value.op, ast.Mod)
        and _literal(value.left, "%s")
        and not isinstance(value.right, ast.Tuple)
    ):
        return value.right
    if (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Attribute)
        and value.func.attr == "format"
        and _literal(value.func.value, "{}")
        and len(value.args) == 1
        and not value.keywords
    ):
        return value.args[0]
    return None


def _is_prefix(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lower() == PREFIX
    )


def _literal(node: ast.AST, placeholder: str) -> bool:
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.lower() == PREFIX + placeholder
    )


def connected(entry: Entry, token: ast.expr, analysis: Analysis) -> bool:
    """Whether this header goes with calls to the legacy API."""
    text = analysis.text(token).lower()
    if "pleo" in text or "legacy" in text:
        return True
    if _from_pleo_env(token, analysis):
        return True
    receivers = {site.receiver for site in analysis.sites if site.receiver}
    if entry.kind == "subscript" and entry.receiver in receivers:
        return True
    if entry.kind == "dict" and _dict_goes_with_legacy(entry.container, analysis, receivers):
        return True
    if entry.kind == "subscript" and analysis.sites and _auth_object_header(entry, analysis):
        return True
    return bool(analysis.sites) and analysis.finder.other_http == 0


_AUTH_METHODS = ("auth_flow", "__call__")  # httpx.Auth, requests.auth.AuthBase


def _auth_object_header(entry: Entry, analysis: Analysis) -> bool:
    """`request.headers["Authorization"] = f"Bearer {self._token}"` in the `auth_flow` (or
    `__call__`) of a class the module hands to a client as `auth=Class(…)`: the header every
    request of that client carries."""
    facts = analysis.facts
    above = [node for node in facts.ancestors(entry.container)]
    method = next((n for n in above if isinstance(n, ast.FunctionDef)), None)
    owner = next((n for n in above if isinstance(n, ast.ClassDef)), None)
    if method is None or owner is None or method.name not in _AUTH_METHODS:
        return False
    if not method.args.args[1:] or entry.receiver != method.args.args[1].arg:
        return False  # not the request the method is handed
    return any(
        isinstance(node, ast.keyword)
        and node.arg == "auth"
        and isinstance(node.value, ast.Call)
        and isinstance(node.value.func, ast.Name)
        and node.value.func.id == owner.name
        for node in facts.nodes()
    )


def _from_pleo_env(token: ast.expr, analysis: Analysis) -> bool:
    evaluator = analysis.evaluator
    lookup = evaluator.env_lookup(token)
    if lookup is not None:
        return "PLEO" in lookup[0].upper()
    scope = analysis.facts.scope_of_name.get(token) if isinstance(token, ast.Name) else None
    if scope is None:
        return False
    for value in evaluator.name_values(token, scope) or []:
        lookup = evaluator.env_lookup(value)
        if lookup is not None and "PLEO" in lookup[0].upper():
            return True
    return False


def _dict_goes_with_legacy(node: ast.AST, analysis: Analysis, receivers: set[str]) -> bool:
    facts = analysis.facts
    site_calls = {site.node for site in analysis.sites}
    holders: list[ast.AST] = [node]
    parent = facts.parent(node)
    if isinstance(parent, ast.Return):
        holders.extend(_calls_of_function_around(parent, analysis))
    if isinstance(parent, ast.Assign) and len(parent.targets) == 1:
        target = parent.targets[0]
        if isinstance(target, ast.Attribute) and dotted(target) is not None:
            # `self.headers = {…}`: every read of `self.headers` holds it
            holders.extend(
                other
                for other in facts.nodes()
                if isinstance(other, ast.Attribute)
                and isinstance(other.ctx, ast.Load)
                and dotted(other) == dotted(target)
            )
        if isinstance(target, ast.Name):
            scope = facts.module_scope
            for candidate in facts.functions.values():
                if target.id in candidate.loads:
                    holders.extend(candidate.loads[target.id])
            holders.extend(scope.loads.get(target.id, []))
    for holder in holders:
        above = facts.parent(holder)
        if isinstance(above, ast.keyword) and above.arg == "headers":
            call = facts.parent(above)
            if call in site_calls:
                return True
            if isinstance(call, ast.Call) and analysis.clients.factory_of(call):
                return True
        if isinstance(above, ast.Call) and isinstance(above.func, ast.Attribute):
            owner = above.func.value
            if (
                above.func.attr == "update"
                and isinstance(owner, ast.Attribute)
                and owner.attr == "headers"
                and dotted(owner.value) in receivers
            ):
                return True
    return False


def _calls_of_function_around(node: ast.AST, analysis: Analysis) -> list[ast.AST]:
    """The calls of the function `node` returns from (`headers=_auth_headers()`)."""
    function = next(
        (
            above
            for above in analysis.facts.ancestors(node)
            if isinstance(above, ast.FunctionDef | ast.AsyncFunctionDef)
        ),
        None,
    )
    if function is None:
        return []
    return [
        call.node
        for call in analysis.facts.calls
        if (isinstance(call.node.func, ast.Name) and call.node.func.id == function.name)
        or (isinstance(call.node.func, ast.Attribute) and call.node.func.attr == function.name)
    ]
