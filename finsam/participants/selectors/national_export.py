"""The national follow-up's file: one row per participation, no names, no identity numbers."""

from __future__ import annotations

from django.db.models import Count, F
from django.utils.translation import gettext as _

from finsam.funding.models import Intervention
from finsam.participants import access
from finsam.participants.access import access_log_write
from finsam.participants.models import AccessLogEntry
from finsam.participants.selectors.enrolments import _enrolment_queryset


def national_export_rows(*, user, intervention: Intervention) -> list[list]:
    """One row per participation for the national follow-up (docs/national-export.md). No names,
    no identity numbers. Logged as an export of each participant."""
    access.require_staff(user, intervention)
    enrolments = list(
        _enrolment_queryset()
        .filter(intervention=intervention)
        .prefetch_related("involved_members")
        .annotate(
            session_count=Count("sessions"),
            survey_satisfied=F("exit_survey__satisfied"),
        )
        .order_by("start_date", "id")
    )

    def code(c):
        return c.code if c else ""

    rows = [
        [
            e.participant.reference,
            intervention.pk,
            intervention.title,
            e.start_date.isoformat(),
            e.participant.birth_year or "",
            e.age_at_start,
            e.participant.legal_gender,
            e.referring_member.name if e.referring_member else "",
            ";".join(m.name for m in e.involved_members.all()),
            code(e.entry_occupation),
            code(e.entry_income_source),
            code(e.time_outside),
            code(e.education),
            e.exit_date.isoformat() if e.exit_date else "",
            code(e.exit_reason),
            code(e.exit_occupation),
            code(e.exit_income_source),
            code(e.step_progress),
            e.session_count,
            "" if e.survey_satisfied is None else ("ja" if e.survey_satisfied else "nej"),
        ]
        for e in enrolments
    ]
    access_log_write(
        association=intervention.association,
        by=user,
        action=AccessLogEntry.Action.EXPORT,
        participants=[e.participant for e in enrolments] or [None],
        intervention=intervention,
        detail=_("Export for national follow-up, %(intervention)s")
        % {"intervention": intervention.title},
    )
    return rows


NATIONAL_EXPORT_COLUMNS = [
    "deltagare_ref",
    "insats_id",
    "insats",
    "startdatum",
    "fodelsear",
    "alder_vid_start",
    "kon",
    "remitterande_organisation",
    "samverkande_medlemmar",
    "sysselsattning_fore",
    "forsorjning_fore",
    "tid_utanfor",
    "utbildningsniva",
    "avslutsdatum",
    "avslutsorsak",
    "sysselsattning_efter",
    "forsorjning_efter",
    "stegforflyttning",
    "antal_traffar",
    "nojd",
]
