"""The everyday journeys work with the keyboard alone: no mouse, every control reachable with Tab,
activated with Enter or Space, focus visible."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def focused_text(page: Page) -> str:
    return page.evaluate(
        "() => (document.activeElement.innerText || document.activeElement.value"
        " || document.activeElement.getAttribute('aria-label') || '').trim()"
    )


def tab_to(page: Page, text: str | re.Pattern, limit: int = 80) -> None:
    """Press Tab until the focused control's text is `text` (as a keyboard user would)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = focused_text(page)
        if found == text or (isinstance(text, re.Pattern) and text.search(found)):
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

    tab_to(page, "Medlemsbidrag")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Lägg in ett år")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Medlemsbidrag för ett nytt år")).to_be_visible()

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
    expect(page.get_by_role("status")).to_contain_text("Medlemsbidragen är sparade.")
    row = page.get_by_role("row").filter(has_text="Köpings kommun")
    expect(row).to_contain_text(re.compile(r"375\s000\skr"))
    screenshot("keyboard-only-contributions")


def focus_is_visible(page: Page) -> bool:
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; }"
    )


def type_into(page: Page, element_id: str, text: str) -> None:
    """Tab to the field (focus visible on it), then type as a keyboard user does."""
    tab_to_field(page, element_id)
    assert focus_is_visible(page), f"no visible focus on #{element_id}"
    page.keyboard.type(text)


def described_by(page: Page, element_id: str) -> str:
    """The text of the elements the field's aria-describedby names (all must exist)."""
    return page.evaluate(
        """(id) => {
            const ids = (document.getElementById(id).getAttribute('aria-describedby') || '')
                .split(/\\s+/).filter(Boolean);
            return ids.map(i => {
                const el = document.getElementById(i);
                if (!el) throw new Error('aria-describedby names a missing #' + i);
                return el.innerText;
            }).join(' ');
        }""",
        element_id,
    )


def test_member_org_writes_and_submits_an_application_with_the_keyboard_only(
    live_server, page: Page, screenshot
):
    from finsam.funding.models import Application
    from finsam.organisation.models import Membership

    association = association_with_members(
        name="Samordningsförbundet Tangentbord",
        slug="tangentbord",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user).update(
        member=association.members.get(name="Köpings kommun")
    )

    page.goto(f"{live_server.url}/konto/logga-in/")
    tab_to_field(page, "id_username")
    page.keyboard.type(user.username)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Samordningsförbundet Tangentbord")).to_be_visible()

    tab_to(page, "Ansökningar")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    tab_to(page, "Ny ansökan")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Ny ansökan")).to_be_visible()

    type_into(page, "id_title", "Unga i arbete")
    # Their own organisation is ticked; Arboga joins with Space.
    for _ in range(20):
        page.keyboard.press("Tab")
        label = page.evaluate(
            "() => document.activeElement.labels && document.activeElement.labels.length"
            " ? document.activeElement.labels[0].innerText.trim() : ''"
        )
        if label == "Arboga kommun":
            break
    else:
        raise AssertionError("the applicant Arboga kommun cannot be reached with Tab")
    assert focus_is_visible(page)
    page.keyboard.press("Space")
    expect(page.get_by_label("Arboga kommun")).to_be_checked()
    expect(page.get_by_label("Köpings kommun")).to_be_checked()
    type_into(page, "id_share_individual", "60")
    type_into(page, "id_share_process_support", "30")  # 90 %: refused below
    type_into(page, "id_target_group", "Unga vuxna som varken arbetar eller studerar")
    type_into(page, "id_age_from", "16")
    page.keyboard.press("Tab")
    page.keyboard.type("29")
    # The purpose is left out on purpose: the submission names it.
    # A date field is typed in the order the browser shows its parts (Chromium here: mm/dd/yyyy).
    type_into(page, "id_period_start", "01012026")
    type_into(page, "id_period_end", "12312026")
    expect(page.locator("#id_period_start")).to_have_value("2026-01-01")
    expect(page.locator("#id_period_end")).to_have_value("2026-12-31")
    type_into(page, "id_owner", "Köpings kommun, AME")
    type_into(page, "id_responsible_manager", "Förvaltningschef")
    type_into(page, "id_project_lead", "Enhetschef")
    type_into(page, "id_goals-0-text", "Antal ärenden per år")
    page.keyboard.press("Tab")
    page.keyboard.type("≥ 30 ärenden per år")
    type_into(page, "id_budget-0-year", "2026")
    page.keyboard.press("Tab")
    page.keyboard.type("Coach 100 %")
    page.keyboard.press("Tab")
    page.keyboard.type("450 000")
    tab_to(page, "Spara och skicka in")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Refused: the summary takes the focus, is announced, and links each problem to its field.
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert focus_is_visible(page)
    expect(summary).to_have_attribute("role", "alert")
    expect(summary).to_contain_text("ska tillsammans vara 100 %")
    share = page.locator("#id_share_process_support")
    expect(share).to_have_attribute("aria-invalid", "true")
    assert "ska tillsammans vara 100 %" in described_by(page, "id_share_process_support")
    assert "Tillsammans 100 %" in described_by(page, "id_share_individual")
    assert not Application.objects.exists()
    screenshot("keyboard-only-application-share-error")

    # From the summary's link straight to the shares, with Enter; then on to the wrong one.
    tab_to(page, re.compile(r"^Typ av insats: Andelarna"))
    page.keyboard.press("Enter")
    expect(page.locator("#id_share_individual")).to_be_focused()
    assert focus_is_visible(page)
    tab_to_field(page, "id_share_process_support")
    assert focus_is_visible(page)
    page.keyboard.press("Control+a")
    page.keyboard.type("40")
    page.keyboard.press("Tab")  # leaving the field: the now valid draft is saved automatically
    expect(page.locator("#autosave-status")).to_contain_text("Utkastet sparat", timeout=10_000)
    assert Application.objects.get().status == Application.Status.DRAFT
    tab_to(page, "Spara och skicka in")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The submission needs the purpose: named in the summary, linked to the field.
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Syfte: Beskriv syftet.")
    purpose = page.locator("#id_purpose")
    expect(purpose).to_have_attribute("aria-invalid", "true")
    assert "Beskriv syftet." in described_by(page, "id_purpose")
    assert Application.objects.get().status == Application.Status.DRAFT
    tab_to(page, "Syfte: Beskriv syftet.")
    page.keyboard.press("Enter")
    expect(purpose).to_be_focused()
    page.keyboard.type("Egen försörjning genom arbete")
    # Shift+Tab back to the title and forward again: nothing traps the focus.
    for _ in range(40):
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => document.activeElement.id") == "id_title":
            break
    else:
        raise AssertionError("Shift+Tab never reached the title")
    assert focus_is_visible(page)
    tab_to(page, "Spara och skicka in")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.get_by_role("status")).to_contain_text("Ansökan är inskickad.")
    application = Application.objects.get()
    assert application.status == Application.Status.SUBMITTED
    assert application.purpose == "Egen försörjning genom arbete"
    assert {m.name for m in application.applicants.all()} == {"Köpings kommun", "Arboga kommun"}
    assert {s.kind: s.percent for s in application.kind_shares.all()} == {
        "individual": 60,
        "process_support": 40,
    }
    screenshot("keyboard-only-application-submitted")
