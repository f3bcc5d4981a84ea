"""An economist imports the ledger, reads the follow-up per 30 June and enters a forecast."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from finsam.core.actors import SYSTEM
from finsam.demo.economy import load_economy_demo
from finsam.demo.ledger import ACCOUNT_LINES, kramfors_2021_sie
from finsam.economy.services import account_mapping_create
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_economist_imports_sie_and_enters_a_forecast(live_server, page: Page, screenshot, tmp_path):
    kramfors = AssociationFactory(slug="kramfors", name="Samordningsförbundet Kramfors")
    load_economy_demo(kramfors)
    for account_from, account_to, label in ACCOUNT_LINES:
        account_mapping_create(
            association=kramfors,
            account_from=account_from,
            account_to=account_to,
            line_label=label,
            by=SYSTEM,
        )
    economist = user_with_role(kramfors, Role.ECONOMIST)
    sie_file = tmp_path / "kramfors-2021.se"
    sie_file.write_bytes(kramfors_2021_sie())

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(economist.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Budget", exact=True).click()
    page.get_by_role("link", name="Bokföring (SIE)").click()

    page.get_by_label("SIE-fil (typ 4E eller 4I)").set_input_files(str(sie_file))
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokföringen är importerad.")
    expect(page.get_by_role("cell", name="kramfors-2021.se")).to_be_visible()

    page.get_by_role("link", name="Till uppföljningen").click()
    page.get_by_label("Brytdatum").fill("2021-06-30")
    page.get_by_role("button", name="Visa").click()
    row = page.get_by_role("row").filter(has_text="Summa personalkostnader")
    # Budget 797 000, actual January–June 396 600, projected 793 200 for the year.
    assert normalized(row.inner_text()).startswith(
        "Summa personalkostnader 797 000 kr 396 600 kr 396 600 kr 793 200 kr framräknad 3 800 kr"
    )

    row.get_by_text("Ändra").click()
    row.get_by_label("Prognos helår (kr)").fill("810 000")
    row.get_by_label("Kommentar").fill("Lönerevision i april")
    row.get_by_role("button", name="Spara").click()

    expect(page.get_by_role("status")).to_contain_text("Prognosen är sparad.")
    row = page.get_by_role("row").filter(has_text="Summa personalkostnader")
    text = normalized(row.inner_text())
    assert "810 000 kr" in text and "-13 000 kr" in text and "Lönerevision i april" in text
    assert "framräknad" not in text.split("810 000 kr")[1][:20]
    screenshot("economy-follow-up-after-forecast")
