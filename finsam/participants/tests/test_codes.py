"""The office's code lists: new codes, new labels and retiring codes, but never a code moved to
another list or a code in use given another value (the participations would change meaning)."""

from __future__ import annotations

import lxml.html
import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from finsam.core.actors import SYSTEM
from finsam.organisation.access import REFUSALS
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants.models import CodeList, Enrolment, FollowUpCode
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def used(association):
    """The default code "sjukskriven", the entry occupation of one participation."""
    intervention = pf.staffed_intervention(association)
    enrolment = pf.register(association, intervention)
    code = pf.code(association, CodeList.OCCUPATION, "sjukskriven")
    assert enrolment.entry_occupation == code
    return code, enrolment


def codes_url(association) -> str:
    return reverse("participants:codes", args=[association.slug])


def edit_url(association, code) -> str:
    return reverse("participants:code_edit", args=[association.slug, code.pk])


def posted(instance, **changes) -> dict:
    data = {
        "list_name": instance.list_name,
        "code": instance.code,
        "label": instance.label,
        "sort_order": instance.sort_order,
        "is_positive": "on" if instance.is_positive else "",
        "voids_enrolment": "on" if instance.voids_enrolment else "",
        "is_active": "on" if instance.is_active else "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v != ""}


def field_error(html: str, name: str) -> str:
    found = lxml.html.fromstring(html).xpath(f'//*[@id="id_{name}_error"]')
    return found[0].text_content() if found else ""


def state():
    return (
        list(FollowUpCode.objects.order_by("id").values_list("list_name", "code", "label")),
        AuditEvent.objects.count(),
    )


def test_office_creates_a_code(client, login_as, association, used):
    login_as(Role.OFFICE)
    response = client.post(
        codes_url(association),
        {
            "list_name": "exit_reason",
            "code": "studier-utomlands",
            "label": "Studier utomlands",
            "sort_order": "45",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    created = FollowUpCode.objects.get(association=association, code="studier-utomlands")
    assert created.list_name == CodeList.EXIT_REASON and created.label == "Studier utomlands"
    assert AuditEvent.objects.filter(event=Event.FOLLOW_UP_CODE_CREATED).count() == 1
    assert "Studier utomlands" in client.get(codes_url(association)).content.decode()


def test_office_changes_the_label_of_a_code_in_use(client, login_as, association, used):
    code, enrolment = used
    login_as(Role.OFFICE)
    response = client.post(edit_url(association, code), posted(code, label="Sjukskriven, hel tid"))
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.list_name, code.code, code.label) == (
        "occupation",
        "sjukskriven",
        "Sjukskriven, hel tid",
    )
    assert Enrolment.objects.get(pk=enrolment.pk).entry_occupation == code
    row = AuditEvent.objects.get(event=Event.FOLLOW_UP_CODE_UPDATED)
    assert (row.before["label"], row.after["label"]) == ("Sjukskriven", "Sjukskriven, hel tid")


def test_office_retires_a_code_in_use(client, login_as, association, used):
    code, enrolment = used
    login_as(Role.OFFICE)
    response = client.post(edit_url(association, code), posted(code, is_active=""))
    assert response.status_code == 302
    code.refresh_from_db()
    assert code.is_active is False
    assert Enrolment.objects.get(pk=enrolment.pk).entry_occupation == code


def test_no_code_moves_to_another_list(client, login_as, association, used):
    login_as(Role.OFFICE)
    unused = pf.code(association, CodeList.OCCUPATION, "ovrigt")
    for code in (used[0], unused):
        before = state()
        response = client.post(edit_url(association, code), posted(code, list_name="exit_reason"))
        assert response.status_code == 400
        html = response.content.decode()
        assert "kan inte flyttas till en annan lista" in field_error(html, "list_name")
        assert field_error(html, "code") == ""
        assert "Inget har sparats" in html or "innehåller fel" in html
        assert state() == before


def test_a_code_in_use_keeps_its_code(client, login_as, association, used):
    code, enrolment = used
    login_as(Role.OFFICE)
    before = state()
    response = client.post(edit_url(association, code), posted(code, code="sjuk", label="Sjuk"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "används i registrerade deltaganden och kan inte ändras" in field_error(html, "code")
    assert state() == before
    assert Enrolment.objects.get(pk=enrolment.pk).entry_occupation.code == "sjukskriven"
    # The edit page says so before anyone tries.
    page = client.get(edit_url(association, code)).content.decode()
    assert "Kan inte ändras när koden används" in page


def test_a_code_nobody_uses_may_get_another_code(client, login_as, association, used):
    login_as(Role.OFFICE)
    unused = pf.code(association, CodeList.OCCUPATION, "ovrigt")
    response = client.post(edit_url(association, unused), posted(unused, code="annat"))
    assert response.status_code == 302
    unused.refresh_from_db()
    assert unused.code == "annat" and unused.list_name == "occupation"


def test_the_service_refuses_too(association, used):
    code, _enrolment = used
    with pytest.raises(ValidationError) as info:
        services.follow_up_code_update(
            code=code, data={"list_name": "education", "code": "x"}, by=SYSTEM
        )
    assert set(info.value.message_dict) == {"list_name", "code"}


@pytest.mark.parametrize(
    "role",
    [
        Role.STAFF,
        Role.BOARD,
        Role.AUDITOR,
        Role.ECONOMIST,
        Role.MEMBER_ORG,
        Role.ADVISORY,
        Role.PRIVACY,
    ],
)
def test_other_roles_get_403_and_change_nothing(client, login_as, association, used, role):
    code, _enrolment = used
    login_as(role)
    before = state()
    reason = str(REFUSALS["participants.codes"])
    for address, data in (
        (codes_url(association), {"list_name": "exit_reason", "code": "x", "label": "X"}),
        (edit_url(association, code), posted(code, label="Ändrad av fel roll")),
    ):
        for response in (client.get(address), client.post(address, data)):
            assert response.status_code == 403
            assert reason in response.content.decode()
    assert state() == before


def test_another_associations_office_gets_404(client, association, other_association, used):
    code, _enrolment = used
    client.force_login(user_with_role(other_association, Role.OFFICE))
    before = state()
    for address in (
        edit_url(association, code),
        reverse("participants:code_edit", args=[other_association.slug, code.pk]),
    ):
        response = client.post(address, posted(code, label="Kapad"))
        assert response.status_code == 404
    assert state() == before
