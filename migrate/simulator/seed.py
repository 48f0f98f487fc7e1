"""Deterministic seed data: one organisation with two companies and a year of spending.

Everything comes from one `random.Random(seed)`, ids included, so a seed always yields the same
records. `scale` multiplies the people and the spending (2,000 expenses at scale 1); master data
(tag groups, tax codes, the chart of accounts) stays the size a real company has.
"""

from __future__ import annotations

import gc
import random
import uuid
from bisect import bisect
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from typing import Any

from migrate.simulator.money import exponent
from migrate.simulator.records import (
    Account,
    AccountCategory,
    Address,
    Attendee,
    CardTransaction,
    Company,
    Dimension,
    Employee,
    Expense,
    Line,
    Organization,
    Receipt,
    Supplier,
    Tag,
    TagGroup,
    TagRef,
    TaxCode,
    Team,
)
from migrate.simulator.store import Store, count_usage

EXPENSES_PER_SCALE = 2000
EMPLOYEES_PER_SCALE = 50
_YEAR_START = int(datetime(2025, 1, 1, tzinfo=UTC).timestamp() * 1000)
_YEAR_MS = 365 * 24 * 3600 * 1000
_SEED_NOW = int(datetime(2026, 1, 15, 9, 0, tzinfo=UTC).timestamp() * 1000)
_EXPORT_CUTOFF = int(datetime(2025, 10, 1, tzinfo=UTC).timestamp() * 1000)
_DAY = 24 * 3600 * 1000

# Units of each currency per one unit of the company currency, fixed so amounts are stable.
_PER_DKK = {"DKK": 1.0, "EUR": 0.134, "GBP": 0.114, "SEK": 1.53, "NOK": 1.55, "USD": 0.145,
            "JPY": 21.9, "ISK": 20.1, "KWD": 0.0445}
_PER_GBP = {k: v / _PER_DKK["GBP"] for k, v in _PER_DKK.items()}

_FIRST = ["Søren", "Mette", "Anders", "Freja", "Mikkel", "Ida", "Rasmus", "Sofie", "Jonas",
          "Emma", "Kasper", "Camilla", "Lars", "Astrid", "Nikolaj", "Louise", "Mads", "Signe",
          "Frederik", "Julie", "Björn", "Åsa", "Oliver", "Charlotte", "Thomas", "Zoë", "James",
          "Olivia", "Harry", "Amelia", "George", "Isla", "Noah", "Priya", "Mohammed", "Aisha",
          "Liam", "Chloé", "Niamh", "Ewan"]
_LAST = ["Jensen", "Nielsen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen",
         "Sørensen", "Rasmussen", "Jørgensen", "Madsen", "Kristensen", "Olsen", "Thomsen",
         "Johansson", "Lindqvist", "Smith", "Jones", "Taylor", "Brown", "Williams", "Evans",
         "Patel", "Khan", "O'Connor", "Davies", "Hughes", "Müller"]
_TITLES = ["Account Executive", "Software Engineer", "Product Manager", "Finance Manager",
           "Marketing Specialist", "Office Manager", "Sales Director", "Designer",
           "Customer Success Manager", "Controller", None]
_FOLD = str.maketrans({"ø": "o", "å": "a", "æ": "ae", "ö": "o", "ä": "a", "é": "e", "ë": "e",
                       "ü": "u", "'": ""})

_TYPE_WEIGHTS = [("CARD", 70), ("PERSONAL_TRANSFER", 10), ("BILL_INVOICE", 8), ("LOAD", 3),
                 ("PLEO_INVOICE", 3), ("MANUAL", 3), ("MANUAL_TRANSFER", 3)]
_NOTES = ["Client lunch", "Train to Aarhus", "Team offsite", "Flight to Stockholm", "Taxi",
          "Software subscription", "Conference ticket", "Office snacks", "Hotel, two nights",
          "Printer paper", "Dinner with partners", "Ad campaign", "Parking"]
