"""VAT helper used by the month-end close: tax codes and the accounts that use them."""

from __future__ import annotations

import os
from dataclasses import dataclass

import httpx


@dataclass(frozen=True)
class Config:
    base_url: str
    token: str
    page_size: int = 200
    timeout: float = 20.0

    @classmethod
    def from_env(cls) -> Config:
        return cls(
            base_url=os.environ.get("VAT_PLEO_BASE_URL", "https://openapi.pleo.io/v1/"),
            token=os.environ["VAT_PLEO_TOKEN"],
            page_size=int(os.environ.get("VAT_PLEO_PAGE_SIZE", "200")),
        )


class VatClient:
    def __init__(self, config: Config):
        self.config = config
        self.http = httpx.Client(
            base_url=config.base_url,
            headers={"Authorization": f"Bearer {config.token}"},
            timeout=config.timeout,
        )

    def tax_codes(self, include_hidden: bool = True) -> list[dict]:
        resp = self.http.get("tax-codes", params={"hidden": str(include_hidden).lower()})
        resp.raise_for_status()
        return [
            {"code": t["code"], "rate": t["rate"], "enabled": t["enabled"]}
            for t in resp.json()["taxCodes"]
        ]

    def tax_rate(self, tax_code_id: str) -> float:
        resp = self.http.get(f"tax-codes/{tax_code_id}")
        resp.raise_for_status()
        return resp.json()["rate"]

    def accounts_by_tax_code(self) -> dict[str, list[str]]:
        grouped: dict[str, list[str]] = {}
        offset = 0
        while True:
            resp = self.http.get("accounts", params={"pageOffset": offset,
                                                     "pageSize": self.config.page_size})
            resp.raise_for_status()
            page = resp.json()
            for account in page["accounts"]:
                grouped.setdefault(account.get("taxCodeId") or "none", []).append(
                    account["accountNumber"])
            offset = page["metadata"]["pageInfo"]["nextPageOffset"]
            if offset is None:
                break
        return {k: sorted(v) for k, v in grouped.items()}


def make_client() -> VatClient:
    return VatClient(Config.from_env())
