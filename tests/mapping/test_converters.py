"""Converters: exact money by ISO 4217 exponent, invertible enums, booleans, rates, timestamps."""

from __future__ import annotations

from decimal import Decimal

import pytest

from migrate.errors import AssumptionViolation, ConversionError
from migrate.mapping.converters import REGISTRY, check_money_pair, major_to_minor, minor_to_major
from migrate.mapping.currencies import exponent_of
from migrate.mapping.model import EnumTable, Where


@pytest.mark.parametrize(
    ("amount", "currency", "minors"),
    [
        pytest.param(0, "DKK", 0, id="zero"),
        pytest.param(12.34, "DKK", 1234, id="two-decimals"),
        pytest.param(1.15, "EUR", 115, id="float-that-truncates-naively"),
        pytest.param(19.99, "SEK", 1999, id="float-just-below"),
        pytest.param(0.1 + 0.2, "GBP", 30, id="float-noise-0.1+0.2"),
        pytest.param(1.1 + 2.2, "GBP", 330, id="float-noise-1.1+2.2"),
        pytest.param(-12.34, "DKK", -1234, id="negative"),
        pytest.param(-0.01, "EUR", -1, id="negative-one-minor"),
        pytest.param(1500, "JPY", 1500, id="jpy-zero-decimals"),
        pytest.param(1500.0, "ISK", 1500, id="isk-float-whole"),
        pytest.param(-250, "ISK", -250, id="isk-negative"),
        pytest.param(1.005, "KWD", 1005, id="kwd-three-decimals"),
        pytest.param(-12.345, "KWD", -12345, id="kwd-negative"),
        pytest.param("12.34", "DKK", 1234, id="decimal-text"),
        pytest.param(Decimal("99999999999.99"), "EUR", 9999999999999, id="large-decimal"),
        pytest.param(10**12, "EUR", 10**14, id="large-int"),
        pytest.param(1.5, "CLF", 15000, id="four-decimals"),
        pytest.param(12.3, "dkk", 1230, id="lower-case-code"),
    ],
)
def test_major_to_minor(amount: object, currency: str, minors: int) -> None:
    assert major_to_minor(amount, currency) == minors


@pytest.mark.parametrize(
    ("amount", "currency"),
    [
        pytest.param(12.345, "DKK", id="three-decimals-in-dkk"),
        pytest.param(1500.5, "JPY", id="fraction-of-a-yen"),
        pytest.param(0.5, "ISK", id="fraction-of-a-krona"),
        pytest.param(1.0005, "KWD", id="four-decimals-in-kwd"),
        pytest.param(0.001, "EUR", id="a-tenth-of-a-cent"),
        pytest.param("12.345", "DKK", id="text-with-too-many-decimals"),
    ],
)
def test_major_to_minor_refuses_to_round(amount: object, currency: str) -> None:
    with pytest.raises(ConversionError, match="refusing to round"):
        major_to_minor(amount, currency)


@pytest.mark.parametrize(
    ("amount", "currency", "message"),
    [
        pytest.param(12, "XYZ", "unknown ISO 4217 currency", id="unknown-currency"),
        pytest.param(12, None, "unknown ISO 4217 currency", id="no-currency"),
        pytest.param(True, "DKK", "expected a number", id="boolean"),
        pytest.param("twelve", "DKK", "expected a number", id="text"),
        pytest.param(float("nan"), "DKK", "finite", id="nan"),
        pytest.param(float("inf"), "DKK", "finite", id="infinity"),
    ],
)
def test_major_to_minor_rejects_bad_input(amount: object, currency: object, message: str) -> None:
    with pytest.raises(ConversionError, match=message):
        major_to_minor(amount, currency)


@pytest.mark.parametrize(
    ("minors", "currency", "major"),
    [
        pytest.param(1234, "DKK", 12.34, id="two-decimals"),
        pytest.param(30, "GBP", 0.3, id="no-float-noise"),
        pytest.param(-1, "EUR", -0.01, id="negative"),
        pytest.param(1500, "JPY", 1500, id="jpy"),
        pytest.param(-1005, "KWD", -1.005, id="kwd"),
        pytest.param(0, "ISK", 0, id="zero"),
    ],
)
def test_minor_to_major(minors: int, currency: str, major: float) -> None:
    result = minor_to_major(minors, currency)
    assert result == major
    assert repr(result) == repr(major)  # 0.3, not 0.30000000000000004
    if exponent_of(currency) == 0:
        assert isinstance(result, int)  # the legacy API shows 1500, not 1500.0


