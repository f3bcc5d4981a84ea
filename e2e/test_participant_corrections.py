"""Staff correct a participant's data with a reason and see the correction history; the office
sees in the audit log only that something changed; the data-protection contact filters the
access log and exports the selection."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.login import answer_second_factor
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role
from finsam.participants import services
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def log_in(page: Page, live_server, user) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    answer_second_factor(
        page, username=user.username
    )  # staff and the data-protection contact have one


def test_staff_correct_data_and_the_data_protection_contact_reads_the_access_log(
    live_server, page: Page, screenshot
):
    kramfors = association_with_members(slug="kramfors", name="Samordningsförbundet Kramfors")
    staff = user_with_role(kramfors, Role.STAFF)
    stegsam = pf.staffed_intervention(kramfors, title="STEGSAM", staff=[staff])
    enrolment = pf.register(kramfors, stegsam, by=staff)
    services.session_record(
        enrolment=enrolment, date=enrolment.start_date, ors_items=[4, 5, 5, 4], by=staff
    )

    log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/f/kramfors/deltagare/{enrolment.pk}/")
    page.get_by_role("link", name="Rätta uppgifter vid start").click()
    page.get_by_label("Sysselsättning vid start").select_option(label="Aktivt arbetssökande")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator("#id_reason_error")).to_contain_text("varför")  # the reason is required
    page.get_by_label("Orsak till rättelsen").fill("Fel sysselsättning vid inskrivningen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Uppgifterna vid start är rättade.")

    page.get_by_role("link", name="Rätta namn och kontakt").click()
    page.get_by_label("Namn (frivilligt, lagras krypterat)").fill("Alva Nyberg")
    page.get_by_label("Orsak till rättelsen").fill("Nytt efternamn")
    page.get_by_role("button", name="Spara").click()

    page.locator("#sessions").get_by_role("link", name=re.compile(r"^Rätta \d")).first.click()
    page.get_by_label("ORS socialt (0–10)").fill("6")
    page.get_by_label("Orsak till rättelsen").fill("Felskrivet från pappersblanketten")
    page.get_by_role("button", name="Spara").click()

    history = page.locator("#correction-history")
    expect(history).to_contain_text("Sjukskriven → Aktivt arbetssökande")
    expect(history).to_contain_text("Nytt efternamn")
    expect(history).to_contain_text("ORS socialt: 5 → 6")
    expect(history).not_to_contain_text("Alva")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Alva Nyberg")
    screenshot("participant-correction-history")

    page.get_by_role("link", name="Åtkomsthistorik").click()
    expect(page.locator("#participant-log")).to_contain_text("Rättelse")

    office = user_with_role(kramfors, Role.OFFICE)
    page.context.clear_cookies()
    log_in(page, live_server, office)
    page.goto(f"{live_server.url}/f/kramfors/logg/")
    audit = page.locator("table")
    expect(audit).to_contain_text("Uppgifter vid start rättade")
    expect(audit).to_contain_text("Deltagaruppgifter i insats: STEGSAM")
    for private in ("Fel sysselsättning", "Nytt efternamn", "Aktivt arbetssökande", "ORS"):
        expect(audit).not_to_contain_text(private)
    expect(page.get_by_role("link", name="Åtkomstlogg")).to_have_count(0)

    contact = user_with_role(kramfors, Role.PRIVACY)
    page.context.clear_cookies()
    log_in(page, live_server, contact)
    page.goto(f"{live_server.url}/f/kramfors/")
    page.get_by_role("link", name="Åtkomstlogg").click()
    page.get_by_label("Insats").select_option(label="STEGSAM")
    page.get_by_label("Åtgärd").select_option(label="Ändring")
    page.get_by_role("button", name="Filtrera").click()
    expect(page.locator("#access-log")).to_contain_text("Rättelse: sysselsättning vid start")
    expect(page.locator("#access-log")).not_to_contain_text("Visad i lista")
    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera urvalet (CSV)").click()
    assert download.value.suggested_filename.endswith(".csv")
    screenshot("access-log-filtered")
