"""Compare and report: the office lets its key figures be shown publicly and builds a report;
a visitor without login reads the public comparison; the installation administrator compares
every association. Each page passes axe-core (WCAG 2.1 AA) with zero violations."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from e2e.axe import assert_accessible
from e2e.login import answer_second_factor
from finsam.funding.tests import factories as funding_factories
from finsam.insights.models import ComparisonConsent, SavedReport
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import (
    UserFactory,
    association_with_members,
    user_with_role,
    with_second_factor,
)

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"  # UserFactory's password
YEAR = dt.date.today().year


def log_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    answer_second_factor(page, username=username)


def _association(name, slug, county, title, amount):
    association = association_with_members(
        name=name, slug=slug, municipalities={f"{name} kommun": "1"}
    )
    association.county = county
    association.save()
    funding_factories.intervention(
        association,
        fields={"title": title, "period_start": dt.date(YEAR, 1, 1), "period_end": None},
        grants=[(YEAR, Decimal(amount), f"VP {YEAR}")],
        kind_shares={"individual": 60, "process_support": 40},
    )
    return association


def test_office_opts_in_visitor_compares_and_administrator_sees_all(live_server, page: Page):
    base = live_server.url
    open_one = _association(
        "Samordningsförbundet Öppet", "oppet", "Västmanlands län", "Samkraft", "500000"
    )
    closed = _association(
        "Samordningsförbundet Stängt", "stangt", "Västmanlands län", "Steget", "300000"
    )
    office = user_with_role(open_one, Role.OFFICE)

    # The office says yes to the public comparison.
    log_in(page, base, office.username)
    page.goto(f"{base}/f/oppet/insikter/")
    assert_accessible(page)
    page.get_by_role(
        "link", name="Välj om våra nyckeltal visas på den öppna jämförelsesidan"
    ).click()
    page.get_by_label("Visa våra nyckeltal på den öppna jämförelsesidan").check()
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text("Sparat.")
    assert ComparisonConsent.objects.get(association=open_one).public
    assert_accessible(page)

    # The office builds a report of the interventions, previews it and saves it.
    page.goto(f"{base}/f/oppet/insikter/rapporter/ny/")
    page.get_by_label("Datamängd").select_option("interventions")
    page.get_by_role("button", name="Välj datamängd").click()
    page.get_by_label("Insats", exact=True).check()
    page.get_by_label("Beviljad").check()
    page.get_by_role("button", name="Visa förhandsgranskning").click()
    expect(page.get_by_role("cell", name="Samkraft")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Rapportens namn").fill("Insatser och beviljat")
    page.get_by_role("button", name="Spara rapporten").click()
    expect(page.get_by_role("heading", name="Insatser och beviljat")).to_be_visible()
    assert SavedReport.objects.get().columns == ["title", "granted"]
    assert_accessible(page)

    # A visitor without login: only the association that opted in, rolled up per county.
    page.context.clear_cookies()
    page.goto(f"{base}/jamfor/?ar={YEAR}")
    expect(page.get_by_role("heading", name="Samordningsförbund i jämförelse")).to_be_visible()
    expect(page.get_by_role("rowheader", name="Samordningsförbundet Öppet")).to_have_count(2)
    expect(page.get_by_text("Samordningsförbundet Stängt")).to_have_count(0)
    expect(page.get_by_text("Samkraft")).to_have_count(0)
    assert_accessible(page)

    # The installation administrator compares every association of the installation.
    admin = with_second_factor(UserFactory(is_installation_admin=True))
    log_in(page, base, admin.username)
    page.goto(f"{base}/installation/")
    page.get_by_role("link", name="Jämför förbund").click()
    expect(page.get_by_role("rowheader", name=closed.name)).to_have_count(2)
    expect(page.get_by_role("rowheader", name="Västmanlands län")).to_have_count(2)
    assert_accessible(page)
