"""The analysis of one module as `scan` reports it: call sites, credentials, references."""

from __future__ import annotations

import ast
import hashlib
from dataclasses import replace

from migrate.codemod.file_results import CallSite, HardcodedCredential, Reference, Todo
from migrate.codemod.find.evaluate import Base
from migrate.codemod.find.hosts import LEGACY_BASE_ONLY, MIGRATION_DOCS
from migrate.codemod.find.site import Site
from migrate.codemod.generic_helpers import left_behind_todos, other_values
from migrate.codemod.holdback import stuck_todo
from migrate.codemod.rule import Analysis, ModulePlan, RuleFinding
from migrate.codemod.rules import (
    changed_fields,
    env_names,
    hardcoded_credential,
    legacy_host,
    paging,
)
from migrate.codemod.todo import message_text
from migrate.pleo import LEGACY_NEXT_OFFSET

_FORMS = {
    "literal": "literal URL",
    "f-string": "f-string",
    "concatenation": "concatenation",
    "str.format": "str.format",
    "%-format": "%-formatting",
    "urljoin": "urljoin",
    "name": "name",
    "other": "expression",
}


def _column(analysis: Analysis, node: ast.AST) -> tuple[int, int]:
    line = node.lineno  # type: ignore[attr-defined]
    offset = analysis.source.offset(line, node.col_offset)  # type: ignore[attr-defined]
    return line, offset - analysis.source.starts[line - 1] + 1


def describe_url(site: Site) -> str:
    template = site.template
    resolution = site.resolution
    form = _FORMS.get(template.form, template.form)
    how = resolution.how
    if how == "base":
        first = template.parts[0] if template.parts else None
        origin = first.origin if isinstance(first, Base) else "a base URL"
        text = f"{form} on {origin}"
    elif how == "client base_url":
        text = f"path relative to the base_url of {site.receiver}"
    elif how == "wrapper":
        text = f"path through wrapper {site.receiver}.{site.verb}"
    elif how == "helper":
        sent = "method assumed GET" if site.method == "GET" else f"sent with {site.method}"
        text = f"path passed to {site.receiver or 'a helper'} ({sent})"
    elif how == "constant":
        text = f"{form} from a URL constant"
    else:
        text = form
    if template.via:
        text += f" (in {template.via})"
    return text