_MERCHANTS = {
    "DKK": ["Netto", "Joe & The Juice", "DSB", "7-Eleven", "Føtex", "Lagkagehuset"],
    "GBP": ["Pret A Manger", "Tesco", "TfL", "Costa Coffee", "Waterstones"],
    "EUR": ["Lufthansa", "Hotel Adlon", "Deutsche Bahn", "Uber BV"],
    "SEK": ["SJ", "Scandic Hotels", "Espresso House"],
    "NOK": ["Vy", "Narvesen"],
    "USD": ["Amazon Web Services", "Slack", "Adobe", "Zoom", "Google Ads"],
    "JPY": ["Hotel Okura Tokyo", "JR East", "FamilyMart"],
    "ISK": ["Blue Lagoon", "Icelandair"],
    "KWD": ["Kuwait Airways"],
}


_MERCHANT_IDS = {
    name: str(uuid.uuid5(uuid.NAMESPACE_URL, f"merchant:{name}"))
    for names in _MERCHANTS.values()
    for name in names
}


@dataclass(frozen=True)
class SeedSummary:
    """How much was seeded, for the CLI's progress line and for tests."""

    seed: int
    scale: int
    companies: int
    employees: int
    expenses: int


class _Ids:
    """Random-looking version-4 UUIDs drawn from the seeded generator (fast path of uuid.UUID)."""

    _CLEAR = ~((0xC000 << 48) | (0xF000 << 64))
    _SET = (0x8000 << 48) | (4 << 76)

    def __init__(self, rng: random.Random) -> None:
        self._bits = rng.getrandbits

    def __call__(self) -> str:
        h = "%032x" % ((self._bits(128) & self._CLEAR) | self._SET)
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def seed_store(store: Store, *, seed: int = 1, scale: int = 1) -> SeedSummary:
    """Fill an empty store; the same (seed, scale) always gives the same records."""
    if scale < 1:
        raise ValueError("scale must be at least 1")
    # Seeding makes ~20 long-lived objects per expense; the cyclic GC would rescan them again
    # and again while they are built, so it pauses for the duration.
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        return _seed(store, seed, scale)
    finally:
        if was_enabled:
            gc.enable()


def _seed(store: Store, seed: int, scale: int) -> SeedSummary:
    rng = random.Random(seed)
    ids = _Ids(rng)
    org_id = ids()
    store.organization = Organization(id=org_id, name="Nordlys Group")
    dk_id, uk_id = ids(), ids()
    store.companies.load([
        Company(
            id=dk_id, company_id=dk_id, seq=store.companies.next_seq(), organization_id=org_id,
            name="Nordlys ApS", registration_number="DK38274651", currency="DKK",
            address=Address("Vesterbrogade 149", "3. sal", "København V", "Hovedstaden",
                            "1620", "DK"),
            balance_current=184_250_075, balance_available=179_900_000,
        ),
        Company(
            id=uk_id, company_id=uk_id, seq=store.companies.next_seq(), organization_id=org_id,
            name="Nordlys UK Ltd", registration_number="GB09876543", currency="GBP",
            address=Address("1 Finsbury Avenue", None, "London", "Greater London", "EC2M 2PF",
                            "GB"),
            balance_current=9_875_050, balance_available=9_500_000,
        ),
    ])
    companies = store.companies.rows()
    shares = (0.6, 0.4)
    employees_total = EMPLOYEES_PER_SCALE * scale
    people: dict[str, list[Employee]] = {}
    for index, company in enumerate(companies):
        count = round(employees_total * shares[index]) if index == 0 else (
            employees_total - len(people[companies[0].id])
        )
        teams = _seed_teams(store, ids, company)
        people[company.id] = _seed_employees(store, rng, ids, company, teams, count)
        _reviewers(store, teams, people[company.id])
        _seed_tags(store, rng, ids, company)
        _seed_tax_codes(store, ids, company)
        _seed_accounts(store, rng, ids, company)
    expenses, receipts = _make_expenses(store, rng, ids, companies, people,
                                        EXPENSES_PER_SCALE * scale)
    expenses = _newer_types(expenses)
    store.expenses.load(expenses)
    store.receipts.load(receipts)
    for expense in expenses:
        count_usage(store, expense)
    return SeedSummary(
        seed=seed, scale=scale, companies=len(companies), employees=len(store.employees),
        expenses=len(store.expenses),
    )


