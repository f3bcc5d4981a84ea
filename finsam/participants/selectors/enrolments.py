"""Participations, sessions and surveys, read by the intervention's own staff (access.py).

Every read of a participant's data writes the access log here, so no view can forget it."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.core.paginator import Page, Paginator
from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from finsam.funding.models import Intervention
from finsam.participants import access
from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    Enrolment,
    Participant,
    Session,
    SurveyAnswer,
)
from finsam.participants.selectors.common import _require
from finsam.participants.services import answer_field, decrypt_or_blank
from finsam.participants.statistics.common import _round_mean

# --- personal data (staff of the intervention only) ---------------------------------------------


def staff_interventions(*, user, association) -> QuerySet[Intervention]:
    return access.interventions(user, association).annotate(
        active_count=Count("enrolments", filter=Q(enrolments__exit_date__isnull=True))
    )


def intervention_for_staff(*, user, association, pk: int) -> Intervention:
    """404 outside the association; 403 with the reason for a user who is not its staff."""
    _require(user, association, "participants.register")
    intervention = get_object_or_404(Intervention, association=association, pk=pk)
    access.require_staff(user, intervention)
    return intervention


def _enrolment_queryset() -> QuerySet[Enrolment]:
    return Enrolment.objects.select_related(
        "participant",
        "intervention",
        "intervention__association",
        "referring_member",
        "entry_occupation",
        "entry_income_source",
        "time_outside",
        "education",
        "exit_reason",
        "exit_occupation",
        "exit_income_source",
        "step_progress",
        "exit_survey",
    )


@dataclass
class EnrolmentRow:
    enrolment: Enrolment
    name: str
    session_count: int
    last_ors: Decimal | None


ENROLMENTS_PER_PAGE = 50


def enrolments_for_intervention(
    *, user, intervention: Intervention, page: int | str | None = 1
) -> tuple[list[EnrolmentRow], Page]:
    """One page of the intervention's participants (ongoing first) with decrypted names.

    Logs one row per person shown. Sessions are counted in a subquery and only the participant
    is joined: a GROUP BY over every session of a large intervention made the list slow.
    """
    access.require_staff(user, intervention)
    last_ors = (
        Session.objects.filter(enrolment=OuterRef("pk"), ors_total__isnull=False)
        .order_by("-date", "-id")
        .values("ors_total")[:1]
    )
    session_count = (
        Session.objects.filter(enrolment=OuterRef("pk"))
        .order_by()
        .values("enrolment")
        .annotate(n=Count("id"))
        .values("n")
    )
    queryset = (
        Enrolment.objects.filter(intervention=intervention)
        .select_related("participant")
        .annotate(session_count=Coalesce(Subquery(session_count), 0), last_ors=Subquery(last_ors))
        .order_by(F("exit_date").desc(nulls_first=True), "-start_date", "-id")
    )
    shown = Paginator(queryset, ENROLMENTS_PER_PAGE).get_page(page)
    enrolments = list(shown.object_list)
    access_log_write(
        association=intervention.association,
        by=user,
        action=AccessLogEntry.Action.LIST,
        participants=[e.participant for e in enrolments] or [None],
        intervention=intervention,
        detail=_("Participant list for %(intervention)s") % {"intervention": intervention.title},
    )
    rows = [
        EnrolmentRow(
            enrolment=e,
            name=decrypt_or_blank(e.participant.name_encrypted),
            session_count=e.session_count,
            # SQLite returns a subquery's decimal unrounded (30.2000000000000).
            last_ors=_round_mean(e.last_ors),
        )
        for e in enrolments
    ]
    return rows, shown


def enrolment_for_staff(
    *, user, association, pk: int, action: str = AccessLogEntry.Action.VIEW, detail: str = ""
) -> Enrolment:
    """One participation, for the staff of its intervention; 404 for everyone else (the
    existence of a participant is itself personal data). Logs the read."""
    _require(user, association, "participants.register")
    enrolment = (
        _enrolment_queryset()
        .filter(access.in_interventions(user, association), pk=pk)
        .prefetch_related("involved_members")
        .first()
    )
    if enrolment is None:
        raise Http404
    if action:
        access_log_write(
            association=association,
            by=user,
            action=action,
            participants=[enrolment.participant],
            intervention=enrolment.intervention,
            detail=detail
            or _("Participant page in %(intervention)s")
            % {"intervention": enrolment.intervention.title},
        )
    return enrolment


def session_for_staff(*, user, association, enrolment_pk: int, pk: int) -> Session:
    """One session of a participation the user may see (404 otherwise). The caller logs."""
    enrolment = enrolment_for_staff(user=user, association=association, pk=enrolment_pk, action="")
    session = get_object_or_404(Session, enrolment=enrolment, pk=pk)
    session.enrolment = enrolment
    return session


def participant_name(enrolment: Enrolment) -> str:
    return decrypt_or_blank(enrolment.participant.name_encrypted)


def participant_contact(enrolment: Enrolment) -> str:
    return decrypt_or_blank(enrolment.participant.contact_encrypted)


def enrolment_sessions(enrolment: Enrolment) -> list[Session]:
    return list(enrolment.sessions.select_related("staff").order_by("date", "id"))


def survey_answers(enrolment: Enrolment) -> list[SurveyAnswer]:
    """The answers to the association's own questions, for the page that already logged the
    read of this participation (enrolment_for_staff)."""
    survey = getattr(enrolment, "exit_survey", None) if hasattr(enrolment, "exit_survey") else None
    if survey is None:
        return []
    return list(survey.answers.select_related("question"))


def exit_survey_initial(*, user, enrolment: Enrolment) -> dict:
    """The saved survey as the form's initial values. Showing it is a read: logged."""
    survey = getattr(enrolment, "exit_survey", None) if hasattr(enrolment, "exit_survey") else None
    if survey is None:
        return {}
    access_log_write(
        association=enrolment.intervention.association,
        by=user,
        action=AccessLogEntry.Action.VIEW,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Exit survey opened for editing"),
    )
    initial = {
        "satisfied": "ja" if survey.satisfied else "nej",
        "self_rated_progress": str(survey.self_rated_progress),
        "comment": survey.comment,
    }
    for answer in survey.answers.select_related("question"):
        value = answer.value
        if isinstance(value, bool):
            value = "ja" if value else "nej"
        initial[answer_field(answer.question_id)] = "" if value is None else str(value)
    return initial


def other_enrolment_count(*, user, enrolment: Enrolment) -> int:
    """How many of the person's participations this user cannot see (shown as a number only)."""
    return (
        Enrolment.objects.filter(participant=enrolment.participant)
        .exclude(access.in_interventions(user, enrolment.intervention.association))
        .count()
    )


def enrolments_for_export(*, user, participant: Participant) -> list[Enrolment]:
    return list(
        _enrolment_queryset()
        .filter(access.in_interventions(user, participant.association), participant=participant)
        .prefetch_related("involved_members", "sessions", "exit_survey__answers__question")
        .order_by("start_date")
    )
