"""A changed or withdrawn consent to registration."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    Participant,
)
from finsam.participants.services.common import _consent_state, _require_changeable, _require_staff


class ConsentChange(models.TextChoices):
    SCOPE = "scope", _("The consent has changed (new scope)")
    WITHDRAWN = "withdrawn", _("The consent to registration has been withdrawn")


@transaction.atomic
def participant_consent_change(
    *,
    enrolment: Enrolment,
    change: str,
    changed_on: dt.date | None,
    text: str,
    by,
    today: dt.date | None = None,
) -> Participant:
    """Record a changed scope (the new consent replaces the old) or a withdrawal of consent to
    registration (then only the exit can be registered). Audited with before and after."""
    _require_staff(by, enrolment.intervention)
    participant = enrolment.participant
    today = today or timezone.localdate()
    _require_changeable(participant, exit_only=True)
    errors: dict[str, str] = {}
    if change not in ConsentChange.values:
        errors["change"] = _("Choose whether the consent has changed or been withdrawn.")
    elif participant.consent_withdrawn:
        errors["change"] = _(
            "The consent was already withdrawn on %(date)s. A new consent is registered when the "
            "participant is registered again after the exit."
        ) % {"date": participant.consent_withdrawn_on.isoformat()}
    if changed_on is None:
        errors["changed_on"] = _("Enter the date of the change.")
    elif changed_on > today:
        errors["changed_on"] = _("The date cannot be in the future.")
    elif participant.consent_date and changed_on < participant.consent_date:
        errors["changed_on"] = _("The date is before the consent (%(date)s).") % {
            "date": participant.consent_date.isoformat()
        }
    text = (text or "").strip()
    if not text:
        errors["text"] = (
            _("Write what the participant has withdrawn.")
            if change == ConsentChange.WITHDRAWN
            else _("Write what the consent now covers.")
        )
    if errors:
        raise ValidationError(errors)
    before = _consent_state(participant)
    if change == ConsentChange.WITHDRAWN:
        participant.consent_withdrawn_on = changed_on
        participant.consent_withdrawal_note = text
        event, detail = Event.PARTICIPANT_CONSENT_WITHDRAWN, _("Consent withdrawn")
    else:
        participant.consent_date = changed_on
        participant.consent_scope = text
        event, detail = Event.PARTICIPANT_CONSENT_CHANGED, _("Consent changed")
    participant.full_clean()
    participant.save()
    context = {"participant": participant.pk, "enrolment": None}
    audit.record(
        event=event,
        actor=by,
        target=participant,
        before={**context, **before},
        after={**context, **_consent_state(participant)},
        intervention=enrolment.intervention,
        personal_data=True,
    )
    access_log_write(
        association=participant.association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[participant],
        intervention=enrolment.intervention,
        detail=detail,
    )
    return participant
