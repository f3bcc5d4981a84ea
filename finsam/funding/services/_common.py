"""Small helpers the funding services share: validation errors, periods, permission checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from finsam.core.actors import is_system
from finsam.organisation.access import check
from finsam.organisation.models import Association


def _check_description(
    fields: dict[str, Any], errors: dict[str, list[str]], *, require_end: bool = False
) -> None:
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        errors.setdefault("period_end", []).append(_("The period cannot end before it starts."))
    if require_end and not end:
        errors.setdefault("period_end", []).append(_("Enter when the period ends."))
    age_from, age_to = fields.get("age_from"), fields.get("age_to")
    if age_from is not None and age_to is not None and age_to < age_from:
        errors.setdefault("age_to", []).append(
            _("The upper age cannot be lower than the lower age.")
        )


def _period_years(start: dt.date, end: dt.date | None) -> range | None:
    return range(start.year, end.year + 1) if start and end else None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _require(by, association: Association, capability: str) -> None:
    """Refuse a user without the capability. `by=SYSTEM` is the system (imports, the demo)."""
    if is_system(by):
        return
    allowed, why = check(by, association, capability)
    if not allowed:
        raise PermissionDenied(why)
