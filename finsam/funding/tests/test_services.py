"""Rules of the funding lifecycle, tested through the services against the database."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.funding import services
from finsam.funding.models import (
    Application,
    ApplicationVersion,
    Assessment,
    Call,
    Decision,
    FundingSettings,
    Grant,
    Intervention,
    Requisition,
)
from finsam.funding.selectors import calls, interventions
from finsam.funding.services import TRANSITIONS, InvalidTransition
from finsam.funding.tests import factories as f
from finsam.organisation.models import AgendaItem, AuditEvent, Meeting, Role
from finsam.organisation.tests.factories import MeetingFactory, user_with_role

Status = Application.Status
NBSP = "\u00a0"


def plain(text: str) -> str:
    """Amounts are shown with no-break spaces; compare messages with ordinary ones."""
    return text.replace(NBSP, " ")


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


# --- kind shares --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("shares", "ok"),
    [
        ({"individual": 100}, True),
        ({"process_support": 50, "individual": 50}, True),
        ({"individual": 60, "structural": 30}, False),
        ({"individual": 60, "structural": 50}, False),
        ({"individual": 110, "structural": -10}, False),
        ({}, False),
        ({"individual": 100, "structural": 0}, True),
        ({"magic": 100}, False),
    ],
)
def test_kind_shares_must_sum_to_100(shares, ok):
    assert (services.kind_shares_error(shares) is None) is ok


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=4, max_size=4))
def test_kind_shares_accepted_exactly_when_they_sum_to_100(values):
    shares = dict(
        zip(
            ["individual", "structural", "process_support", "collaboration_support"],
            values,
            strict=True,
        )
    )
    assert (services.kind_shares_error(shares) is None) == (sum(values) == 100)


def test_shares_that_do_not_sum_to_100_save_nothing(association, office):
    with pytest.raises(ValidationError) as exc:
        f.draft(association, by=office, kind_shares={"individual": 60, "structural": 30})
    assert "kind_shares" in exc.value.error_dict
    assert "nu är de 90 %" in exc.value.error_dict["kind_shares"][0].messages[0]
    assert not Application.objects.exists()


# --- creating and changing applications ---------------------------------------------------------


def test_draft_holds_every_field_the_seeds_print(association, office):
    application = f.draft(
        association,
        by=office,
        kind_shares={"process_support": 50, "individual": 50},
    )
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert application.age_range == "16–29"
    assert {s.kind: s.percent for s in application.kind_shares.all()} == {
        "process_support": 50,
        "individual": 50,
    }
    assert [g.target_value for g in application.goals.all()] == [
        "≥ 30 ärenden per år",
        "≥ 85 % nöjda deltagare",
        "1/3 gör stegförflyttning",
    ]
    lines = list(application.budget_lines.all())
    assert [(b.year, b.requested, b.external_source) for b in lines] == [
        (2022, Decimal("600000.00"), ""),
        (2023, Decimal("350000.00"), "ESF"),
    ]
    assert lines[1].total == Decimal("500000")
    assert application.steering_group.count() == 2
    assert application.reports_per_person is True
    assert application.created_by == office
    event = AuditEvent.objects.get(event="application.created")
    assert event.actor == office
    assert event.after["kind_shares"] == {"process_support": 50, "individual": 50}


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        (
            {"fields": {"period_start": dt.date(2022, 1, 1), "period_end": dt.date(2021, 12, 31)}},
            "period_end",
        ),
        ({"fields": {"age_from": 30, "age_to": 16}}, "age_to"),
    ],
)
def test_inconsistent_description_is_refused_at_the_field(association, office, overrides, field):
    with pytest.raises(ValidationError) as exc:
        f.draft(association, by=office, **overrides)
    assert field in exc.value.error_dict
    assert not Application.objects.exists()


def test_budget_year_outside_the_period_is_refused(association, office):
    lines = f.content(association).budget_lines
    lines[1]["year"] = 2025
    with pytest.raises(ValidationError) as exc:
        f.draft(association, by=office, budget_lines=lines)
    assert "Budgetåret 2025 ligger utanför perioden 2022–2023." in exc.value.messages
    assert not Application.objects.exists()


def test_negative_budget_amount_is_refused(association, office):
    lines = f.content(association).budget_lines
    lines[0]["own_financing"] = Decimal("-1")
    with pytest.raises(ValidationError) as exc:
        f.draft(association, by=office, budget_lines=lines)
    assert "Belopp i budgeten kan inte vara negativa." in exc.value.messages


def test_applicant_from_another_association_is_refused(association, other_association, office):
    foreign = other_association.members.first()
    with pytest.raises(ValidationError) as exc:
        f.draft(association, by=office, applicants=[foreign])
    assert "applicants" in exc.value.error_dict


def test_application_cannot_both_continue_and_reinforce(association, office):
    existing = f.intervention(association)
    with pytest.raises(ValidationError) as exc:
        f.draft(association, by=office, fields={"continues": existing, "reinforces": existing})
    assert "reinforces" in exc.value.error_dict


# --- the transition table -----------------------------------------------------------------------

ALL_PAIRS = [(a, b) for a in Status.values for b in Status.values if a != b]


@pytest.mark.parametrize(("start", "to"), ALL_PAIRS, ids=[f"{a}->{b}" for a, b in ALL_PAIRS])
def test_every_transition_is_allowed_exactly_when_the_table_says(association, office, start, to):
    application = f.draft(association, by=office)
    Application.objects.filter(pk=application.pk).update(status=start)
    application.refresh_from_db()
    events = AuditEvent.objects.filter(event="application.status").count()
    if to in TRANSITIONS[start]:
        services.application_transition(application=application, to=to, by=office)
        application.refresh_from_db()
        assert application.status == to
        event = AuditEvent.objects.filter(event="application.status").latest("id")
        assert (event.before, event.after, event.actor) == (
            {"status": start},
            {"status": to},
            office,
        )
    else:
        with pytest.raises(InvalidTransition) as exc:
            services.application_transition(application=application, to=to, by=office)
        assert str(Status(start).label) in exc.value.messages[0]
        application.refresh_from_db()
        assert application.status == start
        assert AuditEvent.objects.filter(event="application.status").count() == events


def test_decided_and_withdrawn_are_final():
    assert TRANSITIONS[Status.DECIDED] == set()
    assert TRANSITIONS[Status.WITHDRAWN] == set()


# --- submission and versions --------------------------------------------------------------------


def test_submit_refuses_an_incomplete_application_field_by_field(association, office):
    application = f.draft(
        association, by=office, goals=[], budget_lines=[], fields={"owner": "", "project_lead": ""}
    )
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=application, by=office)
    assert {"owner", "project_lead", "goals", "budget_lines"} <= set(exc.value.error_dict)
    application.refresh_from_db()
    assert application.status == Status.DRAFT
    assert not application.versions.exists()


def test_submit_stores_version_one_and_locks_the_applicant_out(association):
    applicant = f.member_org_user(association)
    application = f.draft(association, by=applicant)
    services.application_submit(application=application, by=applicant, today=dt.date(2021, 6, 1))
    application.refresh_from_db()
    assert application.status == Status.SUBMITTED
    assert application.submitted_at is not None
    version = application.versions.get()
    assert version.number == 1
    assert version.snapshot["title"] == application.title
    assert version.snapshot["kind_shares"] == {"individual": 100}

    with pytest.raises(PermissionDenied) as exc:
        services.application_update(
            application=application,
            content=f.content(association, fields={"title": "Ändrad av sökande"}),
            by=applicant,
        )
    assert "kan inte längre ändras av den sökande" in str(exc.value)
    application.refresh_from_db()
    assert application.title.startswith("STEGSAM")


def test_every_change_after_submission_is_a_new_version(association, office):
    application = f.submitted(association, by=office)
    services.application_update(
        application=application,
        content=f.content(association, fields={"title": "STEGSAM (rättad)"}),
        by=office,
        reason="Rättat namn",
    )
    services.application_update(
        application=application,
        content=f.content(association, kind_shares={"individual": 80, "structural": 20}),
        by=office,
    )
    versions = list(ApplicationVersion.objects.filter(application=application).order_by("number"))
    assert [v.number for v in versions] == [1, 2, 3]
    assert versions[0].snapshot["title"].startswith("STEGSAM –")
    assert versions[1].snapshot["title"] == "STEGSAM (rättad)"
    assert versions[1].reason == "Rättat namn"
    assert versions[2].snapshot["kind_shares"] == {"individual": 80, "structural": 20}
    assert versions[2].created_by == office


def test_changes_to_a_draft_make_no_versions(association, office):
    application = f.draft(association, by=office)
    services.application_update(
        application=application, content=f.content(association, fields={"title": "Nytt"}), by=office
    )
    assert not application.versions.exists()


def test_submission_to_a_closed_call_is_refused(association, office):
    call = f.CallFactory(association=association, closes_on=dt.date(2021, 3, 31))
    application = f.draft(association, by=office, fields={"call": call})
    with pytest.raises(ValidationError) as exc:
        services.application_submit(application=application, by=office, today=dt.date(2021, 6, 1))
    assert "tar inte emot ansökningar" in exc.value.error_dict["call"][0].messages[0]


# --- assessment ---------------------------------------------------------------------------------


def test_assessment_scores_each_criterion_and_gives_a_recommendation(association, office):
    criteria = f.criteria_for(association)
    colleague = user_with_role(association, Role.OFFICE)
    application = f.submitted(association, by=office)
    services.assessment_set(
        application=application, scores={c.pk: (4, "Bra") for c in criteria}, by=office
    )
    services.assessment_set(
        application=application,
        scores={c.pk: (3 if i else 1, "") for i, c in enumerate(criteria)},
        by=colleague,
    )
    summary = services.application_assessment_summary(application)
    assert [r.criterion.title for r in summary.criteria] == f.VM_CRITERIA
    assert summary.criteria[0].mean == Decimal("2.50")
    assert summary.criteria[1].mean == Decimal("3.50")
    # Mean of the criterion means: (2.5 + 4 × 3.5) / 5 = 3.3.
    assert summary.overall == Decimal("3.30")
    assert summary.recommendation == "approve"
    assert summary.complete
    assert len(summary.assessors) == 2


def test_a_weak_criterion_keeps_the_recommendation_from_approve(association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    scores = {c.pk: (4, "") for c in criteria}
    scores[criteria[2].pk] = (1, "Hälsa saknas")
    services.assessment_set(application=application, scores=scores, by=office)
    summary = services.application_assessment_summary(application)
    assert summary.overall == Decimal("3.40")
    assert summary.recommendation == "conditions"


@pytest.mark.parametrize(
    ("score", "expected"), [(4, "approve"), (3, "approve"), (2, "conditions"), (1, "reject")]
)
def test_recommendation_thresholds(association, office, score, expected):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    services.assessment_set(
        application=application, scores={c.pk: (score, "") for c in criteria}, by=office
    )
    assert services.application_assessment_summary(application).recommendation == expected


def test_saving_again_replaces_the_assessors_own_scores(association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    services.assessment_set(
        application=application, scores={c.pk: (2, "") for c in criteria}, by=office
    )
    services.assessment_set(
        application=application, scores={c.pk: (4, "Bättre") for c in criteria}, by=office
    )
    assert Assessment.objects.filter(application=application).count() == len(criteria)
    assert set(Assessment.objects.values_list("score", flat=True)) == {4}
    event = AuditEvent.objects.filter(event="assessment.set").latest("id")
    assert event.before["Hälsa"] == 2 and event.after["Hälsa"] == 4


def test_assessment_needs_every_criterion_scored(association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    with pytest.raises(ValidationError) as exc:
        services.assessment_set(
            application=application, scores={criteria[0].pk: (3, "")}, by=office
        )
    assert f"criterion_{criteria[1].pk}" in exc.value.error_dict
    assert not Assessment.objects.exists()


def test_a_draft_cannot_be_assessed(association, office):
    criteria = f.criteria_for(association)
    application = f.draft(association, by=office)
    with pytest.raises(InvalidTransition):
        services.assessment_set(
            application=application, scores={c.pk: (3, "") for c in criteria}, by=office
        )


def test_mark_assessed_names_the_missing_criteria(association, office):
    criteria = f.criteria_for(association)
    application = f.submitted(association, by=office)
    services.assessment_set(
        application=application, scores={c.pk: (3, "") for c in criteria}, by=office
    )
    new = f.CriterionFactory(association=association, title="Jämställdhet")
    with pytest.raises(ValidationError) as exc:
        services.application_mark_assessed(application=application, by=office)
    assert "Saknas: Jämställdhet." in exc.value.messages[0]
    new.is_active = False
    new.save()
    services.application_mark_assessed(application=application, by=office)
    assert application.status == Status.ASSESSED


def test_used_criterion_cannot_be_deleted(association, office):
    application = f.assessed(association, office=office)
    criterion = application.assessments.first().criterion
    with pytest.raises(ValidationError):
        services.criterion_delete(criterion=criterion, by=office)


# --- decisions ----------------------------------------------------------------------------------


def test_approval_creates_the_intervention_its_grants_and_the_agenda_item(association, office):
    meeting = f.board_meeting(association)
    decision = f.approved(
        association,
        office=office,
        meeting=meeting,
        paragraph="12",
        kind_shares={"process_support": 50, "individual": 50},
    )
    application = decision.application
    application.refresh_from_db()
    assert application.status == Status.DECIDED
    assert decision.paragraph == "§ 12"
    assert AgendaItem.objects.filter(meeting=meeting, title__contains="STEGSAM").count() == 1
    assert decision.agenda_item.meeting == meeting

    intervention = decision.intervention
    assert intervention.application == application
    assert intervention.title == application.title
    assert intervention.age_range == "16–29"
    assert {s.kind: s.percent for s in intervention.kind_shares.all()} == {
        "process_support": 50,
        "individual": 50,
    }
    assert [g.target_value for g in intervention.goals.all()][0] == "≥ 30 ärenden per år"
    assert intervention.steering_group.count() == 2
    assert list(intervention.members.all()) == list(application.applicants.all())
    assert [(g.year, g.amount, g.decision) for g in intervention.grants.all()] == [
        (2022, Decimal("600000.00"), decision),
        (2023, Decimal("350000.00"), decision),
    ]
    # Reporting duties default to 06-30 and 12-31 and one oral presentation a year.
    assert (decision.interim_report_month, decision.interim_report_day) == (6, 30)
    assert decision.oral_presentations_per_year == 1
    assert services.reporting_duties(intervention)[:2] == [
        ("Delårsrapport", dt.date(2022, 6, 30)),
        ("Årsrapport", dt.date(2022, 12, 31)),
    ]
    assert AuditEvent.objects.filter(event="decision.recorded", actor=office).exists()
    assert AuditEvent.objects.filter(event="grant.created").count() == 2


def test_association_defaults_are_copied_into_the_decision(association, office):
    FundingSettings.objects.create(
        association=association,
        interim_report_month=8,
        interim_report_day=31,
        oral_presentations_per_year=2,
    )
    decision = f.approved(association, office=office)
    assert (decision.interim_report_month, decision.interim_report_day) == (8, 31)
    assert decision.oral_presentations_per_year == 2


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        (Decision.Outcome.REJECTED, Status.DECIDED),
        (Decision.Outcome.REFERRED_BACK, Status.SUBMITTED),
    ],
)
def test_rejection_and_referral_grant_nothing(association, office, outcome, status):
    application = f.assessed(association, office=office)
    services.decision_record(
        application=application,
        meeting=f.board_meeting(association),
        paragraph="§ 3",
        outcome=outcome,
        by=office,
    )
    application.refresh_from_db()
    assert application.status == status
    assert not Intervention.objects.exists()
    assert not Grant.objects.exists()


def test_rejection_with_amounts_is_refused(association, office):
    application = f.assessed(association, office=office)
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            application=application,
            meeting=f.board_meeting(association),
            paragraph="§ 3",
            outcome=Decision.Outcome.REJECTED,
            amounts={2022: Decimal("1")},
            by=office,
        )
    assert "amounts" in exc.value.error_dict
    assert not Decision.objects.exists()


def test_conditions_are_required_for_a_conditional_approval(association, office):
    application = f.assessed(association, office=office)
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            application=application,
            meeting=f.board_meeting(association),
            paragraph="§ 3",
            outcome=Decision.Outcome.APPROVED_WITH_CONDITIONS,
            amounts={2022: Decimal("100000")},
            by=office,
        )
    assert "conditions" in exc.value.error_dict
    application.refresh_from_db()
    assert application.status == Status.ASSESSED
    assert not AgendaItem.objects.exists()


def test_decision_years_must_lie_in_the_period(association, office):
    application = f.assessed(association, office=office)
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            application=application,
            meeting=f.board_meeting(association),
            paragraph="§ 3",
            outcome=Decision.Outcome.APPROVED,
            amounts={2024: Decimal("100000")},
            by=office,
        )
    assert "Året 2024 ligger utanför ansökans period 2022–2023." in exc.value.messages


def test_paragraph_is_unique_per_meeting(association, office):
    meeting = f.board_meeting(association)
    f.approved(association, office=office, meeting=meeting, paragraph="§ 12")
    application = f.assessed(association, office=office)
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            application=application,
            meeting=meeting,
            paragraph="12",
            outcome=Decision.Outcome.REJECTED,
            by=office,
        )
    assert "§ 12 finns redan i protokollet från 2021-03-26." in exc.value.messages


@pytest.mark.parametrize("paragraph", ["tolv", "", "§", "12.5"])
def test_paragraph_must_be_a_number(paragraph):
    with pytest.raises(ValidationError):
        services.normalise_paragraph(paragraph)


def test_decision_needs_a_board_meeting_of_the_same_association(
    association, other_association, office
):
    application = f.assessed(association, office=office)
    for meeting in (
        f.board_meeting(other_association),
        MeetingFactory(association=association, kind=Meeting.Kind.PLANNING),
    ):
        with pytest.raises(ValidationError) as exc:
            services.decision_record(
                application=application,
                meeting=meeting,
                paragraph="§ 1",
                outcome=Decision.Outcome.REJECTED,
                by=office,
            )
        assert "meeting" in exc.value.error_dict


def test_a_submitted_application_cannot_be_decided(association, office):
    application = f.submitted(association, by=office)
    with pytest.raises(InvalidTransition):
        services.decision_record(
            application=application,
            meeting=f.board_meeting(association),
            paragraph="§ 1",
            outcome=Decision.Outcome.REJECTED,
            by=office,
        )


def test_reinforcing_application_links_the_new_intervention(association, office):
    stegsam = f.intervention(association, fields={"title": "STEGSAM"})
    decision = f.approved(
        association,
        office=office,
        fields={"title": "STEGSAM Plus", "reinforces": stegsam},
    )
    plus = decision.intervention
    assert plus.reinforces == stegsam
    assert list(stegsam.reinforced_by.all()) == [plus]


def test_continuation_adds_grants_and_extends_the_period_without_editing_history(
    association, office
):
    samkraft = f.intervention(association)
    first_grant = samkraft.grants.get()
    decision = f.approved(association, office=office, fields={"continues": samkraft})
    samkraft.refresh_from_db()
    assert decision.intervention == samkraft
    assert samkraft.period_end == dt.date(2023, 12, 31)
    assert Intervention.objects.count() == 1
    assert [g.year for g in samkraft.grants.all()] == [2021, 2022, 2023]
    first_grant.refresh_from_db()
    assert first_grant.amount == Decimal("600000") and first_grant.decision is None


# --- the call's pot -----------------------------------------------------------------------------


def test_kvar_att_fordela_shrinks_with_grants_decided_against_the_call(association, office):
    call = f.CallFactory(association=association, pot=Decimal("569000"))
    f.approved(association, office=office, amounts={2022: Decimal("200000")}, fields={"call": call})
    f.intervention(association)  # not decided against the call: does not count
    row = calls(user=office, association=association).get(pk=call.pk)
    assert row.granted == Decimal("200000")
    assert row.remaining == Decimal("369000")
    assert services.call_granted_total(call) == Decimal("200000")


def test_a_decision_may_not_grant_more_than_is_left_of_the_pot(association, office):
    call = f.CallFactory(association=association, pot=Decimal("569000"))
    f.approved(association, office=office, amounts={2022: Decimal("500000")}, fields={"call": call})
    application = f.assessed(association, office=office, fields={"call": call})
    with pytest.raises(ValidationError) as exc:
        services.decision_record(
            application=application,
            meeting=f.board_meeting(association, date=dt.date(2021, 6, 9)),
            paragraph="§ 4",
            outcome=Decision.Outcome.APPROVED,
            amounts={2022: Decimal("70000")},
            by=office,
        )
    assert plain(exc.value.error_dict["amounts"][0].messages[0]) == (
        f"Utlysningen ”{call.title}” har 69 000 kr kvar att fördela, men beslutet beviljar "
        "70 000 kr. Minska beloppen med 1 000 kr."
    )
    assert Grant.objects.count() == 1


def test_the_pot_cannot_be_lowered_below_what_is_granted(association, office):
    call = f.CallFactory(association=association, pot=Decimal("569000"))
    f.approved(association, office=office, amounts={2022: Decimal("300000")}, fields={"call": call})
    with pytest.raises(ValidationError) as exc:
        services.call_update(call=call, data={"pot": Decimal("200000")}, by=office)
    assert "pot" in exc.value.error_dict
    call.refresh_from_db()
    assert call.pot == Decimal("569000")


def test_closing_a_call_is_audited_once(association, office):
    call = f.CallFactory(association=association)
    services.call_close(call=call, by=office)
    assert call.status == Call.Status.CLOSED
    with pytest.raises(InvalidTransition):
        services.call_close(call=call, by=office)
    assert AuditEvent.objects.filter(event="call.closed").count() == 1


@settings(
    max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(requests=st.lists(st.integers(min_value=1, max_value=300_000), min_size=1, max_size=4))
def test_no_sequence_of_decisions_makes_the_pot_negative(association, office, requests):
    # Hypothesis reuses the database between examples: each example gets its own call and meeting.
    call = f.CallFactory(association=association, pot=Decimal("569000"))
    meeting = f.board_meeting(association)
    accepted = Decimal(0)
    for i, amount in enumerate(requests):
        application = f.assessed(association, office=office, fields={"call": call})
        try:
            services.decision_record(
                application=application,
                meeting=meeting,
                paragraph=str(i + 1),
                outcome=Decision.Outcome.APPROVED,
                amounts={2022: Decimal(amount)},
                by=office,
            )
            accepted += amount
        except ValidationError:
            assert accepted + amount > call.pot  # refused only when it would overdraw the pot
        row = calls(user=office, association=association).get(pk=call.pk)
        assert row.remaining >= 0
        assert row.granted == accepted


# --- ending an intervention ---------------------------------------------------------------------


def test_ending_early_withdraws_later_grants_by_a_new_decision(association, office):
    decision = f.approved(association, office=office)
    intervention = decision.intervention
    meeting = f.board_meeting(association, date=dt.date(2022, 9, 3))
    end = services.intervention_end(
        intervention=intervention,
        meeting=meeting,
        paragraph="§ 30",
        ends_on=dt.date(2022, 12, 31),
        by=office,
    )
    intervention.refresh_from_db()
    assert intervention.period_end == dt.date(2022, 12, 31)
    grants = {g.year: g for g in intervention.grants.all()}
    assert grants[2022].withdrawn_by is None
    assert grants[2023].withdrawn_by == end
    assert [gy.year for gy in services.grant_years(intervention)] == [2022]
    assert end.kind == Decision.Kind.END


def test_a_year_with_approved_money_cannot_be_withdrawn(association, office):
    intervention = f.approved(association, office=office).intervention
    grant_2023 = intervention.grants.get(year=2023)
    requisition = services.requisition_request(
        grant=grant_2023, amount=Decimal("1000"), date=dt.date(2023, 2, 1), by=office
    )
    services.requisition_transition(
        requisition=requisition, to=Requisition.Status.APPROVED, by=f.economist(association)
    )
    with pytest.raises(ValidationError) as exc:
        services.intervention_end(
            intervention=intervention,
            meeting=f.board_meeting(association, date=dt.date(2022, 9, 3)),
            paragraph="§ 30",
            ends_on=dt.date(2022, 12, 31),
            by=office,
        )
    assert "2023" in exc.value.messages[0]
    grant_2023.refresh_from_db()
    assert grant_2023.withdrawn_by is None


# --- intervention status ------------------------------------------------------------------------


def test_status_is_computed_from_the_dates(association):
    intervention = f.intervention(association)
    assert intervention.status_on(dt.date(2020, 12, 31)) == Intervention.Status.PLANNED
    assert intervention.status_on(dt.date(2021, 6, 1)) == Intervention.Status.RUNNING
    assert intervention.status_on(dt.date(2022, 1, 1)) == Intervention.Status.ENDED
    intervention.period_end = None
    assert intervention.status_on(dt.date(2030, 1, 1)) == Intervention.Status.RUNNING


# --- payments -----------------------------------------------------------------------------------


def test_paid_and_approved_never_exceed_the_grant(association, office):
    grant = f.intervention(association).grants.get()
    first = services.requisition_request(
        grant=grant, amount=Decimal("450000"), date=dt.date(2021, 3, 31), by=office
    )
    services.requisition_transition(
        requisition=first, to=Requisition.Status.APPROVED, by=f.economist(association)
    )
    services.requisition_transition(
        requisition=first, to=Requisition.Status.PAID, by=f.economist(association)
    )
    with pytest.raises(ValidationError) as exc:
        services.requisition_request(
            grant=grant, amount=Decimal("200000"), date=dt.date(2021, 6, 30), by=office
        )
    assert plain(exc.value.error_dict["amount"][0].messages[0]) == (
        "Beviljat för 2021 är 600 000 kr, varav 450 000 kr redan är godkänt eller utbetalt. "
        "Högst 150 000 kr kan betalas ut; det här gäller 200 000 kr. Mer pengar kräver ett nytt "
        "beslut av styrelsen."
    )
    assert Requisition.objects.count() == 1


def test_two_requests_within_the_limit_cannot_both_be_approved_beyond_it(association, office):
    grant = f.intervention(association).grants.get()
    a = services.requisition_request(
        grant=grant, amount=Decimal("400000"), date=dt.date(2021, 3, 31), by=office
    )
    b = services.requisition_request(
        grant=grant, amount=Decimal("400000"), date=dt.date(2021, 6, 30), by=office
    )
    services.requisition_transition(
        requisition=a, to=Requisition.Status.APPROVED, by=f.economist(association)
    )
    with pytest.raises(ValidationError) as exc:
        services.requisition_transition(
            requisition=b, to=Requisition.Status.APPROVED, by=f.economist(association)
        )
    assert "Högst 200" in exc.value.messages[0]
    b.refresh_from_db()
    assert b.status == Requisition.Status.REQUESTED
    services.requisition_transition(
        requisition=b, to=Requisition.Status.REJECTED, by=f.economist(association)
    )


REQUISITION_PAIRS = [
    (a, b) for a in Requisition.Status.values for b in Requisition.Status.values if a != b
]


@pytest.mark.parametrize(
    ("start", "to"), REQUISITION_PAIRS, ids=[f"{a}->{b}" for a, b in REQUISITION_PAIRS]
)
def test_requisition_transition_table(association, office, start, to):
    grant = f.intervention(association).grants.get()
    requisition = services.requisition_request(
        grant=grant, amount=Decimal("1000"), date=dt.date(2021, 3, 1), by=office
    )
    Requisition.objects.filter(pk=requisition.pk).update(status=start)
    requisition.refresh_from_db()
    if to in services.REQUISITION_TRANSITIONS[start]:
        services.requisition_transition(requisition=requisition, to=to, by=f.economist(association))
        requisition.refresh_from_db()
        assert requisition.status == to
    else:
        with pytest.raises(InvalidTransition):
            services.requisition_transition(
                requisition=requisition, to=to, by=f.economist(association)
            )


def test_payment_plan_splits_what_is_left_in_whole_kronor(association, office):
    grant = f.intervention(association, grants=[(2021, Decimal("100000"), "VP 2021")]).grants.get()
    plan = services.payment_plan_create(
        grant=grant, instalments=3, first_date=dt.date(2021, 1, 31), by=office
    )
    assert [p.amount for p in plan] == [Decimal("33334"), Decimal("33333"), Decimal("33333")]
    assert [p.date for p in plan] == [
        dt.date(2021, 1, 28),
        dt.date(2021, 4, 28),
        dt.date(2021, 7, 28),
    ]
    assert {p.kind for p in plan} == {Requisition.Kind.PLAN}


def test_grant_years_show_granted_requisitioned_approved_paid_and_remaining(association, office):
    intervention = f.intervention(association)
    grant = intervention.grants.get()
    economist = f.economist(association)
    steps = (
        ("100000", "paid"),
        ("50000", "approved"),
        ("25000", "requested"),
        ("7000", "rejected"),
    )
    for amount, status in steps:
        p = services.requisition_request(
            grant=grant, amount=Decimal(amount), date=dt.date(2021, 3, 1), by=office
        )
        if status == "rejected":
            services.requisition_transition(
                requisition=p, to=Requisition.Status.REJECTED, by=economist
            )
        if status in ("approved", "paid"):
            services.requisition_transition(
                requisition=p, to=Requisition.Status.APPROVED, by=economist
            )
        if status == "paid":
            services.requisition_transition(requisition=p, to=Requisition.Status.PAID, by=economist)
    [year] = services.grant_years(intervention)
    assert (
        year.granted,
        year.requisitioned,
        year.requested,
        year.approved,
        year.paid,
        year.remaining,
    ) == (
        Decimal("600000"),
        Decimal("175000"),  # requested + approved + paid; the rejected 7 000 kr is not counted
        Decimal("25000"),
        Decimal("50000"),
        Decimal("100000"),
        Decimal("450000"),
    )
    row = interventions(user=office, association=association).get(pk=intervention.pk)
    assert (row.granted, row.paid) == (Decimal("600000"), Decimal("100000"))


# Hypothesis: whatever sequence of requests, approvals, rejections and payouts, approved + paid
# never exceeds what was granted.
operation = st.tuples(
    st.sampled_from(["request", "approve", "reject", "pay"]),
    st.integers(min_value=1, max_value=400_000),
    st.integers(min_value=0, max_value=20),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(ops=st.lists(operation, max_size=12))
def test_no_sequence_of_requisition_steps_exceeds_the_grant(association, office, ops):
    grant = f.intervention(association, grants=[(2021, Decimal("600000"), "VP")]).grants.get()
    for op, amount, pick in ops:
        requisitions = list(Requisition.objects.filter(grant=grant).order_by("id"))
        try:
            if op == "request":
                services.requisition_request(
                    grant=grant, amount=Decimal(amount), date=dt.date(2021, 5, 1), by=office
                )
            elif requisitions:
                target = requisitions[pick % len(requisitions)]
                to = {"approve": "approved", "reject": "rejected", "pay": "paid"}[op]
                services.requisition_transition(
                    requisition=target, to=to, by=f.economist(association)
                )
        except ValidationError:
            pass
        assert services.grant_committed(grant) <= grant.amount
