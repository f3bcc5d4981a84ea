"""Personal identity numbers (personnummer and samordningsnummer) in free text.

Identity numbers belong only in the participant register, which stores them as a keyed hash
(finsam.participants.identity). Everywhere else they are refused at the field
(`finsam.core.forms.IdentityNumberGuard`), masked before the audit log stores a text
(`mask_identity_numbers`), and reported if already stored (`manage.py find_identity_numbers`).

Found in any common spelling — 19900101-0017, 900101-0017, 9001010017, 900101+0017,
19900101 0017 — when the date is real (a samordningsnummer adds 60 to the day) and the
check digit is right, so organisation numbers (month 20 or more) and most other numbers are not
taken for one.
"""

from __future__ import annotations

import re

from personnummer.personnummer import Personnummer, PersonnummerException

_CANDIDATE = re.compile(r"(?<![\d-])((?:\d{2})?\d{6})[ \t]?([-+])?[ \t]?(\d{4})(?![\d])")
MASK = "ÅÅMMDD-XXXX"


def _is_identity_number(date_part: str, sign: str | None, last4: str) -> bool:
    try:
        Personnummer(f"{date_part}{sign or '-' if len(date_part) == 6 else ''}{last4}")
    except (PersonnummerException, ValueError, TypeError):
        return False
    return True


def _matches(text: str):
    for match in _CANDIDATE.finditer(text):
        if _is_identity_number(match.group(1), match.group(2), match.group(3)):
            yield match


def contains_identity_number(text: object) -> bool:
    return isinstance(text, str) and any(True for _ in _matches(text))


def mask_identity_numbers(value):
    """The value with every identity number replaced by ÅÅMMDD-XXXX; lists, dicts and other
    values are walked, anything not text passes unchanged."""
    if isinstance(value, str):
        for match in reversed(list(_matches(value))):
            value = value[: match.start()] + MASK + value[match.end() :]
        return value
    if isinstance(value, dict):
        return {k: mask_identity_numbers(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_identity_numbers(v) for v in value)
    return value
