"""How fast the codemod looks at a large repository, against the tools people would compare.

Generates (under a temporary folder) a repository of 20,000 Python modules of which 1 % call
the legacy API, in the shapes the codemod has to handle, then prints in one run:

1. our `scan` ÷ `grep -rl openapi.pleo.io` over the same tree      (target ≤ 3)
2. our `scan` ÷ parsing every file with libcst                      (target ≤ 0.2)
3. `--jobs 1` ÷ `--jobs 2` on a tree where every file calls the legacy API (target ≥ 1.6)

Our times are measured in-process (`migrate.codemod.run`, the function `pleo-migrate scan`
calls, with `--jobs` one per CPU as the CLI's default), after the interpreter and the
catalogue are loaded; `grep` runs as a process. grep and scan are timed alternately and each
figure is the best of several runs, with the file cache warmed first, so that a busy
neighbour on a shared machine does not decide the ratio. The libcst baseline parses every
file once, spread over as many processes as the scan uses. Needs two cores; about a minute.
"""

from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import libcst

from migrate.codemod import Job, catalogue_index, run, select

FILES = 20_000
LEGACY_SHARE = 0.01
ALL_LEGACY_FILES = 1000
ROUNDS = 7
RNG = random.Random(20261127)

PLAIN_MODULE = '''"""{title} helpers for the order pipeline."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from pathlib import Path

LOG = logging.getLogger(__name__)
LIMIT = {limit}


@dataclass
class {name}:
    """A {title} record read from disk."""

    identifier: str
    quantity: int = 0
    tags: list[str] = field(default_factory=list)

    def weight(self, factor: float = 1.0) -> float:
        return self.quantity * factor + len(self.tags)


def load_{fn}(folder: Path) -> list[{name}]:
    items = []
    for path in sorted(folder.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("quantity", 0) > LIMIT:
            LOG.warning("skipping %s: too large", path)
            continue
        items.append({name}(data["id"], data.get("quantity", 0), data.get("tags", [])))
    return items


def summarise_{fn}(items: list[{name}]) -> dict[str, float]:
    total = sum(item.weight() for item in items)
    return {{"count": len(items), "total": total, "mean": total / max(len(items), 1)}}
'''

LEGACY_MODULES = [
    '''"""Pull {title} data from Pleo."""

import os

import requests

BASE_URL = os.environ.get("PLEO_LEGACY_URL", "https://openapi.pleo.io/v1")
HEADERS = {{"Authorization": f"Bearer {{os.environ['PLEO_API_TOKEN']}}"}}


def employees_{fn}():
    found = []
    offset = 0
    while True:
        response = requests.get(
            f"{{BASE_URL}}/employees",
            params={{"pageSize": 100, "pageOffset": offset}},
            headers=HEADERS,
        )
        response.raise_for_status()
        body = response.json()
        found.extend(body["employees"])
        offset = body["metadata"]["pageInfo"]["nextPageOffset"]
        if offset is None:
            break
    return [(e["id"], e["email"]) for e in found]


def expense_{fn}(expense_id):
    return requests.get(f"{{BASE_URL}}/expenses/{{expense_id}}", headers=HEADERS).json()


def teams_{fn}():
    return requests.get(BASE_URL + "/teams", headers=HEADERS).json()
''',
    '''"""Async {title} client for Pleo."""

import os

import httpx

PLEO = "https://openapi.pleo.io/v1"


async def tax_codes_{fn}(resource: str):
    token = os.environ["PLEO_TOKEN"]
    headers = {{"authorization": "Bearer " + token}}
    async with httpx.AsyncClient(base_url=PLEO, headers=headers) as client:
        codes = await client.get("/tax-codes")
        other = await client.get("/" + resource)
        return codes.json()["taxCodes"], other.json()
''',
    '''"""{title}: accounts export, hand-built query string."""

import requests

from .settings import token

URL = "https://openapi.pleo.io/v1/accounts?pageSize=100000&pageOffset=0"


def accounts_{fn}(session: requests.Session):
    session.headers["Authorization"] = "Bearer {{}}".format(token())
    return session.request("GET", URL).json()["accounts"]
''',
]


def generate(root: Path, files: int, legacy_share: float) -> int:
    legacy_every = round(1 / legacy_share) if legacy_share < 1 else 1
    legacy = 0
    for number in range(files):
        folder = root / f"pkg{number // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        title = f"part {number}"
        name = f"Item{number}"
        fn = f"n{number}"
        if number % legacy_every == 0:
            text = LEGACY_MODULES[legacy % len(LEGACY_MODULES)].format(title=title, fn=fn)
            legacy += 1
        else:
            text = PLAIN_MODULE.format(title=title, name=name, fn=fn, limit=RNG.randint(5, 500))
        (folder / f"module_{number:05d}.py").write_text(text, encoding="utf-8")
    return legacy


def best(action: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return min(times)


def grep(root: Path) -> None:
    subprocess.run(
        ["grep", "-rl", "openapi.pleo.io", str(root)], stdout=subprocess.DEVNULL, check=False
    )


def scan(root: Path, jobs: int) -> None:
    outcome = run([str(root)], Job("scan", "native", select("native")), jobs=jobs)
    assert outcome.result.sites, "the scan found no legacy call"


def _parse_files(paths: list[str]) -> int:
    for path in paths:
        libcst.parse_module(Path(path).read_bytes())
    return len(paths)


def parse_all(root: Path, processes: int) -> None:
    paths = sorted(str(path) for path in root.rglob("*.py"))
    shares = [paths[start::processes] for start in range(processes)]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        assert sum(pool.map(_parse_files, shares)) == len(paths)


def alternate(first: Callable[[], object], second: Callable[[], object]) -> tuple[float, float]:
    """Best times of `first` and `second`, run one after the other ROUNDS times."""
    one, two = [], []
    for _ in range(ROUNDS):
        one.append(best(first, 1))
        two.append(best(second, 1))
    return min(one), min(two)


def main() -> int:
    if shutil.which("grep") is None:
        print("grep is needed for the baseline", file=sys.stderr)
        return 2
    catalogue_index()
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="pleo-codemod-bench-") as temporary:
        big = Path(temporary) / "big"
        legacy = generate(big, FILES, LEGACY_SHARE)
        grep(big)  # warm the file cache
        scan(big, cpus)
        grep_time, scan_time = alternate(lambda: grep(big), lambda: scan(big, cpus))
        libcst_time = best(lambda: parse_all(big, cpus), 1)
        matching = Path(temporary) / "matching"
        generate(matching, ALL_LEGACY_FILES, 1.0)
        scan(matching, 1)
        one, two = alternate(lambda: scan(matching, 1), lambda: scan(matching, 2))
    print(
        f"tree: {FILES} files, {legacy} calling the legacy API; {cpus} CPU(s); scan --jobs {cpus}"
    )
    print(
        f"grep -rl openapi.pleo.io: {grep_time:.3f}s  scan: {scan_time:.3f}s  "
        f"libcst parse of every file ({cpus} processes): {libcst_time:.1f}s"
    )
    print(f"scan / grep:           {scan_time / grep_time:.2f}  (target <= 3)")
    print(f"scan / libcst parse:   {scan_time / libcst_time:.3f}  (target <= 0.2)")
    print(f"matching tree ({ALL_LEGACY_FILES} files): --jobs 1 {one:.3f}s, --jobs 2 {two:.3f}s")
    print(f"--jobs 2 speed-up:     {one / two:.2f}  (target >= 1.6)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
