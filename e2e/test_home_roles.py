"""The home page as each demo role sees it: the work list first, then the money at a glance for the
roles that read the economy. One browser, one login after another; a full-page screenshot per role
in test-results/home-<role>.png (looked at by a person, not compared by pixels)."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from e2e.axe import assert_accessible
from e2e.login import answer_second_factor
from finsam.demo.management.commands.load_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET

pytestmark = pytest.mark.django_db(transaction=True)

# (role, demo login, association, a work-list heading the demo data gives the role, or None when
# nothing waits for it; whether the money panel shows). The two logins with a second factor
# (staff, privacy) stand apart so that their codes fall in different 30-second windows.
ROLES = [
    ("staff", "insats", "kramfors", re.compile(r"\d+ styrgrupps? ligger efter"), False),
    ("office", "kansli", "kramfors", re.compile(r"\d+ rapporter att granska"), True),
    ("economist", "ekonom", "kramfors", re.compile(r"\d+ rekvisitions? att godkänna"), True),
    ("advisory", "beredning", "vastra-malardalen", re.compile(r"1 ansökan väntar"), False),
    ("board", "styrelse", "kramfors", None, True),
    ("auditor", "revisor", "kramfors", None, True),
    ("member_org", "medlem", "kramfors", None, False),
    ("privacy", "dataskydd", "kramfors", None, False),
]


def log_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    answer_second_factor(page, secret=DEMO_TOTP_SECRET, username=username)


def test_each_demo_role_sees_what_waits_for_it(live_server, page: Page, screenshot):
    call_command("load_demo", stdout=io.StringIO())
    base = live_server.url
    for role, username, slug, heading, money in ROLES:
        log_in(page, base, username)
        # Kramfors' demo budget and ledger are for 2021: the money panel is asked for that year.
        page.goto(f"{base}/f/{slug}/" + ("?ar=2021" if money else ""))
        work_list = page.locator("section.work-list")
        expect(work_list.get_by_role("heading", name="Väntar på dig", exact=True)).to_be_visible()
        if heading is None:
            expect(work_list).to_contain_text("Inget väntar på dig just nu.")
        else:
            group = work_list.locator("section.work-group").filter(
                has=page.get_by_role("heading", name=heading)
            )
            expect(group).to_have_count(1)
            # A real item: a link to where the task is done.
            expect(group.get_by_role("listitem").first.get_by_role("link")).to_be_visible()
        money_heading = page.get_by_role("heading", name="Ekonomin 2021 i korthet")
        if money:
            expect(money_heading).to_be_visible()
            expect(page.locator("table.money-figures")).to_contain_text("2 592 000 kr")
            expect(page.locator("figure.chart svg")).to_be_visible()
        else:
            expect(page.locator("#money-heading")).to_have_count(0)
        screenshot(f"home-{role}")
        if role in ("office", "staff"):  # the page with the most on it, and one without money
            assert_accessible(page)
        page.get_by_role("button", name="Logga ut").click()
        page.wait_for_url(lambda url: "/f/" not in url)
