"""The goals pages as a reader sees them: empty areas, exports, links, the query count."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.goals import services
from finsam.goals.tests import factories as gf
from finsam.organisation.models import Role

pytestmark = pytest.mark.django_db


def _goals_url(association, year=2021):
    return reverse("goals:goals", args=[association.slug]) + f"?ar={year}"


def test_an_area_without_goals_is_shown_to_the_office(client, login_as, association):
    login_as(Role.OFFICE)
    gf.area(association, name="Övrig samverkan")
    body = client.get(_goals_url(association)).content.decode()
    assert "Övrig samverkan" in body
    assert "Intern kontroll" in body  # the office reads the internal control plan


def test_goals_export_opens_in_excel_with_figures_and_assessment(client, login_as, association):
    login_as(Role.AUDITOR)
    goal = gf.goal(association)
    gf.measure(goal)
    kommun = association.members.first()
    gf.activity(association, goals=[goal], attended={kommun: (60, 58)})
    services.assessment_set(
        goal=goal, by=SYSTEM, period="year", verdict="partly", reason="58 av 100"
    )
    response = client.get(reverse("goals:goals_xlsx", args=[association.slug, 2021]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Målområde", "Mål", "Externa mål")
    assert rows[1][1] == "100 deltagare på utbildningarna"
    assert rows[1][7] == 58 and rows[1][8] == "Ej uppfyllt"  # 2021 is over
    assert rows[1][10:] == ("Delvis uppfyllt", "58 av 100")


def test_activities_export_has_one_row_per_member_organisation(client, login_as, association):
    login_as(Role.BOARD)
    kommun, region = association.members.order_by("name")[:2]
    gf.activity(association, attended={kommun: (12, 10), region: (4, 4)})
    gf.activity(association, title="Nätverksträff", kind="network", day=dt.date(2021, 9, 1))
    response = client.get(reverse("goals:activities_xlsx", args=[association.slug, 2021]))
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 1 + 2 + 1
    assert {(r[6], r[8]) for r in rows[1:] if r[1] == "Dejta en myndighet"} == {
        (kommun.name, 10),
        (region.name, 4),
    }
    page = client.get(reverse("goals:activities", args=[association.slug]) + "?ar=2021")
    assert "Nätverksträff" in page.content.decode()


def test_goal_list_queries_do_not_grow_with_the_goals(client, login_as, association):
    login_as(Role.OFFICE)

    def add_goal(n):
        goal = gf.goal(association, text=f"Mål {n}")
        gf.measure(goal)
        gf.measure(goal, kind="count", source="manual", metric="", target=Decimal(2))
        gf.activity(
            association,
            title=f"Aktivitet {n}",
            goals=[goal],
            attended={association.members.first(): (3, 3)},
        )

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(_goals_url(association)).status_code == 200
        return len(ctx.captured_queries)

    add_goal(1)
    add_goal(2)
    few = count()
    for n in range(3, 7):
        add_goal(n)
    assert count() == few


def test_activities_are_in_the_meeting_calendar_for_those_who_read_them(
    client, login_as, association
):
    gf.activity(association, title="Dejta en myndighet", audience="Handläggare i KAK")
    gf.activity(
        association, title="Förra årets konferens", kind="conference", day=dt.date(2020, 5, 5)
    )
    url = reverse("organisation:meetings_ics", args=[association.slug, 2021])
    login_as(Role.BOARD)
    body = client.get(url).content.decode()
    assert "SUMMARY:Dejta en myndighet: Dejta en myndighet" in body
    assert "DTSTART;VALUE=DATE:20210311" in body and "Handläggare i KAK" in body
    assert "Förra årets konferens" not in body
    login_as(Role.MEMBER_ORG)  # reads meetings, not the association's activities
    assert "Dejta en myndighet" not in client.get(url).content.decode()


def test_internal_control_page_follows_the_annual_cycle_and_last_years_plan(
    client, login_as, association
):
    from finsam.organisation.tests.factories import CycleItemFactory, MeetingFactory

    meeting = MeetingFactory(association=association, date=dt.date(2021, 11, 19))
    CycleItemFactory(
        association=association,
        kind="internal_control",
        month=12,
        title="Internkontrollplan kommande år",
    )
    last = services.control_plan_create(association=association, by=SYSTEM, year=2020)
    risk = services.risk_create(
        plan=last, by=SYSTEM, area="Ekonomi", description="Underskott", probability=3, consequence=4
    )
    services.control_create(
        risk=risk,
        by=SYSTEM,
        description="Budgetuppföljning",
        owner="Förbundschef",
        frequency="Varje möte",
        method="Rapport",
        result="Gjord vid alla möten",
        action="Ingen",
    )
    login_as(Role.OFFICE)
    page = reverse("goals:internal_control", args=[association.slug]) + "?ar=2021"
    body = client.get(page).content.decode()
    assert "Internkontrollplan kommande år" in body and "2021-11-19" in body
    assert "Uppföljning av planen för 2020" in body and "Gjord vid alla möten" in body
    # A new plan suggests the meeting the annual cycle sets.
    form = client.get(reverse("goals:control_plan_edit", args=[association.slug, 2021]))
    assert f'<option value="{meeting.pk}" selected>' in form.content.decode()


def test_charts_with_their_numbers_as_text_and_table(client, login_as, association):
    login_as(Role.BOARD)
    goal = gf.goal(association)
    gf.measure(goal)
    kommun = association.members.order_by("name").first()
    gf.activity(association, goals=[goal], attended={kommun: (50, 45), None: (5, 5)})
    body = client.get(_goals_url(association)).content.decode()
    assert 'aria-labelledby="measure-' in body
    assert "50 av 100 (50\u00a0%)" in body  # the bar's label, also its accessible title
    page = client.get(reverse("goals:activities", args=[association.slug]) + "?ar=2021")
    text = page.content.decode()
    assert 'id="attendance-chart-title"' in text
    # The chart's words: registered and attended per member organisation.
    assert f"{kommun.name}: Anmälda 50, Deltog 45;" in text and "Övriga: Anmälda" in text
    assert f'<th scope="row">{kommun.name}</th><td class="num">50</td><td class="num">45</td>' in (
        text
    )


def test_choice_groups_are_fieldsets_with_a_legend(client, login_as, association):
    import lxml.html

    login_as(Role.OFFICE)
    goal = gf.goal(association)
    pages = {
        reverse("goals:goal_create", args=[association.slug, 2021]): {
            "Externa mål",
            "Insatser som bidrar till målet",
            "Insatsernas egna mål",
        },
        reverse("goals:activity_create", args=[association.slug]): {
            "Arrangör *",
            "Mål som aktiviteten räknas till",
        },
        reverse("goals:goal_detail", args=[association.slug, goal.pk]): {"Bedömning *"},
    }
    for url, legends in pages.items():
        doc = lxml.html.fromstring(client.get(url).content.decode())
        found = {" ".join(e.text_content().split()) for e in doc.xpath("//fieldset/legend")}
        assert legends <= found, (url, found)
    doc = lxml.html.fromstring(client.get(list(pages)[0]).content.decode())
    assert "Inget att välja bland ännu." in doc.text_content()  # no external goals yet


def test_attainment_over_the_years_from_the_offices_assessments(client, login_as, association):
    login_as(Role.AUDITOR)
    for year, verdicts in ((2021, ["met", "met", "partly"]), (2022, ["met", None])):
        for i, verdict in enumerate(verdicts):
            goal = gf.goal(association, text=f"Mål {year}-{i}", year=year)
            if verdict:
                services.assessment_set(
                    goal=goal, by=SYSTEM, period="year", verdict=verdict, reason="Se årsrapporten"
                )
    body = client.get(_goals_url(association, 2022)).content.decode()
    assert "Måluppfyllelse över åren" in body
    assert 'id="trend-chart-title"' in body and "2021: Uppfyllt 2; 2022: Uppfyllt 1." in body
    row_2021 = (
        '<td class="num">3</td><td class="num">2</td><td class="num">1</td>'
        '<td class="num">0</td><td class="num">0</td><td class="num">0</td>'
    )
    assert row_2021 in body


def test_page_titles_hold_only_the_title(client, login_as, association):
    import lxml.html

    login_as(Role.OFFICE)
    goal = gf.goal(association)
    gf.activity(association, goals=[goal], attended={association.members.first(): (5, 5)})
    services.assessment_set(goal=goal, by=SYSTEM, period="year", verdict="met", reason="Ja")
    for url, title in (
        (_goals_url(association), "Mål 2021"),
        (reverse("goals:activities", args=[association.slug]) + "?ar=2021", "Aktiviteter 2021"),
        (
            reverse("goals:internal_control", args=[association.slug]) + "?ar=2021",
            "Intern kontroll 2021",
        ),
    ):
        doc = lxml.html.fromstring(client.get(url).content.decode())
        assert doc.findtext(".//title") == f"{title} – {association.name} – Finsam"
