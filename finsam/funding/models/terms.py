"""Reporting terms (when an intervention reports), the association's funding settings, and the
kinds of intervention and report."""

from __future__ import annotations

import datetime as dt

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class InterventionKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual-focused")
    STRUCTURAL = "structural", _("Structural")
    PROCESS_SUPPORT = "process_support", _("Process support")
    COLLABORATION_SUPPORT = "collaboration_support", _("Collaboration support")


class ReportKind(models.TextChoices):
    INTERIM = "interim", _("Interim report")
    ANNUAL = "annual", _("Annual report")
    # Not written: the intervention presents itself to the board, and the office records at which
    # board meeting it happened.
    ORAL = "oral", _("Oral presentation")


class ReportingTerms(models.Model):
    """When an intervention reports to the board: the association's defaults, copied to a decision.

    Dates are a month and day repeated every year of the grant (interim per 06-30, annual per 12-31).
    Some associations ask for a full-year report only (`annual_report_only`): then no interim
    report is due, whatever its date says.
    """

    annual_report_only = models.BooleanField(
        _("annual report only"),
        default=False,
        help_text=_("No interim report: the intervention reports once a year."),
    )
    interim_report_month = models.PositiveSmallIntegerField(
        _("interim report as at (month)"),
        default=6,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    interim_report_day = models.PositiveSmallIntegerField(
        _("interim report as at (day)"),
        default=30,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    annual_report_month = models.PositiveSmallIntegerField(
        _("annual report as at (month)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    annual_report_day = models.PositiveSmallIntegerField(
        _("annual report as at (day)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    oral_presentations_per_year = models.PositiveSmallIntegerField(
        _("oral presentations to the board per year"),
        default=1,
        validators=[MaxValueValidator(12)],
    )
    oral_presentation_month = models.PositiveSmallIntegerField(
        _("oral presentation by (month)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    oral_presentation_day = models.PositiveSmallIntegerField(
        _("oral presentation by (day)"),
        default=31,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
        help_text=_(
            "With several presentations a year this is the last one; the others are spread evenly "
            "over the year before it."
        ),
    )

    class Meta:
        abstract = True

    def report_dates(self, year: int) -> list[tuple[str, dt.date]]:
        """[(label, due date)] for one year. Invalid days fall back to the month's last day."""
        periods = [*self.report_periods(year), *self.oral_periods(year)]
        return [(str(ReportKind(kind).label), day) for kind, day in periods]

    def oral_periods(self, year: int) -> list[tuple[str, dt.date]]:
        """[(ReportKind.ORAL, the day the presentation is due)] for one year: the last on the
        stated month and day, the others spread evenly over the months before it."""
        n = self.oral_presentations_per_year or 0
        if n <= 0:
            return []
        step = 12 // n
        months = {(self.oral_presentation_month - 1 - i * step) % 12 + 1 for i in range(n)}
        return [
            (ReportKind.ORAL, _safe_date(year, month, self.oral_presentation_day))
            for month in sorted(months)
        ]

    def report_periods(self, year: int) -> list[tuple[str, dt.date]]:
        """[(ReportKind, the day the report covers up to)] for one year."""
        annual = (
            ReportKind.ANNUAL,
            _safe_date(year, self.annual_report_month, self.annual_report_day),
        )
        if self.annual_report_only:
            return [annual]
        interim = (
            ReportKind.INTERIM,
            _safe_date(year, self.interim_report_month, self.interim_report_day),
        )
        return [interim, annual]


def _safe_date(year: int, month: int, day: int) -> dt.date:
    while day > 28:
        try:
            return dt.date(year, month, day)
        except ValueError:
            day -= 1
    return dt.date(year, month, day)


class FundingSettings(ReportingTerms):
    """Per-association defaults for decisions (reporting duties) and follow-up."""

    association = models.OneToOneField(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="funding_settings",
        verbose_name=_("association"),
    )
    steering_meetings_expected = models.PositiveSmallIntegerField(
        _("steering group meetings per year"),
        default=3,
        validators=[MaxValueValidator(12)],
        help_text=_(
            "How many meetings an intervention's steering group is expected to hold per year, "
            "unless the intervention states a number itself."
        ),
    )

    class Meta:
        verbose_name = _("funding settings")
        verbose_name_plural = _("funding settings")

    def __str__(self) -> str:
        return str(self.association)
