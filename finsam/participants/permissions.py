"""Who may see a participant's data, and why not. Role alone is not enough: a staff member sees
only the interventions whose staff list (funding.Intervention.staff) holds them."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.organisation.access import roles_of
from finsam.organisation.models import Role


def is_intervention_staff(user, intervention) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if Role.STAFF not in roles_of(user, intervention.association):
        return False
    return intervention.staff.filter(pk=user.pk).exists()


def can_register_in(user, intervention) -> tuple[bool, str]:
    if is_intervention_staff(user, intervention):
        return True, ""
    return False, _(
        "You are not intervention staff in %(intervention)s. Participants' data is only open to "
        "the intervention's own staff; the office adds staff under Interventions."
    ) % {"intervention": intervention.title}


def can_change_data(participant) -> tuple[bool, str]:
    """May the register's data about the person be added to or corrected (the exit aside)?"""
    if participant.erased_at is not None:
        return False, _(
            "The personal data has been erased. What remains is anonymous statistics and cannot be "
            "changed."
        )
    if participant.consent_withdrawn_on is not None:
        return False, _(
            "The participant has withdrawn their consent to registration (%(date)s). No new "
            "sessions or corrections can be registered; only the exit."
        ) % {"date": participant.consent_withdrawn_on.isoformat()}
    return True, ""


def can_change_exit(participant) -> tuple[bool, str]:
    """The exit may be registered and corrected after a withdrawal, never after erasure."""
    if participant.erased_at is not None:
        return can_change_data(participant)
    return True, ""
