"""The shadow-run comparator: call both APIs, diff in one canonical shape, classify.

    plan = build_plan(catalogue, "all-reads")
    report = run_shadow(RunRequest(catalogue, plan, endpoints, credentials, out=Path("out")))
    report.summary["totals"]["parity"]

Layers, each a module with one job: plan (which requests), fetch (both APIs, paged),
canonical (one shape), compare (deepdiff, only here), classify (verdicts and outcomes),
results (jsonl, summary, JUnit), redact and cassettes (record, replay, scan), ratelimit and
transport (pace, credentials, no writes), runner (the run), writes (plan or send writes).
"""

from migrate.shadow.cassettes import Cassette, load_cassette, scan_path
from migrate.shadow.classify import OUTCOMES, Evaluation, Finding, Outcome
from migrate.shadow.config import Credentials, Endpoints, Limits, Safety, default_endpoints
from migrate.shadow.plan import Plan, Step, build_plan
from migrate.shadow.redact import Redactor
from migrate.shadow.results import SCHEMA_VERSION, RecordResult
from migrate.shadow.runner import RunReport, RunRequest, run_shadow
from migrate.shadow.writes import WritePlan

__all__ = [
    "OUTCOMES",
    "SCHEMA_VERSION",
    "Cassette",
    "Credentials",
    "Endpoints",
    "Evaluation",
    "Finding",
    "Limits",
    "Outcome",
    "Plan",
    "RecordResult",
    "Redactor",
    "RunReport",
    "RunRequest",
    "Safety",
    "Step",
    "WritePlan",
    "build_plan",
    "default_endpoints",
    "load_cassette",
    "run_shadow",
    "scan_path",
]
