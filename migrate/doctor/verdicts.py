"""What `doctor` found, as data: one verdict per check, and the exit code they add up to.

Checks return verdicts; only the CLI prints them. A verdict's texts never hold a secret (the
wire redacts every credential from anything a server says before a check sees it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from migrate.errors import EXIT_CLEAN, EXIT_FINDINGS


class Status(StrEnum):
    passed = "pass"  # the check held
    failed = "fail"  # the check found something to fix (exit 1)
    untestable = "untestable"  # nothing to test it with here; `detail` says why
    not_probed = "not-probed"  # deliberately not tested (it would need a write)


@dataclass(frozen=True)
class Verdict:
    """One checked thing: what, how it came out, what was seen, and the fix when it failed."""

    check: str  # stable id: key, company, scope:users:read, assumption:legacy-money-units
    title: str  # what was checked, for people
    status: Status
    detail: str  # what was seen
    fix: str | None = None  # the one change to make, when there is one

    def as_json(self) -> dict[str, Any]:
        return {"check": self.check, "title": self.title, "status": self.status.value,
                "detail": self.detail, "fix": self.fix}


@dataclass(frozen=True)
class Checkup:
    """Every verdict of one run, in the order they were checked."""

    env: str
    new_url: str
    legacy_url: str | None
    verdicts: tuple[Verdict, ...]

    @property
    def failed(self) -> tuple[Verdict, ...]:
        return tuple(v for v in self.verdicts if v.status is Status.failed)

    @property
    def exit_code(self) -> int:
        return EXIT_FINDINGS if self.failed else EXIT_CLEAN

    def counts(self) -> dict[str, int]:
        return {status.value: sum(1 for v in self.verdicts if v.status is status)
                for status in Status}

    def as_json(self) -> dict[str, Any]:
        return {
            "environment": self.env,
            "new_url": self.new_url,
            "legacy_url": self.legacy_url,
            "ok": not self.failed,
            "counts": self.counts(),
            "checks": [v.as_json() for v in self.verdicts],
        }
