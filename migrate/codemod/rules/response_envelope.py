"""PLM108: a response body the codemod cannot follow, when its envelope changes.

Legacy lists sit under a resource key (`{"employees": [...]}`) or are bare; the new API puts
everything under `data`. The rewrite (PLM007) renames the key where the body is read right
there (`r.json()["employees"]`, `body = r.json(); body["employees"]`, `.get("employees")`),
and wraps bare bodies (`r.json()` → `r.json()["data"]`). A keyed body that is passed on,
returned, iterated or read through `.text` cannot be followed and is flagged. The results of
an async helper fanned out with `asyncio.gather` are its bodies, read where the gathered list
is iterated or unpacked (`find.responses`); a gathered list returned whole
(`return list(await gather(*tasks))`) gets each bare body's envelope there, and any other
gathered list handed on is flagged.
"""

from __future__ import annotations

from migrate.codemod.find.site import Site
from migrate.codemod.rule import Analysis, Rule, RuleFinding
from migrate.codemod.rulekit import docs

RULE = Rule(
    "PLM108",
    "response_envelope",
    "native",
    "review",
    "Flag response bodies whose envelope changes but which are not read right where the call "
    "is made (passed on, returned, read as text).",
)


def review(site: Site, analysis: Analysis) -> RuleFinding | None:
    op = site.facts.operation if site.facts else None
    if op is None or op.response is None or not site.response.used:
        return None
    legacy, new = op.response.legacy, op.response.new
    if legacy.empty or legacy.key == new.key:
        return None
    where = f"`{new.key}`" if new.key else "the top level"
    was = f"`{legacy.key}`" if legacy.key else "the top level"
    response = site.response
    if legacy.key is None:
        raw = [escape for escape in response.escapes if "read as" in escape]
        if raw:
            return RuleFinding(f"{raw[0]}; the payload moves from {was} to {where}", docs(site))
        if not response.json_calls and not (response.handed and not legacy.many):
            why = response.escapes[0] if response.escapes else "the response is passed on"
            if response.handed:
                why = "the gathered list of lists is handed on"
            return RuleFinding(f"{why}; the payload moves from {was} to {where}", docs(site))
        return None
    if response.handed:
        return RuleFinding(
            f"the gathered bodies are handed on; the records move from {was} to {where}",
            docs(site),
        )
    if response.escapes:
        return RuleFinding(
            f"{response.escapes[0]}; the records move from {was} to {where}", docs(site)
        )
    for read in response.reads:
        if read.key not in (legacy.key, "metadata"):
            return RuleFinding(
                f"reads `{read.key}` from a body that has only {was} and metadata", docs(site)
            )
    return None
