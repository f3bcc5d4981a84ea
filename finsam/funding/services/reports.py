"""Status reports and oral presentations: the reporting duties an intervention's grants call for,
writing, submitting, approving and returning reports, and recording presentations held."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.actors import user_or_none
from finsam.funding.models import Intervention, InterventionReport, ReportGoalAttainment, ReportKind
from finsam.funding.permissions import can_write_report
from finsam.funding.services._common import _raise
from finsam.funding.services.settings import _latest_change, _terms_for_grant, funding_settings_for
from finsam.funding.transitions import ReportStatus, check_report_move
from finsam.organisation import audit
from finsam.organisation.access import check
from finsam.organisation.audit import Event
from finsam.organisation.models import Meeting


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


# A report covers the period up to its date in the reporting terms (delårsrapport per 06-30) and
# is due this many days later (2021-06-30 -> 2021-07-30).
REPORT_DAYS_TO_SUBMIT = 30


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
    check_report_move(report, current, to)
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
