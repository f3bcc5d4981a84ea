"""Co-financing (medfinansiering) per funder and year."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form
from finsam.funding.forms._common import POSITIVE
from finsam.funding.models import CoFinancing

# The datalist on the co-financing page offers the association's members as funders.
FUNDERS_LIST_ID = "co-financing-funders"


class CoFinancingForm(Form):
    """A plain form, not a ModelForm: validation must not change the row before the service has
    taken its audit snapshot. The year's place in the period is the service's rule."""

    year = forms.IntegerField(
        label=_("Year"),
        min_value=2004,
        max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    funder = forms.CharField(
        label=_("Funder"),
        max_length=200,
        help_text=_('E.g. "ESF", "Region Västmanland – public health funds" or a member.'),
        widget=forms.TextInput(attrs={"list": FUNDERS_LIST_ID, "autocomplete": "off"}),
    )
    amount = AmountField(label=_("Amount (kr)"), min_value=Decimal("0.01"), error_messages=POSITIVE)
    note = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def __init__(self, *args, co_financing: CoFinancing | None = None, **kwargs):
        if co_financing is not None:
            kwargs.setdefault(
                "initial",
                {
                    "year": co_financing.year,
                    "funder": co_financing.funder,
                    "amount": co_financing.amount,
                    "note": co_financing.note,
                },
            )
        super().__init__(*args, **kwargs)
