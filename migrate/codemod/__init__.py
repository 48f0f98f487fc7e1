"""The codemod: find legacy Pleo API calls in Python code, rewrite what is provably safe.

    outcome = run(["src/"], Job("diff", "native", select("native")), jobs=2)
    for item in outcome.result.files: ...

`scan` and `rewrite` share one analysis (stdlib `ast`, so scanning stays near grep speed);
rewrites are splices into the original text, so untouched bytes stay untouched. Other
packages use the codemod through the names below only.

Read it bottom-up, in the order a file passes through it:

    text/            bytes in, bytes out: source, edits, literals, imports, verify
    find/            reading code: discover, prefilter (bytes only: it decides before the
                     analysis is imported), facts + collect, evaluate, index, hosts, and the
                     call sites (site, sites, resolve, queries, responses, paging_loops)
    rule.py          the rule API (Rule, RuleFinding, the hook protocols, ModulePlan);
                     rulekit.py holds what rules share
    rules/           one rule a module; request_edits.py turns a RequestPlan into edits;
                     todo.py writes the TODO comments
    registry.py      the rules in order, with their hooks; site_report.py: what scan lists
    apply.py         the rules over one analysed module; sarif.py, scan.py: the outputs
    one_file.py      one file: decode, parse, analyse, plan, render, verify
    run.py           a whole run: discover, screen, process with --jobs, write; the heavy
                     names above load on first use (`scan` of code without Pleo needs none)
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from migrate.codemod.file_results import (
    CallSite,
    FileResult,
    HardcodedCredential,
    Job,
    Mode,
    Reference,
    RunResult,
    Strategy,
    Todo,
)
from migrate.codemod.run import Interrupted, RunOutcome, dirty_refusal, outside_git, run
from migrate.codemod.scan import Inventory, as_json, inventory

if TYPE_CHECKING:
    from migrate.codemod.find.index import catalogue_index
    from migrate.codemod.one_file import process, process_bytes
    from migrate.codemod.registry import RULES, rules_for, select
    from migrate.codemod.rule import Rule
    from migrate.codemod.sarif import sarif

# Imported on first use: the rules, the analysis and the catalogue cost more than a scan of a
# tree without Pleo takes, and only a file that may use the legacy API needs them.
_LAZY = {
    "RULES": "migrate.codemod.registry",
    "rules_for": "migrate.codemod.registry",
    "select": "migrate.codemod.registry",
    "Rule": "migrate.codemod.rule",
    "catalogue_index": "migrate.codemod.find.index",
    "process": "migrate.codemod.one_file",
    "process_bytes": "migrate.codemod.one_file",
    "sarif": "migrate.codemod.sarif",
}


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "RULES",
    "CallSite",
    "FileResult",
    "HardcodedCredential",
    "Interrupted",
    "Inventory",
    "Job",
    "Mode",
    "Reference",
    "Rule",
    "RunOutcome",
    "RunResult",
    "Strategy",
    "Todo",
    "as_json",
    "catalogue_index",
    "dirty_refusal",
    "inventory",
    "outside_git",
    "process",
    "process_bytes",
    "rules_for",
    "run",
    "sarif",
    "select",
]
