"""The audit log speaks in words for every kind of event: people by name, fields by their Swedish
labels, objects by name, values as people write them, no ids, and a run of system events as one
row with its count.

Every kind of event (`Event`) is rendered here; a new kind that is not listed in EVENT_TARGETS
fails `test_every_event_kind_is_rendered` until someone says what it is about and looks at it."""

from __future__ import annotations

import datetime as dt
import re
from io import BytesIO
from zoneinfo import ZoneInfo

import lxml.html
import pytest
from django.apps import apps
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from finsam.core.actors import SYSTEM
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import UserFactory
from finsam.oversight import selectors, words
from finsam.oversight.sentences import sentences

STOCKHOLM = ZoneInfo("Europe/Stockholm")
GONE = 999_999  # the id of an object that no longer exists

# What each kind of event is about (the model of its target).
EVENT_TARGETS = {
    Event.ASSOCIATION_CREATED: "organisation.association",
    Event.ASSOCIATION_UPDATED: "organisation.association",
    Event.MEMBER_CREATED: "organisation.member",
    Event.MEMBER_UPDATED: "organisation.member",
    Event.MEMBER_DELETED: "organisation.member",
    Event.CONTRIBUTIONS_SET: "organisation.contributionyear",
    Event.CONTRIBUTION_YEAR_DELETED: "organisation.contributionyear",
    Event.BOARD_SEAT_CREATED: "organisation.boardseat",
    Event.BOARD_SEAT_UPDATED: "organisation.boardseat",
    Event.BOARD_SEAT_DELETED: "organisation.boardseat",
    Event.MEETING_CREATED: "organisation.meeting",
    Event.MEETING_UPDATED: "organisation.meeting",
    Event.MEETING_DELETED: "organisation.meeting",
    Event.AGENDA_ITEM_CREATED: "organisation.agendaitem",
    Event.AGENDA_ITEM_DELETED: "organisation.agendaitem",
    Event.CYCLE_ITEM_CREATED: "organisation.annualcycleitem",
    Event.CYCLE_ITEM_UPDATED: "organisation.annualcycleitem",
    Event.CYCLE_ITEM_DELETED: "organisation.annualcycleitem",
    Event.BUDGET_CREATED: "economy.budget",
    Event.BUDGET_UPDATED: "economy.budget",
    Event.BUDGET_AMOUNT_SET: "economy.budget",
    Event.RULE_CREATED: "economy.financialrule",
    Event.RULE_UPDATED: "economy.financialrule",
    Event.RULE_DELETED: "economy.financialrule",
    Event.LEDGER_IMPORTED: "economy.ledgerimport",
    Event.ACCOUNT_MAPPING_CREATED: "economy.accountmapping",
    Event.ACCOUNT_MAPPING_DELETED: "economy.accountmapping",
    Event.FOLLOW_UP_SET: "economy.followupentry",
    Event.MEMBERSHIP_CREATED: "organisation.membership",
    Event.MEMBERSHIP_DELETED: "organisation.membership",
    Event.INVITATION_SENT: "organisation.invitation",
    Event.INVITATION_ACCEPTED: "organisation.invitation",
    Event.USER_DEACTIVATED: "accounts.user",
    Event.LOGIN_FAILED: "accounts.user",
    Event.LOGIN_LOCKED_OUT: "accounts.user",
    Event.FUNDING_SETTINGS_UPDATED: "funding.fundingsettings",
    Event.CRITERION_CREATED: "funding.assessmentcriterion",
    Event.CRITERION_UPDATED: "funding.assessmentcriterion",
    Event.CRITERION_DELETED: "funding.assessmentcriterion",
    Event.CALL_CREATED: "funding.call",
    Event.CALL_UPDATED: "funding.call",
    Event.CALL_CLOSED: "funding.call",
    Event.APPLICATION_CREATED: "funding.application",
    Event.APPLICATION_UPDATED: "funding.application",
    Event.APPLICATION_STATUS_CHANGED: "funding.application",
    Event.ASSESSMENT_SET: "funding.assessment",
    Event.DECISION_RECORDED: "funding.decision",
    Event.INTERVENTION_CREATED: "funding.intervention",
    Event.INTERVENTION_UPDATED: "funding.intervention",
    Event.GRANT_CREATED: "funding.grant",
    Event.GRANT_WITHDRAWN: "funding.grant",
    Event.CO_FINANCING_CREATED: "funding.cofinancing",
    Event.CO_FINANCING_UPDATED: "funding.cofinancing",
    Event.CO_FINANCING_DELETED: "funding.cofinancing",
    Event.REQUISITION_REQUESTED: "funding.requisition",
    Event.REQUISITION_STATUS_CHANGED: "funding.requisition",
    Event.REQUISITION_MOVED: "funding.requisition",
    Event.REPORT_DUE: "funding.interventionreport",
    Event.REPORT_WITHDRAWN: "funding.interventionreport",
    Event.REPORT_UPDATED: "funding.interventionreport",
    Event.REPORT_STATUS_CHANGED: "funding.interventionreport",
    Event.ATTACHMENT_ADDED: "funding.applicationattachment",
    Event.ATTACHMENT_DELETED: "funding.applicationattachment",
    Event.STEERING_MEMBER_CREATED: "funding.steeringgroupmember",
    Event.STEERING_MEMBER_UPDATED: "funding.steeringgroupmember",
    Event.STEERING_MEMBER_DELETED: "funding.steeringgroupmember",
    Event.STEERING_MEETING_CREATED: "funding.steeringgroupmeeting",
    Event.STEERING_MEETING_UPDATED: "funding.steeringgroupmeeting",
    Event.STEERING_MEETING_DELETED: "funding.steeringgroupmeeting",
    Event.STEERING_MINUTES_ADDED: "funding.steeringgroupmeeting",
    Event.STEERING_MINUTES_DELETED: "funding.steeringgroupmeeting",
    Event.STEERING_MINUTES_DOWNLOADED: "funding.steeringgroupmeeting",
    Event.FOLLOW_UP_CODE_CREATED: "participants.followupcode",
    Event.FOLLOW_UP_CODE_UPDATED: "participants.followupcode",
    Event.SURVEY_QUESTION_CREATED: "participants.surveyquestion",
    Event.SURVEY_QUESTION_UPDATED: "participants.surveyquestion",
    Event.SURVEY_QUESTION_DELETED: "participants.surveyquestion",
    Event.RATING_SETTINGS_UPDATED: "participants.ratingsettings",
    Event.PARTICIPANT_CORRECTED: "participants.participant",
    Event.PARTICIPANT_CONSENT_CHANGED: "participants.participant",
    Event.PARTICIPANT_CONSENT_WITHDRAWN: "participants.participant",
    Event.ENROLMENT_ENTRY_CORRECTED: "participants.enrolment",
    Event.ENROLMENT_EXIT_CORRECTED: "participants.enrolment",
    Event.SESSION_CORRECTED: "participants.session",
    Event.SESSION_DELETED: "participants.session",
    Event.PARTICIPANT_ERASED: "participants.participant",
    Event.ACCESS_LOG_EXPORTED: "organisation.association",
    Event.EXTERNAL_GOAL_CREATED: "goals.externalgoal",
    Event.GOAL_AREA_CREATED: "goals.goalarea",
    Event.GOAL_CREATED: "goals.goal",
    Event.GOAL_UPDATED: "goals.goal",
    Event.GOAL_DELETED: "goals.goal",
    Event.MEASURE_CREATED: "goals.measure",
    Event.MEASURE_UPDATED: "goals.measure",
    Event.MEASURE_DELETED: "goals.measure",
    Event.GOAL_FIGURE_RECORDED: "goals.manualentry",
    Event.VOLUME_COUNT_RECORDED: "goals.volumecount",
    Event.GOAL_ASSESSED: "goals.assessment",
    Event.ACTIVITY_CREATED: "goals.activity",
    Event.ACTIVITY_UPDATED: "goals.activity",
    Event.ACTIVITY_DELETED: "goals.activity",
    Event.ATTENDANCE_SET: "goals.activity",
    Event.EVALUATION_SET: "goals.evaluationquestion",
    Event.CONTROL_PLAN_CREATED: "goals.internalcontrolplan",
    Event.CONTROL_PLAN_UPDATED: "goals.internalcontrolplan",
    Event.RISK_CREATED: "goals.risk",
    Event.RISK_UPDATED: "goals.risk",
    Event.CONTROL_CREATED: "goals.control",
    Event.CONTROL_UPDATED: "goals.control",
    Event.INSTRUMENT_LOADED: "indicators.instrument",
    Event.INSTRUMENT_UPDATED: "indicators.instrument",
    Event.INDICATOR_ITEM_UPDATED: "indicators.item",
    Event.CAMPAIGN_CREATED: "indicators.campaign",
    Event.CAMPAIGN_UPDATED: "indicators.campaign",
    Event.CAMPAIGN_LINKS_CREATED: "indicators.campaign",
    Event.INDICATOR_RESPONSE_RECORDED: "indicators.campaign",
    Event.COMPARISON_CONSENT_SET: "insights.comparisonconsent",
    Event.SAVED_REPORT_CREATED: "insights.savedreport",
    Event.SAVED_REPORT_UPDATED: "insights.savedreport",
    Event.SAVED_REPORT_DELETED: "insights.savedreport",
    Event.DOCUMENT_CREATED: "documents.document",
    Event.DOCUMENT_UPDATED: "documents.document",
    Event.DOCUMENT_TEXT_SAVED: "documents.textversion",
    Event.DOCUMENT_FLAG_ACKNOWLEDGED: "documents.flagacknowledgement",
    Event.DOCUMENT_GENERATED: "documents.renderjob",
    Event.DOCUMENT_ADOPTED: "documents.document",
    Event.DOCUMENT_LOGO_SET: "documents.documentsettings",
    Event.PUBLICATION_SETTINGS_UPDATED: "publishing.publicationsettings",
    Event.CATALOGUE_ENTRY_CREATED: "publishing.catalogueentry",
    Event.CATALOGUE_ENTRY_UPDATED: "publishing.catalogueentry",
    Event.CATALOGUE_ENTRY_MOVED: "publishing.catalogueentry",
    Event.CATALOGUE_RESULTS_UPDATED: "publishing.catalogueentry",
    Event.API_TOKEN_CREATED: "publishing.apitoken",
    Event.API_TOKEN_REVOKED: "publishing.apitoken",
}