# The five legacy types Pleo's attribute page does not list (the vendored spec does): the last
# expense of a company with the `from` type becomes the newer type, so the seed covers all
# twelve without drawing more random numbers (every other record stays as it was).
_NEWER_TYPES = (
    ("LOAD", "CASHBACK", None),
    ("MANUAL", "OVERDRAFT_FEE", "FEE"),
    ("MANUAL", "OVERDRAFT_INTEREST", "INTEREST"),
    ("BILL_INVOICE", "BILL_INVOICE_PAYMENT", None),
    ("MANUAL_TRANSFER", "EMPLOYEE_BANK_TRANSFER", "REIMBURSEMENT_TO_EMPLOYEE"),
)


def _newer_types(expenses: list[Expense]) -> list[Expense]:
    out = list(expenses)
    for company_id in dict.fromkeys(e.company_id for e in expenses):
        taken: set[int] = set()
        for old, new, sub_family in _NEWER_TYPES:
            index = next((i for i in range(len(out) - 1, -1, -1)
                          if i not in taken and out[i].company_id == company_id
                          and out[i].type == old), None)
            if index is not None:
                taken.add(index)
                out[index] = out[index]._replace(type=new, sub_family=sub_family)
    return out


def _seed_teams(store: Store, ids: _Ids, company: Company) -> list[Team]:
    names = (
        [("Sales", "SAL"), ("Engineering", "ENG"), ("Marketing", "MKT"), ("Finance", "FIN"),
         ("Operations", "OPS")]
        if company.currency == "DKK"
        else [("Sales UK", "UK-SAL"), ("Customer Success", "UK-CS"), ("Finance UK", "UK-FIN")]
    )
    teams = [
        Team(id=ids(), company_id=company.id, seq=store.teams.next_seq(), name=name, code=code,
             reviewer_ids=())
        for name, code in names
    ]
    store.teams.load(teams)
    return teams


def _seed_employees(
    store: Store, rng: random.Random, ids: _Ids, company: Company, teams: list[Team], count: int
) -> list[Employee]:
    domain = "nordlys.dk" if company.currency == "DKK" else "nordlys.co.uk"
    prefix = "+45" if company.currency == "DKK" else "+44"
    seen: set[str] = set()
    rows = []
    for n in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        local = f"{first}.{last}".lower().translate(_FOLD)
        email = f"{local}@{domain}"
        suffix = 2
        while email in seen:
            email, suffix = f"{local}{suffix}@{domain}", suffix + 1
        seen.add(email)
        created = _YEAR_START - rng.randrange(400) * _DAY + rng.randrange(_DAY)
        ident = ids()
        rows.append(Employee(
            id=ident, company_id=company.id, seq=store.employees.next_seq(), email=email,
            first_name=first, last_name=last, job_title=rng.choice(_TITLES),
            role="owner" if n == 0 else ("admin" if n % 9 == 1 else "member"),
            phone=f"{prefix} {rng.randrange(20, 99)} {rng.randrange(10, 99)} "
                  f"{rng.randrange(10, 99)} {rng.randrange(10, 99)}" if rng.random() < 0.8
                  else None,
            avatar_url=f"https://avatars.simulator.invalid/{ident}.png"
            if rng.random() < 0.5 else None,
            code=f"{'DK' if company.currency == 'DKK' else 'UK'}{n + 1:04d}"
            if rng.random() < 0.9 else None,
            team_id=rng.choice(teams).id if rng.random() < 0.9 else None,
            created_at=created, updated_at=created + rng.randrange(90) * _DAY,
        ))
    store.employees.load(rows)
    return rows


def _reviewers(store: Store, teams: list[Team], people: list[Employee]) -> None:
    for team in teams:
        members = [e.id for e in people if e.team_id == team.id][:1]
        store.teams.load([Team(id=team.id, company_id=team.company_id, seq=team.seq,
                               name=team.name, code=team.code, reviewer_ids=tuple(members))])


