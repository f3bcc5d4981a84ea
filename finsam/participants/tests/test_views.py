"""Request tests: the permission matrix, the register form, the access log on every read path."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.accounts.models import Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants import urls as participant_urls
from finsam.participants.models import AccessLogEntry, Enrolment, Participant
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


def url(name, association, *args):
    return reverse(f"participants:{name}", args=[association.slug, *args])


@pytest.fixture
def world(association):
    intervention = pf.staffed_intervention(association, goals=[("ärenden", "≥ 30 ärenden per år")])
    staff = pf.staff_user(association, intervention)
    enrolment = pf.register(association, intervention, by=staff)
    return association, intervention, staff, enrolment


PERSONAL = [
    "enrolment",
    "session_create",
    "exit",
    "survey",
    "export_json",
    "export_pdf",
    "erase",
    "correct_entry",
    "correct_exit",  # an ongoing participation: the page sends staff on to the exit (302)
    "correct_person",
    "consent",
    "participant_log",
]
SESSION_PERSONAL = ["session_edit", "session_delete"]
INTERVENTION_PAGES = ["intervention", "register", "national_csv"]
ASSOCIATION_PAGES = [
    "index",
    "statistics",
    "summary_csv",
    "access_log",
    "log_xlsx",
    "log_csv",
    "codes",
    "code_edit",
]


def personal(association, enrolment):
    """Every personal page of the participation, its sessions' pages included."""
    session = enrolment.sessions.first() or (
        services.session_record(
            enrolment=enrolment, date=enrolment.start_date, srs_total="38", by=None
        ).session
    )
    return [(name, url(name, association, enrolment.pk)) for name in PERSONAL] + [
        (name, url(name, association, enrolment.pk, session.pk)) for name in SESSION_PERSONAL
    ]


def test_every_participants_url_is_in_the_matrix():
    names = {p.name for p in participant_urls.urlpatterns}
    listed = {*PERSONAL, *SESSION_PERSONAL, *INTERVENTION_PAGES, *ASSOCIATION_PAGES}
    assert names == listed


def test_staff_of_the_intervention_reaches_every_personal_page(client, world):
    association, intervention, staff, enrolment = world
    client.force_login(staff)
    for name, address in personal(association, enrolment):
        expected = 302 if name == "correct_exit" else 200
        assert client.get(address).status_code == expected, name
    for name in INTERVENTION_PAGES:
        assert client.get(url(name, association, intervention.pk)).status_code == 200, name


@pytest.mark.parametrize("role", [Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.ECONOMIST])
def test_office_board_auditors_get_403_on_personal_pages_but_see_statistics(
    client, world, login_as, role
):
    association, intervention, _staff, enrolment = world
    login_as(role)
    for name, address in personal(association, enrolment):
        response = client.get(address)
        assert response.status_code == 403, name
        assert "Alva" not in response.content.decode()
        assert "insatsens egen personal" in response.content.decode()
    response = client.get(url("intervention", association, intervention.pk))
    assert response.status_code == 403
    assert "insatsens egen personal" in response.content.decode()
    assert client.get(url("statistics", association)).status_code == 200
    assert client.get(url("summary_csv", association)).status_code == 200


def test_staff_of_another_intervention_gets_404_or_403(client, world):
    association, intervention, _staff, enrolment = world
    other = pf.staffed_intervention(association, title="Samkraft")
    stranger = pf.staff_user(association, other)
    client.force_login(stranger)
    for name, address in personal(association, enrolment):
        assert client.get(address).status_code == 404, name
    response = client.get(url("intervention", association, intervention.pk))
    assert response.status_code == 403 and "Alva" not in response.content.decode()
    assert client.get(url("national_csv", association, intervention.pk)).status_code == 403
    assert not AccessLogEntry.objects.filter(user=stranger).exists()


def test_other_association_gets_404(client, world, other_association):
    association, intervention, _staff, enrolment = world
    outsider = user_with_role(other_association, Role.STAFF)
    client.force_login(outsider)
    for name, address in personal(association, enrolment):
        assert client.get(address).status_code == 404, name
    assert client.get(url("statistics", association)).status_code == 404
    assert client.get(url("access_log", association)).status_code == 404


def test_logged_out_is_sent_to_login(client, world):
    association, _i, _s, enrolment = world
    for name, address in personal(association, enrolment):
        response = client.get(address)
        assert response.status_code == 302 and "logga-in" in response["Location"], name


def test_member_organisations_get_403_with_the_reason_on_personal_pages(client, world, login_as):
    association, _i, _s, enrolment = world
    login_as(Role.MEMBER_ORG)
    for name, address in personal(association, enrolment):
        response = client.get(address)
        assert response.status_code == 403, name
        assert "insatsens egen personal" in response.content.decode()


def test_member_organisation_gets_no_statistics(client, world, login_as):
    association = world[0]
    login_as(Role.MEMBER_ORG)
    assert client.get(url("statistics", association)).status_code == 403


