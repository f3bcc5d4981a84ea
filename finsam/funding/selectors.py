"""Reads that know who is asking. Tenant and role filtering for the funding app live here, once."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    F,
    Func,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractYear
from django.shortcuts import get_object_or_404

from finsam.core.money import ZERO
from finsam.funding.models import (
    Application,
    ApplicationAttachment,
    ApplicationBudgetLine,
    AssessmentCriterion,
    Call,
    CoFinancing,
    Decision,
    Grant,
    Intervention,
    InterventionReport,
    Requisition,
    SteeringGroupMeeting,
    SteeringGroupMember,
)
from finsam.funding.permissions import (
    READS_ALL_STEERING_MEETINGS,
    can_read_steering_meetings,
    member_ids_of,
    sees_all_applications,
    sees_all_interventions,
    sees_submitted_applications,
)
from finsam.funding.rules import call_grants_q
from finsam.organisation.access import can, roles_of
from finsam.organisation.models import Association, Meeting

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)


def _require(user, association: Association, capability: str) -> None:
    # Selectors are the last line of defence: a view that forgot its check still leaks nothing.
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def _sum(qs: QuerySet, group_by: str, field: str = "amount") -> Coalesce:
    """A correlated SUM as a subquery, so that two sums on one row never multiply each other."""
    total = qs.order_by().values(group_by).annotate(total=Sum(field)).values("total")
    return Coalesce(
        Subquery(total, output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )


# --- calls and criteria -------------------------------------------------------------------------


def calls(*, user, association: Association) -> QuerySet[Call]:
    """Calls with `granted` and `remaining` (kvar att fördela) computed in SQL."""
    _require(user, association, "funding.view")
    counted = Grant.objects.filter(call_grants_q(OuterRef("pk")), withdrawn_by__isnull=True)
    # SUM without GROUP BY: one row per call, whichever of the two ways a grant counts.
    total = counted.order_by().annotate(total=Func(F("amount"), function="SUM")).values("total")
    granted = Coalesce(
        Subquery(total[:1], output_field=MONEY_FIELD), Value(ZERO), output_field=MONEY_FIELD
    )
    return (
        Call.objects.filter(association=association)
        .annotate(granted=granted)
        .annotate(remaining=F("pot") - F("granted"))
    )


def call_get(*, user, association: Association, pk: int) -> Call:
    return get_object_or_404(calls(user=user, association=association), pk=pk)


def open_calls(*, user, association: Association) -> QuerySet[Call]:
    return calls(user=user, association=association).filter(status=Call.Status.OPEN)


def criteria(*, user, association: Association, active_only: bool = False) -> QuerySet:
    _require(user, association, "funding.view")
    qs = AssessmentCriterion.objects.filter(association=association)
    return qs.filter(is_active=True) if active_only else qs


def criterion_get(*, user, association: Association, pk: int) -> AssessmentCriterion:
    return get_object_or_404(criteria(user=user, association=association), pk=pk)


# --- applications -------------------------------------------------------------------------------


def applications(*, user, association: Association) -> QuerySet[Application]:
    """Everything for office, economist, board and auditors; for the advisory group everything
    that has been submitted (never a draft); for a member organisation only its own
    organisation's applications and those its user wrote; for intervention staff none."""
    _require(user, association, "funding.view")
    requested = _sum(
        ApplicationBudgetLine.objects.filter(application=OuterRef("pk")),
        "application",
        field="requested",
    )
    qs = (
        Application.objects.filter(association=association)
        .select_related("call")
        .prefetch_related("applicants", "kind_shares")
        .annotate(requested_total=requested)
    )
    if sees_all_applications(user, association):
        return qs
    visible = Q(created_by=user) | Q(applicants__in=member_ids_of(user, association))
    if sees_submitted_applications(user, association):
        # Returned to the applicant (back to draft) means out of sight until submitted again.
        visible |= Q(submitted_at__isnull=False) & ~Q(status=Application.Status.DRAFT)
    return qs.filter(visible).distinct()


