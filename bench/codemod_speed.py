"""How fast the codemod looks at a large repository, against the tools people would compare.

Generates (under a temporary folder) a repository of 20,000 Python modules of which 1 % call
the legacy API, in the shapes the codemod has to handle, then prints:

1. `scan` ÷ `grep -rl openapi.pleo.io` over the same tree                (target ≤ 3), twice:
   - whole process: one `pleo-migrate scan` process (start-up, imports and catalogue
     included, its default `--jobs`) against one `grep -rl` process: what a user waits for.
     Wall-clock and CPU (the scan's worker processes included) ratios.
   - in process: `migrate.codemod.run`, the function the command calls, after the
     interpreter and the catalogue are loaded: the scan's own work.
2. `scan` ÷ parsing every file with libcst                                (target ≤ 0.2); the
   libcst time is measured on a random sample of the files and scaled up (`--full`: all).
3. `rewrite --check` with `--jobs 1` ÷ `--jobs 2` on a tree where every file calls the legacy
   API (target ≥ 1.6), files per second for each, the CPU the two workers spend against the
   one process (their overhead: what the speed-up would be on two idle cores), and what a
   pure-CPU loop gains from a second process on the machine right then (the ceiling).
4. `rewrite --check --strategy compat --jobs 1` on that tree: seconds per changed file
   (target ≤ 0.05; before the import step stopped using libcst it was about 0.5).

Every comparison runs its two sides pair by pair, in random order within each pair, and
reports the median of the per-pair ratios, so that a busy neighbour on a shared machine slows
both sides of a pair alike. The file cache is warmed first, and `migrate/` is byte-compiled
first, as an installed wheel is (`PYTHONDONTWRITEBYTECODE` would otherwise make every
whole-process run compile the package again). Needs two cores; the 1-minute load average is
printed, since a speed-up needs an idle second core.

About a minute by default; `--quick` for a smaller tree, `--full` for the whole libcst parse
and a 1,000-file rewrite (several minutes); `--pairs N` for more scan/grep pairs on a busy
machine (the median of more pairs moves less). `PYTHONPATH=DIR` measures another checkout
(an older commit unpacked with `git archive`, its `mappings/` and `specs/` included) with the
same interpreter, in process and whole-process alike.
"""

from __future__ import annotations

import argparse
import compileall
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

import libcst

import migrate
from migrate.codemod import Job, catalogue_index, run, select

LEGACY_SHARE = 0.01
RNG = random.Random(20261127)


@dataclass(frozen=True)
class Sizes:
    files: int  # the big tree
    pairs: int  # scan and grep pairs
    parse_sample: int | None  # files libcst parses (None: all of them)
    rewrite_files: int  # the tree where every file calls the legacy API
    rewrite_pairs: int


QUICK = Sizes(files=5_000, pairs=5, parse_sample=300, rewrite_files=48, rewrite_pairs=2)
DEFAULT = Sizes(files=20_000, pairs=7, parse_sample=1_000, rewrite_files=400, rewrite_pairs=5)
FULL = Sizes(files=20_000, pairs=7, parse_sample=None, rewrite_files=1_000, rewrite_pairs=3)


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


Timing = tuple[float, float]  # (wall seconds, CPU seconds)


def timed(action: Callable[[], object]) -> Timing:
    """Wall and CPU time of an action, CPU time of the child processes it waited for included."""
    before = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    action()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = sum(
        (end.ru_utime + end.ru_stime) - (begin.ru_utime + begin.ru_stime)
        for begin, end in zip(before, after, strict=True)
    )
    return wall, cpu


def paired(
    ours: Callable[[], object], base: Callable[[], object], rounds: int
) -> list[tuple[Timing, Timing]]:
    """`rounds` pairs of (ours, base), the order within each pair drawn at random."""
    pairs = []
    for _ in range(rounds):
        if RNG.random() < 0.5:
            mine = timed(ours)
            theirs = timed(base)
        else:
            theirs = timed(base)
            mine = timed(ours)
        pairs.append((mine, theirs))
    return pairs