def _seed_tags(store: Store, rng: random.Random, ids: _Ids, company: Company) -> None:
    danish = company.currency == "DKK"
    groups = [
        ("Projects" if not danish else "Projekter", "PROJECTS", False,
         [("Project manager", "PROJECT_MANAGER", True), ("Budget code", "BUDGET_CODE", False)],
         [f"P-{n:03d}" for n in range(1, 13)]),
        ("Cost centres", "COST_CENTRES", False, [("Owner", "OWNER", True)],
         ["CPH", "AAR", "ODE", "LON", "MAN", "EDI", "STO", "OSL"]),
        ("Clients", "CLIENTS", False, [],
         ["ACME", "GLOBEX", "INITECH", "UMBRELLA", "HOOLI", "STARK", "WAYNE", "TYRELL",
          "CYBERDYNE", "SOYLENT"]),
        ("Events 2024", "EVENTS_2024", True, [("Venue", "VENUE", True)],
         ["KICKOFF", "SUMMIT", "XMAS"]),
    ]
    created = _YEAR_START - 200 * _DAY
    for name, code, archived, dims, tag_codes in groups:
        group = TagGroup(
            id=ids(), company_id=company.id, seq=store.tag_groups.next_seq(), code=code,
            name=name, archived=archived,
            metadata=(("source", "seed"),) if code == "PROJECTS" else (),
            created_at=created, updated_at=created + 5 * _DAY,
        )
        store.tag_groups.load([group])
        dimensions = [
            Dimension(
                id=ids(), company_id=company.id, seq=store.dimensions.next_seq(),
                group_id=group.id, code=d_code, name=d_name, display_order=i + 1,
                visible=visible, created_at=created, updated_at=created,
            )
            for i, (d_name, d_code, visible) in enumerate(dims)
        ]
        store.dimensions.load(dimensions)
        tags = []
        for i, tag_code in enumerate(tag_codes):
            values = tuple((d.id, f"{d.name} {tag_code.title()}") for d in dimensions)
            tags.append(Tag(
                id=ids(), company_id=company.id, seq=store.tags.next_seq(), group_id=group.id,
                code=tag_code, name=f"{tag_code.title()} {name.split()[0].rstrip('s')}",
                archived=archived or (i == len(tag_codes) - 1 and rng.random() < 0.7),
                values=values, created_at=created + i * 3600_000,
                updated_at=created + i * 3600_000 + 60_000, display_order=i + 1,
            ))
        store.tags.load(tags)


def _seed_tax_codes(store: Store, ids: _Ids, company: Company) -> None:
    if company.currency == "DKK":
        specs = [("Standardmoms (25 %)", "VAT25", 2500, "inclusive", False, None, None),
                 ("Momsfri", "VAT0", 0, "inclusive", False, None, None),
                 ("EU-erhvervelse (omvendt betalingspligt)", "REV25", 2500, "reverse", False,
                  "6902", "6901"),
                 ("Repræsentation (6,25 %)", "VAT625", 625, "inclusive", False, None, None),
                 ("Gammel sats (22 %)", "OLD22", 2200, "exclusive", True, None, None)]
        system = "e-conomic"
    else:
        specs = [("Standard rate (20%)", "VAT20", 2000, "inclusive", False, None, None),
                 ("Reduced rate (5%)", "VAT5", 500, "inclusive", False, None, None),
                 ("Zero rated", "VAT0", 0, "inclusive", False, None, None),
                 ("Reverse charge (20%)", "RC20", 2000, "reverse", False, "2202", "2201"),
                 ("Exempt (legacy)", "EXEMPT", 0, "exclusive", True, None, None)]
        system = "xero"
    created = _YEAR_START - 300 * _DAY
    store.tax_codes.load(
        TaxCode(
            id=ids(), company_id=company.id, seq=store.tax_codes.next_seq(), name=name,
            code=code, rate_bp=rate, type=kind, archived=archived, ingoing_account=ingoing,
            outgoing_account=outgoing, integration_system=system,
            created_at=created + i * 1000, updated_at=created + i * 1000 + 30 * _DAY,
        )
        for i, (name, code, rate, kind, archived, ingoing, outgoing) in enumerate(specs)
    )


_CATEGORIES = [("Entertainment", "entertainment"), ("Equipment", "equipment_and_hardware"),
               ("Marketing", "marketing_and_advertising"), ("Meals", "meals_and_drinks"),
               ("Office", "office_expenses"), ("Phone & internet", "phone_and_internet"),
               ("Services", "services_and_consultancy"), ("Software", "software"),
               ("Supplies", "supplies"), ("Travel", "travel"), ("Other", "other"),
               ("Uncategorised", "no_suitable_category")]
