"""E-mail reminders about reports that are due soon or overdue."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.core.actors import SYSTEM
from finsam.funding.models import Intervention, InterventionReport, ReminderSent, ReportKind
from finsam.funding.services.reports import reports_sync
from finsam.funding.transitions import ReportStatus
from finsam.organisation.models import Membership, Role

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
        + reverse("reporting:report_detail", args=[association.slug, report.pk]),
    }
    if report.kind == ReportKind.ORAL:
        return _oral_reminder_message(values, kind)
    if kind == ReminderSent.Kind.OVERDUE:
        subject = _("Overdue report: %(kind)s for %(title)s was due on %(due)s") % values
        status = (
            ngettext(
                "The report is %(days)s day overdue.",
                "The report is %(days)s days overdue.",
                values["days"],
            )
            % values
        )
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
        lines.append(
            ngettext(
                "The presentation is %(days)s day overdue.",
                "The presentation is %(days)s days overdue.",
                values["days"],
            )
            % values
        )
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
