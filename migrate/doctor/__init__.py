"""`pleo-migrate doctor`: check, read-only, that a user's credentials, scopes and the
catalogue's assumptions hold on Pleo's real hosts before anything else runs there.

    checkup = run_checkup(DoctorRequest(...), load_catalogue())
    checkup.verdicts, checkup.exit_code, checkup.as_json()

Checks return verdicts as data; only the CLI prints them.
"""

from migrate.doctor.checkup import run_checkup
from migrate.doctor.context import DoctorRequest
from migrate.doctor.verdicts import Checkup, Status, Verdict
from migrate.doctor.wire import Credential, Wire

__all__ = ["Checkup", "Credential", "DoctorRequest", "Status", "Verdict", "Wire", "run_checkup"]
