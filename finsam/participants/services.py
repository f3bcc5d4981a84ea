"""Writes to the participant register. Every function takes the acting user (`by`; None for the
system: demo loader, scheduled erasure), validates fully before writing and logs the access.

The clear identity number lives only in memory while `participant_register` runs: it is parsed,
hashed with the secret from settings, and dropped. It is never stored, logged or put in an error.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from finsam.core.actors import SYSTEM, is_system, user_or_none
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent
from finsam.participants import access
from finsam.participants.access import access_log_write, audit_rows_read  # noqa: F401 (re-export)
from finsam.participants.crypto import decrypt_text, encrypt_text
from finsam.participants.identity import InvalidIdentityNumber, identity_hash, parse_identity_number
from finsam.participants.models import (
    AccessLogEntry,
    CodeList,
    Enrolment,
    ExitSurvey,
    FollowUpCode,
    Participant,
    RatingSettings,
    Session,
    SurveyAnswer,
    SurveyQuestion,
)
from finsam.participants.permissions import can_change_data, can_change_exit
from finsam.participants.ratings import (
    DEFAULT_RULES,
    BandInput,
    InvalidRating,
    InvalidRules,
    RatingRules,
    ors_total,
    parse_rating,
    parse_total,
    rules_from_input,
    srs_needs_attention,
)

ORS_FIELDS = ("ors_individual", "ors_interpersonal", "ors_social", "ors_overall")

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


def _secret() -> bytes:
    return settings.PARTICIPANT_HASH_SECRET.encode("utf-8")


def _keys() -> list[str]:
    return list(settings.PARTICIPANT_ENCRYPTION_KEYS)


def decrypt_or_blank(token: str) -> str:
    return decrypt_text(token, keys=_keys()) if token else ""


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


@transaction.atomic
def follow_up_code_create(*, association, by, **fields: Any) -> FollowUpCode:
    code = FollowUpCode(association=association, **fields)
    code.full_clean()
    code.save()
    audit.record(
        event=Event.FOLLOW_UP_CODE_CREATED, actor=by, target=code, after=audit.snapshot(code)
    )
    return code


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
    before = audit.snapshot(stored)
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
    for name, value in data.items():
        setattr(code, name, value)
    code.full_clean()
    code.save()
    audit.record(
        event=Event.FOLLOW_UP_CODE_UPDATED,
        actor=by,
        target=code,
        before=before,
        after=audit.snapshot(code),
    )
    return code


# --- the association's rules for ORS and SRS / G-SRS -----------------------------------------------


def rating_settings_for(*, association) -> RatingSettings:
    """The association's settings row, created with the defaults on first use."""
    settings_row, _created = RatingSettings.objects.get_or_create(
        association=association, defaults={"rules": DEFAULT_RULES.to_mapping()}
    )
    return settings_row


def rating_rules_for(association) -> RatingRules:
    """The rules every chart, flag and statistic of this association reads ORS and SRS with."""
    return RatingRules.from_mapping(rating_settings_for(association=association).rules)


@transaction.atomic
def rating_settings_update(
    *,
    association,
    age_bands: Sequence[BandInput],
    reliable_change_points: Any,
    srs_alert_below: Any,
    gsrs_alert_below: Any,
    by,
) -> RatingSettings:
    """Replace the association's cutoffs and thresholds. Swedish errors per field; nothing is
    saved on error. Audited with the rules before and after."""
    settings_row = RatingSettings.objects.select_for_update().get(
        pk=rating_settings_for(association=association).pk
    )
    before = audit.snapshot(settings_row)
    try:
        rules = rules_from_input(
            base=RatingRules.from_mapping(settings_row.rules),
            age_bands=age_bands,
            reliable_change_points=reliable_change_points,
            srs_alert_below=srs_alert_below,
            gsrs_alert_below=gsrs_alert_below,
        )
    except InvalidRules as exc:
        raise ValidationError(exc.errors) from None
    settings_row.rules = rules.to_mapping()
    settings_row.updated_at = timezone.now()
    settings_row.full_clean()
    settings_row.save()
    audit.record(
        event=Event.RATING_SETTINGS_UPDATED,
        actor=by,
        target=settings_row,
        before=before,
        after=audit.snapshot(settings_row),
    )
    return settings_row


# --- the association's own exit-survey questions ------------------------------------------------