def call_sites(analysis: Analysis, plan: ModulePlan) -> tuple[CallSite, ...]:
    result = []
    seen: dict[tuple[str, str], int] = {}

    def fingerprint(line: int, label: str) -> str:
        text = analysis.source.lines[line - 1].strip()
        key = (label, text)
        seen[key] = seen.get(key, 0) + 1
        return hashlib.sha256(f"{analysis.path}|{label}|{text}|{seen[key]}".encode()).hexdigest()[
            :32
        ]

    for site in analysis.sites:
        line, column = _column(analysis, site.node)
        op = site.facts.operation if site.facts else None
        reasons = tuple(
            Todo(rule, line, message_text(finding, analysis.source), finding.docs, False)
            for rule, finding in plan.reasons.get(site, [])
        )
        label = op.id if op else (reasons[0].rule if reasons else "dynamic")
        digest = fingerprint(line, label)
        automatic = plan.automatic.get(site, False)
        helper = site.carries is not None and op is None
        callers = sum(1 for other in analysis.sites if other.helper == site.carries)
        note = changed_fields.new_shape_note(site, analysis) if automatic else None
        notes = (
            ()
            if note is None
            else (
                Todo(
                    changed_fields.RULE.id,
                    line,
                    message_text(note, analysis.source),
                    note.docs,
                    False,
                ),
            )
        )
        result.append(
            CallSite(
                path=analysis.path,
                line=line,
                col=column,
                operation=op.id if op else None,
                method=site.method,
                target=(
                    f"? (the paths of {callers} call(s) of {site.carries})"
                    if helper
                    else site.resolution.display
                ),
                url=f"request helper {site.carries}" if helper else describe_url(site),
                new=str(op.new) if op is not None and op.new is not None else None,
                automatic=automatic,
                scopes=op.scopes if op is not None else (),
                reasons=reasons,
                environment=site.resolution.environment,
                fingerprint=digest,
                status="helper" if helper else site.resolution.status,
                notes=notes,
            )
        )
    # A generic call names each operation its values reach (`generic_helpers.other_values`):
    # one more site per value, where the value is written, sharing the call's verdict.
    for site, found in zip(analysis.sites, list(result), strict=False):
        for variant, node in other_values(site, analysis, found.automatic):
            op = variant.facts.operation if variant.facts else None
            line, column = _column(analysis, node)
            result.append(replace(
                found, line=line, col=column, operation=variant.operation_id,
                method=variant.method, target=variant.resolution.display,
                url=(f"value of `{site.value_set.name}`" if site.value_set else "branch URL")
                + f" for the call at line {found.line}", new=str(op.new) if op and op.new else None,
                scopes=op.scopes if op else (), fingerprint=fingerprint(line, "value"),
                status="value", notes=(),
            ))
    def not_a_request(
        node: ast.AST,
        rule: str,
        finding: RuleFinding,
        target: str,
        url: str,
        status: str,
        operation: str | None = None,
    ) -> CallSite:
        """A manual site that is work the rewrite leaves a TODO for, not a request."""
        line, column = _column(analysis, node)
        todo = Todo(rule, line, message_text(finding, analysis.source), finding.docs, False)
        return CallSite(
            path=analysis.path,
            line=line,
            col=column,
            operation=operation,
            method=None,
            target=target,
            url=url,
            new=None,
            automatic=False,
            scopes=(),
            reasons=(todo,),
            environment=None,
            fingerprint=fingerprint(line, rule),
            status=status,
        )

    # A generic call that moves leaves each value with no new-API equivalent to a TODO where
    # the value is written (`generic_helpers.py`): work of its own, so scan reports it too.
    result.extend(
        not_a_request(
            item.node,
            item.rule,
            item.finding,
            item.variant.resolution.display,
            f"value of `{site.value_set.name}` for the call at line {site.node.lineno}",
            "value",
            item.variant.operation_id,
        )
        for site in analysis.sites
        if site.value_set is not None and plan.automatic.get(site, False)
        for item in left_behind_todos(site, analysis)
    )
    # Legacy paging whose request no call site in sight makes (a helper that is handed the
    # responses): work the rewrite leaves a PLM107 TODO for, so scan reports it too.
    result.extend(
        not_a_request(
            node,
            paging.RULE.id,
            paging.UNSEEN_REQUEST,
            f"? (reads {LEGACY_NEXT_OFFSET})",
            "legacy paging of a request made elsewhere",
            "paging",
        )
        for node in paging.unseen_requests(analysis)
    )
    # A legacy base no call here can be traced to (calls through functools.partial, a client
    # made elsewhere, getattr): the rewrite keeps it with a PLM001 TODO, so scan reports it as
    # a site whose calls are unknown rather than a file with nothing to do.
    result.extend(
        not_a_request(
            stmt,
            legacy_host.RULE.id,
            stuck_todo((), MIGRATION_DOCS),
            "? (calls not traced)",
            "legacy base URL no recognised call uses",
            "untraced",
        )
        for stmt in untraced_bases(plan)
    )
    return tuple(result)


def untraced_bases(plan: ModulePlan) -> list[ast.stmt]:
    """Statements holding a legacy host that stay because no call could be traced to them."""
    hosts = {
        stmt for (_start, _end, rule), stmt in plan.shared_at.items() if rule == legacy_host.RULE.id
    }
    return sorted(plan.untraced & hosts, key=lambda stmt: (stmt.lineno, stmt.col_offset))


def credentials(analysis: Analysis) -> tuple[HardcodedCredential, ...]:
    found = []
    for hit in hardcoded_credential.hits(analysis):
        line, column = _column(analysis, hit.node)
        found.append(
            HardcodedCredential(
                analysis.path, line, column, hit.name, hit.kind, len(hit.secret), hit.fingerprint
            )
        )
    return tuple(found)


def references(analysis: Analysis) -> tuple[Reference, ...]:
    found = []
    for string in analysis.facts.strings:
        node = string.node
        if string.prose or not isinstance(node, ast.Constant) or not isinstance(node.value, str):
            continue
        if LEGACY_BASE_ONLY.match(node.value):
            line, column = _column(analysis, node)
            found.append(Reference(analysis.path, line, column, "base URL", node.value))
    for read, new in env_names.renames(analysis):
        line, column = _column(analysis, read.node)
        found.append(
            Reference(analysis.path, line, column, "environment variable", f"{read.name} → {new}")
        )
    return tuple(sorted(found, key=lambda item: (item.line, item.col)))
