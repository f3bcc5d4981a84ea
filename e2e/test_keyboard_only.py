"""The everyday journeys work with the keyboard alone: no mouse, every control reachable with Tab,
activated with Enter or Space, focus visible."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from finsam.accounts.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def focused_text(page: Page) -> str:
    return page.evaluate(
        "() => (document.activeElement.innerText || document.activeElement.value"
        " || document.activeElement.getAttribute('aria-label') || '').trim()"
    )


def tab_to(page: Page, text: str, limit: int = 80) -> None:
    """Press Tab until the focused control's text is `text` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if focused_text(page) == text:
            outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert outline != "none", f"no visible focus on {text!r}"
            return
    raise AssertionError(f"{text!r} cannot be reached with Tab")


def tab_to_field(page: Page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")


def test_office_sets_contributions_with_the_keyboard_only(live_server, page: Page, screenshot):
    association = association_with_members(
        name="Samordningsförbundet Tangentbord",
        slug="tangentbord",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    user = user_with_role(association, Role.OFFICE)

    page.goto(f"{live_server.url}/konto/logga-in/")
    tab_to(page, "Hoppa till innehållet")
    tab_to_field(page, "id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Samordningsförbundet Tangentbord")).to_be_visible()

    tab_to(page, "Medlemsavgifter")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Lägg in ett år")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Medlemsavgifter för ett nytt år")).to_be_visible()

    tab_to_field(page, "id_year")
    page.keyboard.press("Control+a")
    page.keyboard.type("2027")
    page.keyboard.press("Tab")
    page.keyboard.type("3 000 000")
    tab_to(page, "Föreslå fördelning")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Köpings kommun")).to_have_value(re.compile(r"375\s000"))
    tab_to(page, "Spara")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Medlemsavgifterna är sparade.")
    row = page.get_by_role("row").filter(has_text="Köpings kommun")
    expect(row).to_contain_text(re.compile(r"375\s000\skr"))
    screenshot("keyboard-only-contributions")