SURVEY_QUESTION_FIELDS = (
    "text",
    "kind",
    "scale_low_label",
    "scale_high_label",
    "required",
    "is_active",
)
TEXT_ANSWER_MAX = 2000


def _check_question(question: SurveyQuestion, *, answered: bool, old_kind: str | None) -> None:
    errors: dict[str, str] = {}
    question.text = (question.text or "").strip()
    question.scale_low_label = (question.scale_low_label or "").strip()
    question.scale_high_label = (question.scale_high_label or "").strip()
    if not question.text:
        errors["text"] = _("Write the question.")
    if question.kind == SurveyQuestion.Kind.SCALE:
        if not question.scale_low_label:
            errors["scale_low_label"] = _("Write what 1 means, for example “Not true at all”.")
        if not question.scale_high_label:
            errors["scale_high_label"] = _("Write what 5 means, for example “Completely true”.")
    else:
        # Labels belong to scales only; keep none that would show up nowhere.
        question.scale_low_label = question.scale_high_label = ""
    if answered and old_kind is not None and question.kind != old_kind:
        errors["kind"] = _(
            "The question has answers and cannot change its answer type. Stop using it and add a "
            "new question instead."
        )
    if errors:
        raise ValidationError(errors)
    question.full_clean()


def survey_questions(*, association, active_only: bool = False) -> list[SurveyQuestion]:
    qs = SurveyQuestion.objects.filter(association=association)
    return list(qs.filter(is_active=True) if active_only else qs)


