"""Corrections after registration: every one needs a reason and is audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.participants.access import access_log_write
from finsam.participants.crypto import encrypt_text
from finsam.participants.identity import InvalidIdentityNumber, identity_hash, parse_identity_number
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    FollowUpCode,
    Participant,
    Session,
)
from finsam.participants.ratings import ors_total
from finsam.participants.services.common import (
    ORS_FIELDS,
    SECRET_CHANGED,
    SECRET_EMPTY,
    SECRET_REMOVED,
    SECRET_SET,
    _keys,
    _readable,
    _require_changeable,
    _require_staff,
    _secret,
    _state,
    decrypt_or_blank,
)
from finsam.participants.services.exit import _check_exit
from finsam.participants.services.registration import _check_entry
from finsam.participants.services.sessions import _session_values
from finsam.participants.services.statistics_summary import StatisticsRefresh

# --- corrections after registration -------------------------------------------------------------
#
# Nothing is overwritten silently: every correction needs a reason and writes one audit row with
# the changed fields before and after, plus `participant` and `enrolment` (for the history on the
# participant page) and the reason. Values are written as people read them (code labels, member
# names, ratings with one decimal). Names and contact details are personal data in clear: the
# audit row only says that they changed.

REASON_MAX_LENGTH = 500
ENTRY_FIELDS = (
    "start_date",
    "age_at_start",
    "referring_member",
    "involved_members",
    "entry_occupation",
    "entry_income_source",
    "time_outside",
    "education",
)
EXIT_FIELDS = ("exit_date", "exit_reason", "exit_occupation", "exit_income_source", "step_progress")
SESSION_FIELDS = ("date", "kind", *ORS_FIELDS, "ors_total", "srs_total")


def _check_reason(reason: str, errors: dict[str, str]) -> str:
    reason = (reason or "").strip()
    if not reason:
        errors["reason"] = _("Write briefly why the data is being corrected.")
    elif len(reason) > REASON_MAX_LENGTH:
        errors["reason"] = _("Write a shorter reason, at most %(n)s characters.") % {
            "n": REASON_MAX_LENGTH
        }
    return reason


def _record_correction(
    *,
    event: Event,
    by,
    target,
    enrolment: Enrolment,
    before: dict[str, Any],
    after: dict[str, Any],
    reason: str,
    participant_level: bool = False,
) -> list[str]:
    """Write the audit row and the access-log row; returns the changed fields' names.

    Raises ValidationError when nothing changed: an empty correction would only add noise."""
    changed = [name for name in after if before.get(name) != after.get(name)]
    if not changed:
        raise ValidationError(_("Nothing has changed. Change a value, or cancel."))
    context = {
        "participant": enrolment.participant_id,
        "enrolment": None if participant_level else enrolment.pk,
    }
    association = enrolment.intervention.association
    audit.record(
        event=event,
        actor=by,
        target=target,
        association=association,
        before={**context, **{name: before.get(name) for name in changed}},
        after={**context, **{name: after.get(name) for name in changed}, "reason": reason},
        intervention=enrolment.intervention,
        personal_data=True,
    )
    labels = ", ".join(_field_label(target, name) for name in changed)
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Correction: %(fields)s") % {"fields": labels},
    )
    return changed


def _field_label(obj, name: str) -> str:
    extra = {"name": _("name"), "contact": _("contact details")}
    if name in extra:
        return str(extra[name])
    return str(type(obj)._meta.get_field(name).verbose_name)


@transaction.atomic
def enrolment_correct_entry(
    *,
    enrolment: Enrolment,
    reason: str,
    start_date: dt.date | None,
    by,
    referring_member=None,
    involved_members: Sequence = (),
    entry_occupation: FollowUpCode | None = None,
    entry_income_source: FollowUpCode | None = None,
    time_outside: FollowUpCode | None = None,
    education: FollowUpCode | None = None,
    identity_text: str = "",
    today: dt.date | None = None,
) -> Enrolment:
    """Correct the data registered at entry, with the registration's rules.

    A new start date changes the age at start. The register keeps only the birth year, so the
    age is worked out from the old start date and age; when the birthday's position in the year
    leaves two possible ages, the identity number is asked for again (checked against the
    pseudonym, used for the age and dropped)."""
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant)
    today = today or timezone.localdate()
    association = enrolment.intervention.association
    errors: dict[str, str] = {}
    reason = _check_reason(reason, errors)
    involved_members = list(involved_members)
    _check_entry(
        errors,
        association=association,
        intervention=enrolment.intervention,
        start_date=start_date,
        referring_member=referring_member,
        involved_members=involved_members,
        entry_occupation=entry_occupation,
        entry_income_source=entry_income_source,
        time_outside=time_outside,
        education=education,
        today=today,
    )
    age = enrolment.age_at_start
    if start_date is not None and "start_date" not in errors:
        first = enrolment.sessions.order_by("date").values_list("date", flat=True).first()
        if first and start_date > first:
            errors["start_date"] = _(
                "There is a session on %(date)s, before the new start date."
            ) % {"date": first.isoformat()}
        elif enrolment.exit_date and start_date > enrolment.exit_date:
            errors["start_date"] = _("The start date cannot be after the exit (%(date)s).") % {
                "date": enrolment.exit_date.isoformat()
            }
        elif start_date != enrolment.start_date or (identity_text or "").strip():
            age = _corrected_age(enrolment, start_date, identity_text, today, errors)
    if errors:
        raise ValidationError(errors)
    before = _state(enrolment, ENTRY_FIELDS)
    enrolment.start_date = start_date
    enrolment.age_at_start = age
    enrolment.referring_member = referring_member
    enrolment.entry_occupation = entry_occupation
    enrolment.entry_income_source = entry_income_source
    enrolment.time_outside = time_outside
    enrolment.education = education
    enrolment.full_clean()
    after = {**_state(enrolment, ENTRY_FIELDS), "involved_members": _readable(involved_members)}
    _record_correction(
        event=Event.ENROLMENT_ENTRY_CORRECTED,
        by=by,
        target=enrolment,
        enrolment=enrolment,
        before=before,
        after=after,
        reason=reason,
    )
    refresh = StatisticsRefresh([enrolment])
    enrolment.save()
    refresh.done()
    enrolment.involved_members.set(involved_members)
    return enrolment


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))


def age_from_birth_year(
    *, birth_year: int, known_day: dt.date, known_age: int, day: dt.date
) -> int | None:
    """The age on `day` of someone born in `birth_year` who was `known_age` on `known_day`, or
    None when the birthdays that fit give different ages (or none fits)."""
    ages = set()
    birth = dt.date(birth_year, 1, 1)
    while birth.year == birth_year:
        if _age_on(birth, known_day) == known_age:
            ages.add(_age_on(birth, day))
        birth += dt.timedelta(days=1)
    return ages.pop() if len(ages) == 1 else None


def _corrected_age(
    enrolment: Enrolment, start_date: dt.date, identity_text: str, today, errors
) -> int:
    participant = enrolment.participant
    if (identity_text or "").strip():
        number = None
        message = ""
        try:
            number = parse_identity_number(identity_text, today=today)
        except InvalidIdentityNumber as exc:
            message = str(exc)  # never contains the number
        if number is None:
            errors["identity_text"] = message
            return enrolment.age_at_start
        if identity_hash(number, secret=_secret()) != participant.identity_hash:
            errors["identity_text"] = _("The identity number does not belong to this participant.")
            return enrolment.age_at_start
        if start_date < number.birth_date:
            errors["start_date"] = _("The start date is before the participant's date of birth.")
        return number.age_on(start_date)
    age = age_from_birth_year(
        birth_year=participant.birth_year,
        known_day=enrolment.start_date,
        known_age=enrolment.age_at_start,
        day=start_date,
    )
    if age is not None and age >= 0:
        return age
    if age is not None:
        errors["start_date"] = _("The start date is before the participant's date of birth.")
    else:
        errors["identity_text"] = _(
            "The age at the new start date cannot be worked out from the birth year. Enter the "
            "identity number again: it is only used to work out the age and is not stored."
        )
    return enrolment.age_at_start


@transaction.atomic
def enrolment_correct_exit(
    *,
    enrolment: Enrolment,
    reason: str,
    exit_date: dt.date | None,
    exit_reason: FollowUpCode | None,
    by,
    exit_occupation: FollowUpCode | None = None,
    exit_income_source: FollowUpCode | None = None,
    step_progress: FollowUpCode | None = None,
    today: dt.date | None = None,
) -> Enrolment:
    """Correct a registered exit, with the exit's rules. Open after a withdrawn consent too."""
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant, exit_only=True)
    if enrolment.exit_date is None:
        raise ValidationError(
            _("The participation has not ended. Register the exit instead of correcting it.")
        )
    errors: dict[str, str] = {}
    reason = _check_reason(reason, errors)
    _check_exit(
        errors,
        enrolment=enrolment,
        exit_date=exit_date,
        exit_reason=exit_reason,
        exit_occupation=exit_occupation,
        exit_income_source=exit_income_source,
        step_progress=step_progress,
        today=today or timezone.localdate(),
    )
    if errors:
        raise ValidationError(errors)
    before = _state(enrolment, EXIT_FIELDS)
    enrolment.exit_date = exit_date
    enrolment.exit_reason = exit_reason
    enrolment.exit_occupation = exit_occupation
    enrolment.exit_income_source = exit_income_source
    enrolment.step_progress = step_progress
    enrolment.full_clean()
    _record_correction(
        event=Event.ENROLMENT_EXIT_CORRECTED,
        by=by,
        target=enrolment,
        enrolment=enrolment,
        before=before,
        after=_state(enrolment, EXIT_FIELDS),
        reason=reason,
    )
    refresh = StatisticsRefresh([enrolment])
    enrolment.save()
    refresh.done()
    return enrolment


