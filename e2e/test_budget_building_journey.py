"""An economist builds a budget in the app, has it adopted, imports the actuals, follows up per
30 June and exports the board's table to Excel."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, expect

from finsam.demo.ledger import kramfors_2021_sie
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import AssociationFactory, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def add_line(page: Page, section: str, label: str, account: str) -> None:
    form = page.locator("form").filter(has=page.get_by_role("button", name="Lägg till rad"))
    form.get_by_label("Rapport").select_option(label="Resultatbudget")
    form.get_by_label("Avsnitt").select_option(label=section)
    form.get_by_label("Radtyp").select_option(label="Post")
    form.get_by_role("textbox", name="Rad", exact=True).fill(label)
    form.get_by_label("Konto").fill(account)
    form.get_by_role("button", name="Lägg till rad").click()
    expect(page.get_by_role("status")).to_contain_text("Raden har lagts till.")


def test_build_a_budget_import_actuals_follow_up_and_export(
    live_server, page: Page, screenshot, tmp_path
):
    association = AssociationFactory(slug="nordanstig", name="Samordningsförbundet Nordanstig")
    economist = user_with_role(association, Role.ECONOMIST)
    sie_file = tmp_path / "nordanstig-2021.se"
    sie_file.write_bytes(kramfors_2021_sie())

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(economist.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.get_by_role("link", name="Budget", exact=True).click()

    # Start an empty budget for 2021 and build its lines.
    page.get_by_role("link", name="Ny budget").click()
    page.get_by_label("Budgetår").fill("2021")
    page.get_by_label("Rubrik").fill("Budget 2021")
    page.get_by_label("En tom budget").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name="Rader och avsnitt")).to_be_visible()
    add_line(page, "Verksamhetens intäkter", "Driftbidrag från staten", "3600")
    add_line(page, "Verksamhetens intäkter", "Driftbidrag från kommun och region", "3610")
    add_line(page, "Verksamhetens kostnader", "Löner", "5010")
    add_line(page, "Finansiella poster (netto kostnad)", "Bankkostnader", "8570")

    # Rename a line from the keyboard, and move it up past nothing (it stays first).
    page.get_by_text("Byt namn Löner").focus()
    page.keyboard.press("Enter")
    row = page.get_by_role("row").filter(has_text="Löner")
    row.get_by_role("textbox", name="Rad", exact=True).fill("Personal")
    row.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Raden har sparats.")
    expect(page.get_by_role("rowheader", name="Personal", exact=True)).to_be_visible()
    screenshot("budget-building-lines")

    # Amounts for the budget year.
    page.get_by_role("link", name="Ändra belopp").click()
    for label, amount in [
        ("Driftbidrag från staten", "1 296 000"),
        ("Driftbidrag från kommun och region", "1 296 000"),
        ("Personal", "797 000"),
        ("Bankkostnader", "4 000"),
    ]:
        page.get_by_label(f"{label}, 2", exact=True).fill(amount)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("belopp är sparade")

    # The board adopts it.
    page.get_by_role("link", name="Ändra uppgifter").click()
    page.get_by_label("Status").select_option(label="Beslutad")
    page.get_by_label("Beslut (§)").fill("§ 40, 2020-11-20")
    page.get_by_role("button", name="Spara").click()

    # Import the actuals.
    page.get_by_role("link", name="Budget", exact=True).click()
    page.get_by_role("link", name="Bokföring (SIE)").click()
    page.get_by_label("SIE-fil (typ 4E eller 4I)").set_input_files(str(sie_file))
    page.get_by_role("button", name="Importera", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Bokföringen är importerad.")

    # Follow up per 30 June: the adopted budget counts, the line accounts map the ledger.
    page.get_by_role("link", name="Till uppföljningen").click()
    page.get_by_label("Brytdatum").fill("2021-06-30")
    page.get_by_role("button", name="Visa").click()
    expect(page.get_by_text("Budgeten som styrelsen antog för 2021.")).to_be_visible()
    state = page.get_by_role("row").filter(has_text="Driftbidrag från staten")
    assert normalized(state.first.inner_text()).startswith(
        "Driftbidrag från staten 1 296 000 kr 648 000 kr 648 000 kr 1 296 000 kr enligt budget 0 kr"
    )
    result = page.get_by_role("row").filter(has_text="Årets resultat")
    assert normalized(result.inner_text()).startswith("Årets resultat 1 791 000 kr")
    expect(
        page.get_by_role("heading", name="Konton som inte är mappade till en budgetrad")
    ).to_be_visible()
    screenshot("budget-building-follow-up")

    with page.expect_download() as download:
        page.get_by_role("link", name="Exportera till Excel").click()
    workbook = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    sheet = workbook.active
    assert sheet["A1"].value == "Uppföljning per 2021-06-30 – Samordningsförbundet Nordanstig"
    labels = [row[0].value for row in sheet.iter_rows(min_row=7)]
    assert "Driftbidrag från staten" in labels and "Årets resultat" in labels
