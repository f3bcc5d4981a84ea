"""Forms with repeating rows (a steering group's members, a goal's measures): a person adds and
removes rows in one form and saves them together, or nothing.

Without JavaScript: the "Add row" button is a submit button named ADD_ROW; its POST comes back
as the same page with what was typed and one empty row more, nothing saved. Removing is the
formset's DELETE checkbox, shown as "Remove"."""

from __future__ import annotations

import contextlib
import re

from django import forms
from django.core.exceptions import ValidationError

ADD_ROW = "add_row"


def adding_row(request) -> bool:
    return request.method == "POST" and ADD_ROW in request.POST


def row_formset(formset_class, request, *, prefix: str, initial: list[dict], **kwargs):
    """The page's formset: the stored rows (`initial`) and an empty one on GET; what was typed
    on POST, with one empty row more when the person asked for it."""
    if request.method != "POST":
        return formset_class(initial=initial, prefix=prefix, **kwargs)
    data = request.POST
    if ADD_ROW in data:
        data = data.copy()
        key = f"{prefix}-TOTAL_FORMS"
        # A tampered count stays as it is: the formset then reports its management form broken.
        with contextlib.suppress(ValueError):
            data[key] = str(int(data.get(key, "0")) + 1)
    return formset_class(data, initial=initial, prefix=prefix, **kwargs)


def kept_rows(formset) -> list[forms.Form]:
    """The rows typed into or changed, minus those marked for removal."""
    return [
        form
        for form in formset.forms
        if form.has_changed() and not form.cleaned_data.get("DELETE", False)
    ]


def removed_rows(formset) -> list[forms.Form]:
    """The stored rows marked for removal."""
    return [
        form
        for form in formset.forms[: formset.initial_form_count()]
        if form.cleaned_data.get("DELETE", False)
    ]


ROW_KEY = re.compile(r"row-(\d+)(?:\.(\w+))?")


def row_error_key(index: int, field: str | None = None) -> str:
    """How a service names an error of one row ("row-2") or of one field in it ("row-2.target")."""
    return f"row-{index}" + (f".{field}" if field else "")


def apply_row_errors(formset, error: ValidationError) -> None:
    """A service's errors keyed by row_error_key go on that row, at the field where there is
    one; anything else on top of the rows."""
    if not hasattr(error, "error_dict"):
        formset._non_form_errors = formset.error_class(error.messages)
        return
    on_top = []
    for key, errors in error.error_dict.items():
        match = ROW_KEY.fullmatch(key)
        if match and int(match[1]) < len(formset.forms):
            form = formset.forms[int(match[1])]
            field = match[2] if match[2] in form.fields else None
            for e in errors:
                form.add_error(field, e)
        else:
            on_top += [m for e in errors for m in e.messages]
    if on_top:
        formset._non_form_errors = formset.error_class(on_top)