def ratio(pairs: Sequence[tuple[Timing, Timing]], part: int = 0) -> float:
    """Median of the per-pair ratios ours ÷ base (part 0: wall clock, 1: CPU)."""
    return statistics.median(mine[part] / max(theirs[part], 1e-9) for mine, theirs in pairs)


def spread(pairs: Sequence[tuple[Timing, Timing]], part: int = 0) -> str:
    """The lowest and highest per-pair ratio: how far one pair can be from the median."""
    ratios = [mine[part] / max(theirs[part], 1e-9) for mine, theirs in pairs]
    return f"{min(ratios):.2f}-{max(ratios):.2f}"


def median_time(pairs: Sequence[tuple[Timing, Timing]], side: int) -> float:
    return statistics.median(pair[side][0] for pair in pairs)


def grep(root: Path) -> None:
    subprocess.run(
        ["grep", "-rl", "openapi.pleo.io", str(root)], stdout=subprocess.DEVNULL, check=False
    )


def cli() -> list[str]:
    """The console script beside this interpreter, else `python -m migrate`."""
    script = Path(sys.executable).with_name("pleo-migrate")
    return [str(script)] if script.exists() else [sys.executable, "-m", "migrate"]


def scan_process(root: Path) -> None:
    done = subprocess.run(
        [*cli(), "scan", str(root)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    assert done.returncode in (0, 1), f"pleo-migrate scan exited {done.returncode}"


def scan(root: Path, jobs: int) -> None:
    outcome = run([str(root)], Job("scan", "native", select("native")), jobs=jobs)
    assert outcome.result.sites, "the scan found no legacy call"


def rewrite_check(root: Path, jobs: int, files: int) -> None:
    outcome = run([str(root)], Job("check", "native", select("native")), jobs=jobs)
    changed = outcome.result.count("changed")
    assert changed == files, f"rewrite --check would change {changed} of {files} files"


def rewrite_compat(root: Path, files: int) -> None:
    outcome = run([str(root)], Job("check", "compat", select("compat")), jobs=1)
    changed = outcome.result.count("changed")
    assert changed == files, f"compat rewrite --check would change {changed} of {files} files"


def _parse_files(paths: list[str]) -> int:
    for path in paths:
        libcst.parse_module(Path(path).read_bytes())
    return len(paths)


def _burn(rounds: int) -> int:
    total = 0
    for number in range(rounds):
        total += number * number
    return total


def parallel_capacity(samples: int = 3) -> float:
    """What two processes get over one on this machine right now, for pure CPU work: the
    ceiling of any --jobs 2 speed-up (a shared machine's second core is often busy)."""
    rounds = 2_000_000
    ratios = []
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_burn, [1, 1]))
        for _ in range(samples):
            one, _cpu = timed(lambda: (_burn(rounds), _burn(rounds)))
            two, _cpu = timed(lambda: list(pool.map(_burn, [rounds, rounds])))
            ratios.append(one / two)
    return statistics.median(ratios)


def parse_all(paths: list[str], processes: int) -> None:
    shares = [paths[start::processes] for start in range(processes)]
    with ProcessPoolExecutor(max_workers=processes) as pool:
        assert sum(pool.map(_parse_files, shares)) == len(paths)


def arguments() -> Sizes:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quick", action="store_true", help="a 5,000-file tree, fewer pairs")
    group.add_argument("--full", action="store_true", help="parse every file; 1,000-file rewrite")
    parser.add_argument("--pairs", type=int, default=None, help="scan/grep pairs (default 7)")
    options = parser.parse_args()
    sizes = QUICK if options.quick else FULL if options.full else DEFAULT
    return sizes if options.pairs is None else replace(sizes, pairs=max(1, options.pairs))


