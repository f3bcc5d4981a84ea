from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.core.money import (
    NBSP,
    format_number,
    format_sek,
    format_stored_decimal,
    round_half_up_krona,
    split_whole_kronor,
    to_decimal,
)


def plain(text: str) -> str:
    return text.replace(NBSP, " ")


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        (Decimal("1234567"), "kr", "1 234 567 kr"),
        (Decimal("1234567"), "tkr", "1 235 tkr"),
        (Decimal("-102000"), "kkr", "-102 kkr"),
        (Decimal("2592000"), "mkr", "2,6 mkr"),
        (Decimal("0"), "kr", "0 kr"),
        (Decimal("999.50"), "kr", "1 000 kr"),
        (Decimal("-0.4"), "kr", "0 kr"),
    ],
)
def test_format_sek_swedish_style(amount, unit, expected):
    assert plain(format_sek(amount, unit)) == expected


def test_format_uses_no_break_spaces_so_amounts_never_wrap():
    assert format_sek(Decimal("1500000")) == f"1{NBSP}500{NBSP}000{NBSP}kr"


def test_format_number_with_decimals_uses_comma():
    assert plain(format_number(Decimal("101.6"), 1)) == "101,6"
    assert plain(format_number(Decimal("-430.9"), 1)) == "-430,9"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1 500 000", "1500000"),
        ("1\u00a0500\u00a0000 kr", "1500000"),
        ("1500000,50", "1500000.50"),
        ("\u2212102", "-102"),
        ("12", "12"),
    ],
)
def test_to_decimal_reads_swedish_input(text, expected):
    assert to_decimal(text) == Decimal(expected)


def test_to_decimal_refuses_float_and_garbage():
    with pytest.raises(TypeError):
        to_decimal(1.5)
    with pytest.raises(ValueError):
        to_decimal("tusen")


def test_half_up_rounding_to_krona():
    assert round_half_up_krona(Decimal("1293333.5")) == Decimal("1293334")
    assert round_half_up_krona(Decimal("-0.5")) == Decimal("-1")


def test_split_places_remainder_on_largest_fraction_then_earliest():
    parts = split_whole_kronor(
        Decimal(10), [("a", Decimal(1)), ("b", Decimal(1)), ("c", Decimal(1))]
    )
    assert [p.amount for p in parts] == [Decimal(4), Decimal(3), Decimal(3)]
    assert [p.got_remainder for p in parts] == [True, False, False]


def test_split_refuses_fractional_total_and_zero_weights():
    with pytest.raises(ValueError):
        split_whole_kronor(Decimal("10.5"), [("a", Decimal(1))])
    with pytest.raises(ValueError):
        split_whole_kronor(Decimal(10), [("a", Decimal(0))])


weights = st.lists(st.decimals(min_value=0, max_value=10_000, places=2), min_size=1, max_size=12)


@given(total=st.integers(min_value=0, max_value=10**11), ws=weights)
def test_split_sums_exactly_and_each_part_is_within_one_krona(total, ws):
    if sum(ws) <= 0:
        ws = [*ws, Decimal(1)]
    parts = split_whole_kronor(Decimal(total), list(enumerate(ws)))
    assert sum(p.amount for p in parts) == total
    for p in parts:
        assert p.amount == p.amount.to_integral_value()
        assert abs(p.amount - p.exact) < 1


@given(amount=st.decimals(min_value=-(10**12), max_value=10**12, places=2))
def test_display_never_changes_the_stored_amount(amount):
    before = Decimal(amount)
    format_sek(amount, "tkr")
    format_sek(amount, "kr")
    assert amount == before
    assert to_decimal(plain(format_number(amount, 2))) == amount


@pytest.mark.parametrize(
    ("stored", "shown"),
    [
        ("3.5", "3,5"),
        ("3.0000", "3"),
        ("950000.00", "950\xa0000"),
        ("-12.50", "-12,5"),
        ("2021-06-09", "2021-06-09"),
        ("ORS 3.5", "ORS 3.5"),
        (None, None),
        (7, 7),
    ],
)
def test_decimals_kept_as_text_are_shown_swedish_style(stored, shown):
    assert format_stored_decimal(stored) == shown
