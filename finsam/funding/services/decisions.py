"""Board decisions and what they do: a decision on an application (creating or extending the
intervention and its grants), an early end, a change decision, and the import of interventions
decided before Finsam."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import user_or_none
from finsam.core.money import ZERO, format_sek
from finsam.funding.models import (
    APPROVED_OUTCOMES,
    DESCRIPTION_FIELDS,
    Application,
    Call,
    Decision,
    DecisionAmount,
    Grant,
    Intervention,
    InterventionGoal,
    InterventionKindShare,
    Requisition,
    SteeringGroupMember,
)
from finsam.funding.rules import (
    call_change_pot_error,
    call_pot_error,
    kind_shares_error,
    year_committed,
    year_totals,
)
from finsam.funding.services._common import _check_description, _period_years, _raise, _require
from finsam.funding.services.assessments import _check_board_meeting, _put_on_agenda
from finsam.funding.services.reports import reports_sync
from finsam.funding.services.settings import TERM_NAMES, _decision_terms, intervention_terms
from finsam.funding.transitions import (
    DECIDABLE_STATUSES,
    InvalidTransition,
    RequisitionStatus,
    Status,
    application_transition,
)
from finsam.organisation import audit
from finsam.organisation.audit import Event, audited_update
from finsam.organisation.models import Association, Meeting, Member
from finsam.organisation.services import agenda_item_create


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
            problem = call_pot_error(call, sum(amounts.values(), ZERO))
            if problem:
                errors["amounts"] = [problem]
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
    used = Requisition.objects.filter(
        grant__in=later, status__in=(Requisition.Status.APPROVED, Requisition.Status.PAID)
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
        _withdraw_grant(grant, decision, by=by)
        _reject_requested(grant, by)
    _intervention_set_end(intervention, ends_on, by=by)
    reports_sync(intervention=intervention, by=by)
    return decision


def _reject_requested(grant: Grant, by) -> None:
    """Requests on money that no longer exists are rejected, one audit row each."""
    for requisition in grant.requisitions.filter(status=RequisitionStatus.REQUESTED):
        requisition.status = RequisitionStatus.REJECTED
        requisition.decided_by = user_or_none(by)
        requisition.save(update_fields=["status", "decided_by"])
        audit.record(
            event=Event.REQUISITION_STATUS_CHANGED,
            actor=by,
            target=requisition,
            association=grant.intervention.association,
            before={"status": RequisitionStatus.REQUESTED},
            after={"status": RequisitionStatus.REJECTED},
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
    old_end = intervention.period_end
    end_changed = period_end is not None and period_end != old_end
    new_end = period_end if period_end is not None else old_end
    _check_change_end(intervention, period_end, errors)
    current = year_totals(intervention)
    committed = year_committed(intervention)
    changes = _changed_years(intervention, amounts, new_end, current, committed, errors)
    if end_changed and new_end is not None and "period_end" not in errors:
        _withdraw_after_end(new_end, current, committed, changes, errors)
    in_force = intervention_terms(intervention)
    new_terms = {
        **in_force,
        **{k: v for k, v in (terms or {}).items() if k in TERM_NAMES and v is not None},
    }
    conditions, motivation = conditions.strip(), motivation.strip()
    if changes and not errors:
        _check_change_pot(intervention, changes, errors)
    _raise(errors)
    if not (changes or end_changed or new_terms != in_force or conditions):
        raise ValidationError(
            _(
                "The decision changes nothing. Enter a new amount for a year, a new end date, "
                "conditions or changed reporting."
            )
        )
    decision = _change_decision_create(
        intervention,
        meeting,
        paragraph,
        changes,
        by=by,
        conditions=conditions,
        motivation=motivation,
        ends_on=period_end if end_changed else None,
        previous_end=old_end if end_changed else None,
        terms=new_terms,
    )
    for year, (_old, new) in sorted(changes.items()):
        _regrant_year(intervention, year, new, decision, by=by)
    if end_changed:
        _intervention_set_end(intervention, period_end, by=by)
    reports_sync(intervention=intervention, by=by)
    return decision


# The steps of a change decision, in the order `intervention_change` takes them. The checks add
# to `errors` (form field -> messages) so that the user sees every problem at once.


def _check_change_end(
    intervention: Intervention, period_end: dt.date | None, errors: dict[str, list[str]]
) -> None:
    start = intervention.period_start
    if period_end is not None and period_end < start:
        errors["period_end"] = [
            _("The intervention cannot end before it has started (%(start)s).")
            % {"start": start.isoformat()}
        ]


def _changed_years(
    intervention: Intervention,
    amounts: dict[int, Decimal],
    new_end: dt.date | None,
    current: dict[int, Decimal],
    committed: dict[int, Decimal],
    errors: dict[str, list[str]],
) -> dict[int, tuple[Decimal, Decimal]]:
    """The years whose granted total the decision changes: year -> (old total, new total). A new
    total may not be negative, fall outside the period, or go below what is approved or paid."""
    start = intervention.period_start
    changes: dict[int, tuple[Decimal, Decimal]] = {}
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
    return changes


def _withdraw_after_end(
    new_end: dt.date,
    current: dict[int, Decimal],
    committed: dict[int, Decimal],
    changes: dict[int, tuple[Decimal, Decimal]],
    errors: dict[str, list[str]],
) -> None:
    """An earlier end withdraws the later years, as an early end does: they join `changes` with
    a new total of 0, unless money of theirs is approved or paid."""
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


def _check_change_pot(
    intervention: Intervention,
    changes: dict[int, tuple[Decimal, Decimal]],
    errors: dict[str, list[str]],
) -> None:
    """An intervention that came from a call may not take the call past its pot (locked)."""
    call = intervention.application.call if intervention.application_id else None
    if call is None:
        return
    Call.objects.select_for_update().filter(pk=call.pk).exists()
    problem = call_change_pot_error(call, intervention, changes)
    if problem:
        errors["amounts"] = [problem]


def _change_decision_create(
    intervention: Intervention,
    meeting: Meeting,
    paragraph: str,
    changes: dict[int, tuple[Decimal, Decimal]],
    *,
    by,
    conditions: str,
    motivation: str,
    ends_on: dt.date | None,
    previous_end: dt.date | None,
    terms: dict[str, Any],
) -> Decision:
    """The change decision, its agenda item and its amounts (new and previous total per year)."""
    decision = Decision(
        association=intervention.association,
        kind=Decision.Kind.CHANGE,
        intervention=intervention,
        meeting=meeting,
        paragraph=paragraph,
        outcome=Decision.Outcome.APPROVED,
        conditions=conditions,
        motivation=motivation,
        ends_on=ends_on,
        previous_end=previous_end,
        recorded_by=user_or_none(by),
        **terms,
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
    return decision


def _regrant_year(
    intervention: Intervention, year: int, new: Decimal, decision: Decision, *, by
) -> None:
    """Withdraw the year's active grants by `decision` and grant the new total (if any) by it;
    the payments move to the new grant, or are rejected while only requested if there is none."""
    replaced_grants = list(
        Grant.objects.select_for_update().filter(
            intervention=intervention, year=year, withdrawn_by__isnull=True
        )
    )
    new_grant = (
        _grant_create(intervention=intervention, year=year, amount=new, decision=decision, by=by)
        if new > 0
        else None
    )
    for grant in replaced_grants:
        _withdraw_grant(grant, decision, by=by)
        if new_grant is None:
            _reject_requested(grant, by)
            continue
        for requisition in grant.requisitions.all():
            requisition.grant = new_grant
            requisition.save(update_fields=["grant"])
            audit.record(
                event=Event.REQUISITION_MOVED,
                actor=by,
                target=requisition,
                association=intervention.association,
                before={"grant": grant.pk},
                after={"grant": new_grant.pk},
            )


def _withdraw_grant(grant: Grant, decision: Decision, *, by) -> None:
    """Mark the grant withdrawn by `decision`: kept, no longer counted."""
    grant.withdrawn_by = decision
    grant.save(update_fields=["withdrawn_by"])
    audit.record(
        event=Event.GRANT_WITHDRAWN,
        actor=by,
        target=grant,
        association=decision.association,
        before={"withdrawn_by": None},
        after={"withdrawn_by": decision.pk},
    )


def _intervention_set_end(intervention: Intervention, period_end: dt.date | None, *, by) -> None:
    """A decision moves the intervention's end: the one field a decision changes, audited."""
    audited_update(
        intervention,
        {"period_end": period_end},
        fields=["period_end"],
        by=by,
        event=Event.INTERVENTION_UPDATED,
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
