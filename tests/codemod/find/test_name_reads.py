"""Names with several bindings: libcst's scope analysis says which ones a read can see
(`text/cst.py`), and the finder follows URLs through them.

The shapes are those of real scripts (issue 12): a URL assigned in `if/elif` branches, a
module constant reassigned later and read through a default argument, a base re-assigned
under `if staging`, a `.format` template held in a constant.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
import textwrap
from pathlib import Path

from migrate.codemod.find.collect import collect
from migrate.codemod.find.evaluate import Evaluator
from migrate.codemod.text.cst import NameReads
from tests.codemod.helpers import code, rewrite, scan

REASSIGNED = code(
    """
    import os
    from urllib.parse import urljoin

    import requests

    API_ROOT = "https://openapi.pleo.io/v1/"
    if os.environ.get("PLEO_ENVIRONMENT") == "staging":
        API_ROOT = "https://openapi.staging.pleo.io/v1/"

    URL = "https://openapi.pleo.io/v1/employees"
    EXPENSE_URL = API_ROOT + "expenses/{}"


    def employee_emails(url=URL):
        return requests.get(url).json()


    def expense_note(expense_id):
        return requests.get(EXPENSE_URL.format(expense_id)).json()


    URL = urljoin(API_ROOT, "tax-codes")


    def tax_codes(url=URL):
        return requests.get(url).json()


    def employee(employee_id):
        return requests.get(URL_OF_EMPLOYEE + employee_id).json()


    URL_OF_EMPLOYEE = "https://hr.example.com/people/"
    URL_OF_EMPLOYEE = API_ROOT + "employees/"
    """
)


def _lines(reads: NameReads, name: str, line: int) -> list[int]:
    found = reads.readable(name, line)
    assert found is not None, (name, line)
    return [item.line for item in found]


def test_libcst_says_which_assignments_a_read_can_see() -> None:
    reads = NameReads(REASSIGNED)
    lines = REASSIGNED.splitlines()
    first_def = next(i for i, t in enumerate(lines, 1) if t.startswith("def employee_emails"))
    second_def = next(i for i, t in enumerate(lines, 1) if t.startswith("def tax_codes"))
    url_lines = [i for i, t in enumerate(lines, 1) if t.startswith("URL = ")]
    root_lines = [i for i, t in enumerate(lines, 1) if t.lstrip().startswith("API_ROOT = ")]
    # a default argument is read where the `def` runs: only the binding made before it
    assert _lines(reads, "URL", first_def) == url_lines[:1]
    assert _lines(reads, "URL", second_def) == url_lines  # the earlier one is pruned later
    # a base re-assigned under `if`: both are visible after it
    assert _lines(reads, "API_ROOT", root_lines[1] + 3) == root_lines
    assert reads.readable("sorted", 1) is None  # no such read


def test_urls_are_followed_through_reassignments_defaults_and_format_constants() -> None:
    sites = {site.line: site for site in scan(REASSIGNED)}
    found = sorted((line, site.operation) for line, site in sites.items())
    assert found == [
        (15, "employees.list"),  # url=URL: the URL bound before the def
        (19, "expenses.get"),  # EXPENSE_URL.format(id), EXPENSE_URL on a base chosen at start
        (26, "tax-codes.list"),  # url=URL: the reassigned URL, built with urljoin
        (30, "employees.get"),  # the last unconditional binding of a global, read at run time
    ]
    assert all(site.status == "matched" for site in sites.values())


def test_a_name_bound_to_another_api_is_not_a_legacy_call() -> None:
    sites = scan(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1"
        STATUS = "https://openapi.pleo.io/v1/employees"
        STATUS = "https://status.example.com/ping"


        def employees():
            return requests.get(BASE + "/employees").json()


        def ping():
            return requests.get(STATUS).json()
        """
    )
    assert [(site.line, site.operation) for site in sites] == [(9, "employees.list")]


def test_an_unbounded_path_stays_chosen_at_run_time() -> None:
    (site,) = scan(
        """
        import requests

        BASE = "https://openapi.pleo.io/v1/"


        def records(stream):
            url = f"{BASE}{stream}"
            return requests.get(url).json()
        """
    )
    assert site.operation is None and site.status == "dynamic"
    assert [reason.rule for reason in site.reasons] == ["PLM101"]


def _libcst_imported(tmp_path: Path, files: dict[str, str]) -> tuple[bool, int]:
    """Scan a tree in a fresh interpreter: was libcst imported, and how many call sites?"""
    for name, text in files.items():
        (tmp_path / name).write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    probe = textwrap.dedent(
        f"""
        import json, sys
        from migrate.codemod import Job, run, select
        outcome = run([{str(tmp_path)!r}], Job("scan", "native", select("native")), jobs=1)
        sites = len(outcome.result.sites)
        print(json.dumps(["libcst" in sys.modules, sites]))
        """
    )
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", probe],
        capture_output=True, text=True, check=True, timeout=120,
    )
    assert ("| libcst" in done.stderr) == json.loads(done.stdout)[0]  # -X importtime agrees
    imported, sites = json.loads(done.stdout)
    return bool(imported), int(sites)


