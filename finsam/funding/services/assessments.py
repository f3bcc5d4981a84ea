"""The assessment of submitted applications by the office and the advisory group, its summary,
and putting an assessed application on the board's agenda."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.money import ZERO
from finsam.funding.models import Application, Assessment, AssessmentCriterion
from finsam.funding.services._common import _raise, _require
from finsam.funding.transitions import InvalidTransition, Status, application_transition
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import Association, Meeting, Membership, Role
from finsam.organisation.services import agenda_item_create


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
