"""Intervention staff register a participant, record three ORS sessions, see the chart, and see
the goal progress update."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from finsam.accounts.models import Role
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
    today = timezone.localdate().isoformat()

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(staff.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Deltagare", exact=True).click()
    page.get_by_role("link", name="STEGSAM").click()
    goals = page.locator("#goal-progress")
    expect(goals).to_contain_text("0 av 30")

    page.get_by_role("link", name="Registrera deltagare").click()
    page.get_by_label("Personnummer eller samordningsnummer").fill(pf.identity_number())
    page.get_by_label("Namn (frivilligt, lagras krypterat)").fill("Alva Testsson")
    page.get_by_label("Samtycke lämnat").fill(today)
    page.get_by_label("Startdatum").fill(today)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Deltagaren är registrerad.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alva Testsson")

    for scores in (("3", "4", "4", "3"), ("5", "5", "6", "5"), ("7", "6,5", "7", "7")):
        page.get_by_role("link", name="Ny träff").click()
        page.get_by_label("Datum").fill(today)
        for label, value in zip(
            ("ORS individuellt", "ORS mellanmänskligt", "ORS socialt", "ORS övergripande"),
            scores,
            strict=True,
        ):
            page.get_by_label(label).fill(value)
        page.get_by_label("SRS / G-SRS totalt (0–40)").fill("38")
        page.get_by_role("button", name="Spara").click()
        expect(page.get_by_role("status")).to_contain_text("Träffen är registrerad.")

    chart = page.locator("#ors-figure svg")
    expect(chart).to_be_visible()
    expect(chart.locator("g.ors-point")).to_have_count(3)
    expect(chart).to_contain_text("Klinisk gräns 25")
    expect(page.locator("#sessions tbody tr")).to_have_count(3)
    screenshot("participant-ors-chart")

    page.get_by_role("link", name="STEGSAM").click()
    expect(goals.locator("svg")).to_have_count(1)
    expect(goals).to_contain_text("1 av 30")
    expect(page.locator("#participants")).to_contain_text("27,5")
    screenshot("participant-goal-progress")
    assert stegsam.enrolments.count() == 1
