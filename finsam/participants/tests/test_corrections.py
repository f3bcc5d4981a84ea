"""Corrections after registration and changes of consent: the registration's rules, a reason,
an audit row with before and after (never a clear name, contact or identity number)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import given
from hypothesis import strategies as st

from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent
from finsam.participants import selectors, services
from finsam.participants.models import AccessLogEntry, CodeList, Enrolment, Participant, Session
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 6, 20)
START = dt.date(2024, 5, 2)  # the factory's person is born 1998-04-12: 26 at start
NUMBER = pf.identity_number()
NAME, CONTACT = "Alva Testsson", "070-123 45 67"


@pytest.fixture
def setup(association):
    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    enrolment = pf.register(
        association,
        intervention,
        by=staff,
        start_date=START,
        consent_date=START,
        name=NAME,
        contact=CONTACT,
        today=TODAY,
    )
    return association, intervention, staff, enrolment


def record_session(enrolment, staff, day=START, items=(5, 6, 7, 8), srs="38"):
    return services.session_record(
        enrolment=enrolment, date=day, ors_items=items, srs_total=srs, by=staff, today=TODAY
    ).session


def entry(enrolment, **changes):
    fields = {
        "start_date": enrolment.start_date,
        "referring_member": enrolment.referring_member,
        "involved_members": list(enrolment.involved_members.all()),
        "entry_occupation": enrolment.entry_occupation,
        "entry_income_source": enrolment.entry_income_source,
        "time_outside": enrolment.time_outside,
        "education": enrolment.education,
        "reason": "Fel uppgift registrerad",
        "today": TODAY,
    }
    fields.update(changes)
    return fields


def corrections():
    return AuditEvent.objects.filter(event__in=[e.value for e in selectors.CORRECTION_EVENTS])


def test_an_entry_correction_is_saved_with_before_after_and_reason(setup):
    association, _i, staff, enrolment = setup
    studies = pf.code(association, CodeList.OCCUPATION, "studier")
    services.enrolment_correct_entry(
        enrolment=enrolment,
        by=staff,
        **entry(enrolment, start_date=dt.date(2024, 5, 10), entry_occupation=studies),
    )
    enrolment.refresh_from_db()
    assert enrolment.start_date == dt.date(2024, 5, 10)
    assert enrolment.age_at_start == 26
    assert enrolment.entry_occupation == studies
    row = corrections().get()
    assert row.event == Event.ENROLMENT_ENTRY_CORRECTED
    assert row.actor == staff
    assert row.before == {
        "participant": enrolment.participant_id,
        "enrolment": enrolment.pk,
        "start_date": "2024-05-02",
        "entry_occupation": "Sjukskriven",
    }
    assert row.after["start_date"] == "2024-05-10"
    assert row.after["entry_occupation"] == "Studier"
    assert row.after["reason"] == "Fel uppgift registrerad"
    log = AccessLogEntry.objects.filter(action="update").latest("id")
    assert log.participant_id == enrolment.participant_id and log.user == staff
    assert "startdatum" in log.detail and log.intervention == enrolment.intervention


def test_entry_corrections_follow_the_registration_rules_and_save_nothing_on_error(
    setup, other_association
):
    association, intervention, staff, enrolment = setup
    foreign = pf.code(other_association, CodeList.OCCUPATION, "studier")
    cases = [
        ({"start_date": TODAY + dt.timedelta(days=1)}, "start_date", "framtiden"),
        ({"start_date": dt.date(2019, 12, 31)}, "start_date", "Insatsen startade"),
        ({"start_date": None}, "start_date", "Ange när"),
        ({"entry_occupation": foreign}, "entry_occupation", "kodlista"),
        ({"reason": "  "}, "reason", "varför"),
        ({"reason": "x" * 501}, "reason", "kortare"),
    ]
    for changes, field, text in cases:
        with pytest.raises(ValidationError) as info:
            services.enrolment_correct_entry(
                enrolment=enrolment, by=staff, **entry(enrolment, **changes)
            )
        assert text in info.value.message_dict[field][0], changes
    enrolment.refresh_from_db()
    assert enrolment.start_date == START
    assert not corrections().exists()


def test_a_correction_that_changes_nothing_is_refused(setup):
    _a, _i, staff, enrolment = setup
    with pytest.raises(ValidationError) as info:
        services.enrolment_correct_entry(enrolment=enrolment, by=staff, **entry(enrolment))
    assert "Inget är ändrat" in str(info.value)
    assert not corrections().exists()


def test_a_new_start_date_with_an_uncertain_age_asks_for_the_identity_number(setup):
    _a, _i, staff, enrolment = setup
    earlier = dt.date(2024, 3, 1)  # before or after 12 April? The birth year alone cannot say.
    with pytest.raises(ValidationError) as info:
        services.enrolment_correct_entry(
            enrolment=enrolment, by=staff, **entry(enrolment, start_date=earlier)
        )
    assert "personnumret igen" in info.value.message_dict["identity_text"][0]
    with pytest.raises(ValidationError) as info:
        services.enrolment_correct_entry(
            enrolment=enrolment,
            by=staff,
            **entry(enrolment, start_date=earlier),
            identity_text=pf.identity_number(serial="457"),
        )
    assert "hör inte till" in info.value.message_dict["identity_text"][0]
    services.enrolment_correct_entry(
        enrolment=enrolment, by=staff, **entry(enrolment, start_date=earlier), identity_text=NUMBER
    )
    enrolment.refresh_from_db()
    assert (enrolment.start_date, enrolment.age_at_start) == (earlier, 25)
    row = corrections().get()
    assert NUMBER not in json.dumps([row.before, row.after])
    assert NUMBER.replace("-", "") not in json.dumps([row.before, row.after])


@given(
    birth=st.dates(dt.date(1950, 1, 1), dt.date(2005, 12, 31)),
    start=st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
    new_start=st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
)
def test_an_age_worked_out_from_the_birth_year_is_the_true_age(birth, start, new_start):
    def true_age(day):
        return day.year - birth.year - int((day.month, day.day) < (birth.month, birth.day))

    age = services.age_from_birth_year(
        birth_year=birth.year, known_day=start, known_age=true_age(start), day=new_start
    )
    assert age is None or age == true_age(new_start)
    if new_start == start:
        assert age == true_age(start)


def test_the_start_cannot_move_past_a_session(setup):
    _a, _i, staff, enrolment = setup
    record_session(enrolment, staff, day=dt.date(2024, 5, 5))
    with pytest.raises(ValidationError) as info:
        services.enrolment_correct_entry(
            enrolment=enrolment, by=staff, **entry(enrolment, start_date=dt.date(2024, 5, 10))
        )
    assert "2024-05-05" in info.value.message_dict["start_date"][0]


def exit_fields(association, **changes):
    fields = {
        "exit_date": dt.date(2024, 6, 1),
        "exit_reason": pf.code(association, CodeList.EXIT_REASON, "planerat-avslut"),
        "exit_occupation": pf.code(association, CodeList.OCCUPATION, "arbete"),
        "today": TODAY,
    }
    fields.update(changes)
    return fields


def test_the_exit_is_registered_once_and_then_corrected_with_a_reason(setup):
    association, _i, staff, enrolment = setup
    with pytest.raises(ValidationError) as info:
        services.enrolment_correct_exit(
            enrolment=enrolment, by=staff, reason="x", **exit_fields(association)
        )
    assert "inte avslutat" in str(info.value)
    services.enrolment_exit(enrolment=enrolment, by=staff, **exit_fields(association))
    with pytest.raises(ValidationError) as info:  # no silent overwrite
        services.enrolment_exit(
            enrolment=enrolment,
            by=staff,
            **exit_fields(association, exit_date=dt.date(2024, 6, 2)),
        )
    assert "Rätta avslutet" in info.value.message_dict["exit_date"][0]
    record_session(enrolment, staff, day=dt.date(2024, 5, 20))
    with pytest.raises(ValidationError) as info:
        services.enrolment_correct_exit(
            enrolment=enrolment,
            by=staff,
            reason="Fel datum",
            **exit_fields(association, exit_date=dt.date(2024, 5, 15)),
        )
    assert "2024-05-20" in info.value.message_dict["exit_date"][0]
    services.enrolment_correct_exit(
        enrolment=enrolment,
        by=staff,
        reason="Fel datum",
        **exit_fields(
            association,
            exit_date=dt.date(2024, 5, 28),
            exit_occupation=pf.code(association, CodeList.OCCUPATION, "studier"),
        ),
    )
    enrolment.refresh_from_db()
    assert enrolment.exit_date == dt.date(2024, 5, 28)
    row = corrections().get()
    assert row.event == Event.ENROLMENT_EXIT_CORRECTED
    assert row.before["exit_date"] == "2024-06-01" and row.after["exit_date"] == "2024-05-28"
    assert (row.before["exit_occupation"], row.after["exit_occupation"]) == ("Arbete", "Studier")


def test_a_session_correction_validates_like_recording_and_quantizes_ratings(setup):
    _a, _i, staff, enrolment = setup
    session = record_session(enrolment, staff)
    with pytest.raises(ValidationError) as info:
        services.session_correct(
            session=session,
            reason="Felskrivet",
            date=START,
            ors_items=["5", "", "7", "8"],
            srs_total="41",
            by=staff,
            today=TODAY,
        )
    assert "alla fyra" in info.value.message_dict["ors_interpersonal"][0]
    assert "srs_total" in info.value.message_dict
    session.refresh_from_db()
    assert session.ors_total == Decimal("26.0")
    services.session_correct(
        session=session,
        reason="Felskrivet",
        date=dt.date(2024, 5, 3),
        kind=Session.Kind.GROUP,
        ors_items=["5", "6,5", "7", "8"],
        srs_total="38",
        by=staff,
        today=TODAY,
    )
    session.refresh_from_db()
    assert session.ors_total == Decimal("26.5") and session.kind == "group"
    row = corrections().get()
    assert row.event == Event.SESSION_CORRECTED
    assert row.before["ors_interpersonal"] == "6.0" and row.after["ors_interpersonal"] == "6.5"
    assert row.before["ors_total"] == "26.0" and row.after["ors_total"] == "26.5"
    assert (row.before["kind"], row.after["kind"]) == ("Enskilt", "Grupp")
    assert row.after["enrolment"] == enrolment.pk
    assert "srs_total" not in row.after  # unchanged fields are left out


def test_a_session_is_deleted_only_with_a_reason_and_the_audit_keeps_it(setup):
    _a, _i, staff, enrolment = setup
    session = record_session(enrolment, staff)
    with pytest.raises(ValidationError) as info:
        services.session_delete(session=session, reason="", by=staff)
    assert "reason" in info.value.message_dict
    assert Session.objects.filter(pk=session.pk).exists()
    services.session_delete(session=session, reason="Registrerad på fel person", by=staff)
    assert not Session.objects.filter(pk=session.pk).exists()
    row = corrections().get()
    assert row.event == Event.SESSION_DELETED
    assert row.before["date"] == "2024-05-02" and row.before["srs_total"] == "38.0"
    assert row.after["date"] is None and row.after["reason"] == "Registrerad på fel person"


def test_name_and_contact_corrections_never_put_the_values_in_the_audit_log(setup, settings):
    _a, _i, staff, enrolment = setup
    services.participant_correct(
        enrolment=enrolment, by=staff, reason="Bytt efternamn", name="Alva Nyberg", contact=""
    )
    participant = Participant.objects.get(pk=enrolment.participant_id)
    assert services.decrypt_or_blank(participant.name_encrypted) == "Alva Nyberg"
    assert participant.contact_encrypted == ""
    row = corrections().get()
    assert row.event == Event.PARTICIPANT_CORRECTED
    assert row.before == {
        "participant": participant.pk,
        "enrolment": None,
        "name": services.SECRET_SET,
        "contact": services.SECRET_SET,
    }
    assert row.after["name"] == services.SECRET_CHANGED
    assert row.after["contact"] == services.SECRET_REMOVED
    with pytest.raises(ValidationError):  # the same values again: nothing to correct
        services.participant_correct(
            enrolment=enrolment, by=staff, reason="Igen", name="Alva Nyberg", contact=""
        )


def test_no_clear_personal_data_in_any_audit_or_access_log_row(setup):
    association, _i, staff, enrolment = setup
    session = record_session(enrolment, staff)
    services.participant_correct(
        enrolment=enrolment, by=staff, reason="Stavfel", name="Alva Tesson", contact="alva@x.se"
    )
    services.enrolment_correct_entry(
        enrolment=enrolment,
        by=staff,
        **entry(enrolment, start_date=dt.date(2024, 3, 1)),
        identity_text=NUMBER,
    )
    services.session_correct(
        session=session,
        reason="Fel",
        date=START,
        ors_items=[4, 4, 4, 4],
        srs_total="",
        by=staff,
        today=TODAY,
    )
    services.participant_consent_change(
        enrolment=enrolment,
        change="withdrawn",
        changed_on=TODAY,
        text="Allt",
        by=staff,
        today=TODAY,
    )
    dumped = json.dumps(
        [[row.before, row.after, row.target_repr] for row in AuditEvent.objects.all()],
        ensure_ascii=False,
    ) + "".join(AccessLogEntry.objects.values_list("detail", flat=True))
    assert AuditEvent.objects.count() >= 4
    for secret in (
        NAME,
        CONTACT,
        "Alva Tesson",
        "alva@x.se",
        NUMBER,
        NUMBER.replace("-", ""),
        "Testsson",
        "Tesson",
    ):
        assert secret not in dumped, secret
    tokens = Participant.objects.values_list("name_encrypted", "contact_encrypted").get()
    assert all(token[:20] not in dumped for token in tokens)


def test_erased_participants_cannot_be_corrected(setup):
    association, _i, staff, enrolment = setup
    record_session(enrolment, staff)
    services.participant_erase(participant=enrolment.participant, by=staff)
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    session = Session.objects.get(enrolment=enrolment)  # written again, in order (erasure)
    attempts = [
        lambda: services.enrolment_correct_entry(
            enrolment=enrolment, by=staff, **entry(enrolment, education=None)
        ),
        lambda: services.participant_correct(enrolment=enrolment, by=staff, reason="x", name="Y"),
        lambda: services.session_correct(
            session=session, reason="x", date=session.date, ors_items=[1, 1, 1, 1], by=staff
        ),
        lambda: services.session_delete(session=session, reason="x", by=staff),
        lambda: services.enrolment_exit(enrolment=enrolment, by=staff, **exit_fields(association)),
        lambda: services.participant_consent_change(
            enrolment=enrolment, change="withdrawn", changed_on=TODAY, text="x", by=staff
        ),
        lambda: record_session(enrolment, staff),
    ]
    for attempt in attempts:
        with pytest.raises(PermissionDenied) as info:
            attempt()
        assert "raderade" in str(info.value)
    assert not corrections().exists()


def test_only_the_interventions_staff_may_correct(setup):
    association, _i, _staff, enrolment = setup
    other = pf.staffed_intervention(association, title="Samkraft")
    stranger = pf.staff_user(association, other)
    with pytest.raises(PermissionDenied):
        services.participant_correct(enrolment=enrolment, by=stranger, reason="x", name="Y")
    with pytest.raises(PermissionDenied):
        services.participant_consent_change(
            enrolment=enrolment, change="withdrawn", changed_on=TODAY, text="x", by=stranger
        )
    assert not corrections().exists()


def test_withdrawn_consent_blocks_sessions_and_corrections_but_not_the_exit(setup):
    association, _i, staff, enrolment = setup
    session = record_session(enrolment, staff)
    services.participant_consent_change(
        enrolment=enrolment,
        change="withdrawn",
        changed_on=dt.date(2024, 6, 3),
        text="Registrering och uppföljning",
        by=staff,
        today=TODAY,
    )
    participant = Participant.objects.get(pk=enrolment.participant_id)
    assert participant.consent_withdrawn_on == dt.date(2024, 6, 3)
    row = AuditEvent.objects.get(event=Event.PARTICIPANT_CONSENT_WITHDRAWN)
    assert row.before["consent_withdrawn_on"] is None
    assert row.after["consent_withdrawn_on"] == "2024-06-03"
    assert row.after["consent_withdrawal_note"] == "Registrering och uppföljning"
    enrolment = Enrolment.objects.get(pk=enrolment.pk)
    session = Session.objects.get(pk=session.pk)
    blocked = [
        lambda: record_session(enrolment, staff, day=dt.date(2024, 6, 4)),
        lambda: services.enrolment_correct_entry(
            enrolment=enrolment, by=staff, **entry(enrolment, education=None)
        ),
        lambda: services.participant_correct(enrolment=enrolment, by=staff, reason="x", name="Y"),
        lambda: services.session_correct(
            session=session, reason="x", date=session.date, ors_items=[1, 1, 1, 1], by=staff
        ),
        lambda: services.session_delete(session=session, reason="x", by=staff),
    ]
    for attempt in blocked:
        with pytest.raises(PermissionDenied) as info:
            attempt()
        assert "återkallat" in str(info.value)
    with pytest.raises(ValidationError) as info:
        services.participant_consent_change(
            enrolment=enrolment, change="scope", changed_on=TODAY, text="Ny", by=staff, today=TODAY
        )
    assert "redan" in info.value.message_dict["change"][0]
    assert Session.objects.filter(enrolment=enrolment).count() == 1
    services.enrolment_exit(enrolment=enrolment, by=staff, **exit_fields(association))
    services.enrolment_correct_exit(
        enrolment=enrolment,
        by=staff,
        reason="Fel orsak",
        **exit_fields(
            association, exit_reason=pf.code(association, CodeList.EXIT_REASON, "avbrott")
        ),
    )
    enrolment.refresh_from_db()
    assert enrolment.exit_reason.code == "avbrott"


def test_consent_changes_are_validated(setup):
    _a, _i, staff, enrolment = setup
    with pytest.raises(ValidationError) as info:
        services.participant_consent_change(
            enrolment=enrolment,
            change="withdrawn",
            changed_on=START - dt.timedelta(days=1),
            text="",
            by=staff,
            today=TODAY,
        )
    assert "före samtycket" in info.value.message_dict["changed_on"][0]
    assert "återkallat" in info.value.message_dict["text"][0]
    with pytest.raises(ValidationError) as info:
        services.participant_consent_change(
            enrolment=enrolment,
            change="other",
            changed_on=TODAY + dt.timedelta(days=1),
            text="x",
            by=staff,
            today=TODAY,
        )
    assert "change" in info.value.message_dict
    assert "framtiden" in info.value.message_dict["changed_on"][0]
    assert Participant.objects.get(pk=enrolment.participant_id).consent_withdrawn_on is None
    services.participant_consent_change(
        enrolment=enrolment,
        change="scope",
        changed_on=dt.date(2024, 6, 1),
        text="Registrering, men inte rapportering till Uppföljning Finsam",
        by=staff,
        today=TODAY,
    )
    participant = Participant.objects.get(pk=enrolment.participant_id)
    assert participant.consent_scope.startswith("Registrering, men inte")
    assert participant.consent_date == dt.date(2024, 6, 1)
    row = AuditEvent.objects.get(event=Event.PARTICIPANT_CONSENT_CHANGED)
    assert row.before["consent_scope"] == "Registrering och uppföljning"


def test_a_new_registration_after_a_withdrawal_brings_a_new_consent(setup):
    association, intervention, staff, enrolment = setup
    services.participant_consent_change(
        enrolment=enrolment,
        change="withdrawn",
        changed_on=TODAY,
        text="Allt",
        by=staff,
        today=TODAY,
    )
    services.enrolment_exit(enrolment=enrolment, by=staff, **exit_fields(association))
    pf.register(
        association, intervention, by=staff, start_date=TODAY, consent_date=TODAY, today=TODAY
    )
    participant = Participant.objects.get(pk=enrolment.participant_id)
    assert participant.consent_withdrawn_on is None
    rows = AuditEvent.objects.filter(event=Event.PARTICIPANT_CONSENT_CHANGED)
    assert rows.count() == 1 and rows.get().before["consent_withdrawn_on"] == TODAY.isoformat()


def test_the_history_lists_this_participations_and_the_persons_corrections(setup):
    association, _i, staff, enrolment = setup
    other_intervention = pf.staffed_intervention(association, title="Samkraft", staff=[staff])
    other = pf.register(
        association, other_intervention, by=staff, start_date=START, consent_date=START, today=TODAY
    )
    services.enrolment_correct_entry(
        enrolment=other,
        by=staff,
        **entry(
            other,
            time_outside=pf.code(association, CodeList.TIME_OUTSIDE, "1-2-ar"),
            reason="Annan insats",
        ),
    )
    services.participant_correct(
        enrolment=enrolment, by=staff, reason="Nytt nummer", name=NAME, contact="070-1"
    )
    services.enrolment_correct_entry(
        enrolment=enrolment, by=staff, **entry(enrolment, start_date=dt.date(2024, 5, 6))
    )
    history = selectors.correction_history(enrolment=enrolment)
    assert [h.reason for h in history] == ["Fel uppgift registrerad", "Nytt nummer"]
    assert history[0].who == staff.username
    assert history[0].changes == [("Startdatum", "2024-05-02", "2024-05-06")]
    assert history[1].changes == [
        ("Kontaktuppgifter", services.SECRET_SET, services.SECRET_CHANGED)
    ]


def test_the_demo_shows_a_correction_history_and_loading_twice_adds_none(db):
    import io

    from django.core.management import call_command

    call_command("load_demo", stdout=io.StringIO())
    count = corrections().count()
    assert count > 0
    first = Enrolment.objects.filter(
        intervention__association__slug="kramfors", intervention__title__startswith="STEGSAM –"
    ).order_by("pk")[0]
    history = selectors.correction_history(enrolment=first)
    assert history and history[-1].reason.startswith("Fel tid utanför arbete")
    call_command("load_demo", stdout=io.StringIO())
    assert corrections().count() == count
