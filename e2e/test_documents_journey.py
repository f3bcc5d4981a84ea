"""The office opens the year's plan, writes its introduction, acknowledges a flag and generates
the Word file — in headless Chromium, with axe-core on the new pages."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.axe import assert_accessible
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "hemligt-lösen-123"  # UserFactory's password


def test_open_write_acknowledge_generate(live_server, page: Page):
    association = association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    user_with_role(association, Role.OFFICE, username="karin.kansli")
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("karin.kansli")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Dokument").click()
    expect(page.get_by_role("heading", name="Dokument", level=1)).to_be_visible()
    assert_accessible(page)

    # A year out of range first: the reason at the field, nothing opened.
    page.get_by_label("Dokumenttyp").select_option(label="Verksamhetsplan och budget")
    year = page.get_by_role("spinbutton", name="År")
    year.fill("1850")
    page.get_by_role("button", name="Öppna dokumentet").click()
    expect(page.get_by_text("större än eller lika med 2000")).to_be_visible()
    year.fill("2027")
    page.get_by_role("button", name="Öppna dokumentet").click()
    expect(
        page.get_by_role("heading", name="Verksamhetsplan och budget 2027", level=1)
    ).to_be_visible()
    expect(page.get_by_text("Det finns ingen budget för 2027")).to_be_visible()
    assert_accessible(page)

    # The introduction, written with the keyboard only.
    page.get_by_role("link", name="Ändra Kansliets inledning till årets plan.").focus()
    page.keyboard.press("Enter")
    page.get_by_label("Text (Markdown)").fill("Året då vi **samlar** allt i Finsam.")
    page.get_by_role("button", name="Spara som ny version").click()
    expect(page.get_by_text("Texten är sparad som en ny version.")).to_be_visible()
    expect(page.get_by_text("Året då vi **samlar** allt i Finsam.")).to_be_visible()

    # A flag acknowledged with a reason; adoption still waits for the others.
    page.get_by_role("textbox", name="Orsak").first.fill("Budgeten antas i november.")
    page.get_by_role("button", name="Kvittera").first.click()
    expect(page.get_by_text("Flaggan är kvitterad.")).to_be_visible()
    page.get_by_role("button", name="Fastställ dokumentet").click()
    expect(page.get_by_text("Åtgärda varje flagga eller kvittera")).to_be_visible()

    # Generated on the task queue; the progress page says when it is ready.
    page.get_by_role("button", name="Generera DOCX").click()
    expect(page.get_by_text("Dokumentet är klart.")).to_be_visible(timeout=30_000)
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner DOCX").click()
    assert download.value.suggested_filename == "plan-vastra-testdalen-2027-v1.docx"
