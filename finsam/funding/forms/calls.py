"""Forms for calls, assessment criteria and the default reporting terms."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, ModelForm
from finsam.funding.forms._common import DATE, NOT_NEGATIVE, TEXTAREA
from finsam.funding.models import (
    AssessmentCriterion,
    Call,
    FundingSettings,
)
from finsam.organisation.models import Association

# --- calls, criteria, settings ------------------------------------------------------------------


class CallForm(ModelForm):
    pot = AmountField(
        label=_("Funds available (kr)"),
        min_value=Decimal(0),
        error_messages=NOT_NEGATIVE,
        help_text=_("The pot, e.g. funds available for applications in this year's budget."),
    )

    class Meta:
        model = Call
        fields = ["title", "description", "pot", "opens_on", "closes_on"]
        widgets = {"opens_on": DATE, "closes_on": DATE, "description": TEXTAREA}

    def clean(self):
        data = super().clean()
        if data.get("opens_on") and data.get("closes_on") and data["closes_on"] < data["opens_on"]:
            self.add_error(
                "closes_on", _("The application deadline cannot be before the opening date.")
            )
        return data


class CriterionForm(ModelForm):
    class Meta:
        model = AssessmentCriterion
        fields = ["title", "description", "sort_order", "is_active"]
        widgets = {"description": TEXTAREA}

    def __init__(self, *args, association: Association, **kwargs):
        super().__init__(*args, **kwargs)
        self.association = association

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        clash = AssessmentCriterion.objects.filter(
            association=self.association, title__iexact=title
        )
        if self.instance.pk:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise forms.ValidationError(
                _("The association already has a criterion with that name.")
            )
        return title


class FundingSettingsForm(ModelForm):
    class Meta:
        model = FundingSettings
        fields = [
            "annual_report_only",
            "interim_report_month",
            "interim_report_day",
            "annual_report_month",
            "annual_report_day",
            "oral_presentations_per_year",
            "oral_presentation_month",
            "oral_presentation_day",
            "steering_meetings_expected",
        ]


# --- the application ----------------------------------------------------------------------------