# Keys services write beside the target's own fields (counts, summaries), with a sample value.
EXTRA_KEYS = {
    Event.BUDGET_CREATED: {"lines": 24},
    Event.BUDGET_UPDATED: {"interventions_linked": 10},
    Event.BUDGET_AMOUNT_SET: {"line": "Personal", "column": "Budget 2027", "amount": "600000.00"},
    Event.LEDGER_IMPORTED: {
        "file": "kramfors.se",
        "vouchers": 32,
        "transactions": 70,
        "replaced": 0,
    },
    Event.APPLICATION_UPDATED: {
        "applicants": ["Köpings kommun"],
        "goals": [
            {
                "text": "Fler i arbete",
                "target_value": "30 %",
                "measure": "",
                "measure_target": "30.0",
            }
        ],
        "budget_lines": [
            {"year": 2027, "cost_line": "Coach", "requested": "450000.00", "own_financing": "0.00"}
        ],
        "steering_group": [{"name": "Eva Ek", "member": "Köpings kommun", "role": "Ordförande"}],
    },
    Event.REPORT_STATUS_CHANGED: {"comment": "Bra", "meeting": "Styrelsesammanträde 2027-02-01"},
    Event.REQUISITION_MOVED: {"grant": GONE},
    Event.ATTACHMENT_ADDED: {"application": GONE, "name": "budget.pdf", "size": 917},
    Event.STEERING_MINUTES_ADDED: {"name": "Protokoll.pdf", "size": 917},
    Event.ACCESS_LOG_EXPORTED: {"format": "xlsx", "rows": 12},
    Event.LOGIN_FAILED: {"login": "okand.person", "address": "10.0.0.1"},
    Event.LOGIN_LOCKED_OUT: {"login": "okand.person", "address": "10.0.0.1"},
    Event.CAMPAIGN_LINKS_CREATED: {"links": 10},
    Event.INDICATOR_RESPONSE_RECORDED: {"source": "web"},
    Event.PARTICIPANT_ERASED: {"participant": GONE, "audit_rows_blanked": 3},
}

