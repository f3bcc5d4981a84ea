"""Why a participant's data may not be changed. Who may see it at all is the one rule in
finsam.participants.access (re-exported here for older callers)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from finsam.participants.access import can_register_in, is_intervention_staff

__all__ = ["can_change_data", "can_change_exit", "can_register_in", "is_intervention_staff"]


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
