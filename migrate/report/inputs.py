"""Reads what the report is built from: a scan JSON and a shadow-run folder.

Malformed or missing inputs become ConfigurationErrors naming the file; results.jsonl is
streamed, so a run of any size is read in constant memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from migrate.errors import ConfigurationError

SUMMARY_FILE = "summary.json"
RESULTS_FILE = "results.jsonl"


def read_json(path: Path, what: str) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigurationError(f"no {what} at {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read the {what} {path}: {exc}") from None
    try:
        return json.loads(text)
    except ValueError as exc:
        raise ConfigurationError(f"the {what} {path} is not valid JSON: {exc}") from None


def read_scan(path: Path) -> dict[str, Any]:
    document = read_json(path, "scan")
    if not isinstance(document, dict):
        raise ConfigurationError(f"the scan {path} is not a pleo-migrate scan (not an object)")
    return document


def read_shadow_summary(folder: Path) -> dict[str, Any]:
    if not folder.is_dir():
        raise ConfigurationError(f"no shadow-run folder at {folder}")
    document = read_json(folder / SUMMARY_FILE, "shadow summary")
    if not isinstance(document, dict) or not isinstance(document.get("operations"), list):
        raise ConfigurationError(
            f"{folder / SUMMARY_FILE} is not a pleo-migrate shadow summary (no operations)"
        )
    return document


def iter_shadow_results(folder: Path) -> Iterator[dict[str, Any]]:
    """Each line of results.jsonl; a broken line is skipped (a truncated run still reports)."""
    path = folder / RESULTS_FILE
    if not path.exists():
        return
    try:
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                if isinstance(item, dict):
                    yield item
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}") from None
