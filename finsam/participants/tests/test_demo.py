"""The demo's participants answer the association's own exit-survey questions; loading twice adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from finsam.organisation.models import Association
from finsam.participants.demo import DEMO_QUESTIONS, load_participants_demo
from finsam.participants.models import ExitSurvey, SurveyAnswer, SurveyQuestion

pytestmark = pytest.mark.django_db


def test_demo_surveys_answer_the_own_questions_and_loading_twice_adds_nothing():
    call_command("load_demo", stdout=io.StringIO())
    kramfors = Association.objects.get(slug="kramfors")
    texts = list(SurveyQuestion.objects.filter(association=kramfors).values_list("text", flat=True))
    assert texts == [text for text, *_rest in DEMO_QUESTIONS]
    surveys = ExitSurvey.objects.filter(enrolment__intervention__association=kramfors)
    scale = SurveyAnswer.objects.filter(
        exit_survey__in=surveys, question__kind="scale", scale_value__isnull=False
    )
    # The respect question is required: every demo survey answers it.
    assert surveys.exists() and scale.count() == surveys.count()
    assert SurveyAnswer.objects.filter(question__kind="text").exclude(text_value="").exists()

    counts = (SurveyQuestion.objects.count(), SurveyAnswer.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    for association in Association.objects.all():
        assert load_participants_demo(association) is False
    assert (SurveyQuestion.objects.count(), SurveyAnswer.objects.count()) == counts
