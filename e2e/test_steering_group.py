"""The intervention's staff record a steering-group meeting with its minutes, by keyboard and
mouse, and see it listed with the minutes to download; the yearly count follows."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import Page, expect

from e2e.login import answer_second_factor
from finsam.demo.funding_examples import DEMO_POINTS, _minutes_pdf
from finsam.funding import services
from finsam.funding.tests import factories as f
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "hemligt-lösen-123"  # UserFactory's password


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    answer_second_factor(page, username=username)  # staff and the data-protection contact have one


def test_staff_add_a_meeting_with_minutes(live_server, page: Page, screenshot, tmp_path):
    association = association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30"},
    )
    today = dt.date.today()
    last_year = today.year - 1
    office = user_with_role(association, Role.OFFICE)
    intervention = f.intervention(
        association,
        fields={
            "title": "STEGSAM",
            "period_start": dt.date(last_year, 1, 1),
            "period_end": dt.date(today.year, 12, 31),
            "steering_meetings_per_year": "3–4",
        },
        members=[association.members.get(name="Köpings kommun")],
        steering_group=[
            {"name": "Anna Andersson", "member": None, "role": "Ordförande"},
            {
                "name": "",
                "member": association.members.get(name="Köpings kommun"),
                "role": "Ledamot",
            },
        ],
    )
    for day, with_minutes in [
        (dt.date(last_year, 3, 12), True),
        (dt.date(last_year, 10, 8), True),
        (today - dt.timedelta(days=60), False),
    ]:
        minutes = None
        if with_minutes:
            minutes = SimpleUploadedFile(
                f"Protokoll {day:%Y-%m-%d}.pdf",
                _minutes_pdf("STEGSAM", day, DEMO_POINTS),
                "application/pdf",
            )
        services.steering_meeting_create(
            intervention=intervention, date=day, notes="Lägesrapport", minutes=minutes, by=office
        )
    staff = user_with_role(association, Role.STAFF, username="ingrid.insats")
    services.intervention_staff_set(intervention=intervention, users=[staff], by=office)

    base = live_server.url
    log_in(page, base, "ingrid.insats")
    page.goto(f"{base}/f/{association.slug}/insatser/{intervention.pk}/")
    section = page.locator("#styrgrupp")
    expect(section.get_by_text("1 möte för mer än 30 dagar sedan saknar protokoll")).to_be_visible()

    section.get_by_role("link", name="Nytt styrgruppsmöte").click()
    held = today - dt.timedelta(days=3)
    page.get_by_label("Datum").fill(held.isoformat())
    page.get_by_label("Dagordning och anteckningar").click()
    page.keyboard.type("Budgetuppföljning och deltagarflöden")
    minutes_file = tmp_path / "Protokoll styrgrupp.pdf"
    minutes_file.write_bytes(_minutes_pdf("STEGSAM", held, DEMO_POINTS))
    page.get_by_label("Protokoll", exact=True).set_input_files(str(minutes_file))
    page.get_by_role("button", name="Spara").focus()
    page.keyboard.press("Enter")

    expect(page.get_by_text("Styrgruppsmötet är registrerat.")).to_be_visible()
    meetings = page.locator("#steering-meetings")
    row = meetings.locator("tr", has_text=held.strftime("%Y-%m-%d"))
    expect(row).to_contain_text("Budgetuppföljning och deltagarflöden")
    link = row.get_by_role("link", name="Protokoll styrgrupp.pdf")
    expect(link).to_be_visible()
    this_year = page.locator("#steering-years tbody tr").first
    expect(this_year).to_contain_text(str(today.year))
    held_this_year = sum(d.year == today.year for d in (today - dt.timedelta(days=60), held))
    expect(this_year.locator("td").nth(1)).to_have_text(re.compile(rf"^\s*{held_this_year}\s*$"))
    screenshot("steering-group-intervention-page")

    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "Protokoll styrgrupp.pdf"
