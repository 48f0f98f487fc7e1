"""PLM112: a call to an endpoint the legacy API never had is flagged as such.

The legacy API's endpoints are known (`specs/legacy/`; the catalogue covers each, which a
conformance test checks), so a call on a legacy host whose method and path match none of its
operations (`GET /cards`, `GET /reports`, `PATCH /expenses/{id}`) never worked: there is
nothing to migrate. Saying "not in the catalogue" or "chosen at run time" would send the
reader looking for a mapping that does not exist. A path with a run-time part counts only
when that part fills a whole segment after a literal first one (`/expenses/{id}`).
"""

from __future__ import annotations

from migrate.codemod.find.evaluate import Hole, Part, Text
from migrate.codemod.find.hosts import MIGRATION_DOCS
from migrate.codemod.find.site import TOKEN, TOKEN_PATTERN, Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.mapping import LEGACY_BASE_PATH

RULE = Rule(
    "PLM112",
    "invented_endpoint",
    "native",
    "review",
    "Flag calls to endpoints the legacy API never had (no operation of the catalogue matches "
    "their method and path): remove them or map them by hand.",
)
SAMPLE = "x"  # stands for a run-time path segment when matching against the catalogue


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    path = invented_path(site, analysis)
    if path is None:
        return None
    return RuleFinding(
        f"{site.method} {LEGACY_BASE_PATH}{path} is not a legacy Pleo endpoint: remove the call "
        "or map it by hand",
        MIGRATION_DOCS,
        terminal=True,
    )


def invented_path(site: Site, analysis: Analysis) -> str | None:
    """The normalised path (`/expenses/{id}`) of a call no legacy operation matches, if so."""
    resolution = site.resolution
    if site.method is None or resolution.status not in ("unknown-path", "dynamic"):
        return None
    path = _normalised(resolution.path)
    if path is None:
        return None
    segments = path.strip("/").split("/")
    whole = all(TOKEN_PATTERN.fullmatch(s) or not TOKEN_PATTERN.search(s) for s in segments)
    if resolution.tokens and (TOKEN_PATTERN.search(segments[0]) or not whole):
        return None  # a run-time part inside a segment or in the first one: PLM101's
    concrete = TOKEN_PATTERN.sub(SAMPLE, path)
    if analysis.index.is_legacy_endpoint(site.method, concrete):
        return None
    return TOKEN_PATTERN.sub("{id}", path)


def _normalised(parts: list[Part]) -> str | None:
    chunks: list[str] = []
    tokens = 0
    for part in parts:
        known = part.value if isinstance(part, Text | Hole) else None
        if known is not None:
            chunks.append(known)
        else:
            chunks.append(TOKEN.format(tokens))
            tokens += 1
    path = "/" + "".join(chunks).lstrip("/")
    if path == LEGACY_BASE_PATH or path.startswith(LEGACY_BASE_PATH + "/"):
        path = path[len(LEGACY_BASE_PATH) :] or "/"
    return path if path != "/" else None
