"""Requisitions (rekvisitioner, the `Payment` model): request, approve/reject/pay, payment plans.
The money rule is in `finsam.funding.rules`, the status flow in `finsam.funding.transitions`."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_FLOOR, Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from finsam.core.actors import is_system, user_or_none
from finsam.core.money import ZERO, split_whole_kronor
from finsam.funding.models import Grant, Requisition
from finsam.funding.permissions import can_decide_requisition, can_request_requisition
from finsam.funding.rules import approval_error, grant_committed, requisition_limit_error
from finsam.funding.services._common import _require
from finsam.funding.transitions import RequisitionStatus, check_requisition_move
from finsam.organisation import audit
from finsam.organisation.audit import Event


@transaction.atomic
def requisition_request(
    *,
    grant: Grant,
    amount: Decimal,
    date: dt.date,
    by,
    kind: str = Requisition.Kind.REQUISITION,
    actual_costs: Decimal | None = None,
    note: str = "",
) -> Requisition:
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("intervention")
        .get(pk=grant.pk)
    )
    if not is_system(by):
        allowed, why = can_request_requisition(by, grant.intervention)
        if not allowed:
            raise PermissionDenied(why)
    if grant.withdrawn_by_id:
        raise ValidationError(
            {"amount": _("The funds for %(year)s have been withdrawn.") % {"year": grant.year}}
        )
    if amount is None or amount <= 0:
        raise ValidationError({"amount": _("The amount must be greater than 0 kr.")})
    problem = requisition_limit_error(grant, grant_committed(grant), amount)
    if problem:
        raise ValidationError({"amount": problem})
    requisition = Requisition(
        grant=grant,
        amount=amount,
        date=date,
        kind=kind,
        actual_costs=actual_costs,
        note=note,
        requested_by=user_or_none(by),
    )
    requisition.full_clean()
    requisition.save()
    audit.record(
        event=Event.REQUISITION_REQUESTED,
        actor=by,
        target=requisition,
        association=grant.intervention.association,
        after=audit.snapshot(requisition, exclude=("requested_by", "decided_by")),
    )
    return requisition


@transaction.atomic
def requisition_transition(*, requisition: Requisition, to: str, by) -> Requisition:
    """Approve, reject or mark as paid: the office's and the economist's, never an approval of
    one's own request. Approval checks the grant's limit under a row lock."""
    grant = Grant.objects.select_for_update().get(pk=requisition.grant_id)
    stored = (
        Requisition.objects.select_for_update(of=("self",))
        .select_related("grant__intervention__association")
        .get(pk=requisition.pk)
    )
    current = stored.status
    if not is_system(by):
        allowed, why = can_decide_requisition(by, stored, to)
        if not allowed:
            raise PermissionDenied(why)
    check_requisition_move(current, to)
    if to == RequisitionStatus.APPROVED:
        problem = approval_error(
            grant, grant_committed(grant, exclude=requisition), requisition.amount
        )
        if problem:
            raise ValidationError(problem)
    requisition.status = to
    if to in (RequisitionStatus.APPROVED, RequisitionStatus.REJECTED):
        requisition.decided_by = user_or_none(by)
    requisition.full_clean()
    requisition.save(update_fields=["status", "decided_by"])
    audit.record(
        event=Event.REQUISITION_STATUS_CHANGED,
        actor=by,
        target=requisition,
        association=grant.intervention.association,
        before={"status": current},
        after={"status": to},
    )
    return requisition


@transaction.atomic
def payment_plan_create(
    *, grant: Grant, instalments: int, first_date: dt.date, by, months_between: int = 3
) -> list[Requisition]:
    """Planned payments for what is left of a grant, split in whole kronor (remainder first)."""
    grant = (
        Grant.objects.select_for_update(of=("self",))
        .select_related("intervention")
        .get(pk=grant.pk)
    )
    _require(by, grant.intervention.association, "requisitions.approve")
    if not 1 <= instalments <= 12:
        raise ValidationError({"instalments": _("Enter between 1 and 12 payments.")})
    planned = Requisition.objects.filter(grant=grant).exclude(status=RequisitionStatus.REJECTED)
    left = grant.amount - planned.aggregate(total=Coalesce(Sum("amount"), Value(ZERO)))["total"]
    whole = left.to_integral_value(rounding=ROUND_FLOOR)
    if whole < instalments:
        raise ValidationError({"instalments": _("There are no funds left to plan payments for.")})
    parts = split_whole_kronor(whole, [(i, Decimal(1)) for i in range(instalments)])
    requisitions = []
    for i, part in enumerate(parts):
        month_index = first_date.month - 1 + i * months_between
        year, month = first_date.year + month_index // 12, month_index % 12 + 1
        day = min(first_date.day, 28)
        requisitions.append(
            requisition_request(
                grant=grant,
                amount=part.amount,
                date=dt.date(year, month, day),
                kind=Requisition.Kind.PLAN,
                by=by,
            )
        )
    return requisitions
