"""The demo's participants answer the association's own exit-survey questions; loading twice adds
nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from finsam.demo.participants import DEMO_QUESTIONS, load_participants_demo
from finsam.organisation.models import Association
from finsam.participants.models import ExitSurvey, SurveyAnswer, SurveyQuestion

# The demo is loaded once for the package (conftest.py).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_demo_loaded")]


def test_demo_surveys_answer_the_own_questions_and_loading_twice_adds_nothing():
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


def test_every_demo_intervention_has_participants_sessions_a_chart_and_goal_progress(client):
    """After load_demo, each individual intervention of the demo plan is filled, and its staff
    login opens it: participants, sessions with ORS, a chart that renders, goal values."""
    from django.urls import reverse

    from finsam.accounts.models import User
    from finsam.demo.participants import DEMO_INTERVENTIONS, DEMO_STAFF
    from finsam.funding.models import Intervention
    from finsam.participants import selectors
    from finsam.participants.models import Enrolment, Session

    for slug, plan in DEMO_INTERVENTIONS.items():
        association = Association.objects.get(slug=slug)
        username, staffed = DEMO_STAFF[slug]
        user = User.objects.get(username=username)
        client.force_login(user)
        for prefix, count in plan:
            assert any(prefix.startswith(p) or p.startswith(prefix) for p in staffed), prefix
            intervention = Intervention.objects.get(
                association=association, title__startswith=prefix
            )
            assert intervention.staff.filter(pk=user.pk).exists(), prefix
            enrolments = Enrolment.objects.filter(intervention=intervention)
            assert enrolments.count() == count, prefix
            rated = Session.objects.filter(
                enrolment__intervention=intervention, ors_total__isnull=False
            )
            assert rated.values("enrolment").distinct().count() == count, prefix
            page = client.get(reverse("participants:intervention", args=[slug, intervention.pk]))
            assert page.status_code == 200, prefix
            assert enrolments.first().participant.reference in page.content.decode()
            # The participant with most sessions: a chart with a point per rated session.
            enrolment = max(enrolments, key=lambda e: e.sessions.count())
            body = client.get(
                reverse("participants:enrolment", args=[slug, enrolment.pk])
            ).content.decode()
            assert "<svg" in body and 'class="ors-cutoff"' in body, prefix
            points = enrolment.sessions.filter(ors_total__isnull=False).count()
            assert points >= 3 and body.count('class="ors-point"') == points, prefix
            # Goal progress: a measurable goal, with a value in the years of the demo.
            years = {e.start_date.year for e in enrolments}
            goals = [
                item
                for year in years
                for item in selectors.goal_progress(interventions=[intervention], year=year)[
                    intervention.pk
                ]
            ]
            assert any(item.value is not None for item in goals), prefix
            year = max(years)
            page = client.get(
                reverse("participants:intervention", args=[slug, intervention.pk]),
                {"ar": year},
            ).content.decode()
            assert 'id="goal-progress"' in page and 'class="progress-fill"' in page, prefix


def test_demo_identity_numbers_are_skatteverkets_test_numbers_or_samordningsnummer():
    import datetime as dt
    import random

    from finsam.demo.participants import SKATTEVERKET_TEST_NUMBERS, fake_identity_number
    from finsam.participants.identity import parse_identity_number

    for number in SKATTEVERKET_TEST_NUMBERS:
        parse_identity_number(number)  # valid date and check digit
    rng, used = random.Random(1), set()
    start = dt.date(2021, 3, 1)
    numbers = [
        fake_identity_number(rng, start=start, age_from=16, age_to=29, used=used)
        for _n in range(30)
    ]
    assert len({number for number, _birth in numbers}) == 30  # never twice
    for number, birth in numbers:
        parsed = parse_identity_number(number, today=start)
        assert parsed.birth_date == birth and 16 <= parsed.age_on(start) <= 29
        if number.replace("-", "") not in SKATTEVERKET_TEST_NUMBERS:
            assert parsed.is_coordination_number, number
    # Every published number of the right age is used before any samordningsnummer.
    fitting = {
        n for n in SKATTEVERKET_TEST_NUMBERS if 16 <= parse_identity_number(n).age_on(start) <= 29
    }
    assert fitting and fitting <= {number.replace("-", "") for number, _birth in numbers}
