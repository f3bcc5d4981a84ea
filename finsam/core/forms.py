"""Form handling shared by every app's views: validate, call one service, show rule errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render


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
