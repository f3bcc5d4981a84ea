"""#12 at the request level: typed input that must never hurt is refused at the field in
Swedish, with status 400 and nothing saved."""

import pytest
from django.urls import reverse

from finsam.organisation.models import AuditEvent, Meeting, Member, Role


def url(name, association):
    return reverse(f"organisation:{name}", args=[association.slug])


@pytest.mark.parametrize("date", ["20227-03-26", "1899-12-31", "2101-01-01"])
def test_a_meeting_date_outside_1900_to_2100_is_refused(client, login_as, association, date):
    login_as(Role.OFFICE)
    before = (Meeting.objects.count(), AuditEvent.objects.count())
    response = client.post(url("meeting_create", association), {"kind": "board", "date": date})
    assert response.status_code == 400
    assert "mellan åren 1900 och 2100" in response.content.decode() or "giltigt datum" in (
        response.content.decode()
    )
    assert (Meeting.objects.count(), AuditEvent.objects.count()) == before


def test_a_slashed_date_is_day_first(client, login_as, association):
    login_as(Role.OFFICE)
    response = client.post(
        url("meeting_create", association), {"kind": "board", "date": "01/02/2027"}
    )
    assert response.status_code == 302
    assert (
        Meeting.objects.filter(association=association).latest("id").date.isoformat()
        == "2027-02-01"
    )


@pytest.mark.parametrize("number", ["19900101-0017", "900101-0017", "9001010017"])
def test_an_identity_number_in_free_text_is_refused_and_nothing_saved(
    client, login_as, association, number
):
    login_as(Role.OFFICE)
    before = (Member.objects.count(), AuditEvent.objects.count())
    data = {"name": f"Kommun {number}", "kind": "municipality", "key": "5", "sort_order": "20"}
    response = client.post(url("member_create", association), data)
    assert response.status_code == 400
    assert "deltagarregistret" in response.content.decode()
    assert (Member.objects.count(), AuditEvent.objects.count()) == before
