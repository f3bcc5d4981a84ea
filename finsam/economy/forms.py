from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from finsam.core.forms import AmountField, Form, ModelForm
from finsam.economy.models import Budget, BudgetLine, FinancialRule, FollowUpEntry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class BudgetForm(ModelForm):
    class Meta:
        model = Budget
        fields = ["title", "status", "decision_ref", "decided_on", "unbalanced_reason", "notes"]
        widgets = {"decided_on": DATE}


class FinancialRuleForm(ModelForm):
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


class BudgetImportForm(Form):
    file = forms.FileField(
        label=_("Budget in Excel format (.xlsx)"), help_text=_("Use the template. Maximum 5 MB.")
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("The file must be an Excel file ending in .xlsx."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class RulesImportForm(Form):
    file = forms.FileField(
        label=_("Rules in Excel format (.xlsx)"),
        help_text=_("The layout of “Export to Excel” on this page. Maximum 1 MB."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("The file must be an Excel file ending in .xlsx."))
        if f.size > 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 1 MB."))
        return f


class SieUploadForm(Form):
    file = forms.FileField(
        label=_("SIE file (type 4E or 4I)"),
        help_text=_("Exported from the finance system, e.g. bokforing.se. Maximum 200 MB."),
    )

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith((".se", ".si", ".sie", ".txt")):
            raise forms.ValidationError(
                _("The file must be an SIE file ending in .se, .si or .sie.")
            )
        if f.size > 200 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 200 MB."))
        return f


class AccountMappingForm(Form):
    """Accounts and lines are typed or picked from lists (datalists on the ledger page) of the
    accounts in the imported files and the budgets' lines."""

    account_from = forms.CharField(
        label=_("From account"),
        max_length=20,
        widget=forms.TextInput(attrs={"list": "ledger-accounts", "autocomplete": "off"}),
    )
    account_to = forms.CharField(
        label=_("To account (inclusive)"),
        max_length=20,
        required=False,
        help_text=_("Leave blank for a single account."),
        widget=forms.TextInput(attrs={"list": "ledger-accounts", "autocomplete": "off"}),
    )
    line_label = forms.CharField(
        label=_("Budget line"),
        max_length=200,
        widget=forms.TextInput(attrs={"list": "budget-lines", "autocomplete": "off"}),
    )


class FollowUpEntryForm(Form):
    line_label = forms.CharField(widget=forms.HiddenInput, max_length=200)
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=2004, max_value=2100)
    method = forms.ChoiceField(label=_("Accrual method"), choices=FollowUpEntry.Method.choices)
    accrual = AmountField(label=_("Accrual (kr)"), required=False)
    profile = forms.CharField(
        label=_("Monthly profile"),
        required=False,
        max_length=200,
        help_text=_("Twelve weights Jan–Dec separated by spaces, for accrual by monthly profile."),
    )
    forecast = AmountField(
        label=_("Full-year forecast (kr)"),
        required=False,
        help_text=_("Blank: Finsam calculates a forecast from the actuals."),
    )
    note = forms.CharField(label=_("Comment"), max_length=300, required=False)

    def clean_profile(self):
        text = self.cleaned_data.get("profile", "").replace(";", " ").replace(",", ".")
        if not text.strip():
            return None
        try:
            return [Decimal(part) for part in text.split()]
        except ArithmeticError:
            raise forms.ValidationError(
                _("The weights must be numbers, e.g. 1 1 1 1 1 1 0 1 1 1 1 1.")
            ) from None


class BudgetStartForm(Form):
    START_EMPTY, START_PREVIOUS = "empty", "previous"
    budget_year = forms.IntegerField(label=_("Budget year"), min_value=2004, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200)
    start = forms.ChoiceField(
        label=_("Start from"),
        choices=[
            (START_EMPTY, _("An empty budget")),
            (START_PREVIOUS, _("Last year's adopted budget (lines and figures)")),
        ],
        initial=START_PREVIOUS,
        widget=forms.RadioSelect,
    )


class BudgetLineForm(ModelForm):
    class Meta:
        model = BudgetLine
        fields = [
            "statement",
            "section",
            "role",
            "label",
            "group",
            "account",
            "cost_kind",
            "member_side",
        ]


class BudgetLineEditForm(ModelForm):
    class Meta:
        model = BudgetLine
        fields = ["label", "group", "account"]
