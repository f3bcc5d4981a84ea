"""Autosave of applications: a new application becomes a draft with its first valid autosave,
later autosaves update that draft, and nothing half-valid is ever saved."""

from __future__ import annotations

import lxml.html
import pytest

from finsam.funding.models import Application
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_views import application_post, url
from finsam.organisation.models import AuditEvent, Membership, Role
from finsam.organisation.tests.factories import user_with_role

HTMX = {"HX-Request": "true"}


@pytest.fixture
def applicant(association):
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user).update(
        member=association.members.get(name="Köpings kommun")
    )
    return user


def draft_input(body: str) -> str:
    [field] = lxml.html.fromstring(f"<div>{body}</div>").xpath('//input[@name="draft"]')
    return field.get("value")


def test_the_new_application_page_autosaves_to_the_new_draft_endpoint(
    client, association, applicant
):
    client.force_login(applicant)
    page = client.get(url("application_create", association)).content.decode()
    doc = lxml.html.fromstring(page)
    [form] = doc.xpath('//form[contains(@class, "application-form")]')
    assert form.get("hx-post") == url("application_autosave_new", association)
    assert "queue last" in form.get("hx-sync")
    [status] = doc.xpath('//*[@id="autosave-status"]')
    assert status.get("role") == "status"
    assert status.get("aria-live") == "polite"
    assert form.xpath('.//input[@name="draft"]')[0].get("value") == ""


