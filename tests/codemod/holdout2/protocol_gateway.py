# ruff: noqa: RUF005
"""Bookkeeping gateway: the rest of the app depends on the `LedgerSource` protocol only.

`PleoLedgerSource` is the production implementation over httpx; tests use a fake.
"""
from __future__ import annotations

import os
from typing import Any, Protocol

import httpx


class LedgerSource(Protocol):
    def tax_codes(self) -> list[dict[str, Any]]: ...

    def tax_code(self, code_id: str) -> dict[str, Any]: ...

    def accounts(self) -> list[dict[str, Any]]: ...

    def account(self, account_id: str) -> dict[str, Any]: ...


class PleoLedgerSource:
    """Reads Pleo's bookkeeping setup (tax codes, chart of accounts)."""

    api_root = "https://openapi.pleo.io"
    version = "v1"

    def __init__(self, token: str | None = None, timeout: float = 15.0) -> None:
        token = token or os.environ["PLEO_LEDGER_TOKEN"]
        self._http = httpx.Client(
            headers={"Authorization": f"Bearer {token}", "User-Agent": "ledger-gw/2.3"},
            timeout=timeout,
        )

    def _url(self, *parts: str) -> str:
        return "/".join((self.api_root, self.version) + parts)

    def tax_codes(self) -> list[dict[str, Any]]:
        response = self._http.get(self._url("tax-codes"))
        response.raise_for_status()
        return response.json()["taxCodes"]

    def tax_code(self, code_id: str) -> dict[str, Any]:
        response = self._http.get(self._url("tax-codes", code_id))
        response.raise_for_status()
        return response.json()

    def accounts(self) -> list[dict[str, Any]]:
        response = self._http.get(self._url("accounts"))
        response.raise_for_status()
        return response.json()["accounts"]

    def account(self, account_id: str) -> dict[str, Any]:
        response = self._http.get(self._url("accounts", account_id))
        response.raise_for_status()
        return response.json()


def enabled_rates(source: LedgerSource) -> dict[str, Any]:
    return {c["name"]: c.get("rate") for c in source.tax_codes() if c.get("enabled")}


def visible_account_numbers(source: LedgerSource) -> list[str]:
    return sorted(a.get("accountNumber") or "" for a in source.accounts() if not a.get("hidden"))


def make_source() -> LedgerSource:
    return PleoLedgerSource()


def rates() -> dict[str, Any]:
    return enabled_rates(make_source())


def account_numbers() -> list[str]:
    return visible_account_numbers(make_source())
