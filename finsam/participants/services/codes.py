"""The national follow-up's code lists: seeded per association, then edited by the office."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from finsam.organisation.audit import Event, audited_create, audited_update
from finsam.participants.models import (
    CodeList,
    Enrolment,
    FollowUpCode,
)
from finsam.participants.services.statistics_summary import StatisticsRefresh

_SAME_AS_OCCUPATION = [
    ("arbete", "Arbete", True),
    ("studier", "Studier", True),
    ("aktivt-arbetssokande", "Aktivt arbetssökande", False),
    ("sjukskriven", "Sjukskriven", False),
    ("forsorjningsstod", "Försörjningsstöd", False),
    ("aktivitetsersattning", "Aktivitetsersättning", False),
    ("ovrigt", "Övrigt", False),
]
#: The national follow-up's categories, seeded per association; the office edits them afterwards.
#: (code, label, is_positive[, voids_enrolment])
DEFAULT_CODES: dict[str, list[tuple]] = {
    CodeList.OCCUPATION: _SAME_AS_OCCUPATION,
    CodeList.INCOME_SOURCE: _SAME_AS_OCCUPATION,
    CodeList.TIME_OUTSIDE: [
        ("under-6-man", "Mindre än 6 månader", False),
        ("6-12-man", "6–12 månader", False),
        ("1-2-ar", "1–2 år", False),
        ("2-5-ar", "2–5 år", False),
        ("over-5-ar", "Mer än 5 år", False),
    ],
    CodeList.EDUCATION: [
        ("forgymnasial", "Förgymnasial utbildning", False),
        ("gymnasial", "Gymnasieutbildning", False),
        ("eftergymnasial", "Eftergymnasial utbildning", False),
        ("okand", "Okänd", False),
    ],
    CodeList.EXIT_REASON: [
        ("planerat-avslut", "Planerat avslut", False),
        ("avbrott", "Avbrott", False),
        ("flytt", "Flytt", False),
        ("felregistrering", "Felregistrering", False, True),
    ],
    CodeList.STEP_PROGRESS: [
        ("ingen", "Ingen förflyttning", False),
        ("narmare", "Närmare arbete eller studier", True),
        ("i-arbete-studier", "I arbete eller studier", True),
    ],
}


# --- code lists ---------------------------------------------------------------------------------


def codes_ensure_defaults(*, association) -> None:
    """Seed the national follow-up's code lists for an association that has none yet."""
    if FollowUpCode.objects.filter(association=association).exists():
        return
    rows = []
    for list_name, values in DEFAULT_CODES.items():
        for order, (code, label, positive, *rest) in enumerate(values, start=1):
            rows.append(
                FollowUpCode(
                    association=association,
                    list_name=list_name,
                    code=code,
                    label=label,
                    sort_order=order * 10,
                    is_positive=positive,
                    voids_enrolment=bool(rest and rest[0]),
                )
            )
    FollowUpCode.objects.bulk_create(rows)


#: What the office may set on a code (forms.CodeForm).
FOLLOW_UP_CODE_FIELDS = (
    "list_name",
    "code",
    "label",
    "sort_order",
    "is_positive",
    "voids_enrolment",
    "is_active",
)


def follow_up_code_create(*, association, by, **fields: Any) -> FollowUpCode:
    return audited_create(
        FollowUpCode, by=by, event=Event.FOLLOW_UP_CODE_CREATED, association=association, **fields
    )


#: The participation's fields that hold a follow-up code.
CODE_FIELDS = (
    "entry_occupation",
    "entry_income_source",
    "time_outside",
    "education",
    "exit_reason",
    "exit_occupation",
    "exit_income_source",
    "step_progress",
)


def follow_up_code_in_use(code: FollowUpCode) -> bool:
    """Is the code the value of some participation's field?"""
    used = Q()
    for name in CODE_FIELDS:
        used |= Q(**{name: code})
    return Enrolment.objects.filter(used).exists()


@transaction.atomic
def follow_up_code_update(*, code: FollowUpCode, data: dict[str, Any], by) -> FollowUpCode:
    """Change a code's label, order, meaning for the goals or use. A code never moves to
    another list (a participation's occupation would become an exit reason), and a code in use
    keeps its code: the national export writes it, and the same code must mean the same thing
    in every year's file. Retire it (`is_active=False`) and add a new one instead."""
    stored = FollowUpCode.objects.select_for_update().get(pk=code.pk)
    errors: dict[str, str] = {}
    if "list_name" in data and data["list_name"] != stored.list_name:
        errors["list_name"] = _(
            "A code cannot be moved to another list. Add a new code to the list where it belongs."
        )
    if "code" in data and data["code"] != stored.code and follow_up_code_in_use(stored):
        errors["code"] = _(
            "The code is used in registered participations and cannot be changed. Change the "
            "label, or stop using the code and add a new one."
        )
    if errors:
        raise ValidationError(errors)
    # Voiding (or no longer voiding) participations takes them out of (or into) the statistics.
    voids = "voids_enrolment" in data and bool(data["voids_enrolment"]) != stored.voids_enrolment
    refresh = StatisticsRefresh(Enrolment.objects.filter(exit_reason=stored) if voids else ())
    updated = audited_update(
        code, data, fields=FOLLOW_UP_CODE_FIELDS, by=by, event=Event.FOLLOW_UP_CODE_UPDATED
    )
    refresh.done()
    return updated