def test_minor_to_major_refuses_fractional_minors() -> None:
    with pytest.raises(ConversionError, match="whole minor units"):
        minor_to_major(12.5, "DKK")


@pytest.mark.parametrize(
    ("legacy", "new"),
    [
        ({"value": 12.34, "currency": "DKK"}, {"currency": "DKK", "minors": 1234}),
        ({"value": -65.8, "currency": "GBP"}, {"currency": "GBP", "minors": -6580}),
        ({"value": 1500, "currency": "JPY"}, {"currency": "JPY", "minors": 1500}),
        ({"value": 0.125, "currency": "KWD"}, {"currency": "KWD", "minors": 125}),
        (None, None),
    ],
)
def test_money_converter_is_a_pair(legacy: object, new: object) -> None:
    money = REGISTRY["money"]
    options = {"assumption": "major"}
    assert money.forward(legacy, options) == new
    assert money.inverse(new, options) == legacy


def test_money_converter_with_minor_legacy_units() -> None:
    money = REGISTRY["money"]
    options = {"assumption": "minor"}
    assert money.forward({"value": 1234, "currency": "DKK"}, options) == {
        "currency": "DKK",
        "minors": 1234,
    }
    assert money.inverse({"currency": "DKK", "minors": 1234}, options) == {
        "value": 1234,
        "currency": "DKK",
    }
    with pytest.raises(ConversionError):
        money.forward({"value": 12.5, "currency": "DKK"}, options)


@pytest.mark.parametrize("bad", [{"value": 1}, {"currency": "DKK"}, [1, "DKK"], "12 DKK"])
def test_money_converter_rejects_malformed_money(bad: object) -> None:
    with pytest.raises(ConversionError, match="money"):
        REGISTRY["money"].forward(bad, {"assumption": "major"})


def _table() -> EnumTable:
    return EnumTable(
        "Demo",
        {"CARD": "CARD_PURCHASE", "LOAD": "WALLET"},
        {"CARD_PURCHASE": "CARD", "WALLET": "LOAD", "CASHBACK": "LOAD"},
        (),
        Where("demo.yaml", 1),
        lossy=True,
    )


def test_enum_converter_translates_both_ways() -> None:
    enum = REGISTRY["enum"]
    options = {"table": _table()}
    assert enum.forward("CARD", options) == "CARD_PURCHASE"
    assert enum.inverse("CARD_PURCHASE", options) == "CARD"
    assert enum.inverse("CASHBACK", options) == "LOAD"  # an inverse-only value
    assert enum.forward(None, options) is None


def test_enum_converter_names_the_unknown_value() -> None:
    with pytest.raises(ConversionError, match=r"'MANUAL' is not in enum table Demo"):
        REGISTRY["enum"].forward("MANUAL", {"table": _table()})


@pytest.mark.parametrize(("legacy", "new"), [(True, False), (False, True), (None, None)])
def test_not_converter(legacy: object, new: object) -> None:
    assert REGISTRY["not"].forward(legacy, {}) == new
    assert REGISTRY["not"].inverse(new, {}) == legacy


def test_not_converter_refuses_non_booleans() -> None:
    with pytest.raises(ConversionError):
        REGISTRY["not"].forward("yes", {})


@pytest.mark.parametrize(("percent", "fraction"), [(25, 0.25), (12.5, 0.125), (0, 0), (7.7, 0.077)])
def test_rate_converter_percent_to_fraction(percent: float, fraction: float) -> None:
    rate = REGISTRY["rate"]
    options = {"assumption": "percent"}
    assert rate.forward(percent, options) == fraction
    assert rate.inverse(fraction, options) == percent


@pytest.mark.parametrize(("legacy", "fraction"), [(25, 0.25), (12.5, 0.125), (1.5, 0.015)])
def test_a_rate_above_1_is_a_percent_whatever_the_setting(legacy: float, fraction: float) -> None:
    """Guard: no tax rate is above 100 %, so under `fraction` a 25 can only mean 25 %."""
    assert REGISTRY["rate"].forward(legacy, {"assumption": "fraction"}) == fraction


@pytest.mark.parametrize("legacy", [0.25, 1, 0])
def test_a_rate_up_to_1_follows_the_setting(legacy: float) -> None:
    assert REGISTRY["rate"].forward(legacy, {"assumption": "fraction"}) == legacy
    assert REGISTRY["rate"].forward(legacy, {"assumption": "percent"}) == legacy / 100


