"""How long a user waits for `pleo-migrate` to start: whole processes, paired with a baseline.

Times `--version`, `--help`, `scan` of an empty folder and `scan` of one file that calls the
legacy API (start-up plus loading the analysis and the catalogue index) as separate processes,
each run
paired with `python -c pass` (baseline, then command, then the next pair), so that a busy
neighbour slows both alike. Prints per command the median wall time, the median of the
pairwise command - baseline and command ÷ baseline, and min/max. Target: `--version` and
`--help` ≤ 0.3 s whole-process.

`--src DIR` measures another checkout (e.g. an older commit unpacked with `git archive`) with
the same interpreter; `--runs N` sets the pairs per command (default 11). The measured
`migrate/` is byte-compiled first, as an installed wheel is (`--no-compile`: measure it as it
is, which under `PYTHONDONTWRITEBYTECODE` means compiling it on every start).
"""

from __future__ import annotations

import argparse
import compileall
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence

TARGET_SECONDS = 0.3
ONE_LEGACY_CALL = (
    "import requests\n\n\n"
    "def expense(expense_id):\n"
    '    return requests.get(f"https://openapi.pleo.io/v1/expenses/{expense_id}").json()\n'
)


def wall(argv: Sequence[str], env: dict[str, str], cwd: str) -> float:
    """Seconds from start to exit of one process, its output discarded."""
    started = time.perf_counter()
    subprocess.run(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False
    )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=11, help="pairs per command (default 11)")
    parser.add_argument("--src", default=None, help="the checkout to measure (default: installed)")
    parser.add_argument("--no-compile", action="store_true", help="do not byte-compile first")
    args = parser.parse_args()
    env = dict(os.environ)
    if args.src:
        env["PYTHONPATH"] = os.path.abspath(args.src)
    python = sys.executable
    if not args.no_compile:
        where = os.path.join(os.path.abspath(args.src), "migrate") if args.src else None
        if where is None:
            import migrate

            where = os.path.dirname(migrate.__file__)
        compileall.compile_dir(where, quiet=1)
    print(f"byte-compiled first: {'no' if args.no_compile else 'yes'}")
    baseline = [python, "-c", "pass"]
    # The empty folder is also the cwd: `-m` puts the cwd first on sys.path.
    with tempfile.TemporaryDirectory() as empty, tempfile.TemporaryDirectory() as one:
        with open(os.path.join(one, "client.py"), "w", encoding="utf-8") as client:
            client.write(ONE_LEGACY_CALL)
        commands = {
            "--version": [python, "-m", "migrate", "--version"],
            "--help": [python, "-m", "migrate", "--help"],
            "scan <empty>": [python, "-m", "migrate", "scan", empty],
            "scan <1 call>": [python, "-m", "migrate", "scan", one],
        }
        wall(commands["scan <1 call>"], env, empty)  # the catalogue index, kept on disk
        wall(commands["--version"], env, empty)  # warm the file cache and any bytecode once
        print(f"{'command':<14} {'median s':>9} {'- base s':>9} {'÷ base':>8} {'min s':>7} "
              f"{'max s':>7}  target")
        for name, argv in commands.items():
            pairs = [(wall(baseline, env, empty), wall(argv, env, empty)) for _ in range(args.runs)]
            times = [command for _base, command in pairs]
            extra = statistics.median(command - base for base, command in pairs)
            ratio = statistics.median(command / base for base, command in pairs)
            median = statistics.median(times)
            verdict = ""
            if name in ("--version", "--help"):
                verdict = "met" if median <= TARGET_SECONDS else "NOT met"
            print(f"{name:<14} {median:9.3f} {extra:9.3f} {ratio:8.1f} {min(times):7.3f} "
                  f"{max(times):7.3f}  {verdict}")
        base = statistics.median(wall(baseline, env, empty) for _ in range(args.runs))
        print(f"baseline `python -c pass`: median {base:.3f} s over {args.runs} runs")


if __name__ == "__main__":
    main()
