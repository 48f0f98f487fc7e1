"""Read-only Pleo extract for the month-end close.

Configuration is a small frozen dataclass so that tests can pass their own.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field

import requests


def _token_from_env() -> str:
    token = os.environ.get("PLEO_ACCESS_TOKEN")
    if not token:
        raise RuntimeError("set PLEO_ACCESS_TOKEN")
    return token


@dataclass(frozen=True)
class PleoConfig:
    api_url: str = "https://openapi.pleo.io"
    version: str = "v1"
    token: str = field(default_factory=_token_from_env, repr=False)
    timeout: float = 15.0

    @property
    def root(self) -> str:
        return f"{self.api_url}/{self.version}"

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}


def queued_expense_ids(config: PleoConfig | None = None) -> list[str]:
    config = config or PleoConfig()
    response = requests.get(
        config.root + "/expenses",
        params={"status": "QUEUED", "pageSize": 200},
        headers=config.headers,
        timeout=config.timeout,
    )
    response.raise_for_status()
    return sorted(expense["id"] for expense in response.json()["expenses"])


def expense_receipts(expense_id: str, config: PleoConfig | None = None) -> list[dict]:
    config = config or PleoConfig()
    response = requests.get(
        f"{config.root}/expenses/{expense_id}/receipts",
        headers=config.headers,
        timeout=config.timeout,
    )
    response.raise_for_status()
    return response.json()


def account_names(config: PleoConfig | None = None) -> dict[str, str]:
    config = config or PleoConfig()
    response = requests.get(f"{config.root}/accounts", headers=config.headers,
                            timeout=config.timeout)
    if response.status_code != 200:
        raise RuntimeError(f"Pleo said {response.status_code}: {response.text}")
    return {a["accountNumber"]: a["name"] for a in response.json()["accounts"]}


def amount_of(expense_id: str, config: PleoConfig | None = None) -> tuple[float, str]:
    config = config or PleoConfig()
    response = requests.get(f"{config.root}/expenses/{expense_id}", headers=config.headers,
                            timeout=config.timeout)
    response.raise_for_status()
    amount = response.json()["amountOriginal"]
    return amount["value"], amount["currency"]