@transaction.atomic
def session_correct(
    *,
    session: Session,
    reason: str,
    date: dt.date | None,
    by,
    kind: str = Session.Kind.INDIVIDUAL,
    ors_items: Sequence[Any] = ("", "", "", ""),
    srs_total: Any = "",
    today: dt.date | None = None,
) -> Session:
    """Correct a session's date, kind and ratings, with the rules for recording one."""
    enrolment = session.enrolment
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant)
    errors: dict[str, str] = {}
    reason = _check_reason(reason, errors)
    try:
        parsed, srs_value = _session_values(
            enrolment=enrolment,
            date=date,
            kind=kind,
            ors_items=ors_items,
            srs_total=srs_total,
            today=today or timezone.localdate(),
        )
    except ValidationError as exc:
        raise ValidationError({**exc.message_dict, **errors}) from None
    if errors:
        raise ValidationError(errors)
    before = _state(session, SESSION_FIELDS)
    session.date = date
    session.kind = kind
    for name in ORS_FIELDS:
        setattr(session, name, parsed.get(name))
    session.ors_total = ors_total([parsed[n] for n in ORS_FIELDS]) if parsed else None
    session.srs_total = srs_value
    session.full_clean()
    _record_correction(
        event=Event.SESSION_CORRECTED,
        by=by,
        target=session,
        enrolment=enrolment,
        before=before,
        after=_state(session, SESSION_FIELDS),
        reason=reason,
    )
    refresh = StatisticsRefresh([enrolment])
    session.save()
    refresh.done()
    return session


