"""The general audit log and the participant register: office, board and auditors see that a
participant's data changed (event, who, when, which intervention) and nothing else. Tested as an
attacker would try: browsing, filtering and exporting the log."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO

import lxml.html
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Membership, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants.models import AccessLogEntry, CodeList
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

START = dt.date(2023, 5, 17)
SESSION_DAY = dt.date(2023, 6, 13)
REASONS = [
    "Fel sysselsättning vid inskrivningen",
    "Felskrivet från pappersblanketten",
    "Nytt efternamn efter giftermål",
]
CONSENT_SCOPE = "Endast uppföljning i SUS, inga kontakter med Försäkringskassan"
WITHDRAWAL = "Vill inte längre vara med i registret efter samtal med handläggaren"


def log_url(association) -> str:
    return reverse("oversight:audit", args=[association.slug])


def rows(html: str) -> list[str]:
    doc = lxml.html.fromstring(html)
    return [
        " ".join(t.strip() for t in tr.itertext() if t.strip())
        for tr in doc.xpath("//table/tbody/tr")
    ]


@pytest.fixture
def history(association):
    """A participant in STEGSAM whose data was corrected, and whose consent changed and was
    withdrawn, all by the intervention's staff member."""
    stegsam = pf.staffed_intervention(association, title="STEGSAM")
    staff = pf.staff_user(association, stegsam)
    enrolment = pf.register(
        association,
        stegsam,
        by=staff,
        consent_date=dt.date(2023, 5, 10),
        start_date=START,
        name="Alva Testsson",
        contact="alva@example.se",
    )
    session = services.session_record(
        enrolment=enrolment, date=SESSION_DAY, ors_items=[4, 5, 5, 4], srs_total="37", by=staff
    ).session
    services.enrolment_correct_entry(
        enrolment=enrolment,
        reason=REASONS[0],
        start_date=START,
        entry_occupation=pf.code(association, CodeList.OCCUPATION, "aktivt-arbetssokande"),
        by=staff,
    )
    services.session_correct(
        session=session,
        reason=REASONS[1],
        date=SESSION_DAY,
        ors_items=[4, 5, "7,5", 4],
        srs_total="31",
        by=staff,
    )
    services.participant_correct(
        enrolment=enrolment, reason=REASONS[2], name="Alva Nyberg", contact="", by=staff
    )
    services.participant_consent_change(
        enrolment=enrolment,
        change="scope",
        changed_on=dt.date(2023, 7, 3),
        text=CONSENT_SCOPE,
        by=staff,
    )
    services.participant_consent_change(
        enrolment=enrolment,
        change="withdrawn",
        changed_on=dt.date(2023, 8, 21),
        text=WITHDRAWAL,
        by=staff,
    )
    return {"intervention": stegsam, "staff": staff, "enrolment": enrolment}


def personal_values(history) -> list[str]:
    """Everything about the person the log must not show to the office or the auditors."""
    ref = history["enrolment"].participant.reference
    return [
        *REASONS,
        CONSENT_SCOPE,
        WITHDRAWAL,
        "Alva",
        "Aktivt arbetssökande",
        "Sjukskriven",
        "2023-05-10",
        "2023-06-13",
        "2023-07-03",
        "2023-08-21",
        "7,5",
        "7.5",
        "31,0",
        "31.0",
        ref,
    ]


def assert_nothing_personal(text: str, history) -> None:
    ref = history["enrolment"].participant.reference
    for value in personal_values(history):
        if value == ref:
            assert not re.search(rf"\b{value}\b", text), value
        else:
            assert value not in text, value


def xlsx_text(response) -> str:
    """The sheet as text. Timestamps to the minute, as a person reads them: their seconds and
    microseconds would otherwise match a score like "7.5" now and then."""
    sheet = load_workbook(BytesIO(response.content)).active

    def cell(value) -> str:
        if isinstance(value, dt.datetime):
            return value.strftime("%Y-%m-%d %H:%M")
        return str(value)

    return "\n".join(" | ".join(cell(v) for v in row if v is not None) for row in sheet.values)


def test_the_rows_are_marked_and_tied_to_the_intervention(history):
    personal = AuditEvent.objects.filter(personal_data=True)
    assert personal.count() == 5
    assert set(personal.values_list("intervention_id", flat=True)) == {history["intervention"].pk}


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_office_and_auditors_see_that_something_changed_and_nothing_more(
    client, login_as, association, history, role
):
    login_as(role)
    response = client.get(log_url(association))
    assert response.status_code == 200
    html = response.content.decode()
    assert_nothing_personal(html, history)
    shown = [row for row in rows(html) if "Deltagaruppgifter" in row]
    assert len(shown) == 5
    staff = history["staff"].get_full_name()  # people by their names, not usernames
    for row, label in zip(
        shown,
        [
            "Deltagarens samtycke återkallat",
            "Deltagarens samtycke ändrat",
            "Deltagarens namn eller kontakt rättade",
            "Träff rättad",
            "Uppgifter vid start rättade",
        ],
        strict=True,
    ):
        # Event, who and which intervention; the content is for the intervention's staff.
        assert f"{staff} {label} Deltagaruppgifter i insats: STEGSAM" in row, row
        assert row.endswith("Visas bara för insatsens personal.")


