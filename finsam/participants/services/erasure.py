"""Erasure (GDPR art. 17): what identifies the person goes, anonymous statistics stay."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import SYSTEM
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent
from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    ExitSurvey,
    Participant,
    Session,
    SurveyAnswer,
    SurveyQuestion,
)
from finsam.participants.services.statistics_summary import StatisticsRefresh


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
    refresh = StatisticsRefresh(participant.enrolments.all())
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
    refresh.done()
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
