"""Form handling shared by every app's views: validate, call one service, show rule errors."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from finsam.core.identity_numbers import contains_identity_number
from finsam.core.money import NBSP, AmountError, format_input, format_number, parse_amount


def apply_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: at the field it names, else on top."""
    if hasattr(error, "error_dict"):
        for field, errs in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errs)
    else:
        form.add_error(None, error)


def save_form(request, form, save: Callable[[dict[str, Any]], Any], success_message: str) -> bool:
    """Validate the form, run the service, and put any rule errors back on the form."""
    if not form.is_valid():
        return False
    try:
        save(form.cleaned_data)
    except ValidationError as error:
        apply_errors(form, error)
        return False
    messages.success(request, success_message)
    return True


def render_form(request, template: str, context: dict, form) -> HttpResponse:
    """A page with a form: 400 when the bound form has errors, so nothing looks saved."""
    status = 400 if form.is_bound and form.errors else 200
    return render(request, template, {**context, "form": form}, status=status)


FORM_TEMPLATE = "organisation/form.html"


def form_page(
    request,
    form,
    *,
    save: Callable[[dict[str, Any]], Any],
    success_message: str,
    done: Callable[[], HttpResponse],
    context: dict,
    template: str = FORM_TEMPLATE,
) -> HttpResponse:
    """The create/edit page every app has: on a POST that validates and that the service accepts,
    go on to `done()` (called only then, so it may use what the service created); otherwise the
    form with its errors at the fields."""
    if request.method == "POST" and save_form(request, form, save, success_message):
        return done()
    return render_form(request, template, context, form)


def post_action(
    request,
    action: Callable[[], Any],
    *,
    success_message: str,
    done: Callable[[], HttpResponse],
) -> HttpResponse:
    """The button every app has (close, delete, approve …): run one service; say that it was done,
    or show the rule's reason at the top of the page it returns to. Nothing is half-done: the
    service runs in its own transaction."""
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success_message)
    return done()


# --- fields -----------------------------------------------------------------------------------


class AmountField(forms.DecimalField):
    """Kronor as people type them: '1 500 000', '1 000,50' or '1 500 000 kr', through the one
    parser (finsam.core.money.parse_amount): at most 12 digits before the comma and two after it,
    no exponent, NaN or Infinity, never a silently rounded third decimal."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter an amount in kronor, for example 1 500 000 or 1 500 000,50."),
        "too_large": _("The amount is too large: at most 12 digits before the decimal comma."),
        "too_precise": _("Enter at most two decimals (öre); the amount is not rounded for you."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            amount = parse_amount(str(value) if not isinstance(value, Decimal) else value)
        except AmountError as error:
            raise forms.ValidationError(self.error_messages[error.code], code=error.code) from None
        return super().to_python(str(amount))

    def prepare_value(self, value):
        """A stored amount as people write it: 600 000 or 600 000,50 (not 600000.00)."""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            return format_input(value)
        return value


class NumberField(forms.DecimalField):
    """A number that is not money (a share, a target, a key): takes the decimal comma and spaces
    like AmountField, with the field's own number of decimals."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Enter a number, for example 12 or 12,5."),
        "too_large": _("The number is too large."),
        "too_precise": _("Enter at most %(decimals)s decimals."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        places = self.decimal_places if self.decimal_places is not None else 6
        whole = (self.max_digits - places) if self.max_digits else 12
        try:
            number = parse_amount(
                str(value) if not isinstance(value, Decimal) else value,
                decimals=places,
                max_integer_digits=whole,
            )
        except AmountError as error:
            raise forms.ValidationError(
                self.error_messages[error.code], code=error.code, params={"decimals": places}
            ) from None
        return super().to_python(str(number))

    def prepare_value(self, value):
        """A stored number as people write it: 50 or 12,5 (not 50.0000 or 12.5000)."""
        if isinstance(value, Decimal | int) and not isinstance(value, bool):
            number = Decimal(value).normalize()
            decimals = max(0, -number.as_tuple().exponent)
            return format_number(number, decimals).replace(NBSP, " ")
        return value


def validate_plausible_date(value) -> None:
    """Every date typed into Finsam lies in 1900–2100 (CoreConfig.ready puts this on every form
    date field): a mistyped year such as 20227 or 0202 is refused at the field."""
    if value is not None and not 1900 <= value.year <= 2100:
        raise ValidationError(
            _("Enter a date between the years 1900 and 2100."), code="implausible_year"
        )


# --- no identity numbers outside the participant register -------------------------------------

IDENTITY_NUMBER_REFUSED = _(
    "Personal identity numbers (personnummer and samordningsnummer) are not stored here. Remove the "
    "number: a participant is registered in the participant register (Deltagare), which keeps "
    "identity numbers only as a pseudonym."
)


class IdentityNumberGuard:
    """Refuses a personnummer or samordningsnummer in every text field of the form, at the field.
    Every Finsam form outside the participant register inherits it (through `Form` and
    `ModelForm` below); `identity_numbers_allowed` names fields that may hold one."""

    identity_numbers_allowed: tuple[str, ...] = ()

    def _post_clean(self):
        for name, value in list(self.cleaned_data.items()):
            if name in self.identity_numbers_allowed or isinstance(
                self.fields[name].widget, forms.PasswordInput
            ):
                continue
            if contains_identity_number(value):
                self.add_error(name, IDENTITY_NUMBER_REFUSED)
        super()._post_clean()


class Form(IdentityNumberGuard, forms.Form):
    pass


def finsam_formfield(db_field, **kwargs):
    """The form field of a model field: amounts through AmountField, other decimals through
    NumberField (both take the decimal comma), everything else as Django makes it."""
    from django.db import models

    if isinstance(db_field, models.DecimalField):
        money = (db_field.max_digits, db_field.decimal_places) == (14, 2)
        kwargs.setdefault("form_class", AmountField if money else NumberField)
    return db_field.formfield(**kwargs)


class _ModelFormMetaclass(forms.models.ModelFormMetaclass):
    def __new__(mcs, name, bases, attrs):
        meta = attrs.get("Meta")
        if meta is not None and not hasattr(meta, "formfield_callback"):
            meta.formfield_callback = staticmethod(finsam_formfield)
        return super().__new__(mcs, name, bases, attrs)


class ModelForm(IdentityNumberGuard, forms.ModelForm, metaclass=_ModelFormMetaclass):
    pass
