"""Building register state for tests by calling the real services."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.demo.participants import luhn_check_digit
from finsam.funding.models import InterventionGoal
from finsam.funding.services import intervention_staff_set
from finsam.funding.tests import factories as funding_factories
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants.models import CodeList, FollowUpCode


def identity_number(birth: dt.date = dt.date(1998, 4, 12), serial: str = "238") -> str:
    """A valid-checksum personnummer, ÅÅÅÅMMDD-NNNC."""
    return f"{birth:%Y%m%d}-{serial}{luhn_check_digit(f'{birth:%y%m%d}{serial}')}"


def staffed_intervention(association, *, title="STEGSAM", staff=(), goals=()):
    intervention = funding_factories.intervention(
        association,
        fields={"title": title, "period_start": dt.date(2020, 1, 1), "period_end": None},
        kind_shares={"individual": 100},
    )
    if staff:
        intervention_staff_set(intervention=intervention, users=list(staff), by=SYSTEM)
    for i, (text, target) in enumerate(goals):
        InterventionGoal.objects.create(
            intervention=intervention, text=text, target_value=target, sort_order=i
        )
    return intervention


def staff_user(association, intervention=None):
    user = user_with_role(association, Role.STAFF)
    if intervention is not None:
        intervention_staff_set(
            intervention=intervention, users=[*intervention.staff.all(), user], by=SYSTEM
        )
    return user


def code(association, list_name: str, value: str) -> FollowUpCode:
    services.codes_ensure_defaults(association=association)
    return FollowUpCode.objects.get(association=association, list_name=list_name, code=value)


def month_start() -> dt.date:
    return timezone.localdate().replace(day=1)


def register(association, intervention, *, by=SYSTEM, number=None, **overrides):
    services.codes_ensure_defaults(association=association)
    fields = {
        "identity_text": number or identity_number(),
        "consent_date": month_start(),
        "consent_scope": "Registrering och uppföljning",
        "start_date": month_start(),
        "name": "Alva Testsson",
        "contact": "070-123 45 67",
        "entry_occupation": code(association, CodeList.OCCUPATION, "sjukskriven"),
    }
    fields.update(overrides)
    return services.participant_register(
        association=association, intervention=intervention, by=by, **fields
    )


def exit_enrolment(enrolment, *, occupation="arbete", step="i-arbete-studier", by=SYSTEM):
    association = enrolment.intervention.association
    return services.enrolment_exit(
        enrolment=enrolment,
        exit_date=timezone.localdate(),
        exit_reason=code(association, CodeList.EXIT_REASON, "planerat-avslut"),
        exit_occupation=code(association, CodeList.OCCUPATION, occupation),
        exit_income_source=code(association, CodeList.INCOME_SOURCE, occupation),
        step_progress=code(association, CodeList.STEP_PROGRESS, step),
        by=by,
    )