# Swedish words that are spelt as in English: a label may be the same in both languages.
SAME_IN_BOTH = {
    "status", "version", "period", "budget", "plan", "risk", "format", "text", "person",
    "e-post", "ort", "org.nr", "sie", "vision",
    # Names of the state members, the same in every language.
    "arbetsförmedlingen", "försäkringskassan",
}  # fmt: skip

# Events whose changes are keyed by an object's name (a member), not by a field.
KEYED_BY_NAME = {Event.ATTENDANCE_SET, Event.CONTRIBUTIONS_SET}

ISO_MOMENT = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d")
RAW_DECIMAL = re.compile(r"\b\d{4,}\.\d\d\b")


def _value(f, people, members):
    """A value as a snapshot holds it, for field `f`."""
    if f.many_to_many:
        return [people[0].pk] if f.related_model._meta.label_lower == "accounts.user" else []
    if f.is_relation:
        label = f.related_model._meta.label_lower
        if label == "accounts.user":
            return people[1].pk
        if label == "organisation.member":
            return members[0].pk
        return GONE  # an object since removed
    if getattr(f, "choices", None):
        return f.choices[-1][0]
    if isinstance(f, models.BooleanField):
        return True
    if isinstance(f, models.DateTimeField):
        return "2026-12-07T22:30:00+01:00"
    if isinstance(f, models.DateField):
        return "2026-12-07"
    if isinstance(f, models.DecimalField):
        return "600000.00"
    if isinstance(f, models.IntegerField):
        return 3
    if isinstance(f, models.JSONField):
        return None
    return "Ett värde"