_ACCOUNTS_DK = [("2710", "Repræsentation", "meals_and_drinks", "VAT625"),
                ("2750", "Rejser", "travel", "VAT0"),
                ("2760", "Hotel", "travel", "VAT25"),
                ("2800", "Kontorartikler", "office_expenses", "VAT25"),
                ("2820", "Software", "software", "VAT25"),
                ("2830", "Telefon og internet", "phone_and_internet", "VAT25"),
                ("2840", "Annoncering", "marketing_and_advertising", "VAT25"),
                ("2850", "Konsulenthonorarer", "services_and_consultancy", "REV25"),
                ("2860", "Småanskaffelser", "equipment_and_hardware", "VAT25"),
                ("2870", "Personaleudgifter", "entertainment", "VAT25"),
                ("2880", "Forbrugsvarer", "supplies", "VAT25"),
                ("2890", "Øvrige omkostninger", "other", "VAT0"),
                ("2990", "Ukendt", "no_suitable_category", None)]
_ACCOUNTS_UK = [("6000", "Entertainment", "entertainment", "VAT20"),
                ("6100", "Travel", "travel", "VAT0"),
                ("6110", "Accommodation", "travel", "VAT20"),
                ("6200", "Meals & subsistence", "meals_and_drinks", "VAT20"),
                ("6300", "Office costs", "office_expenses", "VAT20"),
                ("6400", "Software subscriptions", "software", "RC20"),
                ("6500", "Telephone & internet", "phone_and_internet", "VAT20"),
                ("6600", "Advertising", "marketing_and_advertising", "VAT20"),
                ("6700", "Professional fees", "services_and_consultancy", "VAT20"),
                ("6800", "Computer equipment", "equipment_and_hardware", "VAT20"),
                ("6900", "Sundry expenses", "other", "VAT5")]


def _seed_accounts(store: Store, rng: random.Random, ids: _Ids, company: Company) -> None:
    created = _YEAR_START - 250 * _DAY
    categories = [
        AccountCategory(id=ids(), company_id=company.id,
                        seq=store.account_categories.next_seq(), name=name, type_key=key,
                        hidden=key == "no_suitable_category")
        for name, key in _CATEGORIES
    ]
    store.account_categories.load(categories)
    by_key = {c.type_key: c.id for c in categories}
    table = _ACCOUNTS_DK if company.currency == "DKK" else _ACCOUNTS_UK
    rows = []
    for i, (code, name, key, tax) in enumerate(table):
        rows.append(Account(
            id=ids(), company_id=company.id, seq=store.accounts.next_seq(), name=name,
            code=code, archived=i == len(table) - 1, category_id=by_key[key],
            external_id=code if i % 3 else f"ERP-{code}", tax_code_external_id=tax,
            metadata={"erp": {"ledger": "main"}} if i % 4 == 0 else None,
            created_at=created + i * 1000, updated_at=created + i * 1000 + rng.randrange(_DAY),
        ))
    store.accounts.load(rows)


def _pick_weighted(rng: random.Random, cumulative: list[int], values: list[str]) -> str:
    return values[bisect(cumulative, rng.random() * cumulative[-1])]


def _pick(rng: random.Random, options: list[Any]) -> Any:
    return options[int(rng.random() * len(options))]


def _below(rng: random.Random, low: int, high: int) -> int:
    """rng.randrange(low, high) at a fraction of its cost (the seed loop calls it a lot)."""
    return low + int(rng.random() * (high - low))


def add_expenses(
    store: Store, count: int, *, seed: int, company_id: str | None = None
) -> list[str]:
    """Generate `count` more expenses (for one company, or spread like the seed) through the
    store's write path, so lag history and usage counters see them; returns their ids."""
    rng = random.Random(seed)
    companies = store.companies.rows([company_id] if company_id else None)
    people = {c.id: store.employees.rows([c.id]) for c in companies}
    expenses, receipts = _make_expenses(store, rng, _Ids(rng), companies, people, count)
    for receipt in receipts:
        store.receipts.put(receipt)
    for expense in expenses:
        store.add_expense(expense)
    return [e.id for e in expenses]


