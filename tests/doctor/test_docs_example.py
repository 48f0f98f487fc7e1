"""The `doctor` example of docs/real-hosts.md runs as shown, even while that page as a whole
waits for the catalogue corrections (its shadow example; see tests/docs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.docs.test_doc_commands import REPO, PageRun, Simulators

pytestmark = pytest.mark.slow


def test_the_real_hosts_doctor_block_runs_as_shown(tmp_path: Path) -> None:
    text = (REPO / "docs" / "real-hosts.md").read_text(encoding="utf-8")
    section = text[text.index("## First: `pleo-migrate doctor`"):text.index("## Credentials")]
    start = section.index("```console real-hosts")
    block = section[start:section.index("```\n", start + 3) + 4]
    assert "$ pleo-migrate doctor" in block
    page = tmp_path / "page.md"
    page.write_text(block, encoding="utf-8")
    simulators = Simulators(tmp_path / "simulators")
    (tmp_path / "simulators").mkdir()
    folder = tmp_path / "run"
    folder.mkdir()
    try:
        PageRun(page, folder, simulators).run()
    finally:
        simulators.close()