def application_get(*, user, association: Association, pk: int) -> Application:
    qs = applications(user=user, association=association).prefetch_related(
        "goals",
        "budget_lines",
        Prefetch("steering_group", queryset=SteeringGroupMember.objects.select_related("member")),
        "versions",
    )
    return get_object_or_404(qs.select_related("continues", "reinforces", "agenda_item"), pk=pk)


def application_requested_total(application: Application) -> Decimal:
    return application.budget_lines.aggregate(
        total=Coalesce(Sum("requested"), Value(ZERO), output_field=MONEY_FIELD)
    )["total"]


# --- decisions ----------------------------------------------------------------------------------


def board_meetings(*, user, association: Association) -> QuerySet[Meeting]:
    _require(user, association, "meetings.view")
    return Meeting.objects.filter(association=association, kind=Meeting.Kind.BOARD).order_by(
        "-date"
    )


def decisions_for_application(*, user, association: Association, application) -> QuerySet:
    _require(user, association, "funding.view")
    return (
        Decision.objects.filter(association=association, application=application)
        .select_related("meeting", "intervention")
        .prefetch_related("amounts")
    )


@dataclass
class AgendaMatter:
    """What the funding app knows of one agenda item of a board meeting: the decisions recorded
    on it and the application or intervention they concern, each only if the user may read it."""

    decisions: list[Decision] = field(default_factory=list)
    application: Application | None = None
    intervention: Intervention | None = None


def agenda_matters(*, user, association: Association, meeting: Meeting) -> dict[int, AgendaMatter]:
    """{agenda item id: AgendaMatter} for the meeting's items that carry a decision or an
    application on the agenda. A decision is shown to whoever may read its application or its
    intervention (as `decision_get`); items the user may read nothing of are left out. Four
    queries whatever the number of items."""
    _require(user, association, "funding.view")
    decisions = list(
        Decision.objects.filter(
            association=association, meeting=meeting, agenda_item__isnull=False
        ).select_related("application", "intervention")
    )
    on_agenda = list(
        Application.objects.filter(association=association, agenda_item__meeting=meeting)
    )
    application_ids = {d.application_id for d in decisions if d.application_id}
    application_ids |= {a.pk for a in on_agenda}
    intervention_ids = {d.intervention_id for d in decisions if d.intervention_id}
    readable_applications = set(
        applications(user=user, association=association)
        .filter(pk__in=application_ids)
        .values_list("pk", flat=True)
    )
    readable_interventions = set(
        interventions(user=user, association=association)
        .filter(pk__in=intervention_ids)
        .values_list("pk", flat=True)
    )
    matters: dict[int, AgendaMatter] = {}
    for application in on_agenda:
        if application.pk in readable_applications:
            matters[application.agenda_item_id] = AgendaMatter(application=application)
    for decision in sorted(decisions, key=lambda d: d.pk):
        application_ok = decision.application_id in readable_applications
        intervention_ok = decision.intervention_id in readable_interventions
        if not (application_ok or intervention_ok):
            continue
        matter = matters.setdefault(decision.agenda_item_id, AgendaMatter())
        matter.decisions.append(decision)
        if application_ok:
            matter.application = decision.application
        if intervention_ok:
            matter.intervention = decision.intervention
    return matters


# --- interventions ------------------------------------------------------------------------------


def interventions(*, user, association: Association) -> QuerySet[Intervention]:
    """Interventions with granted (not withdrawn) and paid totals in SQL. Staff see only theirs."""
    _require(user, association, "funding.view")
    granted = _sum(
        Grant.objects.filter(intervention=OuterRef("pk"), withdrawn_by__isnull=True),
        "intervention",
    )
    paid = _sum(
        Requisition.objects.filter(
            grant__intervention=OuterRef("pk"),
            grant__withdrawn_by__isnull=True,
            status=Requisition.Status.PAID,
        ),
        "grant__intervention",
    )
    qs = (
        Intervention.objects.filter(association=association)
        .select_related("reinforces")
        .prefetch_related("kind_shares", "members")
        .annotate(granted=granted, paid=paid)
    )
    if sees_all_interventions(user, association):
        return qs
    return qs.filter(staff=user)