@transaction.atomic
def session_delete(*, session: Session, reason: str, by) -> None:
    """Remove a session registered by mistake; the audit row keeps what it held."""
    enrolment = session.enrolment
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant)
    errors: dict[str, str] = {}
    reason = _check_reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    before = _state(session, SESSION_FIELDS)
    _record_correction(
        event=Event.SESSION_DELETED,
        by=by,
        target=session,
        enrolment=enrolment,
        before=before,
        after=dict.fromkeys(before),
        reason=reason,
    )
    refresh = StatisticsRefresh([enrolment])
    session.delete()
    refresh.done()


@transaction.atomic
def participant_correct(
    *, enrolment: Enrolment, reason: str, by, name: str = "", contact: str = ""
) -> Participant:
    """Correct the encrypted name and contact details. The audit row says what changed, never
    the values."""
    _require_staff(by, enrolment.intervention)
    participant = enrolment.participant
    _require_changeable(participant)
    errors: dict[str, str] = {}
    reason = _check_reason(reason, errors)
    if errors:
        raise ValidationError(errors)
    before, after = {}, {}
    for field_name, new in (("name", name), ("contact", contact)):
        new = (new or "").strip()
        token_field = f"{field_name}_encrypted"
        old = decrypt_or_blank(getattr(participant, token_field))
        before[field_name] = SECRET_SET if old else SECRET_EMPTY
        if new == old:
            after[field_name] = before[field_name]
            continue
        after[field_name] = SECRET_CHANGED if new else SECRET_REMOVED
        setattr(participant, token_field, encrypt_text(new, keys=_keys()) if new else "")
    participant.full_clean()
    _record_correction(
        event=Event.PARTICIPANT_CORRECTED,
        by=by,
        target=participant,
        enrolment=enrolment,
        before=before,
        after=after,
        reason=reason,
        participant_level=True,
    )
    participant.save(update_fields=["name_encrypted", "contact_encrypted"])
    return participant