def _make_expenses(
    store: Store,
    rng: random.Random,
    ids: _Ids,
    companies: list[Company],
    people: dict[str, list[Employee]],
    count: int,
) -> tuple[list[Expense], list[Receipt]]:
    type_values = [t for t, _ in _TYPE_WEIGHTS]
    type_cum = list(accumulate(w for _, w in _TYPE_WEIGHTS))
    context = {c.id: _CompanyContext(store, c) for c in companies}
    stamps = sorted(_YEAR_START + _below(rng, 0, _YEAR_MS) for _ in range(count))
    expenses: list[Expense] = []
    receipts: list[Receipt] = []
    transfers: dict[str, list[str]] = {c.id: [] for c in companies}
    for performed in stamps:
        company = companies[0] if len(companies) == 1 or rng.random() < 0.6 else companies[1]
        ctx = context[company.id]
        kind = _pick_weighted(rng, type_cum, type_values)
        personal = kind in ("CARD", "PERSONAL_TRANSFER", "MANUAL_TRANSFER")
        employee = _pick(rng, people[company.id]) if personal or kind == "BILL_INVOICE" else None
        currency = company.currency
        if kind in ("CARD", "PERSONAL_TRANSFER") and rng.random() < 0.4:
            currency = _pick(rng, ["EUR", "EUR", "SEK", "NOK", "USD", "JPY", "ISK", "KWD",
                                   "DKK" if company.currency == "GBP" else "GBP"])
        exp = exponent(currency)
        major_amount = rng.uniform(4, 900) if kind != "LOAD" else rng.uniform(5000, 50000)
        rate = ctx.rates[currency]
        if exp == 0:
            original = max(1, round(major_amount * rate)) if currency != company.currency else (
                max(1, round(major_amount)))
        else:
            scale_to_ccy = rate if currency != company.currency else 1.0
            original = max(1, round(major_amount * scale_to_ccy * 10**exp))
        settled = max(1, round(original / 10**exp / rate * 10 ** exponent(company.currency)))
        expense_id = ids()
        account = _pick(rng, ctx.accounts) if rng.random() < 0.85 else None
        tax_code_id = ctx.tax_by_code.get(account.tax_code_external_id or "") if account else None
        tags = _pick_tags(rng, ctx)
        lines: tuple[Line, ...] = ()
        if rng.random() < 0.2 and settled > 3 and original > 3:
            lines = _split(rng, ids, ctx, settled, original)
        receipt_ids: list[str] = []
        if kind in ("CARD", "PERSONAL_TRANSFER", "BILL_INVOICE") and rng.random() < 0.85:
            for _ in range(1 if rng.random() < 0.9 else 2):
                receipt = Receipt(
                    id=ids(), company_id=company.id, seq=store.receipts.next_seq(),
                    expense_id=expense_id,
                    mime_type=_pick(rng, ["application/pdf", "image/jpeg", "image/png"]),
                    size=_below(rng, 20_000, 2_500_000),
                    created_at=performed + _below(rng, 0, 3_600_000),
                )
                receipts.append(receipt)
                receipt_ids.append(receipt.id)
        card = None
        payment = "COMPLETED"
        sub_family: str | None = None
        bookkeeping: int | None = performed
        if kind == "CARD":
            state = _pick_weighted(rng, [88, 95, 98, 100],
                                   ["PRESENTMENT", "AUTHORIZATION", "REFUND",
                                    "AUTHORIZATION_REVERSAL"])
            settled_at = performed + _below(rng, _DAY, 3 * _DAY) if state in (
                "PRESENTMENT", "REFUND") else None
            merchant = _pick(rng, _MERCHANTS[currency])
            card = CardTransaction(
                state=state, merchant_id=_MERCHANT_IDS[merchant],
                merchant_name=merchant, authorized_at=performed, settled_at=settled_at,
                reversed_at=performed + 3_600_000 if state == "AUTHORIZATION_REVERSAL" else None,
            )
            payment = {"AUTHORIZATION": "PENDING", "AUTHORIZATION_REVERSAL": "CANCELLED"}.get(
                state, "COMPLETED")
            sub_family = "ATM" if rng.random() < 0.02 else _pick(rng, ["ONLINE", "IN_STORE"])
            bookkeeping = settled_at
        elif kind == "PERSONAL_TRANSFER":
            payment = "COMPLETED_EXTERNALLY"
            transfers[company.id].append(expense_id)
        elif kind == "LOAD":
            sub_family = "LOAD"
        elif kind == "PLEO_INVOICE":
            sub_family = "PLEO_INVOICE"
        elif kind == "MANUAL":
            sub_family = _pick(rng, ["LOAD", "UNLOAD"])
        elif kind == "MANUAL_TRANSFER":
            sub_family = "REIMBURSEMENT_TO_EMPLOYEE"
        settled_ids: tuple[str, ...] = ()
        if kind == "MANUAL_TRANSFER" and transfers[company.id]:
            settled_ids = tuple(transfers[company.id][-_below(rng, 1, 4):])
        created = performed + _below(rng, 1000, 600_000)
        updated = min(created + _below(rng, 0, 30 * _DAY), _SEED_NOW)
        if performed < _EXPORT_CUTOFF:
            status = "EXPORTED" if rng.random() < 0.9 else "NOT_EXPORTED"
        else:
            status = _pick_weighted(rng, [85, 95, 100], ["NOT_EXPORTED", "QUEUED", "EXPORTED"])
        attendees: tuple[Attendee, ...] = ()
        note = _pick(rng, _NOTES) if rng.random() < 0.55 else None
        if note in ("Client lunch", "Dinner with partners") and employee is not None:
            colleague = _pick(rng, people[company.id])
            attendees = (Attendee(id=ids(), kind="EMPLOYEE", attendable_id=colleague.id),)
        expenses.append(Expense(
            id=expense_id, company_id=company.id, seq=store.expenses.next_seq(),
            employee_id=employee.id if employee else None,
            team_id=employee.team_id if employee else None, type=kind, sub_family=sub_family,
            performed_at=performed, original=original, original_currency=currency,
            settled=settled,
            settled_currency=company.currency, note=note,
            account_id=account.id if account else None, tax_code_id=tax_code_id, tags=tags,
            receipt_ids=tuple(receipt_ids), settled_expense_ids=settled_ids,
            supplier=Supplier(cif=f"B{_below(rng, 10**7, 10**8)}",
                              document_number=f"INV-2025-{_below(rng, 1, 9999):04d}")
            if kind == "BILL_INVOICE" else None,
            card=card, lines=lines, export_status=status,
            review_status=_pick_weighted(rng, [60, 90, 97, 100],
                                         ["NOT_REQUIRED", "OK", "WAITING_FOR_REVIEWER",
                                          "NOT_OK"]),
            payment_status=payment, bookkeeping_date=bookkeeping, attendees=attendees,
            created_at=created, updated_at=max(updated, created),
            deleted_at=max(updated, created) if rng.random() < 0.01 else None,
        ))
    return expenses, receipts