@pytest.mark.parametrize(
    ("legacy_minors", "new_minors", "currency", "unit"),
    [(123400, 1234, "DKK", "major"), (12, 1200, "EUR", "minor"), (1234000, 1234, "KWD", "major")],
)
def test_money_that_contradicts_its_unit_is_an_assumption_violation(
    legacy_minors: int, new_minors: int, currency: str, unit: str
) -> None:
    with pytest.raises(AssumptionViolation, match="set legacy-money-units to") as caught:
        check_money_pair(legacy_minors, new_minors, currency, unit)
    assert caught.value.assumption == "legacy-money-units"
    assert isinstance(caught.value, ConversionError)


@pytest.mark.parametrize(
    ("legacy_minors", "new_minors", "currency"),
    [(1234, 1234, "DKK"), (1234, 1299, "DKK"), (500, 5, "JPY"), (0, 0, "DKK"), ("x", 1, "DKK")],
)
def test_money_that_agrees_or_differs_otherwise_is_no_assumption_question(
    legacy_minors: object, new_minors: object, currency: str
) -> None:
    check_money_pair(legacy_minors, new_minors, currency, "major")  # no exception


@pytest.mark.parametrize(
    ("legacy", "new", "back"),
    [
        ("2024-03-01T10:15:30.123Z", "2024-03-01T10:15:30Z", "2024-03-01T10:15:30.000Z"),
        ("2024-03-01T10:15:30.000Z", "2024-03-01T10:15:30Z", "2024-03-01T10:15:30.000Z"),
        ("2024-03-01T12:15:30.999+02:00", "2024-03-01T10:15:30Z", "2024-03-01T10:15:30.000Z"),
        (None, None, None),
    ],
)
def test_timestamp_converter(legacy: str | None, new: str | None, back: str | None) -> None:
    timestamp = REGISTRY["timestamp-seconds"]
    assert timestamp.lossy
    assert timestamp.forward(legacy, {}) == new
    assert timestamp.inverse(new, {}) == back


@pytest.mark.parametrize("bad", ["yesterday", "2024-03-01T10:15:30", 1700000000])
def test_timestamp_converter_rejects_bad_input(bad: object) -> None:
    with pytest.raises(ConversionError):
        REGISTRY["timestamp-seconds"].forward(bad, {})


def test_date_filters() -> None:
    assert REGISTRY["date-start"].forward("2024-03-01", {}) == "2024-03-01T00:00:00Z"
    assert REGISTRY["date-end"].forward("2024-03-01", {}) == "2024-03-01T23:59:59Z"
    assert REGISTRY["date-end"].inverse("2024-03-01T23:59:59Z", {}) == "2024-03-01"
    with pytest.raises(ConversionError, match="expected a date"):
        REGISTRY["date-start"].forward("01/03/2024", {})


@pytest.mark.parametrize(
    ("name", "value", "sent"),
    [
        ("date-start", "2025-03-01", "2025-03-01T00:00:00Z"),
        ("date-end", "2025-03-31", "2025-03-31T23:59:59Z"),
        ("date-start", "2025-03-01T10:15:30.123Z", "2025-03-01T10:15:30Z"),
        ("date-end", "2025-03-31T12:00:00.000+02:00", "2025-03-31T10:00:00Z"),
    ],
)
def test_legacy_date_filters_take_a_day_or_the_specs_date_time(
    name: str, value: str, sent: str
) -> None:
    """legacy-openapi.yml types dateFrom/dateTo as date-time; clients send both forms."""
    assert REGISTRY[name].forward(value, {}) == sent


def test_a_date_filter_without_a_zone_is_refused() -> None:
    with pytest.raises(ConversionError, match="no time zone"):
        REGISTRY["date-start"].forward("2025-03-01T10:00:00", {})



@pytest.mark.parametrize("size", [1.76e305, "1e400", -1.7e308])
def test_kilobytes_converter_refuses_sizes_beyond_a_float(size: object) -> None:
    """A size too large for a float is a ConversionError, not an OverflowError (found by
    hypothesis in test_compiled: round(inf) raised)."""
    with pytest.raises(ConversionError, match="finite"):
        REGISTRY["kilobytes"].forward(size, {})


def test_kilobytes_inverse_refuses_sizes_beyond_a_float() -> None:
    with pytest.raises(ConversionError, match="finite"):
        REGISTRY["kilobytes"].inverse("1e400", {})
    assert REGISTRY["kilobytes"].inverse(1536, {}) == 1.5