@transaction.atomic
def survey_question_create(*, association, by, **fields: Any) -> SurveyQuestion:
    """A new question, asked last until the office moves it."""
    unknown = set(fields) - set(SURVEY_QUESTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown fields {sorted(unknown)}")
    last = (
        SurveyQuestion.objects.filter(association=association).aggregate(m=Max("sort_order"))["m"]
        or 0
    )
    question = SurveyQuestion(association=association, sort_order=last + 10, **fields)
    _check_question(question, answered=False, old_kind=None)
    question.save()
    audit.record(
        event=Event.SURVEY_QUESTION_CREATED,
        actor=by,
        target=question,
        after=audit.snapshot(question),
    )
    return question


@transaction.atomic
def survey_question_update(
    *, question: SurveyQuestion, data: Mapping[str, Any], by
) -> SurveyQuestion:
    """Edit a question; retiring is `is_active=False`. A question with answers keeps its kind."""
    stored = SurveyQuestion.objects.select_for_update().get(pk=question.pk)
    before = audit.snapshot(stored)
    for name, value in data.items():
        if name not in SURVEY_QUESTION_FIELDS:
            raise TypeError(f"unknown field {name!r}")
        setattr(question, name, value)
    _check_question(question, answered=stored.answers.exists(), old_kind=stored.kind)
    question.save()
    audit.record(
        event=Event.SURVEY_QUESTION_UPDATED,
        actor=by,
        target=question,
        before=before,
        after=audit.snapshot(question),
    )
    return question


@transaction.atomic
def survey_question_move(*, question: SurveyQuestion, up: bool, by) -> SurveyQuestion:
    """Swap the question with its neighbour; the order is renumbered 10, 20, … on the way."""
    ordered = list(
        SurveyQuestion.objects.select_for_update()
        .filter(association_id=question.association_id)
        .order_by("sort_order", "id")
    )
    index = next(i for i, q in enumerate(ordered) if q.pk == question.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(ordered):
        return question
    before = audit.snapshot(ordered[index])
    ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        if item.sort_order != position * 10:
            item.sort_order = position * 10
            item.save(update_fields=["sort_order"])
    moved = ordered[other]
    audit.record(
        event=Event.SURVEY_QUESTION_UPDATED,
        actor=by,
        target=moved,
        before=before,
        after=audit.snapshot(moved),
    )
    question.sort_order = moved.sort_order
    return moved


@transaction.atomic
def survey_question_delete(*, question: SurveyQuestion, by) -> None:
    """Only a question nobody has answered can be deleted; an answered one is retired instead."""
    if question.answers.exists():
        raise ValidationError(
            _(
                "The question “%(text)s” has answers and cannot be deleted. Stop using it instead: "
                "the answers stay in the statistics and in the participants' register extracts."
            )
            % {"text": question.text}
        )
    before = audit.snapshot(question)
    audit.record(event=Event.SURVEY_QUESTION_DELETED, actor=by, target=question, before=before)
    question.delete()


def _check_codes(association, values: dict[str, tuple[FollowUpCode | None, str]], errors) -> None:
    for field_name, (code, list_name) in values.items():
        if code is not None and (
            code.association_id != association.pk or code.list_name != list_name
        ):
            errors[field_name] = _("Choose a value from the association's code list.")


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


def _require_changeable(participant: Participant, *, exit_only: bool = False) -> None:
    """Erased participants are statistics; a withdrawn consent leaves only the exit open."""
    allowed, reason = (can_change_exit if exit_only else can_change_data)(participant)
    if not allowed:
        raise PermissionDenied(reason)


def _require_staff(by, intervention) -> None:
    if is_system(by):  # the system (demo loader, tests building state)
        return
    access.require_staff(by, intervention)


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


# --- sessions, exit, survey ---------------------------------------------------------------------


@dataclass
class SessionResult:
    session: Session
    flags: list[str] = field(default_factory=list)


@transaction.atomic
def session_record(
    *,
    enrolment: Enrolment,
    date: dt.date | None,
    by,
    kind: str = Session.Kind.INDIVIDUAL,
    ors_items: Sequence[Any] = ("", "", "", ""),
    srs_total: Any = "",
    rules: RatingRules | None = None,
    today: dt.date | None = None,
) -> SessionResult:
    """Record a meeting. ORS: all four items or none; SRS: a total 0–40 or none (a group
    session's total is a G-SRS).

    Returns the flags to show the staff member: an SRS or G-SRS under the association's alert
    level (`rules`, by default the association's own)."""
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant)
    parsed, srs_value = _session_values(
        enrolment=enrolment,
        date=date,
        kind=kind,
        ors_items=ors_items,
        srs_total=srs_total,
        today=today or timezone.localdate(),
    )
    session = Session(
        enrolment=enrolment,
        date=date,
        kind=kind,
        srs_total=srs_value,
        staff=user_or_none(by),
        **parsed,
    )
    if parsed:
        session.ors_total = ors_total([parsed[name] for name in ORS_FIELDS])
    session.full_clean()
    session.save()
    access_log_write(
        association=enrolment.intervention.association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Session %(date)s registered") % {"date": date.isoformat()},
    )
    flags = []
    if srs_value is not None:
        rules = rules or rating_rules_for(enrolment.intervention.association)
        group = kind == Session.Kind.GROUP
        if srs_needs_attention(srs_value, rules, group=group):
            flags.append(srs_flag_message(srs_value, rules, group=group))
    return SessionResult(session=session, flags=flags)


def _session_values(
    *,
    enrolment: Enrolment,
    date: dt.date | None,
    kind: str,
    ors_items: Sequence[Any],
    srs_total: Any,
    today: dt.date,
) -> tuple[dict[str, Decimal], Decimal | None]:
    """The rules for a session's date, kind and ratings: the same when recording and correcting.
    Returns the parsed ORS items and the SRS total; raises ValidationError per field."""
    errors: dict[str, str] = {}
    if date is None:
        errors["date"] = _("Enter the date of the session.")
    elif date > today:
        errors["date"] = _("The session cannot be in the future.")
    elif date < enrolment.start_date:
        errors["date"] = _("The session is before the start of the participation (%(date)s).") % {
            "date": enrolment.start_date.isoformat()
        }
    elif enrolment.exit_date and date > enrolment.exit_date:
        errors["date"] = _("The session is after the exit (%(date)s).") % {
            "date": enrolment.exit_date.isoformat()
        }
    if kind not in Session.Kind.values:
        errors["kind"] = _("Choose individual session or group.")

    items = [("" if v is None else str(v)).strip() for v in ors_items]
    parsed: dict[str, Decimal] = {}
    if any(items):
        for name, value in zip(ORS_FIELDS, items, strict=True):
            if not value:
                errors[name] = _("Fill in all four ORS scores, or none of them.")
                continue
            message = ""
            try:
                parsed[name] = parse_rating(value)
            except InvalidRating as exc:
                message = str(exc)
            if message:
                errors[name] = message
    srs_value = None
    srs_text = ("" if srs_total is None else str(srs_total)).strip()
    if srs_text:
        message = ""
        try:
            srs_value = parse_total(srs_text)
        except InvalidRating as exc:
            message = str(exc)
        if message:
            errors["srs_total"] = message
    if not errors and not parsed and srs_value is None:
        errors["ors_individual"] = _("Enter ORS or SRS for the session.")
    if errors:
        raise ValidationError(errors)
    return parsed, srs_value


def srs_flag_message(value: Decimal, rules: RatingRules, *, group: bool) -> str:
    params = {"value": value, "limit": rules.alert_below(group=group)}
    if group:
        return (
            _(
                "G-SRS %(value)s is below %(limit)s: the group may not be working for the "
                "participant. Raise it at the next meeting."
            )
            % params
        )
    return (
        _(
            "SRS %(value)s is below %(limit)s: the working relationship may not be working. "
            "Discuss it with the participant at the next session."
        )
        % params
    )


@transaction.atomic
def enrolment_exit(
    *,
    enrolment: Enrolment,
    exit_date: dt.date | None,
    exit_reason: FollowUpCode | None,
    by,
    exit_occupation: FollowUpCode | None = None,
    exit_income_source: FollowUpCode | None = None,
    step_progress: FollowUpCode | None = None,
    today: dt.date | None = None,
) -> Enrolment:
    _require_staff(by, enrolment.intervention)
    _require_changeable(enrolment.participant, exit_only=True)
    if enrolment.exit_date is not None:
        # A second exit would overwrite the first without a trace: that is a correction.
        raise ValidationError(
            {
                "exit_date": _(
                    "The participation already ended on %(date)s. Correct the exit instead, with a "
                    "reason for the correction."
                )
                % {"date": enrolment.exit_date.isoformat()}
            }
        )
    association = enrolment.intervention.association
    errors: dict[str, str] = {}
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
    enrolment.exit_date = exit_date
    enrolment.exit_reason = exit_reason
    enrolment.exit_occupation = exit_occupation
    enrolment.exit_income_source = exit_income_source
    enrolment.step_progress = step_progress
    enrolment.full_clean()
    enrolment.save()
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Exit registered in %(intervention)s")
        % {"intervention": enrolment.intervention.title},
    )
    return enrolment


