"""The services enforce their own rules, whoever calls them: a view, a management command or an
import. Each rule is tested with a user it allows and a user it refuses."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from finsam.funding import services
from finsam.funding.models import Application, Decision, Intervention, Requisition
from finsam.funding.tests import factories as f
from finsam.organisation.audit import Event
from finsam.organisation.models import AgendaItem, AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

D = Decimal
Status = Application.Status


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


def requested(grant, by, amount="10000") -> Requisition:
    return services.requisition_request(
        grant=grant, amount=D(amount), date=dt.date(2021, 3, 1), by=by
    )


# --- ending an intervention rejects open requests one by one --------------------------------------


def test_ending_early_rejects_each_open_request_with_its_own_audited_transition(
    association, office
):
    intervention = f.approved(association, office=office).intervention
    later = intervention.grants.get(year=2023)
    staff = user_with_role(association, Role.STAFF)
    intervention.staff.add(staff)
    first = services.requisition_request(
        grant=later, amount=D("40000"), date=dt.date(2023, 1, 31), by=staff
    )
    second = services.requisition_request(
        grant=later, amount=D("25000"), date=dt.date(2023, 2, 28), by=staff
    )
    kept = services.requisition_request(
        grant=intervention.grants.get(year=2022),
        amount=D("10000"),
        date=dt.date(2022, 8, 31),
        by=staff,
    )

    board = user_with_role(association, Role.BOARD)
    services.intervention_end(
        intervention=intervention,
        meeting=f.board_meeting(association, date=dt.date(2022, 9, 3)),
        paragraph="§ 30",
        ends_on=dt.date(2022, 12, 31),
        by=board,
    )

    for requisition in (first, second):
        requisition.refresh_from_db()
        assert (requisition.status, requisition.decided_by) == (Requisition.Status.REJECTED, board)
    kept.refresh_from_db()
    assert kept.status == Requisition.Status.REQUESTED  # 2022 is not withdrawn
    rows = AuditEvent.objects.filter(event=Event.REQUISITION_STATUS_CHANGED).order_by("target_id")
    assert [(r.target_id, r.actor, r.before, r.after) for r in rows] == [
        (str(p.pk), board, {"status": "requested"}, {"status": "rejected"})
        for p in sorted((first, second), key=lambda p: str(p.pk))
    ]


# --- decisions -------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.BOARD, Role.OFFICE])
def test_the_board_and_the_office_record_a_decision(association, office, role):
    application = f.assessed(association, office=office)
    decision = services.decision_record(
        application=application,
        meeting=f.board_meeting(association),
        paragraph="§ 12",
        outcome=Decision.Outcome.APPROVED,
        amounts={2022: D("600000")},
        by=user_with_role(association, role),
    )
    assert decision.intervention is not None


@pytest.mark.parametrize(
    "role", [Role.ECONOMIST, Role.AUDITOR, Role.MEMBER_ORG, Role.STAFF, Role.ADVISORY]
)
def test_nobody_else_records_a_decision_whoever_calls_the_service(association, office, role):
    application = f.assessed(association, office=office)
    with pytest.raises(PermissionDenied) as refused:
        services.decision_record(
            application=application,
            meeting=f.board_meeting(association),
            paragraph="§ 12",
            outcome=Decision.Outcome.APPROVED,
            amounts={2022: D("600000")},
            by=user_with_role(association, role),
        )
    assert "Bara styrelsens ledamöter och kansliet kan registrera styrelsens beslut." in str(
        refused.value
    )
    assert not Decision.objects.exists() and not Intervention.objects.exists()
    assert not AgendaItem.objects.exists()
    application.refresh_from_db()
    assert application.status == Status.ASSESSED


def test_a_decision_is_recorded_only_at_a_held_meeting(association, office):
    application = f.assessed(association, office=office)
    coming = f.board_meeting(association, date=timezone.localdate() + dt.timedelta(days=10))
    with pytest.raises(ValidationError, match="har inte hållits än"):
        services.decision_record(
            application=application,
            meeting=coming,
            paragraph="§ 12",
            outcome=Decision.Outcome.REJECTED,
            by=user_with_role(association, Role.BOARD),
        )
    assert not Decision.objects.exists()


# --- the agenda ------------------------------------------------------------------------------------


def test_the_office_puts_an_application_on_the_agenda(association, office):
    application = f.assessed(association, office=office)
    meeting = f.board_meeting(association)
    services.application_put_on_agenda(application=application, meeting=meeting, by=office)
    application.refresh_from_db()
    assert application.status == Status.ON_AGENDA
    assert application.agenda_item.meeting == meeting


@pytest.mark.parametrize("role", [Role.BOARD, Role.ADVISORY, Role.ECONOMIST, Role.MEMBER_ORG])
def test_nobody_else_puts_an_application_on_the_agenda(association, office, role):
    application = f.assessed(association, office=office)
    with pytest.raises(PermissionDenied) as refused:
        services.application_put_on_agenda(
            application=application,
            meeting=f.board_meeting(association),
            by=user_with_role(association, role),
        )
    assert "lägga den på styrelsens dagordning" in str(refused.value)
    application.refresh_from_db()
    assert (application.status, application.agenda_item) == (Status.ASSESSED, None)
    assert not AgendaItem.objects.exists()


def test_a_board_member_deciding_puts_the_application_on_the_agenda_itself(association, office):
    application = f.assessed(association, office=office)
    meeting = f.board_meeting(association)
    decision = services.decision_record(
        application=application,
        meeting=meeting,
        paragraph="§ 12",
        outcome=Decision.Outcome.REJECTED,
        by=user_with_role(association, Role.BOARD),
    )
    assert decision.agenda_item.meeting == meeting


# --- ending an intervention -------------------------------------------------------------------------


def end(intervention, by):
    return services.intervention_end(
        intervention=intervention,
        meeting=f.board_meeting(intervention.association, date=dt.date(2022, 9, 3)),
        paragraph="§ 30",
        ends_on=dt.date(2022, 12, 31),
        by=by,
    )


def test_the_board_ends_an_intervention(association, office):
    intervention = f.approved(association, office=office).intervention
    decision = end(intervention, user_with_role(association, Role.BOARD))
    assert decision.kind == Decision.Kind.END


@pytest.mark.parametrize("role", [Role.ECONOMIST, Role.STAFF, Role.AUDITOR])
def test_nobody_else_ends_an_intervention(association, office, role):
    intervention = f.approved(association, office=office).intervention
    with pytest.raises(PermissionDenied):
        end(intervention, user_with_role(association, role))
    intervention.refresh_from_db()
    assert intervention.period_end == dt.date(2023, 12, 31)
    assert not Decision.objects.filter(kind=Decision.Kind.END).exists()
    assert not intervention.grants.filter(withdrawn_by__isnull=False).exists()


# --- payments ---------------------------------------------------------------------------------------


def test_staff_request_money_for_their_own_intervention_only(association, office):
    mine = f.intervention(association, fields={"title": "Min insats"})
    other = f.intervention(association, fields={"title": "Någon annans insats"})
    staff = user_with_role(association, Role.STAFF)
    mine.staff.add(staff)
    assert requested(mine.grants.get(), staff).requested_by == staff
    with pytest.raises(PermissionDenied) as refused:
        requested(other.grants.get(), staff)
    assert "Bara insatsens personal, kansliet och ekonomen" in str(refused.value)
    assert Requisition.objects.count() == 1


@pytest.mark.parametrize("role", [Role.BOARD, Role.AUDITOR, Role.MEMBER_ORG])
def test_other_roles_request_no_money(association, role):
    grant = f.intervention(association).grants.get()
    with pytest.raises(PermissionDenied):
        requested(grant, user_with_role(association, role))
    assert not Requisition.objects.exists()


@pytest.mark.parametrize("role", [Role.OFFICE, Role.ECONOMIST])
def test_the_office_or_the_economist_approves_what_someone_else_requested(association, role):
    intervention = f.intervention(association)
    staff = user_with_role(association, Role.STAFF)
    intervention.staff.add(staff)
    requisition = requested(intervention.grants.get(), staff)
    approver = user_with_role(association, role)
    services.requisition_transition(
        requisition=requisition, to=Requisition.Status.APPROVED, by=approver
    )
    requisition.refresh_from_db()
    assert (requisition.status, requisition.decided_by) == (Requisition.Status.APPROVED, approver)


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.AUDITOR])
def test_nobody_else_approves_or_rejects(association, office, role):
    intervention = f.intervention(association)
    requisition = requested(intervention.grants.get(), office)
    user = user_with_role(association, role)
    if role == Role.STAFF:
        intervention.staff.add(user)
    for to in (Requisition.Status.APPROVED, Requisition.Status.REJECTED):
        with pytest.raises(PermissionDenied) as refused:
            services.requisition_transition(requisition=requisition, to=to, by=user)
        assert "Bara kansliet och ekonomen kan godkänna utbetalningar." in str(refused.value)
    requisition.refresh_from_db()
    assert (requisition.status, requisition.decided_by) == (Requisition.Status.REQUESTED, None)


@pytest.mark.parametrize("role", [Role.OFFICE, Role.ECONOMIST])
def test_nobody_approves_their_own_request(association, role):
    user = user_with_role(association, role)
    requisition = requested(f.intervention(association).grants.get(), user)
    with pytest.raises(PermissionDenied) as refused:
        services.requisition_transition(
            requisition=requisition, to=Requisition.Status.APPROVED, by=user
        )
    assert "Du har själv begärt utbetalningen" in str(refused.value)
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.REQUESTED
    assert not AuditEvent.objects.filter(event=Event.REQUISITION_STATUS_CHANGED).exists()
    # Rejecting (withdrawing) one's own request is allowed.
    services.requisition_transition(
        requisition=requisition, to=Requisition.Status.REJECTED, by=user
    )
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.REJECTED


def test_the_approver_of_another_persons_request_also_marks_it_paid(association, office):
    requisition = requested(f.intervention(association).grants.get(), office)
    economist = f.economist(association)
    services.requisition_transition(
        requisition=requisition, to=Requisition.Status.APPROVED, by=economist
    )
    services.requisition_transition(requisition=requisition, to=Requisition.Status.PAID, by=office)
    requisition.refresh_from_db()
    assert requisition.status == Requisition.Status.PAID


def test_only_the_office_and_the_economist_plan_requisitions(association, office):
    grant = f.intervention(association).grants.get()
    staff = user_with_role(association, Role.STAFF)
    grant.intervention.staff.add(staff)
    with pytest.raises(PermissionDenied):
        services.payment_plan_create(
            grant=grant, instalments=2, first_date=dt.date(2021, 3, 31), by=staff
        )
    assert not Requisition.objects.exists()
    plan = services.payment_plan_create(
        grant=grant, instalments=2, first_date=dt.date(2021, 3, 31), by=office
    )
    assert [p.amount for p in plan] == [D("300000"), D("300000")]


# --- whom an application is for ---------------------------------------------------------------------


def test_a_member_organisation_applies_for_itself_alone_or_with_others(association):
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    user = f.member_org_user(association, member=koping)
    alone = f.draft(association, by=user, applicants=[koping])
    together = f.draft(association, by=user, applicants=[arboga, koping])
    assert list(alone.applicants.all()) == [koping]
    assert set(together.applicants.all()) == {koping, arboga}


def test_a_member_organisation_cannot_apply_for_another_organisation_alone(association):
    koping = association.members.get(name="Köpings kommun")
    arboga = association.members.get(name="Arboga kommun")
    user = f.member_org_user(association, member=koping)
    with pytest.raises(ValidationError) as refused:
        f.draft(association, by=user, applicants=[arboga])
    assert refused.value.message_dict["applicants"] == [
        "Välj din egen organisation (Köpings kommun) bland de sökande. En ansökan för andra "
        "organisationer görs av dem själva eller av förbundets kansli."
    ]
    assert not Application.objects.exists()
    # Nor change a draft of theirs into one.
    application = f.draft(association, by=user, applicants=[koping])
    with pytest.raises(ValidationError):
        services.application_update(
            application=application,
            content=f.content(association, applicants=[arboga]),
            by=user,
        )
    assert list(application.applicants.all()) == [koping]


def test_a_member_organisation_user_without_an_organisation_cannot_apply(association):
    user = user_with_role(association, Role.MEMBER_ORG)
    with pytest.raises(ValidationError) as refused:
        f.draft(association, by=user)
    assert "inte kopplat till någon medlemsorganisation" in refused.value.messages[0]
    assert not Application.objects.exists()


def test_the_office_applies_for_any_member(association, office):
    arboga = association.members.get(name="Arboga kommun")
    application = f.draft(association, by=office, applicants=[arboga])
    assert list(application.applicants.all()) == [arboga]