def test_access_log_and_codes_are_for_the_office(client, world, login_as):
    association = world[0]
    login_as(Role.BOARD)
    for name in ("access_log", "log_xlsx", "log_csv"):
        response = client.get(url(name, association))
        assert response.status_code == 403 and "dataskyddskontakten" in response.content.decode()
    assert client.get(url("codes", association)).status_code == 403
    login_as(Role.OFFICE)
    response = client.get(url("access_log", association) + "?action=create")
    assert response.status_code == 200 and "Registrering" in response.content.decode()
    assert client.get(url("codes", association)).status_code == 200
    assert client.get(url("log_csv", association)).status_code == 200
    assert client.get(url("log_xlsx", association)).status_code == 200


def test_every_read_path_writes_the_access_log(client, world):
    association, intervention, staff, enrolment = world
    client.force_login(staff)
    checks = [
        (url("intervention", association, intervention.pk), "list"),
        (url("enrolment", association, enrolment.pk), "view"),
        (url("export_json", association, enrolment.pk), "export"),
        (url("export_pdf", association, enrolment.pk), "export"),
        (url("national_csv", association, intervention.pk), "export"),
    ]
    for address, action in checks:
        before = AccessLogEntry.objects.filter(
            action=action, participant=enrolment.participant
        ).count()
        assert client.get(address).status_code == 200
        after = AccessLogEntry.objects.filter(
            action=action, participant=enrolment.participant
        ).count()
        assert after == before + 1, address
        assert AccessLogEntry.objects.first().user == staff


def test_register_form_errors_at_the_field_with_status_400(client, world):
    association, intervention, staff, _e = world
    client.force_login(staff)
    before = Participant.objects.count()
    response = client.post(
        url("register", association, intervention.pk),
        {
            "identity_text": "19980412-2380",
            "consent_date": timezone.localdate().isoformat(),
            "consent_scope": "Uppföljning",
            "start_date": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Kontrollsiffran" in body and "Inget har sparats" in body
    assert Participant.objects.count() == before


def test_register_then_record_session_flags_low_srs(client, world):
    association, intervention, staff, _e = world
    client.force_login(staff)
    today = timezone.localdate().isoformat()
    response = client.post(
        url("register", association, intervention.pk),
        {
            "identity_text": pf.identity_number(),  # already known person, but a new intervention
            "consent_date": today,
            "consent_scope": "Uppföljning",
            "start_date": today,
        },
    )
    assert response.status_code == 400  # already enrolled in this intervention
    number = pf.identity_number(serial="457")
    response = client.post(
        url("register", association, intervention.pk),
        {
            "identity_text": number,
            "consent_date": today,
            "consent_scope": "X",
            "start_date": today,
            "name": "Bo Test",
        },
    )
    assert response.status_code == 302
    enrolment = Enrolment.objects.latest("id")
    response = client.post(
        url("session_create", association, enrolment.pk),
        {
            "date": today,
            "kind": "individual",
            "ors_individual": "5",
            "ors_interpersonal": "5",
            "ors_social": "5",
            "ors_overall": "5",
            "srs_total": "30",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "under 36" in body and 'class="ors-point"' in body and "Bo Test" in body


def test_erase_needs_post_and_confirmation(client, world):
    association, intervention, staff, enrolment = world
    client.force_login(staff)
    assert client.post(url("erase", association, enrolment.pk), {}).status_code == 400
    assert Participant.objects.get(pk=enrolment.participant_id).erased_at is None
    response = client.post(url("erase", association, enrolment.pk), {"confirm": "on"})
    assert response.status_code == 302
    assert Participant.objects.get(pk=enrolment.participant_id).erased_at is not None


def test_intervention_list_query_count_does_not_grow(client, world, django_assert_max_num_queries):
    association, intervention, staff, _e = world
    for i in range(5):
        pf.register(association, intervention, number=pf.identity_number(serial=f"{300 + i}"))
    client.force_login(staff)
    with django_assert_max_num_queries(20):
        assert client.get(url("intervention", association, intervention.pk)).status_code == 200


def test_the_intervention_list_is_paged_and_logs_only_who_was_shown(client, world):
    from finsam.participants.models import AccessLogEntry
    from finsam.participants.selectors import ENROLMENTS_PER_PAGE

    association, intervention, staff, _e = world
    for i in range(ENROLMENTS_PER_PAGE + 3):
        pf.register(association, intervention, number=pf.identity_number(serial=f"{400 + i}"))
    client.force_login(staff)
    AccessLogEntry.objects.all().delete()
    first = client.get(url("intervention", association, intervention.pk)).content.decode()
    assert first.count('href="/f/') > ENROLMENTS_PER_PAGE
    assert "Sida 1 av 2 (54 deltaganden)" in first
    listed = AccessLogEntry.objects.filter(action=AccessLogEntry.Action.LIST)
    assert listed.count() == ENROLMENTS_PER_PAGE
    second = client.get(url("intervention", association, intervention.pk) + "?sida=2")
    assert "Sida 2 av 2" in second.content.decode()
    assert listed.count() == ENROLMENTS_PER_PAGE + 4
