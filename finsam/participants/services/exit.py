"""The exit of a participation and the exit survey."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.participants.access import access_log_write
from finsam.participants.models import (
    AccessLogEntry,
    CodeList,
    Enrolment,
    ExitSurvey,
    FollowUpCode,
    SurveyAnswer,
    SurveyQuestion,
)
from finsam.participants.services.common import _check_codes, _require_changeable, _require_staff
from finsam.participants.services.statistics_summary import StatisticsRefresh
from finsam.participants.services.survey_questions import TEXT_ANSWER_MAX, survey_questions


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
    refresh = StatisticsRefresh([enrolment])
    enrolment.exit_date = exit_date
    enrolment.exit_reason = exit_reason
    enrolment.exit_occupation = exit_occupation
    enrolment.exit_income_source = exit_income_source
    enrolment.step_progress = step_progress
    enrolment.full_clean()
    enrolment.save()
    refresh.done()
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
    refresh = StatisticsRefresh([enrolment])
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
    refresh.done()
    access_log_write(
        association=association,
        by=by,
        action=AccessLogEntry.Action.UPDATE,
        participants=[enrolment.participant_id],
        intervention=enrolment.intervention,
        detail=_("Exit survey registered"),
    )
    return survey