@pytest.mark.parametrize("role", [Role.OFFICE, Role.AUDITOR])
def test_the_export_holds_no_participant_data_either(client, login_as, association, history, role):
    login_as(role)
    response = client.get(log_url(association), {"format": "xlsx"})
    assert response.status_code == 200
    text = xlsx_text(response)
    assert_nothing_personal(text, history)
    assert text.count("Deltagaruppgifter i insats | STEGSAM") == 5
    assert not AccessLogEntry.objects.filter(detail__startswith="Granskningsloggen").exists()


def test_filters_find_no_participant_by_reference_or_date(client, login_as, association, history):
    login_as(Role.OFFICE)
    ref = history["enrolment"].participant.reference
    url = log_url(association)
    for params in (
        {"text": ref},
        {"text": "D-"},
        {"text": "2023-06"},
        {"text": ref, "format": "xlsx"},
    ):
        response = client.get(url, params)
        if "format" in params:
            assert_nothing_personal(xlsx_text(response), history)
        else:  # the filter form shows what was typed; the table shows nothing
            shown = rows(response.content.decode())
            assert shown == ["Inga händelser matchar filtret."], params
    # What is shown can be searched: the intervention, and the event type.
    found = rows(client.get(url, {"text": "stegsam"}).content.decode())
    assert len([row for row in found if "Deltagaruppgifter" in row]) == 5
    found = client.get(url, {"event": Event.PARTICIPANT_CONSENT_WITHDRAWN.value})
    assert len(rows(found.content.decode())) == 1
    assert_nothing_personal(found.content.decode(), history)


def test_office_member_who_is_staff_elsewhere_sees_no_content(client, association, history):
    other = pf.staffed_intervention(association, title="Samkraft")
    user = pf.staff_user(association, other)
    Membership.objects.create(user=user, association=association, role=Role.OFFICE)
    client.force_login(user)
    html = client.get(log_url(association)).content.decode()
    assert_nothing_personal(html, history)


def test_staff_of_the_intervention_who_reads_the_log_sees_the_content_and_it_is_logged(
    client, association, history
):
    """A person who is both office and staff of STEGSAM may read STEGSAM's rows in full, and
    that read is in the access log like any other."""
    user = history["staff"]
    Membership.objects.create(user=user, association=association, role=Role.OFFICE)
    client.force_login(user)
    html = client.get(log_url(association)).content.decode()
    for reason in REASONS:
        assert reason in html
    assert WITHDRAWAL in html and "Visas bara för insatsens personal." not in html
    assert "Alva" not in html  # names are never in the audit row, only "changed"
    read = AccessLogEntry.objects.filter(user=user, detail__startswith="Granskningsloggen")
    assert read.count() == 5
    assert {(e.participant_id, e.intervention_id, e.action) for e in read} == {
        (history["enrolment"].participant_id, history["intervention"].pk, "view")
    }
    client.get(log_url(association), {"format": "xlsx"})
    assert read.filter(action="export").count() == 5


def test_the_staff_keep_the_full_history_on_the_participant_page(client, association, history):
    client.force_login(history["staff"])
    enrolment = history["enrolment"]
    page = reverse("participants:enrolment", args=[association.slug, enrolment.pk])
    before = AccessLogEntry.objects.filter(action="view").count()
    html = client.get(page).content.decode()
    history_html = lxml.html.tostring(
        lxml.html.fromstring(html).get_element_by_id("correction-history"), encoding="unicode"
    )
    for reason in REASONS:
        assert reason in history_html
    assert WITHDRAWAL in history_html
    assert AccessLogEntry.objects.filter(action="view").count() == before + 1


def test_a_change_made_in_another_intervention_does_not_name_its_staff(association, history):
    """The person's own data (here consent) is shared by their participations; who changed it
    in another intervention would tell that they take part there."""
    from finsam.participants import selectors

    samkraft = pf.staffed_intervention(association, title="Samkraft")
    other_staff = pf.staff_user(association, samkraft)
    second = pf.register(
        association,
        samkraft,
        by=other_staff,
        number=pf.identity_number(),
        consent_date=dt.date(2023, 9, 1),
        start_date=dt.date(2023, 9, 1),
    )
    services.participant_correct(
        enrolment=second, reason="Ny adress", contact="Storgatan 1", by=other_staff
    )
    history_rows = selectors.correction_history(
        enrolment=history["enrolment"], user=history["staff"]
    )
    whos = {c.who for c in history_rows}
    assert other_staff.username not in whos
    assert "personal i en annan insats" in whos
    own = selectors.correction_history(enrolment=second, user=other_staff)
    assert other_staff.username in {c.who for c in own}


def test_an_access_log_export_for_one_participant_does_not_name_them_in_the_audit_log(
    client, login_as, association, history
):
    ref = history["enrolment"].participant.reference
    contact = user_with_role(association, Role.PRIVACY)
    client.force_login(contact)
    address = reverse("participants:log_csv", args=[association.slug])
    assert client.get(address, {"participant": ref}).status_code == 200
    row = AuditEvent.objects.get(event=Event.ACCESS_LOG_EXPORTED)
    assert row.after["participant"] == "(ifyllt, visas inte)"
    logged = AccessLogEntry.objects.get(user=contact, action="export")
    assert logged.detail.endswith(ref)  # the contact's own log says whom
    login_as(Role.AUDITOR)
    assert_nothing_personal(client.get(log_url(association)).content.decode(), history)
