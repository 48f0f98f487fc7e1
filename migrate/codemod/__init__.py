"""The codemod: find legacy Pleo API calls in Python code, rewrite what is provably safe.

    outcome = run(["src/"], Job("diff", "native", select("native")), jobs=2)
    for item in outcome.result.files: ...

`scan` and `rewrite` share one analysis (stdlib `ast`, so scanning stays near grep speed);
rewrites are splices into the original text, so untouched bytes stay untouched. Rules live
one per module in `migrate.codemod.rules`, listed in order in `migrate.codemod.registry`.
"""

from migrate.codemod.one_file import Job, process
from migrate.codemod.registry import RULES, rules_for, select
from migrate.codemod.results import CallSite, FileResult, HardcodedCredential, RunResult, Todo
from migrate.codemod.run import RunOutcome, dirty_refusal, run
from migrate.codemod.scan import Inventory, inventory

__all__ = [
    "RULES",
    "CallSite",
    "FileResult",
    "HardcodedCredential",
    "Inventory",
    "Job",
    "RunOutcome",
    "RunResult",
    "Todo",
    "dirty_refusal",
    "inventory",
    "process",
    "rules_for",
    "run",
    "select",
]
