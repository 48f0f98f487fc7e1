"""Paging through request helpers and run-time values (PLM005, PLM006, PLM003, PLM106, PLM107).

Loops whose request goes through a module's request helper (keywords as the query, `params=`,
a response or its JSON returned), generators among them; run-time page sizes capped as the
planner caps them; run-time day filters converted by a written expression.
"""

# Expected outputs hold whole rewritten lines and TODO comments, as long as they come.
# ruff: noqa: E501

from __future__ import annotations

import pytest

from tests.codemod.helpers import FIXTURE_MAPPINGS, check, code, rewrite, scan

CASES = [
    pytest.param(
        """
        import os

        import requests

        BASE_URL = "https://openapi.pleo.io/v1/"
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


        def employees(page_size=50):
            offset = 0
            while True:
                resp = session.get(BASE_URL + "employees", params={"pageOffset": offset, "pageSize": page_size}, timeout=30)
                resp.raise_for_status()
                body = resp.json()
                yield from body["employees"]
                offset = (body.get("metadata") or {}).get("pageInfo", {}).get("nextPageOffset")
                if offset is None:
                    return
        """,
        """
        import os

        import requests

        BASE_URL = "https://openapi.pleo.io/v1/"
        session = requests.Session()
        session.headers["Authorization"] = "Bearer " + os.environ.get("PLEO_TOKEN", "")


        def employees(page_size=50):
            offset = None
            while True:
                resp = session.get(BASE_URL + "v2/employees", params={"after": offset, "limit": min(page_size, 1000)}, timeout=30)
                resp.raise_for_status()
                body = resp.json()
                yield from body["employees"]
                offset = body.get("pagination", {}).get("endCursor") if body.get("pagination", {}).get("hasNextPage") else None
                if offset is None:
                    return
        """,
        id="a defaulted step `(body.get(\"metadata\") or {})` in a Session generator on a slash base",
    ),
    pytest.param(
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def via_page_info(headers):
            out = []
            offset = 0
            while offset is not None:
                body = requests.get(f"{API}/employees", params={"pageOffset": offset, "pageSize": 50}, headers=headers).json()
                out.extend(body["employees"])
                page_info = body["metadata"]["pageInfo"]
                offset = page_info.get("nextPageOffset")
            return out


        def via_get_chain(session):
            offset = 0
            while True:
                resp = session.get(API + "/employees", params={"pageOffset": offset})
                payload = resp.json()
                yield from payload["employees"]
                info = payload.get("metadata", {}).get("pageInfo", {})
                offset = info.get("nextPageOffset")
                if not offset:
                    break
        """,
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def via_page_info(headers):
            out = []
            offset = ""
            while offset is not None:
                body = requests.get(f"{API}/v2/employees", params={**({"after": offset} if offset else {}), "limit": 50}, headers=headers).json()
                out.extend(body["employees"])
                page_info = body["pagination"]
                offset = page_info.get("endCursor") if page_info.get("hasNextPage") else None
            return out


        def via_get_chain(session):
            offset = None
            while True:
                resp = session.get(API + "/v2/employees", params={**({"after": offset} if offset is not None else {})})
                payload = resp.json()
                yield from payload["employees"]
                info = payload.get("pagination", {})
                offset = info.get("endCursor") if info.get("hasNextPage") else None
                if not offset:
                    break
        """,
        id='the page info held in a name read only for nextPageOffset (subscripts; .get chain in a generator)',
    ),
    pytest.param(
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def via_next(headers):
            out = []
            offset = 0
            while True:
                body = requests.get(f"{API}/employees", params={"pageOffset": offset, "pageSize": 50}, headers=headers).json()
                out.extend(body["employees"])
                next_offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if next_offset is None:
                    break
                offset = next_offset
            return out
        """,
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def via_next(headers):
            out = []
            offset = None
            while True:
                body = requests.get(f"{API}/v2/employees", params={"after": offset, "limit": 50}, headers=headers).json()
                out.extend(body["employees"])
                next_offset = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
                if next_offset is None:
                    break
                offset = next_offset
            return out
        """,
        id='the offset set from a name that holds nextPageOffset and is only tested (requests, inline)',
    ),
    pytest.param(
        """
        import os

        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        class People:
            def __init__(self):
                self.http = httpx.Client(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

            def _get(self, path, **params):
                response = self.http.get(PLEO + path, params=params)
                response.raise_for_status()
                return response.json()

            def each(self, size=100):
                position = 0
                while True:
                    data = self._get("/employees", pageSize=size, pageOffset=position)
                    yield from data["employees"]
                    following = data.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
                    if not following:
                        return
                    position = following
        """,
        """
        import os

        import httpx

        PLEO = "https://openapi.pleo.io/v1"


        class People:
            def __init__(self):
                self.http = httpx.Client(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

            def _get(self, path, **params):
                response = self.http.get(PLEO + path, params=params)
                response.raise_for_status()
                return response.json()

            def each(self, size=100):
                position = None
                while True:
                    data = self._get("/v2/employees", limit=min(size, 1000), **({"after": position} if position is not None else {}))
                    yield from data["employees"]
                    following = data.get("pagination", {}).get("endCursor") if data.get("pagination", {}).get("hasNextPage") else None
                    if not following:
                        return
                    position = following
        """,
        id='the same relay through an httpx keyword helper in a generator, `if not following: return`',
    ),
    pytest.param(
        """
        import os

        import requests

        API_BASE = "https://openapi.pleo.io/v1"


        class PleoSession:
            def __init__(self, token=None):
                self.session = requests.Session()
                self.session.headers["Authorization"] = "Bearer " + (token or os.environ["PLEO_TOKEN"])

            def _get(self, path, **query):
                response = self.session.get(API_BASE + path, params=query, timeout=20)
                response.raise_for_status()
                return response.json()

            def iter_employees(self, batch=100):
                offset = 0
                while True:
                    page = self._get("/employees", pageOffset=offset, pageSize=batch)
                    yield from page["employees"]
                    offset = page.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
                    if not offset:
                        break
        """,
        """
        import os

        import requests

        API_BASE = "https://openapi.pleo.io/v1"


        class PleoSession:
            def __init__(self, token=None):
                self.session = requests.Session()
                self.session.headers["Authorization"] = "Bearer " + (token or os.environ["PLEO_TOKEN"])

            def _get(self, path, **query):
                response = self.session.get(API_BASE + path, params=query, timeout=20)
                response.raise_for_status()
                return response.json()

            def iter_employees(self, batch=100):
                offset = None
                while True:
                    page = self._get("/v2/employees", **({"after": offset} if offset is not None else {}), limit=min(batch, 1000))
                    yield from page["employees"]
                    offset = page.get("pagination", {}).get("endCursor") if page.get("pagination", {}).get("hasNextPage") else None
                    if not offset:
                        break
        """,
        id='requests Session wrapper: keywords as the query, a generator, chained .get metadata, `if not offset: break`',
    ),
    pytest.param(
        """
        import os

        import httpx

        BASE = "https://openapi.pleo.io/v1"


        class Client:
            def __init__(self):
                self.http = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

            def _fetch(self, endpoint, **params):
                return self.http.get(f"{BASE}{endpoint}", params=params).json()

            def all_employees(self, size):
                rows = []
                cursor = 0
                while cursor is not None:
                    data = self._fetch("/employees", pageSize=size, pageOffset=cursor)
                    rows += data["employees"]
                    cursor = data["metadata"]["pageInfo"]["nextPageOffset"]
                return rows
        """,
        """
        import os

        import httpx

        BASE = "https://openapi.pleo.io/v1"


        class Client:
            def __init__(self):
                self.http = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

            def _fetch(self, endpoint, **params):
                return self.http.get(f"{BASE}{endpoint}", params=params).json()

            def all_employees(self, size):
                rows = []
                cursor = ""
                while cursor is not None:
                    data = self._fetch("/v2/employees", limit=min(size, 1000), **({"after": cursor} if cursor else {}))
                    rows += data["employees"]
                    cursor = data["pagination"]["endCursor"] if data["pagination"]["hasNextPage"] else None
                return rows
        """,
        id='httpx Client wrapper: keywords as the query, `while cursor is not None`, subscripts',
    ),
    pytest.param(
        """
        import os

        import httpx

        ROOT = "https://openapi.pleo.io/v1"


        class AsyncPleo:
            def __init__(self):
                self.client = httpx.AsyncClient(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

            async def _call(self, method, path, **kwargs):
                resp = await self.client.request(method, ROOT + path, **kwargs)
                resp.raise_for_status()
                return resp

            async def employees(self, page_size=25):
                offset = 0
                while True:
                    resp = await self._call("GET", "/employees", params={"pageOffset": offset, "pageSize": page_size})
                    body = resp.json()
                    for employee in body["employees"]:
                        yield employee
                    offset = body["metadata"]["pageInfo"].get("nextPageOffset")
                    if offset is None:
                        return
        """,
        """
        import os

        import httpx

        ROOT = "https://openapi.pleo.io/v1"


        class AsyncPleo:
            def __init__(self):
                self.client = httpx.AsyncClient(headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})

            async def _call(self, method, path, **kwargs):
                resp = await self.client.request(method, ROOT + path, **kwargs)
                resp.raise_for_status()
                return resp

            async def employees(self, page_size=25):
                offset = None
                while True:
                    resp = await self._call("GET", "/v2/employees", params={**({"after": offset} if offset is not None else {}), "limit": min(page_size, 1000)})
                    body = resp.json()
                    for employee in body["employees"]:
                        yield employee
                    offset = body.get("pagination", {}).get("endCursor") if body.get("pagination", {}).get("hasNextPage") else None
                    if offset is None:
                        return
        """,
        id='async generator through an AsyncClient helper returning the response; resp and body assigned',
    ),
    pytest.param(
        """
        import os

        import requests

        BASE = "https://openapi.pleo.io/v1"


        def _get(path, params=None):
            resp = requests.get(BASE + path, params=params, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
            resp.raise_for_status()
            return resp


        def employee_emails(page_size):
            emails, offset = [], 0
            while True:
                resp = _get("/employees", params={"pageSize": page_size, "pageOffset": offset})
                payload = resp.json()
                emails += [e["email"] for e in payload["employees"]]
                offset = payload.get("metadata", {}).get("pageInfo", {}).get("nextPageOffset")
                if offset is None:
                    break
            return emails
        """,
        """
        import os

        import requests

        BASE = "https://openapi.pleo.io/v1"


        def _get(path, params=None):
            resp = requests.get(BASE + path, params=params, headers={"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]})
            resp.raise_for_status()
            return resp


        def employee_emails(page_size):
            emails, offset = [], None
            while True:
                resp = _get("/v2/employees", params={"limit": min(page_size, 1000), **({"after": offset} if offset is not None else {})})
                payload = resp.json()
                emails += [e["email"] for e in payload["employees"]]
                offset = payload.get("pagination", {}).get("endCursor") if payload.get("pagination", {}).get("hasNextPage") else None
                if offset is None:
                    break
            return emails
        """,
        id='module-level requests helper with params=; `rows, offset = [], 0`; chained .get metadata',
    ),
    pytest.param(
        """
        import os

        import httpx
        import requests

        API = "https://openapi.pleo.io/v1"
        HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


        def first_employees(limit):
            r = requests.get(API + "/employees", params={"pageSize": limit}, headers=HEADERS)
            r.raise_for_status()
            return r.json()["employees"]


        def first_page(count=10):
            r = httpx.get("{}/employees".format(API), params={"pageOffset": 0, "pageSize": count}, headers=HEADERS)
            return r.json()["employees"]


        def in_url(n):
            return requests.get(f"{API}/employees?pageSize={n}", headers=HEADERS).json()["employees"]
        """,
        """
        import os

        import httpx
        import requests

        API = "https://openapi.pleo.io/v1"
        HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


        def first_employees(limit):
            r = requests.get(API + "/employees", params={"pageSize": limit}, headers=HEADERS)
            r.raise_for_status()
            return r.json()["employees"]


        def first_page(count=10):
            r = httpx.get("{}/employees".format(API), params={"pageOffset": 0, "pageSize": count}, headers=HEADERS)
            return r.json()["employees"]


        def in_url(n):
            # TODO[pleo-migrate PLM107]: the page size is only known at run time (developers.pleo.io/reference/pleo-deprecated)
            return requests.get(f"{API}/employees?pageSize={n}", headers=HEADERS).json()["employees"]
        """,
        id='run-time page size on one call: min(size, maximum) in params= (concatenation, .format); in the URL it stays',
    ),
    pytest.param(
        """
        import os

        import requests

        API = "https://openapi.pleo.io/v1"
        HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


        def expenses_since(since, until=None):
            found, offset = [], 0
            while True:
                r = requests.get(f"{API}/expenses", params={"dateFrom": since, "dateTo": until, "pageOffset": offset, "pageSize": 50}, headers=HEADERS)
                body = r.json()
                found.extend(body["expenses"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    return found
        """,
        """
        import os

        import requests

        API = "https://openapi.pleo.io/v1"
        HEADERS = {"Authorization": "Bearer " + os.environ.get("PLEO_TOKEN", "")}


        def expenses_since(since, until=None):
            found, offset = [], None
            while True:
                r = requests.post(f"{API}/v1/accounting-entries:search", params={"after": offset, "limit": 50}, headers=HEADERS, json={"includeDeleted": True, **({"performedAtStart": f"{since}T00:00:00Z" if len(str(since)) == 10 else since} if since else {}), **({"performedAtEnd": f"{until}T23:59:59Z" if len(str(until)) == 10 else until} if until else {})})
                body = r.json()
                found.extend(body["expenses"])
                offset = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
                if offset is None:
                    return found
        """,
        id='run-time dateFrom/dateTo of a search: the day bound written out (requests, f-string)',
    ),
    pytest.param(
        """
        import os

        import httpx

        BASE = "https://openapi.pleo.io/v1/"


        class Expenses:
            def __init__(self):
                self.client = httpx.Client(base_url=BASE, headers={"Authorization": "Bearer {}".format(os.environ["PLEO_TOKEN"])})

            def _request(self, method, path, **kw):
                response = self.client.request(method, path, **kw)
                response.raise_for_status()
                return response

            def ids_between(self, start, end, page_size=100):
                ids = []
                offset = 0
                while offset is not None:
                    page = self._request("GET", "expenses", params={"dateFrom": start, "dateTo": end, "pageOffset": offset, "pageSize": page_size}).json()
                    ids += [e["id"] for e in page["expenses"]]
                    offset = page["metadata"]["pageInfo"]["nextPageOffset"]
                return ids
        """,
        """
        import os

        import httpx

        BASE = "https://openapi.pleo.io/v1/"


        class Expenses:
            def __init__(self):
                self.client = httpx.Client(base_url=BASE, headers={"Authorization": "Bearer {}".format(os.environ["PLEO_TOKEN"])})

            def _request(self, method, path, **kw):
                response = self.client.request(method, path, **kw)
                response.raise_for_status()
                return response

            def ids_between(self, start, end, page_size=100):
                ids = []
                offset = ""
                while offset is not None:
                    page = self._request("POST", "v1/accounting-entries:search", params={**({"after": offset} if offset else {}), "limit": min(page_size, 100)}, json={"includeDeleted": True, **({"performedAtStart": f"{start}T00:00:00Z" if len(str(start)) == 10 else start} if start else {}), **({"performedAtEnd": f"{end}T23:59:59Z" if len(str(end)) == 10 else end} if end else {})}).json()
                    ids += [e["id"] for e in page["expenses"]]
                    offset = page["pagination"]["endCursor"] if page["pagination"]["hasNextPage"] else None
                return ids
        """,
        id="run-time dateFrom/dateTo through an httpx base_url wrapper's `_request(method, path, **kw)`",
    ),
    pytest.param(
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def since(days, today):
            found, offset = [], 0
            while True:
                body = requests.get(API + "/expenses", params={"dateFrom": today.replace(day=days), "pageOffset": offset, "pageSize": 50}).json()
                found.extend(body["expenses"])
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    return found
        """,
        """
        import requests

        API = "https://openapi.pleo.io/v1"


        def since(days, today):
            found, offset = [], 0
            while True:
                # TODO[pleo-migrate PLM106]: `dateFrom` needs converting (date-start), done only for a value held in a name
                body = requests.get(API + "/expenses", params={"dateFrom": today.replace(day=days), "pageOffset": offset, "pageSize": 50}).json()
                found.extend(body["expenses"])
                # TODO[pleo-migrate PLM107]: follows the legacy nextPageOffset paging
                offset = body["metadata"]["pageInfo"]["nextPageOffset"]
                if offset is None:
                    return found
        """,
        id='a run-time day from a call expression keeps the PLM106 TODO naming the conversion',
    ),
    pytest.param(
        """
        import os

        import requests

        API = "https://openapi.pleo.io/v1"
        HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


        def _call(path, **query):
            resp = requests.get("{}{}".format(API, path), params=query or None, headers=HEADERS, timeout=30)
            resp.raise_for_status()
            return resp.json()


        def all_employees(size=200):
            people, offset = [], 0
            while True:
                page = _call("/employees", pageOffset=offset, pageSize=size)
                people.extend(page["employees"])
                offset = page["metadata"]["pageInfo"].get("nextPageOffset")
                if offset is None:
                    return people
        """,
        """
        import os

        import requests

        API = "https://openapi.pleo.io/v1"
        HEADERS = {"Authorization": "Bearer " + os.environ["PLEO_TOKEN"]}


        def _call(path, **query):
            resp = requests.get("{}{}".format(API, path), params=query or None, headers=HEADERS, timeout=30)
            resp.raise_for_status()
            return resp.json()


        def all_employees(size=200):
            people, offset = [], None
            while True:
                page = _call("/v2/employees", **({"after": offset} if offset is not None else {}), limit=min(size, 1000))
                people.extend(page["employees"])
                offset = page.get("pagination", {}).get("endCursor") if page.get("pagination", {}).get("hasNextPage") else None
                if offset is None:
                    return people
        """,
        id='module function sending `params=query or None` (requests, .format URL): the loop follows the cursor',
    ),
    pytest.param(
        """
        import os

        import httpx

        BASE_URL = "https://openapi.pleo.io/v1"


        class Directory:
            def __init__(self):
                self.client = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

            def _get(self, endpoint, **kw):
                return self.client.get(f"{BASE_URL}{endpoint}", params=kw or None).json()

            def employees(self, size=100):
                start = 0
                while start is not None:
                    body = self._get("/employees", pageOffset=start, pageSize=size)
                    yield from body["employees"]
                    start = body["metadata"]["pageInfo"]["nextPageOffset"]
        """,
        """
        import os

        import httpx

        BASE_URL = "https://openapi.pleo.io/v1"


        class Directory:
            def __init__(self):
                self.client = httpx.Client(headers={"Authorization": f"Bearer {os.environ['PLEO_TOKEN']}"})

            def _get(self, endpoint, **kw):
                return self.client.get(f"{BASE_URL}{endpoint}", params=kw or None).json()

            def employees(self, size=100):
                start = ""
                while start is not None:
                    body = self._get("/v2/employees", **({"after": start} if start else {}), limit=min(size, 1000))
                    yield from body["employees"]
                    start = body["pagination"]["endCursor"] if body["pagination"]["hasNextPage"] else None
        """,
        id='httpx Client wrapper sending `params=kw or None`, a generator, `while start is not None`',
    ),
]


@pytest.mark.parametrize(("before", "after"), CASES)
def test_paging_through_helpers(before: str, after: str | None) -> None:
    check(before, after, ["PLM002", "PLM003", "PLM005", "PLM006", "PLM106", "PLM107"])


def test_each_case_is_idempotent_under_any_rule_selection() -> None:
    """Twice is once for every `--only X` / `--skip X`: a helper call whose path an earlier
    run moved (`"/v2/employees"` while the base stays, PLM001 skipped) is no legacy call."""
    from migrate.codemod.one_file import Job, process_bytes
    from migrate.codemod.registry import rules_for, select

    native = [rule.id for rule in rules_for("native")]
    selections = [select("native", only=[rule]) for rule in native]
    selections += [select("native", skip=[rule]) for rule in native]
    for enabled in selections:
        job = Job("diff", "native", enabled, FIXTURE_MAPPINGS)
        for case in CASES:
            raw = code(case.values[0]).encode()
            first = process_bytes("t.py", raw, job)
            if first is not None and first.status != "unchanged":
                assert first.status == "changed", (sorted(enabled), first.reason)


KEYWORD_PAGE = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"


class Api:
    def __init__(self):
        self.s = requests.Session()
        self.s.headers["Authorization"] = "Bearer " + os.environ["PLEO_TOKEN"]

    def _get(self, path, **params):
        r = self.s.get(BASE + path, params=params)
        r.raise_for_status()
        return r.json()

    def some_people(self, n):
        return self._get("/employees", pageSize=n)["employees"]
'''


def test_one_page_of_a_run_time_size_sent_as_a_keyword_is_drained() -> None:
    """`self._get("/employees", pageSize=n)["employees"]` on a helper sending its keywords as
    the query: the PLM011 loop, its page size and cursor written as keywords."""
    after = rewrite(KEYWORD_PAGE, None)
    assert "records, after = [], None" in after
    assert (
        'page = self._get("/v2/employees", limit=min(1000, n - len(records)), '
        'companyId=os.environ["PLEO_COMPANY_ID"], **({"after": after} if after else {}))'
    ) in after
    assert "or len(records) >= n:" in after
    assert rewrite(after, None) == after  # twice is once


MUTATED_KEYWORDS = '''
import os

import requests

BASE = "https://openapi.pleo.io/v1"


class Api:
    def __init__(self):
        self.s = requests.Session()

    def _get(self, path, **params):
        params.setdefault("pageSize", 100)
        r = self.s.get(BASE + path, params=params)
        return r.json()

    def some_people(self, n):
        return self._get("/employees", pageSize=n)["employees"]
'''


def test_a_helper_that_changes_its_keywords_before_sending_them_is_left_to_a_human() -> None:
    """`params.setdefault("pageSize", 100)` in the helper: the keywords at the call are not the
    whole query, so the call is not rewritten there (PLM105 names the keyword)."""
    found = {site.label: site for site in scan(MUTATED_KEYWORDS)}
    reasons = found["employees.list"].reasons
    assert [reason.rule for reason in reasons] == ["PLM105"]
    assert "`pageSize=` is turned into the request by `_get`" in reasons[0].message
    assert 'self._get("/employees", pageSize=n)' in rewrite(MUTATED_KEYWORDS, None)


LOGGED_KEYWORDS = MUTATED_KEYWORDS.replace(
    '        params.setdefault("pageSize", 100)\n        r = self.s.get(BASE + path, params=params)',
    '        log.debug("GET %s %s", path, params)\n        r = self.s.get(BASE + path, params=params or None)',
)


def test_a_helper_that_reads_its_keywords_again_is_left_to_a_human_in_the_or_none_form() -> None:
    """`params=params or None` is the keywords as sent only when the helper reads `params`
    nowhere else: with a second read, the call keeps PLM105 naming the keyword."""
    assert "params=params or None" in LOGGED_KEYWORDS and "log.debug" in LOGGED_KEYWORDS
    found = {site.label: site for site in scan(LOGGED_KEYWORDS)}
    reasons = found["employees.list"].reasons
    assert [reason.rule for reason in reasons] == ["PLM105"]
    assert "`pageSize=` is turned into the request by `_get`" in reasons[0].message
