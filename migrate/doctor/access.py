"""Do the credentials work here, and for which company? The first checks of every run.

The key is tried on the chosen environment's new API (`GET /v1/installations/me`, which also
names the company it is bound to); the legacy token on a catalogue read of the legacy API.
A refused credential is tried once as the other kind, on the other API of the same
environment, so a legacy token given as the API key (or the reverse) is named as such.
Nothing is ever sent to the other environment's hosts.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from migrate import pleo
from migrate.doctor.context import Run
from migrate.doctor.verdicts import Status, Verdict
from migrate.doctor.wire import Answer, Credential

# The legacy read that tells whether a legacy token works (and which employee it sees).
LEGACY_PROBE = "employees.list"
SAME_COMPANY_PROBE = "employees.get"


def _host(url: str | None) -> str:
    return (urlsplit(url).netloc if url else "") or "?"


def _said(answer: Answer) -> str:
    return f" (the API said: {answer.said})" if answer.said else ""


def _installation(run: Run, company_id: str | None = None) -> Answer:
    params = [(pleo.INSTALLATION_COMPANY_PARAM, company_id)] if company_id else []
    return run.wire.send("new", "GET", pleo.INSTALLATION_PATH, run.request.key, params)


def _legacy_probe(run: Run, credential: Credential) -> Answer:
    return run.wire.send("legacy", "GET", run.legacy_path(LEGACY_PROBE), credential,
                         [(pleo.LEGACY_PAGE_SIZE, "1")])


def check_key(run: Run) -> tuple[list[Verdict], Answer]:
    """The key on the new API of the chosen environment; also returns its installation."""
    request = run.request
    what = "OAuth token" if request.key_is_oauth else "API key"
    variable = pleo.OAUTH_TOKEN_VAR if request.key_is_oauth else pleo.API_KEY_VAR
    title = f"the {what} works on {request.env} ({_host(request.new_url)})"
    answer = _installation(run)
    if answer.status is None:
        return [Verdict("key", title, Status.failed, answer.unreachable,
                        "check the network, or --new-url if you point at another server")], answer
    if answer.status == 401:
        if request.legacy_url and not request.key_is_oauth:
            as_legacy = _legacy_probe(run, Credential.legacy_token(request.key.secret))
            if as_legacy.ok:
                return [Verdict(
                    "key", title, Status.failed,
                    f"{variable} holds a legacy API token: it works on the legacy API only",
                    f"move it to {pleo.LEGACY_TOKEN_VAR} and set {variable} to an API key "
                    "(Pleo web app: Settings → API keys)",
                )], answer
        other = request.other_env
        return [Verdict(
            "key", title, Status.failed,
            f"the {request.env} new API refused the {what} (401){_said(answer)}",
            f"Pleo binds each key to the environment where it was made: a key made in {other} "
            f"works only there (run with --env {other}); otherwise make a new key in "
            f"{request.env}",
        )], answer
    if answer.status >= 500:
        return [Verdict("key", title, Status.failed,
                        f"the new API answered {answer.status}{_said(answer)}",
                        "try again later; Pleo's status page says whether it is down")], answer
    run.found.key_works = True
    detail = (f"accepted ({answer.status})" if answer.ok
              else f"accepted; its installation read answered {answer.status}")
    return [Verdict("key", title, Status.passed, detail)], answer


def check_company(run: Run, installation: Answer) -> list[Verdict]:
    """The company the key is bound to (its installation's resource) against the setting."""
    configured = run.request.company_id
    title = "the key's company matches " + pleo.COMPANY_ID_VAR
    bound = pleo.bound_resource(installation.body) if installation.ok else None
    if bound is None:
        return _company_from_list(run, installation)
    if bound.kind == "company":
        run.found.company_id = bound.id
        if configured is None:
            return [Verdict("company", title, Status.passed,
                            f"the key is bound to company {bound.id}; {pleo.COMPANY_ID_VAR} is "
                            f"not set: export {pleo.COMPANY_ID_VAR}={bound.id}")]
        if configured.lower() != bound.id.lower():
            return [Verdict("company", title, Status.failed,
                            f"the key is bound to company {bound.id}, but {pleo.COMPANY_ID_VAR} "
                            f"is {configured}",
                            f"set {pleo.COMPANY_ID_VAR}={bound.id}, or use a key made for "
                            f"company {configured}")]
        return [Verdict("company", title, Status.passed, f"company {bound.id}")]
    # an organisation-level key: it reaches the companies of its organisation
    if configured is None:
        return [Verdict("company", title, Status.failed,
                        f"the key is bound to organisation {bound.id}, and "
                        f"{pleo.COMPANY_ID_VAR} is not set",
                        f"set {pleo.COMPANY_ID_VAR} to the company to migrate")]
    reach = _installation(run, configured)
    if reach.ok:
        run.found.company_id = configured
        return [Verdict("company", title, Status.passed,
                        f"organisation {bound.id}; the key reaches company {configured}")]
    return [Verdict("company", title, Status.failed,
                    f"the key of organisation {bound.id} cannot reach company {configured} "
                    f"({reach.status}){_said(reach)}",
                    f"set {pleo.COMPANY_ID_VAR} to a company of organisation {bound.id}")]


def _company_from_list(run: Run, installation: Answer) -> list[Verdict]:
    """No installation to read: the companies the key can see (GET /v1/companies) instead."""
    configured = run.request.company_id
    title = "the key's company matches " + pleo.COMPANY_ID_VAR
    why = (f"no installation to read ({installation.status}{_said(installation)})"
           if not installation.ok else "the installation names no company")
    listed = run.wire.send("new", "GET", pleo.COMPANIES_PATH, run.request.key)
    data = listed.body.get(pleo.NEW_DATA) if listed.ok and isinstance(listed.body, dict) else None
    if not isinstance(data, list):
        run.found.company_id = configured
        return [Verdict("company", title, Status.untestable,
                        f"{why}, and {pleo.COMPANIES_PATH} answered {listed.status}; using "
                        f"{pleo.COMPANY_ID_VAR}={configured or '(not set)'}",
                        None if configured else f"set {pleo.COMPANY_ID_VAR}")]
    ids = [str(c.get("id")) for c in data if isinstance(c, dict) and c.get("id")]
    if configured is not None:
        if configured.lower() in (i.lower() for i in ids):
            run.found.company_id = configured
            return [Verdict("company", title, Status.passed,
                            f"{why}; company {configured} is among the {len(ids)} the key sees")]
        return [Verdict("company", title, Status.failed,
                        f"{why}; the key does not see company {configured} (it sees "
                        f"{', '.join(ids) or 'none'})",
                        f"set {pleo.COMPANY_ID_VAR} to a company the key sees, or use its key")]
    if len(ids) == 1:
        run.found.company_id = ids[0]
        return [Verdict("company", title, Status.passed,
                        f"{why}; the key sees one company, {ids[0]}: export "
                        f"{pleo.COMPANY_ID_VAR}={ids[0]}")]
    return [Verdict("company", title, Status.failed,
                    f"{why}; the key sees {len(ids)} companies and {pleo.COMPANY_ID_VAR} is "
                    "not set", f"set {pleo.COMPANY_ID_VAR} to one of {', '.join(ids)}")]


def check_legacy_token(run: Run) -> list[Verdict]:
    """The legacy token on the legacy API, and whether it sees the key's company."""
    request = run.request
    title = f"the legacy token works on {request.env} ({_host(request.legacy_url)})"
    if request.legacy_token is None or not request.legacy_url:
        return [Verdict("legacy-token", title, Status.untestable,
                        f"no legacy token: set {pleo.LEGACY_TOKEN_VAR} to check it and to test "
                        "the assumptions")]
    answer = _legacy_probe(run, request.legacy_token)
    if answer.status is None:
        return [Verdict("legacy-token", title, Status.failed, answer.unreachable,
                        "check the network, or --legacy-url")]
    if answer.status == 401:
        as_key = run.wire.send("new", "GET", pleo.INSTALLATION_PATH,
                               Credential.api_key(request.legacy_token.secret))
        if as_key.ok:
            return [Verdict("legacy-token", title, Status.failed,
                            f"{pleo.LEGACY_TOKEN_VAR} holds an API key of the new API",
                            f"move it to {pleo.API_KEY_VAR}; a legacy token comes from the web "
                            "app's legacy API settings")]
        other = request.other_env
        return [Verdict("legacy-token", title, Status.failed,
                        f"the {request.env} legacy API refused the token (401){_said(answer)}",
                        f"a token made in {other} works only there (--env {other}); otherwise "
                        "make a new legacy token")]
    if not answer.ok:
        return [Verdict("legacy-token", title, Status.failed,
                        f"the legacy API answered {answer.status}{_said(answer)}")]
    run.found.legacy_works = True
    verdicts = [Verdict("legacy-token", title, Status.passed, f"accepted ({answer.status})")]
    verdicts.extend(_same_company(run, answer))
    return verdicts


def _same_company(run: Run, legacy: Answer) -> list[Verdict]:
    """One employee the legacy token sees, read through the new API with the key."""
    title = "the legacy token and the key see the same company"
    if not run.found.key_works or run.found.company_id is None:
        return []
    listed = run.listed(LEGACY_PROBE, "legacy", legacy.body)
    ident = listed[0].get("id") if listed else None
    if not isinstance(ident, str):
        return [Verdict("same-company", title, Status.untestable,
                        "the legacy API lists no employee to look up")]
    value = {run.catalogue.get(SAME_COMPANY_PROBE).legacy.params[0]: ident}
    answer = run.new_for(SAME_COMPANY_PROBE, value)
    if answer.ok:
        return [Verdict("same-company", title, Status.passed,
                        f"employee {ident} is found through both APIs")]
    if answer.status == 404:
        return [Verdict("same-company", title, Status.failed,
                        f"employee {ident} of the legacy token is not found with the key",
                        "use a legacy token and an API key of the same company")]
    return [Verdict("same-company", title, Status.untestable,
                    f"the new API answered {answer.status}{_said(answer)}")]
