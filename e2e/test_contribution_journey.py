"""A kansli user with roles in two associations sets a year's member contributions.

Everything is done the way a user does it, in headless Chromium against the live server: log in
through the form, switch association in the header, open Medlemsbidrag, let Finsam propose
the split, break it, read the error next to the member's field, fix it and see the saved table.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from finsam.organisation.models import Role
from finsam.organisation.tests.factories import (
    MembershipFactory,
    association_with_members,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)

NBSP = "\u00a0"
PASSWORD = "hemligt-lösen-123"  # UserFactory's password
YEAR = 2027
# 375 000 kr: the state half to Försäkringskassan (Arbetsförmedlingen's key is 0), a quarter to
# the region and a quarter to the municipalities by their keys 50/30/20. All whole kronor.
PROPOSAL = {
    "Försäkringskassan": Decimal("187500"),
    "Arbetsförmedlingen": Decimal("0"),
    "Region Testland": Decimal("93750"),
    "Köpings kommun": Decimal("46875"),
    "Arboga kommun": Decimal("28125"),
    "Kungsörs kommun": Decimal("18750"),
}


def normalized(text: str) -> str:
    """What a reader sees: any run of whitespace (including no-break spaces) as one space."""
    return re.sub(r"\s+", " ", text).strip()


def amount_in(value: str) -> Decimal:
    """An amount as shown in an input: '46875', '46 875', '46875,00' or '46875.00'."""
    return Decimal(re.sub(r"[\s\u00a0\u202f]|kr", "", value).replace(",", "."))


def member_field(page: Page, member: str):
    """The block that holds a member's label, its errors and its input."""
    return page.locator("#contribution-form div.field").filter(has=page.get_by_label(member))


def test_office_user_sets_a_years_contributions(live_server, page: Page, screenshot):
    vastra = association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    norra = association_with_members(name="Samordningsförbundet Norra Provbygden", slug="norra")
    user = user_with_role(vastra, Role.OFFICE, username="karin.kansli")
    MembershipFactory(user=user, association=norra, role=Role.ECONOMIST)

    # Log in through the form.
    page.goto(f"{live_server.url}/konto/logga-in/")
    expect(page.get_by_role("heading", name="Logga in i Finsam")).to_be_visible()
    page.get_by_label("Användarnamn").fill("karin.kansli")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    # Two associations: the pick page lists both.
    expect(page.get_by_role("heading", name="Välj förbund", level=1)).to_be_visible()
    expect(page.get_by_role("link", name=vastra.name)).to_be_visible()
    expect(page.get_by_role("link", name=norra.name)).to_be_visible()

    # Switch association in the header; the select submits on change.
    switcher = page.locator("select#switch-association")
    switcher.select_option(label=norra.name)
    expect(page).to_have_url(f"{live_server.url}/f/norra/")
    expect(page.locator("header.site .brand")).to_have_text(f"Finsam · {norra.name}")
    expect(switcher).to_have_value("norra")
    page.locator("select#switch-association").select_option(label=vastra.name)
    expect(page).to_have_url(f"{live_server.url}/f/vastra-testdalen/")
    expect(page.locator("header.site .brand")).to_have_text(f"Finsam · {vastra.name}")

    # Medlemsbidrag: nothing entered yet.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Medlemsbidrag"
    ).click()
    expect(page.get_by_role("heading", name="Medlemsbidrag per år")).to_be_visible()
    expect(page.get_by_text("Inga medlemsbidrag är inlagda ännu.")).to_be_visible()
    page.get_by_role("link", name="Lägg in ett år").click()
    expect(page.get_by_role("heading", name="Medlemsbidrag för ett nytt år")).to_be_visible()

    # Type the total the Swedish way and ask for the statutory split.
    page.get_by_label("År", exact=True).fill(str(YEAR))
    page.get_by_label("Totalt för året").fill("375 000")
    page.get_by_role("button", name="Föreslå fördelning").click()
    expect(page.get_by_text("Förslag enligt fördelningen")).to_be_visible()
    expect(page.get_by_text("beloppen nedan är ifyllda men inte sparade")).to_be_visible()
    for member, amount in PROPOSAL.items():
        assert amount_in(page.get_by_label(member).input_value()) == amount, member
    # The form kept what was typed.
    expect(page.get_by_label("År", exact=True)).to_have_value(str(YEAR))
    assert amount_in(page.get_by_label("Totalt för året").input_value()) == Decimal("375000")

    # Move 3 125 kr from Arboga to Köping: the total still adds up, the split does not.
    page.get_by_label("Köpings kommun").fill("50 000")
    page.get_by_label("Arboga kommun").fill("25 000")
    page.get_by_role("button", name="Spara").click()
    expect(
        page.get_by_text("Medlemsbidragen är inte sparade. Rätta det som är markerat nedan.")
    ).to_be_visible()
    koping_errors = member_field(page, "Köpings kommun").locator(".errorlist")
    expect(koping_errors).to_be_visible()
    assert normalized(koping_errors.inner_text()) == (
        "Köpings kommun ska enligt fördelningen betala 46 875 kr av totalt 375 000 kr, "
        "inte 50 000 kr (3 125 kr för mycket)."
    )
    # The messages name the member's own field, and only the fields that break the split.
    expect(member_field(page, "Arboga kommun").locator(".errorlist")).to_contain_text(
        "inte 25 000 kr"
    )
    for untouched in ("Försäkringskassan", "Region Testland", "Kungsörs kommun"):
        expect(member_field(page, untouched).locator(".errorlist")).to_have_count(0)
    screenshot("contribution-journey-error")
    # Nothing was saved.
    assert not vastra.contribution_years.exists()

    # Fix it and save.
    page.get_by_label("Köpings kommun").fill("46 875")
    page.get_by_label("Arboga kommun").fill("28 125")
    page.get_by_role("button", name="Spara").click()

    expect(page).to_have_url(f"{live_server.url}/f/vastra-testdalen/medlemsavgifter/")
    expect(page.get_by_text("Medlemsbidragen är sparade.")).to_be_visible()
    table = page.get_by_role("table")
    expect(table.get_by_role("columnheader", name=str(YEAR))).to_be_visible()
    koping_row = table.get_by_role("row").filter(
        has=page.get_by_role("rowheader", name="Köpings kommun")
    )
    koping_cell = koping_row.get_by_role("cell")
    expect(koping_cell).to_have_count(1)
    total_cell = table.locator("tfoot td")
    expect(total_cell).to_have_count(1)
    # Swedish style, grouped with no-break spaces so that an amount never wraps.
    assert koping_cell.inner_text() == f"46{NBSP}875{NBSP}kr"
    assert total_cell.inner_text() == f"375{NBSP}000{NBSP}kr"
    total_row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name="Totalt"))
    assert normalized(total_row.inner_text()) == "Totalt 375 000 kr"

    screenshot("contribution-journey")
