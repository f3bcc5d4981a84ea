from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.economy.models import Budget, FinancialRule

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
