"""How a parity run reports progress while it works: a protocol, and the silent default.

The CLI draws progress bars on a terminal; tests, benchmarks and pipes use `NoProgress`.
"""

from __future__ import annotations

from typing import Protocol

from migrate.shadow.results import OperationTally


class Progress(Protocol):
    def start(self, operation: str) -> None: ...
    def advance(self, operation: str, records: int) -> None: ...
    def done(self, operation: str, tally: OperationTally) -> None: ...


class NoProgress:
    """Progress that shows nothing."""

    def start(self, operation: str) -> None:
        pass

    def advance(self, operation: str, records: int) -> None:
        pass

    def done(self, operation: str, tally: OperationTally) -> None:
        pass
