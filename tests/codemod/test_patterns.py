"""The patterns public legacy integrations use, end to end, with every rule of a strategy.

One module that keeps the host in constants (production and staging), builds URLs with
f-strings, `+`, and a hand-written query string, sends `'Bearer {}'.format(...)` under a
lower-case `authorization` key and `f"Bearer {TOKEN}"` on a `requests.Session`, calls
`requests.request`, `requests.get` and an `httpx.AsyncClient` with a `base_url`, reads
`resp.json()["expenses"]`, loops on `nextPageOffset`, asks for everything with
`pageSize=100000`, and picks a path at run time.
"""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

from tests.codemod.helpers import code, rewrite, scan

BEFORE = code(
    '''
    """Nightly export of Pleo data to the warehouse (legacy Open API)."""
    import os

    import httpx
    import requests

    PLEO_BASE = "https://openapi.pleo.io/v1"
    PLEO_STAGING = "https://openapi.staging.pleo.io/v1"
    TOKEN = os.getenv("PLEO_API_TOKEN")
    HEADERS = {"authorization": "Bearer {}".format(TOKEN)}


    def employee(employee_id):
        return requests.get(f"{PLEO_BASE}/employees/{employee_id}", headers=HEADERS).json()


    def employees_page():
        resp = requests.request("GET", PLEO_BASE + "/employees?pageSize=25", headers=HEADERS)
        return resp.json()["employees"]


    def exported_expense_ids():
        resp = requests.get(
            f"{PLEO_BASE}/expenses",
            params={"status": "EXPORTED", "pageSize": 100},
            headers=HEADERS,
        )
        return [e["id"] for e in resp.json()["expenses"]]


    def all_accounts():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        accounts = []
        offset = 0
        while True:
            response = session.get(f"{PLEO_BASE}/accounts", params={"pageSize": 500, "pageOffset": offset})
            page = response.json()
            accounts.extend(page["accounts"])
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                break
        return accounts


    def everything():
        url = f"{PLEO_BASE}/expenses?pageSize=100000&pageOffset=0"
        return requests.get(url, headers=HEADERS).json()["expenses"]


    async def tax_code(code_id):
        async with httpx.AsyncClient(base_url=PLEO_STAGING, headers=HEADERS) as client:
            response = await client.get(f"/tax-codes/{code_id}")
            return response.json()


    def any_resource(name):
        return requests.get(f"{PLEO_BASE}/{name}", headers=HEADERS).json()
    '''
)

NATIVE = code(
    '''
    """Nightly export of Pleo data to the warehouse (legacy Open API)."""
    import base64
    import os

    import httpx
    import requests

    # TODO[pleo-migrate PLM001]: unchanged while lines 48, 58 stay legacy (developers.pleo.io/reference/pleo-deprecated)
    PLEO_BASE = "https://openapi.pleo.io/v1"
    NEW_API_BASE = "https://external.pleo.io"
    # TODO[pleo-migrate PLM001]: unchanged while line 53 stays legacy (developers.pleo.io/reference/pleo-deprecated)
    PLEO_STAGING = "https://openapi.staging.pleo.io/v1"
    TOKEN = os.getenv("PLEO_API_TOKEN")
    NEW_API_KEY = os.getenv("PLEO_API_KEY")
    HEADERS = {"authorization": "Bearer {}".format(TOKEN)}
    NEW_API_HEADERS = {"authorization": "Basic " + base64.b64encode((NEW_API_KEY + ":").encode()).decode()}


    def employee(employee_id):
        # TODO[pleo-migrate PLM109]: employees.get: returns new-API records: callers reading `role`, `avatar` … must change
        return requests.get(f"{NEW_API_BASE}/v2/employees/{employee_id}", headers=NEW_API_HEADERS).json()["data"]


    def employees_page():
        # TODO[pleo-migrate PLM109]: employees.list: returns new-API records: callers reading `role`, `avatar` … must change
        resp = requests.request("GET", NEW_API_BASE + "/v2/employees?limit=25", headers=NEW_API_HEADERS, params={"companyId": os.environ["PLEO_COMPANY_ID"]})
        return resp.json()["data"]


    def exported_expense_ids():
        resp = requests.post(
            f"{NEW_API_BASE}/v1/accounting-entries:search",
            params={"limit": 100, "company_id": os.environ["PLEO_COMPANY_ID"]},
            headers=NEW_API_HEADERS,
            json={"includeDeleted": True, "exportStatus": ["EXPORTED"]},
        )
        return [e["id"] for e in resp.json()["data"]]


    def all_accounts():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        accounts = []
        offset = 0
        while True:
            # TODO[pleo-migrate PLM105]: accounts.list: waits for line 7 (host/auth shared with a call that stays legacy)
            response = session.get(f"{PLEO_BASE}/accounts", params={"pageSize": 500, "pageOffset": offset})
            page = response.json()
            accounts.extend(page["accounts"])
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                break
        return accounts


    def everything():
        url = f"{PLEO_BASE}/expenses?pageSize=100000&pageOffset=0"
        # TODO[pleo-migrate PLM107]: pageSize=100000 is above the new API's limit of 100 per page
        return requests.get(url, headers=HEADERS).json()["expenses"]


    async def tax_code(code_id):
        async with httpx.AsyncClient(base_url=PLEO_STAGING, headers=HEADERS) as client:
            # TODO[pleo-migrate PLM105]: tax-codes.get: waits for line 9 (host/auth shared with a call that stays legacy)
            response = await client.get(f"/tax-codes/{code_id}")
            return response.json()


    def any_resource(name):
        # TODO[pleo-migrate PLM101]: `name` unbounded (`any_resource` is public)
        return requests.get(f"{PLEO_BASE}/{name}", headers=HEADERS).json()
    '''
)

