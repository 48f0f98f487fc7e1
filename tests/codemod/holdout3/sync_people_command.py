"""manage.py sync_pleo_people: copy Pleo employees and teams into the HR directory.

Lives in hr/management/commands/ of our Django project. Django is not imported here so the
command can be unit-tested on its own; `BaseCommand` below mirrors the bits we use.
"""
import os
import sys

import requests

SETTINGS = {
    "PLEO": {
        "API_ROOT": os.environ.get("PLEO_API_ROOT", "https://openapi.pleo.io/v1"),
        "TOKEN": os.environ.get("PLEO_HR_TOKEN"),
        "PAGE_SIZE": 50,
        "TIMEOUT": 20,
    }
}


class BaseCommand:
    help = ""

    def __init__(self, stdout=None):
        self.stdout = stdout or sys.stdout

    def add_arguments(self, parser):
        pass


class CommandError(Exception):
    pass


class Command(BaseCommand):
    help = "Synchronise Pleo employees and teams into the HR directory"

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")
        parser.add_argument("--only", choices=["employees", "teams"])

    def _get(self, resource, **params):
        conf = SETTINGS["PLEO"]
        if not conf["TOKEN"]:
            raise CommandError("PLEO_HR_TOKEN is not set")
        response = requests.get(
            conf["API_ROOT"] + "/" + resource,
            params=params,
            headers={"Authorization": "Bearer " + conf["TOKEN"], "Accept": "application/json"},
            timeout=conf["TIMEOUT"],
        )
        if response.status_code != 200:
            raise CommandError(f"Pleo said {response.status_code} for {resource}")
        return response.json()

    def employees(self):
        people, offset = [], 0
        while True:
            body = self._get("employees", pageOffset=offset,
                             pageSize=SETTINGS["PLEO"]["PAGE_SIZE"])
            people.extend(body["employees"])
            offset = body["metadata"]["pageInfo"].get("nextPageOffset")
            if not offset:
                return people

    def teams(self):
        return self._get("teams")["teams"]

    def directory_rows(self):
        rows = []
        for person in self.employees():
            rows.append({
                "pleo_id": person["id"],
                "name": f"{person['firstName']} {person['lastName']}".strip(),
                "email": person["email"].lower(),
                "title": person.get("jobTitle") or "",
            })
        return sorted(rows, key=lambda r: r["email"])

    def team_rows(self):
        return [
            {"name": team["name"], "code": team.get("code"),
             "members": sorted(e["email"] for e in team.get("employees", []))}
            for team in self.teams()
        ]

    def handle(self, *args, **options):
        only = options.get("only")
        written = 0
        if only in (None, "employees"):
            rows = self.directory_rows()
            written += len(rows)
            self.stdout.write(f"{len(rows)} employees\n")
        if only in (None, "teams"):
            teams = self.team_rows()
            written += len(teams)
            self.stdout.write(f"{len(teams)} teams\n")
        if options.get("dry_run"):
            return f"dry run: {written} rows not written"
        return f"{written} rows synchronised"
