"""Rules a user meets on the pages: whom an application may be for, who approves a payment, and
the per-year money view with what has been requisitioned."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse

from finsam.funding import services
from finsam.funding.models import Application, Requisition
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_views import application_post, field_errors, plain
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


# --- a member organisation applies for itself ----------------------------------------------------


def test_a_member_organisation_user_cannot_apply_for_another_organisation_alone(
    client, association
):
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    client.force_login(f.member_org_user(association, member=koping))

    response = client.post(
        url("application_create", association),
        application_post(association, applicants=[str(arboga.pk)]),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Ansökan innehåller fel. Inget har sparats." in body
    assert "Välj din egen organisation (Köpings kommun) bland de sökande." in field_errors(
        body, "applicants"
    )
    assert not Application.objects.exists()
    assert not AuditEvent.objects.filter(event__startswith="application").exists()

    # Together with their own organisation it is fine.
    response = client.post(
        url("application_create", association),
        application_post(association, applicants=[str(arboga.pk), str(koping.pk)]),
    )
    assert response.status_code == 302
    assert set(Application.objects.get().applicants.all()) == {koping, arboga}


def test_editing_a_draft_into_another_organisations_application_is_refused(client, association):
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    user = f.member_org_user(association, member=koping)
    application = f.draft(association, by=user, applicants=[koping])
    client.force_login(user)
    response = client.post(
        url("application_edit", association, application.pk),
        application_post(association, applicants=[str(arboga.pk)], title="Bytt sökande"),
    )
    assert response.status_code == 400
    assert "Välj din egen organisation" in field_errors(response.content.decode(), "applicants")
    application.refresh_from_db()
    assert list(application.applicants.all()) == [koping]
    assert application.title != "Bytt sökande"


# --- approving payments --------------------------------------------------------------------------


def test_the_office_cannot_approve_its_own_request_on_the_page(client, association, office):
    intervention = f.intervention(association)
    client.force_login(office)
    client.post(
        url("intervention_requisition", association, intervention.pk),
        {
            "grant": intervention.grants.get().pk,
            "kind": "requisition",
            "date": "2021-03-31",
            "amount": "100 000",
        },
    )
    requisition = Requisition.objects.get()
    page = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    requisitions = lxml.html.fromstring(page).get_element_by_id("requisitions")
    assert "Du har själv begärt utbetalningen" in requisitions.text_content()
    assert url("requisition_action", association, requisition.pk, "godkann") not in page

    response = client.post(
        url("requisition_action", association, requisition.pk, "godkann"), follow=True
    )
    assert response.status_code == 200
    assert "Du har själv begärt utbetalningen; en annan person" in (response.content.decode())
    requisition.refresh_from_db()
    assert (requisition.status, requisition.decided_by) == (Requisition.Status.REQUESTED, None)

    economist = f.economist(association)
    client.force_login(economist)
    page = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    assert url("requisition_action", association, requisition.pk, "godkann") in page
    client.post(url("requisition_action", association, requisition.pk, "godkann"))
    requisition.refresh_from_db()
    assert (requisition.status, requisition.decided_by) == (Requisition.Status.APPROVED, economist)


@pytest.mark.parametrize("page", ["intervention_detail", "requisitions"])
def test_no_approve_button_where_the_grant_ceiling_would_refuse_the_approval(
    client, association, office, page
):
    intervention = f.intervention(association)  # 600 000 kr for 2021
    grant = intervention.grants.get()
    first = services.requisition_request(
        grant=grant, amount=Decimal("400000"), date=dt.date(2021, 3, 1), by=office
    )
    second = services.requisition_request(
        grant=grant, amount=Decimal("300000"), date=dt.date(2021, 4, 1), by=office
    )
    economist = f.economist(association)
    services.requisition_transition(requisition=first, to=Requisition.Status.APPROVED, by=economist)
    client.force_login(economist)
    args = [intervention.pk] if page == "intervention_detail" else []
    body = client.get(url(page, association, *args)).content.decode()
    assert url("requisition_action", association, second.pk, "godkann") not in body
    assert "Högst 200\u00a0000\u00a0kr kan betalas ut" in body
    # Rejecting stays possible, and the approval itself is still refused by the service.
    assert url("requisition_action", association, second.pk, "avsla") in body
    client.post(url("requisition_action", association, second.pk, "godkann"))
    second.refresh_from_db()
    assert second.status == Requisition.Status.REQUESTED


# --- the per-year view -------------------------------------------------------------------------


def test_the_year_shows_granted_requisitioned_waiting_approved_paid_and_remaining(
    client, association, office
):
    intervention = f.intervention(association)
    grant = intervention.grants.get()
    economist = f.economist(association)

    def requisition(amount: str, *steps: str) -> None:
        requisition = services.requisition_request(
            grant=grant, amount=Decimal(amount), date=dt.date(2021, 3, 31), by=office
        )
        for to in steps:
            services.requisition_transition(requisition=requisition, to=to, by=economist)

    requisition("120000", "approved", "paid")
    requisition("80000", "approved")
    requisition("30000")
    requisition("45000", "rejected")

    client.force_login(office)
    page = client.get(url("intervention_detail", association, intervention.pk)).content.decode()
    table = lxml.html.fromstring(page).get_element_by_id("grant-years")
    headers = [" ".join(th.text_content().split()) for th in table.xpath(".//thead//th")]
    assert headers == [
        "År",
        "Beviljat",
        "Medfinansiering",
        "Total finansiering",
        "Rekvirerat",
        "Väntar på godkännande",
        "Godkänt",
        "Utbetalt",
        "Kvar",
    ]
    [row] = table.xpath(".//tbody/tr")
    cells = [plain(c.text_content()) for c in row.xpath("./th|./td")]
    assert cells == [
        "2021",
        "600 000 kr",
        "0 kr",  # no co-financing
        "600 000 kr",  # total financing: the grant alone
        "230 000 kr",  # 120 000 paid + 80 000 approved + 30 000 waiting; the rejected not counted
        "30 000 kr",
        "80 000 kr",
        "120 000 kr",
        "400 000 kr",
    ]