def test_scan_imports_libcst_only_for_a_url_the_ast_evaluator_cannot_follow(
    tmp_path: Path,
) -> None:
    clean = tmp_path / "clean"
    clean.mkdir()
    files = {
        "other.py": """
            import requests

            URL = "https://hr.example.com/a"
            URL = "https://hr.example.com/b"
            requests.get(URL)
            """,
        "plain.py": "x = 1\n",
    }
    assert _libcst_imported(clean, files) == (False, 0)
    followed = tmp_path / "followed"
    followed.mkdir()
    files = {  # a name bound twice that is not part of a URL does not count
        "legacy.py": """
            import requests

            offset = 0
            offset = 1
            requests.get("https://openapi.pleo.io/v1/teams", params={"pageOffset": offset})
            """
    }
    assert _libcst_imported(followed, files) == (False, 1)
    branches = tmp_path / "branches"
    branches.mkdir()
    files = {
        "legacy.py": """
            import requests

            BASE = "https://openapi.pleo.io/v1"


            def fetch(kind):
                if kind == "teams":
                    url = BASE + "/teams"
                else:
                    url = BASE + "/employees"
                return requests.get(url)
            """
    }
    assert _libcst_imported(branches, files) == (True, 2)  # the call, and its other branch


def test_calls_on_a_base_re_set_under_if_stay_new_api_calls_on_a_second_run() -> None:
    """After the rewrite the module still names a legacy host (a URL no call uses), so its
    HTTP calls are looked at again: each URL the base can give must read as a new-API one,
    or the second run would flag them and the file would not be written."""
    source = """
        import os
        from urllib.parse import urljoin

        import requests

        API_ROOT = "https://openapi.pleo.io/v1/"
        if os.environ.get("PLEO_ENVIRONMENT") == "staging":
            API_ROOT = "https://openapi.staging.pleo.io/v1/"
        UNUSED = "https://openapi.pleo.io/v1/employees"
        EXPENSE_URL = API_ROOT + "expenses/{}"


        def expense(expense_id):
            return requests.get(EXPENSE_URL.format(expense_id)).json()


        def tax_code(tax_code_id):
            return requests.get(urljoin(API_ROOT, "tax-codes/" + tax_code_id)).json()


        def account(account_id):
            url = "{root}accounts/{id}".format(root=API_ROOT, id=account_id)
            return requests.get(url).json()
        """
    after = rewrite(source)  # fails unless the second run finds nothing to do
    assert 'EXPENSE_URL = API_ROOT + "v1/accounting-entries/{}"' in after
    assert 'urljoin(API_ROOT, "v0/tax-codes/" + tax_code_id)' in after
    assert '"{root}v1/chart-of-accounts/{id}".format(root=API_ROOT, id=account_id)' in after
    assert 'API_ROOT = "https://external.staging.pleo.io/"' in after
    todos = [todo.strip() for todo in after.splitlines() if "TODO" in todo]
    # The three rewritten calls return new-API records: each carries its PLM109 note.
    assert sum("PLM109" in todo for todo in todos) == 3
    assert [todo for todo in todos if "PLM109" not in todo] == [
        "# TODO[pleo-migrate PLM111]: a legacy URL (https://openapi.pleo.io/v1/employees) that no "
        "recognised call uses"
    ]


def test_samples_are_every_url_an_expression_can_be() -> None:
    source = code(
        """
        import os
        from urllib.parse import urljoin

        ROOT = "https://external.pleo.io/"
        if os.environ.get("PLEO_ENV") == "staging":
            ROOT = "https://external.staging.pleo.io/"
        TEMPLATE = ROOT + "v1/accounting-entries/{}"


        def urls(entry_id, code_id):
            return (
                TEMPLATE.format(entry_id),
                urljoin(ROOT, "v0/tax-codes/" + code_id),
                "{root}v1/chart-of-accounts/{id}".format(root=ROOT, id=entry_id),
            )
        """
    )
    tree = ast.parse(source)
    facts = collect(tree)
    evaluator = Evaluator(facts, source)
    returned = next(node for node in ast.walk(tree) if isinstance(node, ast.Tuple))
    scope = facts.functions[next(n for n in tree.body if isinstance(n, ast.FunctionDef))]
    found = [evaluator.samples(element, scope) for element in returned.elts]
    assert found == [
        [f"https://external{env}.pleo.io/v1/accounting-entries/x" for env in ("", ".staging")],
        [f"https://external{env}.pleo.io/v0/tax-codes/x" for env in ("", ".staging")],
        [f"https://external{env}.pleo.io/v1/chart-of-accounts/x" for env in ("", ".staging")],
    ]
