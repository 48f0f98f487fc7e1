"""How much the generic, catalogue-driven transform costs over hand-written conversion code.

Baseline: a hand-written function that turns legacy employee / expense records into new-API
records. Ours, two ways for the same records: the generic two steps through the canonical
shape (`Transformer.legacy_to_canonical → canonical_to_new`, the reference), and the one-step
converter compiled from the catalogue (`Catalogue.convert_records`, what compat runs). All run
in this process on the same data; the ratio (ours ÷ baseline) is what we track.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from migrate.mapping import load_catalogue
from migrate.mapping.transform import Transformer

CATALOGUE = load_catalogue()
GENERIC = Transformer(CATALOGUE.models)
RNG = random.Random(7)


def legacy_employee(index: int) -> dict[str, Any]:
    return {
        "id": f"00000000-0000-4000-8000-{index:012d}",
        "firstName": RNG.choice(["Astrid", "Jonas", "Mette", "Lars"]),
        "lastName": RNG.choice(["Berg", "Holm", "Dahl"]),
        "email": f"user{index}@example.com",
        "jobTitle": "Analyst",
        "role": "member",
        "phone": "+45 12 34 56 78",
        "code": f"E-{index}",
        "teamId": None,
    }


def legacy_expense(index: int) -> dict[str, Any]:
    minors = RNG.randint(-10_000, 1_000_000)
    return {
        "id": f"00000000-0000-4000-9000-{index:012d}",
        "performedAt": "2024-03-01T10:15:30.123Z",
        "amountOriginal": {"value": float(Decimal(minors).scaleb(-2)), "currency": "EUR"},
        "amountSettled": {"value": float(Decimal(minors * 7).scaleb(-2)), "currency": "DKK"},
        "type": "CARD",
        "status": "NOT_EXPORTED",
        "lines": [],
        "note": "lunch",
        "employeeId": "00000000-0000-4000-8000-000000000001",
        "tagIds": [{"id": "t1", "tagGroupId": "g1"}],
        "receiptIds": [],
    }


def hand_employee(record: dict[str, Any]) -> dict[str, Any]:
    keys = ("id", "firstName", "lastName", "email", "jobTitle", "phone", "code")
    return {key: record[key] for key in keys if key in record}


def hand_money(money: dict[str, Any]) -> dict[str, Any]:
    minors = int(Decimal(repr(money["value"])).scaleb(2))
    return {"currency": money["currency"], "minors": minors}


def hand_expense(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": record["id"],
        "performedAt": record["performedAt"][:19] + "Z",
        "transactionValue": hand_money(record["amountOriginal"]),
        "totalBillValue": hand_money(record["amountSettled"]),
        "family": {"CARD": "CARD_PURCHASE"}[record["type"]],
        "exportStatus": record["status"],
        "splitItems": [],
        "note": record["note"],
        "employeeId": record["employeeId"],
        "tags": [{"tagId": t["id"], "tagGroupId": t["tagGroupId"]} for t in record["tagIds"]],
        "receiptIds": record["receiptIds"],
    }


def two_steps(op_id: str, envelope: str) -> Callable[[list[dict[str, Any]]], Any]:
    operation = CATALOGUE.get(op_id)
    model = str(operation.model)
    new_key = str(operation.response.new.key) if operation.response else ""

    def run(records: list[dict[str, Any]]) -> Any:
        canonical = [GENERIC.legacy_to_canonical(model, record) for record in records]
        return {new_key: [GENERIC.canonical_to_new(model, record) for record in canonical]}

    return run


def one_step(op_id: str, envelope: str) -> Callable[[list[dict[str, Any]]], Any]:
    operation = CATALOGUE.get(op_id)

    def run(records: list[dict[str, Any]]) -> Any:
        converted = CATALOGUE.convert_records(operation, "legacy", "new", {envelope: records})
        return CATALOGUE.wrap(operation, "new", converted, "response")

    return run


def timed(function: Callable[[Any], Any], data: Any, repeat: int = 5) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        function(data)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> None:
    employees = [legacy_employee(i) for i in range(20_000)]
    expenses = [legacy_expense(i) for i in range(5_000)]
    print("catalogue transform, median of 5 runs (ours ÷ hand-written baseline; lower is better)")
    for label, data, baseline, op_id, envelope in (
        (
            "employees x20000",
            employees,
            lambda rs: [hand_employee(r) for r in rs],
            "employees.list",
            "employees",
        ),
        (
            "expenses  x5000 ",
            expenses,
            lambda rs: [hand_expense(r) for r in rs],
            "expenses.list",
            "expenses",
        ),
    ):
        assert one_step(op_id, envelope)(data) == two_steps(op_id, envelope)(data)
        base = timed(baseline, data)
        generic = timed(two_steps(op_id, envelope), data)
        compiled = timed(one_step(op_id, envelope), data)
        print(
            f"  {label}: baseline {base * 1000:7.1f} ms  two steps {generic * 1000:7.1f} ms "
            f"(ratio {generic / base:5.2f})  one compiled step {compiled * 1000:7.1f} ms "
            f"(ratio {compiled / base:5.2f})"
        )


if __name__ == "__main__":
    main()