def with_status(qs: QuerySet[Intervention], *, status: str, today) -> QuerySet[Intervention]:
    """Filter by the status that `Intervention.status_on` computes, in SQL."""
    if status == Intervention.Status.PLANNED:
        return qs.filter(period_start__gt=today)
    if status == Intervention.Status.ENDED:
        return qs.filter(period_end__lt=today)
    return qs.filter(Q(period_end__isnull=True) | Q(period_end__gte=today), period_start__lte=today)


def intervention_get(*, user, association: Association, pk: int) -> Intervention:
    qs = interventions(user=user, association=association).prefetch_related(
        "goals",
        "staff",
        "reinforced_by",
        Prefetch("steering_group", queryset=SteeringGroupMember.objects.select_related("member")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("meeting", "application").prefetch_related(
                "amounts"
            ),
        ),
    )
    return get_object_or_404(qs.select_related("application"), pk=pk)


def grants_of(*, intervention: Intervention) -> QuerySet[Grant]:
    """The caller already has the intervention through a selector."""
    return intervention.grants.select_related("decision__meeting", "withdrawn_by__meeting")


def requisitions_of(*, intervention: Intervention) -> QuerySet[Requisition]:
    return Requisition.objects.filter(grant__intervention=intervention).select_related(
        "grant", "requested_by", "decided_by"
    )


def requisitions(*, user, association: Association) -> QuerySet[Requisition]:
    """Every requisition and payment of the association's interventions, newest first."""
    _require(user, association, "requisitions.view")
    visible = interventions(user=user, association=association).values("pk")
    return (
        Requisition.objects.filter(
            grant__intervention__association=association, grant__intervention__in=visible
        )
        .select_related("grant__intervention", "requested_by", "decided_by")
        .order_by("-date", "-id")
    )


def requisition_totals(qs: QuerySet[Requisition]) -> dict[str, Decimal]:
    """{status: sum of amounts} for the payments in `qs`, every status present (0 kr if none)."""
    sums = dict(
        qs.order_by().values("status").annotate(total=Sum("amount")).values_list("status", "total")
    )
    return {status: sums.get(status) or ZERO for status in Requisition.Status.values}


def requisition_get(*, user, association: Association, pk: int) -> Requisition:
    visible = interventions(user=user, association=association)
    return get_object_or_404(
        Requisition.objects.select_related("grant__intervention").filter(
            grant__intervention__in=visible.values("pk")
        ),
        pk=pk,
    )


def grant_get(*, user, association: Association, intervention: Intervention, pk: int) -> Grant:
    return get_object_or_404(intervention.grants.all(), pk=pk)


def decision_get(*, user, association: Association, pk: int) -> Decision:
    """A decision the user may read: on an application they see or an intervention they see."""
    _require(user, association, "funding.view")
    visible_applications = applications(user=user, association=association).values("pk")
    visible_interventions = interventions(user=user, association=association).values("pk")
    qs = (
        Decision.objects.filter(association=association)
        .filter(Q(application__in=visible_applications) | Q(intervention__in=visible_interventions))
        .select_related("meeting", "application", "intervention", "association")
        .prefetch_related("amounts", "application__applicants", "intervention__members")
    )
    return get_object_or_404(qs, pk=pk)


# --- status reports -------------------------------------------------------------------------------

OPEN_REPORT_STATUSES = (InterventionReport.Status.DUE, InterventionReport.Status.RETURNED)


def reports(*, user, association: Association) -> QuerySet[InterventionReport]:
    """The reports of the interventions the user sees (staff: only their own interventions')."""
    visible = interventions(user=user, association=association).values("pk")
    return InterventionReport.objects.filter(
        intervention__association=association, intervention__in=visible
    ).select_related("intervention", "meeting")


