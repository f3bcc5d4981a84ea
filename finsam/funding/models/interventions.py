"""Interventions (insatser): the running work an approved application becomes."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models.applications import Application, Description, MeasuredGoal
from finsam.funding.models.terms import InterventionKind


class Intervention(Description):
    """Insats: what the association finances. Created by an approved decision (or imported history)."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        RUNNING = "running", _("Ongoing")
        ENDED = "ended", _("Ended")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="interventions",
        verbose_name=_("association"),
    )
    application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="intervention",
        verbose_name=_("application"),
    )
    members = models.ManyToManyField(
        "organisation.Member", blank=True, related_name="interventions", verbose_name=_("members")
    )
    reinforces = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reinforced_by",
        verbose_name=_("reinforces"),
    )
    staff = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="funding_interventions",
        verbose_name=_("intervention staff"),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["association", "title"]
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")

    def __str__(self) -> str:
        return self.title

    def runs_in_year(self, year: int) -> bool:
        return self.period_start.year <= year and (
            self.period_end is None or self.period_end.year >= year
        )

    def status_on(self, day: dt.date) -> str:
        if day < self.period_start:
            return self.Status.PLANNED
        if self.period_end is not None and day > self.period_end:
            return self.Status.ENDED
        return self.Status.RUNNING


class InterventionKindShare(models.Model):
    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="kind_shares"
    )
    kind = models.CharField(
        _("type of intervention"), max_length=24, choices=InterventionKind.choices
    )
    percent = models.PositiveSmallIntegerField(
        _("share (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    class Meta:
        ordering = ["intervention", "-percent", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "kind"], name="unique_intervention_kind"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.percent} %"


class InterventionGoal(MeasuredGoal):
    intervention = models.ForeignKey(Intervention, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=500)
    target_value = models.CharField(_("target value"), max_length=100, blank=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["intervention", "sort_order", "id"]

    def __str__(self) -> str:
        return self.text
