"""PLM010: hard-coded credentials are reported, and Pleo ones replaced by an environment lookup.

What counts as a credential (documented in README.md): a string literal assigned to a
variable or attribute, passed as a keyword, or stored under a dict key whose name contains
token, api_key/apikey, secret, password/passwd or credential, or has a word auth, oauth,
auth… (not author…) or authorization; or the token of a literal `"Bearer …"` Authorization
header. The value must look like a secret: at least 16 characters, no whitespace, not a URL,
path or e-mail address, not an UPPER_CASE name or snake_case words, no placeholder words
(your, example, changeme, placeholder, dummy, redacted, xxx, <…>, {…}), and at least two
kinds of characters (lower case, upper case, digits, punctuation).

Replaced (by `os.environ["PLEO_API_KEY"]`) when it is Pleo's: the name mentions Pleo or the
legacy token, or it is a Bearer header literal. Every finding is reported by `scan` with its
length and a short digest, never the value.
"""

from __future__ import annotations

import ast
import hashlib
import re
from dataclasses import dataclass

from migrate.codemod.rule import Analysis, ModulePlan, Rule
from migrate.codemod.text.edits import replace
from migrate.pleo import API_KEY_VAR

ENV_CODE = f'os.environ["{API_KEY_VAR}"]'  # what a Pleo credential literal becomes

RULE = Rule(
    "PLM010",
    "hardcoded_credential",
    "native",
    "rewrite",
    "Replace hard-coded Pleo credentials (token literals, Bearer header literals) with "
    f"{ENV_CODE}; every hard-coded credential is reported.",
)

# Matched against a name's words ("auth_token" → auth, token), so that `author_email`,
# `AUTHORIZED` or `CONSOLEAUTH` are not credentials while `auth`, `oauth_key` and `token` are.
_CREDENTIAL_WORDS = re.compile(r"token|api_?key|secret|passw(or)?d|credential")
_AUTH_WORD = re.compile(r"o?auth(?!or)[a-z]*|authorization")
_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[A-Za-z]{2,}")
PLACEHOLDERS = ("your", "example", "changeme", "placeholder", "dummy", "redacted", "xxx", "...")
_UPPER_NAME = re.compile(r"[A-Z0-9_]+")
_SNAKE_WORDS = re.compile(r"[a-z]+(_[a-z]+)+")


@dataclass(frozen=True)
class Hit:
    node: ast.Constant
    name: str
    kind: str  # assignment, keyword, dict entry, bearer header
    secret: str
    pleo: bool

    @property
    def fingerprint(self) -> str:
        return hashlib.sha256(self.secret.encode()).hexdigest()[:12]


def credential_name(name: str) -> bool:
    """True when a variable, attribute, keyword or key name says it holds a credential."""
    words = [word.lower() for word in _WORDS.findall(name)]
    if _CREDENTIAL_WORDS.search("_".join(words)):
        return True
    return any(_AUTH_WORD.fullmatch(word) for word in words)


def looks_secret(value: str) -> bool:
    if len(value) < 16 or any(char.isspace() for char in value):
        return False
    if _EMAIL.fullmatch(value):  # an address, as in setup.py's author_email
        return False
    lowered = value.lower()
    if "://" in value or value.startswith(("/", "$", "%", ".")):
        return False
    if _UPPER_NAME.fullmatch(value) or _SNAKE_WORDS.fullmatch(value):
        return False
    if any(word in lowered for word in PLACEHOLDERS) or any(c in value for c in "<>{}"):
        return False
    kinds = [
        any(c.islower() for c in value),
        any(c.isupper() for c in value),
        any(c.isdigit() for c in value),
        any(not c.isalnum() for c in value),
    ]
    return sum(kinds) >= 2


def hits(analysis: Analysis) -> list[Hit]:
    found: list[Hit] = []
    seen: set[ast.Constant] = set()

    def add(node: ast.Constant, name: str, kind: str, secret: str, pleo: bool) -> None:
        if node not in seen:
            seen.add(node)
            found.append(Hit(node, name, kind, secret, pleo))

    for name, node, _stmt in analysis.facts.str_assigns:
        secret = node.value
        if credential_name(name) and isinstance(secret, str) and looks_secret(secret):
            add(node, name, "assignment", secret, _mentions_pleo(name))
    for entry in analysis.facts.entries:
        value = entry.value
        if not (isinstance(value, ast.Constant) and isinstance(value.value, str)):
            continue
        text = value.value
        if entry.key.lower() == "authorization":
            scheme, _, secret = text.partition(" ")
            if scheme.lower() == "bearer" and looks_secret(secret):
                add(value, entry.key, "bearer header", secret, True)
            continue
        if credential_name(entry.key) and looks_secret(text):
            kind = "keyword" if entry.kind == "keyword" else "dict entry"
            add(value, entry.key, kind, text, _mentions_pleo(entry.key))
    return found


def _mentions_pleo(name: str) -> bool:
    lowered = name.lower()
    return "pleo" in lowered or "legacy" in lowered


def rewrite(analysis: Analysis, plan: ModulePlan) -> None:
    for hit in hits(analysis):
        if not hit.pleo:
            continue
        plan.need_import("os")
        if hit.kind == "bearer header":
            plan.need_import("base64")
            plan.add(
                replace(
                    analysis.source,
                    hit.node,
                    RULE.id,
                    f'"Basic " + base64.b64encode(({ENV_CODE} + ":").encode()).decode()',
                )
            )
        else:
            plan.add(replace(analysis.source, hit.node, RULE.id, ENV_CODE))
