"""Issue 12's acceptance figures for the codemod, measured on the hand-written client corpus.

Runs every module of `tests/codemod/corpus/` through the corpus harness (original against the
legacy simulator; `rewrite --strategy compat` and `--strategy native` against the new simulator
only, legacy token unset) and prints, per module and in total:

- compat: calls routed (no request left on the legacy host) and behaviour-equal (equal, equal
  but for declared losses, or a clear 404/501 for gaps and invented endpoints);  target 100 %
- native: of the calls whose operations all have a new-API equivalent, the share rewritten and
  behaviour-equal (equal, or equal in the catalogue's canonical shape);  target ≥ 70 %
- harmful edits: calls that worked before and fail after a rewrite, or files that no longer
  compile or import;  target 0
- negatives byte-identical, and `scan` ⊇ `rewrite` (every site the rewrite touched is one scan
  reports).

Starts its own simulator on 127.0.0.1; about 20 s. `--json` prints the figures as JSON;
`--corpus holdout` measures the hold-out corpus (`tests/codemod/holdout/`, written without
looking at the codemod) instead of the default `--corpus main`; `--corpus holdout2` the second
one (`tests/codemod/holdout2/`, written after the first had been used to tune the codemod);
`--corpus holdout3` the third (`tests/codemod/holdout3/`, written blind while the second was
being used to tune it); `--corpus holdout4` the fourth (`tests/codemod/holdout4/`, written blind
while the first three were being used to tune it).
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from migrate.mapping import load_catalogue
from tests.codemod import corpus_harness as harness
from tests.codemod.corpus_manifest import CORPUS, CorpusModule
from tests.codemod.holdout2_manifest import HOLDOUT2
from tests.codemod.holdout3_manifest import HOLDOUT3
from tests.codemod.holdout4_manifest import HOLDOUT4
from tests.codemod.holdout_manifest import HOLDOUT

CORPORA: dict[str, tuple[CorpusModule, ...]] = {
    "main": CORPUS, "holdout": HOLDOUT, "holdout2": HOLDOUT2, "holdout3": HOLDOUT3,
    "holdout4": HOLDOUT4,
}


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({100 * part / whole:.0f} %)" if whole else "0/0 (n/a)"


def measure(modules: tuple[CorpusModule, ...] = CORPUS) -> dict[str, Any]:
    catalogue = load_catalogue()
    figures: dict[str, Any] = {"modules": []}
    totals = {
        "compat_calls": 0, "compat_routed": 0, "compat_equal": 0,
        "native_calls": 0, "native_equal": 0, "harmful_compat": 0, "harmful_native": 0,
        "negatives": 0, "negatives_identical_compat": 0, "negatives_identical_native": 0,
        "uncovered_compat": 0, "uncovered_native": 0, "todos_native": 0, "todos_compat": 0,
    }
    started = time.perf_counter()
    with harness.serve() as sim:
        for module in modules:
            report = harness.measure(module, sim, catalogue=catalogue)
            compat, native = report.strategies["compat"], report.strategies["native"]
            row: dict[str, Any] = {
                "module": module.name,
                "scan_sites": len(report.scan),
                "original_failures": [c.label for c in module.calls
                                      if "returned" not in (report.original.outcome(c.label) or {})
                                      and not c.has_gap(catalogue)],
            }
            for name, done in (("compat", compat), ("native", native)):
                row[name] = {
                    "rewrite_sites": len(done.rewrite.sites),
                    "todos": done.rewrite.todos,
                    "compiles": done.rewrite.compiles,
                    "byte_identical": done.rewrite.byte_identical,
                    "uncovered": [f"{s.kind}@{s.span[0]}{' ' + s.rule if s.rule else ''}"
                                  for s in done.uncovered],
                    "harmful": done.harmful(report.original),
                    "verdicts": dict(done.verdicts),
                }
                totals[f"harmful_{name}"] += len(done.harmful(report.original))
                totals[f"uncovered_{name}"] += len(done.uncovered)
                totals[f"todos_{name}"] += done.rewrite.todos
            if module.negative:
                totals["negatives"] += 1
                totals["negatives_identical_compat"] += compat.rewrite.byte_identical
                totals["negatives_identical_native"] += native.rewrite.byte_identical
            else:
                for call in module.calls:
                    totals["compat_calls"] += 1
                    verdict = compat.verdicts[call.label]
                    totals["compat_routed"] += (
                        not compat.run.import_error and not compat.run.refused(call.label)
                        and call.label in compat.run.calls
                    )
                    totals["compat_equal"] += verdict in harness.GOOD
                    if not call.has_gap(catalogue):
                        totals["native_calls"] += 1
                        totals["native_equal"] += native.verdicts[call.label] in (
                            harness.EQUAL, harness.LOSSY, harness.SHAPE_CHANGED
                        )
            figures["modules"].append(row)
    figures["totals"] = totals
    figures["seconds"] = round(time.perf_counter() - started, 1)
    return figures


def show(figures: dict[str, Any]) -> None:
    t = figures["totals"]
    print(f"{'module':<22}{'scan':>5}  {'compat: sites todo ok':<24}{'native: sites todo ok':<24}")
    for row in figures["modules"]:
        cells = []
        for name in ("compat", "native"):
            part = row[name]
            good = sum(v in harness.GOOD for v in part["verdicts"].values())
            flags = ("" if part["compiles"] else " !compile") + (
                " =" if part["byte_identical"] else "") + (" H" if part["harmful"] else "") + (
                " U" if part["uncovered"] else "")
            cells.append(f"{part['rewrite_sites']:>5} {part['todos']:>4} "
                         f"{good:>2}/{len(part['verdicts']):<2}{flags:<8}")
        note = f"  original fails: {','.join(row['original_failures'])}" if row[
            "original_failures"] else ""
        print(f"{row['module']:<22}{row['scan_sites']:>5}  {cells[0]:<24}{cells[1]:<24}{note}")
    print("(= byte-identical, H harmful edit, U rewrite site scan did not report)")
    print()
    calls = t["compat_calls"]
    print(f"compat: calls routed off the legacy host   {_pct(t['compat_routed'], calls)}")
    print(f"compat: calls behaviour-equal (or 404/501) {_pct(t['compat_equal'], calls)}")
    print(f"native: calls with a new-API equivalent rewritten and behaviour-equal "
          f"{_pct(t['native_equal'], t['native_calls'])}")
    print(f"harmful edits (calls or files): compat {t['harmful_compat']}, "
          f"native {t['harmful_native']}")
    print(f"negatives byte-identical: compat {t['negatives_identical_compat']}/{t['negatives']}, "
          f"native {t['negatives_identical_native']}/{t['negatives']}")
    print(f"rewrite sites scan did not report: compat {t['uncovered_compat']}, "
          f"native {t['uncovered_native']}")
    print(f"TODOs added: compat {t['todos_compat']}, native {t['todos_native']}")
    print(f"({figures['seconds']} s for {len(figures['modules'])} modules)")


def _corpus(args: list[str]) -> tuple[CorpusModule, ...]:
    """The corpus `--corpus NAME` (or `--corpus=NAME`) names; the main one by default."""
    name = "main"
    for index, arg in enumerate(args):
        if arg == "--corpus" and index + 1 < len(args):
            name = args[index + 1]
        elif arg.startswith("--corpus="):
            name = arg.split("=", 1)[1]
    if name not in CORPORA:
        print(f"corpus_measure: unknown corpus {name!r}; choose one of {', '.join(CORPORA)}",
              file=sys.stderr)
        sys.exit(2)
    return CORPORA[name]


def main() -> None:
    figures = measure(_corpus(sys.argv[1:]))
    if "--json" in sys.argv[1:]:
        print(json.dumps(figures, indent=2))
    else:
        show(figures)


if __name__ == "__main__":
    main()
