"""Money and time formats of the two APIs, written from Pleo's docs (not from the catalogue).

The store keeps every amount as integer minor units plus an ISO 4217 code and every instant as
integer milliseconds since the epoch. Each API's serializer turns those into its own format:
legacy money is a number in major units and legacy timestamps carry milliseconds; the new API
sends minor units and second-precision RFC 3339 timestamps.
"""

from __future__ import annotations

from datetime import UTC, datetime

# ISO 4217 minor-unit exponents for every currency the simulator seeds or accepts.
_EXPONENTS: dict[str, int] = {
    "DKK": 2, "EUR": 2, "GBP": 2, "SEK": 2, "NOK": 2, "USD": 2, "CHF": 2, "PLN": 2,
    "CZK": 2, "HUF": 2, "CAD": 2, "AUD": 2, "JPY": 0, "ISK": 0, "KRW": 0, "CLP": 0,
    "KWD": 3, "BHD": 3, "JOD": 3, "OMR": 3, "TND": 3,
}


_POWERS = (1, 10, 100, 1000)


def exponent(currency: str) -> int:
    """The currency's number of minor-unit digits (2 when the code is not in our table)."""
    return _EXPONENTS.get(currency, 2)


def known_currency(currency: str) -> bool:
    return currency in _EXPONENTS


def major(minors: int, currency: str) -> int | float:
    """Minor units as the legacy API's major-unit number (1234 DKK → 12.34, 1500 JPY → 1500)."""
    exp = exponent(currency)
    if exp == 0:
        return minors
    return minors / _POWERS[exp]


def minors_from_major(value: float, currency: str) -> int:
    """A major-unit number back to minor units, rounded half away from zero."""
    scaled = value * _POWERS[exponent(currency)]
    return int(scaled + 0.5) if scaled >= 0 else -int(-scaled + 0.5)


def iso_millis(ms: int) -> str:
    """Legacy timestamp: `2024-03-01T10:15:30.123Z`."""
    moment = datetime.fromtimestamp(ms / 1000, UTC)
    return f"{moment:%Y-%m-%dT%H:%M:%S}.{ms % 1000:03d}Z"


def iso_seconds(ms: int) -> str:
    """New-API timestamp, millis truncated: `2024-03-01T10:15:30Z`."""
    return f"{datetime.fromtimestamp(ms // 1000, UTC):%Y-%m-%dT%H:%M:%S}Z"


def iso_date(ms: int) -> str:
    return f"{datetime.fromtimestamp(ms // 1000, UTC):%Y-%m-%d}"


def parse_instant(text: str) -> int | None:
    """An RFC 3339 date-time or a plain `YYYY-MM-DD` date as epoch milliseconds, or None."""
    try:
        if len(text) == 10:
            moment = datetime.strptime(text, "%Y-%m-%d").replace(tzinfo=UTC)
        else:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            if moment.tzinfo is None:
                return None
    except ValueError:
        return None
    return int(moment.timestamp() * 1000)
