"""What the participant pages share: the year chosen, goal bars, the participation's form page."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from finsam.core.exports import csv_writer
from finsam.core.forms import form_page
from finsam.participants.charts import progress_bar_svg


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("ar", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _progress_svgs(items, *, prefix: str, exact: bool) -> list[dict]:
    """Goal progress as SVG bars. Outside the intervention's staff (`exact=False`) a count of
    1–4 persons is not shown."""
    out = []
    for n, item in enumerate(items):
        entry = {"item": item, "svg": "", "note": "", "exact": exact}
        if item.value is None:
            entry["note"] = _("No data yet.")
        elif not exact and not item.published():
            entry["note"] = _("Not shown: the result would reveal a group of fewer than 5 people.")
        else:
            entry["svg"] = mark_safe(  # noqa: S308 - charts.py escapes every text
                progress_bar_svg(
                    item.value,
                    item.target,
                    unit="%" if item.is_share else "",
                    title=f"{item.goal_text}: {item.value} / {item.target}",
                    chart_id=f"{prefix}-{n}",
                )
            )
        out.append(entry)
    return out


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
