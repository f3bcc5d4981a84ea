"""An agenda item's proposal and draft decision: entered with the item, shown on the meeting page,
audited, and refused with a Swedish message at the field when too long or holding an identity
number."""

from __future__ import annotations

import datetime as dt

import pytest

from finsam.organisation.models import AgendaItem, AuditEvent, Role
from finsam.organisation.tests.factories import MeetingFactory
from finsam.organisation.tests.test_views import field_errors, url


@pytest.fixture
def meeting(association):
    return MeetingFactory(association=association, date=dt.date(2027, 3, 26))


def test_proposal_and_draft_decision_are_saved_shown_and_audited(
    client, login_as, association, meeting
):
    user = login_as(Role.OFFICE)
    response = client.post(
        url("agenda_item_create", association, meeting.pk),
        {
            "title": "Årsredovisning 2026",
            "proposal": "Kansliet har upprättat årsredovisningen.\nRevisorerna har fått den.",
            "draft_decision": "Styrelsen beslutar att fastställa årsredovisningen för 2026.",
        },
        follow=True,
    )
    html = response.content.decode()
    assert "Kansliet har upprättat årsredovisningen.<br>Revisorerna har fått den." in html
    assert "Förslag till beslut" in html
    item = AgendaItem.objects.get(meeting=meeting, title="Årsredovisning 2026")
    assert item.draft_decision == "Styrelsen beslutar att fastställa årsredovisningen för 2026."
    event = AuditEvent.objects.filter(association=association).order_by("-id").first()
    assert (event.event, event.actor) == ("agenda_item.created", user)
    assert event.after["proposal"].startswith("Kansliet har upprättat")
    assert event.after["draft_decision"] == item.draft_decision


def test_the_texts_are_optional(client, login_as, association, meeting):
    login_as(Role.OFFICE)
    client.post(url("agenda_item_create", association, meeting.pk), {"title": "Meddelanden"})
    item = AgendaItem.objects.get(meeting=meeting)
    assert (item.proposal, item.draft_decision) == ("", "")


def test_a_too_long_draft_decision_is_refused_at_the_field(client, login_as, association, meeting):
    login_as(Role.OFFICE)
    response = client.post(
        url("agenda_item_create", association, meeting.pk),
        {"title": "Långt ärende", "draft_decision": "x" * 5001},
    )
    assert response.status_code == 400
    assert "som mest 5000 tecken" in field_errors(response.content.decode(), "draft_decision")
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_an_identity_number_in_the_proposal_is_refused(client, login_as, association, meeting):
    login_as(Role.OFFICE)
    response = client.post(
        url("agenda_item_create", association, meeting.pk),
        {"title": "Ärende", "proposal": "Gäller 19121212-1212, se bilaga."},
    )
    assert response.status_code == 400
    assert "Personnummer" in field_errors(response.content.decode(), "proposal")
    assert not AgendaItem.objects.filter(meeting=meeting).exists()


def test_the_board_cannot_add_agenda_items(client, login_as, association, meeting):
    login_as(Role.BOARD)
    response = client.post(
        url("agenda_item_create", association, meeting.pk),
        {"title": "Ärende", "draft_decision": "Styrelsen beslutar."},
    )
    assert response.status_code == 403
    assert not AgendaItem.objects.filter(meeting=meeting).exists()