def _check_exit(
    errors: dict[str, str],
    *,
    enrolment: Enrolment,
    exit_date: dt.date | None,
    exit_reason: FollowUpCode | None,
    exit_occupation: FollowUpCode | None,
    exit_income_source: FollowUpCode | None,
    step_progress: FollowUpCode | None,
    today: dt.date,
) -> None:
    """The rules for the data at exit: the same at registration and at correction."""
    association = enrolment.intervention.association
    if exit_date is None:
        errors["exit_date"] = _("Enter the exit date.")
    elif exit_date > today:
        errors["exit_date"] = _("The exit date cannot be in the future.")
    elif exit_date < enrolment.start_date:
        errors["exit_date"] = _("The exit cannot be before the start (%(date)s).") % {
            "date": enrolment.start_date.isoformat()
        }
    else:
        last = enrolment.sessions.aggregate(last=Max("date"))["last"]
        if last and exit_date < last:
            errors["exit_date"] = _("There is a session on %(date)s, after the exit date.") % {
                "date": last.isoformat()
            }
    if exit_reason is None:
        errors["exit_reason"] = _("Enter the reason for exit.")
    _check_codes(
        association,
        {
            "exit_reason": (exit_reason, CodeList.EXIT_REASON),
            "exit_occupation": (exit_occupation, CodeList.OCCUPATION),
            "exit_income_source": (exit_income_source, CodeList.INCOME_SOURCE),
            "step_progress": (step_progress, CodeList.STEP_PROGRESS),
        },
        errors,
    )


def answer_field(question: SurveyQuestion | int) -> str:
    """The form field (and error key) of a question's answer."""
    return f"q_{getattr(question, 'pk', question)}"


