"""Rendering a report for a large parity run: 100,000 shadow results in, one page out.

The report aggregates (counts per operation and field) and samples (a few records per
operation), so time and size should not follow the number of results. Prints the render time
and the HTML size against the targets (≤ 10 s, ≤ 5 MB), and the same for 10,000 results as
the baseline of the ratio.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from pathlib import Path

from migrate import report as reports
from migrate.mapping import load_catalogue
from migrate.shadow.classify import OUTCOMES

RUN_ID = "bench-report-scale"


def make_run(folder: Path, records: int, rng: random.Random) -> Path:
    catalogue = load_catalogue()
    operations = [op for op in catalogue if op.mapped and op.is_read]
    tallies = {op.id: dict.fromkeys(OUTCOMES, 0) for op in operations}
    folder.mkdir(parents=True)
    with (folder / "results.jsonl").open("w", encoding="utf-8") as handle:
        for index in range(records):
            op = operations[index % len(operations)]
            outcome = rng.choices(OUTCOMES, weights=(60, 30, 3, 2, 3, 1, 0.5, 0.5))[0]
            tallies[op.id][outcome] += 1
            line = {
                "operation": op.id,
                "id": f"{index:08d}-0000-4000-8000-000000000000",
                "outcome": outcome,
                "run_id": RUN_ID,
            }
            if outcome in ("mismatch", "expected", "noise", "lag"):
                line["differences"] = [
                    {
                        "path": "amountOriginal.minors",
                        "field": "amountOriginal",
                        "change": "value",
                        "verdict": outcome if outcome != "lag" else "mismatch",
                        "legacy": rng.randint(0, 10**6),
                        "new": rng.randint(0, 10**6),
                    }
                ]
            handle.write(json.dumps(line) + "\n")
    summary = {
        "schema_version": 1,
        "run_id": RUN_ID,
        "run": {},
        "totals": {
            "operations": len(operations),
            "records": records,
            "parity": 95.0,
            "outcomes": {name: sum(t[name] for t in tallies.values()) for name in OUTCOMES},
        },
        "operations": [
            {
                "operation": op_id,
                "status": "fail",
                "records": sum(t.values()),
                "parity": 95.0,
                "outcomes": t,
                "fields": [
                    {
                        "field": f"field{n}",
                        "compared": sum(t.values()),
                        "parity": 99.0,
                        "mismatch": 3,
                        "expected": 1,
                        "noise": 0,
                        "lag": 0,
                    }
                    for n in range(40)
                ],
                "expected": [],
                "noise": {"fields": [], "envelope": [], "headers": []},
                "errors": [],
            }
            for op_id, t in tallies.items()
        ],
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    return folder


def render(folder: Path, out: Path) -> tuple[float, int]:
    start = time.perf_counter()
    data = reports.build(load_catalogue(), scan=None, shadow=folder)
    files = reports.write(data, out)
    return time.perf_counter() - start, files.html.stat().st_size


def main() -> None:
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        load_catalogue()  # warm the catalogue cache so both runs time the report alone
        small = render(make_run(root / "small", 10_000, rng), root / "small-out")
        large = render(make_run(root / "large", 100_000, rng), root / "large-out")
    print("report rendering (build + write, HTML and JSON)")
    print(f"   10,000 results: {small[0]:6.2f} s, HTML {small[1] / 1e6:5.2f} MB")
    print(
        f"  100,000 results: {large[0]:6.2f} s, HTML {large[1] / 1e6:5.2f} MB "
        f"(targets ≤ 10 s, ≤ 5 MB)"
    )
    print(f"  ratio 100k ÷ 10k: time {large[0] / small[0]:.2f}, size {large[1] / small[1]:.2f}")


if __name__ == "__main__":
    main()
