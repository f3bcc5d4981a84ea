"""Writes and rules for calls, applications, assessments, decisions, interventions and payments.

Every function takes the acting user (`by`), validates fully before writing, and records an audit
row in the same transaction. Statuses change only through `application_transition` and
`payment_transition`, whose allowed moves are the data in TRANSITIONS and PAYMENT_TRANSITIONS.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.actors import SYSTEM, is_system, user_or_none
from finsam.core.money import ZERO, format_sek, plain_number, split_whole_kronor
from finsam.funding.models import (
    APPROVED_OUTCOMES,
    DESCRIPTION_FIELDS,
    Application,
    ApplicationAttachment,
    ApplicationBudgetLine,
    ApplicationGoal,
    ApplicationKindShare,
    ApplicationVersion,
    Assessment,
    AssessmentCriterion,
    Call,
    Decision,
    DecisionAmount,
    FundingSettings,
    GoalMeasure,
    Grant,
    Intervention,
    InterventionGoal,
    InterventionKind,
    InterventionKindShare,
    InterventionReport,
    Payment,
    ReminderSent,
    ReportGoalAttainment,
    ReportKind,
    SteeringGroupMeeting,
    SteeringGroupMember,
)
from finsam.funding.permissions import (
    can_apply_for,
    can_decide_payment,
    can_edit_application,
    can_manage_attachments,
    can_manage_steering_group,
    can_request_payment,
    can_write_report,
)
from finsam.organisation import audit
from finsam.organisation.access import check
from finsam.organisation.audit import Event
from finsam.organisation.models import Association, Meeting, Member, Membership, Role
from finsam.organisation.services import agenda_item_create

Status = Application.Status


class InvalidTransition(ValidationError):
    """A status change that the flow does not allow. The message is shown to the user."""

    def __init__(self, message: str):
        super().__init__(message, code="invalid_transition")


# --- the application's state machine ------------------------------------------------------------

TRANSITIONS: dict[str, set[str]] = {
    Status.DRAFT: {Status.SUBMITTED, Status.WITHDRAWN},
    # Back to DRAFT: the office returns the application to the applicant for completion.
    Status.SUBMITTED: {Status.ASSESSED, Status.DRAFT, Status.WITHDRAWN},
    # Back to SUBMITTED: the assessment is reopened.
    Status.ASSESSED: {Status.ON_AGENDA, Status.SUBMITTED, Status.WITHDRAWN},
    # Back to SUBMITTED: the board referred the matter back (återremiss) for more preparation.
    Status.ON_AGENDA: {Status.DECIDED, Status.SUBMITTED, Status.WITHDRAWN},
    Status.DECIDED: set(),
    Status.WITHDRAWN: set(),
}
OPEN_STATUSES = frozenset({Status.SUBMITTED, Status.ASSESSED, Status.ON_AGENDA})
DECIDABLE_STATUSES = frozenset({Status.ASSESSED, Status.ON_AGENDA})


@transaction.atomic
def application_transition(*, application: Application, to: str, by) -> Application:
    """Move an application to `to` if the flow allows it from its stored status. Audited."""
    current = (
        Application.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=application.pk)
    )
    if to not in TRANSITIONS[current]:
        raise InvalidTransition(
            _("An application with status “%(current)s” cannot be given status “%(to)s”.")
            % {"current": Status(current).label, "to": Status(to).label}
        )
    application.status = to
    application.full_clean()
    application.save(update_fields=["status"])
    audit.record(
        event=Event.APPLICATION_STATUS_CHANGED,
        actor=by,
        target=application,
        before={"status": current},
        after={"status": to},
    )
    return application


# --- shares, periods and other rules shared by applications and interventions -------------------


def kind_shares_error(shares: dict[str, int | None]) -> str | None:
    """Why a set of kind shares is not acceptable, or None. Shares are whole percent."""
    unknown = set(shares) - set(InterventionKind.values)
    if unknown:
        return _("Unknown type of intervention: %(kinds)s.") % {"kinds": ", ".join(sorted(unknown))}
    values = [v or 0 for v in shares.values()]
    if any(v < 0 or v > 100 for v in values):
        return _("Each share must be between 0 and 100 %.")
    total = sum(values)
    if total != 100:
        return _(
            "The shares for the intervention types must add up to 100 %%; they are now %(total)s "
            "%%. Samkraft, for example, is 50 %% process support and 50 %% individual-focused."
        ) % {"total": total}
    return None


def _check_description(
    fields: dict[str, Any], errors: dict[str, list[str]], *, require_end: bool = False
) -> None:
    start, end = fields.get("period_start"), fields.get("period_end")
    if start and end and end < start:
        errors.setdefault("period_end", []).append(_("The period cannot end before it starts."))
    if require_end and not end:
        errors.setdefault("period_end", []).append(_("Enter when the period ends."))
    age_from, age_to = fields.get("age_from"), fields.get("age_to")
    if age_from is not None and age_to is not None and age_to < age_from:
        errors.setdefault("age_to", []).append(
            _("The upper age cannot be lower than the lower age.")
        )


def _period_years(start: dt.date, end: dt.date | None) -> range | None:
    return range(start.year, end.year + 1) if start and end else None


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def _require(by, association: Association, capability: str) -> None:
    """Refuse a user without the capability. `by=SYSTEM` is the system (imports, the demo)."""
    if is_system(by):
        return
    allowed, why = check(by, association, capability)
    if not allowed:
        raise PermissionDenied(why)


# --- settings and criteria ----------------------------------------------------------------------


def funding_settings_for(association: Association) -> FundingSettings:
    """The association's defaults; an unsaved instance with the standard defaults if none."""
    found = FundingSettings.objects.filter(association=association).first()
    return found or FundingSettings(association=association)


@transaction.atomic
def funding_settings_update(
    *, association: Association, data: dict[str, Any], by
) -> FundingSettings:
    settings_ = funding_settings_for(association)
    before = audit.snapshot(settings_) if settings_.pk else None
    for name, value in data.items():
        setattr(settings_, name, value)
    settings_.full_clean()
    settings_.save()
    audit.record(
        event=Event.FUNDING_SETTINGS_UPDATED,
        actor=by,
        target=settings_,
        before=before,
        after=audit.snapshot(settings_),
    )
    return settings_


@transaction.atomic
def criterion_create(*, association: Association, by, **fields: Any) -> AssessmentCriterion:
    criterion = AssessmentCriterion(association=association, **fields)
    criterion.full_clean()
    criterion.save()
    audit.record(
        event=Event.CRITERION_CREATED, actor=by, target=criterion, after=audit.snapshot(criterion)
    )
    return criterion


@transaction.atomic
def criterion_update(
    *, criterion: AssessmentCriterion, data: dict[str, Any], by
) -> AssessmentCriterion:
    before = audit.snapshot(AssessmentCriterion.objects.get(pk=criterion.pk))
    for name, value in data.items():
        setattr(criterion, name, value)
    criterion.full_clean()
    criterion.save()
    audit.record(
        event=Event.CRITERION_UPDATED,
        actor=by,
        target=criterion,
        before=before,
        after=audit.snapshot(criterion),
    )
    return criterion


@transaction.atomic
def criterion_delete(*, criterion: AssessmentCriterion, by) -> None:
    if criterion.assessments.exists():
        raise ValidationError(
            _(
                "The criterion “%(title)s” has been used in assessments and cannot be removed. "
                "Untick “in use” instead, so that the earlier assessments are kept."
            )
            % {"title": criterion.title}
        )
    audit.record(
        event=Event.CRITERION_DELETED, actor=by, target=criterion, before=audit.snapshot(criterion)
    )
    criterion.delete()


# --- calls --------------------------------------------------------------------------------------


def call_grants_q(call) -> Q:
    """The grants that count against a call (`call` may be an OuterRef): those granted by a
    decision on one of its applications, and those a change decision granted on an intervention
    that came from it. Withdrawn grants are filtered out by the caller."""
    return Q(decision__application__call=call) | Q(
        decision__kind=Decision.Kind.CHANGE, decision__intervention__application__call=call
    )


def call_granted_total(call: Call) -> Decimal:
    """What has been granted against the call: its decisions' grants, minus withdrawn ones."""
    return Grant.objects.filter(call_grants_q(call), withdrawn_by__isnull=True).aggregate(
        total=Coalesce(Sum("amount"), Value(ZERO))
    )["total"]


def _check_call(call: Call) -> None:
    errors: dict[str, list[str]] = {}
    if call.opens_on and call.closes_on and call.closes_on < call.opens_on:
        errors["closes_on"] = [_("The application deadline cannot be before the opening date.")]
    if call.pk and call.pot is not None:
        granted = call_granted_total(call)
        if call.pot < granted:
            errors["pot"] = [
                _(
                    "The call has already granted %(granted)s; the funds available cannot be less "
                    "than that."
                )
                % {"granted": format_sek(granted)}
            ]
    _raise(errors)


@transaction.atomic
def call_create(*, association: Association, by, **fields: Any) -> Call:
    call = Call(association=association, **fields)
    _check_call(call)
    call.full_clean()
    call.save()
    audit.record(event=Event.CALL_CREATED, actor=by, target=call, after=audit.snapshot(call))
    return call


@transaction.atomic
def call_update(*, call: Call, data: dict[str, Any], by) -> Call:
    before = audit.snapshot(Call.objects.get(pk=call.pk))
    for name, value in data.items():
        setattr(call, name, value)
    _check_call(call)
    call.full_clean()
    call.save()
    audit.record(
        event=Event.CALL_UPDATED, actor=by, target=call, before=before, after=audit.snapshot(call)
    )
    return call


@transaction.atomic
def call_close(*, call: Call, by) -> Call:
    if call.status == Call.Status.CLOSED:
        raise InvalidTransition(_("The call is already closed."))
    call.status = Call.Status.CLOSED
    call.full_clean()
    call.save(update_fields=["status"])
    audit.record(
        event=Event.CALL_CLOSED,
        actor=by,
        target=call,
        before={"status": Call.Status.OPEN},
        after={"status": Call.Status.CLOSED},
    )
    return call


# --- applications -------------------------------------------------------------------------------


@dataclass
class ApplicationContent:
    """Everything a user enters on the application form. Children are replaced as a whole."""

    fields: dict[str, Any]
    applicants: list[Member]
    kind_shares: dict[str, int | None]
    goals: list[dict[str, Any]] = field(default_factory=list)
    budget_lines: list[dict[str, Any]] = field(default_factory=list)
    steering_group: list[dict[str, Any]] = field(default_factory=list)


APPLICATION_FIELDS = [*DESCRIPTION_FIELDS, "call", "continues", "reinforces"]


def _check_content(association: Association, content: ApplicationContent, *, by) -> None:
    errors: dict[str, list[str]] = {}
    fields = content.fields
    _check_description(fields, errors)
    problem = kind_shares_error(content.kind_shares)
    if problem:
        errors["kind_shares"] = [problem]
    if any(m.association_id != association.pk for m in content.applicants):
        errors["applicants"] = [_("An applicant does not belong to the association.")]
    elif not is_system(by):
        allowed, why = can_apply_for(by, association, content.applicants)
        if not allowed:
            errors["applicants"] = [why]
    call = fields.get("call")
    if call is not None and call.association_id != association.pk:
        errors["call"] = [_("The call does not belong to the association.")]
    for name in ("continues", "reinforces"):
        other = fields.get(name)
        if other is not None and other.association_id != association.pk:
            errors[name] = [_("The intervention does not belong to the association.")]
    if fields.get("continues") and fields.get("reinforces"):
        errors["reinforces"] = [
            _(
                "An application either continues or reinforces an intervention, not both. Choose "
                "one."
            )
        ]
    years = _period_years(fields.get("period_start"), fields.get("period_end"))
    for line in content.budget_lines:
        if years is not None and line.get("year") not in years:
            errors.setdefault("budget_lines", []).append(
                _("The budget year %(year)s is outside the period %(start)s–%(end)s.")
                % {"year": line.get("year"), "start": years.start, "end": years.stop - 1}
            )
        for name in ("requested", "own_financing", "external_funding"):
            if (line.get(name) or ZERO) < 0:
                errors.setdefault("budget_lines", []).append(
                    _("Amounts in the budget cannot be negative.")
                )
                break
    for goal in content.goals:
        problem = goal_measure_problem(goal.get("measure", ""), goal.get("measure_target"))
        if problem:
            errors.setdefault("goals", []).append(f"{goal.get('text', '')}: {problem}")
    for person in content.steering_group:
        member = person.get("member")
        if member is not None and member.association_id != association.pk:
            errors.setdefault("steering_group", []).append(
                _("A steering group member's organisation does not belong to the association.")
            )
    _raise(errors)


