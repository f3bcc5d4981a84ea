"""A goal's measures edited as rows of one form: several added at once, one removed in the same
save, and bad input in one row keeps every typed row and saves nothing.

Logged out, roles without the capability and other associations: test_permission_matrix.py
(the URL is in its PK_OBJECT)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from finsam.core.formsets import ADD_ROW
from finsam.funding.tests.test_steering_rows import page_rows, post_data
from finsam.goals.models import Measure
from finsam.goals.tests import factories as gf
from finsam.organisation.models import AuditEvent, Role

pytestmark = pytest.mark.django_db

COUNT = {
    "kind": "count",
    "source": "activities",
    "metric": "attendance",
    "target": "100",
}


@pytest.fixture
def goal(association):
    goal = gf.goal(association)
    gf.measure(goal, text="Antal deltagare på utbildningarna")
    return goal


def edit_url(association, goal) -> str:
    return reverse("goals:measures_edit", args=[association.slug, goal.pk])


def measures(goal) -> list[tuple[str, Decimal | None]]:
    return list(goal.measures.order_by("sort_order", "pk").values_list("text", "target"))


def test_the_form_shows_the_measures_and_one_empty_row(client, login_as, association, goal):
    login_as(Role.OFFICE)
    response = client.get(edit_url(association, goal))
    assert response.status_code == 200
    rows = page_rows(response.content.decode())
    assert [r.get("target") for r in rows] == ["100", ""]
    assert "Lägg till rad" in response.content.decode()


def test_two_measures_added_and_one_removed_in_one_save(client, login_as, association, goal):
    login_as(Role.OFFICE)
    url = edit_url(association, goal)
    page = client.get(url).content.decode()
    page = client.post(url, post_data(page, [], **{ADD_ROW: "1"})).content.decode()
    assert len(page_rows(page)) == 3
    before = AuditEvent.objects.count()
    response = client.post(
        url,
        post_data(
            page,
            [
                {"DELETE": "on"},
                {"text": "Antal träffar", **COUNT, "target": "12"},
                {"text": "Beskrivning av arbetet", "kind": "described", "source": "manual"},
            ],
        ),
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert measures(goal) == [("Antal träffar", Decimal(12)), ("Beskrivning av arbetet", None)]
    events = sorted(AuditEvent.objects.order_by("id")[before:].values_list("event", flat=True))
    assert events == ["measure.created", "measure.created", "measure.deleted"]


def test_bad_input_in_one_row_keeps_every_row_and_saves_nothing(
    client, login_as, association, goal
):
    login_as(Role.OFFICE)
    url = edit_url(association, goal)
    page = client.get(url).content.decode()
    page = client.post(url, post_data(page, [], **{ADD_ROW: "1"})).content.decode()
    before = (Measure.objects.count(), AuditEvent.objects.count())
    response = client.post(
        url,
        post_data(
            page,
            [
                {},
                {"text": "Antal träffar", **COUNT, "target": ""},  # a count needs its target
                {"text": "Beskrivning av arbetet", "kind": "described", "source": "manual"},
            ],
        ),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange målvärdet i siffror." in html
    assert "Inget har sparats" in html
    assert [r["text"] for r in page_rows(html)] == [
        "Antal deltagare på utbildningarna",
        "Antal träffar",
        "Beskrivning av arbetet",
    ]
    assert (Measure.objects.count(), AuditEvent.objects.count()) == before
    assert measures(goal) == [("Antal deltagare på utbildningarna", Decimal(100))]


def test_a_refused_form_field_keeps_the_rows_too(client, login_as, association, goal):
    login_as(Role.OFFICE)
    url = edit_url(association, goal)
    page = client.get(url).content.decode()
    before = AuditEvent.objects.count()
    response = client.post(
        url, post_data(page, [{"target": "många"}, {"text": "Antal träffar", **COUNT}])
    )
    assert response.status_code == 400
    assert "Antal träffar" in response.content.decode()
    assert AuditEvent.objects.count() == before
