"""The package's loggers, quiet unless the application configures logging.

A library must not print through Python's last-resort handler, so the `migrate` logger gets a
NullHandler. That is done here, by the modules that log, rather than in `migrate/__init__.py`:
importing `logging` costs several milliseconds that `pleo-migrate scan` and `--version` would
pay for nothing.
"""

from __future__ import annotations

import logging

logging.getLogger("migrate").addHandler(logging.NullHandler())


def logger(name: str) -> logging.Logger:
    """`logging.getLogger(name)`, once the package's NullHandler is in place."""
    return logging.getLogger(name)
