"""Applications (ansökningar): create, change, submit, return, withdraw. After submission every
change is kept as a version."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import is_system, user_or_none
from finsam.core.money import ZERO
from finsam.funding.models import (
    DESCRIPTION_FIELDS,
    Application,
    ApplicationBudgetLine,
    ApplicationGoal,
    ApplicationKindShare,
    ApplicationVersion,
    Call,
    SteeringGroupMember,
)
from finsam.funding.permissions import can_apply_for, can_edit_application
from finsam.funding.rules import kind_shares_error
from finsam.funding.services._common import _check_description, _period_years, _raise
from finsam.funding.services.interventions import goal_measure_problem
from finsam.funding.transitions import InvalidTransition, Status, application_transition
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import Association, Member


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
