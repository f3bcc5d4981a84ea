"""Money in one place: exact kronor as Decimal, rounding, splitting and Swedish display.

Amounts are stored as Decimal with two decimals (öre). Units such as tkr are for display only;
a stored or summed figure is never rounded to them.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Literal

ORE = Decimal("0.01")
KRONA = Decimal("1")
ZERO = Decimal("0")
NBSP = "\u00a0"

Unit = Literal["kr", "tkr", "kkr", "mkr"]
UNIT_DIVISORS: dict[str, Decimal] = {
    "kr": Decimal(1),
    "tkr": Decimal(1000),
    "kkr": Decimal(1000),
    "mkr": Decimal(1_000_000),
}


def to_decimal(value: Decimal | int | str) -> Decimal:
    """Parse an amount exactly. Accepts Swedish input: spaces as thousand separators, comma decimals."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass Decimal, int or str.")
    cleaned = (
        str(value)
        .replace(NBSP, "")
        .replace("\u202f", "")
        .replace(" ", "")
        .replace("kr", "")
        .replace("\u2212", "-")
        .replace(",", ".")
    )
    try:
        return Decimal(cleaned)
    except InvalidOperation as exc:
        raise ValueError(f"Not an amount: {value!r}") from exc


MAX_INTEGER_DIGITS = 12  # DecimalField(max_digits=14, decimal_places=2): up to 999 999 999 999,99
_AMOUNT = re.compile(
    r"^(?P<sign>[-+\u2212])?(?P<integer>\d+)(?:[.,](?P<fraction>\d*))?(?:kr)?$", re.IGNORECASE
)


class AmountError(ValueError):
    """Why a typed amount was refused: `code` is "invalid", "too_large" or "too_precise"."""

    def __init__(self, code: str, value: object):
        super().__init__(f"{code}: {value!r}")
        self.code = code


def parse_amount(
    value: str | int | Decimal, *, decimals: int = 2, max_integer_digits: int = MAX_INTEGER_DIGITS
) -> Decimal:
    """The one parser for an amount a person typed or a file held.

    Accepts Swedish writing — spaces (also no-break) between thousands, a decimal comma, a trailing
    "kr", a minus sign — and a decimal point. Refuses (AmountError) anything else: exponents
    ("1E5"), NaN and Infinity, more than `max_integer_digits` digits before the comma (so that a
    stored value always fits its column and never breaks a page), and more than `decimals`
    decimals: a third decimal is refused, never silently rounded away."""
    if isinstance(value, float):
        raise TypeError("Money is never a float: pass Decimal, int or str.")
    if isinstance(value, int):
        value = Decimal(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise AmountError("invalid", value)
        text = format(value, "f")
    else:
        text = str(value)
    cleaned = "".join(text.split()).replace(NBSP, "").replace("\u202f", "")
    match = _AMOUNT.match(cleaned)
    if not match:
        raise AmountError("invalid", value)
    integer = match["integer"].lstrip("0") or "0"
    fraction = (match["fraction"] or "").rstrip("0")  # 1,50 is 1,5; trailing zeros add nothing
    if len(integer) > max_integer_digits:
        raise AmountError("too_large", value)
    if len(fraction) > decimals:
        raise AmountError("too_precise", value)
    sign = "-" if match["sign"] in ("-", "\u2212") else ""
    return Decimal(f"{sign}{integer}.{fraction or '0'}")


def round_ore(amount: Decimal) -> Decimal:
    return amount.quantize(ORE, rounding=ROUND_HALF_UP)


def round_half_up_krona(amount: Decimal) -> Decimal:
    return amount.quantize(KRONA, rounding=ROUND_HALF_UP)


def _group_thousands(integer_digits: str) -> str:
    groups = []
    while len(integer_digits) > 3:
        groups.insert(0, integer_digits[-3:])
        integer_digits = integer_digits[:-3]
    groups.insert(0, integer_digits)
    return NBSP.join(groups)


def format_number(amount: Decimal | int, decimals: int = 0) -> str:
    """'1 234 567' or '101,6' — Swedish grouping with no-break spaces and a decimal comma."""
    value = Decimal(amount).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    negative = value < 0
    text = f"{abs(value):.{decimals}f}"
    integer_part, _, fraction = text.partition(".")
    out = _group_thousands(integer_part) + ("," + fraction if fraction else "")
    return ("-" if negative and value != 0 else "") + out


def format_stored_decimal(value: object) -> object:
    """A decimal kept as text in the audit log ('3.5', '950000.00') shown Swedish style
    ('3,5', '950 000'), with no more decimals than it needs; anything else unchanged."""
    if not isinstance(value, str) or not _STORED_DECIMAL.fullmatch(value):
        return value
    number = Decimal(value)
    return format_number(number, max(0, -number.normalize().as_tuple().exponent))


_STORED_DECIMAL = re.compile(r"-?\d+\.\d+")


def format_sek(amount: Decimal | int | None, unit: Unit = "kr", decimals: int | None = None) -> str:
    """Display an amount Swedish style: '1 234 567 kr', '1 235 tkr', '2,6 mkr'.

    Rounding happens here and only here; pass exact amounts.
    """
    if amount is None:
        return ""
    if decimals is None:
        decimals = 1 if unit == "mkr" else 0
    scaled = Decimal(amount) / UNIT_DIVISORS[unit]
    return f"{format_number(scaled, decimals)}{NBSP}{unit}"


def format_input(amount: Decimal | int | None) -> str:
    """An amount as a form field shows it: '1 290 667' or '1 290 667,50' (plain spaces)."""
    if amount is None:
        return ""
    value = Decimal(amount)
    decimals = 0 if value == value.to_integral_value() else 2
    return format_number(value, decimals).replace(NBSP, " ")


@dataclass(frozen=True)
class Allocation:
    key: Hashable
    amount: Decimal  # whole kronor
    exact: Decimal  # the unrounded quota
    got_remainder: bool  # received one krona of the rounding remainder


def split_whole_kronor(
    total: Decimal, weights: Sequence[tuple[Hashable, Decimal]]
) -> list[Allocation]:
    """Split a whole-krona total by weights so that the parts sum exactly to the total.

    Largest-remainder method: every part gets the floor of its exact quota, then the kronor left
    over go one each to the parts with the largest fractional remainders; ties go to the earlier
    part in `weights`, so the caller's order decides and the result is reproducible.
    """
    if total != total.to_integral_value():
        raise ValueError("The total must be whole kronor.")
    weight_sum = sum((w for _, w in weights), ZERO)
    if weight_sum <= 0:
        raise ValueError("At least one weight must be positive.")
    if any(w < 0 for _, w in weights):
        raise ValueError("Weights must not be negative.")
    quotas = [(key, total * w / weight_sum) for key, w in weights]
    floors = [q.to_integral_value(rounding=ROUND_FLOOR) for _, q in quotas]
    leftover = int(total - sum(floors, ZERO))
    by_remainder = sorted(range(len(quotas)), key=lambda i: (-(quotas[i][1] - floors[i]), i))
    lucky = set(by_remainder[:leftover])
    return [
        Allocation(
            key=key,
            amount=floors[i] + (1 if i in lucky else 0),
            exact=quota,
            got_remainder=i in lucky,
        )
        for i, (key, quota) in enumerate(quotas)
    ]


def plain_number(value: Decimal) -> str:
    """A target or a share as people write it in Swedish: 40, 33,3 (never 40,0 or 4E+1)."""
    return format(value.normalize(), "f").replace(".", ",")
