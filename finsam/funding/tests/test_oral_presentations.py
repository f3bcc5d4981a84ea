"""Oral presentations to the board as reporting duties: one a year (or as many as the terms
say) by the association's default date or the date the decision states; shown on the reports
dashboard as due, overdue or held; recorded by the office with the board meeting where it
happened; and reminded of by `send_reminders`, never twice."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import lxml.html
import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.funding import letters, services
from finsam.funding.models import (
    Decision,
    FundingSettings,
    InterventionReport,
    ReminderSent,
    ReportKind,
)
from finsam.funding.services import ORAL_TRANSITIONS, InvalidTransition
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_reports import url
from finsam.funding.tests.test_views import field_errors
from finsam.organisation.models import AuditEvent, Meeting, Role
from finsam.organisation.tests.factories import MeetingFactory, user_with_role

S = InterventionReport.Status


@pytest.fixture
def office(association):
    user = user_with_role(association, Role.OFFICE)
    user.email = "kansli@example.se"
    user.save()
    return user


@pytest.fixture
def stegsam(association, office):
    decision = f.approved(association, office=office)
    staff = user_with_role(association, Role.STAFF)
    staff.email = "coach@example.se"
    staff.save()
    services.intervention_staff_set(intervention=decision.intervention, users=[staff], by=office)
    return decision.intervention, staff


def orals(intervention) -> list[tuple[dt.date, dt.date]]:
    return list(
        intervention.reports.filter(kind=ReportKind.ORAL)
        .order_by("period_end")
        .values_list("period_end", "due_date")
    )


def held_meeting(association, day=dt.date(2022, 10, 12)) -> Meeting:
    return f.board_meeting(association, date=day)


# --- the duty -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("per_year", "month", "day", "expected"),
    [
        (1, 12, 31, [(12, 31)]),
        (2, 12, 31, [(6, 30), (12, 31)]),
        (3, 12, 31, [(4, 30), (8, 31), (12, 31)]),
        (4, 11, 30, [(2, 28), (5, 30), (8, 30), (11, 30)]),
        (2, 5, 31, [(5, 31), (11, 30)]),
        (0, 12, 31, []),
    ],
)
def test_presentations_are_spread_over_the_year_up_to_the_stated_date(
    per_year, month, day, expected
):
    terms = FundingSettings(
        oral_presentations_per_year=per_year,
        oral_presentation_month=month,
        oral_presentation_day=day,
    )
    assert terms.oral_periods(2022) == [(ReportKind.ORAL, dt.date(2022, m, d)) for m, d in expected]


def test_one_presentation_a_year_by_the_default_date(stegsam):
    intervention, _staff = stegsam
    assert orals(intervention) == [
        (dt.date(2022, 12, 31), dt.date(2022, 12, 31)),
        (dt.date(2023, 12, 31), dt.date(2023, 12, 31)),
    ]
    assert services.reports_sync(intervention=intervention, by=SYSTEM) == []
    labels = [label for label, _day in services.reporting_duties(intervention)]
    assert labels.count("Muntlig föredragning") == 2


def test_the_associations_default_date_and_number_apply(association, office):
    FundingSettings.objects.create(
        association=association,
        oral_presentations_per_year=2,
        oral_presentation_month=11,
        oral_presentation_day=30,
    )
    intervention = f.approved(association, office=office).intervention
    assert [p for p, _due in orals(intervention)] == [
        dt.date(2022, 5, 30),
        dt.date(2022, 11, 30),
        dt.date(2023, 5, 30),
        dt.date(2023, 11, 30),
    ]


def test_the_date_the_decision_states_applies(association, office):
    application = f.assessed(association, office=office)
    decision = services.decision_record(
        application=application,
        meeting=f.board_meeting(association),
        paragraph="§ 8",
        outcome=Decision.Outcome.APPROVED,
        amounts={2022: Decimal("100000")},
        terms={"oral_presentation_month": 10, "oral_presentation_day": 15},
        by=office,
    )
    assert (decision.oral_presentation_month, decision.oral_presentation_day) == (10, 15)
    assert orals(decision.intervention) == [(dt.date(2022, 10, 15), dt.date(2022, 10, 15))]
    letter = "\n".join(letters.decision_letter_context(decision).paragraphs())
    assert "Muntlig föredragning för styrelsen: senast 2022-10-15" in letter


def test_no_presentations_when_the_decision_says_none(association, office):
    application = f.assessed(association, office=office)
    decision = services.decision_record(
        application=application,
        meeting=f.board_meeting(association),
        paragraph="§ 9",
        outcome=Decision.Outcome.APPROVED,
        amounts={2022: Decimal("100000")},
        terms={"oral_presentations_per_year": 0},
        by=office,
    )
    assert orals(decision.intervention) == []


def test_a_change_decision_moves_the_blank_duties_to_its_date(association, office, stegsam):
    intervention, _staff = stegsam
    services.intervention_change(
        intervention=intervention,
        meeting=f.board_meeting(association, date=dt.date(2022, 3, 1)),
        paragraph="§ 20",
        amounts={},
        period_end=None,
        conditions="",
        motivation="",
        terms={**services.intervention_terms(intervention), "oral_presentation_month": 9},
        by=office,
    )
    assert [p for p, _due in orals(intervention)] == [dt.date(2022, 9, 30), dt.date(2023, 9, 30)]


# --- held at a board meeting --------------------------------------------------------------------


def test_the_office_records_where_the_presentation_was_held(association, office, stegsam):
    intervention, _staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).order_by("period_end").first()
    meeting = held_meeting(association)
    services.oral_presentation_held(
        report=duty, meeting=meeting, comment="Bra genomgång av målen.", by=office
    )
    duty.refresh_from_db()
    assert duty.status == S.HELD
    assert duty.meeting == meeting
    assert duty.reviewed_by == office
    assert duty.review_comment == "Bra genomgång av målen."
    event = AuditEvent.objects.filter(event="report.status").latest("pk")
    assert event.after["status"] == "held"
    assert "2022-10-12" in event.after["meeting"]
    assert duty.state_on(dt.date(2030, 1, 1)) == "held"


PAIRS = [(a, b) for a in S.values for b in S.values if a != b]


@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_oral_transition_table(association, office, stegsam, current, to):
    intervention, _staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).order_by("period_end").first()
    meeting = held_meeting(association)
    InterventionReport.objects.filter(pk=duty.pk).update(
        status=current, meeting=meeting if current == S.HELD else None
    )
    duty.refresh_from_db()
    events = AuditEvent.objects.filter(event="report.status").count()
    if to in ORAL_TRANSITIONS[current]:
        services.report_transition(report=duty, to=to, by=office, meeting=meeting)
        duty.refresh_from_db()
        assert duty.status == to
        assert AuditEvent.objects.filter(event="report.status").count() == events + 1
    else:
        with pytest.raises(InvalidTransition):
            services.report_transition(report=duty, to=to, by=office, meeting=meeting)
        duty.refresh_from_db()
        assert duty.status == current
        assert AuditEvent.objects.filter(event="report.status").count() == events


def test_only_due_to_held_is_allowed_for_an_oral_presentation():
    assert {(a, b) for a, tos in ORAL_TRANSITIONS.items() for b in tos} == {(S.DUE, S.HELD)}


def test_a_written_report_is_never_held(association, office, stegsam):
    intervention, _staff = stegsam
    report = intervention.reports.get(kind=ReportKind.INTERIM, period_end=dt.date(2022, 6, 30))
    with pytest.raises(InvalidTransition):
        services.oral_presentation_held(report=report, meeting=held_meeting(association), by=office)


def test_the_meeting_must_be_a_held_board_meeting_of_the_association_used_once(
    association, other_association, office, stegsam
):
    intervention, _staff = stegsam
    first, second = intervention.reports.filter(kind=ReportKind.ORAL).order_by("period_end")
    today = timezone.localdate()
    wrong = {
        "planning day": MeetingFactory(
            association=association, kind=Meeting.Kind.PLANNING, date=dt.date(2022, 5, 5)
        ),
        "other association": f.board_meeting(other_association, date=dt.date(2022, 5, 5)),
        "not held yet": f.board_meeting(association, date=today + dt.timedelta(days=7)),
    }
    for why, meeting in wrong.items():
        with pytest.raises(ValidationError) as caught:
            services.oral_presentation_held(report=first, meeting=meeting, by=office)
        assert "meeting" in caught.value.error_dict, why
    first.refresh_from_db()
    assert first.status == S.DUE
    meeting = held_meeting(association)
    services.oral_presentation_held(report=first, meeting=meeting, by=office)
    with pytest.raises(ValidationError) as caught:
        services.oral_presentation_held(report=second, meeting=meeting, by=office)
    assert "redan registrerad" in caught.value.error_dict["meeting"][0].messages[0]


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.ECONOMIST, Role.MEMBER_ORG])
def test_only_the_office_records_a_presentation(association, stegsam, role):
    intervention, staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).first()
    user = staff if role == Role.STAFF else user_with_role(association, role)
    with pytest.raises(PermissionDenied):
        services.oral_presentation_held(report=duty, meeting=held_meeting(association), by=user)
    duty.refresh_from_db()
    assert duty.status == S.DUE


def test_an_oral_presentation_is_not_written_or_submitted(association, office, stegsam):
    intervention, staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).first()
    for user in (staff, office):
        with pytest.raises(PermissionDenied):
            services.report_update(
                report=duty, data={"what_happened": "x"}, attainments={}, by=user
            )
        with pytest.raises(InvalidTransition):
            services.report_submit(report=duty, by=user)


# --- pages --------------------------------------------------------------------------------------


def test_the_defaults_page_shows_and_edits_the_date(client, association, office):
    client.force_login(office)
    body = client.get(url("criteria", association)).content.decode()
    assert "1 gång per år, senast 12-31" in body
    data = {
        "interim_report_month": "6",
        "interim_report_day": "30",
        "annual_report_month": "12",
        "annual_report_day": "31",
        "oral_presentations_per_year": "1",
        "oral_presentation_month": "13",
        "oral_presentation_day": "30",
        "steering_meetings_expected": "3",
    }
    response = client.post(url("settings_edit", association), data)
    assert response.status_code == 400
    assert field_errors(response.content.decode(), "oral_presentation_month")
    response = client.post(
        url("settings_edit", association), {**data, "oral_presentation_month": "11"}
    )
    assert response.status_code == 302
    assert (
        "1 gång per år, senast 11-30" in client.get(url("criteria", association)).content.decode()
    )


def test_the_decision_form_offers_the_date_with_the_defaults(client, association, office):
    FundingSettings.objects.create(
        association=association, oral_presentation_month=10, oral_presentation_day=1
    )
    application = f.assessed(association, office=office)
    client.force_login(office)
    page = client.get(url("decision_create", association, application.pk)).content.decode()
    doc = lxml.html.fromstring(page)
    assert doc.xpath('//input[@name="oral_presentation_month"]/@value') == ["10"]
    assert doc.xpath('//input[@name="oral_presentation_day"]/@value') == ["1"]


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_for_a_presentation_once_then_weekly_until_held(
    association, office, stegsam, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    intervention, _staff = stegsam
    duty = intervention.reports.filter(kind=ReportKind.ORAL).order_by("period_end").first()

    def run(day):
        mail.outbox.clear()
        call_command("send_reminders", "--date", day.isoformat(), stdout=io.StringIO())
        return sorted(
            (m.to[0], m.subject) for m in mail.outbox if "muntlig föredragning" in m.subject
        )

    assert run(dt.date(2022, 12, 1)) == []  # a month ahead: not yet
    sent = run(dt.date(2022, 12, 20))
    assert [to for to, _subject in sent] == ["coach@example.se", "kansli@example.se"]
    assert sent[0][1] == (
        "Påminnelse: muntlig föredragning för styrelsen om STEGSAM – steg för steg genom att "
        "samverka senast 2022-12-31"
    )
    message = next(m for m in mail.outbox if "muntlig" in m.subject)
    assert "ska redovisas muntligt för styrelsen senast 2022-12-31" in message.body
    assert f"/f/{association.slug}/rapporter/{duty.pk}/" in message.body
    assert run(dt.date(2022, 12, 20)) == []  # twice the same day
    assert run(dt.date(2022, 12, 27)) == []  # "due soon" is sent once
    overdue = run(dt.date(2023, 1, 2))
    assert len(overdue) == 2
    assert overdue[0][1].startswith("Försenad: muntlig föredragning för styrelsen")
    assert run(dt.date(2023, 1, 2)) == []
    assert run(dt.date(2023, 1, 8)) == []  # within the week
    assert len(run(dt.date(2023, 1, 9))) == 2  # a week later
    services.oral_presentation_held(report=duty, meeting=held_meeting(association), by=office)
    assert run(dt.date(2023, 1, 16)) == []  # held: no more reminders
    assert ReminderSent.objects.filter(report=duty).count() == 6
