"""The shadow-run comparator: call both APIs, diff in one canonical shape, classify.

    plan = build_parity_plan(catalogue, "all-reads")
    report = run_shadow(RunRequest(catalogue, plan, endpoints, credentials, out=Path("out")))
    report.summary["totals"]["parity"]

Layers, each a module with one job: plan (which requests), fetch (both APIs, paged),
canonical (one shape), compare (deepdiff, only here), classify (verdicts and outcomes),
operation (one operation checked: bindings, listing, singles, noise, recheck), results
(jsonl, summary, JUnit; summary.schema.json), redact and cassettes (record, replay, scan),
ratelimit and transport (pace, credentials, no writes), run (the run), writes (plan or send).
"""

from migrate.shadow.cassettes import Cassette, load_cassette, scan_path
from migrate.shadow.classify import OUTCOMES, ClassifiedDifference, Evaluation, Outcome
from migrate.shadow.config import (
    Credentials,
    Endpoints,
    Limits,
    Safety,
    check_credentials,
    check_writes,
    default_endpoints,
    read_secret_file,
)
from migrate.shadow.parity_run import RunReport, RunRequest, replay_request, run_shadow
from migrate.shadow.plan import ParityPlan, ParityRequest, build_parity_plan
from migrate.shadow.progress import NoProgress, Progress
from migrate.shadow.redact import CREDENTIAL_TEXT, Redactor, sensitive_name
from migrate.shadow.results import (
    RESULTS_FILE,
    SCHEMA_VERSION,
    SUMMARY_FILE,
    OperationTally,
    RecordResult,
)
from migrate.shadow.writes import WritePlan

__all__ = [
    "CREDENTIAL_TEXT",
    "OUTCOMES",
    "RESULTS_FILE",
    "SCHEMA_VERSION",
    "SUMMARY_FILE",
    "Cassette",
    "ClassifiedDifference",
    "Credentials",
    "Endpoints",
    "Evaluation",
    "Limits",
    "NoProgress",
    "OperationTally",
    "Outcome",
    "ParityPlan",
    "ParityRequest",
    "Progress",
    "RecordResult",
    "Redactor",
    "RunReport",
    "RunRequest",
    "Safety",
    "WritePlan",
    "build_parity_plan",
    "check_credentials",
    "check_writes",
    "default_endpoints",
    "load_cassette",
    "read_secret_file",
    "replay_request",
    "run_shadow",
    "scan_path",
    "sensitive_name",
]
