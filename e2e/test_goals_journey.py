"""The office sets the year's goals, records an activity's attendance and sees the attainment.

In headless Chromium against the live server, the way a user does it: log in, open "Mål och
aktiviteter", add a goal area, a goal and how it is measured, add a training with attendance per
member organisation, and read on the goals page that the goal is met, with its evidence.
"""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "hemligt-lösen-123"  # UserFactory's password
GOAL = "100 deltagare på de gemensamma utbildningarna"


def test_set_goals_record_attendance_see_attainment(live_server, page: Page, screenshot):
    association = association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    user_with_role(association, Role.OFFICE, username="karin.kansli")
    today = timezone.localdate()

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill("karin.kansli")
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()

    # The year's goals, from the association's menu.
    page.get_by_role("navigation", name="Huvudmeny").get_by_role(
        "link", name="Mål och aktiviteter"
    ).click()
    expect(page.get_by_role("heading", name=f"Mål {today.year}", level=1)).to_be_visible()
    expect(page.get_by_text("Inga mål för året ännu.")).to_be_visible()

    page.get_by_role("link", name="Nytt målområde").click()
    page.get_by_label("Målområde").fill("Metoder och arbetssätt")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Målområdet har lagts till.")).to_be_visible()

    page.get_by_role("link", name="Nytt mål", exact=True).click()
    page.get_by_label("Målområde").select_option(label=f"Metoder och arbetssätt {today.year}")
    page.get_by_role("textbox", name="Mål", exact=True).fill(GOAL)
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("heading", name=GOAL, level=1)).to_be_visible()

    page.get_by_role("link", name="Nytt mått").click()
    page.get_by_label("Mäts genom att").fill("Antal deltagare på utbildningarna")
    page.get_by_label("Typ av mått").select_option(label="Antal, minst N per period")
    page.get_by_label("Datakälla").select_option(label="Målets aktiviteter")
    page.get_by_role("combobox", name="Mått", exact=True).select_option(
        label="Deltagare på aktiviteterna"
    )
    # A wrong target first: the reason is shown at the field and nothing is saved.
    page.get_by_label("Målvärde i siffror").fill("hundra")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Ange ett tal, till exempel 12 eller 12,5.")).to_be_visible()
    page.get_by_label("Målvärde i siffror").fill("100")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Måttet har lagts till.")).to_be_visible()
    expect(page.get_by_text("Värde: 0").first).to_be_visible()  # no activity yet

    # An activity that counts towards the goal, with attendance per member organisation.
    page.goto(f"{live_server.url}/f/vastra-testdalen/aktiviteter/")
    page.get_by_role("link", name="Ny aktivitet").click()
    page.get_by_label("Rubrik").fill("Utbildning i motiverande samtal")
    page.get_by_label("Typ").select_option(label="Utbildning")
    page.get_by_label("Datum").fill(today.isoformat())
    page.get_by_label("Förbundet ensamt").check()
    page.get_by_label(f"{today.year} Metoder och arbetssätt: {GOAL}").check()
    page.get_by_role("button", name="Spara").click()
    expect(
        page.get_by_role("heading", name="Deltagande: Utbildning i motiverande samtal")
    ).to_be_visible()
    page.get_by_label("Köpings kommun: anmälda").fill("64")
    page.get_by_label("Köpings kommun: deltog").fill("60")
    page.get_by_label("Arboga kommun: anmälda").fill("45")
    page.get_by_label("Arboga kommun: deltog").fill("41")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Deltagandet har sparats.")).to_be_visible()
    expect(page.get_by_role("row", name="Totalt 109 101")).to_be_visible()

    # The attainment, live: 101 of 100 participants, met, with the activity as evidence.
    page.get_by_role("link", name="Mål och aktiviteter").first.click()
    row = page.get_by_role("row").filter(has_text=GOAL)
    expect(row).to_contain_text("Värde: 101")
    expect(row.get_by_role("strong").filter(has_text="Uppfyllt").first).to_be_visible()
    row.get_by_text("Underlag").first.click()
    expect(row).to_contain_text("Utbildning i motiverande samtal: 101 deltog")
    screenshot("goals-attainment")

    # The office writes its assessment of the year with the keyboard alone.
    row.get_by_role("link", name=GOAL).click()
    page.locator("body").focus()
    tab_to_field(page, "id_year-verdict_0")  # "Uppfyllt", the first verdict of the full year
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.locator("#id_year-reason")).to_be_focused()
    page.keyboard.type("101 deltagare på utbildningen i motiverande samtal.")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Spara bedömningen").nth(1)).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_text("Bedömningen har sparats.")).to_be_visible()
    expect(page.get_by_text("Kansliets bedömning: Uppfyllt")).to_be_visible()


def tab_to_field(page: Page, element_id: str, limit: int = 120) -> None:
    """Press Tab until the element with `element_id` has the focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with Tab")
