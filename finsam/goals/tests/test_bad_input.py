"""Every goals form refuses bad input with a Swedish message at the field, status 400, and saves
nothing; the good input is saved and audited."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from finsam.core.actors import SYSTEM
from finsam.goals import services
from finsam.goals.models import (
    Activity,
    Assessment,
    Attendance,
    Control,
    EvaluationQuestion,
    ExternalGoal,
    Goal,
    GoalArea,
    InternalControlPlan,
    ManualEntry,
    Measure,
    Risk,
    VolumeCount,
)
from finsam.goals.tests import factories as gf
from finsam.organisation.models import AuditEvent, Role
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db
PNR = pf.identity_number()  # a valid-checksum personnummer


@pytest.fixture
def office(login_as):
    return login_as(Role.OFFICE)


@pytest.fixture
def goal(association):
    return gf.goal(association)


def _post(client, url, data, model, message):
    before = (model.objects.count(), AuditEvent.objects.count())
    response = client.post(url, data)
    assert response.status_code == 400, response.content.decode()[:500]
    body = response.content.decode()
    assert message in body, body[:3000]
    assert "Formuläret innehåller fel" in body
    assert (model.objects.count(), AuditEvent.objects.count()) == before


def test_goal_needs_text_and_an_area_and_refuses_identity_numbers(
    client, office, association, goal
):
    url = reverse("goals:goal_create", args=[association.slug, 2021])
    _post(client, url, {"text": "", "area": goal.area.pk}, Goal, "Detta fält måste fyllas i.")
    _post(client, url, {"text": f"Mål om {PNR}", "area": goal.area.pk}, Goal, "Personnummer")
    other = services.goal_area_create(association=association, by=SYSTEM, year=2022, name="X")
    _post(client, url, {"text": "Mål", "area": other.pk}, Goal, "Välj ett giltigt alternativ")
    response = client.post(url, {"text": "Nytt mål", "area": goal.area.pk, "sort_order": 1})
    assert response.status_code == 302
    assert AuditEvent.objects.filter(event="goal.created", actor=office).exists()


def test_area_names_are_unique_per_year(client, office, association, goal):
    url = reverse("goals:area_create", args=[association.slug, 2021])
    _post(
        client,
        url,
        {"name": goal.area.name, "sort_order": 0},
        GoalArea,
        "Året har redan ett målområde med det namnet.",
    )


def test_measure_rules_are_shown_at_the_fields(client, office, association, goal):
    url = reverse("goals:measure_create", args=[association.slug, goal.pk])
    base = {
        "text": "Andel nöjda",
        "kind": "share",
        "source": "register",
        "metric": "satisfied",
        "sort_order": 0,
    }
    _post(client, url, {**base, "target": "150"}, Measure, "En andel är högst 100 %.")
    _post(client, url, {**base, "target": "abc"}, Measure, "Ange ett tal")
    _post(
        client,
        url,
        {**base, "metric": "result", "target": "85"},
        Measure,
        "Välj ett mått som den valda datakällan ger.",
    )
    _post(client, url, {**base, "target": ""}, Measure, "Ange målvärdet i siffror.")
    assert client.post(url, {**base, "target": "85,5"}).status_code == 302
    assert Measure.objects.get().target == Decimal("85.5")


def test_a_figure_needs_a_date_in_the_goals_year_and_evidence(client, office, association, goal):
    measure = gf.measure(goal, kind="count", source="manual", metric="", target=Decimal(5))
    url = reverse("goals:entry_create", args=[association.slug, measure.pk])
    _post(
        client,
        url,
        {"date": "2020-05-01", "value": "2", "evidence": "Protokoll"},
        ManualEntry,
        "Välj ett datum under målets år.",
    )
    _post(
        client,
        url,
        {"date": "2021-05-01", "value": "2", "evidence": ""},
        ManualEntry,
        "Detta fält måste fyllas i.",
    )
    _post(
        client,
        url,
        {"date": "20211-05-01", "value": "2", "evidence": "x"},
        ManualEntry,
        "Fyll i ett giltigt datum",
    )


def test_volume_counts_are_whole_non_negative_numbers(client, office, association):
    intervention = pf.staffed_intervention(association, title="Grundutbildning")
    url = reverse("goals:volume_count_create", args=[association.slug])
    _post(
        client,
        url,
        {"intervention": intervention.pk, "date": "2022-03-24", "count": "-3"},
        VolumeCount,
        "Kontrollera att detta värde är större än eller lika med 0.",
    )
    assert (
        client.post(
            url, {"intervention": intervention.pk, "date": "2022-03-24", "count": "28"}
        ).status_code
        == 302
    )


def test_assessment_needs_a_verdict_and_a_reason(client, office, association, goal):
    url = reverse("goals:assessment", args=[association.slug, goal.pk, "half_year"])
    _post(
        client,
        url,
        {"half_year-verdict": "", "half_year-reason": "Varför"},
        Assessment,
        "Detta fält måste fyllas i.",
    )
    _post(
        client,
        url,
        {"half_year-verdict": "maybe", "half_year-reason": "x"},
        Assessment,
        "Välj ett giltigt alternativ",
    )
    assert (
        client.get(
            reverse("goals:assessment", args=[association.slug, goal.pk, "quarter"])
        ).status_code
        == 405
    )
    assert (
        client.post(
            reverse("goals:assessment", args=[association.slug, goal.pk, "quarter"]),
            {"quarter-verdict": "met", "quarter-reason": "x"},
        ).status_code
        == 404
    )
    response = client.post(url, {"half_year-verdict": "will_be_met", "half_year-reason": "3 av 5"})
    assert response.status_code == 302
    assert Assessment.objects.get().get_verdict_display() == "Kommer att uppfyllas"


def test_activity_form(client, office, association):
    url = reverse("goals:activity_create", args=[association.slug])
    data = {
        "title": "Lunchföreläsning",
        "kind": "lunch_lecture",
        "date": "2021-04-20",
        "organiser": "alone",
    }
    _post(
        client,
        url,
        {**data, "organiser": "joint"},
        Activity,
        "Ange vilka förbund aktiviteten arrangerades tillsammans med.",
    )
    _post(client, url, {**data, "date": "2021-13-01"}, Activity, "Fyll i ett giltigt datum")
    _post(client, url, {**data, "audience": f"Handläggare {PNR}"}, Activity, "Personnummer")
    response = client.post(url, data)
    assert response.status_code == 302
    assert response.url.endswith("/narvaro/")  # straight on to the attendance


def test_attendance_form_refuses_negative_and_non_numbers(client, office, association):
    activity = gf.activity(association)
    url = reverse("goals:activity_attendance", args=[association.slug, activity.pk])
    page = client.get(url).content.decode()
    member = association.members.order_by("name").first()
    assert member.name in page and "Övriga (inte medlemsorganisation)" in page
    fields = {
        f"{p}_{m.pk}": "0" for m in association.members.all() for p in ("registered", "attended")
    }
    fields |= {"registered_others": "0", "attended_others": "0"}
    _post(
        client,
        url,
        {**fields, f"attended_{member.pk}": "-1"},
        Attendance,
        "Kontrollera att detta värde är större än eller lika med 0.",
    )
    _post(client, url, {**fields, f"attended_{member.pk}": "tio"}, Attendance, "Fyll i ett heltal.")
    response = client.post(
        url,
        {
            **fields,
            f"registered_{member.pk}": "12",
            f"attended_{member.pk}": "10",
            "attended_others": "2",
            "registered_others": "2",
        },
    )
    assert response.status_code == 302
    assert sorted(Attendance.objects.values_list("attended", flat=True)) == [2, 10]
    detail = client.get(response.url).content.decode()
    assert "12" in detail and member.name in detail


def test_evaluation_needs_a_question(client, office, association):
    activity = gf.activity(association)
    url = reverse("goals:activity_evaluation", args=[association.slug, activity.pk])
    _post(
        client,
        url,
        {"question": "", "result": "4,5"},
        EvaluationQuestion,
        "Detta fält måste fyllas i.",
    )


def test_internal_control_forms(client, office, association):
    plan_url = reverse("goals:control_plan_edit", args=[association.slug, 2021])
    _post(
        client,
        plan_url,
        {"adopted_on": "2020-02-30"},
        InternalControlPlan,
        "Fyll i ett giltigt datum",
    )
    assert client.post(plan_url, {"adopted_on": "2020-11-20"}).status_code == 302
    risk_url = reverse("goals:risk_create", args=[association.slug, 2021])
    data = {
        "area": "Ekonomi",
        "description": "Medelsförbrukning",
        "probability": "3",
        "consequence": "3",
    }
    _post(
        client,
        risk_url,
        {**data, "probability": "5"},
        Risk,
        "Kontrollera att detta värde är mindre än eller lika med 4.",
    )
    assert client.post(risk_url, data).status_code == 302
    risk = Risk.objects.get()
    control_url = reverse("goals:control_create", args=[association.slug, risk.pk])
    _post(
        client,
        control_url,
        {"description": "Uppföljning", "owner": "", "frequency": "x", "method": "y"},
        Control,
        "Detta fält måste fyllas i.",
    )
    page = client.get(reverse("goals:internal_control", args=[association.slug]) + "?ar=2021")
    body = page.content.decode()
    assert "Medelsförbrukning" in body and "<strong>9</strong>" in body


def test_external_goal_needs_its_text(client, office, association):
    url = reverse("goals:external_goal_create", args=[association.slug])
    _post(
        client,
        url,
        {"source": "RUS 2030", "number": "Mål 19", "text": ""},
        ExternalGoal,
        "Detta fält måste fyllas i.",
    )
