"""Requisitions (rekvisitioner): payments of granted money, the `Requisition` model."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models._common import MONEY
from finsam.funding.models.decisions import Grant


class Requisition(models.Model):
    class Kind(models.TextChoices):
        REQUISITION = "requisition", _("Payment request")
        PLAN = "plan", _("According to payment plan")

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        APPROVED = "approved", _("Approved")
        PAID = "paid", _("Paid")
        REJECTED = "rejected", _("Rejected")

    grant = models.ForeignKey(
        Grant,
        on_delete=models.PROTECT,
        related_name="requisitions",
        verbose_name=_("granted funds"),
    )
    date = models.DateField(_("date"))
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=Kind.choices, default=Kind.REQUISITION
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.REQUESTED
    )
    actual_costs = models.DecimalField(
        _("actual costs"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        help_text=_("Costs reported for the period."),
        **MONEY,
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["grant", "date", "id"]
        verbose_name = _("requisition")
        verbose_name_plural = _("requisitions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="requisition_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.grant} {self.date:%Y-%m-%d}"

    @property
    def association(self):
        return self.grant.intervention.association