class _CompanyContext:
    """Per-company lookups the expense generator needs, computed once."""

    def __init__(self, store: Store, company: Company) -> None:
        self.company = company
        self.rates = _PER_DKK if company.currency == "DKK" else _PER_GBP
        self.accounts = [a for a in store.accounts.rows([company.id]) if not a.archived]
        self.tax_by_code = {
            t.code: t.id for t in store.tax_codes.rows([company.id]) if t.code is not None
        }
        groups = [g for g in store.tag_groups.rows([company.id]) if not g.archived]
        all_tags = store.tags.rows([company.id])
        self.tags_by_group = [
            [t for t in all_tags if t.group_id == g.id and not t.archived] for g in groups
        ]


def _pick_tags(rng: random.Random, ctx: _CompanyContext) -> tuple[TagRef, ...]:
    picked = []
    for tags in ctx.tags_by_group:
        if tags and rng.random() < 0.45:
            tag = _pick(rng, tags)
            picked.append(TagRef(tag_id=tag.id, group_id=tag.group_id))
    return tuple(picked)


def _split(
    rng: random.Random, ids: _Ids, ctx: _CompanyContext, settled: int, original: int
) -> tuple[Line, ...]:
    parts = 2 if rng.random() < 0.7 else 3
    cut_points = sorted(rng.sample(range(1, 100), parts - 1))
    shares = [b - a for a, b in zip([0, *cut_points], [*cut_points, 100], strict=True)]
    lines = []
    settled_left, original_left = settled, original
    for i, share in enumerate(shares):
        last = i == len(shares) - 1
        part_settled = settled_left if last else settled * share // 100
        part_original = original_left if last else original * share // 100
        settled_left -= part_settled
        original_left -= part_original
        account = _pick(rng, ctx.accounts)
        lines.append(Line(
            id=ids(), settled=part_settled, original=part_original, account_id=account.id,
            tax_code_id=ctx.tax_by_code.get(account.tax_code_external_id or ""),
            tags=_pick_tags(rng, ctx),
        ))
    return tuple(lines)