def _parse_answer(question: SurveyQuestion, value: Any) -> tuple[dict[str, Any] | None, str]:
    """(column values, error). None columns: no answer."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, (_("Answer the question – it is required.") if question.required else "")
    if question.kind == SurveyQuestion.Kind.SCALE:
        number = value if isinstance(value, int) and not isinstance(value, bool) else None
        if isinstance(value, str) and value.strip().isdigit():
            number = int(value.strip())
        if number not in (1, 2, 3, 4, 5):
            return None, _("Choose a value from 1 to 5.")
        return {"scale_value": number}, ""
    if question.kind == SurveyQuestion.Kind.YES_NO:
        if not isinstance(value, bool):
            return None, _("Answer yes or no.")
        return {"yes_no_value": value}, ""
    text = str(value).strip()
    if len(text) > TEXT_ANSWER_MAX:
        return None, _("The answer may be at most %(max)s characters.") % {"max": TEXT_ANSWER_MAX}
    return {"text_value": text}, ""


@transaction.atomic
def exit_survey_record(
    *,
    enrolment: Enrolment,
    satisfied: bool | None,
    self_rated_progress: int | None,
    by,
    comment: str = "",
    answers: Mapping[int, Any] | None = None,
    answered_on: dt.date | None = None,
) -> ExitSurvey:
    """Save the exit survey: the fixed questions and the association's active own questions.

    `answers` maps a question's pk to the answer (1–5 for a scale, True/False, text); a blank
    answer removes an earlier one. Answers to retired questions are kept as they are. Every error
    comes back at its field (`answer_field`); nothing is saved on error.
    """
    _require_staff(by, enrolment.intervention)
    association = enrolment.intervention.association
    answers = dict(answers or {})
    errors = {}
    if satisfied is None:
        errors["satisfied"] = _(
            "Specify whether the participant is satisfied with the intervention."
        )
    if self_rated_progress not in (1, 2, 3, 4, 5):
        errors["self_rated_progress"] = _("Choose a value from 1 to 5.")
    questions = survey_questions(association=association, active_only=True)
    known = {q.pk for q in questions}
    if set(answers) - known:
        errors["__all__"] = _(
            "The survey was changed while you were filling it in. Reload the page and fill it in "
            "again."
        )
    parsed: dict[int, dict[str, Any] | None] = {}
    for question in questions:
        columns, message = _parse_answer(question, answers.get(question.pk))
        if message:
            errors[answer_field(question)] = message
        parsed[question.pk] = columns
    if errors:
        raise ValidationError(errors)
    survey, _created = ExitSurvey.objects.update_or_create(
        enrolment=enrolment,
        defaults={
            "satisfied": satisfied,
            "self_rated_progress": self_rated_progress,
            "comment": comment.strip(),
            "answered_on": answered_on or enrolment.exit_date or timezone.localdate(),
        },
    )
    for question in questions:
        columns = parsed[question.pk]
        if columns is None:
            SurveyAnswer.objects.filter(exit_survey=survey, question=question).delete()
            continue
        answer = SurveyAnswer.objects.filter(exit_survey=survey, question=question).first()
        answer = answer or SurveyAnswer(exit_survey=survey, question=question)
        answer.scale_value = columns.get("scale_value")
        answer.yes_no_value = columns.get("yes_no_value")
        answer.text_value = columns.get("text_value", "")
        answer.full_clean()
        answer.save()
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Exit survey registered"),
    )
    return survey


# --- registerutdrag and erasure -----------------------------------------------------------------


# What a registerutdrag (GDPR art. 15) made by intervention staff holds, and why.
#
# The data subject is entitled to a copy of their data and to know the purposes, the recipients
# or categories of recipient, and (CJEU C-579/21, Pankki S, 2023) when and why their data was
# consulted; not, as a rule, the identity of each employee who consulted it. The staff member
# who makes the extract must not learn what the register holds about the person in other
# interventions (the person's participation there is itself health-related data). So the
# extract holds:
# - the person's own data, consent and its withdrawal included, and the participations in the
#   interventions the requester is staff of;
# - the access log rows the requester may already see on the participant's page (their
#   interventions and association-wide rows), each with time, user, action and what; all of
#   them, never cut off;
# - for other interventions only counts (participations, access-log rows) with no titles,
#   users or dates, and where the rest is to be had: their staff, and the data-protection
#   contact, who reads the whole access log;
# - the categories of recipient.
RECIPIENTS = (
    gettext_noop("The intervention's staff: the data about the participation in the intervention."),
    gettext_noop(
        "The association's office, board, auditors and economist: only aggregated statistics, in "
        "which groups of fewer than 5 persons are not shown."
    ),
    gettext_noop(
        "National follow-up (Uppföljning Finsam): the data about the participation, registered by "
        "the intervention's staff, without name and contact details."
    ),
)


def participant_export(
    *, participant: Participant, enrolments: Sequence[Enrolment], by, intervention=None
) -> dict:
    """Registerutdrag: what the register holds about the person, as far as the requester's
    interventions go (see the note above). Logged as an export."""
    shown_interventions = {e.intervention_id for e in enrolments}
    shown_interventions |= set(
        access.interventions(by, participant.association).values_list("pk", flat=True)
    )
    log = AccessLogEntry.objects.filter(participant=participant)
    visible = Q(intervention__isnull=True) | Q(intervention_id__in=shown_interventions)
    other_enrolments = (
        Enrolment.objects.filter(participant=participant)
        .exclude(intervention_id__in=shown_interventions)
        .count()
    )
    data: dict[str, Any] = {
        "registerutdrag": {
            "forbund": participant.association.name,
            "skapat": timezone.localtime().isoformat(timespec="seconds"),
            "skapat_av": getattr(by, "username", "") or "system",
            "omfattning": _(
                "The data in the interventions where the person who made this extract is staff. "
                "Participations in other interventions are provided by their staff, and the "
                "association's data-protection contact can provide the whole access log."
            ),
        },
        "deltagare": {
            "referens": participant.reference,
            "namn": decrypt_or_blank(participant.name_encrypted),
            "kontaktuppgifter": decrypt_or_blank(participant.contact_encrypted),
            "fodelsear": participant.birth_year,
            "juridiskt_kon": participant.get_legal_gender_display(),
            "samtycke_datum": participant.consent_date.isoformat()
            if participant.consent_date
            else None,
            "samtycke_omfattar": participant.consent_scope,
            "samtycke_aterkallat": participant.consent_withdrawn_on.isoformat()
            if participant.consent_withdrawn_on
            else None,
            "aterkallelsen_omfattar": participant.consent_withdrawal_note,
            "registrerad": participant.created_at.date().isoformat(),
            "personnummer": _(
                "Not stored. The register only keeps a keyed checksum (pseudonym), year of birth "
                "and legal gender."
            ),
        },
        "mottagare": [_(text) for text in RECIPIENTS],
        "deltaganden": [],
        "deltaganden_i_andra_insatser": other_enrolments,
    }
    for e in enrolments:
        survey = getattr(e, "exit_survey", None) if hasattr(e, "exit_survey") else None
        data["deltaganden"].append(
            {
                "insats": e.intervention.title,
                "startdatum": e.start_date.isoformat(),
                "alder_vid_start": e.age_at_start,
                "remitterande": str(e.referring_member or ""),
                "samverkande_medlemmar": [str(m) for m in e.involved_members.all()],
                "sysselsattning_vid_start": str(e.entry_occupation or ""),
                "forsorjning_vid_start": str(e.entry_income_source or ""),
                "tid_utanfor": str(e.time_outside or ""),
                "utbildning": str(e.education or ""),
                "avslutsdatum": e.exit_date.isoformat() if e.exit_date else None,
                "avslutsorsak": str(e.exit_reason or ""),
                "sysselsattning_efter": str(e.exit_occupation or ""),
                "forsorjning_efter": str(e.exit_income_source or ""),
                "stegforflyttning": str(e.step_progress or ""),
                "traffar": [
                    {
                        "datum": s.date.isoformat(),
                        "typ": s.get_kind_display(),
                        "ors": [
                            None if getattr(s, f) is None else str(getattr(s, f))
                            for f in ORS_FIELDS
                        ],
                        "ors_totalt": None if s.ors_total is None else str(s.ors_total),
                        "srs_totalt": None if s.srs_total is None else str(s.srs_total),
                    }
                    for s in e.sessions.all()
                ],
                "avslutsenkat": None
                if survey is None
                else {
                    "nojd": survey.satisfied,
                    "sjalvskattad_forflyttning": survey.self_rated_progress,
                    "kommentar": survey.comment,
                    "egna_fragor": [
                        {
                            "fraga": answer.question.text,
                            "typ": answer.question.kind,
                            "svar": answer.value,
                        }
                        for answer in survey.answers.all()
                    ],
                },
            }
        )
    data["atkomstlogg"] = [
        {
            "tidpunkt": timezone.localtime(entry.at).isoformat(timespec="seconds"),
            "anvandare": entry.username,
            "insats": entry.intervention.title if entry.intervention_id else "",
            "atgard": entry.get_action_display(),
            "vad": entry.detail,
        }
        for entry in log.filter(visible).select_related("intervention").order_by("at", "id")
    ]
    data["atkomstlogg_antal"] = len(data["atkomstlogg"])
    data["atkomst_i_andra_insatser"] = log.exclude(visible).count()
    access_log_write(
        association=participant.association,
        by=by,
        action=AccessLogEntry.Action.EXPORT,
        participants=[participant],
        intervention=intervention,
        detail=_("Register extract"),
    )
    return data


def participant_export_pdf(*, data: dict) -> bytes:
    from weasyprint import HTML

    html = render_to_string("participants/registerutdrag_pdf.html", {"data": data})
    return HTML(string=html).write_pdf()


def _month_start(day: dt.date | None) -> dt.date | None:
    return day.replace(day=1) if day else None


ERASED_MARK = "(raderad)"
_FULL_DATE = re.compile(r"\b(\d{4}-\d{2})-\d{2}\b")


def _month(moment: dt.datetime) -> dt.datetime:
    return moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


@transaction.atomic
def participant_erase(
    *, participant: Participant, by, reason: str = "", intervention=None
) -> Participant:
    """Remove what identifies the person; keep anonymous statistics.

    Kept: legal gender, age at start, intervention, codes, ratings and the survey's answers, with
    every date reduced to the first of its month. Removed: the hash (the person can no longer be
    found again), birth year, name, contact details, consent and its withdrawal, the free-text
    comment, the free-text answers to the association's own questions, and the content of the
    person's rows in the audit log (see `_erase_audit_rows`).
    """
    if participant.erased_at is not None:
        return participant
    participant.identity_hash = None
    participant.birth_year = None
    participant.name_encrypted = ""
    participant.contact_encrypted = ""
    participant.consent_date = None
    participant.consent_scope = ""
    participant.consent_withdrawn_on = None
    participant.consent_withdrawal_note = ""
    participant.created_at = _month(participant.created_at)
    participant.erased_at = _month(timezone.now())
    participant.full_clean()
    participant.save()
    for e in participant.enrolments.all():
        e.start_date = _month_start(e.start_date)
        e.exit_date = _month_start(e.exit_date)
        e.created_by = None
        e.created_at = _month(e.created_at)
        e.save()
        _erase_session_dates(e)
        ExitSurvey.objects.filter(enrolment=e).update(comment="")
        SurveyAnswer.objects.filter(
            exit_survey__enrolment=e, question__kind=SurveyQuestion.Kind.TEXT
        ).delete()
        for survey in ExitSurvey.objects.filter(enrolment=e):
            survey.answered_on = _month_start(survey.answered_on)
            survey.save(update_fields=["answered_on"])
    blanked = _erase_audit_rows(participant)
    # The access log keeps who read the data and when (the data-protection contact's record),
    # but not the exact dates of the person's sessions that some of its lines name.
    for entry in AccessLogEntry.objects.filter(participant=participant):
        detail = _FULL_DATE.sub(r"\1", entry.detail)
        if detail != entry.detail:
            entry.detail = detail
            entry.save(update_fields=["detail"])
    audit.record(
        event=Event.PARTICIPANT_ERASED,
        actor=by,
        target=participant,
        association=participant.association,
        after={"participant": participant.pk, "audit_rows_blanked": blanked},
        intervention=intervention,
        personal_data=True,
    )
    access_log_write(
        association=participant.association,
        by=by,
        action=AccessLogEntry.Action.ERASE,
        participants=[participant],
        intervention=intervention,
        detail=reason or _("Personal data erased; anonymous statistics remain"),
    )
    return participant


def _erase_session_dates(enrolment: Enrolment) -> None:
    """Reduce the sessions' dates to the first of their month, keeping their order.

    With equal dates the statistics order sessions by id (ors_change: first and last rating),
    and a session registered late has a higher id than a later one: the ORS change would turn
    round. Written again in their order in time, the new ids keep it. Nothing refers to a
    session's id but the audit rows, whose content is erased with the rest."""
    sessions = list(enrolment.sessions.order_by("date", "id"))
    enrolment.sessions.all().delete()
    for s in sessions:
        s.pk = None
        s.date = _month_start(s.date)
        s.created_at = _month(s.created_at)
        s.staff = None
    Session.objects.bulk_create(sessions)


