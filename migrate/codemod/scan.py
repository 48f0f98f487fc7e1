"""The inventory `scan` prints: every legacy call site, the minimum API-key scopes, credentials.

Its JSON form is a contract: `scan.schema.json` beside this module describes it, and
`shadow --from-scan` and `report --scan` read it only through that schema (migrate/contracts.py).
Bump SCHEMA_VERSION when a listed key changes meaning or goes away.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from migrate.codemod.file_results import (
    NON_PYTHON,
    CallSite,
    FileResult,
    HardcodedCredential,
    Reference,
    RunResult,
)

SCHEMA_VERSION = 1
PAGING = "paging"  # the status of a site that is legacy paging, not a request
# Sites that are not requests of unknown path: legacy paging of a request made elsewhere, and a
# request helper's own call (its callers are the sites, each with its operation).
NOT_REQUESTS = frozenset({PAGING, "helper"})


@dataclass(frozen=True)
class Inventory:
    sites: tuple[CallSite, ...]
    credentials: tuple[HardcodedCredential, ...]
    references: tuple[Reference, ...]
    problems: tuple[FileResult, ...]  # failed and skipped files
    scopes: tuple[str, ...]  # the minimum set the new API key needs for the resolved calls
    unresolved: int  # call sites whose operation is unknown (they may need more scopes)
    # (legacy paging read for a request made elsewhere is not one: that request is a site)
    examined: int

    @property
    def automatic(self) -> int:
        return sum(1 for site in self.sites if site.automatic)

    @property
    def manual(self) -> int:
        return len(self.sites) - self.automatic

    @property
    def non_python(self) -> tuple[Reference, ...]:
        """Legacy hosts spelt in files that are not Python (the proxy's work, not the codemod's)."""
        return tuple(ref for ref in self.references if ref.kind == NON_PYTHON)

    @property
    def non_python_files(self) -> int:
        return len({ref.path for ref in self.non_python})

    @property
    def failed(self) -> int:
        return sum(1 for item in self.problems if item.status == "failed")

    @property
    def newer(self) -> int:
        """Files skipped because their syntax needs a newer Python than the one running."""
        return sum(1 for item in self.problems if item.unread and item.status == "skipped")


def inventory(result: RunResult, examined: int) -> Inventory:
    sites = result.sites
    scopes: list[str] = []
    if sites:  # the catalogue's package is imported only when there is something to scope
        from migrate.mapping import minimum_scopes

        scopes = list(
            minimum_scopes({site.operation: site.scopes for site in sites if site.operation})
        )
    return Inventory(
        sites=sites,
        credentials=result.credentials,
        references=tuple(ref for item in result.files for ref in item.references),
        problems=tuple(item for item in result.files if item.status in ("failed", "skipped")),
        scopes=tuple(scopes),
        unresolved=sum(
            1 for site in sites if site.operation is None and site.status not in NOT_REQUESTS
        ),
        examined=examined,
    )


def as_json(found: Inventory) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "summary": {
            "files": found.examined,
            "call_sites": len(found.sites),
            "automatic": found.automatic,
            "manual": found.manual,
            "unresolved": found.unresolved,
            "credentials": len(found.credentials),
            "failed": found.failed,
            "non_python_references": len(found.non_python),
            "non_python_files": found.non_python_files,
        },
        "scopes": list(found.scopes),
        "call_sites": [_site(site) for site in found.sites],
        "credentials": [asdict(item) for item in found.credentials],
        "references": [asdict(item) for item in found.references],
        "problems": [
            {"path": item.path, "line": item.line, "status": item.status, "reason": item.reason}
            for item in found.problems
        ],
    }


def _site(site: CallSite) -> dict[str, Any]:
    data = asdict(site)
    data["operation"] = site.operation
    data["label"] = site.label
    data["reasons"] = [
        {"rule": todo.rule, "message": todo.message, "docs": todo.docs} for todo in site.reasons
    ]
    data["notes"] = [
        {"rule": todo.rule, "message": todo.message, "docs": todo.docs} for todo in site.notes
    ]
    return data
