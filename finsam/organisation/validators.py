import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def validate_org_number(value: str) -> None:
    """Swedish organisationsnummer: NNNNNN-NNNN with a Luhn check digit."""
    if not value:
        return
    if not re.fullmatch(r"\d{6}-?\d{4}", value):
        raise ValidationError(
            _("Enter the organisation number as ten digits, for example 222000-1234.")
        )
    if not luhn_ok(value.replace("-", "")):
        raise ValidationError(
            _(
                "The organisation number has an incorrect check digit. Check it against the "
                "registration certificate."
            )
        )