def _write_children(application: Application, content: ApplicationContent) -> None:
    application.applicants.set(content.applicants)
    application.kind_shares.all().delete()
    application.goals.all().delete()
    application.budget_lines.all().delete()
    application.steering_group.all().delete()
    for kind, percent in content.kind_shares.items():
        if percent:
            share = ApplicationKindShare(application=application, kind=kind, percent=percent)
            share.full_clean()
            share.save()
    for i, goal in enumerate(content.goals):
        row = ApplicationGoal(application=application, sort_order=i, **goal)
        row.full_clean()
        row.save()
    for line in content.budget_lines:
        row = ApplicationBudgetLine(application=application, **line)
        row.full_clean()
        row.save()
    for i, person in enumerate(content.steering_group):
        row = SteeringGroupMember(application=application, sort_order=i, **person)
        row.full_clean()
        row.save()


def application_snapshot(application: Application) -> dict[str, Any]:
    """The whole application as JSON: what a version stores and what the audit row shows."""
    data = audit.snapshot(application, exclude=("association", "agenda_item", "created_by"))
    data["applicants"] = sorted(m.name for m in application.applicants.all())
    data["kind_shares"] = {s.kind: s.percent for s in application.kind_shares.all()}
    data["goals"] = [
        {
            "text": g.text,
            "target_value": g.target_value,
            "measure": g.measure,
            "measure_target": str(g.measure_target) if g.measure_target is not None else None,
        }
        for g in application.goals.all()
    ]
    data["budget_lines"] = [
        {
            "year": b.year,
            "cost_line": b.cost_line,
            "requested": str(b.requested),
            "own_financing": str(b.own_financing),
            "external_funding": str(b.external_funding),
            "external_source": b.external_source,
        }
        for b in application.budget_lines.all()
    ]
    data["steering_group"] = [
        {"name": p.name, "member": p.member.name if p.member else "", "role": p.role}
        for p in application.steering_group.select_related("member")
    ]
    return data


def _add_version(application: Application, *, by, reason: str) -> ApplicationVersion:
    number = application.versions.count() + 1
    return ApplicationVersion.objects.create(
        application=application,
        number=number,
        snapshot=application_snapshot(application),
        reason=reason,
        created_by=user_or_none(by),
    )


@transaction.atomic
def application_create(*, association: Association, content: ApplicationContent, by) -> Application:
    _check_content(association, content, by=by)
    call = content.fields.get("call")
    if call is not None and call.status != Call.Status.OPEN:
        raise ValidationError({"call": _("The call is closed to new applications.")})
    application = Application(
        association=association,
        created_by=user_or_none(by),
        **{k: v for k, v in content.fields.items() if k in APPLICATION_FIELDS},
    )
    application.full_clean()
    application.save()
    _write_children(application, content)
    audit.record(
        event=Event.APPLICATION_CREATED,
        actor=by,
        target=application,
        after=application_snapshot(application),
    )
    return application


@transaction.atomic
def application_update(
    *, application: Application, content: ApplicationContent, by, reason: str = ""
) -> Application:
    """Change an application. After submission every change is kept as a new version."""
    if not is_system(by):
        allowed, why = can_edit_application(by, application)
        if not allowed:
            raise PermissionDenied(why)
    stored = Application.objects.select_for_update().get(pk=application.pk)
    if stored.status != application.status:
        raise InvalidTransition(
            _("The application has been changed by someone else. Reload the page.")
        )
    before = application_snapshot(stored)
    _check_content(application.association, content, by=by)
    for name, value in content.fields.items():
        if name in APPLICATION_FIELDS:
            setattr(application, name, value)
    application.full_clean()
    application.save()
    _write_children(application, content)
    after = application_snapshot(application)
    if application.status != Status.DRAFT:
        _add_version(application, by=by, reason=reason or _("Changed after submission"))
    audit.record(
        event=Event.APPLICATION_UPDATED, actor=by, target=application, before=before, after=after
    )
    return application


def _submission_errors(application: Application, today: dt.date) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    required = {
        "title": _("Enter the name of the intervention."),
        "purpose": _("Describe the aim."),
        "target_group": _("Describe the target group."),
        "owner": _("Enter the project owner."),
        "responsible_manager": _("Enter the responsible manager."),
        "project_lead": _("Enter the project manager."),
        "period_end": _("Enter when the period ends."),
    }
    for name, message in required.items():
        if not getattr(application, name):
            errors[name] = [message]
    if not application.applicants.exists():
        errors["applicants"] = [_("Choose at least one applicant member organisation.")]
    shares = {s.kind: s.percent for s in application.kind_shares.all()}
    problem = kind_shares_error(shares)
    if problem:
        errors["kind_shares"] = [problem]
    if not application.goals.exists():
        errors["goals"] = [_("Enter at least one measurable goal with a target value.")]
    if not application.budget_lines.exists():
        errors["budget_lines"] = [_("Enter the budget per year, with at least one cost item.")]
    if application.call is not None and not application.call.accepts_applications_on(today):
        errors["call"] = [
            _("The call “%(call)s” is not accepting applications today (open %(from)s–%(to)s).")
            % {
                "call": application.call.title,
                "from": application.call.opens_on.isoformat(),
                "to": application.call.closes_on.isoformat(),
            }
        ]
    return errors


@transaction.atomic
def application_submit(
    *, application: Application, by, today: dt.date | None = None
) -> Application:
    """Send the application to the association. From now on the applicant cannot change it."""
    _raise(_submission_errors(application, today or timezone.localdate()))
    application_transition(application=application, to=Status.SUBMITTED, by=by)
    application.submitted_at = timezone.now()
    application.save(update_fields=["submitted_at"])
    _add_version(application, by=by, reason=_("Submitted"))
    return application


def application_return_to_applicant(*, application: Application, by) -> Application:
    return application_transition(application=application, to=Status.DRAFT, by=by)


def application_withdraw(*, application: Application, by) -> Application:
    return application_transition(application=application, to=Status.WITHDRAWN, by=by)


def application_reopen_assessment(*, application: Application, by) -> Application:
    return application_transition(application=application, to=Status.SUBMITTED, by=by)


# --- assessment ---------------------------------------------------------------------------------


@transaction.atomic
def assessment_set(
    *, application: Application, scores: dict[int, tuple[int, str]], by
) -> list[Assessment]:
    """One assessor's scores (1–4) and comments for every active criterion of the association.

    `scores` maps criterion id -> (score, comment). Saving again replaces the assessor's earlier
    scores; other assessors' scores are untouched.
    """
    _require(by, application.association, "applications.assess")
    if application.status != Status.SUBMITTED:
        raise InvalidTransition(
            _(
                "The application can only be assessed once it has been submitted; it is currently "
                "“%(status)s”. Reopen the assessment to change it."
            )
            % {"status": application.get_status_display()}
        )
    criteria = list(
        AssessmentCriterion.objects.filter(association=application.association, is_active=True)
    )
    errors: dict[str, list[str]] = {}
    for criterion in criteria:
        score, _comment = scores.get(criterion.pk, (None, ""))
        if score not in Assessment.Score.values:
            errors[f"criterion_{criterion.pk}"] = [
                _("Give “%(criterion)s” a score from 1 to 4.") % {"criterion": criterion.title}
            ]
    unknown = set(scores) - {c.pk for c in criteria}
    if unknown:
        errors["__all__"] = [
            _("The assessment refers to criteria that the association does not use.")
        ]
    _raise(errors)
    before = {
        a.criterion.title: a.score
        for a in Assessment.objects.filter(application=application, assessor=by).select_related(
            "criterion"
        )
    }
    saved = []
    for criterion in criteria:
        score, comment = scores[criterion.pk]
        assessment, _created = Assessment.objects.update_or_create(
            application=application,
            assessor=by,
            criterion=criterion,
            defaults={"score": score, "comment": comment},
        )
        assessment.full_clean()
        saved.append(assessment)
    audit.record(
        event=Event.ASSESSMENT_SET,
        actor=by,
        target=application,
        before=before or None,
        after={a.criterion.title: a.score for a in saved},
    )
    return saved


@dataclass(frozen=True)
class CriterionSummary:
    criterion: AssessmentCriterion
    by_assessor: dict[int, Assessment]  # assessor id -> assessment
    mean: Decimal | None


@dataclass(frozen=True)
class AssessmentSummary:
    criteria: list[CriterionSummary]
    assessors: list[Any]
    overall: Decimal | None
    recommendation: str  # one of RECOMMENDATION_LABELS
    missing: list[AssessmentCriterion]
    # assessor id -> what they assess as ("Kansli", "Beredningsgrupp"), shown by their name
    assessor_roles: dict[int, str] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return not self.missing

    @property
    def recommendation_label(self) -> str:
        return str(RECOMMENDATION_LABELS[self.recommendation])


# A recommendation from the mean scores: overall mean at least `approve` and no criterion below
# `floor` -> approve; overall at least `conditions` -> approve with conditions or completion;
# lower -> reject. Data, so that an association's practice can be reflected later.
RECOMMENDATION_THRESHOLDS = {
    "approve": Decimal("3.0"),
    "conditions": Decimal("2.0"),
    "floor": Decimal("2.0"),
}
RECOMMENDATION_LABELS = {
    "approve": gettext_lazy("Recommended for approval"),
    "conditions": gettext_lazy("Recommended with conditions or after additional information"),
    "reject": gettext_lazy("Recommended for rejection"),
    "incomplete": gettext_lazy("The assessment is not complete"),
}


