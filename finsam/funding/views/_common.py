"""What every page module of the funding app shares."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.urls import reverse

from finsam.core.forms import apply_errors


def _url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


def save_with_amount_errors(request, form, save, success_message: str) -> tuple[bool, list[str]]:
    """`core.forms.save_form` for the board's decision forms: a rule about the amounts per year
    is said above the table of amounts (the second value), every other rule at its field."""
    if not form.is_valid():
        return False, []
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        amount_errors: list[str] = []
        if hasattr(error, "error_dict") and "amounts" in error.error_dict:
            amount_errors = [m for e in error.error_dict.pop("amounts") for m in e.messages]
            if error.error_dict:
                apply_errors(form, error)
        else:
            apply_errors(form, error)
        return False, amount_errors
    messages.success(request, success_message)
    return True, []


def amount_form_status(form, amount_errors: list[str]) -> int:
    """400 when the bound form or its amounts have errors, so nothing looks saved."""
    return 400 if form.is_bound and (form.errors or amount_errors) else 200