def test_first_autosave_creates_the_draft_and_later_ones_update_it(client, association, applicant):
    client.force_login(applicant)
    events = AuditEvent.objects.count()
    response = client.post(
        url("application_autosave_new", association),
        application_post(association, title="Skrivs just nu", draft=""),
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Utkastet sparat" in body
    assert "<html" not in body
    application = Application.objects.get()
    assert application.title == "Skrivs just nu"
    assert application.status == Application.Status.DRAFT
    assert application.created_by == applicant
    assert AuditEvent.objects.count() > events
    edit = url("application_edit", association, application.pk)
    assert response["HX-Replace-Url"] == edit
    # The answer hands the form the draft's id (out of band), so the next autosave updates it.
    assert draft_input(body) == str(application.pk)
    assert 'hx-swap-oob="true"' in body

    response = client.post(
        url("application_autosave_new", association),
        application_post(association, title="Skrivs fortfarande", draft=str(application.pk)),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "Utkastet sparat" in response.content.decode()
    assert "HX-Replace-Url" not in response
    assert Application.objects.count() == 1
    application.refresh_from_db()
    assert application.title == "Skrivs fortfarande"
    # A reload of the address the browser now shows is the draft's edit page with the text.
    page = client.get(edit).content.decode()
    assert "Skrivs fortfarande" in page
    assert url("application_autosave", association, application.pk) in page


def test_autosave_of_a_half_filled_new_application_saves_nothing_and_says_what_is_missing(
    client, association, applicant
):
    client.force_login(applicant)
    events = AuditEvent.objects.count()
    response = client.post(
        url("application_autosave_new", association),
        {
            "title": "Bara en rubrik",
            "draft": "",
            **{
                k: v
                for k, v in application_post(association).items()
                if k.endswith("_FORMS") or k.endswith("NUM_FORMS")
            },
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Inte sparat ännu" in body
    assert "Period från" in body
    assert "Typ av insats" in body
    # Quiet: no alert role and no per-field error list, only the status line's text.
    assert "role=" not in body
    assert "errorlist" not in body
    assert "HX-Replace-Url" not in response
    assert 'name="draft"' not in body
    assert Application.objects.count() == 0
    assert AuditEvent.objects.count() == events


def test_explicit_save_still_validates_fully(client, association, applicant):
    client.force_login(applicant)
    response = client.post(
        url("application_create", association),
        application_post(association, share_individual="30", share_process_support="30"),
    )
    assert response.status_code == 400
    assert "ska tillsammans vara 100" in response.content.decode()
    assert Application.objects.count() == 0


def test_a_save_that_overtakes_the_address_change_updates_the_autosaved_draft(
    client, association, applicant
):
    client.force_login(applicant)
    application = f.draft(association, by=applicant)
    response = client.post(
        url("application_create", association),
        application_post(association, title="Sparad med knappen", draft=str(application.pk)),
    )
    assert response.status_code == 302
    assert Application.objects.count() == 1
    application.refresh_from_db()
    assert application.title == "Sparad med knappen"


def test_autosave_new_never_reaches_someone_elses_or_a_submitted_application(
    client, association, other_association, applicant
):
    office = user_with_role(association, Role.OFFICE)
    theirs = f.draft(
        association, by=office, applicants=[association.members.get(name="Arboga kommun")]
    )
    mine = f.submitted(association, by=applicant)
    client.force_login(applicant)
    response = client.post(
        url("application_autosave_new", association),
        application_post(association, title="Kapat", draft=str(theirs.pk)),
        headers=HTMX,
    )
    assert response.status_code == 404
    response = client.post(
        url("application_autosave_new", association),
        application_post(association, title="Kapat", draft=str(mine.pk)),
        headers=HTMX,
    )
    assert response.status_code == 403
    assert not Application.objects.filter(title="Kapat").exists()
    client.force_login(user_with_role(other_association, Role.MEMBER_ORG))
    response = client.post(
        url("application_autosave_new", association),
        application_post(association, title="Kapat", draft=""),
        headers=HTMX,
    )
    assert response.status_code == 404
    assert not Application.objects.filter(title="Kapat").exists()


@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR, Role.STAFF, Role.ECONOMIST])
def test_roles_that_do_not_write_applications_cannot_autosave_one(
    client, login_as, association, role
):
    login_as(role)
    response = client.post(
        url("application_autosave_new", association),
        application_post(association, draft=""),
        headers=HTMX,
    )
    assert response.status_code == 403
    assert Application.objects.count() == 0


def posted_form(page: str) -> dict:
    """What the browser posts for the application form as rendered (ticked boxes only)."""
    [form] = lxml.html.fromstring(page).xpath('//form[contains(@class, "application-form")]')
    data = dict(form.form_values())
    data["applicants"] = [
        box.get("value") for box in form.xpath('.//input[@name="applicants"][@checked]')
    ]
    return data


@pytest.mark.parametrize("how", ["save", "autosave"])
def test_saving_a_draft_without_touching_its_rows_keeps_them(client, association, applicant, how):
    """Goals, budget lines and the steering group posted unchanged are kept, not dropped."""
    application = f.draft(association, by=applicant)
    client.force_login(applicant)
    data = posted_form(client.get(url("application_edit", association, application.pk)).content)
    data["title"] = "Bara rubriken ändrad"
    if how == "save":
        response = client.post(
            url("application_edit", association, application.pk), {**data, "action": "save"}
        )
        assert response.status_code == 302
    else:
        response = client.post(
            url("application_autosave", association, application.pk), data, headers=HTMX
        )
        assert "Utkastet sparat" in response.content.decode()
    application.refresh_from_db()
    assert application.title == "Bara rubriken ändrad"
    assert [g.text for g in application.goals.all()] == [
        "Antal ärenden per år",
        "Nöjda deltagare",
        "Stegförflyttning",
    ]
    assert application.budget_lines.count() == 2
    assert application.steering_group.count() == 2


def test_a_row_marked_for_removal_is_removed(client, association, applicant):
    application = f.draft(association, by=applicant)
    client.force_login(applicant)
    data = posted_form(client.get(url("application_edit", association, application.pk)).content)
    data["goals-1-DELETE"] = "on"
    response = client.post(
        url("application_edit", association, application.pk), {**data, "action": "save"}
    )
    assert response.status_code == 302
    assert [g.text for g in application.goals.all()] == ["Antal ärenden per år", "Stegförflyttning"]