def snapshot_of(label: str, people, members) -> dict:
    meta = apps.get_model(label)._meta
    fields = [f for f in meta.concrete_fields if f.name != "id" and not f.auto_created]
    fields += list(meta.many_to_many)
    return {f.name: _value(f, people, members) for f in fields}


@pytest.fixture
def people(db):
    return [
        UserFactory(username="karin.k", first_name="Karin", last_name="Kansli"),
        UserFactory(username="bo.b", first_name="Bo", last_name="Berg"),
    ]


def write(event: Event, association, people, members, *, actor=None) -> AuditEvent:
    label = EVENT_TARGETS[event]
    after = snapshot_of(label, people, members) | EXTRA_KEYS.get(event, {})
    if event == Event.ATTENDANCE_SET:
        after = {str(members[0].pk): [4, 3], "None": [1, 1]}
    personal = label.startswith("participants.") and label not in (
        "participants.followupcode",
        "participants.surveyquestion",
        "participants.ratingsettings",
    )
    actor = actor or people[0]
    return AuditEvent.objects.create(
        association=association,
        actor=None if actor is SYSTEM else actor,
        actor_name=getattr(actor, "username", "system"),
        event=event.value,
        action=event.value.rsplit(".", 1)[-1],
        target_type="whatever was stored",
        target_model=label,
        target_id=str(GONE),
        target_repr="Det sparade namnet",
        before={k: None for k in after},
        after=after,
        personal_data=personal,
    )


def render(association, user, events) -> list[words.LogRow]:
    shown = selectors.audit_events(user=user, association=association)
    by_id = selectors.audit_events_by_id(shown, [e.pk for e in events])
    rows = [by_id[e.pk] for e in events]
    return words.log_rows([(e, 1) for e in rows], sentences(rows))


def test_every_event_kind_is_listed_here():
    assert set(EVENT_TARGETS) == set(Event), "a new kind of event: add it to EVENT_TARGETS"


@pytest.mark.parametrize("event", list(Event), ids=lambda e: e.value)
def test_every_event_kind_is_rendered(event, association, people, login_as):
    assert event in EVENT_TARGETS, f"{event.value}: say what it is about in EVENT_TARGETS"
    office = login_as(Role.OFFICE)
    members = list(association.members.order_by("name"))
    row = write(event, association, people, members)
    (shown,) = render(association, office, [row])
    with translation.override("en"):
        (english,) = render(association, office, [row])

    # Who: the person's name, never the username.
    assert shown.actor == "Karin Kansli"
    # What happened, in Swedish.
    assert shown.event_label == str(event.label) and shown.event_label != english.event_label
    assert "_" not in shown.object_type and "object" not in shown.object_type.lower()
    # The object: its stored name (it no longer exists), or for a participant's row only the
    # fact that it is about a participant.
    if row.personal_data:
        assert shown.object_label != "Det sparade namnet" and not shown.changes
    elif not shown.sentence:
        assert shown.object_label == "Det sparade namnet"
        assert shown.changes, "a change with nothing to show"
    for (label, before, after), (english_label, _b, _a) in zip(
        shown.changes, english.changes, strict=True
    ):
        assert "_" not in label, label
        if event not in KEYED_BY_NAME:
            assert label != english_label or label.lower() in SAME_IN_BOTH, (label, english_label)
        for text in (before, after):
            assert not ISO_MOMENT.search(text), text
            assert not RAW_DECIMAL.search(text), text
            assert str(GONE) not in text, text  # an id: an object removed is "(borttagen)"
            assert "{" not in text and "[" not in text and "None" not in text, text
            assert "karin.k" not in text and "bo.b" not in text, text
    if shown.sentence:
        assert "karin.k" not in shown.sentence and str(GONE) not in shown.sentence


def test_values_are_written_as_people_write_them(association, people, login_as):
    office = login_as(Role.OFFICE)
    members = list(association.members.order_by("name"))
    row = write(Event.CALL_CREATED, association, people, members)
    (shown,) = render(association, office, [row])
    changes = {label: after for label, _before, after in shown.changes}
    assert changes["Medel att fördela"] == "600\u00a0000"
    assert changes["Öppnar"] == "7 december 2026"
    assert changes["Status"] == "Stängd"
    seat = write(Event.BOARD_SEAT_CREATED, association, people, members)
    (shown,) = render(association, office, [seat])
    changes = {label: after for label, _before, after in shown.changes}
    assert changes["Medlem"] == members[0].name  # a related object by its name, not its id
    report = write(Event.REPORT_STATUS_CHANGED, association, people, members)
    (shown,) = render(association, office, [report])
    changes = {label: after for label, _before, after in shown.changes}
    assert changes["Granskad"] == "7 december 2026 kl. 22.30"
    assert changes["Granskad av"] == "Bo Berg"


