"""A running intervention: its staff, how its goals are measured, and its money per year."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from finsam.core.money import ZERO, plain_number
from finsam.funding.models import GoalMeasure, Grant, Intervention, InterventionGoal, Requisition
from finsam.funding.services._common import _require
from finsam.funding.transitions import RequisitionStatus
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import Membership, Role


@transaction.atomic
def intervention_staff_set(*, intervention: Intervention, users: list[Any], by) -> Intervention:

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


@dataclass(frozen=True)
class GrantYear:
    year: int
    granted: Decimal
    requested: Decimal
    approved: Decimal
    paid: Decimal
    # External money beside the grant (services.cofinancing.financing_years fills it in).
    co_financing: Decimal = ZERO

    @property
    def total_financing(self) -> Decimal:
        """The association's grant and the external co-financing together."""
        return self.granted + self.co_financing

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
    requisitions = (
        Requisition.objects.filter(
            grant__intervention=intervention, grant__withdrawn_by__isnull=True
        )
        .values("grant__year")
        .annotate(
            requested=Coalesce(Sum("amount", filter=Q(status=RequisitionStatus.REQUESTED)), zero),
            approved=Coalesce(Sum("amount", filter=Q(status=RequisitionStatus.APPROVED)), zero),
            paid=Coalesce(Sum("amount", filter=Q(status=RequisitionStatus.PAID)), zero),
        )
    )
    by_year = {p["grant__year"]: p for p in requisitions}
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
