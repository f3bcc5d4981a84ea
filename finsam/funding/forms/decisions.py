"""The board's decision on an application."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form
from finsam.funding.forms._common import POSITIVE, TEXTAREA
from finsam.funding.models import Decision
from finsam.organisation.models import Meeting


class DecisionForm(Form):
    meeting = forms.ModelChoiceField(label=_("Board meeting"), queryset=Meeting.objects.none())
    paragraph = forms.CharField(label=_("Paragraph"), max_length=20, help_text=_("E.g. § 12."))
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Decision.Outcome.choices, widget=forms.RadioSelect
    )
    conditions = forms.CharField(
        label=_("Conditions"),
        required=False,
        widget=TEXTAREA,
        help_text=_("Required for “Granted with conditions”."),
    )
    motivation = forms.CharField(label=_("Rationale"), required=False, widget=TEXTAREA)
    annual_report_only = forms.BooleanField(
        label=_("Annual report only"),
        required=False,
        help_text=_("No interim report: the intervention reports once a year."),
    )
    interim_report_month = forms.IntegerField(
        label=_("Interim report as at (month)"), min_value=1, max_value=12
    )
    interim_report_day = forms.IntegerField(
        label=_("Interim report as at (day)"), min_value=1, max_value=31
    )
    annual_report_month = forms.IntegerField(
        label=_("Annual report as at (month)"), min_value=1, max_value=12
    )
    annual_report_day = forms.IntegerField(
        label=_("Annual report as at (day)"), min_value=1, max_value=31
    )
    oral_presentations_per_year = forms.IntegerField(
        label=_("Oral presentations to the board per year"), min_value=0, max_value=12
    )
    # Blank: the association's default date.
    oral_presentation_month = forms.IntegerField(
        label=_("Oral presentation by (month)"), min_value=1, max_value=12, required=False
    )
    oral_presentation_day = forms.IntegerField(
        label=_("Oral presentation by (day)"),
        min_value=1,
        max_value=31,
        required=False,
        help_text=_(
            "With several presentations a year this is the last one; the others are spread evenly "
            "over the year before it."
        ),
    )

    TERMS = [
        "annual_report_only",
        "interim_report_month",
        "interim_report_day",
        "annual_report_month",
        "annual_report_day",
        "oral_presentations_per_year",
        "oral_presentation_month",
        "oral_presentation_day",
    ]

    def __init__(self, *args, meetings, years: list[int], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.years = years
        for year in years:
            self.fields[f"amount_{year}"] = AmountField(
                label=_("Granted %(year)s (kr)") % {"year": year},
                required=False,
                min_value=Decimal("0.01"),
                error_messages=POSITIVE,
            )

    def main_fields(self):
        return [self[n] for n in ("meeting", "paragraph", "outcome", "conditions", "motivation")]

    def amount_fields(self):
        return [self[f"amount_{y}"] for y in self.years]

    def term_fields(self):
        return [self[name] for name in self.TERMS]

    def amounts(self) -> dict[int, Decimal]:
        return {
            y: self.cleaned_data[f"amount_{y}"]
            for y in self.years
            if self.cleaned_data.get(f"amount_{y}") is not None
        }

    def terms(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.TERMS}
