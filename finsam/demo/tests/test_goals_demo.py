"""The demo holds every goal of the three seed plans with its measures, and shows attainment."""

from __future__ import annotations

import pytest

from finsam.demo.goals import load_goals_demo
from finsam.demo.goals_data import PLANS
from finsam.goals.measuring import measure_goals
from finsam.goals.models import Activity, Goal, InternalControlPlan, Measure
from finsam.organisation.models import Association, Role
from finsam.organisation.tests.factories import user_with_role


@pytest.fixture
def seeded(_demo_loaded, db):
    return {a.slug: a for a in Association.objects.all()}


# Goals per seed plan, counted by hand in ../shared/seeds: Västra Mälardalen's "Mål för 2021"
# bullets (2 + 3 + 2 + 1 + 1), Kramfors' goals under Övergripande mål (3), Styrelsens mål (4),
# Verksamhetens mål (5), finansierade insatser (2) and Finansiella mål (1), Norra Västmanland's
# "Mål/aktiviteter 2022" (6 + 4 + 11) and its equity rule under Ekonomi (1).
GOALS = {"vastra-malardalen": 9, "kramfors": 15, "norra-vastmanland": 22}
MEASURES = {"vastra-malardalen": 10, "kramfors": 24, "norra-vastmanland": 26}


@pytest.mark.parametrize("slug", list(GOALS))
def test_every_seed_goal_and_measure_is_in_the_demo(seeded, slug):
    association = seeded[slug]
    goals = Goal.objects.filter(area__association=association)
    assert goals.count() == GOALS[slug]
    assert Measure.objects.filter(goal__area__association=association).count() == MEASURES[slug]
    assert all(g.measures.exists() for g in goals)
    assert {g.area.year for g in goals} == {PLANS[slug]["year"]}


def test_seed_texts_spot_checked(seeded):
    vm, kr, nv = seeded["vastra-malardalen"], seeded["kramfors"], seeded["norra-vastmanland"]
    kak = Goal.objects.get(
        area__association=vm, text="100 deltagare på de KAK-gemensamma utbildningarna/satsningarna"
    )
    assert kak.area.name == "Metoder och arbetssätt"
    assert kak.measures.get().target == 100
    equity = Goal.objects.get(area__association=vm, area__name="Finansiella mål")
    assert equity.text == "Det egna kapitalet ska uppgå till maximalt 20% av årets erhållna bidrag"
    assert [str(e) for e in equity.external_goals.all()] == ["Mål 20 – God ekonomisk utveckling"]
    board = Goal.objects.get(area__association=kr, text__startswith="Styrelsen har tydliga")
    assert board.area.name == "Styrelsens mål"
    assert board.measures.get().text.startswith("Styrelsen en gång per år säkerställer")
    teams = Goal.objects.get(area__association=nv, text__startswith="De fyra Samordningsteamen")
    assert teams.interventions.count() == 4
    assert set(teams.measures.values_list("metric", flat=True)) == {"participants", "ors_improved"}
    assert Goal.objects.filter(
        area__association=nv, text__contains='("Dejt med en verkSAMhet")'
    ).exists()


def test_demo_shows_attainment_and_internal_control(seeded, client):
    kramfors = seeded["kramfors"]
    client.force_login(user_with_role(kramfors, Role.OFFICE))
    body = client.get("/f/kramfors/mal/?ar=2021").content.decode()
    assert "Arbete &amp; Hälsa" in body
    assert "Uppfyllt" in body and "Ej uppfyllt" in body
    assert Activity.objects.filter(association=kramfors).count() == 8
    office = user_with_role(kramfors, Role.OFFICE)
    goal = Goal.objects.get(area__association=kramfors, text__startswith="Samordningsförbundet möj")
    [result] = measure_goals(
        user=office, association=kramfors, goals=[goal], year=2021, period="year"
    )
    meetings = result.measures[0]
    assert (meetings.figure.value, meetings.status) == (5, "met")  # five Arbete & Hälsa days
    vm = seeded["vastra-malardalen"]
    kak = Goal.objects.get(area__association=vm, text__startswith="100 deltagare på de KAK")
    [result] = measure_goals(
        user=user_with_role(vm, Role.BOARD), association=vm, goals=[kak], year=2021, period="year"
    )
    assert (result.measures[0].figure.value, result.status) == (93, "not_met")
    assert result.assessment.get_verdict_display() == "Delvis uppfyllt"
    plan = InternalControlPlan.objects.get(association=kramfors, year=2021)
    assert plan.risks.count() == 3 and plan.report_meeting is not None
    page = client.get("/f/kramfors/internkontroll/?ar=2021").content.decode()
    assert "Medelsförbrukning" in page


def test_loading_twice_adds_nothing(seeded):
    before = Goal.objects.count(), Measure.objects.count(), Activity.objects.count()
    for association in seeded.values():
        assert load_goals_demo(association) is False
    assert (Goal.objects.count(), Measure.objects.count(), Activity.objects.count()) == before
