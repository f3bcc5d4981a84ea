"""Board decisions, their yearly amounts, and the grants they make."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.funding.models._common import MONEY, YEAR_VALIDATORS
from finsam.funding.models.applications import Application
from finsam.funding.models.interventions import Intervention
from finsam.funding.models.terms import ReportingTerms


class Decision(ReportingTerms):
    """A board decision, recorded per agenda item with its paragraph (§)."""

    class Outcome(models.TextChoices):
        APPROVED = "approved", _("Granted")
        APPROVED_WITH_CONDITIONS = "approved_with_conditions", _("Granted with conditions")
        REJECTED = "rejected", _("Rejected")
        REFERRED_BACK = "referred_back", _("Referred back")

    class Kind(models.TextChoices):
        APPLICATION = "application", _("Decision on application")
        END = "end", _("Closure of intervention")
        # Ändringsbeslut: new totals for some years and/or a new end date, never edits history.
        CHANGE = "change", _("Change of intervention")

    association = models.ForeignKey(
        "organisation.Association",
        on_delete=models.CASCADE,
        related_name="decisions",
        verbose_name=_("association"),
    )
    kind = models.CharField(
        _("type"), max_length=12, choices=Kind.choices, default=Kind.APPLICATION
    )
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("application"),
    )
    intervention = models.ForeignKey(
        Intervention,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("intervention"),
    )
    meeting = models.ForeignKey(
        "organisation.Meeting",
        on_delete=models.PROTECT,
        related_name="decisions",
        verbose_name=_("meeting"),
    )
    agenda_item = models.ForeignKey(
        "organisation.AgendaItem",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("agenda item"),
    )
    paragraph = models.CharField(_("paragraph"), max_length=20, help_text=_("E.g. § 12."))
    outcome = models.CharField(_("decision"), max_length=24, choices=Outcome.choices)
    conditions = models.TextField(_("conditions"), blank=True)
    motivation = models.TextField(_("rationale"), blank=True)
    ends_on = models.DateField(_("intervention ends"), null=True, blank=True)
    previous_end = models.DateField(
        _("previous end date"),
        null=True,
        blank=True,
        help_text=_(
            "For a change decision: the intervention's end date before the decision (empty = until "
            "further notice)."
        ),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        ordering = ["association", "-meeting__date", "paragraph"]
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "paragraph"], name="unique_paragraph_per_meeting"
            ),
        ]

    def __str__(self) -> str:
        subject = self.application or self.intervention
        return f"{self.paragraph} {self.meeting.date:%Y-%m-%d}: {subject}"

    @property
    def is_approval(self) -> bool:
        return self.outcome in APPROVED_OUTCOMES

    @property
    def outcome_label(self) -> str:
        """What was decided, as the minutes say it: an application's outcome, or what an end or
        change decision does to the intervention."""
        if self.kind == self.Kind.END and self.ends_on:
            return _("The intervention ends on %(d)s") % {"d": self.ends_on.isoformat()}
        if self.kind == self.Kind.CHANGE:
            return str(_("The intervention is changed"))
        return str(self.get_outcome_display())


APPROVED_OUTCOMES = (Decision.Outcome.APPROVED, Decision.Outcome.APPROVED_WITH_CONDITIONS)


class DecisionAmount(models.Model):
    """The amount a decision grants for a year. A change decision states the year's new total
    (0 when the year's money is withdrawn) together with the total it replaces (`previous`)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="amounts")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(_("amount"), validators=[MinValueValidator(Decimal(0))], **MONEY)
    previous = models.DecimalField(
        _("previously granted"),
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
        **MONEY,
    )

    class Meta:
        ordering = ["decision", "year"]
        constraints = [
            models.UniqueConstraint(fields=["decision", "year"], name="unique_decision_year"),
            # A grant is positive; only a change may bring a year down to 0.
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) | models.Q(amount__gte=0, previous__isnull=False),
                name="decision_amount_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.amount}"

    def clean(self) -> None:
        if self.previous is None and self.amount is not None and self.amount <= 0:
            raise ValidationError({"amount": _("The amount must be greater than 0 kr.")})


class Grant(models.Model):
    """Beviljade medel: money decided for an intervention and year.

    `decision` is empty only for history imported from before Finsam (then `decision_ref` says
    where it was decided). A grant is never changed; an early end marks it withdrawn by that
    decision.
    """

    intervention = models.ForeignKey(Intervention, on_delete=models.PROTECT, related_name="grants")
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    amount = models.DecimalField(
        _("amount granted"), validators=[MinValueValidator(Decimal("0.01"))], **MONEY
    )
    decision = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="grants",
        verbose_name=_("decision"),
    )
    decision_ref = models.CharField(
        _("decided in"),
        max_length=200,
        blank=True,
        help_text=_("For decisions made before Finsam."),
    )
    withdrawn_by = models.ForeignKey(
        Decision,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="withdrawn_grants",
        verbose_name=_("withdrawn by"),
    )
    note = models.CharField(_("comment"), max_length=300, blank=True)

    class Meta:
        ordering = ["intervention", "year", "id"]
        verbose_name = _("granted funds")
        verbose_name_plural = _("granted funds")
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="grant_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.intervention} {self.year}"

    @property
    def association(self):
        return self.intervention.association
