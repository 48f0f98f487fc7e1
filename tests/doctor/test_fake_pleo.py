"""Doctor against a scripted Pleo (httpx.MockTransport): answers the simulator never gives, such
as a key without an installation, an organisation key's refusal, or a server error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import httpx

from migrate import pleo
from migrate.doctor import Checkup, Credential, DoctorRequest, Wire, run_checkup
from migrate.mapping import load_catalogue

COMPANY = "11111111-1111-4111-8111-111111111111"
OTHER = "22222222-2222-4222-8222-222222222222"
ORG = "33333333-3333-4333-8333-333333333333"
NEW, LEGACY = "http://new.test", "http://legacy.test/v1"

Routes = Mapping[tuple[str, str], Any]  # (status, body), or a function of the request to it


def _run(routes: Routes, *, company: str | None = None, legacy: bool = False) -> Checkup:
    def answer(request: httpx.Request) -> httpx.Response:
        key = (request.url.host, request.url.path)
        route = routes.get(key, (404, {"type": "NOT_FOUND", "message": "nothing"}))
        status, body = route(request) if callable(route) else route
        return httpx.Response(status, json=body)

    request = DoctorRequest(
        env="staging", new_url=NEW, legacy_url=LEGACY, key=Credential.api_key("k-secret"),
        key_is_oauth=False, legacy_token=Credential.legacy_token("t-secret") if legacy else None,
        company_id=company,
    )
    wire = Wire(LEGACY, NEW, request.secrets(), transport=httpx.MockTransport(answer))
    with wire:
        return run_checkup(request, load_catalogue(), wire)


def _verdict(checkup: Checkup, check: str) -> tuple[str, str, str | None]:
    found = next(v for v in checkup.verdicts if v.check == check)
    return found.status.value, found.detail, found.fix


def _companies(*ids: str) -> tuple[int, Any]:
    return 200, {pleo.NEW_DATA: [{"id": i, "name": f"company {i[:4]}"} for i in ids]}


def test_without_an_installation_the_company_list_is_the_fallback() -> None:
    checkup = _run({("new.test", pleo.COMPANIES_PATH): _companies(COMPANY)})
    status, detail, _ = _verdict(checkup, "company")
    assert status == "pass" and "no installation to read (404" in detail
    assert _verdict(checkup, "key")[1] == "accepted; its installation read answered 404"
    assert f"export {pleo.COMPANY_ID_VAR}={COMPANY}" in detail
    chosen = _run({("new.test", pleo.COMPANIES_PATH): _companies(COMPANY, OTHER)},
                  company=OTHER)
    assert _verdict(chosen, "company")[0] == "pass"
    wrong = _run({("new.test", pleo.COMPANIES_PATH): _companies(COMPANY)}, company=OTHER)
    assert _verdict(wrong, "company")[0] == "fail" and wrong.exit_code == 1


def test_several_companies_and_none_chosen_is_a_failed_check() -> None:
    checkup = _run({("new.test", pleo.COMPANIES_PATH): _companies(COMPANY, OTHER)})
    status, _, fix = _verdict(checkup, "company")
    assert status == "fail" and fix is not None and COMPANY in fix and OTHER in fix


def test_no_installation_and_no_company_list_is_untestable() -> None:
    checkup = _run({("new.test", pleo.COMPANIES_PATH): (403, {"type": "FORBIDDEN"})},
                   company=COMPANY)
    status, detail, _ = _verdict(checkup, "company")
    assert status == "untestable" and "403" in detail and checkup.exit_code == 0


def test_an_organisation_key_that_cannot_reach_the_company_fails() -> None:
    def installation(request: httpx.Request) -> tuple[int, Any]:
        if request.url.params.get(pleo.INSTALLATION_COMPANY_PARAM) == COMPANY:
            return 200, {pleo.INSTALLATION_RESOURCE: f"urn:pleo:company:{COMPANY}"}
        if request.url.params.get(pleo.INSTALLATION_COMPANY_PARAM):
            return 403, {"type": "FORBIDDEN", "message": "no access"}
        return 200, {pleo.INSTALLATION_RESOURCE: f"urn:pleo:organization:{ORG}"}

    routes = {("new.test", pleo.INSTALLATION_PATH): installation}
    status, detail, fix = _verdict(_run(routes, company=OTHER), "company")
    assert status == "fail" and f"cannot reach company {OTHER} (403)" in detail
    assert fix is not None and ORG in fix
    assert _verdict(_run(routes, company=COMPANY), "company")[0] == "pass"


def test_a_server_error_is_a_failed_key_check() -> None:
    checkup = _run({("new.test", pleo.INSTALLATION_PATH): (503, {"message": "down"})})
    status, detail, _ = _verdict(checkup, "key")
    assert status == "fail" and "503" in detail and "down" in detail
    assert [v.check for v in checkup.verdicts] == ["key", "legacy-token"]


def test_a_legacy_server_error_fails_the_legacy_check() -> None:
    routes = {
        ("new.test", pleo.INSTALLATION_PATH):
            (200, {pleo.INSTALLATION_RESOURCE: f"urn:pleo:company:{COMPANY}"}),
        ("legacy.test", "/v1/employees"): (500, {"error": "Internal Server Error"}),
    }
    checkup = _run(routes, company=COMPANY, legacy=True)
    status, detail, _ = _verdict(checkup, "legacy-token")
    assert status == "fail" and "500" in detail
    assert _verdict(checkup, "assumption:legacy-money-units")[0] == "untestable"


def test_bound_resource_reads_only_pleo_urns() -> None:
    assert pleo.bound_resource({"resource": f"urn:pleo:company:{COMPANY}"}) == \
        pleo.BoundResource("company", COMPANY)
    assert pleo.bound_resource({"resource": f"urn:pleo:organization:{ORG}"}) == \
        pleo.BoundResource("organization", ORG)
    for unreadable in ({"resource": "urn:pleo:user:x"}, {"resource": "urn:other:company:x"},
                       {"resource": "urn:pleo:company:"}, {}, [], None):
        assert pleo.bound_resource(unreadable) is None
