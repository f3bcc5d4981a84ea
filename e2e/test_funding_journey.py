"""From application to payout and the first report, each person doing their part in headless
Chromium.

A member organisation drafts and submits an application to a call; the advisory group and the
office score it against the association's criteria, and the office alone marks it assessed and
records the board's decision; the intervention appears with its grants and the call's pot
shrinks; the intervention's staff requisition money and the economist approves it, and a
requisition beyond the grant is refused with the amounts named. The board then raises the year's
grant by a change decision, the staff write and submit the delårsrapport, and the office approves
it: the reports dashboard shows it approved.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from e2e.login import answer_second_factor
from finsam.funding.models import Application, Intervention
from finsam.funding.tests.factories import CallFactory, board_meeting, criteria_for
from finsam.organisation.models import Membership, Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "hemligt-lösen-123"  # UserFactory's password


def normalized(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    answer_second_factor(page, username=username)  # staff and the data-protection contact have one


def test_application_to_intervention_to_requisition(live_server, page: Page, screenshot):
    association = association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )
    criteria_for(association)
    today = dt.date.today()
    call = CallFactory(
        association=association,
        title="Sökbara medel",
        pot=Decimal("569000"),
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=30),
    )
    meeting = board_meeting(association, date=today)
    applicant = user_with_role(association, Role.MEMBER_ORG, username="maja.medlem")
    Membership.objects.filter(user=applicant).update(
        member=association.members.get(name="Köpings kommun")
    )
    user_with_role(association, Role.OFFICE, username="karin.kansli")
    user_with_role(association, Role.BOARD, username="siv.styrelse")
    staff = user_with_role(association, Role.STAFF, username="ingrid.insats")
    user_with_role(association, Role.ECONOMIST, username="erik.ekonom")
    user_with_role(
        association,
        Role.ADVISORY,
        username="bengt.beredning",
        first_name="Bengt",
        last_name="Beredning",
    )
    base = live_server.url
    year = today.year

    # 1. The member organisation drafts and submits.
    log_in(page, base, "maja.medlem")
    page.goto(f"{base}/f/vastra-testdalen/utlysningar/{call.pk}/")
    page.get_by_role("link", name="Skriv en ansökan").click()
    page.get_by_label("Namn på insatsen").fill("Unga till arbete")
    expect(page.get_by_label("Köpings kommun")).to_be_checked()  # their own organisation
    page.get_by_label("Individinriktad (%)").fill("50")
    page.get_by_label("Processtödjande (%)").fill("40")
    page.get_by_label("Målgrupp", exact=True).fill("Unga vuxna som varken arbetar eller studerar")
    page.get_by_label("Ålder från").fill("16")
    page.get_by_label("Ålder till").fill("29")
    page.get_by_label("Syfte").fill("Egen försörjning")
    page.get_by_label("Period från").fill(f"{year}-01-01")
    page.get_by_label("Period till och med").fill(f"{year}-12-31")
    page.get_by_label("Projektägare").fill("Köpings kommun, AME")
    page.get_by_label("Ansvarig chef").fill("Förvaltningschef")
    page.get_by_label("Projektledare").fill("Enhetschef")
    page.locator("#id_goals-0-text").fill("Antal ärenden per år")
    page.locator("#id_goals-0-target_value").fill("≥ 30 ärenden per år")
    page.locator("#id_budget-0-year").fill(str(year))
    page.locator("#id_budget-0-cost_line").fill("Coach 100 %")
    page.locator("#id_budget-0-requested").fill("450 000")
    page.get_by_role("button", name="Spara och skicka in").click()
    # Shares of 90 %: refused in Swedish next to the shares, nothing saved.
    expect(page.locator("#kind-shares-error")).to_contain_text(
        "Andelarna för insatstyperna ska tillsammans vara 100 %, nu är de 90 %."
    )
    assert not Application.objects.exists()
    page.get_by_label("Processtödjande (%)").fill("50")
    page.get_by_role("button", name="Spara och skicka in").click()
    expect(page.get_by_text("Ansökan är inskickad.")).to_be_visible()
    expect(page.get_by_role("link", name="Ändra utkastet")).to_have_count(0)

    # 2. The advisory group scores first; only the office can mark the application assessed.
    log_in(page, base, "bengt.beredning")
    page.goto(f"{base}/f/vastra-testdalen/ansokningar/")
    page.get_by_role("link", name="Unga till arbete").click()
    page.get_by_role("link", name="Bedömning", exact=True).click()
    expect(page.get_by_role("button", name="Markera som bedömd")).to_have_count(0)
    for fieldset in page.locator("form fieldset").all():
        fieldset.get_by_label("4 – uppfylls väl", exact=True).check()
    page.locator(".field textarea").first.fill("Tydligt arbetslivsfokus.")
    page.get_by_role("button", name="Spara min bedömning").click()
    expect(page.get_by_text("Din bedömning är sparad.")).to_be_visible()
    expect(page.get_by_role("button", name="Markera som bedömd")).to_have_count(0)

    # The office scores every criterion too, sees both side by side, and marks it assessed.
    log_in(page, base, "karin.kansli")
    page.goto(f"{base}/f/vastra-testdalen/ansokningar/")
    page.get_by_role("link", name="Unga till arbete").click()
    page.get_by_role("link", name="Bedömning", exact=True).click()
    for fieldset in page.locator("form fieldset").all():
        fieldset.get_by_label("3 – uppfylls", exact=True).check()
    page.get_by_role("button", name="Spara min bedömning").click()
    expect(page.locator("#recommendation")).to_contain_text("Tillstyrks")
    headers = normalized(page.locator("#side-by-side thead").inner_text())
    assert "Bengt Beredning Beredningsgrupp" in headers
    assert re.search(r"Kansli\b", headers.replace("Karin Kansli", ""))
    expect(page.locator("#side-by-side")).to_contain_text("Tydligt arbetslivsfokus.")
    page.get_by_role("button", name="Markera som bedömd").click()

    # 3. A board member records the board's decision: more than the pot is refused first.
    application_url = page.url.split("bedomning")[0]
    log_in(page, base, "siv.styrelse")
    page.goto(application_url)
    page.get_by_role("link", name="Registrera styrelsens beslut").click()
    page.get_by_label("Styrelsesammanträde").select_option(str(meeting.pk))
    page.get_by_label("Paragraf").fill("12")
    page.get_by_label("Beviljad", exact=True).check()
    page.get_by_label(f"Beviljat {year} (kr)").fill("600 000")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.locator("#amounts-error")).to_contain_text("har 569 000 kr kvar att fördela")
    page.get_by_label(f"Beviljat {year} (kr)").fill("400 000")
    page.get_by_role("button", name="Registrera beslutet").click()
    expect(page.get_by_text("Beslutet är registrerat.")).to_be_visible()
    expect(page.get_by_role("heading", name="Unga till arbete", level=1)).to_be_visible()
    years = page.locator("#grant-years")
    assert "400 000 kr" in normalized(years.inner_text())
    page.goto(f"{base}/f/vastra-testdalen/utlysningar/{call.pk}/")
    assert normalized(page.locator("#remaining").inner_text()) == "169 000 kr"

    # 4. The intervention's staff requisition money; more than granted is refused.
    intervention = Intervention.objects.get()
    intervention.staff.add(staff)
    log_in(page, base, "ingrid.insats")
    page.goto(f"{base}/f/vastra-testdalen/insatser/")
    page.get_by_role("link", name="Unga till arbete").click()
    page.get_by_role("link", name="Begär utbetalning (rekvisition)").click()
    page.get_by_label("Datum").fill(f"{year}-03-31")
    page.get_by_label("Belopp (kr)").fill("450 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.locator(".errorlist").last).to_contain_text(
        "Högst 400 000 kr kan betalas ut; det här gäller 450 000 kr."
    )
    page.get_by_label("Belopp (kr)").fill("100 000")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_text("Utbetalningen är begärd.")).to_be_visible()

    # 5. The economist approves and pays; the per-year view follows.
    log_in(page, base, "erik.ekonom")
    page.goto(f"{base}/f/vastra-testdalen/insatser/{intervention.pk}/")
    page.get_by_role("button", name="Godkänn").click()
    page.get_by_role("button", name="Markera som utbetald").click()
    row = normalized(page.locator("#grant-years tbody tr").first.inner_text())
    assert row == f"{year} 400 000 kr 0 kr 400 000 kr 100 000 kr 0 kr 0 kr 100 000 kr 300 000 kr"
    screenshot("funding-journey-intervention")

    # 6. The board raises the year's grant by a change decision; what was paid follows it.
    log_in(page, base, "karin.kansli")
    page.goto(f"{base}/f/vastra-testdalen/insatser/{intervention.pk}/")
    page.get_by_role("link", name="Registrera ändringsbeslut").click()
    page.get_by_label("Styrelsesammanträde").select_option(str(meeting.pk))
    page.get_by_label("Paragraf").fill("13")
    # Below what is already paid: refused at the year, naming the amounts.
    page.get_by_label(f"Beviljat {year} (kr)").fill("50 000")
    page.get_by_role("button", name="Registrera ändringsbeslutet").click()
    expect(page.locator(f"#id_amount_{year}_error")).to_contain_text(
        f"För {year} är 100 000 kr redan godkänt eller utbetalt"
    )
    # More than the call has left: refused above the amounts.
    page.get_by_label(f"Beviljat {year} (kr)").fill("600 000")
    page.get_by_role("button", name="Registrera ändringsbeslutet").click()
    expect(page.locator("#amounts-error")).to_contain_text("har 169 000 kr kvar att fördela")
    page.get_by_label(f"Beviljat {year} (kr)").fill("450 000")
    page.get_by_label("Motivering").fill("Fler unga än väntat i målgruppen.")
    screenshot("funding-journey-change-decision-form")
    page.get_by_role("button", name="Registrera ändringsbeslutet").click()
    expect(page.get_by_text("Ändringsbeslutet är registrerat.")).to_be_visible()
    row = normalized(page.locator("#grant-years tbody tr").first.inner_text())
    assert row == f"{year} 450 000 kr 0 kr 450 000 kr 100 000 kr 0 kr 0 kr 100 000 kr 350 000 kr"
    expect(page.locator("#decisions")).to_contain_text("400 000 kr → 450 000 kr")
    screenshot("funding-journey-intervention-changed")
    page.goto(f"{base}/f/vastra-testdalen/utlysningar/{call.pk}/")
    assert normalized(page.locator("#remaining").inner_text()) == "119 000 kr"

    # 7. The intervention's staff write and submit the delårsrapport.
    log_in(page, base, "ingrid.insats")
    page.goto(f"{base}/f/vastra-testdalen/rapporter/")
    page.get_by_role("link", name=f"Delårsrapport {year}").click()
    page.get_by_role("link", name="Skriv rapporten").click()
    page.get_by_label("Vad har hänt under perioden").fill(
        "Coachen är anställd och 14 unga är inskrivna."
    )
    page.get_by_label("Utfall hittills", exact=True).fill("14 ärenden, 3 i arbete eller studier.")
    page.get_by_label("Prognos för året (kr)").fill("430 000")
    page.get_by_label("Utfall för ”Antal ärenden per år”").fill("14 ärenden hittills")
    page.get_by_role("button", name="Spara och lämna in till kansliet").click()
    expect(page.get_by_text("Rapporten är inlämnad till kansliet.")).to_be_visible()

    # 8. The office reviews and approves it; the dashboard shows it approved.
    log_in(page, base, "karin.kansli")
    page.goto(f"{base}/f/vastra-testdalen/rapporter/")
    page.get_by_role("link", name=f"Delårsrapport {year}").click()
    page.get_by_label("Godkänn rapporten").check()
    page.get_by_label("Kommentar till insatsen").fill("Tack, en tydlig rapport.")
    page.get_by_role("button", name="Spara granskningen").click()
    expect(page.get_by_text("Rapporten är godkänd.")).to_be_visible()
    expect(page.locator("#goal-attainment")).to_contain_text("14 ärenden hittills")
    screenshot("funding-journey-report")
    page.get_by_role("link", name="Alla rapporter").click()
    row = page.locator("#reports tbody tr", has_text=f"Delårsrapport {year}")
    expect(row).to_contain_text("Godkänd")
