"""Every error pleo-migrate raises on purpose, so the CLI can map each to a message and exit code.

    PleoMigrateError                 base; `exit_code` tells the CLI what to return
    ├── UsageError                   bad flags or arguments (exit 2)
    ├── ConfigurationError           bad settings or files the user gave us (exit 2)
    │   └── CatalogueError           an invalid mapping file: file:line, operation id, field path
    ├── SafetyRefusal                we refuse to do something unsafe (exit 2)
    └── ConversionError              a value cannot be converted between legacy and new (exit 1)
        └── AssumptionViolation      both sides of a record contradict an assumption (exit 1)

Anything else that escapes is a bug: the CLI reports it as an internal error (exit 123).
"""

from __future__ import annotations

EXIT_CLEAN = 0
EXIT_FINDINGS = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 123


class PleoMigrateError(Exception):
    """Base of all expected errors; carries the exit code the CLI should use."""

    exit_code = EXIT_USAGE


class UsageError(PleoMigrateError):
    """The command line asked for something that does not exist or does not fit."""


class ConfigurationError(PleoMigrateError):
    """A setting, file or environment value given by the user is wrong."""


class CatalogueError(ConfigurationError):
    """An invalid mapping catalogue, located as precisely as we can.

    The message reads `file:line: operation-id: field.path: what is wrong` with the parts
    we do not know left out, so one line tells the user where to look.
    """

    def __init__(
        self,
        problem: str,
        *,
        file: str | None = None,
        line: int | None = None,
        operation: str | None = None,
        field: str | None = None,
    ) -> None:
        self.problem = problem
        self.file = file
        self.line = line
        self.operation = operation
        self.field = field
        super().__init__(self.one_line())

    def one_line(self) -> str:
        where = ""
        if self.file:
            where = f"{self.file}:{self.line}" if self.line else self.file
        parts = [p for p in (where, self.operation, self.field) if p]
        return ": ".join([*parts, self.problem])


class SafetyRefusal(PleoMigrateError):
    """A request that would break a safety rule (mixing environments, leaking a secret, …)."""


class ConversionError(PleoMigrateError):
    """A value cannot be converted (an unknown enum value, a currency without an exponent, …)."""

    exit_code = EXIT_FINDINGS


class AssumptionViolation(ConversionError):
    """Both sides of one record contradict an assumption of `mappings/assumptions.yaml`.

    E.g. a legacy amount that equals the new amount in minor units while the catalogue says
    legacy amounts are major units: the setting is wrong, not the record. `assumption` names
    the assumption's id, so a report can say which line of assumptions.yaml to change.
    """

    def __init__(self, assumption: str, message: str) -> None:
        self.assumption = assumption
        super().__init__(message)
