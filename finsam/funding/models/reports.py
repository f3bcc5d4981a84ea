"""Status reports and oral presentations an intervention owes, its goal results, and the
reminders sent about them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from finsam.funding.models._common import MONEY
from finsam.funding.models.interventions import Intervention, InterventionGoal
from finsam.funding.models.terms import ReportKind


class InterventionReport(models.Model):
    """A status report the intervention owes the board for a period (delårs- or årsrapport).

    Created as a duty from the decision's reporting terms; written by the intervention's staff
    (or the office), reviewed by the office. Status changes only through
    `services.report_transition`.
    """

    class Status(models.TextChoices):
        DUE = "due", _("Due")
        SUBMITTED = "submitted", pgettext_lazy("report", "Submitted")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned for additional information")
        # An oral presentation (ReportKind.ORAL) that has been held at a board meeting.
        HELD = "held", _("Held")

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="reports",
        verbose_name=_("intervention"),
    )
    meeting = models.ForeignKey(
        "organisation.Meeting",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("board meeting"),
        help_text=_("Where the oral presentation was held."),
    )
    kind = models.CharField(_("type of report"), max_length=8, choices=ReportKind.choices)
    period_end = models.DateField(_("report covers the period up to and including"))
    due_date = models.DateField(_("due by"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DUE
    )
    what_happened = models.TextField(_("what has happened during the period"), blank=True)
    outcome = models.TextField(_("results so far"), blank=True)
    forecast = models.DecimalField(
        _("forecast for the year (kr)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Estimated costs for the whole year."),
        **MONEY,
    )
    deviations = models.TextField(_("deviations and why"), blank=True)
    review_comment = models.TextField(_("office's comment"), blank=True)
    submitted_at = models.DateTimeField(pgettext_lazy("report", "submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["due_date", "intervention__title", "kind"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "kind", "period_end"], name="unique_report_per_period"
            ),
            models.CheckConstraint(
                condition=models.Q(due_date__gte=models.F("period_end")),
                name="report_due_after_period",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="held")
                | models.Q(kind=ReportKind.ORAL, meeting__isnull=False),
                name="report_held_is_oral_at_a_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period_end:%Y-%m-%d} – {self.intervention}"

    @property
    def association(self):
        return self.intervention.association

    @property
    def is_open(self) -> bool:
        """Still to be written (or held): due or returned for completion."""
        return self.status in (self.Status.DUE, self.Status.RETURNED)

    @property
    def is_oral(self) -> bool:
        return self.kind == ReportKind.ORAL

    def state_on(self, day: dt.date) -> str:
        """The dashboard's state: the status, or "overdue" for an open report past its due date."""
        if self.is_open and self.due_date < day:
            return REPORT_OVERDUE
        return self.status


REPORT_OVERDUE = "overdue"


REPORT_STATES = [
    (InterventionReport.Status.DUE.value, _("Due")),
    (REPORT_OVERDUE, _("Overdue")),
    (InterventionReport.Status.RETURNED.value, _("Returned for additional information")),
    (InterventionReport.Status.SUBMITTED.value, pgettext_lazy("report", "Submitted")),
    (InterventionReport.Status.APPROVED.value, _("Approved")),
    (InterventionReport.Status.HELD.value, _("Held")),
]


class ReportGoalAttainment(models.Model):
    """How far the intervention has come towards one of its goals, as stated in a report."""

    report = models.ForeignKey(
        InterventionReport, on_delete=models.CASCADE, related_name="attainments"
    )
    goal = models.ForeignKey(
        InterventionGoal,
        on_delete=models.CASCADE,
        related_name="attainments",
        verbose_name=_("goal"),
    )
    value = models.CharField(
        _("result"), max_length=200, blank=True, help_text=_("E.g. 22 cases so far this year.")
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["report", "goal__sort_order", "goal_id"]
        constraints = [
            models.UniqueConstraint(fields=["report", "goal"], name="unique_attainment_per_goal"),
        ]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value}"


class ReminderSent(models.Model):
    """One e-mail reminder about a report to one person on one day: what makes reminders
    idempotent (see services.reminders_send for when a reminder is repeated)."""

    class Kind(models.TextChoices):
        DUE_SOON = "due_soon", _("Due soon")
        OVERDUE = "overdue", _("Overdue")

    report = models.ForeignKey(
        InterventionReport, on_delete=models.CASCADE, related_name="reminders"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=8, choices=Kind.choices)
    sent_on = models.DateField(_("sent"))

    class Meta:
        ordering = ["-sent_on", "id"]
        verbose_name = _("reminder sent")
        verbose_name_plural = _("reminders sent")
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient", "kind", "sent_on"], name="unique_reminder_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.report} → {self.recipient} ({self.kind}, {self.sent_on:%Y-%m-%d})"
