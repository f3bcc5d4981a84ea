"""The register's writes: registration, the clear number appears nowhere, ratings, exit, erasure."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from finsam.participants import services
from finsam.participants.crypto import decrypt_text
from finsam.participants.models import AccessLogEntry, Enrolment, Participant, Session
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(association):
    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    return association, intervention, staff


def test_register_stores_hash_birth_year_gender_and_encrypted_name(setup, settings):
    association, intervention, staff = setup
    enrolment = pf.register(association, intervention, by=staff, number=pf.identity_number())
    p = enrolment.participant
    assert len(p.identity_hash) == 64 and p.birth_year == 1998 and p.legal_gender == "F"
    assert "Alva" not in p.name_encrypted
    assert (
        decrypt_text(p.name_encrypted, keys=settings.PARTICIPANT_ENCRYPTION_KEYS) == "Alva Testsson"
    )
    start = pf.month_start()
    assert enrolment.age_at_start == start.year - 1998 - int((start.month, start.day) < (4, 12))
    log = AccessLogEntry.objects.get(participant=p)
    assert log.action == "create" and log.username == staff.username


def database_dump() -> str:
    """Every row of every table as text, read straight from the database (no model, no
    serializer): the table names come from the backend's own catalogue (sqlite_master on
    SQLite, information_schema on PostgreSQL) through Django's introspection. Django's
    sessions are decoded too, since their data is stored signed and compressed."""
    from django.contrib.sessions.models import Session as DjangoSession
    from django.db import connection

    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview):
                        value = value.tobytes()
                    if isinstance(value, bytes):
                        value = value.decode("latin-1")
                    parts.append(f"{table}: {value}")
    for stored in DjangoSession.objects.all():
        parts.append(json.dumps(stored.get_decoded(), default=str))
    return "\n".join(parts)


def test_the_clear_number_is_nowhere_in_the_database_or_the_logs(setup, client, caplog):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    association, intervention, staff = setup
    number = pf.identity_number(dt.date(1987, 11, 3), "512")
    compact = number.replace("-", "")
    forms = {number, compact, number[2:], compact[2:]}  # with and without dash and century
    client.force_login(staff)
    today = timezone.localdate().isoformat()

    def register(identity_text):
        return client.post(
            reverse("participants:register", args=[association.slug, intervention.pk]),
            {
                "identity_text": identity_text,
                "consent_date": today,
                "consent_scope": "Registrering och uppföljning",
                "start_date": today,
                "name": "Cecilia Testdotter",
                "contact": "070-765 43 21",
            },
        )

    with caplog.at_level(logging.DEBUG), CaptureQueriesContext(connection) as queries:
        assert register(number).status_code == 302
        enrolment = Enrolment.objects.get(participant__name_encrypted__isnull=False)
        page = reverse("participants:enrolment", args=[association.slug, enrolment.pk])
        response = client.post(
            page + "traff/",
            {
                "date": today,
                "kind": "individual",
                "ors_individual": "5",
                "ors_interpersonal": "6",
                "ors_social": "7",
                "ors_overall": "4,5",
                "srs_total": "33",
            },
        )
        assert response.status_code == 302
        assert client.get(page).status_code == 200
        assert client.get(page + "registerutdrag.json").status_code == 200
        assert register(compact[2:]).status_code == 400  # the same person again
        assert register(compact[:-1] + "0").status_code == 400  # a wrong check digit
    dump = database_dump()
    assert "Registrering och uppföljning" in dump and "Cecilia" not in dump  # the register is in it
    sql = "\n".join(q["sql"] for q in queries.captured_queries)
    assert "participants_participant" in sql  # the queries are captured, parameters included
    for form in forms:
        assert form not in dump, form
        assert form not in caplog.text, form
        assert form not in sql, form  # never even sent to the database


def test_invalid_number_gives_a_swedish_error_at_the_field_and_saves_nothing(setup):
    association, intervention, staff = setup
    with pytest.raises(ValidationError) as info:
        pf.register(association, intervention, by=staff, number="19980412-2387")
    assert "Kontrollsiffran" in info.value.message_dict["identity_text"][0]
    assert not Participant.objects.exists() and not Enrolment.objects.exists()


def test_same_person_is_found_again_across_interventions(setup):
    association, intervention, staff = setup
    other = pf.staffed_intervention(association, title="Samkraft", staff=[staff])
    first = pf.register(association, intervention, by=staff)
    second = pf.register(association, other, by=staff, number=pf.identity_number().replace("-", ""))
    assert first.participant_id == second.participant_id
    with pytest.raises(ValidationError) as info:
        pf.register(association, intervention, by=staff)
    assert "redan inskriven" in info.value.message_dict["identity_text"][0]


def test_only_staff_of_the_intervention_may_register(setup, association):
    _, intervention, _ = setup
    stranger = pf.staff_user(association)
    with pytest.raises(PermissionDenied):
        pf.register(association, intervention, by=stranger)


def test_session_validates_ors_items_and_flags_low_srs(setup):
    association, intervention, staff = setup
    enrolment = pf.register(association, intervention, by=staff)
    with pytest.raises(ValidationError) as info:
        services.session_record(
            enrolment=enrolment, date=enrolment.start_date, ors_items=["11", "5", "", "x"], by=staff
        )
    errors = info.value.message_dict
    assert "mellan 0 och 10" in errors["ors_individual"][0]
    assert "alla fyra" in errors["ors_social"][0]
    assert "tal" in errors["ors_overall"][0]
    with pytest.raises(ValidationError) as info:
        services.session_record(
            enrolment=enrolment, date=enrolment.start_date, srs_total="41", by=staff
        )
    assert "0 och 40" in info.value.message_dict["srs_total"][0]
    assert not Session.objects.exists()
    result = services.session_record(
        enrolment=enrolment,
        date=enrolment.start_date,
        ors_items=["5", "6", "7", "4,5"],
        srs_total="35.5",
        by=staff,
    )
    assert result.session.ors_total == Decimal("22.5")
    assert result.flags and "under 36" in result.flags[0]
    ok = services.session_record(
        enrolment=enrolment, date=enrolment.start_date, srs_total="38", by=staff
    )
    assert ok.flags == []


def test_exit_checks_dates_and_codes(setup, other_association):
    association, intervention, staff = setup
    enrolment = pf.register(association, intervention, by=staff)
    with pytest.raises(ValidationError) as info:
        services.enrolment_exit(
            enrolment=enrolment,
            exit_date=enrolment.start_date - dt.timedelta(days=1),
            exit_reason=pf.code(other_association, "exit_reason", "avbrott"),
            by=staff,
        )
    assert "före starten" in info.value.message_dict["exit_date"][0]
    assert "kodlista" in info.value.message_dict["exit_reason"][0]
    pf.exit_enrolment(enrolment, by=staff)
    enrolment.refresh_from_db()
    assert enrolment.exit_date == timezone.localdate()


def test_erasure_removes_identity_and_keeps_statistics(setup):
    association, intervention, staff = setup
    enrolment = pf.register(association, intervention, by=staff)
    services.session_record(
        enrolment=enrolment, date=timezone.localdate(), ors_items=[5, 5, 5, 5], by=staff
    )
    pf.exit_enrolment(enrolment, by=staff)
    services.exit_survey_record(
        enrolment=enrolment, satisfied=True, self_rated_progress=4, comment="Bra stöd", by=staff
    )
    from finsam.participants import selectors

    before = selectors.intervention_counts(
        intervention_ids=[intervention.pk], year=timezone.localdate().year
    )
    services.participant_erase(participant=enrolment.participant, by=staff)
    p = Participant.objects.get(pk=enrolment.participant_id)
    assert p.identity_hash is None and p.name_encrypted == "" and p.contact_encrypted == ""
    assert p.consent_date is None and p.birth_year is None and p.erased_at is not None
    e = Enrolment.objects.get(pk=enrolment.pk)
    assert e.start_date.day == 1 and e.exit_date.day == 1
    assert e.exit_occupation.code == "arbete" and e.age_at_start == enrolment.age_at_start
    assert e.sessions.get().ors_total == 20 and e.exit_survey.comment == ""
    after = selectors.intervention_counts(
        intervention_ids=[intervention.pk], year=timezone.localdate().year
    )
    assert after == before
    assert AccessLogEntry.objects.filter(participant=p, action="erase").exists()
    # The person can be registered again: a new, unrelated participant.
    again = pf.register(association, intervention, by=staff)
    assert again.participant_id != p.pk


def test_erase_expired_command_erases_only_old_exits(setup):
    association, intervention, staff = setup
    old = pf.register(association, intervention, by=staff)
    Enrolment.objects.filter(pk=old.pk).update(
        start_date=dt.date(2015, 1, 1), exit_date=dt.date(2015, 6, 30)
    )
    current = pf.register(
        association, intervention, by=staff, number=pf.identity_number(dt.date(1990, 1, 5), "111")
    )
    out = io.StringIO()
    call_command("erase_expired_participants", "--years", "5", stdout=out)
    assert "1 deltagare" in out.getvalue()
    assert Participant.objects.get(pk=old.participant_id).erased_at is not None
    assert Participant.objects.get(pk=current.participant_id).erased_at is None


def test_registerutdrag_holds_everything_and_is_logged(setup):
    association, intervention, staff = setup
    enrolment = pf.register(association, intervention, by=staff)
    services.session_record(
        enrolment=enrolment, date=enrolment.start_date, ors_items=[5, 5, 5, 5], by=staff
    )
    data = services.participant_export(
        participant=enrolment.participant, enrolments=[enrolment], by=staff
    )
    json.dumps(data)
    assert data["deltagare"]["namn"] == "Alva Testsson"
    assert data["deltaganden"][0]["traffar"][0]["ors_totalt"] == "20.0"
    assert AccessLogEntry.objects.filter(action="export").count() == 1
    pdf = services.participant_export_pdf(data=data)
    assert pdf.startswith(b"%PDF")
