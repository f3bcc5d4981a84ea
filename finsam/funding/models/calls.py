"""Calls for applications (utlysningar), each with its pot of money."""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models._common import MONEY


class Call(models.Model):
    """Utlysning: a pot of money open for applications during a period."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="calls",
        verbose_name=_("association"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    pot = models.DecimalField(_("funds available"), **MONEY)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("application deadline"))
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.OPEN
    )

    class Meta:
        ordering = ["association", "-opens_on", "title"]
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="call_closes_after_opening",
            ),
            models.CheckConstraint(condition=models.Q(pot__gte=0), name="call_pot_not_negative"),
        ]

    def __str__(self) -> str:
        return self.title

    def accepts_applications_on(self, day: dt.date) -> bool:
        return self.status == self.Status.OPEN and self.opens_on <= day <= self.closes_on
