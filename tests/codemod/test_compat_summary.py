"""The compat summary counts what was routed and what is left, never "0 TODOs" for nothing."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli_runner import invoke
from tests.codemod.helpers import code

HELPER = code(
    """
    import os

    import requests

    BASE = os.environ.get("PLEO_API_URL", "https://openapi.pleo.io/v1")


    def _request(method, path, **kw):
        return requests.request(method, BASE + path, **kw)


    def teams(session):
        return session.get(BASE + "/teams").json()
    """
)


def test_the_compat_summary_counts_routed_calls_and_the_residue(tmp_path: Path) -> None:
    (tmp_path / "client.py").write_text(HELPER, encoding="utf-8")
    result = invoke(["rewrite", "--strategy", "compat", "-o", "json", str(tmp_path)])
    data = json.loads(result.stdout)
    assert data["summary"]["routed"] == 1  # requests.request in the helper
    assert data["summary"]["todos"] == 1  # the session passed in: PLM203
    text = invoke(["rewrite", "--strategy", "compat", "--check", str(tmp_path)])
    assert "1 call routed through migrate.compat, 1 TODO for manual review" in text.stderr