def main() -> int:
    sizes = arguments()
    if shutil.which("grep") is None:
        print("grep is needed for the baseline", file=sys.stderr)
        return 2
    compiled = compileall.compile_dir(Path(migrate.__file__).parent, quiet=1)
    catalogue_index()
    cpus = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="pleo-codemod-bench-") as temporary:
        big, empty = Path(temporary) / "big", Path(temporary) / "empty"
        empty.mkdir()
        legacy = generate(big, sizes.files, LEGACY_SHARE)
        grep(big)  # warm the file cache
        scan(big, cpus)
        scan_process(big)
        whole = paired(lambda: scan_process(big), lambda: grep(big), sizes.pairs)
        start_up = statistics.median(timed(lambda: scan_process(empty))[0] for _ in range(3))
        inside = paired(lambda: scan(big, cpus), lambda: grep(big), sizes.pairs)

        paths = sorted(str(path) for path in big.rglob("*.py"))
        sample = paths if sizes.parse_sample is None else RNG.sample(paths, sizes.parse_sample)
        parsed, _ = timed(lambda: parse_all(sample, cpus))
        libcst_time = parsed * len(paths) / len(sample)

        matching = Path(temporary) / "matching"
        generate(matching, sizes.rewrite_files, 1.0)
        count = sizes.rewrite_files
        rewrite_check(matching, 1, count)  # warm up
        capacity = [parallel_capacity()]
        rewrites = paired(
            lambda: rewrite_check(matching, 1, count),
            lambda: rewrite_check(matching, 2, count),
            sizes.rewrite_pairs,
        )
        capacity.append(parallel_capacity())
        rewrite_compat(matching, count)  # warm up
        compat = [
            timed(lambda: rewrite_compat(matching, count)) for _ in range(sizes.rewrite_pairs)
        ]
    scan_inside = median_time(inside, 0)
    print(
        f"tree: {sizes.files} files, {legacy} calling the legacy API; {cpus} CPU(s); load "
        f"{os.getloadavg()[0]:.2f}; migrate/ byte-compiled: {'yes' if compiled else 'NO'} "
        f"({Path(migrate.__file__).parent})"
    )
    print(
        f"whole process: grep -rl {median_time(whole, 1):.3f}s  pleo-migrate scan "
        f"{median_time(whole, 0):.3f}s (of which start-up, an empty folder: {start_up:.3f}s)"
    )
    print(
        f"  scan / grep:         {ratio(whole):.2f} wall, {ratio(whole, 1):.2f} CPU  "
        f"(target <= 3; median of {len(whole)} pairs; wall range {spread(whole)})"
    )
    print(
        f"in process (after start-up, --jobs {cpus}): grep -rl {median_time(inside, 1):.3f}s  "
        f"scan {scan_inside:.3f}s"
    )
    print(f"  scan / grep:         {ratio(inside):.2f}  (median of {len(inside)} pairs)")
    shown = "every file" if sizes.parse_sample is None else f"{len(sample)} files, scaled up"
    print(f"libcst parse of every file ({cpus} processes; {shown}): {libcst_time:.1f}s")
    print(f"  scan / libcst parse: {scan_inside / libcst_time:.3f}  (target <= 0.2)")
    one, two = median_time(rewrites, 0), median_time(rewrites, 1)
    print(
        f"rewrite --check, {count} files all calling the legacy API: --jobs 1 {one:.2f}s "
        f"({count / one:.1f} files/s), --jobs 2 {two:.2f}s ({count / two:.1f} files/s)"
    )
    speed_up = statistics.median(a[0] / b[0] for a, b in rewrites)
    print(
        f"  --jobs 2 speed-up:   {speed_up:.2f}  (target >= 1.6; median of {len(rewrites)} pairs)"
    )
    print(
        f"  this machine now, a pure-CPU loop in 2 processes / 1: {capacity[0]:.2f} before, "
        f"{capacity[1]:.2f} after (the ceiling of any --jobs 2 speed-up)"
    )
    overhead = statistics.median(b[1] / a[1] for a, b in rewrites)
    print(
        f"  CPU --jobs 2 / --jobs 1: {overhead:.2f}  (two idle cores would give at most about "
        f"{2 / overhead:.2f})"
    )
    per_file = statistics.median(wall for wall, _cpu in compat) / count
    print(
        f"rewrite --check --strategy compat, --jobs 1: {per_file * 1000:.1f} ms per changed file "
        f"(target <= 50; median of {len(compat)} runs)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
