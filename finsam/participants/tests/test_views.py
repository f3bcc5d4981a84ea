"""Request tests: the permission matrix, the register form, the access log on every read path."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import lxml.html
import pytest
from django.urls import reverse
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.organisation.models import Role
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
            enrolment=enrolment, date=enrolment.start_date, srs_total="38", by=SYSTEM
        ).session
    )
    return [(name, url(name, association, enrolment.pk)) for name in PERSONAL] + [
        (name, url(name, association, enrolment.pk, session.pk)) for name in SESSION_PERSONAL
    ]


def test_every_participants_url_is_in_the_matrix():
    names = {p.name for p in participant_urls.urlpatterns}
    listed = {*PERSONAL, *SESSION_PERSONAL, *INTERVENTION_PAGES, *ASSOCIATION_PAGES}
    assert names == listed | set(OFFICE_SETTINGS)  # the office's settings have their own matrix


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


def test_access_log_is_for_the_data_protection_contact_and_codes_for_the_office(
    client, world, login_as
):
    association = world[0]
    for role in (Role.BOARD, Role.OFFICE):
        login_as(role)
        for name in ("access_log", "log_xlsx", "log_csv"):
            response = client.get(url(name, association))
            assert response.status_code == 403 and "dataskyddskontakt" in response.content.decode()
    assert client.get(url("codes", association)).status_code == 200  # still the office
    login_as(Role.PRIVACY)
    response = client.get(url("access_log", association) + "?action=create")
    assert response.status_code == 200 and "Registrering" in response.content.decode()
    assert client.get(url("codes", association)).status_code == 403
    assert client.get(url("log_csv", association)).status_code == 200
    assert client.get(url("log_xlsx", association)).status_code == 200


# Every URL of the app that shows or exports what the register holds about a person, and the
# access-log row each request must write: (action, what the row says). The list is checked
# against urls.py below, so a new page has to be put here or among the pages that show nothing.
READ_PATHS = {
    "intervention": ("list", "Deltagarlistan för STEGSAM"),
    "national_csv": ("export", "Export för nationell uppföljning, STEGSAM"),
    "enrolment": ("view", "Deltagarsidan i STEGSAM"),
    "survey": ("view", "Avslutsenkäten öppnad för ändring"),  # the saved answers, to change
    "export_json": ("export", "Registerutdrag"),
    "export_pdf": ("export", "Registerutdrag"),
    "correct_entry": ("view", "Rättelseformulär: uppgifter vid start"),
    "correct_exit": ("view", "Rättelseformulär: uppgifter vid avslut"),
    "correct_person": ("view", "Rättelseformulär: namn och kontakt"),
    "consent": ("view", "Rättelseformulär: samtycke"),
    "participant_log": ("view", "Åtkomsthistoriken för deltagaren"),
    "session_edit": ("view", "Rättelseformulär: träff"),
    "session_delete": ("view", "Ta bort träff (formulär)"),
}
# Pages of an intervention or a participation that show nothing stored about the person (at
# most the pseudonym in the heading): empty forms, and the erasure's confirmation.
SHOWS_NOTHING_STORED = {"register", "session_create", "exit", "erase"}


def test_every_page_is_either_a_read_path_or_shows_nothing_stored():
    per_person = {*PERSONAL, *SESSION_PERSONAL, *INTERVENTION_PAGES}
    assert set(READ_PATHS) | SHOWS_NOTHING_STORED == per_person
    assert not set(READ_PATHS) & SHOWS_NOTHING_STORED


def test_every_read_path_writes_the_access_log(client, world, question):
    """One row per request: who, which participant, in which intervention, what."""
    association, intervention, staff, enrolment = world
    session = services.session_record(
        enrolment=enrolment, date=enrolment.start_date, ors_items=[5, 5, 5, 5], by=SYSTEM
    ).session
    pf.exit_enrolment(enrolment)  # so that the exit can be corrected
    services.exit_survey_record(
        enrolment=enrolment,
        satisfied=True,
        self_rated_progress=4,
        answers={question.pk: 5},
        by=SYSTEM,
    )
    participant = enrolment.participant
    client.force_login(staff)
    for name, (action, what) in READ_PATHS.items():
        if name in INTERVENTION_PAGES:
            address = url(name, association, intervention.pk)
        elif name in SESSION_PERSONAL:
            address = url(name, association, enrolment.pk, session.pk)
        else:
            address = url(name, association, enrolment.pk)
        AccessLogEntry.objects.all().delete()
        response = client.get(address)
        assert response.status_code == 200, name
        rows = list(AccessLogEntry.objects.all())
        assert len(rows) == 1, (name, [(r.action, r.detail) for r in rows])
        (row,) = rows
        assert (row.user, row.username) == (staff, staff.username), name
        assert row.association == association, name
        assert row.participant == participant, name
        assert row.intervention == intervention, name
        assert (row.action, row.detail) == (action, what), name
    for name in SHOWS_NOTHING_STORED:
        AccessLogEntry.objects.all().delete()
        if name in INTERVENTION_PAGES:
            address = url(name, association, intervention.pk)
        else:
            address = url(name, association, enrolment.pk)
        response = client.get(address)
        assert response.status_code in (200, 302), name
        body = response.content.decode()
        assert "Alva" not in body and "070-123 45 67" not in body, name
        assert not AccessLogEntry.objects.exists(), name


def test_exporting_the_access_log_is_logged_for_the_association(client, world, login_as):
    association = world[0]
    login_as(Role.PRIVACY)
    for name, file_format in (("log_csv", "CSV"), ("log_xlsx", "XLSX")):
        AccessLogEntry.objects.all().delete()
        assert client.get(url(name, association)).status_code == 200
        (row,) = AccessLogEntry.objects.all()
        assert row.action == "export" and row.participant is None
        assert row.detail.startswith("Åtkomstloggen exporterad") and file_format in row.detail


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


def test_the_intervention_list_shows_the_latest_ors_with_one_decimal(client, world):
    association, intervention, staff, enrolment = world
    client.force_login(staff)
    scores = {"ors_individual": "7,6", "ors_interpersonal": "7,6"}
    scores |= {"ors_social": "7,5", "ors_overall": "7,5"}
    response = client.post(
        url("session_create", association, enrolment.pk),
        {"date": timezone.localdate().isoformat(), "kind": "individual", **scores},
    )
    assert response.status_code == 302
    page = client.get(url("intervention", association, intervention.pk)).content.decode()
    row = lxml.html.fromstring(page).xpath(f'//a[text()="D-{enrolment.participant_id}"]/../..')
    assert row, "the participant's row"
    assert row[0].xpath("./td")[-1].text_content().strip() == "30,2"


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


# --- the office's settings: own survey questions and the rules for ORS and SRS --------------------

OFFICE_SETTINGS = {
    # url name: (capability, needs a question pk, POST only)
    "survey_questions": ("participants.survey", False, False),
    "survey_question_edit": ("participants.survey", True, False),
    "survey_question_move": ("participants.survey", True, True),
    "survey_question_delete": ("participants.survey", True, True),
    "rating_settings": ("participants.ratings", False, False),
}


def test_every_settings_url_declares_its_capability():
    from django.urls import resolve

    from finsam.organisation.access import CAPABILITIES, REFUSALS

    for name, (capability, needs_pk, _post) in OFFICE_SETTINGS.items():
        address = reverse(f"participants:{name}", args=["x", 1] if needs_pk else ["x"])
        func = resolve(address).func
        while not hasattr(func, "capability"):
            func = func.__wrapped__
        assert func.capability == capability, name
        assert CAPABILITIES[capability] == frozenset({Role.OFFICE})
        assert capability in REFUSALS


@pytest.fixture
def question(association):
    from finsam.participants import services

    return services.survey_question_create(
        association=association,
        by=SYSTEM,
        text="Jag har blivit bemött med respekt",
        kind="scale",
        scale_low_label="Stämmer inte alls",
        scale_high_label="Stämmer helt",
    )


def settings_url(name, association, question):
    needs_pk = OFFICE_SETTINGS[name][1]
    return url(name, association, question.pk) if needs_pk else url(name, association)


def _settings_state():
    from finsam.organisation.models import AuditEvent
    from finsam.participants.models import RatingSettings, SurveyQuestion

    return (
        list(SurveyQuestion.objects.values_list("id", "text", "sort_order", "is_active")),
        list(RatingSettings.objects.values_list("rules", flat=True)),
        AuditEvent.objects.count(),
    )


@pytest.mark.parametrize("name", list(OFFICE_SETTINGS))
@pytest.mark.parametrize(
    "role", [Role.STAFF, Role.BOARD, Role.AUDITOR, Role.ECONOMIST, Role.MEMBER_ORG]
)
def test_settings_pages_refuse_other_roles_with_the_reason(
    client, login_as, association, question, name, role
):
    from finsam.organisation.access import REFUSALS

    login_as(role)
    address = settings_url(name, association, question)
    before = _settings_state()
    if not OFFICE_SETTINGS[name][2]:
        response = client.get(address)
        assert response.status_code == 403
        assert str(REFUSALS[OFFICE_SETTINGS[name][0]]) in response.content.decode()
    response = client.post(address, {"text": "Ny", "kind": "yes_no", "riktning": "ned"})
    assert response.status_code == 403
    assert str(REFUSALS[OFFICE_SETTINGS[name][0]]) in response.content.decode()
    assert _settings_state() == before


@pytest.mark.parametrize("name", list(OFFICE_SETTINGS))
def test_settings_pages_are_404_for_another_association(
    client, association, other_association, question, name
):
    from finsam.participants import services

    # The other association's office, both on this association's URLs and with this
    # association's question in its own URLs.
    outsider = user_with_role(other_association, Role.OFFICE)
    client.force_login(outsider)
    before = _settings_state()
    addresses = [settings_url(name, association, question)]
    if OFFICE_SETTINGS[name][1]:  # this association's question in the outsider's own URLs
        addresses.append(settings_url(name, other_association, question))
    for address in addresses:
        response = client.post(address, {"text": "Ny", "kind": "yes_no"})
        assert response.status_code == 404, address
        assert "bemött med respekt" not in response.content.decode()
    assert _settings_state() == before
    assert services.survey_questions(association=other_association) == []


@pytest.mark.parametrize("name", list(OFFICE_SETTINGS))
def test_settings_pages_send_anonymous_users_to_login(client, association, question, name):
    address = settings_url(name, association, question)
    response = client.post(address, {})
    assert response.status_code == 302 and "logga-in" in response["Location"]


def test_office_adds_edits_moves_and_retires_questions(client, login_as, association, question):
    from finsam.participants.models import SurveyQuestion

    login_as(Role.OFFICE)
    page = client.get(url("survey_questions", association))
    assert page.status_code == 200
    assert "Jag har blivit bemött med respekt" in page.content.decode()
    response = client.post(
        url("survey_questions", association),
        {"text": "Jag vet vad nästa steg är", "kind": "yes_no", "is_active": "on"},
    )
    assert response.status_code == 302
    added = SurveyQuestion.objects.get(text="Jag vet vad nästa steg är")
    response = client.post(url("survey_question_move", association, added.pk), {"riktning": "upp"})
    assert response.status_code == 302
    assert [q.text for q in SurveyQuestion.objects.order_by("sort_order")] == [
        "Jag vet vad nästa steg är",
        "Jag har blivit bemött med respekt",
    ]
    assert client.get(url("survey_question_edit", association, added.pk)).status_code == 200
    response = client.post(
        url("survey_question_edit", association, added.pk),
        {"text": "Jag vet vad som händer nu", "kind": "yes_no"},  # is_active unticked: retired
    )
    assert response.status_code == 302
    added.refresh_from_db()
    assert (added.text, added.is_active) == ("Jag vet vad som händer nu", False)
    response = client.get(url("survey_questions", association))
    assert "används inte" in response.content.decode()


def test_a_bad_question_gets_errors_at_the_fields_and_nothing_is_saved(
    client, login_as, association
):
    from finsam.participants.models import SurveyQuestion

    login_as(Role.OFFICE)
    response = client.post(
        url("survey_questions", association), {"text": "Hur nöjd är du?", "kind": "scale"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Skriv vad 1 betyder" in body and "Skriv vad 5 betyder" in body
    assert 'aria-describedby="id_scale_low_label_helptext id_scale_low_label_error"' in body
    assert not SurveyQuestion.objects.exists()


def test_an_answered_question_cannot_be_deleted_or_change_kind(
    client, login_as, association, question
):
    from finsam.participants import services
    from finsam.participants.models import SurveyQuestion

    intervention = pf.staffed_intervention(association)
    enrolment = pf.register(association, intervention)
    services.exit_survey_record(
        enrolment=enrolment,
        satisfied=True,
        self_rated_progress=4,
        answers={question.pk: 5},
        by=SYSTEM,
    )
    login_as(Role.OFFICE)
    response = client.post(url("survey_question_delete", association, question.pk), follow=True)
    assert "har svar och kan inte tas bort" in response.content.decode()
    assert SurveyQuestion.objects.filter(pk=question.pk).exists()
    response = client.post(
        url("survey_question_edit", association, question.pk),
        {"text": question.text, "kind": "text", "is_active": "on"},
    )
    assert response.status_code == 400
    assert "kan inte byta svarstyp" in response.content.decode()
    question.refresh_from_db()
    assert question.kind == "scale"
    page = client.get(url("survey_questions", association)).content.decode()
    assert (
        "survey_question_delete" not in page and f"enkatfragor/{question.pk}/ta-bort/" not in page
    )


def test_an_unanswered_question_can_be_deleted(client, login_as, association, question):
    from finsam.participants.models import SurveyQuestion

    login_as(Role.OFFICE)
    response = client.post(url("survey_question_delete", association, question.pk))
    assert response.status_code == 302
    assert not SurveyQuestion.objects.exists()
    assert client.get(url("survey_question_delete", association, 1)).status_code == 405


def _rating_post(**overrides):
    data = {
        "band_0_min_age": "0",
        "band_0_max_age": "17",
        "band_0_cutoff": "29",
        "band_1_min_age": "18",
        "band_1_max_age": "",
        "band_1_cutoff": "26,5",
        "reliable_change_points": "6",
        "srs_alert_below": "35",
        "gsrs_alert_below": "33",
    }
    data.update(overrides)
    return data


def test_office_edits_the_rules_and_the_chart_follows(client, login_as, association):
    from finsam.participants import services
    from finsam.participants.ratings import DEFAULT_RULES

    login_as(Role.OFFICE)
    page = client.get(url("rating_settings", association)).content.decode()
    assert 'value="25"' in page and "18 år och äldre: klinisk gräns 25" in page
    response = client.post(url("rating_settings", association), _rating_post())
    assert response.status_code == 302
    rules = services.rating_rules_for(association)
    assert rules != DEFAULT_RULES
    assert [b.cutoff for b in rules.age_bands] == [29, Decimal("26.5")]

    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    enrolment = pf.register(association, intervention, by=staff)  # born 1998: an adult
    services.session_record(
        enrolment=enrolment, date=enrolment.start_date, kind="group", srs_total="34", by=SYSTEM
    )
    client.force_login(staff)
    body = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    assert "Klinisk gräns 26,5" in body
    assert "Tillförlitlig förändring: minst 6 poäng" in body
    assert "G-SRS under 33" not in body  # 34 is not under the association's G-SRS level
    assert "Senaste G-SRS" not in body
    form = client.get(url("session_create", association, enrolment.pk)).content.decode()
    assert "SRS under 35 (enskild träff) eller G-SRS under 33 (grupp)" in form


def test_a_young_participant_gets_the_cutoff_of_the_age_band(client, association):
    import datetime as dt

    from finsam.participants import services

    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    birth = timezone.localdate().replace(day=1) - dt.timedelta(days=15 * 365)
    enrolment = pf.register(
        association, intervention, by=staff, number=pf.identity_number(birth, "123")
    )
    assert 13 <= enrolment.age_at_start <= 17
    services.session_record(
        enrolment=enrolment, date=enrolment.start_date, srs_total="35", by=SYSTEM
    )
    client.force_login(staff)
    body = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    assert "Klinisk gräns 28" in body
    assert "Senaste SRS" in body and "under 36" in body


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"band_1_min_age": "20"}, "band_1_min_age", "18–19 år saknar grupp"),
        ({"band_1_max_age": "64"}, "band_1_max_age", "lämna fältet tomt"),
        ({"band_0_cutoff": "45"}, "band_0_cutoff", "mellan 0 och 40"),
        ({"band_0_min_age": "tre"}, "band_0_min_age", "heltal"),
        ({"reliable_change_points": "0"}, "reliable_change_points", "större än 0"),
        ({"gsrs_alert_below": ""}, "gsrs_alert_below", "Ange ett värde"),
    ],
)
def test_bad_rules_get_errors_at_the_field_and_nothing_is_saved(
    client, login_as, association, overrides, field, words
):
    from finsam.organisation.models import AuditEvent
    from finsam.participants import services
    from finsam.participants.ratings import DEFAULT_RULES

    login_as(Role.OFFICE)
    response = client.post(url("rating_settings", association), _rating_post(**overrides))
    assert response.status_code == 400
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body and words in body
    assert re.search(f'aria-describedby="[^"]*id_{field}_error"', body)
    assert services.rating_rules_for(association) == DEFAULT_RULES
    assert not AuditEvent.objects.filter(event="rating_settings.updated").exists()


# --- the staff's exit survey with the association's own questions ----------------------------------


def test_staff_answer_the_own_questions_and_see_them_on_the_participant_page(
    client, world, question
):
    from finsam.participants import services
    from finsam.participants.models import SurveyAnswer

    association, _intervention, staff, enrolment = world
    text_question = services.survey_question_create(
        association=association, by=SYSTEM, text="Vad kunde vi ha gjort bättre?", kind="text"
    )
    client.force_login(staff)
    form = client.get(url("survey", association, enrolment.pk)).content.decode()
    assert "Jag har blivit bemött med respekt" in form and "1 – Stämmer inte alls" in form
    response = client.post(
        url("survey", association, enrolment.pk),
        {
            "satisfied": "ja",
            "self_rated_progress": "4",
            f"q_{question.pk}": "5",
            f"q_{text_question.pk}": "Fler träffar i början.",
        },
    )
    assert response.status_code == 302
    assert {a.question_id: a.value for a in SurveyAnswer.objects.all()} == {
        question.pk: 5,
        text_question.pk: "Fler träffar i början.",
    }
    page = client.get(url("enrolment", association, enrolment.pk)).content.decode()
    assert "5 av 5" in page and "Fler träffar i början." in page
    AccessLogEntry.objects.all().delete()
    again = client.get(url("survey", association, enrolment.pk)).content.decode()
    assert "Fler träffar i början." in again  # the saved answers are the form's initial values
    assert AccessLogEntry.objects.filter(
        action="view", participant=enrolment.participant, user=staff
    ).exists()
    exported = client.get(url("export_json", association, enrolment.pk)).json()
    own = exported["deltaganden"][0]["avslutsenkat"]["egna_fragor"]
    assert {
        "fraga": "Vad kunde vi ha gjort bättre?",
        "typ": "text",
        "svar": "Fler träffar i början.",
    } in own
    assert client.get(url("export_pdf", association, enrolment.pk)).status_code == 200


def test_a_missing_required_answer_is_a_field_error_and_nothing_is_saved(client, world):
    from finsam.participants import services
    from finsam.participants.models import ExitSurvey

    association, _intervention, staff, enrolment = world
    required = services.survey_question_create(
        association=association,
        by=SYSTEM,
        text="Jag vet vad nästa steg är",
        kind="yes_no",
        required=True,
    )
    client.force_login(staff)
    response = client.post(
        url("survey", association, enrolment.pk), {"satisfied": "ja", "self_rated_progress": "3"}
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Svara på frågan – den är obligatorisk." in body
    assert f"id_q_{required.pk}_error" in body
    assert not ExitSurvey.objects.exists()


def test_the_statistics_page_shows_the_own_questions_suppressed(client, world, question, login_as):
    from finsam.participants import services

    association, intervention, _staff, enrolment = world
    services.exit_survey_record(
        enrolment=enrolment,
        satisfied=True,
        self_rated_progress=4,
        answers={question.pk: 5},
        by=SYSTEM,
    )
    services.survey_question_create(
        association=association, by=SYSTEM, text="Vad kunde vi ha gjort bättre?", kind="text"
    )
    login_as(Role.BOARD)
    body = client.get(url("statistics", association)).content.decode()
    assert "Jag har blivit bemött med respekt" in body
    assert "&lt;5" in body and "Medelvärde" in body
    assert "Vad kunde vi ha gjort bättre?" not in body


def test_the_statistics_page_leads_with_charts_that_draw_only_published_figures(
    client, world, login_as
):
    from finsam.participants.tests import factories as pf

    association, intervention, _staff, _enrolment = world
    board = login_as(Role.BOARD)
    # One participant: every figure is hidden ("<5") or zero, so there is nothing to draw.
    assert 'id="charts"' not in client.get(url("statistics", association)).content.decode()
    big = pf.staffed_intervention(association, title="Stor")
    for n in range(7):
        pf.register(association, big, number=pf.identity_number(serial=f"{300 + n}"))
    for n in range(5):
        pf.register(association, intervention, number=pf.identity_number(serial=f"{400 + n}"))
    small = pf.staffed_intervention(association, title="Liten")
    for n in range(2):
        pf.register(association, small, number=pf.identity_number(serial=f"{500 + n}"))
    body = client.get(url("statistics", association)).content.decode()
    charts = body.index('id="charts"')
    assert charts < body.index('id="tables"') and charts < body.index("Måluppfyllelse")
    status = body[body.index("<svg", charts) : body.index("</svg>", charts)]
    assert 'aria-labelledby="chart-status-title chart-status-desc"' in status
    assert "Deltagare under året, per insats" in status
    # The chart says what the published table says, cell by cell, and draws only real counts.
    from finsam.participants import selectors
    from finsam.participants.tests.factories import month_start

    table = selectors.statistics(
        user=board,
        association=association,
        year=month_start().year,
    ).published[selectors.STATUS]
    ongoing, ended = table.column_labels
    described = html.unescape(re.search(r"<desc[^>]*>(.*)</desc>", status).group(1))
    assert (
        described
        == "; ".join(
            f"{row}: {ongoing} {table.cells[row][ongoing]}, {ended} {table.cells[row][ended]}"
            for row in table.row_labels
        )
        + "."
    )
    assert (
        table.cells["Liten"][ongoing] == "<5" and "Liten: Pågående vid årets slut <5" in described
    )
    drawn = [float(w) for w in re.findall(r'<rect x="[\d.]+" y="\d+" width="([\d.]+)"', status)]
    counts = [v for row in table.cells.values() for v in row.values() if isinstance(v, int)]
    assert len([w for w in drawn if w and w != 14]) == len([v for v in counts if v])
    # The tables follow, collapsible; the first is open.
    assert '<details class="stats-table" open><summary><h3>' in body
