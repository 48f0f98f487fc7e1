"""The report's sections, one module each; each turns inputs into plain data for report.json.

    next_steps the cut-over plan: ordered steps, each with an owner type
    code       the call sites a scan found, by file, and hard-coded credentials
    coverage   every catalogue operation: kind, both requests, scopes, losses, gap
    scopes     the least API-key scopes for the operations in use
    parity     how a shadow run went, per operation and field, with a few samples
    readiness  per operation in use: ready, needs work or blocked, and why
    timeline   the project's dates against today
"""

from migrate.report.sections.code import call_sites, code_section
from migrate.report.sections.coverage import coverage_section
from migrate.report.sections.next_steps import next_steps_section
from migrate.report.sections.parity import parity_section
from migrate.report.sections.readiness import readiness_section
from migrate.report.sections.scopes import scopes_section
from migrate.report.sections.timeline import timeline_section

__all__ = [
    "call_sites",
    "code_section",
    "coverage_section",
    "next_steps_section",
    "parity_section",
    "readiness_section",
    "scopes_section",
    "timeline_section",
]
