"""Request tests for corrections, consent, a participant's access history and the access log."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants.models import AccessLogEntry, CodeList, Enrolment, Participant, Session
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

ENROLMENT_URLS = ["correct_entry", "correct_exit", "correct_person", "consent", "participant_log"]
SESSION_URLS = ["session_edit", "session_delete"]
LOG_URLS = ["access_log", "log_xlsx", "log_csv"]
STAFF_ONLY = "insatsens egen personal"


def url(name, association, *args):
    return reverse(f"participants:{name}", args=[association.slug, *args])


@pytest.fixture
def world(association):
    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    enrolment = pf.register(association, intervention, by=staff)
    session = services.session_record(
        enrolment=enrolment, date=enrolment.start_date, ors_items=[5, 5, 5, 5], by=staff
    ).session
    return association, intervention, staff, enrolment, session


def personal_urls(association, enrolment, session):
    return [url(n, association, enrolment.pk) for n in ENROLMENT_URLS] + [
        url(n, association, enrolment.pk, session.pk) for n in SESSION_URLS
    ]


def test_staff_reach_every_new_page(client, world):
    association, _i, staff, enrolment, session = world
    pf.exit_enrolment(enrolment, by=staff)
    client.force_login(staff)
    for address in personal_urls(association, enrolment, session):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "D-" in response.content.decode()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.BOARD, Role.AUDITOR, Role.MEMBER_ORG])
def test_other_roles_are_refused_with_the_reason_and_nothing_is_written(
    client, world, login_as, role
):
    association, _i, _s, enrolment, session = world
    user = login_as(role)
    audit_rows = AuditEvent.objects.count()
    for address in personal_urls(association, enrolment, session):
        for response in (client.get(address), client.post(address, {"reason": "x"})):
            assert response.status_code == 403, address
            body = response.content.decode()
            assert STAFF_ONLY in body and "Alva" not in body
    assert AuditEvent.objects.count() == audit_rows
    assert not AccessLogEntry.objects.filter(user=user).exists()
    assert Session.objects.filter(pk=session.pk).exists()


def test_staff_of_another_intervention_and_other_associations_get_404(
    client, world, other_association
):
    association, _i, _s, enrolment, session = world
    stranger = pf.staff_user(association, pf.staffed_intervention(association, title="Samkraft"))
    client.force_login(stranger)
    for address in personal_urls(association, enrolment, session):
        assert client.get(address).status_code == 404, address
        assert client.post(address, {"reason": "x"}).status_code == 404, address
    assert Session.objects.filter(pk=session.pk).exists()
    client.force_login(user_with_role(other_association, Role.STAFF))
    for address in personal_urls(association, enrolment, session):
        assert client.get(address).status_code == 404, address
    client.force_login(user_with_role(other_association, Role.PRIVACY))
    for name in LOG_URLS:
        assert client.get(url(name, association)).status_code == 404


def test_a_session_of_another_participation_is_404(client, world):
    association, intervention, staff, enrolment, _session = world
    other = pf.register(association, intervention, number=pf.identity_number(serial="457"))
    foreign = services.session_record(
        enrolment=other, date=other.start_date, srs_total="38", by=SYSTEM
    ).session
    client.force_login(staff)
    for name in SESSION_URLS:
        assert client.get(url(name, association, enrolment.pk, foreign.pk)).status_code == 404


def test_anonymous_users_are_sent_to_login(client, world):
    association, _i, _s, enrolment, session = world
    for address in [
        *personal_urls(association, enrolment, session),
        *(url(n, association) for n in LOG_URLS),
    ]:
        response = client.get(address)
        assert response.status_code == 302 and "logga-in" in response["Location"], address


def entry_post(enrolment, **changes):
    data = {
        "start_date": enrolment.start_date.isoformat(),
        "entry_occupation": enrolment.entry_occupation_id,
        "reason": "Fel sysselsättning vid start",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_an_entry_correction_shows_in_the_history_on_the_participant_page(client, world):
    association, _i, staff, enrolment, _session = world
    client.force_login(staff)
    studies = pf.code(association, CodeList.OCCUPATION, "studier")
    response = client.post(
        url("correct_entry", association, enrolment.pk),
        entry_post(enrolment, entry_occupation=studies.pk),
    )
    assert response.status_code == 302
    assert Enrolment.objects.get(pk=enrolment.pk).entry_occupation == studies
    body = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    history = body[body.index('id="correction-history"') :]
    assert "Fel sysselsättning vid start" in history
    assert "Sjukskriven → Studier" in history and staff.username in history


def test_bad_input_gives_field_errors_and_saves_nothing(client, world):
    association, _i, staff, enrolment, session = world
    client.force_login(staff)
    future = (timezone.localdate() + dt.timedelta(days=2)).isoformat()
    posts = [
        ("correct_entry", (enrolment.pk,), entry_post(enrolment, start_date=future), "framtiden"),
        ("correct_entry", (enrolment.pk,), entry_post(enrolment, reason=""), "id_reason_error"),
        ("correct_person", (enrolment.pk,), {"name": "Ny", "reason": ""}, "id_reason_error"),
        (
            "session_edit",
            (enrolment.pk, session.pk),
            {
                "date": session.date.isoformat(),
                "kind": "individual",
                "ors_individual": "11",
                "reason": "Fel",
            },
            "id_ors_individual_error",
        ),
        ("session_delete", (enrolment.pk, session.pk), {"reason": " "}, "id_reason_error"),
        ("consent", (enrolment.pk,), {"change": "withdrawn", "text": ""}, "id_text_error"),
    ]
    for name, args, data, expected in posts:
        response = client.post(url(name, association, *args), data)
        assert response.status_code == 400, name
        body = response.content.decode()
        assert expected in body and "Inget har sparats" in body, name
        assert 'aria-invalid="true"' in body, name
    assert not AuditEvent.objects.filter(event__startswith="session.").exists()
    assert not AuditEvent.objects.filter(event__startswith="enrolment.").exists()
    assert not AuditEvent.objects.filter(event__startswith="participant.").exists()
    assert Session.objects.filter(pk=session.pk).exists()
    assert services.decrypt_or_blank(Participant.objects.get().name_encrypted) == "Alva Testsson"


def test_name_correction_and_session_correction_and_deletion(client, world):
    association, _i, staff, enrolment, session = world
    client.force_login(staff)
    response = client.post(
        url("correct_person", association, enrolment.pk),
        {"name": "Alva Nyberg", "contact": "070-123 45 67", "reason": "Nytt efternamn"},
    )
    assert response.status_code == 302
    page = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    assert "Alva Nyberg" in page and services.SECRET_CHANGED in page
    response = client.post(
        url("session_edit", association, enrolment.pk, session.pk),
        {
            "date": session.date.isoformat(),
            "kind": "group",
            "ors_individual": "6",
            "ors_interpersonal": "5",
            "ors_social": "5",
            "ors_overall": "5",
            "reason": "Felskrivet",
        },
    )
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).ors_individual == 6
    response = client.post(
        url("session_delete", association, enrolment.pk, session.pk), {"reason": "Dubblett"}
    )
    assert response.status_code == 302 and not Session.objects.filter(pk=session.pk).exists()
    events = list(
        AuditEvent.objects.filter(actor=staff).order_by("id").values_list("event", flat=True)
    )
    assert events == [
        Event.PARTICIPANT_CORRECTED,
        Event.SESSION_CORRECTED,
        Event.SESSION_DELETED,
    ]
    assert "Alva" not in str(list(AuditEvent.objects.values_list("before", "after")))


def test_withdrawn_consent_is_shown_and_blocks_everything_but_the_exit(client, world):
    association, _i, staff, enrolment, session = world
    client.force_login(staff)
    response = client.post(
        url("consent", association, enrolment.pk),
        {
            "change": "withdrawn",
            "changed_on": timezone.localdate().isoformat(),
            "text": "Registrering och uppföljning",
        },
    )
    assert response.status_code == 302
    page = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    assert 'id="consent-withdrawn"' in page and "Samtycket till registrering återkallades" in page
    assert url("session_create", association, enrolment.pk) not in page
    assert url("correct_entry", association, enrolment.pk) not in page
    blocked = [
        url("session_create", association, enrolment.pk),
        url("correct_entry", association, enrolment.pk),
        url("correct_person", association, enrolment.pk),
        url("session_edit", association, enrolment.pk, session.pk),
        url("session_delete", association, enrolment.pk, session.pk),
    ]
    for address in blocked:
        response = client.post(address, {"reason": "x", "date": session.date.isoformat()})
        assert response.status_code == 403, address
        assert "återkallat sitt samtycke" in response.content.decode()
    assert Session.objects.filter(enrolment=enrolment).count() == 1
    assert client.get(url("exit", association, enrolment.pk)).status_code == 200


def test_the_exit_page_of_an_exited_participation_leads_to_the_correction(client, world):
    association, _i, staff, enrolment, _session = world
    pf.exit_enrolment(enrolment, by=staff)
    client.force_login(staff)
    response = client.get(url("exit", association, enrolment.pk))
    assert response.status_code == 302
    assert response["Location"] == url("correct_exit", association, enrolment.pk)


def test_erased_participants_cannot_be_corrected(client, world):
    association, _i, staff, enrolment, _session = world
    services.participant_erase(participant=enrolment.participant, by=staff)
    client.force_login(staff)
    for name in ("correct_entry", "correct_person", "consent", "session_create"):
        response = client.get(url(name, association, enrolment.pk))
        assert response.status_code == 403 and "raderade" in response.content.decode(), name


def test_correction_forms_log_the_read_and_the_write(client, world):
    association, _i, staff, enrolment, _session = world
    client.force_login(staff)
    AccessLogEntry.objects.all().delete()
    client.get(url("correct_person", association, enrolment.pk))
    read = AccessLogEntry.objects.get()
    assert read.action == "view" and read.user == staff and "namn och kontakt" in read.detail
    client.post(
        url("correct_person", association, enrolment.pk),
        {"name": "Alva", "contact": "", "reason": "Kortare"},
    )
    write = AccessLogEntry.objects.exclude(pk=read.pk).get()
    assert write.action == "update" and write.participant_id == enrolment.participant_id


def test_the_participants_access_history_leaves_out_other_interventions(client, world):
    association, intervention, staff, enrolment, _session = world
    other_intervention = pf.staffed_intervention(association, title="Samkraft")
    other_staff = pf.staff_user(association, other_intervention)
    pf.register(association, other_intervention, by=other_staff)
    client.force_login(other_staff)
    other = Enrolment.objects.get(intervention=other_intervention)
    client.get(url("enrolment", association, other.pk))
    client.force_login(staff)
    page = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    assert url("participant_log", association, enrolment.pk) in page
    body = client.get(url("participant_log", association, enrolment.pk)).content.decode()
    assert "Deltagarsidan i STEGSAM" in body and "Samkraft" not in body
    assert other_staff.username not in body


# --- the data-protection contact's access log ---------------------------------------------------


@pytest.fixture
def logged(world):
    association, intervention, staff, enrolment, _session = world
    other = pf.staffed_intervention(association, title="Samkraft")
    AccessLogEntry.objects.all().delete()
    old = timezone.make_aware(dt.datetime(2024, 1, 15, 10, 0))
    for n in range(130):
        services.access_log_write(
            association=association,
            by=staff,
            action="view",
            participants=[enrolment.participant],
            intervention=intervention,
            detail=f"Visning {n}",
        )
    services.access_log_write(
        association=association,
        by=SYSTEM,
        action="export",
        participants=[None],
        intervention=other,
        detail="Export i Samkraft",
    )
    AccessLogEntry.objects.filter(detail="Visning 0").update(at=old)
    return association, intervention, other, staff


def test_the_access_log_is_paged(client, logged, login_as):
    association, *_ = logged
    login_as(Role.PRIVACY)
    first = client.get(url("access_log", association)).content.decode()
    assert "Sida 1 av 2" in first and "131 loggposter" in first
    second = client.get(url("access_log", association) + "?sida=2").content.decode()
    assert "Sida 2 av 2" in second and "Visning 0<" in second


def test_the_access_log_filters_by_date_user_intervention_and_action(client, logged, login_as):
    association, intervention, other, staff = logged
    login_as(Role.PRIVACY)
    base = url("access_log", association)
    body = client.get(base, {"intervention": other.pk}).content.decode()
    assert "Export i Samkraft" in body and "Visning 1<" not in body
    body = client.get(base, {"username": staff.username, "action": "view"}).content.decode()
    assert "130 loggposter" in body and "Export i Samkraft" not in body
    body = client.get(base, {"date_from": "2024-01-01", "date_to": "2024-01-31"}).content.decode()
    assert "1 loggpost" in body and "Visning 0<" in body
    response = client.get(base, {"date_from": "2024-02-01", "date_to": "2024-01-01"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "id_date_to_error" in body and "Slutdatumet ligger före" in body
    assert "Inga loggposter" in body
    for label in ("Från och med", "Till och med", "Användare", "Insats", "Åtgärd"):
        assert f">{label}</label>" in body or f">{label} <" in body, label


def test_the_access_log_exports_the_selection_and_the_export_is_audited(client, logged, login_as):
    association, intervention, _other, staff = logged
    office = login_as(Role.PRIVACY)
    query = {"date_from": "2024-01-01", "date_to": "2024-01-31", "intervention": intervention.pk}
    response = client.get(url("log_xlsx", association), query)
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("tidpunkt", "anvandare", "deltagare", "insats", "atgard", "vad")
    assert len(rows) == 2 and rows[1][1] == staff.username and rows[1][3] == "STEGSAM"
    assert isinstance(rows[1][0], dt.datetime)
    row = AuditEvent.objects.get(event=Event.ACCESS_LOG_EXPORTED)
    assert row.actor == office
    assert row.after["date_from"] == "2024-01-01" and row.after["date_to"] == "2024-01-31"
    assert row.after["rows"] == 1 and row.after["format"] == "xlsx"
    logged_export = AccessLogEntry.objects.filter(user=office, action="export").get()
    assert "2024-01-01 – 2024-01-31" in logged_export.detail

    response = client.get(url("log_csv", association), {"action": "view"})
    assert response.status_code == 200
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert parsed[0][0] == "tidpunkt" and len(parsed) == 1 + 130
    assert AuditEvent.objects.filter(event=Event.ACCESS_LOG_EXPORTED).count() == 2


def test_an_invalid_filter_exports_nothing(client, logged, login_as):
    association, *_ = logged
    login_as(Role.PRIVACY)
    response = client.get(
        url("log_csv", association), {"date_from": "2024-02-01", "date_to": "2024-01-01"}
    )
    assert response.status_code == 302 and "logg/" in response["Location"]
    assert not AuditEvent.objects.filter(event=Event.ACCESS_LOG_EXPORTED).exists()


@pytest.mark.parametrize(
    "role",
    [Role.OFFICE, Role.STAFF, Role.BOARD, Role.AUDITOR, Role.ECONOMIST, Role.MEMBER_ORG],
)
def test_only_the_data_protection_contact_reads_and_exports_the_access_log(
    client, logged, login_as, role
):
    association, *_ = logged
    login_as(role)
    for name in LOG_URLS:
        response = client.get(url(name, association))
        assert response.status_code == 403, name
        assert "dataskyddskontakt" in response.content.decode()
    assert not AuditEvent.objects.filter(event=Event.ACCESS_LOG_EXPORTED).exists()
