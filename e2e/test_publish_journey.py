"""Publish an intervention → find it in the public catalogue → read its results.

The office switches the public pages on, adds STEGSAM to the catalogue as a draft, sends it for
review, publishes it and takes its results from the participant register. A visitor without a
login (a fresh browser context: no cookie) finds it by filtering on its target group and reads
its results. axe-core checks every public page, and the office's pages on the way: zero
violations (WCAG 2.1 A and AA).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.axe import assert_accessible
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role
from finsam.participants.tests import factories as pf
from finsam.publishing.tests.factories import participants

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "hemligt-lösen-123"  # UserFactory's password
SUMMARY = "Stöd för unga vuxna på väg mot arbete eller studier."


def test_publish_find_and_read_results(live_server, page: Page, screenshot):
    association = association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    user_with_role(association, Role.OFFICE, username="karin.kansli")
    intervention = pf.staffed_intervention(association, title="STEGSAM")
    intervention.members.set(association.members.filter(name="Köpings kommun"))
    participants(association, intervention, n=12, exited_to_work=6)
    pf.staffed_intervention(association, title="Insats som inte publiceras")
    review_by = (timezone.localdate() + dt.timedelta(days=365)).isoformat()

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("karin.kansli")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Publik katalog"
    ).click()
    expect(page.get_by_role("heading", name="Publik katalog", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Inställningar för de publika sidorna").click()
    page.get_by_label("Publika sidor påslagna").check()
    page.get_by_label("Publik kontakt", exact=True).fill("Förbundschefen")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("De publika sidorna är påslagna")).to_be_visible()

    # A draft, with a wrong date first: said at the field, nothing saved.
    page.get_by_role("link", name="Ny post").click()
    page.get_by_label("Insats eller aktivitet").select_option(label="STEGSAM")
    page.get_by_label("Publik sammanfattning").fill(SUMMARY)
    page.get_by_label("Målgrupp").select_option(label="Unga vuxna")
    page.get_by_label("Personen själv").check()
    page.get_by_label("Arbetsförmedlingen").check()
    page.get_by_label("Granskas senast").fill("")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Detta fält måste fyllas i.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Granskas senast").fill(review_by)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Posten har lagts till som utkast.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Skicka för granskning").click()
    expect(page.get_by_text("Posten skickades för granskning.")).to_be_visible()
    page.get_by_role("button", name="Publicera", exact=True).click()
    expect(page.get_by_text("Posten är publicerad.")).to_be_visible()
    page.get_by_role("button", name="Uppdatera de publicerade resultaten").click()
    expect(page.get_by_text("De publicerade resultaten har uppdaterats")).to_be_visible()
    screenshot("publish-journey-office-entry")

    # The visitor: no login, no cookie.
    visitor = page.context.browser.new_context()
    public = visitor.new_page()
    public.goto(f"{live_server.url}/publikt/")
    assert_accessible(public)
    public.get_by_role("link", name="Samordningsförbundet Västra Testdalen").click()
    expect(public.get_by_role("heading", name="Insatser och aktiviteter", level=1)).to_be_visible()
    assert_accessible(public)
    expect(public.get_by_text("Insats som inte publiceras")).to_have_count(0)

    public.get_by_label("Målgrupp").select_option(label="Sjukskrivna")
    public.get_by_role("button", name="Filtrera").click()
    expect(public.get_by_text("Inget matchar filtret.")).to_be_visible()
    public.get_by_label("Målgrupp").select_option(label="Unga vuxna")
    public.get_by_role("button", name="Filtrera").click()
    expect(public.get_by_text("1 post", exact=True)).to_be_visible()
    assert_accessible(public)
    public.get_by_role("link", name="STEGSAM").click()

    expect(public.get_by_role("heading", name="STEGSAM", level=1)).to_be_visible()
    expect(public.get_by_text(SUMMARY)).to_be_visible()
    results = public.get_by_role("table", name="Resultat")
    expect(results).to_be_visible()
    expect(results.get_by_role("rowheader", name=str(timezone.localdate().year))).to_be_visible()
    expect(results.get_by_role("cell", name="12", exact=True)).to_be_visible()
    expect(public.get_by_text("Alva Testsson")).to_have_count(0)
    assert_accessible(public)

    public.get_by_role("navigation", name="Publika sidor").get_by_role(
        "link", name="Beslut"
    ).click()
    assert_accessible(public)
    public.get_by_role("link", name="Öppna data").click()
    expect(public.get_by_role("link", name="Katalog över insatser och aktiviteter")).to_be_visible()
    assert_accessible(public)

    public.get_by_role("link", name="English").click()
    expect(public.get_by_role("heading", name="Open data", level=1)).to_be_visible()
    public.get_by_role("link", name="Interventions and activities", exact=True).click()
    assert_accessible(public)
    visitor.close()
