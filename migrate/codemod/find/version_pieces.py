"""A legacy version written apart from a host-only base, in the URL itself:
`ROOT + "/" + VERSION + "/expenses"`, `f"{ROOT}/{VERSION}/expenses"`,
`"%s/%s/accounts" % (ROOT, VERSION)`, `"{}/{}/accounts".format(ROOT, VERSION)` with
`ROOT = "https://openapi.pleo.io"` and `VERSION = "v1"`.

The version pieces belong to the base, not to the path: PLM001 moves the host literal
(`https://external.pleo.io`, no version), and the call's rebuilt URL leaves the version pieces
out, since every new path carries its own version (`ROOT + "/v1/accounting-entries:search"`).
"""

from __future__ import annotations

from migrate import pleo
from migrate.codemod.find.evaluate import Base, Hole, Part, Text
from migrate.codemod.find.hosts import LEGACY_BASE_ONLY


def version_lead(first: Base, rest: list[Part]) -> int:
    """How many of the parts after a host-only legacy base spell its `/v1` with a value
    written apart (a name whose value is `"v1"`); 0 when they do not."""
    found = LEGACY_BASE_ONLY.match(first.value or "")
    if found is None or found["v1"] or found["slash"]:
        return 0
    text = ""
    apart = False
    for count, part in enumerate(rest, start=1):
        if isinstance(part, Text):
            text += part.value
            apart = apart or not part.own
        elif isinstance(part, Hole) and part.value is not None:
            text += part.value
            apart = True
        else:
            return 0
        if not pleo.LEGACY_BASE_PATH.startswith(text):
            return 0
        if text == pleo.LEGACY_BASE_PATH:
            after = rest[count] if count < len(rest) else None
            fits = after is None or (isinstance(after, Text) and after.value[:1] in "/?")
            return count if apart and fits else 0
    return 0