def _mean(values: Iterable[int | Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    total = sum((Decimal(v) for v in values), ZERO)
    return (total / len(values)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def assessment_summary(
    *,
    criteria: list[AssessmentCriterion],
    assessments: list[Assessment],
    assessor_roles: dict[int, str] | None = None,
) -> AssessmentSummary:
    """Criteria × assessors with the mean per criterion, the overall mean and a recommendation.

    The overall mean is the mean of the criterion means, so every criterion weighs the same however
    many assessors scored it. Only active criteria and criteria that were scored are shown.
    """
    by_criterion: dict[int, dict[int, Assessment]] = {}
    assessors: dict[int, Any] = {}
    for a in assessments:
        by_criterion.setdefault(a.criterion_id, {})[a.assessor_id] = a
        assessors[a.assessor_id] = a.assessor
    shown = [c for c in criteria if c.is_active or c.pk in by_criterion]
    rows = [
        CriterionSummary(
            criterion=c,
            by_assessor=by_criterion.get(c.pk, {}),
            mean=_mean(a.score for a in by_criterion.get(c.pk, {}).values()),
        )
        for c in shown
    ]
    means = [r.mean for r in rows if r.mean is not None]
    overall = _mean(means)
    missing = [r.criterion for r in rows if r.mean is None and r.criterion.is_active]
    if missing or overall is None:
        recommendation = "incomplete"
    elif (
        overall >= RECOMMENDATION_THRESHOLDS["approve"]
        and min(means) >= RECOMMENDATION_THRESHOLDS["floor"]
    ):
        recommendation = "approve"
    elif overall >= RECOMMENDATION_THRESHOLDS["conditions"]:
        recommendation = "conditions"
    else:
        recommendation = "reject"
    return AssessmentSummary(
        criteria=rows,
        assessors=sorted(assessors.values(), key=lambda u: str(u)),
        overall=overall,
        recommendation=recommendation,
        missing=missing,
        assessor_roles=assessor_roles or {},
    )


# The roles an assessment is made in, strongest first: an officer who also sits in the advisory
# group assesses as the office.
ASSESSOR_ROLES = (Role.OFFICE, Role.ADVISORY)


def assessor_roles_of(association: Association, user_ids: Iterable[int]) -> dict[int, str]:
    """user id -> the label of the role they assess in ("Kansli" / "Beredningsgrupp")."""
    found: dict[int, set[str]] = {}
    for user_id, role in Membership.objects.filter(
        association=association, user_id__in=list(user_ids), role__in=ASSESSOR_ROLES
    ).values_list("user_id", "role"):
        found.setdefault(user_id, set()).add(role)
    return {
        user_id: str(next(r.label for r in ASSESSOR_ROLES if r in roles))
        for user_id, roles in found.items()
    }


def application_assessment_summary(application: Application) -> AssessmentSummary:
    criteria = list(AssessmentCriterion.objects.filter(association=application.association))
    assessments = list(
        Assessment.objects.filter(application=application).select_related("assessor", "criterion")
    )
    roles = assessor_roles_of(application.association, {a.assessor_id for a in assessments})
    return assessment_summary(criteria=criteria, assessments=assessments, assessor_roles=roles)


@transaction.atomic
def application_mark_assessed(*, application: Application, by) -> Application:
    _require(by, application.association, "assessments.manage")
    summary = application_assessment_summary(application)
    if not summary.criteria:
        raise ValidationError(
            _(
                "The association has no assessment criteria. Add criteria before the application "
                "is assessed."
            )
        )
    if not summary.complete:
        raise ValidationError(
            _("Every criterion needs at least one assessment. Missing: %(missing)s.")
            % {"missing": ", ".join(c.title for c in summary.missing)}
        )
    return application_transition(application=application, to=Status.ASSESSED, by=by)


def _check_board_meeting(application_or_intervention, meeting: Meeting) -> None:
    if meeting.association_id != application_or_intervention.association_id:
        raise ValidationError({"meeting": _("The meeting does not belong to the association.")})
    if meeting.kind != Meeting.Kind.BOARD:
        raise ValidationError(
            {"meeting": _("Decisions are made at a board meeting. Choose a board meeting.")}
        )


def _check_decision_meeting(subject, meeting: Meeting) -> None:
    """A decision is recorded at the board meeting that made it, once that meeting is held."""
    _check_board_meeting(subject, meeting)
    if meeting.date > timezone.localdate():
        raise ValidationError(
            {
                "meeting": _(
                    "The meeting of %(date)s has not been held yet. A decision is recorded once "
                    "the board has made it."
                )
                % {"date": meeting.date.isoformat()}
            }
        )


@transaction.atomic
def application_put_on_agenda(*, application: Application, meeting: Meeting, by) -> Application:
    """Put an assessed application on a board meeting's agenda (a new agenda item). The office's
    work; a decision recorded on an application not yet on the agenda puts it there itself."""
    _require(by, application.association, "assessments.manage")
    return _put_on_agenda(application, meeting, by=by)


def _put_on_agenda(application: Application, meeting: Meeting, *, by) -> Application:
    _check_board_meeting(application, meeting)
    if application.status == Status.ON_AGENDA:
        if application.agenda_item_id and application.agenda_item.meeting_id == meeting.pk:
            return application
    elif application.status == Status.ASSESSED:
        application_transition(application=application, to=Status.ON_AGENDA, by=by)
    else:
        raise InvalidTransition(
            _(
                "Only an assessed application can be placed on the board's agenda; this one is "
                "“%(status)s”."
            )
            % {"status": application.get_status_display()}
        )
    item = agenda_item_create(
        meeting=meeting, title=_("Application: %(title)s") % {"title": application.title}, by=by
    )
    application.agenda_item = item
    application.save(update_fields=["agenda_item"])
    return application


# --- decisions, interventions and grants --------------------------------------------------------

PARAGRAPH_RE = re.compile(r"^§?\s*(\d{1,4})\s*([a-zA-Z]?)$")


def normalise_paragraph(value: str) -> str:
    """'12', '§12' and '§ 12' all become '§ 12'; raises ValidationError otherwise."""
    match = PARAGRAPH_RE.match((value or "").strip())
    if not match:
        raise ValidationError(
            {"paragraph": _("Enter the paragraph as a number, for example § 12 or 12.")}
        )
    number, letter = match.groups()
    return f"§ {int(number)}{(' ' + letter.lower()) if letter else ''}"


def _check_paragraph_free(meeting: Meeting, paragraph: str) -> None:
    if Decision.objects.filter(meeting=meeting, paragraph=paragraph).exists():
        raise ValidationError(
            {
                "paragraph": _("%(paragraph)s already exists in the minutes of %(date)s.")
                % {"paragraph": paragraph, "date": meeting.date.isoformat()}
            }
        )


TERM_NAMES = [
    "annual_report_only",
    "interim_report_month",
    "interim_report_day",
    "annual_report_month",
    "annual_report_day",
    "oral_presentations_per_year",
    "oral_presentation_month",
    "oral_presentation_day",
]


def _decision_terms(association: Association, terms: dict[str, Any] | None) -> dict[str, Any]:
    defaults = funding_settings_for(association)
    out = {name: getattr(defaults, name) for name in TERM_NAMES}
    out.update({k: v for k, v in (terms or {}).items() if k in TERM_NAMES and v is not None})
    return out


def _latest_change(intervention: Intervention) -> Decision | None:
    return (
        Decision.objects.filter(intervention=intervention, kind=Decision.Kind.CHANGE)
        .select_related("meeting")
        .order_by("-meeting__date", "-pk")
        .first()
    )


def _terms_for_grant(grant: Grant, latest_change: Decision | None, defaults: FundingSettings):
    """A grant reports on its own decision's terms, unless a later change decision set the
    intervention's terms anew (a change decision always carries the terms in force after it)."""
    own = grant.decision
    if latest_change is not None and (
        own is None or (latest_change.meeting.date, latest_change.pk) >= (own.meeting.date, own.pk)
    ):
        return latest_change
    return own or defaults


def intervention_terms(intervention: Intervention) -> dict[str, Any]:
    """The reporting terms in force: the latest approving or change decision's, else the
    association's defaults."""
    latest = (
        Decision.objects.filter(intervention=intervention)
        .filter(
            Q(kind=Decision.Kind.CHANGE)
            | Q(kind=Decision.Kind.APPLICATION, outcome__in=APPROVED_OUTCOMES)
        )
        .order_by("-meeting__date", "-pk")
        .first()
    )
    if latest is None:
        return _decision_terms(intervention.association, None)
    return {name: getattr(latest, name) for name in TERM_NAMES}


def _decision_snapshot(decision: Decision) -> dict[str, Any]:
    data = audit.snapshot(decision, exclude=("recorded_by",))
    data["amounts"] = {str(a.year): str(a.amount) for a in decision.amounts.all()}
    return data


@transaction.atomic
def decision_record(
    *,
    application: Application,
    meeting: Meeting,
    paragraph: str,
    outcome: str,
    by,
    amounts: dict[int, Decimal] | None = None,
    conditions: str = "",
    motivation: str = "",
    terms: dict[str, Any] | None = None,
) -> Decision:
    """Record the board's decision on an application and carry it out.

    Puts the application on the meeting's agenda if it is not there yet. An approval creates the
    intervention (or, for an application that continues one, adds to it) with one grant per year.
    A referral back returns the application to assessment. Nothing existing is edited.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    _require(by, application.association, "decisions.record")
    amounts = {int(y): a for y, a in (amounts or {}).items() if a is not None}
    if application.status not in DECIDABLE_STATUSES:
        raise InvalidTransition(
            _("Only an assessed application can be decided; this one is “%(status)s”.")
            % {"status": application.get_status_display()}
        )
    _check_decision_meeting(application, meeting)
    paragraph = normalise_paragraph(paragraph)
    _check_paragraph_free(meeting, paragraph)
    errors: dict[str, list[str]] = {}
    if outcome not in Decision.Outcome.values:
        errors["outcome"] = [_("Choose a decision.")]
    approved = outcome in APPROVED_OUTCOMES
    if approved:
        if not amounts:
            errors["amounts"] = [_("Enter the amount granted for at least one year.")]
        years = _period_years(application.period_start, application.period_end)
        for year, amount in sorted(amounts.items()):
            if amount <= 0:
                errors.setdefault("amounts", []).append(
                    _("The amount for %(year)s must be greater than 0 kr.") % {"year": year}
                )
            if years is not None and year not in years:
                errors.setdefault("amounts", []).append(
                    _("The year %(year)s is outside the application period %(start)s–%(end)s.")
                    % {"year": year, "start": years.start, "end": years.stop - 1}
                )
        if outcome == Decision.Outcome.APPROVED_WITH_CONDITIONS and not conditions.strip():
            errors["conditions"] = [_("Enter the conditions of the grant.")]
        call = application.call
        if call is not None and not errors:
            Call.objects.select_for_update().filter(pk=call.pk).exists()
            remaining = call.pot - call_granted_total(call)
            total = sum(amounts.values(), ZERO)
            if total > remaining:
                errors["amounts"] = [
                    _(
                        "The call “%(call)s” has %(remaining)s left to allocate, but the decision "
                        "grants %(total)s. Reduce the amounts by %(over)s."
                    )
                    % {
                        "call": call.title,
                        "remaining": format_sek(remaining),
                        "total": format_sek(total),
                        "over": format_sek(total - remaining),
                    }
                ]
    elif amounts:
        errors["amounts"] = [
            _("A rejection or a referral back grants no money. Remove the amounts.")
        ]
    _raise(errors)

    if application.agenda_item_id is None or application.agenda_item.meeting_id != meeting.pk:
        _put_on_agenda(application, meeting, by=by)
    decision = Decision(
        association=application.association,
        kind=Decision.Kind.APPLICATION,
        application=application,
        meeting=meeting,
        agenda_item=application.agenda_item,
        paragraph=paragraph,
        outcome=outcome,
        conditions=conditions,
        motivation=motivation,
        recorded_by=user_or_none(by),
        **_decision_terms(application.association, terms),
    )
    decision.full_clean()
    decision.save()
    for year, amount in sorted(amounts.items()):
        row = DecisionAmount(decision=decision, year=year, amount=amount)
        row.full_clean()
        row.save()

    if approved:
        if application.continues_id:
            intervention = _intervention_extend(application=application, by=by)
        else:
            intervention = _intervention_from_application(application=application, by=by)
        decision.intervention = intervention
        decision.save(update_fields=["intervention"])
        for year, amount in sorted(amounts.items()):
            _grant_create(
                intervention=intervention, year=year, amount=amount, decision=decision, by=by
            )
    audit.record(
        event=Event.DECISION_RECORDED, actor=by, target=decision, after=_decision_snapshot(decision)
    )
    if decision.intervention_id:
        reports_sync(intervention=decision.intervention, by=by)
    if outcome == Decision.Outcome.REFERRED_BACK:
        application_transition(application=application, to=Status.SUBMITTED, by=by)
    else:
        application_transition(application=application, to=Status.DECIDED, by=by)
    return decision


def _copy_description(source, target) -> None:
    for name in DESCRIPTION_FIELDS:
        setattr(target, name, getattr(source, name))


def _intervention_from_application(*, application: Application, by) -> Intervention:
    intervention = Intervention(association=application.association, application=application)
    _copy_description(application, intervention)
    intervention.reinforces = application.reinforces
    intervention.full_clean()
    intervention.save()
    intervention.members.set(application.applicants.all())
    for share in application.kind_shares.all():
        InterventionKindShare.objects.create(
            intervention=intervention, kind=share.kind, percent=share.percent
        )
    for goal in application.goals.all():
        InterventionGoal.objects.create(
            intervention=intervention,
            text=goal.text,
            target_value=goal.target_value,
            measure=goal.measure,
            measure_target=goal.measure_target,
            sort_order=goal.sort_order,
        )
    for person in application.steering_group.all():
        SteeringGroupMember.objects.create(
            intervention=intervention,
            name=person.name,
            member=person.member,
            role=person.role,
            sort_order=person.sort_order,
        )
    audit.record(
        event=Event.INTERVENTION_CREATED,
        actor=by,
        target=intervention,
        after=audit.snapshot(intervention),
    )
    return intervention


def _intervention_extend(*, application: Application, by) -> Intervention:
    """A continuation: the intervention's period grows to cover the application's period."""
    intervention = Intervention.objects.select_for_update().get(pk=application.continues_id)
    if intervention.period_end is not None and (
        application.period_end is None or application.period_end > intervention.period_end
    ):
        _intervention_set_end(intervention, application.period_end, by=by)
    return intervention


def _grant_create(
    *,
    intervention: Intervention,
    year: int,
    amount: Decimal,
    by,
    decision: Decision | None = None,
    decision_ref: str = "",
    note: str = "",
) -> Grant:
    grant = Grant(
        intervention=intervention,
        year=year,
        amount=amount,
        decision=decision,
        decision_ref=decision_ref,
        note=note,
    )
    grant.full_clean()
    grant.save()
    audit.record(
        event=Event.GRANT_CREATED,
        actor=by,
        target=grant,
        association=intervention.association,
        after=audit.snapshot(grant),
    )
    return grant


@transaction.atomic
def intervention_end(
    *,
    intervention: Intervention,
    meeting: Meeting,
    paragraph: str,
    ends_on: dt.date,
    by,
    motivation: str = "",
) -> Decision:
    """The board ends an intervention early. Grants for whole years after the end are withdrawn
    by this decision (kept, marked); a year with approved or paid money cannot be withdrawn."""
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    _require(by, intervention.association, "decisions.record")
    _check_decision_meeting(intervention, meeting)
    paragraph = normalise_paragraph(paragraph)
    _check_paragraph_free(meeting, paragraph)
    if ends_on < intervention.period_start:
        raise ValidationError({"ends_on": _("The intervention cannot end before it has started.")})
    if intervention.period_end is not None and ends_on >= intervention.period_end:
        raise ValidationError(
            {
                "ends_on": _(
                    "The intervention already ends on %(end)s. A later end is decided by a change "
                    "decision."
                )
                % {"end": intervention.period_end.isoformat()}
            }
        )
    later = list(intervention.grants.filter(year__gt=ends_on.year, withdrawn_by__isnull=True))
    used = Payment.objects.filter(
        grant__in=later, status__in=(Payment.Status.APPROVED, Payment.Status.PAID)
    )
    if used.exists():
        years = sorted({p.grant.year for p in used.select_related("grant")})
        raise ValidationError(
            {
                "ends_on": _(
                    "There are approved or paid funds for %(years)s. Choose a later end date or "
                    "settle the payments first."
                )
                % {"years": ", ".join(str(y) for y in years)}
            }
        )
    decision = Decision(
        association=intervention.association,
        kind=Decision.Kind.END,
        intervention=intervention,
        meeting=meeting,
        paragraph=paragraph,
        outcome=Decision.Outcome.APPROVED,
        motivation=motivation,
        ends_on=ends_on,
        recorded_by=user_or_none(by),
        **_decision_terms(intervention.association, None),
    )
    decision.full_clean()
    decision.save()
    decision.agenda_item = agenda_item_create(
        meeting=meeting,
        title=_("Closure of the intervention %(title)s") % {"title": intervention.title},
        by=by,
    )
    decision.save(update_fields=["agenda_item"])
    audit.record(
        event=Event.DECISION_RECORDED, actor=by, target=decision, after=_decision_snapshot(decision)
    )
    for grant in later:
        grant.withdrawn_by = decision
        grant.save(update_fields=["withdrawn_by"])
        audit.record(
            event=Event.GRANT_WITHDRAWN,
            actor=by,
            target=grant,
            association=intervention.association,
            before={"withdrawn_by": None},
            after={"withdrawn_by": decision.pk},
        )
        _reject_requested(grant, by)
    _intervention_set_end(intervention, ends_on, by=by)
    reports_sync(intervention=intervention, by=by)
    return decision


def _year_totals(intervention: Intervention) -> dict[int, Decimal]:
    """Granted per year (active grants only)."""
    rows = (
        Grant.objects.filter(intervention=intervention, withdrawn_by__isnull=True)
        .values("year")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO)))
    )
    return {r["year"]: r["total"] for r in rows}


def _year_committed(intervention: Intervention) -> dict[int, Decimal]:
    """Approved plus paid per year on active grants: what a change can never go below."""
    rows = (
        Payment.objects.filter(
            grant__intervention=intervention,
            grant__withdrawn_by__isnull=True,
            status__in=COMMITTED_PAYMENT_STATUSES,
        )
        .values("grant__year")
        .annotate(total=Coalesce(Sum("amount"), Value(ZERO)))
    )
    return {r["grant__year"]: r["total"] for r in rows}


def _reject_requested(grant: Grant, by) -> None:
    """Requests on money that no longer exists are rejected, one audit row each."""
    for payment in grant.payments.filter(status=PaymentStatus.REQUESTED):
        payment.status = PaymentStatus.REJECTED
        payment.decided_by = user_or_none(by)
        payment.save(update_fields=["status", "decided_by"])
        audit.record(
            event=Event.PAYMENT_STATUS_CHANGED,
            actor=by,
            target=payment,
            association=grant.intervention.association,
            before={"status": PaymentStatus.REQUESTED},
            after={"status": PaymentStatus.REJECTED},
        )


@transaction.atomic
def intervention_change(
    *,
    intervention: Intervention,
    meeting: Meeting,
    paragraph: str,
    by,
    amounts: dict[int, Decimal] | None = None,
    period_end: dt.date | None = None,
    conditions: str = "",
    motivation: str = "",
    terms: dict[str, Any] | None = None,
) -> Decision:
    """Ändringsbeslut: the board changes a running intervention.

    `amounts` gives the NEW granted total for each listed year (0 withdraws the year's money).
    History is never edited: for a year whose total changes, every active grant of that year is
    marked withdrawn by this decision and one new grant with the new total is created by it; the
    withdrawn grants' payments move to the new grant, so the per-year view and the payment
    ceiling keep working. `period_end` may move the end earlier (later years are withdrawn, as
    by `intervention_end`) or later. Conditions and reporting terms are recorded on the decision
    and are the intervention's terms from then on.
    """
    intervention = Intervention.objects.select_for_update().get(pk=intervention.pk)
    _require(by, intervention.association, "decisions.record")
    _check_decision_meeting(intervention, meeting)
    paragraph = normalise_paragraph(paragraph)
    _check_paragraph_free(meeting, paragraph)
    amounts = {int(y): a for y, a in (amounts or {}).items() if a is not None}
    errors: dict[str, list[str]] = {}
    start, old_end = intervention.period_start, intervention.period_end
    end_changed = period_end is not None and period_end != old_end
    if period_end is not None and period_end < start:
        errors["period_end"] = [
            _("The intervention cannot end before it has started (%(start)s).")
            % {"start": start.isoformat()}
        ]
    new_end = period_end if period_end is not None else old_end
    current = _year_totals(intervention)
    committed = _year_committed(intervention)
    changes: dict[int, tuple[Decimal, Decimal]] = {}  # year -> (old total, new total)
    for year, new in sorted(amounts.items()):
        key = f"amount_{year}"
        old = current.get(year, ZERO)
        if new < 0:
            errors[key] = [_("The amount cannot be negative.")]
            continue
        if new == old:
            continue
        outside = year < start.year or (new_end is not None and year > new_end.year)
        if outside and new > 0:
            errors[key] = [
                _(
                    "%(year)s lies outside the intervention's period %(start)s–%(end)s. Change the "
                    "end date first or enter 0 kr."
                )
                % {
                    "year": year,
                    "start": start.isoformat(),
                    "end": new_end.isoformat() if new_end else "",
                }
            ]
            continue
        used = committed.get(year, ZERO)
        if new < used:
            errors[key] = [
                _(
                    "For %(year)s, %(used)s of the granted %(old)s is already approved or paid. "
                    "The new amount %(new)s cannot be lower than that."
                )
                % {
                    "year": year,
                    "used": format_sek(used),
                    "old": format_sek(old),
                    "new": format_sek(new),
                }
            ]
            continue
        changes[year] = (old, new)
    if end_changed and new_end is not None and "period_end" not in errors:
        # An earlier end withdraws the later years, as an early end does.
        later = sorted(y for y, total in current.items() if y > new_end.year and total > 0)
        blocked = [y for y in later if committed.get(y, ZERO) > 0]
        if blocked:
            errors["period_end"] = [
                _(
                    "There are approved or paid funds for %(years)s. Choose a later end date or "
                    "settle the payments first."
                )
                % {"years": ", ".join(str(y) for y in blocked)}
            ]
        for year in later:
            # A year left as it was (the form sends every year) goes with the earlier end.
            if year not in changes and f"amount_{year}" not in errors:
                changes[year] = (current[year], ZERO)
    in_force = intervention_terms(intervention)
    new_terms = {
        **in_force,
        **{k: v for k, v in (terms or {}).items() if k in TERM_NAMES and v is not None},
    }
    terms_changed = new_terms != in_force
    conditions, motivation = conditions.strip(), motivation.strip()
    call = intervention.application.call if intervention.application_id else None
    if call is not None and changes and not errors:
        Call.objects.select_for_update().filter(pk=call.pk).exists()
        granted = call_granted_total(call)
        replaced = Grant.objects.filter(
            call_grants_q(call),
            intervention=intervention,
            year__in=list(changes),
            withdrawn_by__isnull=True,
        ).aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
        after = granted - replaced + sum((new for _old, new in changes.values()), ZERO)
        if after > granted and after > call.pot:
            errors["amounts"] = [
                _(
                    "The call “%(call)s” has %(remaining)s left to allocate, but the change "
                    "increases the granted funds by %(total)s. Reduce the amounts by %(over)s."
                )
                % {
                    "call": call.title,
                    "remaining": format_sek(max(call.pot - granted, ZERO)),
                    "total": format_sek(after - granted),
                    "over": format_sek(after - call.pot),
                }
            ]
    _raise(errors)
    if not (changes or end_changed or terms_changed or conditions):
        raise ValidationError(
            _(
                "The decision changes nothing. Enter a new amount for a year, a new end date, "
                "conditions or changed reporting."
            )
        )

    decision = Decision(
        association=intervention.association,
        kind=Decision.Kind.CHANGE,
        intervention=intervention,
        meeting=meeting,
        paragraph=paragraph,
        outcome=Decision.Outcome.APPROVED,
        conditions=conditions,
        motivation=motivation,
        ends_on=period_end if end_changed else None,
        previous_end=old_end if end_changed else None,
        recorded_by=user_or_none(by),
        **new_terms,
    )
    decision.full_clean()
    decision.save()
    decision.agenda_item = agenda_item_create(
        meeting=meeting,
        title=_("Change of the intervention %(title)s") % {"title": intervention.title},
        by=by,
    )
    decision.save(update_fields=["agenda_item"])
    for year, (old, new) in sorted(changes.items()):
        row = DecisionAmount(decision=decision, year=year, amount=new, previous=old)
        row.full_clean()
        row.save()
    audit.record(
        event=Event.DECISION_RECORDED, actor=by, target=decision, after=_decision_snapshot(decision)
    )
    association = intervention.association
    for year, (_old, new) in sorted(changes.items()):
        replaced_grants = list(
            Grant.objects.select_for_update().filter(
                intervention=intervention, year=year, withdrawn_by__isnull=True
            )
        )
        new_grant = (
            _grant_create(
                intervention=intervention, year=year, amount=new, decision=decision, by=by
            )
            if new > 0
            else None
        )
        for grant in replaced_grants:
            grant.withdrawn_by = decision
            grant.save(update_fields=["withdrawn_by"])
            audit.record(
                event=Event.GRANT_WITHDRAWN,
                actor=by,
                target=grant,
                association=association,
                before={"withdrawn_by": None},
                after={"withdrawn_by": decision.pk},
            )
            if new_grant is None:
                _reject_requested(grant, by)
                continue
            for payment in grant.payments.all():
                payment.grant = new_grant
                payment.save(update_fields=["grant"])
                audit.record(
                    event=Event.PAYMENT_MOVED,
                    actor=by,
                    target=payment,
                    association=association,
                    before={"grant": grant.pk},
                    after={"grant": new_grant.pk},
                )
    if end_changed:
        _intervention_set_end(intervention, period_end, by=by)
    reports_sync(intervention=intervention, by=by)
    return decision


def _intervention_set_end(intervention: Intervention, period_end: dt.date | None, *, by) -> None:
    """A decision moves the intervention's end: the one field a decision changes, audited."""
    before = audit.snapshot(intervention)
    intervention.period_end = period_end
    intervention.full_clean()
    intervention.save(update_fields=["period_end"])
    audit.record(
        event=Event.INTERVENTION_UPDATED,
        actor=by,
        target=intervention,
        before=before,
        after=audit.snapshot(intervention),
    )


@transaction.atomic
def intervention_import(
    *,
    association: Association,
    by,
    fields: dict[str, Any],
    kind_shares: dict[str, int],
    grants: list[tuple[int, Decimal, str]],
    members: list[Member] = (),
    goals: list[dict[str, Any]] = (),
    steering_group: list[dict[str, Any]] = (),
    reinforces: Intervention | None = None,
) -> Intervention:
    """An intervention decided before Finsam was used, with its grants [(year, amount, where)].

    For the demo and for moving an association's running interventions into Finsam; new ones are
    created by `decision_record`.
    """
    errors: dict[str, list[str]] = {}
    _check_description(fields, errors)
    # History may not state the kind ("ej angiven"); when it does, the shares must sum to 100.
    problem = kind_shares_error(kind_shares) if kind_shares else None
    if problem:
        errors["kind_shares"] = [problem]
    if any(m.association_id != association.pk for m in members):
        errors["members"] = [_("A member does not belong to the association.")]
    if reinforces is not None and reinforces.association_id != association.pk:
        errors["reinforces"] = [_("The intervention does not belong to the association.")]
    _raise(errors)
    intervention = Intervention(association=association, reinforces=reinforces, **fields)
    intervention.full_clean()
    intervention.save()
    intervention.members.set(members)
    for kind, percent in kind_shares.items():
        if percent:
            InterventionKindShare.objects.create(
                intervention=intervention, kind=kind, percent=percent
            )
    for i, goal in enumerate(goals):
        InterventionGoal.objects.create(intervention=intervention, sort_order=i, **goal)
    for i, person in enumerate(steering_group):
        SteeringGroupMember.objects.create(intervention=intervention, sort_order=i, **person)
    audit.record(
        event=Event.INTERVENTION_CREATED,
        actor=by,
        target=intervention,
        after=audit.snapshot(intervention),
    )
    for year, amount, decision_ref in grants:
        _grant_create(
            intervention=intervention,
            year=year,
            amount=amount,
            decision_ref=decision_ref,
            by=by,
        )
    reports_sync(intervention=intervention, by=by)
    return intervention


@transaction.atomic
def intervention_staff_set(*, intervention: Intervention, users: list[Any], by) -> Intervention:
    from finsam.organisation.models import Membership, Role

    allowed = set(
        Membership.objects.filter(
            association=intervention.association, role=Role.STAFF
        ).values_list("user_id", flat=True)
    )
    if any(u.pk not in allowed for u in users):
        raise ValidationError(
            {
                "staff": _(
                    "Only users with the intervention staff role in the association can be chosen."
                )
            }
        )
    before = audit.snapshot(intervention)
    intervention.staff.set(users)
    audit.record(
        event=Event.INTERVENTION_UPDATED,
        actor=by,
        target=intervention,
        before=before,
        after=audit.snapshot(intervention),
    )
    return intervention


@transaction.atomic
def intervention_goal_measures_set(
    *,
    intervention: Intervention,
    measures: dict[int, tuple[str, Decimal | None]],
    by,
) -> Intervention:
    """Say how the participant register measures each goal: {goal id: (measure, target in
    figures)}. The goal's words and target value are the decision's and stay untouched. Errors
    name the field `goal_<id>_target`; nothing is saved unless every goal is valid."""
    _require(by, intervention.association, "funding.edit")
    goals = {g.pk: g for g in intervention.goals.all()}
    errors: dict[str, list[str]] = {}
    for pk, (measure, target) in measures.items():
        if pk not in goals:
            raise ValidationError(_("The goal does not belong to the intervention."))
        problem = goal_measure_problem(measure, target)
        if problem:
            errors[f"goal_{pk}_target"] = [problem]
    if errors:
        raise ValidationError(errors)
    before = {g.text: _measure_words(g) for g in goals.values()}
    for pk, (measure, target) in measures.items():
        goal = goals[pk]
        goal.measure = measure
        goal.measure_target = target  # None where the measure takes none (checked above)
        goal.full_clean()
        goal.save(update_fields=["measure", "measure_target"])
    audit.record(
        event=Event.INTERVENTION_UPDATED,
        actor=by,
        target=intervention,
        before=before,
        after={g.text: _measure_words(g) for g in goals.values()},
    )
    return intervention


def _measure_words(goal: InterventionGoal) -> str:
    """The audit log's reading of a goal's measure: a row per goal, in words."""
    words = str(goal.get_measure_display())
    if goal.measure_target is not None:
        words += f": {plain_number(goal.measure_target)}"
    return words


def goal_measure_problem(measure: str, target: Decimal | None) -> str:
    """What is wrong with a goal's measure and target in figures, or "" (the same rule for an
    application's goals and an intervention's)."""
    if measure not in GoalMeasure.values:
        return _("Choose how the goal is measured.")
    if measure in ("", GoalMeasure.NOT_MEASURED):
        if target is not None:
            return _("Choose what the register measures, or leave the figure empty.")
        return ""
    if target is None:
        return _("Enter the target in figures.")
    if measure == GoalMeasure.PARTICIPANTS:
        if target <= 0 or target != target.to_integral_value():
            return _("Enter a whole number of participants per year, at least 1.")
        return ""
    if not 0 < target <= 100:
        return _("Enter a share as a percentage between 0 and 100.")
    return ""


# --- payments -----------------------------------------------------------------------------------

PaymentStatus = Payment.Status
PAYMENT_TRANSITIONS: dict[str, set[str]] = {
    PaymentStatus.REQUESTED: {PaymentStatus.APPROVED, PaymentStatus.REJECTED},
    PaymentStatus.APPROVED: {PaymentStatus.PAID},
    PaymentStatus.PAID: set(),
    PaymentStatus.REJECTED: set(),
}
COMMITTED_PAYMENT_STATUSES = (PaymentStatus.APPROVED, PaymentStatus.PAID)


def grant_committed(grant: Grant, *, exclude: Payment | None = None) -> Decimal:
    """Approved plus paid on a grant, summed in the database."""
    qs = Payment.objects.filter(grant=grant, status__in=COMMITTED_PAYMENT_STATUSES)
    if exclude is not None:
        qs = qs.exclude(pk=exclude.pk)
    return qs.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]


def _payment_limit_error(grant: Grant, committed: Decimal, amount: Decimal) -> str | None:
    """The rule: approved + paid never exceeds the grant without a new decision."""
    if committed + amount <= grant.amount:
        return None
    return _(
        "The amount granted for %(year)s is %(granted)s, of which %(committed)s has already been "
        "approved or paid. At most %(left)s can be paid out; this request is for %(amount)s. More "
        "money requires a new board decision."
    ) % {
        "year": grant.year,
        "granted": format_sek(grant.amount),
        "committed": format_sek(committed),
        "left": format_sek(max(grant.amount - committed, ZERO)),
        "amount": format_sek(amount),
    }


@transaction.atomic
def payment_request(
    *,
    grant: Grant,
    amount: Decimal,
    date: dt.date,
    by,
    kind: str = Payment.Kind.REQUISITION,
    actual_costs: Decimal | None = None,
    note: str = "",
) -> Payment:
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("intervention")
        .get(pk=grant.pk)
    )
    if not is_system(by):
        allowed, why = can_request_payment(by, grant.intervention)
        if not allowed:
            raise PermissionDenied(why)
    if grant.withdrawn_by_id:
        raise ValidationError(
            {"amount": _("The funds for %(year)s have been withdrawn.") % {"year": grant.year}}
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than 0 kr.")})
    problem = _payment_limit_error(grant, grant_committed(grant), amount)
    if problem:
        raise ValidationError({"amount": problem})
    payment = Payment(
        grant=grant,
        amount=amount,
        date=date,
        kind=kind,
        actual_costs=actual_costs,
        note=note,
        requested_by=user_or_none(by),
    )
    payment.full_clean()
    payment.save()
    audit.record(
        event=Event.PAYMENT_REQUESTED,
        actor=by,
        target=payment,
        association=grant.intervention.association,
        after=audit.snapshot(payment, exclude=("requested_by", "decided_by")),
    )
    return payment


@transaction.atomic
def payment_transition(*, payment: Payment, to: str, by) -> Payment:
    """Approve, reject or mark as paid: the office's and the economist's, never an approval of
    one's own request. Approval checks the grant's limit under a row lock."""
    grant = Grant.objects.select_for_update().get(pk=payment.grant_id)
    stored = (
        Payment.objects.select_for_update(of=("self",))
        .select_related("grant__intervention__association")
        .get(pk=payment.pk)
    )
    current = stored.status
    if not is_system(by):
        allowed, why = can_decide_payment(by, stored, to)
        if not allowed:
            raise PermissionDenied(why)
    if to not in PAYMENT_TRANSITIONS[current]:
        raise InvalidTransition(
            _("A payment with status “%(current)s” cannot be given status “%(to)s”.")
            % {"current": PaymentStatus(current).label, "to": PaymentStatus(to).label}
        )
    if to == PaymentStatus.APPROVED:
        if grant.withdrawn_by_id:
            raise ValidationError(
                _("The funds for %(year)s have been withdrawn.") % {"year": grant.year}
            )
        problem = _payment_limit_error(
            grant, grant_committed(grant, exclude=payment), payment.amount
        )
        if problem:
            raise ValidationError(problem)
    payment.status = to
    if to in (PaymentStatus.APPROVED, PaymentStatus.REJECTED):
        payment.decided_by = user_or_none(by)
    payment.full_clean()
    payment.save(update_fields=["status", "decided_by"])
    audit.record(
        event=Event.PAYMENT_STATUS_CHANGED,
        actor=by,
        target=payment,
        association=grant.intervention.association,
        before={"status": current},
        after={"status": to},
    )
    return payment


@transaction.atomic
def payment_plan_create(
    *, grant: Grant, instalments: int, first_date: dt.date, by, months_between: int = 3
) -> list[Payment]:
    """Planned payments for what is left of a grant, split in whole kronor (remainder first)."""
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("intervention")
        .get(pk=grant.pk)
    )
    _require(by, grant.intervention.association, "payments.approve")
    if not 1 <= instalments <= 12:
        raise ValidationError({"instalments": _("Enter between 1 and 12 payments.")})
    planned = Payment.objects.filter(grant=grant).exclude(status=PaymentStatus.REJECTED)
    left = grant.amount - planned.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    whole = left.to_integral_value(rounding=ROUND_FLOOR)
    if whole < instalments:
        raise ValidationError({"instalments": _("There are no funds left to plan payments for.")})
    parts = split_whole_kronor(whole, [(i, Decimal(1)) for i in range(instalments)])
    payments = []
    for i, part in enumerate(parts):
        month_index = first_date.month - 1 + i * months_between
        year, month = first_date.year + month_index // 12, month_index % 12 + 1
        day = min(first_date.day, 28)
        payments.append(
            payment_request(
                grant=grant,
                amount=part.amount,
                date=dt.date(year, month, day),
                kind=Payment.Kind.PLAN,
                by=by,
            )
        )
    return payments


# --- follow-up ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GrantYear:
    year: int
    granted: Decimal
    requested: Decimal
    approved: Decimal
    paid: Decimal

    @property
    def requisitioned(self) -> Decimal:
        """Rekvirerat: everything asked for on the year's money, whether still waiting for
        approval, approved or paid. Rejected requests are not counted."""
        return self.requested + self.approved + self.paid

    @property
    def remaining(self) -> Decimal:
        return self.granted - self.approved - self.paid


def grant_years(intervention: Intervention) -> list[GrantYear]:
    """Per year: granted (not withdrawn), requested (waiting for approval), approved, paid, all
    requisitioned and what remains, in SQL."""
    zero = Value(ZERO)
    grants = (
        Grant.objects.filter(intervention=intervention, withdrawn_by__isnull=True)
        .values("year")
        .annotate(total=Coalesce(Sum("amount"), zero))
    )
    payments = (
        Payment.objects.filter(grant__intervention=intervention, grant__withdrawn_by__isnull=True)
        .values("grant__year")
        .annotate(
            requested=Coalesce(Sum("amount", filter=Q(status=PaymentStatus.REQUESTED)), zero),
            approved=Coalesce(Sum("amount", filter=Q(status=PaymentStatus.APPROVED)), zero),
            paid=Coalesce(Sum("amount", filter=Q(status=PaymentStatus.PAID)), zero),
        )
    )
    by_year = {p["grant__year"]: p for p in payments}
    return [
        GrantYear(
            year=g["year"],
            granted=g["total"],
            requested=by_year.get(g["year"], {}).get("requested", ZERO),
            approved=by_year.get(g["year"], {}).get("approved", ZERO),
            paid=by_year.get(g["year"], {}).get("paid", ZERO),
        )
        for g in grants.order_by("year")
    ]


def reporting_duties(intervention: Intervention) -> list[tuple[str, dt.date]]:
    """Report due dates for every granted year, from the decision's terms (or the defaults);
    after a change decision, from the change decision's terms."""
    duties: list[tuple[str, dt.date]] = []
    defaults = funding_settings_for(intervention.association)
    latest_change = _latest_change(intervention)
    seen: set[tuple[str, dt.date]] = set()
    grants = intervention.grants.filter(withdrawn_by__isnull=True)
    for grant in grants.select_related("decision__meeting"):
        terms = _terms_for_grant(grant, latest_change, defaults)
        for label, due in terms.report_dates(grant.year):
            if (label, due) not in seen:
                seen.add((label, due))
                duties.append((label, due))
    return sorted(duties, key=lambda d: d[1])


# --- status reports -------------------------------------------------------------------------------

# A report covers the period up to its date in the reporting terms (delårsrapport per 06-30) and
# is due this many days later (2021-06-30 -> 2021-07-30).
REPORT_DAYS_TO_SUBMIT = 30

ReportStatus = InterventionReport.Status
REPORT_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DUE: {ReportStatus.SUBMITTED},
    # The office approves the report or returns it to the staff for completion.
    ReportStatus.SUBMITTED: {ReportStatus.APPROVED, ReportStatus.RETURNED},
    ReportStatus.RETURNED: {ReportStatus.SUBMITTED},
    ReportStatus.APPROVED: set(),
    ReportStatus.HELD: set(),
}
# An oral presentation is not written: the office records the board meeting where it was held.
ORAL_TRANSITIONS: dict[str, set[str]] = {
    ReportStatus.DUE: {ReportStatus.HELD},
    ReportStatus.SUBMITTED: set(),
    ReportStatus.RETURNED: set(),
    ReportStatus.APPROVED: set(),
    ReportStatus.HELD: set(),
}


def report_transitions(report: InterventionReport) -> dict[str, set[str]]:
    """The state machine of the report's kind."""
    return ORAL_TRANSITIONS if report.kind == ReportKind.ORAL else REPORT_TRANSITIONS


REPORT_TEXT_FIELDS = ["what_happened", "outcome", "forecast", "deviations"]


def report_periods(intervention: Intervention) -> list[tuple[str, dt.date]]:
    """[(ReportKind, period end)] the intervention owes, from each granted year's decision terms
    (the association's defaults for history imported without a decision): the written reports
    and the oral presentations to the board (whose period end is their due date).

    Periods that end before the intervention starts are skipped; after an early end only the
    annual report (the final one) of the last year remains.
    """
    defaults = funding_settings_for(intervention.association)
    latest_change = _latest_change(intervention)
    out: set[tuple[str, dt.date]] = set()
    grants = intervention.grants.filter(withdrawn_by__isnull=True)
    for grant in grants.select_related("decision__meeting"):
        terms = _terms_for_grant(grant, latest_change, defaults)
        for kind, day in [*terms.report_periods(grant.year), *terms.oral_periods(grant.year)]:
            if day < intervention.period_start:
                continue
            if (
                intervention.period_end is not None
                and day > intervention.period_end
                and kind != ReportKind.ANNUAL
            ):
                continue
            out.add((str(kind), day))
    return sorted(out, key=lambda p: (p[1], p[0]))


def _report_is_blank(report: InterventionReport) -> bool:
    return (
        not any(getattr(report, name) not in ("", None) for name in REPORT_TEXT_FIELDS)
        and not report.attainments.exclude(value="", comment="").exists()
    )


@transaction.atomic
def reports_sync(*, intervention: Intervention, by) -> list[InterventionReport]:
    """Create the report duties the intervention's grants call for; drop blank duties that no
    grant calls for any more (an early end). Safe to run again. Returns the created reports."""
    wanted = report_periods(intervention)
    existing = {(r.kind, r.period_end): r for r in intervention.reports.all()}
    created = []
    for kind, day in wanted:
        if (kind, day) in existing:
            continue
        report = InterventionReport(
            intervention=intervention,
            kind=kind,
            period_end=day,
            due_date=day
            if kind == ReportKind.ORAL
            else day + dt.timedelta(days=REPORT_DAYS_TO_SUBMIT),
        )
        report.full_clean()
        report.save()
        audit.record(
            event=Event.REPORT_DUE,
            actor=by,
            target=report,
            association=intervention.association,
            after=report_snapshot(report),
        )
        created.append(report)
    for key, report in existing.items():
        if key not in wanted and report.status == ReportStatus.DUE and _report_is_blank(report):
            audit.record(
                event=Event.REPORT_WITHDRAWN,
                actor=by,
                target=report,
                association=intervention.association,
                before=report_snapshot(report),
            )
            report.delete()
    return created


def report_snapshot(report: InterventionReport) -> dict[str, Any]:
    data = audit.snapshot(report, exclude=("submitted_by", "reviewed_by"))
    data["goals"] = {
        a.goal.text: {"value": a.value, "comment": a.comment}
        for a in report.attainments.select_related("goal")
    }
    return data


def _check_report_writer(report: InterventionReport, by) -> None:
    allowed, why = can_write_report(by, report)
    if not allowed:
        raise PermissionDenied(why)


@transaction.atomic
def report_update(
    *,
    report: InterventionReport,
    data: dict[str, Any],
    attainments: dict[int, tuple[str, str]],
    by,
) -> InterventionReport:
    """Save what the staff wrote: the texts, the forecast, and per goal (goal id -> (value,
    comment)) how far the intervention has come. Only while the report is due or returned."""
    stored = InterventionReport.objects.select_for_update().get(pk=report.pk)
    _check_report_writer(stored, by)
    before = report_snapshot(stored)
    errors: dict[str, list[str]] = {}
    unknown = set(data) - set(REPORT_TEXT_FIELDS)
    if unknown:
        errors["__all__"] = [_("Unknown fields: %(f)s.") % {"f": ", ".join(sorted(unknown))}]
    forecast = data.get("forecast")
    if forecast is not None and forecast < 0:
        errors["forecast"] = [_("The forecast cannot be negative.")]
    goals = {g.pk: g for g in report.intervention.goals.all()}
    if set(attainments) - set(goals):
        errors["__all__"] = [
            _("The report refers to goals that do not belong to the intervention.")
        ]
    _raise(errors)
    for name, value in data.items():
        setattr(stored, name, value)
    stored.full_clean()
    stored.save()
    for goal_id, (value, comment) in attainments.items():
        row, _created = ReportGoalAttainment.objects.get_or_create(
            report=stored, goal=goals[goal_id]
        )
        row.value, row.comment = value.strip(), comment.strip()
        row.full_clean()
        row.save()
    audit.record(
        event=Event.REPORT_UPDATED,
        actor=by,
        target=stored,
        association=stored.intervention.association,
        before=before,
        after=report_snapshot(stored),
    )
    for name in data:
        setattr(report, name, getattr(stored, name))
    return stored


def _report_submission_errors(report: InterventionReport) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not report.what_happened.strip():
        errors["what_happened"] = [_("Describe what has happened during the period.")]
    if not report.outcome.strip():
        errors["outcome"] = [_("Describe the results so far.")]
    if report.forecast is None:
        errors["forecast"] = [_("Enter the forecast for the year in kronor.")]
    given = {a.goal_id for a in report.attainments.all() if a.value.strip()}
    for goal in report.intervention.goals.all():
        if goal.pk not in given:
            errors[f"goal_{goal.pk}_value"] = [
                _("Enter the result for the goal “%(goal)s”.") % {"goal": goal.text}
            ]
    return errors


def _check_presentation_meeting(report: InterventionReport, meeting: Meeting | None) -> None:
    association = report.intervention.association
    if meeting is None:
        raise ValidationError(
            {"meeting": _("Choose the board meeting where the presentation was held.")}
        )
    if meeting.association_id != association.pk or meeting.kind != Meeting.Kind.BOARD:
        raise ValidationError({"meeting": _("Choose one of the association's board meetings.")})
    if meeting.date > timezone.localdate():
        raise ValidationError(
            {
                "meeting": _(
                    "The meeting on %(date)s has not taken place yet. Record the presentation once "
                    "it has been held."
                )
                % {"date": meeting.date.isoformat()}
            }
        )
    twice = InterventionReport.objects.filter(
        intervention=report.intervention, kind=ReportKind.ORAL, meeting=meeting
    ).exclude(pk=report.pk)
    if twice.exists():
        raise ValidationError(
            {
                "meeting": _(
                    "The intervention's presentation at the meeting on %(date)s is already "
                    "recorded for another period."
                )
                % {"date": meeting.date.isoformat()}
            }
        )


@transaction.atomic
def report_transition(
    *,
    report: InterventionReport,
    to: str,
    by,
    comment: str = "",
    meeting: Meeting | None = None,
) -> InterventionReport:
    """Submit, approve or return a report, or mark an oral presentation held at `meeting`, if the
    flow of the report's kind allows it from its stored status. Staff of the intervention (or the
    office) submit; only the office approves, returns or records a presentation. Audited."""
    current = (
        InterventionReport.objects.select_for_update()
        .values_list("status", flat=True)
        .get(pk=report.pk)
    )
    if to not in report_transitions(report)[current]:
        raise InvalidTransition(
            _("A report with status “%(current)s” cannot be given status “%(to)s”.")
            % {"current": ReportStatus(current).label, "to": ReportStatus(to).label}
        )
    report.refresh_from_db()
    association = report.intervention.association
    if to == ReportStatus.HELD:
        allowed, why = check(by, association, "reports.review")
        if not allowed:
            raise PermissionDenied(why)
        _check_presentation_meeting(report, meeting)
        report.meeting = meeting
        report.review_comment = comment.strip()
        report.reviewed_at = timezone.now()
        report.reviewed_by = user_or_none(by)
    elif to == ReportStatus.SUBMITTED:
        _check_report_writer(report, by)
        _raise(_report_submission_errors(report))
        report.submitted_at = timezone.now()
        report.submitted_by = user_or_none(by)
    else:
        allowed, why = check(by, association, "reports.review")
        if not allowed:
            raise PermissionDenied(why)
        if to == ReportStatus.RETURNED and not comment.strip():
            raise ValidationError(
                {"review_comment": _("State what needs to be added to the report.")}
            )
        report.review_comment = comment.strip()
        report.reviewed_at = timezone.now()
        report.reviewed_by = user_or_none(by)
    report.status = to
    report.full_clean()
    report.save()
    after = {"status": to, "comment": report.review_comment}
    if report.meeting_id:
        after["meeting"] = str(report.meeting)
    audit.record(
        event=Event.REPORT_STATUS_CHANGED,
        actor=by,
        target=report,
        association=association,
        before={"status": current},
        after=after,
    )
    return report


def report_submit(*, report: InterventionReport, by) -> InterventionReport:
    return report_transition(report=report, to=ReportStatus.SUBMITTED, by=by)


def report_approve(*, report: InterventionReport, by, comment: str = "") -> InterventionReport:
    return report_transition(report=report, to=ReportStatus.APPROVED, by=by, comment=comment)


def report_return(*, report: InterventionReport, by, comment: str) -> InterventionReport:
    return report_transition(report=report, to=ReportStatus.RETURNED, by=by, comment=comment)


def oral_presentation_held(
    *, report: InterventionReport, meeting: Meeting, by, comment: str = ""
) -> InterventionReport:
    """The office records the board meeting where the intervention presented itself."""
    return report_transition(
        report=report, to=ReportStatus.HELD, by=by, comment=comment, meeting=meeting
    )


# --- e-mail reminders -----------------------------------------------------------------------------

# Reminders go to the intervention's staff and the association's office for open reports (due or
# returned) due within REMINDER_DAYS_AHEAD days: one "due soon" reminder per report and person,
# ever. Once the due date has passed, an "overdue" reminder goes out, and again every
# OVERDUE_REPEAT_DAYS days until the report is submitted. Running the command again the same day
# (or any day within the week) sends nothing twice: ReminderSent remembers what was sent.
REMINDER_DAYS_AHEAD = 14
OVERDUE_REPEAT_DAYS = 7


def reminder_recipients(report: InterventionReport) -> list[Any]:
    """Active users with an e-mail address: the intervention's staff, then the office."""
    from finsam.accounts.models import User
    from finsam.organisation.models import Membership, Role

    office = Membership.objects.filter(
        association=report.intervention.association, role=Role.OFFICE
    ).values("user_id")
    staff = list(report.intervention.staff.filter(is_active=True).exclude(email=""))
    others = User.objects.filter(pk__in=office, is_active=True).exclude(email="")
    seen = {u.pk for u in staff}
    return staff + [u for u in others.order_by("username") if u.pk not in seen]


def _reminder_message(
    report: InterventionReport, recipient, kind: str, today: dt.date, base_url: str
) -> tuple[str, str]:
    from django.urls import reverse

    intervention = report.intervention
    association = intervention.association
    values = {
        "kind": report.get_kind_display(),
        "title": intervention.title,
        "association": association.name,
        "period_end": report.period_end.isoformat(),
        "due": report.due_date.isoformat(),
        "days": (today - report.due_date).days,
        "name": recipient.get_full_name() or recipient.username,
        "url": base_url.rstrip("/")
        + reverse("funding:report_detail", args=[association.slug, report.pk]),
    }
    if report.kind == ReportKind.ORAL:
        return _oral_reminder_message(values, kind)
    if kind == ReminderSent.Kind.OVERDUE:
        subject = _("Overdue report: %(kind)s for %(title)s was due on %(due)s") % values
        status = _("The report is %(days)s days overdue.") % values
        repeat = _(
            "This reminder is sent once a week until the report has been submitted. Contact the "
            "association's office if you need more time."
        )
    else:
        subject = _("Reminder: %(kind)s for %(title)s is due by %(due)s") % values
        status = ""
        repeat = ""
    if report.status == ReportStatus.RETURNED:
        status = (
            status + " " + _("The office has returned the report for additional information.")
        ).strip()
    lines = [
        _("Hello %(name)s,") % values,
        "",
        _(
            "%(kind)s for the intervention %(title)s (%(association)s) covers the period up to and "
            "including %(period_end)s and is due by %(due)s."
        )
        % values,
    ]
    if status:
        lines.append(status)
    lines += [
        "",
        _("Write and submit the report in Finsam:"),
        values["url"],
        "",
        _(
            "You are receiving this message because you are staff in the intervention or work at "
            "the association's office."
        ),
    ]
    if repeat:
        lines.append(repeat)
    lines += ["", _("Kind regards"), _("Finsam, %(association)s") % values]
    return subject, "\n".join(lines) + "\n"


def _oral_reminder_message(values: dict[str, Any], kind: str) -> tuple[str, str]:
    if kind == ReminderSent.Kind.OVERDUE:
        subject = (
            _(
                "Overdue: oral presentation to the board on %(title)s should have been held by "
                "%(due)s"
            )
            % values
        )
    else:
        subject = _("Reminder: oral presentation to the board on %(title)s by %(due)s") % values
    lines = [
        _("Hello %(name)s,") % values,
        "",
        _(
            "The intervention %(title)s (%(association)s) is to be presented orally to the board "
            "by %(due)s."
        )
        % values,
    ]
    if kind == ReminderSent.Kind.OVERDUE:
        lines.append(_("The presentation is %(days)s days overdue.") % values)
    lines += [
        _(
            "The office books the presentation at a board meeting and records it in Finsam once it "
            "has been held:"
        ),
        values["url"],
        "",
        _(
            "You are receiving this message because you are staff in the intervention or work at "
            "the association's office."
        ),
    ]
    if kind == ReminderSent.Kind.OVERDUE:
        lines.append(
            _("The reminder is sent once a week until the presentation is recorded as held.")
        )
    lines += ["", _("Kind regards"), _("Finsam, %(association)s") % values]
    return subject, "\n".join(lines) + "\n"


def reminders_send(
    *,
    today: dt.date,
    days_ahead: int = REMINDER_DAYS_AHEAD,
    base_url: str = "",
    sync: bool = True,
) -> list[ReminderSent]:
    """Send the reminders that are due today and have not been sent. Returns what was sent."""
    from django.core.mail import send_mail
    from django.db import IntegrityError

    if sync:
        for intervention in Intervention.objects.select_related("association"):
            reports_sync(intervention=intervention, by=SYSTEM)
    open_reports = (
        InterventionReport.objects.filter(
            status__in=(ReportStatus.DUE, ReportStatus.RETURNED),
            due_date__lte=today + dt.timedelta(days=days_ahead),
        )
        .select_related("intervention__association")
        .order_by("due_date", "pk")
    )
    sent: list[ReminderSent] = []
    for report in open_reports:
        kind = ReminderSent.Kind.OVERDUE if report.due_date < today else ReminderSent.Kind.DUE_SOON
        earlier = ReminderSent.objects.filter(report=report, kind=kind)
        if kind == ReminderSent.Kind.OVERDUE:
            earlier = earlier.filter(sent_on__gt=today - dt.timedelta(days=OVERDUE_REPEAT_DAYS))
        already = set(earlier.values_list("recipient_id", flat=True))
        for recipient in reminder_recipients(report):
            if recipient.pk in already:
                continue
            subject, body = _reminder_message(report, recipient, kind, today, base_url)
            try:
                with transaction.atomic():
                    row = ReminderSent.objects.create(
                        report=report, recipient=recipient, kind=kind, sent_on=today
                    )
                    # Inside the transaction: a failed send leaves no row, so it is tried again.
                    send_mail(subject, body, None, [recipient.email])
            except IntegrityError:  # another run sent it a moment ago
                continue
            sent.append(row)
    return sent


# --- attachments --------------------------------------------------------------------------------

ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
ATTACHMENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_OOXML_MARKERS = {"docx": b"wordprocessingml", "xlsx": b"spreadsheetml"}


def attachment_type_error(
    name: str, head: bytes, upload, *, types: dict[str, str] = ATTACHMENT_TYPES, kinds_error=None
) -> str | None:
    """Why the file is not an acceptable file of one of `types` (PDF, DOCX or XLSX), or None.
    Checks the extension and the content itself (PDF header; a zip whose [Content_Types].xml
    names the right kind). `kinds_error` says which kinds are accepted when `types` is narrower."""
    import zipfile

    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in types:
        return str(
            kinds_error or _("Only PDF, Word (DOCX) and Excel (XLSX) files can be attached.")
        )
    wrong = _(
        "The file “%(name)s” is not a valid %(kind)s file. Save it as %(kind)s and try again."
    ) % {"name": name, "kind": extension.upper()}
    if extension == "pdf":
        return None if head.startswith(b"%PDF-") else wrong
    if not head.startswith(b"PK"):
        return wrong
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            types_xml = archive.read("[Content_Types].xml")
    except (zipfile.BadZipFile, KeyError, OSError, RuntimeError):
        return wrong
    finally:
        upload.seek(0)
    return None if _OOXML_MARKERS[extension] in types_xml else wrong


def checked_upload(
    upload, *, field: str = "file", types: dict[str, str] = ATTACHMENT_TYPES, kinds_error=None
) -> tuple[str, str]:
    """(file name without any path, content type) of an upload that is not empty, at most
    ATTACHMENT_MAX_BYTES and really one of `types`; else a ValidationError at `field`."""
    name = (getattr(upload, "name", "") or "").replace("\\", "/").rsplit("/", 1)[-1][:255]
    if not upload or not upload.size:
        raise ValidationError({field: _("Choose a file to attach. The file must not be empty.")})
    if upload.size > ATTACHMENT_MAX_BYTES:
        raise ValidationError(
            {
                field: _("The file is %(size)s MB. An attachment may be at most 10 MB.")
                % {"size": f"{upload.size / 1024 / 1024:.1f}".replace(".", ",")}
            }
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    problem = attachment_type_error(name, head, upload, types=types, kinds_error=kinds_error)
    if problem:
        raise ValidationError({field: problem})
    return name, types[name.rsplit(".", 1)[-1].lower()]


@transaction.atomic
def attachment_add(*, application: Application, upload, by) -> ApplicationAttachment:
    """Attach an uploaded file (a Django UploadedFile) to a draft application."""
    allowed, why = can_manage_attachments(by, application)
    if not allowed:
        raise PermissionDenied(why)
    name, content_type = checked_upload(upload)
    attachment = ApplicationAttachment(
        application=application,
        original_name=name,
        content_type=content_type,
        size=upload.size,
        uploaded_by=user_or_none(by),
    )
    attachment.file.save(name, upload, save=False)
    attachment.full_clean()
    attachment.save()
    audit.record(
        event=Event.ATTACHMENT_ADDED,
        actor=by,
        target=attachment,
        association=application.association,
        after={"application": application.pk, "name": name, "size": upload.size},
    )
    return attachment


@transaction.atomic
def attachment_delete(*, attachment: ApplicationAttachment, by) -> None:
    allowed, why = can_manage_attachments(by, attachment.application)
    if not allowed:
        raise PermissionDenied(why)
    audit.record(
        event=Event.ATTACHMENT_DELETED,
        actor=by,
        target=attachment,
        association=attachment.application.association,
        before={"application": attachment.application_id, "name": attachment.original_name},
    )
    stored = attachment.file.name
    attachment.delete()
    transaction.on_commit(lambda: ApplicationAttachment.file.field.storage.delete(stored))


# --- steering group -----------------------------------------------------------------------------

STEERING_MEMBER_FIELDS = ("name", "member", "role")
# Minutes are documents, not spreadsheets.
MINUTES_TYPES = {k: ATTACHMENT_TYPES[k] for k in ("pdf", "docx")}
MINUTES_KINDS_ERROR = gettext_lazy("The minutes must be a PDF or Word (DOCX) file.")
# Minutes are expected this many days after the meeting; older meetings without them are flagged.
MINUTES_DUE_DAYS = 30


def _require_steering_manager(intervention: Intervention, by) -> None:
    if is_system(by):  # the system (demo loader, tests building state)
        return
    allowed, why = can_manage_steering_group(by, intervention)
    if not allowed:
        raise PermissionDenied(why)


def _check_steering_person(intervention: Intervention, data: dict[str, Any]) -> None:
    member = data.get("member")
    if member is not None and member.association_id != intervention.association_id:
        raise ValidationError({"member": _("The organisation does not belong to the association.")})
    if not (data.get("name") or "").strip() and member is None and not (data.get("role") or ""):
        raise ValidationError({"name": _("Enter a name, organisation or role.")})


def _person_snapshot(person: SteeringGroupMember) -> dict[str, Any]:
    data = audit.snapshot(person, exclude=("application", "sort_order"))
    data["member"] = str(person.member) if person.member_id else None
    return data


@transaction.atomic
def steering_member_create(
    *, intervention: Intervention, by, name: str = "", member: Member | None = None, role: str = ""
) -> SteeringGroupMember:
    _require_steering_manager(intervention, by)
    data = {"name": name.strip(), "member": member, "role": role.strip()}
    _check_steering_person(intervention, data)
    last = intervention.steering_group.order_by("-sort_order").first()
    person = SteeringGroupMember(
        intervention=intervention, sort_order=(last.sort_order + 1) if last else 0, **data
    )
    person.full_clean()
    person.save()
    audit.record(
        event=Event.STEERING_MEMBER_CREATED,
        actor=by,
        target=person,
        association=intervention.association,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def steering_member_update(
    *, person: SteeringGroupMember, data: dict[str, Any], by
) -> SteeringGroupMember:
    intervention = person.intervention
    _require_steering_manager(intervention, by)
    cleaned = {k: data[k] for k in STEERING_MEMBER_FIELDS if k in data}
    for key in ("name", "role"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    _check_steering_person(
        intervention, {**{k: getattr(person, k) for k in ("name", "member", "role")}, **cleaned}
    )
    before = _person_snapshot(person)
    for key, value in cleaned.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    audit.record(
        event=Event.STEERING_MEMBER_UPDATED,
        actor=by,
        target=person,
        association=intervention.association,
        before=before,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def steering_member_delete(*, person: SteeringGroupMember, by) -> None:
    intervention = person.intervention
    _require_steering_manager(intervention, by)
    audit.record(
        event=Event.STEERING_MEMBER_DELETED,
        actor=by,
        target=person,
        association=intervention.association,
        before=_person_snapshot(person),
    )
    person.delete()


def _meeting_snapshot(meeting: SteeringGroupMeeting) -> dict[str, Any]:
    return audit.snapshot(
        meeting, exclude=("minutes", "minutes_uploaded_by", "created_by", "minutes_content_type")
    )


def _check_meeting_date(intervention: Intervention, meeting: SteeringGroupMeeting) -> None:
    day = meeting.date
    start, end = intervention.period_start, intervention.period_end
    if day < start or (end is not None and day > end):
        raise ValidationError(
            {
                "date": _(
                    "The meeting must fall within the intervention's period (%(start)s – %(end)s). "
                    "Check the date."
                )
                % {
                    "start": f"{start:%Y-%m-%d}",
                    "end": f"{end:%Y-%m-%d}" if end else _("until further notice"),
                }
            }
        )
    clash = SteeringGroupMeeting.objects.filter(intervention=intervention, date=day)
    if meeting.pk:
        clash = clash.exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError(
            {
                "date": _("The steering group already has a meeting on %(date)s.")
                % {"date": f"{day:%Y-%m-%d}"}
            }
        )


def _attach_minutes(meeting: SteeringGroupMeeting, upload, *, by, today: dt.date) -> str | None:
    """Store the minutes on the (unsaved) meeting; returns the file they replace, if any."""
    if meeting.date > today:
        raise ValidationError(
            {"minutes": _("Minutes can only be uploaded once the meeting has been held.")}
        )
    name, content_type = checked_upload(
        upload, field="minutes", types=MINUTES_TYPES, kinds_error=MINUTES_KINDS_ERROR
    )
    replaced = meeting.minutes.name or None
    meeting.minutes.save(name, upload, save=False)
    meeting.minutes_name = name
    meeting.minutes_content_type = content_type
    meeting.minutes_size = upload.size
    meeting.minutes_uploaded_by = user_or_none(by)
    meeting.minutes_uploaded_at = timezone.now()
    return replaced


def _forget_minutes(meeting: SteeringGroupMeeting) -> str | None:
    stored = meeting.minutes.name or None
    meeting.minutes = ""
    meeting.minutes_name = meeting.minutes_content_type = ""
    meeting.minutes_size = meeting.minutes_uploaded_by = meeting.minutes_uploaded_at = None
    return stored


def _delete_stored(name: str | None) -> None:
    # After the commit: a rolled-back change must not lose the file it still points to.
    if name:
        storage = SteeringGroupMeeting.minutes.field.storage
        transaction.on_commit(lambda: storage.delete(name))


def _minutes_audit(meeting: SteeringGroupMeeting, event: Event, by, **extra: Any) -> None:
    audit.record(
        event=event,
        actor=by,
        target=meeting,
        association=meeting.intervention.association,
        **extra,
    )


@transaction.atomic
def steering_meeting_create(
    *,
    intervention: Intervention,
    date: dt.date,
    by,
    notes: str = "",
    minutes=None,
    today: dt.date | None = None,
) -> SteeringGroupMeeting:
    """A meeting of the steering group, with its minutes (a PDF or DOCX upload) if written."""
    _require_steering_manager(intervention, by)
    meeting = SteeringGroupMeeting(
        intervention=intervention,
        date=date,
        notes=notes.strip(),
        created_by=user_or_none(by),
    )
    _check_meeting_date(intervention, meeting)
    if minutes:
        _attach_minutes(meeting, minutes, by=by, today=today or timezone.localdate())
    meeting.full_clean()
    meeting.save()
    _minutes_audit(meeting, Event.STEERING_MEETING_CREATED, by, after=_meeting_snapshot(meeting))
    return meeting


@transaction.atomic
def steering_meeting_update(
    *,
    meeting: SteeringGroupMeeting,
    data: dict[str, Any],
    by,
    minutes=None,
    remove_minutes: bool = False,
    today: dt.date | None = None,
) -> SteeringGroupMeeting:
    """Change date and notes; upload minutes (replacing any earlier file) or remove them."""
    intervention = meeting.intervention
    _require_steering_manager(intervention, by)
    today = today or timezone.localdate()
    before = _meeting_snapshot(meeting)
    if "date" in data:
        meeting.date = data["date"]
    if "notes" in data:
        meeting.notes = (data["notes"] or "").strip()
    _check_meeting_date(intervention, meeting)
    old_file = None
    if minutes:
        old_file = _attach_minutes(meeting, minutes, by=by, today=today)
    elif remove_minutes and meeting.minutes:
        old_file = _forget_minutes(meeting)
    elif meeting.minutes and meeting.date > today:
        raise ValidationError(
            {"date": _("The meeting has minutes and cannot be moved to a future date.")}
        )
    meeting.full_clean()
    meeting.save()
    _minutes_audit(
        meeting,
        Event.STEERING_MEETING_UPDATED,
        by,
        before=before,
        after=_meeting_snapshot(meeting),
    )
    if minutes:
        _minutes_audit(
            meeting,
            Event.STEERING_MINUTES_ADDED,
            by,
            before={"name": before["minutes_name"]} if old_file else None,
            after={"name": meeting.minutes_name, "size": meeting.minutes_size},
        )
    elif old_file:
        _minutes_audit(
            meeting, Event.STEERING_MINUTES_DELETED, by, before={"name": before["minutes_name"]}
        )
    _delete_stored(old_file)
    return meeting


@transaction.atomic
def steering_meeting_delete(*, meeting: SteeringGroupMeeting, by) -> None:
    _require_steering_manager(meeting.intervention, by)
    _minutes_audit(meeting, Event.STEERING_MEETING_DELETED, by, before=_meeting_snapshot(meeting))
    stored = meeting.minutes.name or None
    meeting.delete()
    _delete_stored(stored)


@transaction.atomic
def steering_minutes_downloaded(*, meeting: SteeringGroupMeeting, by) -> None:
    """Audit one read of a meeting's minutes (the view has checked that `by` may read them)."""
    _minutes_audit(
        meeting, Event.STEERING_MINUTES_DOWNLOADED, by, after={"name": meeting.minutes_name}
    )


# The follow-up rule: how many meetings a steering group should hold and whether it did.


def stated_steering_meetings(intervention: Intervention) -> int | None:
    """The number of meetings per year the intervention states itself, the lower bound of a
    range ("3–4" -> 3), or None when it states none (or only words)."""
    found = re.match(r"\s*(\d{1,2})", intervention.steering_meetings_per_year or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class SteeringYear:
    year: int
    expected: int
    held: int
    with_minutes: int
    planned: int
    is_over: bool

    @property
    def behind(self) -> bool:
        return self.is_over and self.held < self.expected


@dataclass(frozen=True)
class SteeringFollowUp:
    per_year: int
    stated: bool  # per_year is the intervention's own number, not the association's default
    years: list[SteeringYear]
    minutes_missing: int  # meetings more than MINUTES_DUE_DAYS ago without minutes

    @property
    def has_no_steering_group(self) -> bool:
        """The intervention states 0 meetings: nothing is expected of it (a yearly event run by
        one member, say)."""
        return self.stated and self.per_year == 0

    def behind_since(self, year: int) -> list[SteeringYear]:
        return [y for y in self.years if y.behind and y.year >= year]


def _year_share(year: int, start: dt.date, end: dt.date | None) -> tuple[int, dt.date]:
    """(days of `year` inside the period, the last of those days)."""
    first = max(start, dt.date(year, 1, 1))
    last = min(end or dt.date(year, 12, 31), dt.date(year, 12, 31))
    return (last - first).days + 1, last


def steering_follow_up(
    intervention: Intervention,
    *,
    counts: dict[int, dict[str, int]],
    default: int,
    today: dt.date,
) -> SteeringFollowUp:
    """Per year of the period up to this year: meetings expected, held (up to today), with minutes
    and still planned. `counts` is {year: {"held", "with_minutes", "planned", "minutes_missing"}}
    (selectors.steering_meeting_counts). A year that covers only part of the period expects its
    share of the meetings, rounded down; a year counts as over once its last day in the period
    has passed, so the current year is never behind before it ends."""
    stated = stated_steering_meetings(intervention)
    per_year = default if stated is None else stated
    years = []
    start, end = intervention.period_start, intervention.period_end
    last_year = min(today.year, end.year) if end else today.year
    for year in range(start.year, last_year + 1):
        days, last_day = _year_share(year, start, end)
        year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        row = counts.get(year, {})
        years.append(
            SteeringYear(
                year=year,
                expected=per_year * days // year_days,
                held=row.get("held", 0),
                with_minutes=row.get("with_minutes", 0),
                planned=row.get("planned", 0),
                is_over=last_day < today,
            )
        )
    missing = sum(row.get("minutes_missing", 0) for row in counts.values())
    return SteeringFollowUp(
        per_year=per_year, stated=stated is not None, years=years, minutes_missing=missing
    )
