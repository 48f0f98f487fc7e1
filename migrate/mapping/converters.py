"""Value converters between the legacy and the new API, always as forward/inverse pairs.

`forward` turns a legacy value into the new API's representation (which is also the
canonical one); `inverse` turns it back. A converter that cannot give back every input
exactly is `lossy`, and the catalogue refuses a lossy field that does not declare its loss.
Options (an enum table, an assumption's value) are bound once at load time.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from migrate.errors import AssumptionViolation, ConversionError
from migrate.mapping.currencies import exponent_of

if TYPE_CHECKING:
    from decimal import Decimal

_POWERS = {exponent: 10**exponent for exponent in range(5)}
_LEGACY_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
_NEW_STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")

Options = Mapping[str, Any]
Transform = Callable[[Any, Options], Any]


@dataclass(frozen=True)
class Converter:
    name: str
    summary: str
    forward: Transform
    inverse: Transform
    lossy: bool = False
    needs_table: bool = False  # binds options["table"] to a named EnumTable
    assumption: str | None = None  # binds options["assumption"] to that assumption's value


def _same(value: Any, _: Options) -> Any:
    return value


def _negate(value: Any, _: Options) -> Any:
    if value is None:
        return None
    if not isinstance(value, bool):
        raise ConversionError(f"expected true or false, got {value!r}")
    return not value


def _flag_forward(value: Any, _: Options) -> Any:
    """A legacy query flag (`true`/`false`, any case) as a JSON boolean."""
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text not in ("true", "false"):
        raise ConversionError(f"expected true or false, got {value!r}")
    return text == "true"


def _flag_inverse(value: Any, _: Options) -> Any:
    if not isinstance(value, bool):
        raise ConversionError(f"expected true or false, got {value!r}")
    return "true" if value else "false"


def _kilobytes_forward(value: Any, _: Options) -> Any:
    """A legacy receipt size in kilobytes (one decimal) as bytes, to the nearest byte."""
    if value is None:
        return None
    size = float(_exact_decimal(value)) * 1024
    if not math.isfinite(size):
        raise ConversionError(f"a receipt size must be a finite number of kilobytes, got {value!r}")
    return round(size)


def _kilobytes_inverse(value: Any, _: Options) -> Any:
    if value is None:
        return None
    size = float(_exact_decimal(value)) / 1024
    if not math.isfinite(size):
        raise ConversionError(f"a receipt size must be a finite number of bytes, got {value!r}")
    return round(size, 1)


def _enum_forward(value: Any, options: Options) -> Any:
    return _translate(value, options["table"].forward, options["table"].name, "legacy")


def _enum_inverse(value: Any, options: Options) -> Any:
    return _translate(value, options["table"].inverse, options["table"].name, "new")


def _translate(value: Any, table: Mapping[str, str], name: str, side: str) -> Any:
    if value is None:
        return None
    try:
        return table[value]
    except (KeyError, TypeError):
        raise ConversionError(
            f"{side} value {value!r} is not in enum table {name} ({', '.join(table)})"
        ) from None


# --- money -------------------------------------------------------------------------------


def _exponent(currency: Any) -> int:
    exponent = exponent_of(currency)
    if exponent is None:
        raise ConversionError(f"unknown ISO 4217 currency {currency!r}")
    return exponent


def _exact_decimal(amount: Any) -> Decimal:
    # the slow path of a few amounts only (most take `_scaled_whole`'s fast path): `decimal`
    # is imported here, so that the catalogue's readers (a scan) never import it
    from decimal import Decimal, InvalidOperation

    if isinstance(amount, bool) or not isinstance(amount, int | float | str | Decimal):
        raise ConversionError(f"expected a number for an amount, got {amount!r}")
    try:
        value = Decimal(repr(amount)) if isinstance(amount, float) else Decimal(amount)
    except InvalidOperation:
        raise ConversionError(f"expected a number for an amount, got {amount!r}") from None
    if not value.is_finite():
        raise ConversionError(f"an amount must be finite, got {amount!r}")
    return value


def major_to_minor(amount: Any, currency: Any) -> int:
    """12.34 DKK → 1234; 1500 JPY → 1500; 1.005 KWD → 1005. Never rounds real precision.

    Binary floating point noise such as 0.1 + 0.2 (0.30000000000000004) is recognised as the
    nearest float to 0.30 and converted to 30; an amount with genuinely more decimals than
    the currency has (12.345 DKK) is refused instead of being rounded.
    """
    exponent = _exponent(currency)
    return _scaled_whole(amount, exponent, currency)


def _scaled_whole(amount: Any, exponent: int, currency: Any) -> int:
    if type(amount) is float and math.isfinite(amount) and abs(amount) < 1e12:
        # Fast path: when the float is exactly the nearest double to n / 10**exponent, n is
        # the answer (division is correctly rounded). Anything else takes the exact path.
        whole: int = round(amount * _POWERS[exponent])
        if whole / _POWERS[exponent] == amount:
            return whole
    elif type(amount) is int:
        scaled_int: int = amount * _POWERS[exponent]
        return scaled_int
    value = _exact_decimal(amount)
    scaled = value.scaleb(exponent)
    nearest = scaled.to_integral_value()
    if scaled == nearest:
        return int(scaled)
    if isinstance(amount, float):
        candidate = float(nearest.scaleb(-exponent))
        if abs(candidate - amount) <= 4 * math.ulp(amount):
            return int(nearest)
    raise ConversionError(
        f"{amount!r} {currency} has more decimals than {currency} allows ({exponent}); "
        "refusing to round"
    )


def minor_to_major(minors: Any, currency: Any) -> int | float:
    """1234 DKK → 12.34; 1500 JPY → 1500 (an int, as the legacy API shows it)."""
    exponent = _exponent(currency)
    if isinstance(minors, bool) or not isinstance(minors, int):
        raise ConversionError(f"expected whole minor units, got {minors!r}")
    if exponent == 0:
        return minors
    if abs(minors) < 2**53:  # exact in a double, and division is correctly rounded
        return float(minors / _POWERS[exponent])
    from decimal import Decimal

    return float(Decimal(minors).scaleb(-exponent))


def _money_forward(value: Any, options: Options) -> Any:
    if value is None:
        return None
    if not isinstance(value, Mapping) or "currency" not in value or "value" not in value:
        raise ConversionError(f"expected {{value, currency}} money, got {value!r}")
    currency = value["currency"]
    amount = value["value"]
    if options["assumption"] == "minor":
        _exponent(currency)
        return {"currency": currency, "minors": _scaled_whole(amount, 0, currency)}
    return {"currency": currency, "minors": major_to_minor(amount, currency)}


def _money_inverse(value: Any, options: Options) -> Any:
    if value is None:
        return None
    if not isinstance(value, Mapping) or "currency" not in value or "minors" not in value:
        raise ConversionError(f"expected {{minors, currency}} money, got {value!r}")
    currency = value["currency"]
    if options["assumption"] == "minor":
        _exponent(currency)
        return {"value": value["minors"], "currency": currency}
    return {"value": minor_to_major(value["minors"], currency), "currency": currency}


# --- rates -------------------------------------------------------------------------------


def _rate_forward(value: Any, options: Options) -> Any:
    """A legacy rate as a fraction. A rate above 1 is a percent whatever the setting says:
    no tax rate is above 100 %, so 25 can only mean 25 %."""
    if value is None:
        return None
    if options["assumption"] == "fraction" and _exact_decimal(value) <= 1:
        return value
    return float(_exact_decimal(value) / 100)


def _rate_inverse(value: Any, options: Options) -> Any:
    """A fraction back to a legacy percent, always a double (25.0) as the legacy API shows it."""
    if value is None or options["assumption"] == "fraction":
        return value
    return float(_exact_decimal(value) * 100)


def check_money_pair(legacy_minors: Any, new_minors: Any, currency: Any, unit: str) -> None:
    """Both sides of one record's amount, in minor units as converted under `unit`.

    When they differ by exactly the currency's minor-unit factor, the legacy API does not use
    the configured unit (`legacy-money-units`): raise `AssumptionViolation` naming the fix.
    Does nothing when the amounts agree, the currency has no minor unit, or they differ
    otherwise (a real mismatch, not a unit question).
    """
    if not all(isinstance(v, int | float) and not isinstance(v, bool)
               for v in (legacy_minors, new_minors)):
        return
    exponent = exponent_of(currency)
    if not exponent or legacy_minors == new_minors or new_minors == 0:
        return
    factor = _POWERS[exponent]
    other = "minor" if unit == "major" else "major"
    if (unit == "major" and legacy_minors == new_minors * factor) or (
        unit == "minor" and new_minors == legacy_minors * factor
    ):
        raise AssumptionViolation(
            "legacy-money-units",
            f"the legacy amount is {factor}x the new one in {currency}: the legacy API sends "
            f"{other} units, not {unit}; set legacy-money-units to {other} in "
            "mappings/assumptions.yaml",
        )


# --- timestamps --------------------------------------------------------------------------


def _parse_timestamp(value: Any) -> datetime:
    if not isinstance(value, str):
        raise ConversionError(f"expected an ISO 8601 timestamp, got {value!r}")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise ConversionError(f"expected an ISO 8601 timestamp, got {value!r}") from None
    if parsed.tzinfo is None:
        raise ConversionError(f"timestamp {value!r} has no time zone")
    return parsed.astimezone(UTC)


def _timestamp_forward(value: Any, _: Options) -> Any:
    """Legacy `…:30.123Z` → new `…:30Z` (the new API shows whole seconds)."""
    if value is None:
        return None
    if isinstance(value, str) and _LEGACY_STAMP.fullmatch(value):
        return value[:19] + "Z"  # the usual shape: drop the milliseconds without parsing
    return _parse_timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")


def _timestamp_inverse(value: Any, _: Options) -> Any:
    """New `…:30Z` → legacy `…:30.000Z` (milliseconds that were dropped come back as zero)."""
    if value is None:
        return None
    if isinstance(value, str) and _NEW_STAMP.fullmatch(value):
        return value[:19] + ".000Z"
    parsed = _parse_timestamp(value)
    return parsed.strftime("%Y-%m-%dT%H:%M:%S.") + f"{parsed.microsecond // 1000:03d}Z"


def _date_bound(time_of_day: str) -> Transform:
    def forward(value: Any, _: Options) -> Any:
        """A day covers the whole day; a legacy date-time (the spec's YYYY-MM-DDTHH:mi:ss.SSSZ,
        which clients also send) is that instant, to the second."""
        if value is None:
            return None
        if isinstance(value, str) and "T" in value:
            return _parse_timestamp(value).strftime("%Y-%m-%dT%H:%M:%SZ")
        try:
            day = date.fromisoformat(value) if isinstance(value, str) else None
        except ValueError:
            day = None
        if day is None:
            raise ConversionError(f"expected a date like 2024-03-01, got {value!r}")
        return f"{day.isoformat()}T{time_of_day}Z"

    return forward


def _date_of(value: Any, _: Options) -> Any:
    if value is None:
        return None
    return _parse_timestamp(value).date().isoformat()


REGISTRY: dict[str, Converter] = {
    converter.name: converter
    for converter in (
        Converter("same", "the value is the same on both sides (a rename at most)", _same, _same),
        Converter(
            "not", "boolean inverted (hidden ⇄ visible, enabled ⇄ archived)", _negate, _negate
        ),
        Converter(
            "flag",
            "a legacy query flag (true/false text) ⇄ a JSON boolean",
            _flag_forward,
            _flag_inverse,
        ),
        Converter(
            "link",
            "a download link each API signs for itself (never equal; its loss explains it)",
            _same,
            _same,
            lossy=True,
        ),
        Converter(
            "kilobytes",
            "a legacy size in kilobytes (one decimal) ⇄ a size in bytes",
            _kilobytes_forward,
            _kilobytes_inverse,
            lossy=True,
        ),
        Converter(
            "enum",
            "values translated through a named, invertible enum table",
            _enum_forward,
            _enum_inverse,
            needs_table=True,
        ),
        Converter(
            "money",
            "{value, currency} in legacy units ⇄ {minors, currency} by ISO 4217 exponent",
            _money_forward,
            _money_inverse,
            assumption="legacy-money-units",
        ),
        Converter(
            "rate",
            "a tax rate as a legacy percent (25) ⇄ a fraction (0.25)",
            _rate_forward,
            _rate_inverse,
            assumption="legacy-tax-rate-unit",
        ),
        Converter(
            "timestamp-seconds",
            "an ISO 8601 timestamp with milliseconds ⇄ whole seconds in UTC",
            _timestamp_forward,
            _timestamp_inverse,
            lossy=True,
        ),
        Converter(
            "date-start",
            "a legacy YYYY-MM-DD filter ⇄ the first second of that day (UTC)",
            _date_bound("00:00:00"),
            _date_of,
        ),
        Converter(
            "date-end",
            "a legacy YYYY-MM-DD filter ⇄ the last second of that day (UTC)",
            _date_bound("23:59:59"),
            _date_of,
        ),
    )
}


def get_converter(name: str) -> Converter | None:
    return REGISTRY.get(name)
