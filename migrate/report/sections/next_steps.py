"""The next-steps section: the cut-over plan, most unblocking step first.

Each step has an owner type, so a manager can split the work: `our code` (call sites to port,
operations to compare), `Pleo configuration` (the API key and its scopes) or `question for
Pleo` (a gap with no new-API equivalent, records that differ between the two APIs). A step
unblocks the operations it lists; steps that unblock more, and blocked operations, come first.
"""

from __future__ import annotations

from typing import Any

OUR_CODE = "our code"
PLEO_CONFIGURATION = "Pleo configuration"
QUESTION_FOR_PLEO = "question for Pleo"


def plural(count: int, noun: str, many: str | None = None) -> str:
    """`1 call site`, `2 call sites`."""
    return f"{count} {noun if count == 1 else many or noun + 's'}"


def next_steps_section(
    readiness: dict[str, Any], scopes: dict[str, Any], have_scan: bool
) -> list[dict[str, Any]]:
    """The ordered steps to cut over, from the readiness and scopes sections."""
    operations = readiness["operations"]
    steps: list[dict[str, Any]] = []
    needing = [op["id"] for op in operations if op["status"] != "ready"]
    if not have_scan:
        steps.append(
            _step(
                OUR_CODE,
                "Scan the code (pleo-migrate scan -o json) so the plan knows what it calls",
                needing or [op["id"] for op in operations],
                "without a scan the code is unknown: call sites, manual work and scopes in use "
                "are not in this report",
                blocking=True,
            )
        )
    scope_names = [item["scope"] for item in scopes["scopes"]]
    if scope_names and operations:
        steps.append(
            _step(
                PLEO_CONFIGURATION,
                f"Create the new API key with {plural(len(scope_names), 'scope')}: "
                + ", ".join(scope_names),
                [op["id"] for op in operations if op["id"] != "dynamic path"],
                "every call to the new API needs it",
            )
        )
    for op in operations:
        if op["gap"]:
            gap = next((r for r in op["reasons"] if r.startswith("no new-API equivalent")), "")
            steps.append(
                _step(
                    QUESTION_FOR_PLEO,
                    f"Decide what replaces {op['id']}",
                    [op["id"]],
                    gap,
                    blocking=True,
                )
            )
    manual = [op for op in operations if op["manual"]]
    if manual:
        count = sum(op["manual"] for op in manual)
        steps.append(
            _step(
                OUR_CODE,
                f"Port {plural(count, 'call site')} by hand (see Code)",
                [op["id"] for op in manual],
                "the rewrite leaves a TODO at each; `pleo-migrate rewrite --check` lists them",
            )
        )
    differing = [op for op in operations if any("differ between" in r for r in op["reasons"])]
    if differing:
        steps.append(
            _step(
                QUESTION_FOR_PLEO,
                f"Raise the differences on {plural(len(differing), 'operation')} with Pleo "
                "(see Parity)",
                [op["id"] for op in differing],
                "records read through the two APIs disagree; each distinct defect is shown once",
            )
        )
    failing = [
        op for op in operations if any("request" in r and "failed" in r for r in op["reasons"])
    ]
    if failing:
        steps.append(
            _step(
                PLEO_CONFIGURATION,
                "Fix the requests that failed in the parity run (key, scopes, company)",
                [op["id"] for op in failing],
                "see the errors in the shadow folder's summary.json",
                blocking=any(op["status"] == "blocked" for op in failing),
            )
        )
    uncompared = [op for op in operations if any("not compared" in r for r in op["reasons"])]
    if uncompared:
        steps.append(
            _step(
                OUR_CODE,
                f"Compare {plural(len(uncompared), 'operation')} in a parity run "
                "(pleo-migrate shadow)",
                [op["id"] for op in uncompared],
                "an operation never compared is not ready",
            )
        )
    steps.sort(key=lambda s: (not s["blocking"], -len(s["unblocks"])))
    for number, step in enumerate(steps, start=1):
        step["order"] = number
    return steps


def _step(
    owner: str, title: str, unblocks: list[str], detail: str, blocking: bool = False
) -> dict[str, Any]:
    return {
        "order": 0,
        "title": title,
        "owner": owner,
        "unblocks": unblocks,
        "blocking": blocking,
        "detail": detail,
    }