def report_get(*, user, association: Association, pk: int) -> InterventionReport:
    qs = reports(user=user, association=association).prefetch_related(
        "intervention__goals", "attainments__goal"
    )
    return get_object_or_404(qs.select_related("submitted_by", "reviewed_by"), pk=pk)


def with_report_state(
    qs: QuerySet[InterventionReport], *, state: str, today: dt.date
) -> QuerySet[InterventionReport]:
    """Filter by the state `InterventionReport.state_on` computes, in SQL."""
    Status = InterventionReport.Status
    if state == "overdue":
        return qs.filter(status__in=OPEN_REPORT_STATUSES, due_date__lt=today)
    if state in (Status.DUE, Status.RETURNED):
        return qs.filter(status=state, due_date__gte=today)
    return qs.filter(status=state)


def report_attention(
    *, user, association: Association, today: dt.date, days: int = 14
) -> dict[str, int]:
    """Counts for the home page: open reports past their due date, and due within `days`."""
    qs = reports(user=user, association=association).filter(status__in=OPEN_REPORT_STATUSES)
    return qs.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        due_soon=Count(
            "pk", filter=Q(due_date__gte=today, due_date__lte=today + dt.timedelta(days=days))
        ),
    )


# --- attachments --------------------------------------------------------------------------------


def attachments_of(*, application: Application) -> QuerySet[ApplicationAttachment]:
    """The caller already has the application through a selector."""
    return application.attachments.select_related("uploaded_by")


def attachment_get(
    *, user, association: Association, application_pk: int, pk: int
) -> ApplicationAttachment:
    application = application_get(user=user, association=association, pk=application_pk)
    return get_object_or_404(attachments_of(application=application), pk=pk)


# --- steering group -----------------------------------------------------------------------------


def co_financing_of(*, intervention: Intervention) -> QuerySet[CoFinancing]:
    """The co-financing rows of an intervention the caller got through a selector."""
    return CoFinancing.objects.filter(intervention=intervention).order_by("year", "funder", "id")


def co_financing_get(
    *, user, association: Association, intervention: Intervention, pk: int
) -> CoFinancing:
    """One co-financing row of an intervention the caller got through a selector (404 else)."""
    return get_object_or_404(
        CoFinancing.objects.filter(
            intervention=intervention, intervention__association=association
        ).select_related("intervention__association"),
        pk=pk,
    )


def steering_person_get(
    *, user, association: Association, intervention: Intervention, pk: int
) -> SteeringGroupMember:
    """A member of the steering group of an intervention the caller got through a selector."""
    return get_object_or_404(
        SteeringGroupMember.objects.filter(intervention=intervention).select_related(
            "member", "intervention__association"
        ),
        pk=pk,
    )


def steering_group_of(*, intervention: Intervention) -> QuerySet[SteeringGroupMember]:
    """The steering group of an intervention the caller already got through a selector."""
    return intervention.steering_group.select_related("member").order_by("sort_order", "pk")


def steering_meetings_of(*, user, intervention: Intervention) -> QuerySet[SteeringGroupMeeting]:
    """The meetings of an intervention the caller already has; refused to whoever may see the
    intervention but not its minutes."""
    allowed, reason = can_read_steering_meetings(user, intervention)
    if not allowed:
        raise PermissionDenied(reason)
    return intervention.steering_meetings.select_related("minutes_uploaded_by")


def steering_meeting_get(
    *, user, association: Association, intervention: Intervention, pk: int
) -> SteeringGroupMeeting:
    qs = steering_meetings_of(user=user, intervention=intervention).select_related(
        "intervention__association"
    )
    return get_object_or_404(qs, pk=pk)


