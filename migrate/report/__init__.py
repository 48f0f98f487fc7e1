"""Migration reports: one self-contained HTML page and report.json, from a scan and/or a
shadow run. `build()` returns the data; `write()` puts both files in place atomically.

Inside: inputs (read and check the scan and the shadow run), sections/ (one module per
section), scrub (secrets out), assemble (report.json), charts and render (the HTML).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from migrate.errors import ConfigurationError, UsageError
from migrate.mapping import Catalogue
from migrate.pleo import SECRET_VARIABLES
from migrate.report.assemble import build_report
from migrate.report.charts import chart_rows
from migrate.report.inputs import read_scan, read_shadow_run
from migrate.report.render import render_html
from migrate.shadow import OUTCOMES

__all__ = ["ReportFiles", "build", "write"]


@dataclass(frozen=True)
class ReportFiles:
    html: Path
    json: Path


def _now() -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), UTC)
    return datetime.now(UTC)


def build(
    catalogue: Catalogue,
    *,
    scan: Path | None,
    shadow: Path | None,
    timeline: dict[str, Any] | None = None,
    secrets: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The report's data from whichever inputs were given (at least one)."""
    if scan is None and shadow is None:
        raise UsageError("give --scan (a scan JSON), --shadow (a shadow-run folder), or both")
    now = _now()
    known_secrets = (*secrets, *(os.environ.get(name, "") for name in SECRET_VARIABLES))
    scan_document = read_scan(scan) if scan is not None else None
    run = read_shadow_run(shadow) if shadow is not None else None
    return build_report(
        catalogue,
        scan=scan_document,
        shadow_summary=run.summary if run is not None else None,
        shadow_results=run.results() if run is not None else None,
        timeline=timeline or {},
        secrets=known_secrets,
        today=date(now.year, now.month, now.day),
        generated_at=now.strftime("%Y-%m-%dT%H:%M:%SZ"),
        sources={"scan": str(scan) if scan else None, "shadow": str(shadow) if shadow else None},
    )


# Per-site rows the HTML page shows; past it they are folded into "N more" (report.json keeps
# every one, and every total stays exact). A 200,000-site scan otherwise made a 73 MB page.
HTML_SITE_ROWS = 2000


def write(report: dict[str, Any], out: Path) -> ReportFiles:
    """index.html and report.json in `out`, each written whole or not at all."""
    shown = _folded(report, HTML_SITE_ROWS)
    html = render_html({"report": shown, "charts": chart_rows(shown), "outcomes": OUTCOMES})
    files = ReportFiles(out / "index.html", out / "report.json")
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigurationError(f"cannot create {out}: {exc.strerror}") from None
    _atomic(files.json, json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    _atomic(files.html, html)
    return files


def _folded(report: dict[str, Any], limit: int) -> dict[str, Any]:
    """The report as the HTML page shows it: at most `limit` call-site rows and credential
    lines, the rest counted; totals are untouched."""
    code = report.get("code")
    if not isinstance(code, dict):
        return report
    files: list[dict[str, Any]] = code.get("files") or []
    kept: list[dict[str, Any]] = []
    room = limit
    for item in files:
        if room <= 0:
            break
        sites = item.get("sites") or []
        kept.append({**item, "sites": sites[:room]} if len(sites) > room else item)
        room -= min(room, len(sites))
    shown_sites = sum(len(item.get("sites") or []) for item in kept)
    total_sites = sum(len(item.get("sites") or []) for item in files)
    credentials = code.get("credentials") or []
    if shown_sites == total_sites and len(credentials) <= limit:
        return report
    folded = {
        **code,
        "files": kept,
        "file_count": len(files),
        "hidden_sites": total_sites - shown_sites,
        "hidden_files": len(files) - len(kept),
        "credentials": credentials[:limit],
        "hidden_credentials": max(0, len(credentials) - limit),
    }
    return {**report, "code": folded}


def _atomic(path: Path, text: str) -> None:
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
        os.fchmod(fd, 0o644)  # a report is meant to be shared; it holds no secrets
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(temporary, path)
    except OSError as exc:
        raise ConfigurationError(f"cannot write {path}: {exc.strerror}") from None
