"""What the participant pages share: the year chosen, goal bars, the participation's form page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from finsam.core.exports import csv_writer
from finsam.core.forms import form_page


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("ar", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _enrolment_form(
    request, association, enrolment, form, *, save, success_message, title, intro=""
):
    """A form about one participation: saved, it returns to the participant's page."""
    return form_page(
        request,
        form,
        save=save,
        success_message=success_message,
        done=lambda: redirect("participants:enrolment", association.slug, enrolment.pk),
        context={
            "title": title,
            "intro": intro,
            "cancel_url": reverse("participants:enrolment", args=[association.slug, enrolment.pk]),
        },
        template="participants/form.html",
    )


def _refuse_unless(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _exit_initial(enrolment) -> dict:
    """The exit form's values: what is registered, or today for a new exit."""
    return {
        "exit_date": (enrolment.exit_date or timezone.localdate()).isoformat(),
        "exit_reason": enrolment.exit_reason_id,
        "exit_occupation": enrolment.exit_occupation_id,
        "exit_income_source": enrolment.exit_income_source_id,
        "step_progress": enrolment.step_progress_id,
    }


def csv_response(filename: str, header: list, rows) -> HttpResponse:
    """A semicolon-separated CSV download, as Swedish Excel reads it (UTF-8 with the byte-order
    mark)."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(rows)
    return response