def _erase_audit_rows(participant: Participant) -> int:
    """Blank the content of the person's rows in the audit log; returns how many.

    The audit log is never edited, with this one exception, which the right to erasure (GDPR
    art. 17) requires: the rows' before/after hold the person's data (ratings, dates, consent
    text, reasons written about them), and what is erased in the register must not live on in
    its log. What the audit needs stays: which event, when, by whom, in which intervention and
    on which (now anonymous) record, so the trail still shows that a change happened; and the
    erasure itself is a new row (Event.PARTICIPANT_ERASED) that says how many rows it blanked."""
    rows = AuditEvent.objects.filter(
        association_id=participant.association_id, after__participant=participant.pk
    )
    count = 0
    for row in rows:
        kept = {k: row.after[k] for k in ("participant", "enrolment") if k in row.after}
        row.before = None
        row.after = kept
        row.target_repr = ERASED_MARK
        row.personal_data = True
        row.save(update_fields=["before", "after", "target_repr", "personal_data"])
        count += 1
    return count


def erase_expired(*, years: int, today: dt.date | None = None) -> int:
    """Erase every participant whose last participation ended more than `years` years ago."""
    if years < 1:
        raise ValueError("years must be at least 1")
    today = today or timezone.localdate()
    try:
        cutoff = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        cutoff = today.replace(year=today.year - years, day=28)
    cutoff_start = timezone.make_aware(dt.datetime.combine(cutoff, dt.time.min))
    expired = (
        Participant.objects.filter(erased_at__isnull=True)
        .annotate(
            last_exit=Max("enrolments__exit_date"),
            active=Count("enrolments", filter=Q(enrolments__exit_date__isnull=True)),
            n=Count("enrolments"),
        )
        .filter(
            Q(active=0, last_exit__lt=cutoff) | Q(n=0, created_at__lt=cutoff_start),
        )
    )
    count = 0
    for participant in expired.select_related("association"):
        participant_erase(
            participant=participant,
            by=SYSTEM,
            reason=_("Automatic deletion: exited more than %(years)s years ago") % {"years": years},
        )
        count += 1
    return count


