"""The update services write only what their edit forms send, through the one audited write."""

import pytest

from finsam.core.actors import SYSTEM
from finsam.organisation import forms, services
from finsam.organisation.models import AuditEvent

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("form", "allowed"),
    [
        (forms.AssociationForm, services.ASSOCIATION_FIELDS),
        (forms.MemberForm, services.MEMBER_FIELDS),
        (forms.BoardSeatForm, services.BOARD_SEAT_FIELDS),
        (forms.MeetingForm, services.MEETING_FIELDS),
        (forms.CycleItemForm, services.CYCLE_ITEM_FIELDS),
    ],
)
def test_an_update_allows_exactly_what_its_form_sends(form, allowed):
    assert list(form.Meta.fields) == list(allowed)


def test_an_update_refuses_a_field_its_form_does_not_send(association, other_association):
    member = association.members.first()
    with pytest.raises(ValueError, match="association"):
        services.member_update(member=member, data={"association": other_association}, by=SYSTEM)
    member.refresh_from_db()
    assert member.association == association
    assert not AuditEvent.objects.filter(event="member.updated").exists()


def test_an_update_without_an_actor_is_refused(association):
    member = association.members.first()
    with pytest.raises(TypeError):
        services.member_update(member=member, data={"key": 3}, by=None)
    assert not AuditEvent.objects.filter(event="member.updated").exists()
