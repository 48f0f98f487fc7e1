"""Reads what the report is built from, through the tools' contracts: a scan JSON and a
shadow-run folder (summary.json and results.jsonl).

The scan and the summary are checked against their JSON Schemas (migrate/contracts.py), so a
SARIF file or any other JSON is refused; results.jsonl lines must carry the summary's run id,
so a folder holding two runs' files is refused too. Every refusal is a ConfigurationError
naming the file. results.jsonl is streamed: a run of any size is read in constant memory.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from migrate.contracts import SCAN, SHADOW_SUMMARY, ContractError, read_document
from migrate.errors import ConfigurationError
from migrate.shadow import RESULTS_FILE, SUMMARY_FILE


@dataclass(frozen=True)
class ShadowRun:
    """One shadow-run folder: its checked summary, and its results to stream."""

    folder: Path
    summary: Mapping[str, Any]

    @property
    def run_id(self) -> str:
        return str(self.summary["run_id"])

    def results(self) -> Iterator[dict[str, Any]]:
        return iter_shadow_results(self.folder, self.run_id)


def read_scan(path: Path) -> dict[str, Any]:
    return _shallow(lambda: read_document(path, SCAN), path)


def read_shadow_run(folder: Path) -> ShadowRun:
    if not folder.is_dir():
        raise ConfigurationError(f"no shadow-run folder at {folder}")
    summary = folder / SUMMARY_FILE
    return ShadowRun(folder, _shallow(lambda: read_document(summary, SHADOW_SUMMARY), summary))


def _shallow(read: Callable[[], dict[str, Any]], path: Path) -> dict[str, Any]:
    """`read()`, with JSON nested past Python's recursion limit refused as bad input."""
    try:
        return read()
    except RecursionError:
        raise ContractError(f"{path}: JSON nested too deeply to be a pleo-migrate document") \
            from None


def iter_shadow_results(folder: Path, run_id: str) -> Iterator[dict[str, Any]]:
    """Each line of results.jsonl, all from run `run_id`; a broken line is skipped (a
    truncated run still reports), a line of another run is refused."""
    path = folder / RESULTS_FILE
    if not path.exists():
        return
    try:
        with path.open(encoding="utf-8") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    item = json.loads(line)
                except ValueError:
                    continue
                except RecursionError:
                    raise ContractError(
                        f"{path}:{number}: JSON nested too deeply to be a result line"
                    ) from None
                if isinstance(item, dict):
                    _same_run(item, run_id, f"{path}:{number}")
                    yield item
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigurationError(f"cannot read {path}: {exc}") from None


def _same_run(item: Mapping[str, Any], run_id: str, where: str) -> None:
    found = item.get("run_id")
    if found != run_id:
        whose = "carries no run id" if found is None else f"is from run {found!r}"
        raise ContractError(
            f"{where} {whose}, but {SUMMARY_FILE} is from run {run_id!r}: the folder mixes "
            "two runs' files; run the shadow again into an empty folder"
        )
