"""What the office reads to keep the code lists and the survey's own questions."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from finsam.participants.models import FollowUpCode, SurveyQuestion
from finsam.participants.selectors.common import _require


def codes_for_office(*, user, association) -> QuerySet[FollowUpCode]:
    _require(user, association, "participants.codes")
    return FollowUpCode.objects.filter(association=association)


# --- the association's own survey questions --------------------------------------------------------


def survey_questions_for_office(*, user, association) -> QuerySet[SurveyQuestion]:
    """Every question, retired ones too, with how many answers each has (never the answers)."""
    _require(user, association, "participants.survey")
    return (
        SurveyQuestion.objects.filter(association=association)
        .annotate(answer_count=Count("answers"))
        .order_by("sort_order", "id")
    )
