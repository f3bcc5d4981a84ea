"""The board meeting's page shows, per agenda item, what the board decided on it (§, outcome) and
links to the application or intervention; an agenda item that is part of the record is kept."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from finsam.core.actors import SYSTEM
from finsam.funding import services
from finsam.funding.models import Decision
from finsam.funding.tests import factories as f
from finsam.organisation.models import AgendaItem, AuditEvent, Role
from finsam.organisation.services import agenda_item_create, agenda_item_delete
from finsam.organisation.tests.factories import user_with_role

MEETING_DAY = dt.date(2021, 3, 26)


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def meeting(association):
    return f.board_meeting(association, date=MEETING_DAY)


def meeting_url(association, meeting) -> str:
    return reverse("organisation:meeting_detail", args=[association.slug, meeting.pk])


def funding_url(name: str, association, pk: int) -> str:
    return reverse(f"funding:{name}", args=[association.slug, pk])


def item_text(body: str, item: AgendaItem) -> str:
    [li] = lxml.html.fromstring(body).xpath(f'//li[@id="arende-{item.pk}"]')
    return " ".join(li.text_content().split())


def item_links(body: str, item: AgendaItem) -> list[str]:
    [li] = lxml.html.fromstring(body).xpath(f'//li[@id="arende-{item.pk}"]')
    return li.xpath(".//a/@href")


@pytest.fixture
def decided(association, office, meeting):
    """At one meeting: STEGSAM approved at § 12, another application rejected at § 13, a third
    put on the agenda without a decision yet, and an ordinary item."""
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    approved = f.approved(association, office=office, meeting=meeting, applicants=[koping])
    rejected_application = f.assessed(
        association, office=office, applicants=[arboga], fields={"title": "Arbogas försök"}
    )
    rejected = services.decision_record(
        application=rejected_application,
        meeting=meeting,
        paragraph="13",
        outcome=Decision.Outcome.REJECTED,
        by=office,
    )
    waiting = f.assessed(association, office=office, fields={"title": "Väntar på beslut"})
    services.application_put_on_agenda(application=waiting, meeting=meeting, by=office)
    waiting.refresh_from_db()
    plain_item = agenda_item_create(meeting=meeting, title="Ekonomisk rapport", by=office)
    return {
        "approved": approved,
        "rejected": rejected,
        "waiting": waiting,
        "plain": plain_item,
    }


def test_each_agenda_item_shows_its_paragraph_outcome_and_links(
    client, association, office, meeting, decided
):
    client.force_login(office)
    response = client.get(meeting_url(association, meeting))
    assert response.status_code == 200
    body = response.content.decode()

    approved = decided["approved"]
    text = item_text(body, approved.agenda_item)
    assert "Beslut § 12: Beviljad" in text
    assert f"Ansökan: {approved.application.title}" in text
    assert f"Insats: {approved.intervention.title}" in text
    assert item_links(body, approved.agenda_item) == [
        funding_url("application_detail", association, approved.application_id),
        funding_url("intervention_detail", association, approved.intervention_id),
    ]

    rejected = decided["rejected"]
    assert "Beslut § 13: Avslagen" in item_text(body, rejected.agenda_item)
    assert item_links(body, rejected.agenda_item) == [
        funding_url("application_detail", association, rejected.application_id)
    ]

    waiting = decided["waiting"]
    text = item_text(body, waiting.agenda_item)
    assert "Inget beslut registrerat än." in text and "Ansökan: Väntar på beslut" in text

    assert item_text(body, decided["plain"]) == "Ekonomisk rapport Ta bort Ekonomisk rapport"
    # Items that carry a decision or an application offer no delete button.
    doc = lxml.html.fromstring(body)
    for key in ("approved", "rejected"):
        item = decided[key].agenda_item
        assert not doc.xpath(f'//li[@id="arende-{item.pk}"]//button')
    assert not doc.xpath(f'//li[@id="arende-{waiting.agenda_item_id}"]//button')


def test_end_and_change_decisions_say_what_they_do(client, association, office):
    intervention = f.approved(association, office=office).intervention
    later = f.board_meeting(association, date=dt.date(2022, 9, 3))
    change = services.intervention_change(
        intervention=intervention,
        meeting=later,
        paragraph="§ 29",
        amounts={2022: Decimal("650000")},
        by=office,
    )
    end = services.intervention_end(
        intervention=intervention,
        meeting=later,
        paragraph="§ 30",
        ends_on=dt.date(2022, 12, 31),
        by=office,
    )
    client.force_login(office)
    body = client.get(meeting_url(association, later)).content.decode()
    assert "Beslut § 29: Insatsen ändras" in item_text(body, change.agenda_item)
    assert "Beslut § 30: Insatsen avslutas 2022-12-31" in item_text(body, end.agenda_item)
    assert item_links(body, end.agenda_item) == [
        funding_url("intervention_detail", association, intervention.pk)
    ]


def test_a_member_organisation_sees_decisions_only_on_what_it_may_read(
    client, association, meeting, decided
):
    koping = association.members.get(name="Köpings kommun")
    client.force_login(f.member_org_user(association, member=koping))
    body = client.get(meeting_url(association, meeting)).content.decode()
    approved, rejected = decided["approved"], decided["rejected"]
    # Köping's own application: the decision and both links.
    assert "Beslut § 12: Beviljad" in item_text(body, approved.agenda_item)
    # Arboga's rejected application: the agenda item's title only, nothing from funding.
    assert item_text(body, rejected.agenda_item) == "Ansökan: Arbogas försök"
    assert "§ 13" not in body and "Avslagen" not in body
    assert funding_url("application_detail", association, rejected.application_id) not in body


def test_staff_see_decisions_on_their_own_interventions_only(client, association, meeting, decided):
    staff = user_with_role(association, Role.STAFF)
    client.force_login(staff)
    body = client.get(meeting_url(association, meeting)).content.decode()
    assert "§ 12" not in body and "Beviljad" not in body
    approved = decided["approved"]
    approved.intervention.staff.add(staff)
    body = client.get(meeting_url(association, meeting)).content.decode()
    assert "Beslut § 12: Beviljad" in item_text(body, approved.agenda_item)
    # The intervention is theirs; the application behind it is not shown to staff.
    assert item_links(body, approved.agenda_item) == [
        funding_url("intervention_detail", association, approved.intervention_id)
    ]


def test_the_meeting_page_costs_the_same_queries_however_many_decisions(
    client, association, office, meeting
):
    def queries_for_page(expected_decisions: int) -> int:
        client.get(meeting_url(association, meeting))  # warm the per-user caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(meeting_url(association, meeting))
        assert response.content.decode().count("Beslut § ") == expected_decisions
        return len(queries)

    def decide(number: int) -> None:
        f.approved(
            association,
            office=office,
            meeting=meeting,
            paragraph=f"§ {number}",
            fields={"title": f"Insats {number}"},
        )

    client.force_login(office)
    decide(10)
    one = queries_for_page(1)
    for number in (11, 12, 13):
        decide(number)
    assert queries_for_page(4) == one


# --- deleting an agenda item ----------------------------------------------------------------------


@pytest.mark.parametrize("key", ["approved", "waiting"])
def test_an_agenda_item_with_a_decision_or_an_application_is_kept(
    client, association, office, meeting, decided, key
):
    item = decided[key].agenda_item
    client.force_login(office)
    response = client.post(
        reverse("organisation:agenda_item_delete", args=[association.slug, meeting.pk, item.pk]),
        follow=True,
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        f"Ärendet ”{item.title}” kan inte tas bort: ett beslut är registrerat på det eller en "
        "ansökan ligger på dagordningen under det" in body
    )
    assert "Ärendet är borttaget." not in body
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    decided[key].refresh_from_db()
    assert decided[key].agenda_item_id == item.pk
    assert not AuditEvent.objects.filter(event="agenda_item.deleted").exists()


def test_the_service_refuses_whoever_calls_it(association, office, decided):
    item = decided["rejected"].agenda_item
    with pytest.raises(ValidationError, match="kan inte tas bort"):
        agenda_item_delete(item=item, by=SYSTEM)
    assert AgendaItem.objects.filter(pk=item.pk).exists()
    # An ordinary item goes.
    agenda_item_delete(item=decided["plain"], by=office)
    assert not AgendaItem.objects.filter(pk=decided["plain"].pk).exists()


# --- deleting a whole meeting ---------------------------------------------------------------------


def test_a_meeting_with_decisions_or_applications_on_its_agenda_is_kept(
    client, association, office, meeting, decided
):
    client.force_login(office)
    response = client.post(
        reverse("organisation:meeting_delete", args=[association.slug, meeting.pk]), follow=True
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f"Sammanträdet {meeting.date.isoformat()} kan inte tas bort" in body
    assert "Sammanträdet är borttaget." not in body
    meeting.refresh_from_db()  # still there
    decided["waiting"].refresh_from_db()
    assert decided["waiting"].agenda_item.meeting_id == meeting.pk
    assert not AuditEvent.objects.filter(event="meeting.deleted").exists()


def test_a_meeting_with_nothing_recorded_at_it_can_be_removed(client, association, office):
    from finsam.organisation.models import Meeting
    from finsam.organisation.services import meeting_create

    empty = meeting_create(
        association=association, by=office, date=dt.date(2022, 2, 1), agenda=["Information"]
    )
    client.force_login(office)
    response = client.post(
        reverse("organisation:meeting_delete", args=[association.slug, empty.pk]), follow=True
    )
    assert response.status_code == 200
    assert not Meeting.objects.filter(pk=empty.pk).exists()
    assert AuditEvent.objects.filter(event="meeting.deleted").exists()