def test_a_field_the_model_left_unlabelled_takes_the_related_models_name(
    association, people, login_as
):
    office = login_as(Role.OFFICE)
    members = list(association.members.order_by("name"))
    row = write(Event.MEASURE_CREATED, association, people, members)
    (shown,) = render(association, office, [row])
    labels = [label for label, _b, _a in shown.changes]
    assert "Mål" in labels and "goal" not in labels
    # The association the log belongs to is not a change worth a line.
    assert "Förbund" not in labels and "association" not in labels


def test_attendance_is_told_per_member_by_name(association, people, login_as):
    office = login_as(Role.OFFICE)
    members = list(association.members.order_by("name"))
    row = write(Event.ATTENDANCE_SET, association, people, members)
    (shown,) = render(association, office, [row])
    assert (members[0].name, "–", "4 anmälda, 3 kom") in shown.changes
    assert ("Övriga", "–", "1 anmälda, 1 kom") in shown.changes


def test_an_object_that_still_exists_is_named_as_it_is_now(association, people, login_as):
    office = login_as(Role.OFFICE)
    member = association.members.order_by("name").first()
    event = audit.record(event=Event.MEMBER_UPDATED, actor=people[0], target=member)
    member.name = "Köpings kommun (nytt namn)"
    member.save(update_fields=["name"])
    (shown,) = render(association, office, [event])
    assert shown.object_label == "Köpings kommun (nytt namn)"


def test_no_identity_number_reaches_the_log(client, association, people, login_as):
    login_as(Role.AUDITOR)
    member = association.members.order_by("name").first()
    audit.record(
        event=Event.MEMBER_UPDATED,
        actor=people[0],
        target=member,
        before={"name": "Anna 19121212-1212"},
        after={"name": "Anna 121212-1212"},
    )
    for response in (
        client.get(reverse("oversight:audit", args=[association.slug])),
        client.get(reverse("oversight:audit", args=[association.slug]), {"format": "xlsx"}),
    ):
        assert response.status_code == 200
        body = response.content.decode(errors="ignore")
        assert "1212-1212" not in body and "12121212" not in body


def test_a_run_of_system_events_is_one_row_with_its_count(client, association, people, login_as):
    """One scheduled erasure of 26 participants is one row: 26 deltagare, in which intervention."""
    login_as(Role.AUDITOR)
    members = list(association.members.order_by("name"))
    moment = dt.datetime(2026, 12, 7, 3, 0, 10, tzinfo=STOCKHOLM)
    for _n in range(26):
        write(Event.PARTICIPANT_ERASED, association, people, members, actor=SYSTEM)
    # A person's own changes in the same minute stay one row each.
    for _n in range(2):
        write(Event.MEMBER_UPDATED, association, people, members)
    AuditEvent.objects.filter(association=association).update(created_at=moment)

    html = client.get(reverse("oversight:audit", args=[association.slug])).content.decode()
    doc = lxml.html.fromstring(html)
    texts = [" ".join(" ".join(tr.itertext()).split()) for tr in doc.xpath("//table/tbody/tr")]
    assert len(texts) == 3, texts
    erased = [t for t in texts if "raderade" in t]
    assert len(erased) == 1
    assert "Systemet" in erased[0] and "26 deltagare" in erased[0]
    assert sum("Karin Kansli" in t for t in texts) == 2

    # The export keeps every row: it is the complete record.
    xlsx = client.get(reverse("oversight:audit", args=[association.slug]), {"format": "xlsx"})
    assert load_workbook(BytesIO(xlsx.content)).active.max_row == 1 + 28


def test_a_page_asks_the_same_number_of_queries_however_many_objects_it_names(
    client, association, people, login_as
):
    login_as(Role.AUDITOR)
    url = reverse("oversight:audit", args=[association.slug])
    members = list(association.members.order_by("name"))

    def page_queries(n: int) -> int:
        for i in range(n):
            member = members[i % len(members)]
            audit.record(
                event=Event.MEMBER_UPDATED,
                actor=people[i % 2],
                target=member,
                before={"name": "Förr"},
                after={"name": member.name},
            )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert page_queries(3) == page_queries(30)
