"""The ERP sync example (examples/erp_sync): what scan says, and both rewrites of it.

The behaviour-parity runs against the simulators come with the compat layer; these tests pin
down the static side they rely on: which calls are automatic, TODOs exactly where scan says
manual, and outputs that compile, keep their line endings and are stable on a second run.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli_runner import invoke
from tests.codemod.helpers import FIXTURE_MAPPINGS, drop_method

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "erp_sync"


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    target = tmp_path / "erp_sync"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def _scan(folder: Path, *extra: str) -> list[dict[str, object]]:
    result = invoke(["scan", "-o", "json", *extra, str(folder)])
    assert result.exit_code == 1, result.stderr
    sites: list[dict[str, object]] = json.loads(result.stdout)["call_sites"]
    return sites


def test_scan_finds_every_kind_of_call(copy: Path) -> None:
    sites = _scan(copy, "--mappings", FIXTURE_MAPPINGS)
    found = {(Path(str(s["path"])).name, s["label"], s["automatic"]) for s in sites}
    assert found == {
        ("client.py", "dynamic path", False),
        # each waits for the base and session the public `get(path)` keeps on the legacy API
        ("client.py", "employees.list", False),
        ("client.py", "accounts.list", False),
        ("client.py", "expenses.get", False),
        ("paging.py", "legacy paging", False),  # the helper's loop: no call in sight
        ("sync.py", "tag-groups.list", False),
        ("sync.py", "tax-codes.list", False),
        ("sync.py", "expenses.list", False),
        ("sync.py", "companies.balance", False),
    }


def test_native_todos_exactly_where_scan_says_manual(copy: Path) -> None:
    sites = _scan(copy, "--mappings", FIXTURE_MAPPINGS)
    manual = set()
    for site in sites:
        lines = Path(str(site["path"])).read_text(encoding="utf-8").splitlines()
        if not site["automatic"]:
            manual.add((Path(str(site["path"])).name, lines[int(str(site["line"])) - 1].strip()))
    result = invoke(
        ["rewrite", "--write", "--allow-dirty", "--mappings", FIXTURE_MAPPINGS, str(copy)]
    )
    assert result.exit_code == 0, result.stderr
    below_todos = set()
    for path in copy.glob("*.py"):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines[:-1]):
            if line.strip().startswith("# TODO[pleo-migrate"):
                below_todos.add((path.name, lines[number + 1].strip()))
    host_note = ("client.py", 'DEFAULT_BASE_URL = "https://openapi.pleo.io/v1"')  # kept, and why
    # the base read from the environment (PLM001 wraps it in `_pleo_new_base`) stays with it
    read_note = ("client.py", 'self.base_url = base_url or os.environ.get("PLEO_LEGACY_URL", '
                 "DEFAULT_BASE_URL)")
    # the host stays while client.get(path) is manual; the paging helper is a manual site
    assert below_todos == manual | {host_note, read_note}


def test_native_rewrite_keeps_the_crlf_file_crlf(copy: Path) -> None:
    result = invoke(
        ["rewrite", "--write", "--allow-dirty", "--mappings", FIXTURE_MAPPINGS, str(copy)]
    )
    assert result.exit_code == 0
    raw = (copy / "paging.py").read_bytes()
    assert b"# TODO[pleo-migrate PLM107]" in raw
    assert raw.count(b"\r\n") == raw.count(b"\n")  # every line still ends with CRLF


@pytest.mark.parametrize("strategy", ["native", "compat"])
@pytest.mark.parametrize("catalogue", ["fixture", "shipped"])
def test_both_rewrites_compile_and_a_second_run_changes_nothing(
    copy: Path, strategy: str, catalogue: str
) -> None:
    flags = ["--mappings", FIXTURE_MAPPINGS] if catalogue == "fixture" else []
    first = invoke(
        ["rewrite", "--write", "--allow-dirty", "--strategy", strategy, *flags, str(copy)]
    )
    assert first.exit_code == 0, first.stderr
    for path in copy.glob("*.py"):
        compile(path.read_bytes(), str(path), "exec")
    second = invoke(["rewrite", "--check", "--strategy", strategy, *flags, str(copy)])
    assert second.exit_code == 0, second.stdout + second.stderr


def test_native_rewrite_of_the_client(copy: Path) -> None:
    """`client.get(path)` is a dynamic path (manual) on the same base and session as the
    automatic calls: moving the host or the auth would break it, so the module moves whole or
    not at all; every automatic call of it would otherwise be rewritten (see test_patterns)."""
    original = (copy / "client.py").read_text(encoding="utf-8")
    invoke(["rewrite", "--write", "--allow-dirty", "--mappings", FIXTURE_MAPPINGS, str(copy)])
    client = (copy / "client.py").read_text(encoding="utf-8")
    kept = [line for line in client.splitlines() if "TODO[pleo-migrate" not in line]
    assert kept == original.splitlines()
    assert "# TODO[pleo-migrate PLM001]: unchanged while line" in client
    without_generic_get = drop_method(original, "get")
    (copy / "client.py").write_text(without_generic_get, encoding="utf-8")
    invoke(["rewrite", "--write", "--allow-dirty", "--mappings", FIXTURE_MAPPINGS, str(copy)])
    client = (copy / "client.py").read_text(encoding="utf-8")
    for expected in (
        'DEFAULT_BASE_URL = "https://external.pleo.io"',
        '_pleo_new_base(os.environ.get("PLEO_NEW_API_URL") or '
        'os.environ.get("PLEO_LEGACY_URL", DEFAULT_BASE_URL))',
        'os.environ["PLEO_API_KEY"]',
        '"Basic " + base64.b64encode((token + ":").encode()).decode()',
        'f"{self.base_url}/v2/employees"',
        '"after": offset, "companyId": os.environ["PLEO_COMPANY_ID"]',
        'page["pagination"]["endCursor"] if page["pagination"]["hasNextPage"] else None',
        "self.session.post(",
        '"excludeIfAssignedToCategory": False',
        'return response.json()["data"]',
    ):
        assert expected in client, expected
    # only notes that records leave in the new shape (the client's methods hand them to sync)
    todos = [line.strip() for line in client.splitlines() if "TODO[pleo-migrate" in line]
    assert todos and all(
        line.startswith("# TODO[pleo-migrate PLM109]: ") and "returns new-API records" in line
        for line in todos
    ), todos


def test_compat_rewrite_routes_the_session(copy: Path) -> None:
    invoke(["rewrite", "--write", "--allow-dirty", "--strategy", "compat", str(copy)])
    client = (copy / "client.py").read_text(encoding="utf-8")
    assert "self.session = requests.Session()" in client  # the compat twin's Session
    assert "from migrate.compat import pleo_requests as requests" in client
    assert "\nimport requests\n" not in client
    assert 'f"{self.base_url}/employees"' in client  # paths and shapes stay
