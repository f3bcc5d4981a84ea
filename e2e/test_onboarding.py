"""A new association from start to first roles: the installation administrator creates it and
invites its office user; the office user opens the one-time link, chooses a password, sets up an
authenticator app (the association requires a second factor of everyone), logs in again with a
code, invites a colleague and gives a person a role — and the audit log says so in words."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from playwright.sync_api import Page, expect

from e2e.login import answer_second_factor, fresh_totp_code
from finsam.organisation.models import Association, Invitation, Membership, Role
from finsam.organisation.tests.factories import UserFactory, user_with_role, with_second_factor

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "hemligt-lösen-123"  # UserFactory's password
OFFICE_PASSWORD = "kansliets-eget-lösen-2027"


def log_in(page: Page, base: str, username: str, password: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()


def test_a_new_association_gets_its_office_and_its_first_roles(live_server, page: Page, screenshot):
    base = live_server.url
    admin = with_second_factor(
        UserFactory(username="ines", first_name="Ines", last_name="Installation")
    )
    admin.is_installation_admin = True
    admin.save()

    # The installation administrator logs in with password and code, and creates the association.
    log_in(page, base, "ines", PASSWORD)
    answer_second_factor(page, username="ines")
    page.get_by_role("link", name="Installation: alla förbund").click()
    page.get_by_role("link", name="Nytt förbund").click()
    page.locator("#id_name").fill("Samordningsförbundet Nyköping")
    page.get_by_label("Kortnamn").fill("nykoping")
    page.get_by_label("Organisationsnummer").fill("222000-1396")
    page.get_by_label("Län").fill("Södermanlands län")
    page.get_by_label("Region(er) (en per rad)").fill("Region Sörmland")
    page.get_by_label("Kommuner (en per rad)").fill("Nyköpings kommun\nOxelösunds kommun")
    expect(
        page.get_by_label("Kräv tvåstegsverifiering av alla förbundets användare")
    ).to_be_checked()
    page.get_by_label("E-post till den första kanslianvändaren").fill("karin@nykoping.se")
    page.get_by_role("button", name="Spara").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Förbundet är skapat och kanslianvändaren inbjuden."
    )
    expect(page.get_by_role("cell", name="Samordningsförbundet Nyköping")).to_be_visible()
    association = Association.objects.get(slug="nykoping")
    assert association.members.count() == 5 and association.require_second_factor

    # The invitation e-mail carries a one-time link; the office user chooses a password.
    assert mail.outbox[-1].to == ["karin@nykoping.se"]
    link = re.search(r"http\S+(/inbjudan/\S+/)", mail.outbox[-1].body).group(1)
    page.context.clear_cookies()
    page.goto(base + link)
    expect(
        page.get_by_text("Du är inbjuden som Kansli i Samordningsförbundet Nyköping")
    ).to_be_visible()
    page.get_by_label("Förnamn").fill("Karin")
    page.get_by_label("Efternamn").fill("Kansli")
    page.locator("#id_password1").fill(OFFICE_PASSWORD)
    page.get_by_label("Lösenord igen").fill(OFFICE_PASSWORD)
    page.get_by_role("button", name="Välj lösenord").click()
    expect(page.get_by_role("status")).to_contain_text("Ditt konto är klart.")

    # First login: the association requires a second factor, so Finsam asks for one first.
    log_in(page, base, "karin@nykoping.se", OFFICE_PASSWORD)
    expect(page.get_by_role("status")).to_contain_text("aktivera tvåstegsverifiering")
    page.locator('main a[href="/konto/2fa/totp/activate/"]').click()
    # Adding a factor asks for the password once more.
    page.locator('main input[name="password"]').fill(OFFICE_PASSWORD)
    page.locator('main button[type="submit"]').first.click()
    expect(page.get_by_role("heading", name="Aktivera en autentiseringsapp")).to_be_visible()
    screenshot("onboarding-authenticator-app")
    secret = page.locator("#authenticator_secret").input_value()
    page.locator('main input[name="code"]').fill(
        fresh_totp_code(secret, username="karin@nykoping.se")
    )
    page.get_by_role("button", name="Aktivera").click()
    page.wait_for_url(lambda url: "/totp/activate/" not in url)

    # Logging in again takes the password and a code from the app.
    log_in(page, base, "karin@nykoping.se", OFFICE_PASSWORD)
    expect(page.get_by_role("heading", name="Logga in: tvåstegsverifiering")).to_be_visible()
    answer_second_factor(page, secret, username="karin@nykoping.se")
    expect(page.get_by_role("link", name="Personer och roller")).to_be_visible()

    # The office invites a colleague and gives a person already here a second role.
    anna = user_with_role(association, Role.MEMBER_ORG, first_name="Anna", last_name="Andersson")
    page.get_by_role("link", name="Personer och roller").click()
    page.get_by_label("E-postadress").fill("erik@nykoping.se")
    page.locator("#id_role").select_option(label="Ekonom")
    page.get_by_role("button", name="Skicka inbjudan").click()
    expect(page.get_by_role("status")).to_contain_text(
        "En inbjudan har skickats till erik@nykoping.se."
    )
    page.get_by_label("Roll för Anna Andersson").select_option(label="Styrelseledamot")
    page.get_by_role("button", name="Ge Anna Andersson rollen").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Anna Andersson har nu rollen Styrelseledamot."
    )
    assert Membership.objects.filter(user=anna, role=Role.BOARD).exists()
    screenshot("onboarding-people")
    assert Invitation.objects.filter(email="erik@nykoping.se", role=Role.ECONOMIST).exists()

    # The audit log tells who gave whom which role, and when.
    page.get_by_role("link", name="Granskningslogg").click()
    log = page.locator("main table")
    expect(log).to_contain_text(
        re.compile(
            r"Karin Kansli gav Anna Andersson rollen styrelseledamot den \d+ \w+ \d{4} kl\. "
        )
    )
    expect(log).to_contain_text("Karin Kansli bjöd in erik@nykoping.se som ekonom den ")
    expect(log).to_contain_text("Karin Kansli tog emot inbjudan som kansli den ")
    expect(log).to_contain_text("Ines Installation gav Karin Kansli rollen kansli den ")
    screenshot("onboarding-audit-log")
