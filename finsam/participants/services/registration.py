"""Registering a participation. The clear identity number lives only in memory while
`participant_register` runs: it is parsed, hashed with the secret from settings, and dropped. It
is never stored, logged or put in an error."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import user_or_none
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.participants.access import access_log_write
from finsam.participants.crypto import encrypt_text
from finsam.participants.identity import InvalidIdentityNumber, identity_hash, parse_identity_number
from finsam.participants.models import (
    AccessLogEntry,
    CodeList,
    Enrolment,
    FollowUpCode,
    Participant,
)
from finsam.participants.services.common import (
    _check_codes,
    _consent_state,
    _keys,
    _require_staff,
    _secret,
)
from finsam.participants.services.statistics_summary import refresh_for

# --- registration -------------------------------------------------------------------------------


def _check_entry(
    errors: dict[str, str],
    *,
    association,
    intervention,
    start_date: dt.date | None,
    referring_member,
    involved_members: Sequence,
    entry_occupation: FollowUpCode | None,
    entry_income_source: FollowUpCode | None,
    time_outside: FollowUpCode | None,
    education: FollowUpCode | None,
    today: dt.date,
) -> None:
    """The rules for the data at entry: the same at registration and at correction."""
    if start_date is None:
        errors["start_date"] = _("Enter when the participation started.")
    elif start_date > today:
        errors["start_date"] = _("The start date cannot be in the future.")
    elif start_date < intervention.period_start:
        errors["start_date"] = _(
            "The intervention started on %(date)s; the start date cannot be earlier."
        ) % {"date": intervention.period_start.isoformat()}
    if referring_member is not None and referring_member.association_id != association.pk:
        errors["referring_member"] = _("Choose one of the association's members.")
    if any(m.association_id != association.pk for m in involved_members):
        errors["involved_members"] = _("Choose from the association's members.")
    _check_codes(
        association,
        {
            "entry_occupation": (entry_occupation, CodeList.OCCUPATION),
            "entry_income_source": (entry_income_source, CodeList.INCOME_SOURCE),
            "time_outside": (time_outside, CodeList.TIME_OUTSIDE),
            "education": (education, CodeList.EDUCATION),
        },
        errors,
    )


@transaction.atomic
def participant_register(
    *,
    association,
    intervention,
    identity_text: str,
    consent_date: dt.date | None,
    consent_scope: str,
    start_date: dt.date | None,
    by,
    name: str = "",
    contact: str = "",
    referring_member=None,
    involved_members: Sequence = (),
    entry_occupation: FollowUpCode | None = None,
    entry_income_source: FollowUpCode | None = None,
    time_outside: FollowUpCode | None = None,
    education: FollowUpCode | None = None,
    today: dt.date | None = None,
) -> Enrolment:
    """Register a participation; the person is found again by the keyed hash of the number.

    Raises ValidationError with Swedish messages per field; nothing is saved on error.
    """
    if intervention.association_id != association.pk:
        raise PermissionDenied(_("The intervention does not belong to the association."))
    _require_staff(by, intervention)
    today = today or timezone.localdate()
    errors: dict[str, str] = {}

    number = None
    identity_error = ""
    try:
        number = parse_identity_number(identity_text or "", today=today)
    except InvalidIdentityNumber as exc:
        identity_error = str(exc)  # never contains the number (identity.py guarantees it)
    if identity_error:
        errors["identity_text"] = identity_error

    if consent_date is None:
        errors["consent_date"] = _(
            "Enter the date of the participant's consent. Without consent, no personal data is "
            "registered."
        )
    elif consent_date > today:
        errors["consent_date"] = _("Consent cannot have been given in the future.")
    if not (consent_scope or "").strip():
        errors["consent_scope"] = _("Enter what the participant has consented to.")
    _check_entry(
        errors,
        association=association,
        intervention=intervention,
        start_date=start_date,
        referring_member=referring_member,
        involved_members=involved_members,
        entry_occupation=entry_occupation,
        entry_income_source=entry_income_source,
        time_outside=time_outside,
        education=education,
        today=today,
    )
    if number is not None and start_date is not None and start_date < number.birth_date:
        errors["start_date"] = _("The start date is before the participant's date of birth.")

    participant = None
    if number is not None:
        digest = identity_hash(number, secret=_secret())
        participant = Participant.objects.filter(
            association=association, identity_hash=digest
        ).first()
        if (
            participant is not None
            and Enrolment.objects.filter(
                participant=participant, intervention=intervention, exit_date__isnull=True
            ).exists()
        ):
            errors["identity_text"] = _(
                "The person is already enrolled in the intervention and has not exited. Open the "
                "participant in the list instead."
            )
    if errors:
        raise ValidationError(errors)
    assert number is not None and start_date is not None

    known = participant is not None
    if participant is None:
        participant = Participant(
            association=association,
            identity_hash=digest,
            birth_year=number.birth_year,
            legal_gender=number.legal_gender,
        )
    if name.strip():
        participant.name_encrypted = encrypt_text(name.strip(), keys=_keys())
    if contact.strip():
        participant.contact_encrypted = encrypt_text(contact.strip(), keys=_keys())
    consent_before = _consent_state(participant) if participant.consent_withdrawn else None
    participant.consent_date = consent_date
    participant.consent_scope = consent_scope.strip()
    participant.consent_withdrawn_on = None
    participant.consent_withdrawal_note = ""
    participant.full_clean()
    participant.save()
    if consent_before is not None:
        audit.record(
            event=Event.PARTICIPANT_CONSENT_CHANGED,
            actor=by,
            target=participant,
            before={"participant": participant.pk, **consent_before},
            after={"participant": participant.pk, **_consent_state(participant)},
            intervention=intervention,
            personal_data=True,
        )

    enrolment = Enrolment(
        participant=participant,
        intervention=intervention,
        start_date=start_date,
        age_at_start=number.age_on(start_date),
        referring_member=referring_member,
        entry_occupation=entry_occupation,
        entry_income_source=entry_income_source,
        time_outside=time_outside,
        education=education,
        created_by=user_or_none(by),
    )
    enrolment.full_clean()
    enrolment.save()
    refresh_for([enrolment])
    if involved_members:
        enrolment.involved_members.set(involved_members)
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.CREATE,
        participants=[participant],
        intervention=intervention,
        detail=(
            _("New participation in %(intervention)s (the person was already in the register)")
            if known
            else _("Registered in %(intervention)s")
        )
        % {"intervention": intervention.title},
    )
    return enrolment
