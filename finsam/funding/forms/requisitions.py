"""Requisitions (payment requests) and payment plans."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form
from finsam.funding.forms._common import DATE, NOT_NEGATIVE, POSITIVE
from finsam.funding.models import (
    Grant,
    Requisition,
)


def _grant_field(field: forms.ModelChoiceField, grants) -> None:
    """Grants shown by year; this year's (or the only one) chosen from the start."""
    field.queryset = grants
    field.label_from_instance = lambda g: f"{g.year}"
    grants = list(grants)
    this_year = timezone.localdate().year
    chosen = next(
        (g for g in grants if g.year == this_year), grants[0] if len(grants) == 1 else None
    )
    if chosen is not None:
        field.initial = chosen.pk


class RequisitionRequestForm(Form):
    grant = forms.ModelChoiceField(label=_("Granted funds for year"), queryset=Grant.objects.none())
    kind = forms.ChoiceField(
        label=_("Type"), choices=Requisition.Kind.choices, initial=Requisition.Kind.REQUISITION
    )
    date = forms.DateField(label=_("Date"), widget=DATE)
    amount = AmountField(label=_("Amount (kr)"), min_value=Decimal("0.01"), error_messages=POSITIVE)
    actual_costs = AmountField(
        label=_("Actual costs for the period (kr)"),
        required=False,
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
    )
    note = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        _grant_field(self.fields["grant"], grants)


class PaymentPlanForm(Form):
    grant = forms.ModelChoiceField(label=_("Granted funds for year"), queryset=Grant.objects.none())
    instalments = forms.IntegerField(
        label=_("Number of payments"),
        min_value=1,
        max_value=12,
        initial=4,
        help_text=_("The remaining funds are divided into whole kronor."),
    )
    first_date = forms.DateField(label=_("First payment"), widget=DATE)
    months_between = forms.IntegerField(
        label=_("Months between payments"), min_value=1, max_value=12, initial=3
    )

    def __init__(self, *args, grants, **kwargs):
        super().__init__(*args, **kwargs)
        _grant_field(self.fields["grant"], grants)


# --- status reports -----------------------------------------------------------------------------
