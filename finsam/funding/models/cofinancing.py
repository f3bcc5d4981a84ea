"""Co-financing (medfinansiering): an intervention's external money per year beside the grant."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models._common import MONEY, YEAR_VALIDATORS
from finsam.funding.models.interventions import Intervention


class CoFinancing(models.Model):
    """One funder's budgeted money for an intervention and year, outside the association's grant:
    ESF, a region's public-health money, or a member organisation's own contribution in kind or
    money. The association never pays it out, so it never enters requisitions."""

    intervention = models.ForeignKey(
        Intervention,
        on_delete=models.CASCADE,
        related_name="co_financing",
        verbose_name=_("intervention"),
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    funder = models.CharField(
        _("funder"),
        max_length=200,
        help_text=_('E.g. "ESF", "Region Västmanland – public health funds" or a member.'),
    )
    amount = models.DecimalField(
        _("amount"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention", "year", "funder", "id"]
        verbose_name = _("co-financing")
        verbose_name_plural = _("co-financing")
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "year", "funder"], name="unique_co_financing_funder_year"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}: {self.funder}"

    @property
    def association(self):
        return self.intervention.association
