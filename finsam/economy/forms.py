from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.economy.models import Budget, FinancialRule, FollowUpEntry
from finsam.organisation.forms import AmountField

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BudgetForm(forms.ModelForm):
    class Meta:
        model = Budget
        fields = ["title", "status", "decision_ref", "decided_on", "unbalanced_reason", "notes"]
        widgets = {"decided_on": DATE}


class FinancialRuleForm(forms.ModelForm):
    class Meta:
        model = FinancialRule
        fields = [
            "kind",
            "value",
            "basis",
            "cost_kind",
            "tolerance",
            "valid_from",
            "valid_to",
            "source",
        ]
        widgets = {"valid_from": DATE, "valid_to": DATE}


class BudgetImportForm(forms.Form):
    file = forms.FileField(
        label=_("Budget i Excel-format (.xlsx)"), help_text=_("Använd mallen. Högst 5 MB.")
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Filen måste vara en Excel-fil som slutar på .xlsx."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 5 MB."))
        return f


class SieUploadForm(forms.Form):
    file = forms.FileField(
        label=_("SIE-fil (typ 4E eller 4I)"),
        help_text=_("Exporterad ur ekonomisystemet, t.ex. bokforing.se. Högst 200 MB."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".se", ".si", ".sie", ".txt")):
            raise forms.ValidationError(
                _("Filen ska vara en SIE-fil som slutar på .se, .si eller .sie.")
            )
        if f.size > 200 * 1024 * 1024:
            raise forms.ValidationError(_("Filen är större än 200 MB."))
        return f


class AccountMappingForm(forms.Form):
    account_from = forms.CharField(label=_("Från konto"), max_length=20)
    account_to = forms.CharField(
        label=_("Till och med konto"),
        max_length=20,
        required=False,
        help_text=_("Tomt betyder bara ett konto."),
    )
    line_label = forms.CharField(label=_("Budgetrad"), max_length=200)


class FollowUpEntryForm(forms.Form):
    line_label = forms.CharField(widget=forms.HiddenInput, max_length=200)
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2004, max_value=2100)
    method = forms.ChoiceField(label=_("Periodisering"), choices=FollowUpEntry.Method.choices)
    accrual = AmountField(label=_("Periodisering (kr)"), required=False)
    profile = forms.CharField(
        label=_("Månadsprofil"),
        required=False,
        max_length=200,
        help_text=_("Tolv vikter jan–dec med mellanslag, för periodisering efter månadsprofil."),
    )
    forecast = AmountField(
        label=_("Prognos helår (kr)"),
        required=False,
        help_text=_("Tomt: Finsam räknar fram en prognos från utfallet."),
    )
    note = forms.CharField(label=_("Kommentar"), max_length=300, required=False)

    def clean_profile(self):
        text = self.cleaned_data.get("profile", "").replace(";", " ").replace(",", ".")
        if not text.strip():
            return None
        try:
            return [Decimal(part) for part in text.split()]
        except ArithmeticError:
            raise forms.ValidationError(
                _("Vikterna ska vara tal, t.ex. 1 1 1 1 1 1 0 1 1 1 1 1.")
            ) from None