def steering_meeting_counts(
    intervention_ids, *, today: dt.date, minutes_due_days: int
) -> dict[int, dict[int, dict[str, int]]]:
    """{intervention id: {year: {held, with_minutes, planned, minutes_missing}}} in one query."""
    no_minutes = Q(minutes="")
    overdue = today - dt.timedelta(days=minutes_due_days)
    rows = (
        SteeringGroupMeeting.objects.filter(intervention_id__in=intervention_ids)
        .annotate(year=ExtractYear("date"))
        .order_by()
        .values("intervention_id", "year")
        .annotate(
            held=Count("pk", filter=Q(date__lte=today)),
            with_minutes=Count("pk", filter=Q(date__lte=today) & ~no_minutes),
            planned=Count("pk", filter=Q(date__gt=today)),
            minutes_missing=Count("pk", filter=Q(date__lt=overdue) & no_minutes),
        )
    )
    counts: dict[int, dict[int, dict[str, int]]] = {}
    for row in rows:
        counts.setdefault(row.pop("intervention_id"), {})[row.pop("year")] = row
    return counts


def steering_readable_interventions(*, user, association: Association) -> QuerySet[Intervention]:
    """The interventions whose meetings and minutes the user may read (see
    permissions.can_read_steering_meetings), without the sums of `interventions`."""
    _require(user, association, "steering.view")
    qs = Intervention.objects.filter(association=association)
    roles = roles_of(user, association)
    if roles & READS_ALL_STEERING_MEETINGS:
        return qs
    from finsam.organisation.models import Role

    mine = Q(pk__in=[])
    if Role.STAFF in roles:
        mine |= Q(staff=user)
    if Role.MEMBER_ORG in roles:
        mine |= Q(members__in=member_ids_of(user, association))
    return qs.filter(mine).distinct()


def steering_follow_up_of(*, intervention: Intervention, today: dt.date):
    """The yearly follow-up of one intervention the caller already has (counts only, no
    contents: shown to everyone who sees the intervention)."""
    from finsam.funding.services import MINUTES_DUE_DAYS, funding_settings_for, steering_follow_up

    counts = steering_meeting_counts(
        [intervention.pk], today=today, minutes_due_days=MINUTES_DUE_DAYS
    )
    return steering_follow_up(
        intervention,
        counts=counts.get(intervention.pk, {}),
        default=funding_settings_for(intervention.association).steering_meetings_expected,
        today=today,
    )


def steering_behind(*, user, association: Association, today: dt.date) -> list:
    """[(intervention, the years behind, meetings without minutes)] whose steering group is behind: fewer meetings than expected in
    last year or in a part of this year's period that has ended, or a meeting more than
    MINUTES_DUE_DAYS ago without minutes. Older years are for the intervention page; the list is
    what to chase now. Three queries whatever the number of interventions."""
    from finsam.funding.services import MINUTES_DUE_DAYS, funding_settings_for, steering_follow_up

    since = today.year - 1
    candidates = list(
        steering_readable_interventions(user=user, association=association)
        .filter(period_start__lte=today)
        .filter(Q(period_end__isnull=True) | Q(period_end__gte=dt.date(since, 1, 1)))
        .order_by("title")
    )
    counts = steering_meeting_counts(
        [i.pk for i in candidates], today=today, minutes_due_days=MINUTES_DUE_DAYS
    )
    default = funding_settings_for(association).steering_meetings_expected
    behind = []
    for intervention in candidates:
        follow_up = steering_follow_up(
            intervention, counts=counts.get(intervention.pk, {}), default=default, today=today
        )
        years = follow_up.behind_since(since)
        if years or follow_up.minutes_missing:
            behind.append((intervention, years, follow_up.minutes_missing))
    return behind


# --- the home page's work list ------------------------------------------------------------------
# Each returns what waits for the user, in the order to do it; the statuses come from
# finsam.funding.transitions and the approval rule from finsam.funding.permissions.


def applications_awaiting_assessment(*, user, association: Association) -> QuerySet[Application]:
    """Applications open for scoring (transitions.ASSESSABLE_STATUSES) that the user has not
    scored yet, oldest first."""
    from finsam.funding.transitions import ASSESSABLE_STATUSES

    _require(user, association, "applications.assess")
    return (
        applications(user=user, association=association)
        .filter(status__in=ASSESSABLE_STATUSES)
        .exclude(assessments__assessor=user)
        .order_by("submitted_at", "pk")
    )


