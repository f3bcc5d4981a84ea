"""A new application saves itself: the applicant types, waits, reloads, and the text is there.

The first autosave that passes the draft's rules creates the draft; the address becomes the
draft's edit page, and later autosaves update the same draft instead of creating new ones.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from finsam.funding.models import Application
from finsam.organisation.models import Membership, Role
from finsam.organisation.tests.factories import association_with_members, user_with_role

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "hemligt-lösen-123"


def is_autosave(response) -> bool:
    return response.request.method == "POST" and "/autospara/" in response.url


def test_a_new_application_is_autosaved_and_survives_a_reload(live_server, page: Page, screenshot):
    association = association_with_members(
        name="Samordningsförbundet Autospar",
        slug="autospar",
        municipalities={"Köpings kommun": "60", "Arboga kommun": "40"},
    )
    user = user_with_role(association, Role.MEMBER_ORG, username="maja.medlem")
    Membership.objects.filter(user=user).update(
        member=association.members.get(name="Köpings kommun")
    )
    base = live_server.url
    page.goto(f"{base}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.goto(f"{base}/f/autospar/ansokningar/ny/")
    status = page.locator("#autosave-status")
    expect(status).to_contain_text("sparas automatiskt")

    # Only a name: not saved yet, and the status line says what is missing, without alarms.
    page.get_by_label("Namn på insatsen").press_sequentially("Unga i arbete")
    expect(status).to_contain_text("Inte sparat ännu", timeout=10_000)
    expect(status).to_contain_text("Period från")
    assert not Application.objects.exists()
    expect(page.locator(".errorlist")).to_have_count(0)

    page.get_by_label("Individinriktad (%)").fill("100")
    page.get_by_label("Period från").fill("2026-01-01")
    page.get_by_label("Syfte").press_sequentially("Egen försörjning genom arbete")
    expect(status).to_contain_text(re.compile(r"Utkastet sparat \d\d:\d\d"), timeout=10_000)
    application = Application.objects.get()
    expect(page).to_have_url(re.compile(rf"/ansokningar/{application.pk}/andra/$"))

    # A later change updates the same draft.
    # The database is read only once the autosave has answered: SQLite's shared in-memory test
    # database locks the table while the live server writes, so polling it races the save.
    with page.expect_response(is_autosave, timeout=15_000):  # keyup waits 3 s after the last key
        page.get_by_label("Målgrupp", exact=True).press_sequentially("Unga vuxna 16–29 år")
    expect(status).to_contain_text(re.compile(r"Utkastet sparat \d\d:\d\d"))
    assert Application.objects.get().target_group == "Unga vuxna 16–29 år"

    page.reload()
    expect(page.get_by_label("Namn på insatsen")).to_have_value("Unga i arbete")
    expect(page.get_by_label("Syfte")).to_have_value("Egen försörjning genom arbete")
    expect(page.get_by_label("Målgrupp", exact=True)).to_have_value("Unga vuxna 16–29 år")
    assert Application.objects.count() == 1
    assert Application.objects.get().status == Application.Status.DRAFT
    screenshot("application-autosave-after-reload")
