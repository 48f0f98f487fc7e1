"""What the simulator assumes where Pleo documents nothing: one table, a reason per item.

Two kinds of entry live here and nowhere else:

- `SWITCHES`: beliefs about the legacy API that nobody can confirm from Pleo's pages and that
  change what a client reads (money units, the tax-rate unit, account ids, list defaults).
  Each has a default (the value the legacy spec or the best evidence favours) and can be
  flipped with `simulate --assume NAME=VALUE`, so a checker such as `doctor` can be shown to
  catch a wrong belief.
- `INVENTED`: details the simulator has to send but Pleo never published (error bodies where no
  body is documented, statuses the specs do not list, `WWW-Authenticate` values, rate-limit
  headers, file names, …). They are ours; tests must not treat them as Pleo behaviour.

The simulator never reads `mappings/assumptions.yaml`: the catalogue's beliefs are checked
against these, not copied from them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Switch:
    """One flippable belief: its name, the values it may take, the default, and why."""

    name: str
    choices: tuple[str, ...]
    default: str
    says: str
    evidence: str


SWITCHES: tuple[Switch, ...] = (
    Switch(
        "legacy-money-units", ("major", "minor"), "major",
        "Legacy Money.value (amountOriginal, amountSettled, lines[].amountSettled) and the "
        "balance's current/available are major units (12.34 DKK); `minor` sends minor units "
        "(1234).",
        "legacy-openapi.yml types value as number, not integer; no example with real values.",
    ),
    Switch(
        "legacy-tax-rate-unit", ("percent", "fraction"), "percent",
        "Legacy TaxCode.rate is a percent (25 for 25 %); `fraction` sends 0.25 like the new API.",
        "legacy-openapi.yml: 'the rate of the tax code', unit undocumented.",
    ),
    Switch(
        "account-ids", ("same", "different"), "same",
        "A legacy account id (GET /accounts, expense accountId) equals the new chart-of-accounts "
        "id; `different` gives every account a legacy id of its own.",
        "Pleo calls a legacy account 'the account (category)'; id identity is unproven.",
    ),
    Switch(
        "legacy-list-defaults", ("active-only", "all"), "active-only",
        "Without archived/hidden, legacy GET /tag-groups, /tag-groups/{id}/tags and /tax-codes "
        "leave archived or hidden records out; `all` returns them too (the old belief).",
        "legacy-openapi.yml (documented pages for tag groups and tags; wording for tax codes).",
    ),
    Switch(
        "legacy-authorisations", ("excluded", "included"), "excluded",
        "Without transactionStates, legacy GET /expenses leaves out expenses whose card "
        "transaction is AUTHORIZATION or AUTHORIZATION_REVERSAL; `included` lists them too.",
        "legacy-openapi.yml GET /expenses description (vendored spec); one third-party page "
        "says otherwise.",
    ),
)
_BY_NAME: Mapping[str, Switch] = MappingProxyType({s.name: s for s in SWITCHES})


class AssumptionError(ValueError):
    """An unknown assumption name or value; the message lists the valid ones."""


def valid_list() -> str:
    """Every switch with its values, default first, for error messages and help."""
    return "; ".join(f"{s.name}={'|'.join(s.choices)}" for s in SWITCHES)


@dataclass(frozen=True)
class Assumptions:
    """The switch values one simulator runs under (defaults unless flipped)."""

    values: Mapping[str, str] = field(
        default_factory=lambda: MappingProxyType({s.name: s.default for s in SWITCHES})
    )

    @classmethod
    def parse(cls, items: Iterable[str]) -> Assumptions:
        """`NAME=VALUE` items over the defaults; raises AssumptionError naming what is valid."""
        values = {s.name: s.default for s in SWITCHES}
        for item in items:
            name, sep, value = item.partition("=")
            name, value = name.strip(), value.strip()
            switch = _BY_NAME.get(name)
            if not sep or switch is None:
                raise AssumptionError(
                    f"unknown assumption {item!r}; use NAME=VALUE with one of: {valid_list()}"
                )
            if value not in switch.choices:
                raise AssumptionError(
                    f"{name} cannot be {value!r}; use one of {', '.join(switch.choices)}"
                )
            values[name] = value
        return cls(MappingProxyType(values))

    def value(self, name: str) -> str:
        return self.values[name]

    def flipped(self) -> dict[str, str]:
        """The switches that differ from their defaults."""
        return {s.name: self.values[s.name] for s in SWITCHES
                if self.values[s.name] != s.default}

    def describe(self) -> str:
        changed = self.flipped()
        return ", ".join(f"{k}={v}" for k, v in changed.items()) or "defaults"

    @property
    def legacy_minor_units(self) -> bool:
        return self.values["legacy-money-units"] == "minor"

    @property
    def legacy_rate_fraction(self) -> bool:
        return self.values["legacy-tax-rate-unit"] == "fraction"

    @property
    def distinct_account_ids(self) -> bool:
        return self.values["account-ids"] == "different"

    @property
    def legacy_lists_everything(self) -> bool:
        return self.values["legacy-list-defaults"] == "all"

    @property
    def legacy_lists_authorisations(self) -> bool:
        return self.values["legacy-authorisations"] == "included"


@dataclass(frozen=True)
class Invented:
    """One detail the simulator sends although Pleo documents none; `reason` says why."""

    item: str
    api: str  # legacy | new | both
    what: str
    reason: str


# Values the apps send; each also has a row in INVENTED below.
LEGACY_WWW_AUTHENTICATE = 'Bearer realm="pleo"'
NEW_WWW_AUTHENTICATE = 'Basic realm="pleo", Bearer realm="pleo"'
RETRY_AFTER_HEADER = "Retry-After"
DETAIL_HEADER = "X-Simulator-Detail"
LEGACY_DEFAULT_PAGE_SIZE = 100
TEAMS_DEFAULT_PAGE_SIZE = 25  # documented (GET /teams), listed here only beside its sibling
LEGACY_RECEIPT_URL_SECONDS = 15 * 3600  # documented: "stays valid for 15 hours"
# Statuses the legacy spec does not list for an operation but the simulator may answer.
LEGACY_UNDOCUMENTED_STATUSES: Mapping[int, str] = MappingProxyType({
    400: "malformed input on operations whose page lists no 400 (only account and "
         "account-group operations document it)",
    405: "a method the path does not serve",
    409: "a write that conflicts with stored data (duplicate email, a tag or account in use, "
         "a group that still holds accounts)",
    415: "a body that is not JSON",
    429: "the opt-in rate limit (--rate-limit)",
})

INVENTED: tuple[Invented, ...] = (
    Invented("legacy error body", "legacy",
             '{"statusCode": <int>, "error": <reason phrase>, "message": <snake_case code>} '
             "on every legacy error, 404 and 500 included",
             "Only the shape is seen (one example in the vendored spec); 404/500 have no "
             "documented body; every code in `message` but user_scope_insufficient is ours."),
    Invented("legacy undocumented statuses", "legacy",
             ", ".join(str(s) for s in LEGACY_UNDOCUMENTED_STATUSES),
             "A server must refuse bad input somehow; the legacy pages list 401/403/404/500 "
             "(and 400 on account operations) only."),
    Invented(DETAIL_HEADER, "legacy",
             "a header with the human-readable reason of a legacy error",
             "Simulator-only diagnostic: the legacy body has room for a code, not a sentence."),
    Invented("new error type values", "new",
             "UNAUTHORIZED, FORBIDDEN, NOT_FOUND, VALIDATION_FAILED, CONFLICT, "
             "TOO_MANY_REQUESTS, UNSUPPORTED_MEDIA_TYPE in ExceptionInfo.type",
             "ExceptionInfo {type, message} is documented (export specs); these type values "
             "and all messages are ours. The export API's own types are documented."),
    Invented("WWW-Authenticate", "both",
             f"legacy {LEGACY_WWW_AUTHENTICATE}; new {NEW_WWW_AUTHENTICATE}",
             "Sent with every 401 so HTTP clients behave; no Pleo page mentions the header."),
    Invented("rate limiting", "both",
             f"429 with {RETRY_AFTER_HEADER} from an opt-in per-credential token bucket",
             "Pleo publishes no numbers; off unless --rate-limit is given."),
    Invented("X-Request-Id and metadata.requestId", "both",
             "a new UUID per call under --drift noise",
             "Stands for volatile values a comparator must ignore; not Pleo's names."),
    Invented("legacy default page size", "legacy",
             f"{LEGACY_DEFAULT_PAGE_SIZE} when pageSize is absent (teams: the documented 25)",
             "No default is documented except for GET /teams."),
    Invented("legacy pageSize maximum", "legacy",
             "none: any pageSize >= 1 is served in one page (pageSize=100000 answers every "
             "record); a non-integer or a value below 1 answers 400",
             "No maximum is documented and real clients send 100000."),
    Invented("legacy expense date filters", "legacy",
             "dateFrom/dateTo filter performedAt; a plain YYYY-MM-DD dateTo includes that day",
             "Which timestamp the window applies to, and inclusiveness, are undocumented."),
    Invented("legacy tax-code type", "legacy",
             "store inclusive and exclusive are legacy NORMAL; reverse is REVERSE",
             "Legacy has NORMAL|REVERSE only; which new value NORMAL becomes is unconfirmed."),
    Invented("legacy tag from attribute values", "legacy",
             "a tag created with attributeValues gets a new-API code from its first value "
             "(upper snake case, made unique) and that value as its name",
             "The new API requires a code; how Pleo derives it from legacy values is unknown."),
    Invented("legacy account group of an ungrouped account", "both",
             "an account created without a group joins the company's no_suitable_category "
             "group (created when missing), so legacy accountCategoryId is always set",
             "Legacy accounts always carry accountCategoryId; the new API has no group field."),
    Invented("legacy receipt name", "legacy",
             "receipt-<first 8 id characters>.<extension of its MIME type>",
             "The simulator stores no file names."),
    Invented("legacy account-group create", "legacy",
             "name is required (400 without it); typeKey defaults to no_suitable_category, "
             "hidden to false",
             "The spec marks every field optional; what Pleo does without a name is unknown."),
    Invented("new receipt source and fileType", "new",
             "source USER; fileType is the requested file_type (ORIGINAL by default)",
             "The simulator stores no receipt source."),
    Invented("installation", "new",
             "GET /v1/installations/me answers an ACTIVATED installation with a stable id, "
             "applicationId and metadata {}; resource urn:pleo:company:<id> for a company key, "
             "urn:pleo:organization:<id> for an organisation key without company_id; any valid "
             "credential may call it",
             "The spec gives the shape but no scope; ids and status are ours."),
    Invented("new dimension and dimension-value writes", "new",
             "a created dimension's displayOrder is the group's highest plus one (the body's "
             "deprecated displayOrder is ignored); a new dimension gives existing tags no "
             "value; deleting one drops its tag values; POST of a value a tag already has is "
             "409, PUT/GET/DELETE of a value it lacks 404; DELETE answers the removed value; "
             "reads need tag-groups:read, writes tag-groups:write",
             "The tag specs give shapes and a `default` response only: no statuses, scopes or "
             "conflict rules."),
    Invented("new family of the newer legacy types", "both",
             "EMPLOYEE_BANK_TRANSFER is family REIMBURSEMENT (REIMBURSEMENT_TO_EMPLOYEE); "
             "OVERDRAFT_FEE and OVERDRAFT_INTEREST are OVERDRAFT with subFamily FEE / INTEREST",
             "No source pairs these legacy types with new families."),
)
