"""Intervention staff register a participant, record three ORS sessions, see the chart, and see
the goal progress update."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.login import answer_second_factor
from finsam.core.actors import SYSTEM
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def test_staff_registers_a_participant_and_follows_ors(live_server, page: Page, screenshot):
    kramfors = association_with_members(slug="kramfors", name="Samordningsförbundet Kramfors")
    staff = user_with_role(kramfors, Role.STAFF)
    stegsam = pf.staffed_intervention(
        kramfors,
        title="STEGSAM",
        staff=[staff],
        goals=[("Antalet ärenden bör uppgå till 30 på årsbasis.", "≥ 30 ärenden per år")],
    )
    # Three sessions a month apart, so the chart shows change over time.
    today = timezone.localdate()
    dates = [today - dt.timedelta(days=60), today - dt.timedelta(days=30), today]
    start = dates[0]
    # The goal counts the participations started in a year: the start's.
    intervention_url = (
        f"{live_server.url}/f/kramfors/deltagare/insats/{stegsam.pk}/?ar={start.year}"
    )

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(staff.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    answer_second_factor(page, username=staff.username)  # staff read participant data
    page.get_by_role("link", name="Deltagare", exact=True).click()
    page.get_by_role("link", name="STEGSAM").click()
    page.goto(intervention_url)
    goals = page.locator("#goal-progress")
    expect(goals).to_contain_text("0 av 30")

    page.get_by_role("link", name="Registrera deltagare").click()
    page.get_by_label("Personnummer eller samordningsnummer").fill(pf.identity_number())
    page.get_by_label("Namn (frivilligt, lagras krypterat)").fill("Alva Testsson")
    page.get_by_label("Samtycke lämnat").fill(start.isoformat())
    page.get_by_label("Startdatum").fill(start.isoformat())
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Deltagaren är registrerad.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alva Testsson")

    scores = (("3", "4", "4", "3"), ("5", "5", "6", "5"), ("7", "6,5", "7", "7"))
    for day, session_scores in zip(dates, scores, strict=True):
        page.get_by_role("link", name="Ny träff").click()
        page.get_by_label("Datum").fill(day.isoformat())
        for label, value in zip(
            ("ORS individuellt", "ORS mellanmänskligt", "ORS socialt", "ORS övergripande"),
            session_scores,
            strict=True,
        ):
            page.get_by_label(label).fill(value)
        page.get_by_label("SRS / G-SRS totalt (0–40)").fill("38")
        page.get_by_role("button", name="Spara").click()
        expect(page.get_by_role("status")).to_contain_text("Träffen är registrerad.")

    chart = page.locator("#ors-figure svg")
    expect(chart).to_be_visible()
    points = chart.locator("g.ors-point")
    expect(points).to_have_count(3)
    for n, (day, total) in enumerate(zip(dates, ("14", "21", "27,5"), strict=True)):
        expect(points.nth(n)).to_have_attribute("data-date", day.isoformat())
        expect(points.nth(n)).to_have_attribute("data-value", total)
    expect(chart).to_contain_text("Klinisk gräns 25")
    # 14 → 27,5: a reliable improvement (at least 5 points), marked on the chart.
    expect(chart).to_contain_text("Tillförlitlig förbättring (+13,5)")
    expect(page.locator("#sessions tbody tr")).to_have_count(3)
    screenshot("participant-ors-chart")

    page.get_by_role("link", name="STEGSAM").click()
    page.goto(intervention_url)
    expect(goals.locator("svg")).to_have_count(1)
    expect(goals).to_contain_text("1 av 30")
    expect(page.locator("#participants")).to_contain_text("27,5")
    screenshot("participant-goal-progress")
    assert stegsam.enrolments.count() == 1


def test_office_adds_an_own_question_and_staff_answer_it_at_exit(
    live_server, page: Page, screenshot
):
    from finsam.participants import services

    kramfors = association_with_members(slug="kramfors", name="Samordningsförbundet Kramfors")
    office = user_with_role(kramfors, Role.OFFICE)
    staff = user_with_role(kramfors, Role.STAFF)
    stegsam = pf.staffed_intervention(kramfors, title="STEGSAM", staff=[staff])
    # Earlier participants with answers, so the statistics have something to show.
    respect = services.survey_question_create(
        association=kramfors,
        by=SYSTEM,
        text="Jag har blivit bemött med respekt",
        kind="scale",
        scale_low_label="Stämmer inte alls",
        scale_high_label="Stämmer helt",
    )
    for i, value in enumerate([5, 5, 5, 5, 5, 4, 4, 4, 4, 4]):
        earlier = pf.register(kramfors, stegsam, number=pf.identity_number(serial=f"{600 + i}"))
        pf.exit_enrolment(earlier)
        services.exit_survey_record(
            enrolment=earlier,
            satisfied=True,
            self_rated_progress=4,
            answers={respect.pk: value},
            by=SYSTEM,
        )
    enrolment = pf.register(kramfors, stegsam, number=pf.identity_number(serial="700"))
    pf.exit_enrolment(enrolment)

    def log_in(user):
        page.goto(f"{live_server.url}/konto/logga-in/")
        page.get_by_label("Användarnamn").fill(user.username)
        page.get_by_label("Lösenord").fill(PASSWORD)
        page.get_by_role("button", name="Logga in").click()
        answer_second_factor(page, username=user.username)  # asked of staff only

    log_in(office)
    page.goto(f"{live_server.url}/f/kramfors/deltagare/")
    page.get_by_role("link", name="Enkätfrågor").click()
    page.get_by_role("textbox", name="Fråga").fill("Jag vet vad nästa steg är")
    page.get_by_label("Ja eller nej").check()
    page.get_by_role("button", name="Lägg till").click()
    expect(page.get_by_role("status")).to_contain_text("Frågan är tillagd.")
    expect(page.locator("#survey-questions tbody tr")).to_have_count(2)
    screenshot("participant-survey-questions")

    page.context.clear_cookies()
    log_in(staff)
    page.goto(f"{live_server.url}/f/kramfors/deltagare/{enrolment.pk}/enkat/")
    page.get_by_role("radio", name="Ja").first.check()
    page.get_by_role("radio", name="4", exact=True).first.check()
    page.get_by_role("radio", name="5 – Stämmer helt").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Avslutsenkäten är sparad.")
    expect(page.locator("#survey-answers")).to_contain_text("5 av 5")

    page.context.clear_cookies()
    log_in(office)
    page.goto(f"{live_server.url}/f/kramfors/deltagare/statistik/")
    section = page.locator("section", has_text="Jag har blivit bemött med respekt")
    expect(section).to_contain_text("Medelvärde")
    expect(section).to_contain_text("4,5")
    page.locator("#survey-statistics").scroll_into_view_if_needed()
    screenshot("participant-survey-statistics")
    page.get_by_role("link", name="Regler för ORS och SRS").click()
    page.get_by_label("Grupp 3: klinisk gräns (ORS)").fill("26")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Reglerna för ORS och SRS är sparade.")
    expect(page.get_by_label("Grupp 3: klinisk gräns (ORS)")).to_have_value("26")
    screenshot("participant-rating-settings")