# --- corrections after registration -------------------------------------------------------------
#
# Nothing is overwritten silently: every correction needs a reason and writes one audit row with
# the changed fields before and after, plus `participant` and `enrolment` (for the history on the
# participant page) and the reason. Values are written as people read them (code labels, member
# names, ratings with one decimal). Names and contact details are personal data in clear: the
# audit row only says that they changed.

REASON_MAX_LENGTH = 500
#: What the audit row says instead of an encrypted value.
SECRET_EMPTY = "(tomt)"
SECRET_SET = "(ifyllt, visas inte)"
SECRET_CHANGED = "(ändrat, visas inte)"
SECRET_REMOVED = "(borttaget)"
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
RATING_STEP = Decimal("0.1")


def _readable(value: Any) -> Any:
    """A JSON-safe value the way a person reads it in the audit log and the history."""
    if value is None:
        return None
    if isinstance(value, Decimal):
        return str(value.quantize(RATING_STEP))
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return sorted(str(v) for v in value)
    if isinstance(value, int | str | bool):
        return value
    return str(value)


def _state(obj, names: Sequence[str]) -> dict[str, Any]:
    out = {}
    for name in names:
        value = getattr(obj, name)
        if name == "involved_members":
            value = list(value.all()) if obj.pk else []
        elif name == "kind":
            value = obj.get_kind_display()
        out[name] = _readable(value)
    return out


