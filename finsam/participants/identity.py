"""Swedish personal identity numbers: personnummer and samordningsnummer.

The clear number is sensitive personal data. Finsam never stores it: the register keeps
`identity_hash(...)` (to find the same person again across interventions) and the derived birth
year and legal gender. To keep it out of logs and error reports:

- exception messages never contain the input (tests assert they contain no digits at all), and
  exceptions are raised outside `except` blocks, so no chained exception carries the input either;
- `repr()` and `str()` of an `IdentityNumber` show only the derived, non-identifying fields.

Accepted input (whitespace is ignored): `ÅÅMMDD-NNNN`, `ÅÅMMDD+NNNN` (the person is 100 years or
older), `ÅÅMMDDNNNN` (read as `-`), `ÅÅÅÅMMDDNNNN` and `ÅÅÅÅMMDD-NNNN`. The checksum is verified with
the `personnummer` library after the format and the date have been checked here, so that each kind
of error gets its own message.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from django.utils.translation import gettext as _
from personnummer import personnummer as personnummer_lib

LegalGender = Literal["F", "M"]
ErrorReason = Literal["format", "date", "checksum"]

#: Samordningsnummer add this to the day of birth.
COORDINATION_DAY_OFFSET = 60
#: Shortest HMAC secret accepted. There are only a few hundred million valid numbers, so without a
#: long random secret anyone could hash them all and reverse the register. Use 32 random bytes.
MIN_SECRET_BYTES = 16

_SHORT_FORM = re.compile(r"(\d{2})(\d{2})(\d{2})([-+]?)(\d{3})(\d)", re.ASCII)
_LONG_FORM = re.compile(r"(\d{4})(\d{2})(\d{2})(-?)(\d{3})(\d)", re.ASCII)


class InvalidIdentityNumber(ValueError):
    """The text is not a valid personnummer or samordningsnummer.

    `reason` tells which check failed ("format", "date" or "checksum"); the message says how to fix
    it, in Swedish, and never repeats the number.
    """

    def __init__(self, message: str, *, reason: ErrorReason) -> None:
        super().__init__(message)
        self.reason: ErrorReason = reason


@dataclass(frozen=True)
class IdentityNumber:
    """A validated identity number. Keep it in memory only: store `identity_hash(...)` instead."""

    normalized: str = field(repr=False)  # 12 digits, ÅÅÅÅMMDDNNNN (the day keeps its +60)
    birth_date: date = field(repr=False)
    birth_year: int
    legal_gender: LegalGender
    is_coordination_number: bool

    def age_on(self, day: date) -> int:
        """Age in whole years on `day` (a birthday on 29 February counts from 1 March)."""
        before_birthday = (day.month, day.day) < (self.birth_date.month, self.birth_date.day)
        return day.year - self.birth_year - int(before_birthday)

    def __str__(self) -> str:
        return repr(self)


def parse_identity_number(text: str, *, today: date | None = None) -> IdentityNumber:
    """Validate and normalise a personnummer or samordningsnummer.

    `today` decides the century of the short forms (`-`: under 100 years old, `+`: 100 or older)
    and rejects birth dates in the future; it defaults to the system date.
    """
    if not isinstance(text, str):
        raise TypeError("parse_identity_number() takes a str")
    today = today or date.today()
    compact = "".join(text.split())

    long_match = _LONG_FORM.fullmatch(compact)
    short_match = None if long_match else _SHORT_FORM.fullmatch(compact)
    if long_match is None and short_match is None:
        raise InvalidIdentityNumber(_format_message(compact), reason="format")

    if long_match is not None:
        year_text, month_text, day_text, _separator, serial, check = long_match.groups()
        year = int(year_text)
    else:
        assert short_match is not None
        short_year, month_text, day_text, separator, serial, check = short_match.groups()
        year = _century_for_short_form(
            int(short_year), int(month_text), _real_day(int(day_text)), separator, today
        )

    if serial == "000":
        raise InvalidIdentityNumber(
            _("The three digits after the date of birth cannot all be zero. Check the number."),
            reason="format",
        )

    month, coded_day = int(month_text), int(day_text)
    is_coordination_number = coded_day > COORDINATION_DAY_OFFSET
    birth_date = _valid_date(year, month, _real_day(coded_day))
    if birth_date is None:
        raise InvalidIdentityNumber(
            _(
                "The number does not contain a valid date of birth. Check the year, month and day "
                "(in a coordination number, the day is increased by sixty)."
            ),
            reason="date",
        )
    if birth_date > today:
        raise InvalidIdentityNumber(
            _("The date of birth in the number is in the future. Check the century."),
            reason="date",
        )

    normalized = f"{year:04d}{month_text}{day_text}{serial}{check}"
    if not _checksum_is_valid(normalized):
        raise InvalidIdentityNumber(
            _(
                "The check digit (the last digit) does not match the rest of the number. Check "
                "that all digits are entered correctly."
            ),
            reason="checksum",
        )

    return IdentityNumber(
        normalized=normalized,
        birth_date=birth_date,
        birth_year=year,
        legal_gender="M" if int(serial[-1]) % 2 else "F",
        is_coordination_number=is_coordination_number,
    )


def identity_hash(number: IdentityNumber, *, secret: bytes) -> str:
    """Keyed hash (HMAC-SHA256, hex) of the normalised number: the same person gives the same hash.

    The secret comes from the environment and must stay the same for the life of the register; a
    different secret gives unrelated hashes. A person who moves from a samordningsnummer to a
    personnummer gets a new hash, as in the national systems.
    """
    if not isinstance(secret, bytes | bytearray):
        raise TypeError("identity_hash() needs the secret as bytes")
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"The identity hash secret must be at least {MIN_SECRET_BYTES} bytes long")
    return hmac.new(bytes(secret), number.normalized.encode("ascii"), hashlib.sha256).hexdigest()


def _format_message(compact: str) -> str:
    digits = sum(character in "0123456789" for character in compact)
    only_digits_and_separators = all(character in "0123456789-+" for character in compact)
    if only_digits_and_separators and digits not in (10, 12):
        return _(
            "The number has the wrong number of digits. Enter twelve digits (YYYYMMDD-NNNN) or ten "
            "digits (YYMMDD-NNNN)."
        )
    return _(
        "Enter the number as YYYYMMDD-NNNN or YYMMDD-NNNN: digits only, with a hyphen (or a plus "
        "sign for people aged 100 or over) before the last four digits."
    )


def _real_day(coded_day: int) -> int:
    return coded_day - COORDINATION_DAY_OFFSET if coded_day > COORDINATION_DAY_OFFSET else coded_day


def _century_for_short_form(
    short_year: int, month: int, day: int, separator: str, today: date
) -> int:
    """The latest year ending in `short_year` whose date is not in the future; minus 100 for `+`."""
    year = today.year - (today.year - short_year) % 100
    if (year, month, day) > (today.year, today.month, today.day):
        year -= 100
    if separator == "+":
        year -= 100
    return year


def _valid_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _checksum_is_valid(normalized: str) -> bool:
    # Format and date are already checked, so the library can only object to the check digit.
    # Return a flag rather than raising inside `except`, so no exception chain holds the number.
    try:
        personnummer_lib.parse(normalized)
    except personnummer_lib.PersonnummerException:
        return False
    return True
