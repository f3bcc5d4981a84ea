"""The one amount parser and the form fields built on it (#12: input that must never hurt)."""

import datetime as dt
from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from finsam.core.forms import AmountField, NumberField
from finsam.core.money import AmountError, format_input, parse_amount


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1 000,50", "1000.50"),
        ("1\u00a0000,50", "1000.50"),
        ("1 500 000 kr", "1500000"),
        ("1500000,5", "1500000.5"),
        ("1500.25", "1500.25"),
        ("-250", "-250"),
        ("\u2212250", "-250"),
        ("0,10", "0.1"),
        ("999 999 999 999,99", "999999999999.99"),
    ],
)
def test_swedish_amounts_are_read_exactly(typed, expected):
    assert parse_amount(typed) == Decimal(expected)


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("1E5", "invalid"),
        ("NaN", "invalid"),
        ("Infinity", "invalid"),
        ("-inf", "invalid"),
        ("12,3,4", "invalid"),
        ("abc", "invalid"),
        ("", "invalid"),
        ("1 000 000 000 000", "too_large"),
        ("12345678901234", "too_large"),
        ("10,005", "too_precise"),
        ("0,001", "too_precise"),
    ],
)
def test_anything_else_is_refused_with_a_reason(typed, code):
    with pytest.raises(AmountError) as error:
        parse_amount(typed)
    assert error.value.code == code


def test_stored_decimals_pass_with_their_trailing_zeros():
    assert parse_amount(Decimal("30.0000")) == Decimal(30)
    with pytest.raises(AmountError):
        parse_amount(Decimal("NaN"))


@given(
    st.decimals(
        min_value=Decimal("-999999999999.99"),
        max_value=Decimal("999999999999.99"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_what_finsam_shows_in_a_field_reads_back_to_the_same_amount(amount):
    assert parse_amount(format_input(amount)) == amount
    # A stored amount in a form field is written as people write it, and reads back the same.
    field = AmountField()
    shown = field.prepare_value(amount)
    assert "." not in shown and field.clean(shown) == amount


@given(
    st.decimals(
        min_value=Decimal("-999.9999"),
        max_value=Decimal("999.9999"),
        places=4,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_a_stored_number_is_shown_without_trailing_zeros_and_reads_back(number):
    field = NumberField(max_digits=7, decimal_places=4)
    shown = field.prepare_value(number)
    assert "." not in shown and not (shown.endswith("0") and "," in shown)
    assert field.clean(shown) == number
    assert field.prepare_value(Decimal("50.0000")) == "50"
    assert field.prepare_value(Decimal("12.5000")) == "12,5"


class _Form(forms.Form):
    amount = AmountField()
    share = NumberField(max_digits=5, decimal_places=1, required=False)
    day = forms.DateField(required=False)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("1E5", "Ange ett belopp i kronor"),
        ("12345678901234", "högst 12 siffror"),
        ("10,005", "högst två decimaler"),
    ],
)
def test_the_form_says_why_at_the_field_in_swedish(typed, message, settings):
    form = _Form({"amount": typed})
    assert not form.is_valid()
    assert message in " ".join(form.errors["amount"])


def test_other_numbers_take_the_decimal_comma():
    form = _Form({"amount": "1 000,50", "share": "33,3"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data == {
        "amount": Decimal("1000.50"),
        "share": Decimal("33.3"),
        "day": None,
    }


@pytest.mark.parametrize("typed", ["0202-01-01", "20227-01-01", "1899-12-31", "2101-01-01"])
def test_a_year_outside_1900_to_2100_is_refused_at_the_field(typed):
    form = _Form({"amount": "1", "day": typed})
    assert not form.is_valid()
    assert "day" in form.errors


@pytest.mark.parametrize("language", ["sv", "en"])
def test_a_slashed_date_is_read_day_first_never_in_us_order(language):
    from django.utils import translation

    with translation.override(language):
        form = _Form({"amount": "1", "day": "01/02/2027"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == dt.date(2027, 2, 1)