def _consent_state(participant: Participant) -> dict[str, Any]:
    return _state(
        participant,
        ("consent_date", "consent_scope", "consent_withdrawn_on", "consent_withdrawal_note"),
    )


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
    enrolment.save()
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
    enrolment.save()
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
    session.save()
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
    session.delete()


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


# --- the access log's own export ----------------------------------------------------------------


@transaction.atomic
def access_log_export_record(
    *, association, by, filters: dict[str, Any], file_format: str, count: int
) -> None:
    """The data-protection contact's export is itself audited: who exported which range."""
    start = filters.get("date_from") or _("the beginning")
    end = filters.get("date_to") or _("today")
    period = f"{start} – {end}"
    chosen = {k: _readable(v) for k, v in filters.items() if v not in (None, "")}
    if "participant" in chosen:
        # The general audit log is read by the office and the auditors: it says that the export
        # was narrowed to one participant, not to whom. The access log below says whom.
        chosen["participant"] = SECRET_SET
    audit.record(
        event=Event.ACCESS_LOG_EXPORTED,
        actor=by,
        target=association,
        after={**chosen, "format": file_format, "rows": count},
    )
    detail = _("Access log exported (%(period)s, %(count)s entries, %(format)s)") % {
        "period": period,
        "count": count,
        "format": file_format.upper(),
    }
    if filters.get("participant"):
        detail = f"{detail}, {filters['participant'].strip()}"
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.EXPORT,
        intervention=filters.get("intervention"),
        detail=detail,
    )