def applications_to_put_on_agenda(*, user, association: Association) -> QuerySet[Application]:
    """Applications marked assessed and not yet placed on a board meeting's agenda."""
    _require(user, association, "assessments.manage")
    return (
        applications(user=user, association=association)
        .filter(status=Application.Status.ASSESSED)
        .order_by("submitted_at", "pk")
    )


def applications_awaiting_decision(*, user, association: Association) -> QuerySet[Application]:
    """Applications on a board meeting's agenda whose decision has not been recorded, by the
    meeting's date."""
    _require(user, association, "decisions.record")
    return (
        applications(user=user, association=association)
        .filter(status=Application.Status.ON_AGENDA)
        .select_related("agenda_item__meeting")
        .order_by("agenda_item__meeting__date", "pk")
    )


def application_drafts_of(*, user, association: Association) -> QuerySet[Application]:
    """Drafts the user wrote or that name the user's member organisation as applicant, and
    applications returned to them for completion (a draft again)."""
    _require(user, association, "applications.draft")
    mine = Q(created_by=user) | Q(applicants__in=member_ids_of(user, association))
    return (
        applications(user=user, association=association)
        .filter(mine, status=Application.Status.DRAFT)
        .distinct()
        .order_by("pk")
    )


def requisitions_awaiting(*, user, association: Association, status: str) -> list[Requisition]:
    """Requested payments the user may decide (approve or reject), or approved payments the user
    may mark as paid, oldest first; each with `approval_refusal` (why approving would be
    refused: the grant's ceiling, withdrawn funds). A payment the user requested is left out:
    another person approves it (permissions.can_decide_requisition)."""
    from finsam.funding.permissions import can_decide_requisition, with_approval_refusals

    _require(user, association, "requisitions.approve")
    qs = (
        requisitions(user=user, association=association)
        .filter(status=status)
        .select_related("grant__intervention__association")
        .order_by("date", "pk")
    )
    move = {
        Requisition.Status.REQUESTED: Requisition.Status.APPROVED,
        Requisition.Status.APPROVED: Requisition.Status.PAID,
    }[status]
    rows = with_approval_refusals(user, qs)
    return [r for r in rows if can_decide_requisition(user, r, move)[0]]


def reports_waiting(
    *, user, association: Association, today: dt.date, days: int | None = None
) -> QuerySet[InterventionReport]:
    """Open reports and presentations (due or returned) of the interventions the user sees that
    are overdue or due within `days` (the reminders' horizon), soonest first."""
    from finsam.funding.services.reminders import REMINDER_DAYS_AHEAD

    horizon = today + dt.timedelta(days=REMINDER_DAYS_AHEAD if days is None else days)
    return (
        reports(user=user, association=association)
        .filter(status__in=OPEN_REPORT_STATUSES, due_date__lte=horizon)
        .order_by("due_date", "intervention__title", "pk")
    )


def reports_to_review(*, user, association: Association) -> QuerySet[InterventionReport]:
    """Submitted reports waiting for the office's review, oldest first."""
    _require(user, association, "reports.review")
    return (
        reports(user=user, association=association)
        .filter(status=InterventionReport.Status.SUBMITTED)
        .order_by("submitted_at", "due_date", "pk")
    )


def money_of_year(*, user, association: Association, year: int) -> dict[str, Decimal]:
    """Granted (not withdrawn) for `year` across the interventions the user sees, and paid on
    those grants: the intervention page's yearly figures (services.grant_years) summed."""
    grants = Grant.objects.filter(
        intervention__in=interventions(user=user, association=association).values("pk"),
        year=year,
        withdrawn_by__isnull=True,
    )
    granted = grants.aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD)
    )["total"]
    paid = Requisition.objects.filter(
        grant__in=grants.values("pk"), status=Requisition.Status.PAID
    ).aggregate(total=Coalesce(Sum("amount"), Value(ZERO), output_field=MONEY_FIELD))["total"]
    return {"granted": granted, "paid": paid}