COMPAT = code(
    '''
    """Nightly export of Pleo data to the warehouse (legacy Open API)."""
    import os

    from migrate.compat import pleo_httpx as httpx
    from migrate.compat import pleo_requests as requests

    PLEO_BASE = "https://openapi.pleo.io/v1"
    PLEO_STAGING = "https://openapi.staging.pleo.io/v1"
    TOKEN = os.getenv("PLEO_API_KEY")
    HEADERS = {"authorization": "Bearer {}".format(TOKEN)}


    def employee(employee_id):
        return requests.get(f"{PLEO_BASE}/employees/{employee_id}", headers=HEADERS).json()


    def employees_page():
        resp = requests.request("GET", PLEO_BASE + "/employees?pageSize=25", headers=HEADERS)
        return resp.json()["employees"]


    def exported_expense_ids():
        resp = requests.get(
            f"{PLEO_BASE}/expenses",
            params={"status": "EXPORTED", "pageSize": 100},
            headers=HEADERS,
        )
        return [e["id"] for e in resp.json()["expenses"]]


    def all_accounts():
        session = requests.Session()
        session.headers["Authorization"] = f"Bearer {TOKEN}"
        accounts = []
        offset = 0
        while True:
            response = session.get(f"{PLEO_BASE}/accounts", params={"pageSize": 500, "pageOffset": offset})
            page = response.json()
            accounts.extend(page["accounts"])
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                break
        return accounts


    def everything():
        url = f"{PLEO_BASE}/expenses?pageSize=100000&pageOffset=0"
        return requests.get(url, headers=HEADERS).json()["expenses"]


    async def tax_code(code_id):
        async with httpx.AsyncClient(base_url=PLEO_STAGING, headers=HEADERS) as client:
            response = await client.get(f"/tax-codes/{code_id}")
            return response.json()


    def any_resource(name):
        return requests.get(f"{PLEO_BASE}/{name}", headers=HEADERS).json()
    '''
)


def test_native_leaves_a_partly_manual_module_alone_but_for_its_todos() -> None:
    """Calls stay manual, and they share the host constants and the auth header with the
    others: those stay as they were, and the calls that can move onto copies of them do
    (a split); the async client whose base and headers are set where it is made waits and
    says which shared line it waits for (issue 12)."""
    assert rewrite(BEFORE) == NATIVE


def test_scan_agrees_with_the_native_rewrite() -> None:
    sites = scan(BEFORE)
    # every call shares HEADERS (and TOKEN) with those that stay: the three that move onto
    # copies of them are automatic, the async client that waits is manual, as in rewrite
    assert [(site.label, site.automatic) for site in sites] == [
        ("employees.get", True),
        ("employees.list", True),
        ("expenses.list", True),
        ("accounts.list", False),
        ("expenses.list", False),
        ("tax-codes.get", False),
        ("dynamic path", False),
    ]
    manual = sum(1 for site in sites if not site.automatic)
    notes = NATIVE.count("# TODO[pleo-migrate PLM001]")  # one per host constant kept
    advisory = NATIVE.count("# TODO[pleo-migrate PLM109]")  # notes on moved calls' records
    assert (notes, NATIVE.count("# TODO[pleo-migrate") - notes - advisory) == (2, manual)


def test_compat_only_routes_the_calls() -> None:
    assert rewrite(BEFORE, strategy="compat") == COMPAT
