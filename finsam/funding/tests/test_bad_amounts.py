"""Bad amounts on the money forms: negative, not a number, or more than two decimals (öre). Each
is refused with a Swedish message at the field, and nothing is saved."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from finsam.funding.models import Application, Call, Decision, Grant, Intervention, Requisition
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_change import change_post
from finsam.funding.tests.test_views import decision_post, field_errors
from finsam.organisation.models import AgendaItem, AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

NOT_A_NUMBER = ("mycket pengar", "Ange ett belopp i kronor, till exempel 1 500 000")
THREE_DECIMALS = ("1 000,555", "Ange högst två decimaler (ören); beloppet avrundas inte åt dig.")
MUST_BE_POSITIVE = ("-100", "Beloppet måste vara större än 0 kr.")
NOT_NEGATIVE = ("-100", "Beloppet kan inte vara negativt.")


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


def refused_at(response, field: str, message: str) -> None:
    assert response.status_code == 400
    assert message in field_errors(response.content.decode(), field)


@pytest.mark.parametrize(
    ("amount", "message"),
    [MUST_BE_POSITIVE, NOT_A_NUMBER, THREE_DECIMALS],
    ids=["negative", "not-a-number", "three-decimals"],
)
def test_decision_form_refuses_a_bad_amount(client, association, office, amount, message):
    application = f.assessed(association, office=office)
    meeting = f.board_meeting(association)
    events = AuditEvent.objects.count()
    client.force_login(office)
    response = client.post(
        url("decision_create", association, application.pk),
        decision_post(meeting, amount_2022=amount),
    )
    refused_at(response, "amount_2022", message)
    assert "Beslutet är inte registrerat. Inget har sparats." in response.content.decode()
    assert not Decision.objects.exists() and not Intervention.objects.exists()
    assert not AgendaItem.objects.exists()
    assert AuditEvent.objects.count() == events
    application.refresh_from_db()
    assert application.status == Application.Status.ASSESSED


@pytest.mark.parametrize(
    ("amount", "message"),
    [MUST_BE_POSITIVE, NOT_A_NUMBER, THREE_DECIMALS],
    ids=["negative", "not-a-number", "three-decimals"],
)
def test_requisition_request_form_refuses_a_bad_amount(client, association, amount, message):
    intervention = f.intervention(association)
    staff = user_with_role(association, Role.STAFF)
    intervention.staff.add(staff)
    client.force_login(staff)
    response = client.post(
        url("intervention_requisition", association, intervention.pk),
        {
            "grant": intervention.grants.get().pk,
            "kind": "requisition",
            "date": "2021-03-31",
            "amount": amount,
        },
    )
    refused_at(response, "amount", message)
    assert not Requisition.objects.exists()


@pytest.mark.parametrize(
    ("amount", "message"),
    [NOT_NEGATIVE, NOT_A_NUMBER, THREE_DECIMALS],
    ids=["negative", "not-a-number", "three-decimals"],
)
def test_change_decision_form_refuses_a_bad_amount(client, association, office, amount, message):
    intervention = f.approved(association, office=office).intervention
    meeting = f.board_meeting(association, date=dt.date(2022, 5, 20))
    grants = list(Grant.objects.values_list("pk", "amount", "withdrawn_by"))
    client.force_login(office)
    response = client.post(
        url("intervention_change", association, intervention.pk),
        change_post(meeting, amount_2022=amount),
    )
    refused_at(response, "amount_2022", message)
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()
    assert list(Grant.objects.values_list("pk", "amount", "withdrawn_by")) == grants


@pytest.mark.parametrize(
    ("amount", "message"),
    [NOT_NEGATIVE, NOT_A_NUMBER, THREE_DECIMALS],
    ids=["negative", "not-a-number", "three-decimals"],
)
def test_call_form_refuses_a_bad_pot(client, association, office, amount, message):
    client.force_login(office)
    data = {
        "title": "Sökbara medel",
        "pot": amount,
        "opens_on": "2021-01-01",
        "closes_on": "2021-12-31",
    }
    refused_at(client.post(url("call_create", association), data), "pot", message)
    assert not Call.objects.exists()
    # The same on a call that exists: its pot stays as it was.
    call = f.CallFactory(association=association, pot=Decimal("569000"))
    response = client.post(url("call_edit", association, call.pk), data)
    refused_at(response, "pot", message)
    call.refresh_from_db()
    assert call.pot == Decimal("569000")
