"""Status reports: duties from the decision's terms, the report state machine, who writes and who
reviews, the dashboard and its export, the home page count, and the e-mail reminders."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.funding import services
from finsam.funding.models import Decision, InterventionReport, ReminderSent, ReportGoalAttainment
from finsam.funding.services import REPORT_TRANSITIONS, InvalidTransition
from finsam.funding.tests import factories as f
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

S = InterventionReport.Status


def url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


@pytest.fixture
def office(association):
    user = user_with_role(association, Role.OFFICE)
    user.email = "kansli@example.se"
    user.save()
    return user


@pytest.fixture
def stegsam(association, office):
    """STEGSAM with staff: approved by the board with grants for 2022 and 2023."""
    decision = f.approved(association, office=office)
    staff = user_with_role(association, Role.STAFF)
    staff.email = "coach@example.se"
    staff.first_name, staff.last_name = "Kim", "Coach"
    staff.save()
    services.intervention_staff_set(intervention=decision.intervention, users=[staff], by=office)
    return decision.intervention, staff


def complete(report, by):
    """Fill in everything a submission needs."""
    return services.report_update(
        report=report,
        data={
            "what_happened": "Coachen har haft 22 deltagare.",
            "outcome": "12 av 22 har gjort en stegförflyttning.",
            "forecast": Decimal("580000"),
            "deviations": "Rekryteringen tog en månad längre än planerat.",
        },
        attainments={g.pk: ("uppnått delvis", "") for g in report.intervention.goals.all()},
        by=by,
    )


# --- duties -------------------------------------------------------------------------------------


def test_an_approval_creates_the_duties_its_terms_call_for(stegsam):
    intervention, _staff = stegsam
    reports = list(intervention.reports.order_by("period_end", "kind"))
    assert [(r.kind, r.period_end, r.due_date, r.status) for r in reports] == [
        ("interim", dt.date(2022, 6, 30), dt.date(2022, 7, 30), S.DUE),
        ("annual", dt.date(2022, 12, 31), dt.date(2023, 1, 30), S.DUE),
        # One oral presentation to the board a year, due on the day itself.
        ("oral", dt.date(2022, 12, 31), dt.date(2022, 12, 31), S.DUE),
        ("interim", dt.date(2023, 6, 30), dt.date(2023, 7, 30), S.DUE),
        ("annual", dt.date(2023, 12, 31), dt.date(2024, 1, 30), S.DUE),
        ("oral", dt.date(2023, 12, 31), dt.date(2023, 12, 31), S.DUE),
    ]
    assert AuditEvent.objects.filter(event="report.due").count() == 6


def test_duties_follow_the_terms_written_into_the_decision(association, office):
    application = f.assessed(association, office=office)
    decision = services.decision_record(
        application=application,
        meeting=f.board_meeting(association),
        paragraph="§ 7",
        outcome=Decision.Outcome.APPROVED,
        amounts={2022: Decimal("100000")},
        terms={"interim_report_month": 8, "interim_report_day": 31},
        by=office,
    )
    assert sorted(decision.intervention.reports.values_list("kind", "period_end")) == [
        ("annual", dt.date(2022, 12, 31)),
        ("interim", dt.date(2022, 8, 31)),
        ("oral", dt.date(2022, 12, 31)),
    ]


def test_an_association_that_asks_for_a_yearly_report_only_gets_no_interim_duties(
    association, office
):
    # Norra Västmanland: "lämnar årsvis en helårsrapport till förbundsstyrelsen".
    services.funding_settings_update(
        association=association,
        data={"annual_report_only": True, "oral_presentations_per_year": 0},
        by=office,
    )
    imported = f.intervention(association)
    assert list(imported.reports.values_list("kind", "period_end")) == [
        ("annual", dt.date(2021, 12, 31))
    ]
    decision = f.approved(association, office=office)
    assert decision.annual_report_only is True
    assert {kind for kind, _day in services.report_periods(decision.intervention)} == {"annual"}
    assert [label for label, _day in services.reporting_duties(decision.intervention)] == [
        "Årsrapport",
        "Årsrapport",
    ]
    # A decision may still ask for an interim report; the association's default is only a default.
    other = services.decision_record(
        application=f.assessed(association, office=office),
        meeting=f.board_meeting(association),
        paragraph="§ 8",
        outcome=Decision.Outcome.APPROVED,
        amounts={2022: Decimal("100000")},
        terms={"annual_report_only": False},
        by=office,
    )
    assert sorted(other.intervention.reports.values_list("kind", flat=True)) == [
        "annual",
        "interim",
    ]


def test_the_settings_page_sets_and_shows_annual_report_only(client, association, office):
    client.force_login(office)
    response = client.post(
        url("settings_edit", association),
        {
            "annual_report_only": "on",
            "interim_report_month": "6",
            "interim_report_day": "30",
            "annual_report_month": "12",
            "annual_report_day": "31",
            "oral_presentations_per_year": "0",
            "oral_presentation_month": "12",
            "oral_presentation_day": "31",
            "steering_meetings_expected": "3",
        },
    )
    assert response.status_code == 302
    assert services.funding_settings_for(association).annual_report_only is True
    body = client.get(url("criteria", association)).content.decode()
    assert "Ingen, bara årsrapport" in body
    page = client.get(url("settings_edit", association)).content.decode()
    assert 'name="annual_report_only"' in page and "checked" in page
    # The decision form starts from the default.
    application = f.assessed(association, office=office)
    form = client.get(url("decision_create", association, application.pk)).content.decode()
    [checkbox] = re.findall(r'<input[^>]*name="annual_report_only"[^>]*>', form)
    assert "checked" in checkbox


def test_imported_history_gets_duties_and_syncing_again_adds_nothing(association):
    samkraft = f.intervention(association)
    assert samkraft.reports.count() == 3
    assert services.reports_sync(intervention=samkraft, by=SYSTEM) == []
    assert samkraft.reports.count() == 3


def test_an_early_end_drops_blank_duties_after_the_end_but_keeps_written_ones(
    association, office, stegsam
):
    intervention, staff = stegsam
    written = intervention.reports.get(period_end=dt.date(2023, 6, 30))
    services.report_update(
        report=written, data={"what_happened": "Påbörjad"}, attainments={}, by=staff
    )
    services.intervention_end(
        intervention=intervention,
        meeting=f.board_meeting(association, date=dt.date(2022, 9, 1)),
        paragraph="§ 30",
        ends_on=dt.date(2022, 12, 31),
        by=office,
    )
    assert sorted(intervention.reports.values_list("period_end", "kind")) == [
        (dt.date(2022, 6, 30), "interim"),
        (dt.date(2022, 12, 31), "annual"),
        (dt.date(2022, 12, 31), "oral"),
        (dt.date(2023, 6, 30), "interim"),
    ]
    # The 2023 annual report and oral presentation are gone.
    assert AuditEvent.objects.filter(event="report.withdrawn").count() == 2


# --- the state machine --------------------------------------------------------------------------

# A written report is never "held" (the database refuses it): that status is the oral
# presentation's, whose own table is tested in test_oral_presentations.py.
PAIRS = [(a, b) for a in S.values for b in S.values if a != b and a != S.HELD]


@pytest.mark.parametrize(("current", "to"), PAIRS, ids=[f"{a}->{b}" for a, b in PAIRS])
def test_transition_table(association, office, stegsam, current, to):
    intervention, _staff = stegsam
    report = intervention.reports.order_by("period_end").first()
    complete(report, office)
    InterventionReport.objects.filter(pk=report.pk).update(status=current)
    report.refresh_from_db()
    events = AuditEvent.objects.filter(event="report.status").count()
    if to in REPORT_TRANSITIONS[current]:
        services.report_transition(report=report, to=to, by=office, comment="Komplettera målen.")
        report.refresh_from_db()
        assert report.status == to
        assert AuditEvent.objects.filter(event="report.status").count() == events + 1
    else:
        with pytest.raises(InvalidTransition):
            services.report_transition(report=report, to=to, by=office, comment="x")
        report.refresh_from_db()
        assert report.status == current
        assert AuditEvent.objects.filter(event="report.status").count() == events


def test_staff_writes_and_submits_the_office_returns_and_then_approves(
    association, office, stegsam
):
    intervention, staff = stegsam
    report = intervention.reports.order_by("period_end").first()
    complete(report, staff)
    assert ReportGoalAttainment.objects.filter(report=report).count() == 3
    services.report_submit(report=report, by=staff)
    assert (report.status, report.submitted_by) == (S.SUBMITTED, staff)
    with pytest.raises(PermissionDenied):
        services.report_approve(report=report, by=staff)
    with pytest.raises(ValidationError) as error:
        services.report_return(report=report, by=office, comment=" ")
    assert "review_comment" in error.value.error_dict
    services.report_return(report=report, by=office, comment="Ange antal deltagare per kön.")
    assert report.status == S.RETURNED
    services.report_update(
        report=report, data={"outcome": "22 deltagare"}, attainments={}, by=staff
    )
    services.report_submit(report=report, by=staff)
    services.report_approve(report=report, by=office)
    assert report.status == S.APPROVED
    with pytest.raises(PermissionDenied):
        services.report_update(report=report, data={"outcome": "ändrat"}, attainments={}, by=office)


def test_only_staff_of_that_intervention_may_write_its_report(association, office, stegsam):
    intervention, _staff = stegsam
    other_staff = user_with_role(association, Role.STAFF)
    member_org = user_with_role(association, Role.MEMBER_ORG)
    report = intervention.reports.first()
    for user in (other_staff, member_org):
        with pytest.raises(PermissionDenied):
            services.report_update(report=report, data={"outcome": "x"}, attainments={}, by=user)
        with pytest.raises(PermissionDenied):
            services.report_submit(report=report, by=user)
    report.refresh_from_db()
    assert report.outcome == ""


def test_a_submission_names_what_is_missing_per_field_and_per_goal(stegsam):
    intervention, staff = stegsam
    report = intervention.reports.first()
    goals = list(intervention.goals.all())
    services.report_update(
        report=report,
        data={"what_happened": "Något"},
        attainments={goals[0].pk: ("30", "")},
        by=staff,
    )
    with pytest.raises(ValidationError) as error:
        services.report_submit(report=report, by=staff)
    keys = set(error.value.error_dict)
    assert keys == {"outcome", "forecast", f"goal_{goals[1].pk}_value", f"goal_{goals[2].pk}_value"}
    report.refresh_from_db()
    assert report.status == S.DUE


def test_a_negative_forecast_is_refused(stegsam):
    intervention, staff = stegsam
    report = intervention.reports.first()
    with pytest.raises(ValidationError) as error:
        services.report_update(
            report=report, data={"forecast": Decimal("-1")}, attainments={}, by=staff
        )
    assert "negativ" in error.value.error_dict["forecast"][0].messages[0]


# --- pages --------------------------------------------------------------------------------------


def _overdue_and_soon(intervention):
    today = timezone.localdate()
    reports = list(intervention.reports.order_by("period_end", "kind"))
    InterventionReport.objects.filter(pk=reports[0].pk).update(
        period_end=today - dt.timedelta(days=40), due_date=today - dt.timedelta(days=10)
    )
    InterventionReport.objects.filter(pk=reports[1].pk).update(
        period_end=today - dt.timedelta(days=20), due_date=today + dt.timedelta(days=10)
    )
    for i, report in enumerate(reports[2:], start=1):
        InterventionReport.objects.filter(pk=report.pk).update(
            period_end=today + dt.timedelta(days=100 * i),
            due_date=today + dt.timedelta(days=100 * i + 30),
        )
    return reports[0], reports[1]


def test_home_page_counts_overdue_and_due_soon_reports(client, association, office, stegsam):
    intervention, _staff = stegsam
    _overdue_and_soon(intervention)
    client.force_login(office)
    page = client.get(reverse("dashboard:home", args=[association.slug])).content.decode()
    assert "Rapporter från insatserna" in page
    assert "1 försenad rapport" in page
    assert "1 rapport ska lämnas inom 14 dagar" in page


# --- reminders ----------------------------------------------------------------------------------


def test_reminders_are_sent_once_and_overdue_ones_again_after_a_week(
    association, office, stegsam, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    intervention, staff = stegsam
    first = intervention.reports.order_by("period_end").first()  # due 2022-07-30
    others = InterventionReport.objects.exclude(pk=first.pk)
    assert not others.filter(due_date__lte=dt.date(2022, 8, 31)).exists()

    def run(day):
        mail.outbox.clear()
        out = io.StringIO()
        call_command("send_reminders", "--date", day.isoformat(), stdout=out)
        return sorted(m.to[0] for m in mail.outbox)

    assert run(dt.date(2022, 7, 10)) == []  # 20 days ahead: not yet
    assert run(dt.date(2022, 7, 20)) == ["coach@example.se", "kansli@example.se"]
    message = mail.outbox[0]
    assert message.subject == (
        "Påminnelse: Delårsrapport för STEGSAM – steg för steg genom att samverka ska lämnas "
        "senast 2022-07-30"
    )
    assert "Hej Kim Coach!" in message.body
    assert f"/f/{association.slug}/rapporter/{first.pk}/" in message.body
    assert run(dt.date(2022, 7, 20)) == []  # twice the same day
    assert run(dt.date(2022, 7, 21)) == []  # "due soon" is sent once
    assert run(dt.date(2022, 7, 31)) == ["coach@example.se", "kansli@example.se"]
    assert mail.outbox[0].subject.startswith("Försenad rapport: Delårsrapport")
    assert "1 dag försenad" in mail.outbox[0].body
    assert run(dt.date(2022, 7, 31)) == []
    assert run(dt.date(2022, 8, 6)) == []  # within the week
    assert run(dt.date(2022, 8, 7)) == ["coach@example.se", "kansli@example.se"]  # a week later
    complete(first, staff)
    services.report_submit(report=first, by=staff)
    assert run(dt.date(2022, 8, 14)) == []  # submitted: no more reminders
    assert ReminderSent.objects.count() == 6


def test_reminders_skip_users_without_e_mail_and_other_associations(
    association, other_association, office, stegsam, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    intervention, staff = stegsam
    staff.email = ""
    staff.save()
    foreign_office = user_with_role(other_association, Role.OFFICE)
    foreign_office.email = "annan@example.se"
    foreign_office.save()
    sent = services.reminders_send(today=dt.date(2022, 7, 20))
    assert [r.recipient for r in sent] == [office]
    assert [m.to for m in mail.outbox] == [["kansli@example.se"]]
