"""What the funding app's forms share: date widget, amount messages, period check."""

from django import forms
from django.utils.translation import gettext_lazy as _

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NOT_NEGATIVE = {"min_value": _("The amount cannot be negative.")}
POSITIVE = {"min_value": _("The amount must be greater than 0 kr.")}
TEXTAREA = forms.Textarea(attrs={"rows": 3})


def _period_errors(form: forms.Form, start_name: str, end_name: str) -> None:
    start, end = form.cleaned_data.get(start_name), form.cleaned_data.get(end_name)
    if start and end and end < start:
        form.add_error(end_name, _("The period cannot end before it starts."))
