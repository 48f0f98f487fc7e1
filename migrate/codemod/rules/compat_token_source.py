"""PLM207 (compat): a legacy token read from somewhere the codemod cannot rename never raises,
and a TODO names it.

migrate.compat sends the new API key itself (from `PLEO_API_KEY`), so whatever the code puts
in a legacy `Bearer` header is never sent to Pleo; the read only must not fail once the legacy
token is gone. Module-wide, in a module that reaches the legacy API, each legacy header's token
is followed back to its sources (`find/token_sources.py`):

- a string-key read of a parsed document or a mapping handed in
  (`json.load(fh)["legacy"]["token"]`, `config["api_token"]`) becomes a `.get` chain that
  cannot raise (`json.load(fh).get("legacy", {}).get("token", "")`); a `configparser` section
  only its last key (`CONFIG["pleo"].get("token", "")`); a settings attribute imported from
  another module becomes `getattr(settings, "PLEO_TOKEN", "")`;
- an environment read of any name, `os.environ["…"]`, becomes `os.environ.get("…", "")` (one
  named as a token is already the new key's, PLM201/PLM202);
- a file, config key, settings name, keyring entry or command-line option gets one TODO at the
  read naming it: the codemod cannot rename it, and the deployment sets `PLEO_API_KEY`
  instead. The TODO counts as residue in the summary; like PLM204's, it is a note about the
  calls that send the header, wherever the read is.
"""

from __future__ import annotations

import ast

from migrate.codemod.find.facts import Entry
from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.token_sources import TokenSource, TokenTracer
from migrate.codemod.rule import Analysis, ModulePlan, Rule, RuleFinding
from migrate.codemod.rules.bearer_auth import bearer_headers, bearer_token, connected
from migrate.codemod.text.edits import replace
from migrate.pleo import API_KEY_VAR

RULE = Rule(
    "PLM207",
    "compat_token_source",
    "compat",
    "rewrite",
    "Make reads of the legacy token that would raise once it is gone safe (a file, a config "
    "handed in, settings, a function returning an environment read), and name the source the "
    "codemod cannot rename (file, config, settings, keyring, option) in one TODO.",
)
MARK = "compat sends"


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    # the compat strategy's machinery: a native scan never imports it
    from migrate.codemod.library_swap import legacy_module

    if legacy_module(analysis):
        safe_token_sources(analysis, plan, RULE.id)


def legacy_token_sources(analysis: Analysis) -> list[TokenSource]:
    """The sources of the tokens of the module's legacy `Bearer` headers."""
    tracer = TokenTracer(analysis.facts, analysis.evaluator)
    found: dict[ast.expr, TokenSource] = {}
    for entry, token in [*bearer_headers(analysis), *_held_headers(analysis)]:
        if not connected(entry, token, analysis):
            continue
        for source in tracer.sources(token):
            found.setdefault(source.node, source)
    return list(found.values())


def _held_headers(analysis: Analysis) -> list[tuple[Entry, ast.expr]]:
    """`{"Authorization": auth}` with `auth = f"Bearer {…}"` assigned before: the header's
    value held in a name (each of its values a `Bearer` form PLM008 knows)."""
    found = []
    for entry in analysis.facts.entries:
        if entry.key.lower() != "authorization" or not isinstance(entry.value, ast.Name):
            continue
        scope = analysis.facts.scope_of_name.get(entry.value, analysis.facts.module_scope)
        for value in analysis.evaluator.name_values(entry.value, scope) or []:
            token = bearer_token(value)
            if token is not None:
                found.append((entry, token))
    return found


def safe_token_sources(analysis: Analysis, plan: ModulePlan, rule_id: str) -> None:
    """Make every read of a legacy header's token safe, and name the ones outside the code."""
    for source in legacy_token_sources(analysis):
        code = _safe_code(analysis, source)
        start, end = analysis.span(source.node)
        if code is not None and not plan.covered(start, end):
            plan.add(replace(analysis.source, source.node, rule_id, code))
        if source.kind == "env" or source.stmt is None:
            continue
        # no link: the comment's 120 characters go to naming the source (docs/rules.md has it)
        plan.todo(source.stmt, rule_id, RuleFinding(message(source), MIGRATION_DOCS))


def message(source: TokenSource) -> str:
    """What the TODO says: the source and that the new key comes from elsewhere (the comment
    shows the first clause, up to the `;`)."""
    return (
        f"{source.what}: {MARK} {API_KEY_VAR}; the legacy token read here may be left empty, "
        f"remove the read once the legacy token is revoked"
    )


def _safe_code(analysis: Analysis, source: TokenSource) -> str | None:
    node = source.node
    # the compat strategy's machinery: a native scan never imports it
    from migrate.codemod.library_swap import free_quote

    quote = free_quote(analysis, node)
    if source.kind == "env":
        if isinstance(node, ast.Subscript) and isinstance(node.ctx, ast.Load):
            return f"{analysis.text(node.value)}.get({analysis.text(node.slice)}, {quote * 2})"
        return None
    if source.keys:
        chain = source.keys if source.mapping else source.keys[:1]
        root = chain[-1].value
        code = analysis.text(root)
        for index, key in enumerate(reversed(chain)):
            last = index == len(chain) - 1
            default = quote * 2 if last else "{}"
            code += f".get({analysis.text(key.slice)}, {default})"
        return code
    if (
        source.kind == "settings"
        and isinstance(node, ast.Attribute)
        and isinstance(node.ctx, ast.Load)
    ):
        name = f"{quote}{node.attr}{quote}"
        return f"getattr({analysis.text(node.value)}, {name}, {quote * 2})"
    return None
