"""The follow-up table: budget, actuals to a cut-off date, accruals, forecast and variance."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.charts import bar_chart_svg
from finsam.core.exports import XLSX_TYPE
from finsam.core.forms import save_form
from finsam.core.money import round_half_up_krona
from finsam.economy import follow_up_xlsx, forms, selectors, services
from finsam.economy.folding import fold
from finsam.economy.follow_up import follow_up_table
from finsam.organisation.tenancy import association_view


def _cutoff(data) -> dt.date:
    try:
        return dt.date.fromisoformat(data.get("datum", ""))
    except ValueError:
        today = timezone.localdate()
        return dt.date(today.year, 6, 30) if today.month > 6 else today


def _follow_up_file(association, budget, report, file_format: str) -> HttpResponse:
    name = f"uppfoljning-{association.slug}-{report.cutoff:%Y-%m-%d}"
    if file_format == "csv":
        response = HttpResponse(
            "\ufeff" + follow_up_xlsx.write_follow_up_csv(report),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    body = follow_up_xlsx.write_follow_up_xlsx(
        association_name=association.name, budget=budget, report=report
    )
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def section_chart(table) -> str:
    """Budget, actual and forecast per section, from the table's own subtotal rows (nothing
    recomputed), in whole kronor as the table shows them."""
    rows = [t for t in table if t.kind == "subtotal"]
    if not rows:
        return ""
    return mark_safe(  # noqa: S308 - core.charts escapes every text
        bar_chart_svg(
            categories=[t.label for t in rows],
            series=[
                (_("Full-year budget"), [round_half_up_krona(t.budget) for t in rows]),
                (_("Actual"), [round_half_up_krona(t.actual) for t in rows]),
                (_("Full-year forecast"), [round_half_up_krona(t.forecast) for t in rows]),
            ],
            title=_("Budget, actual and forecast per section"),
            chart_id="follow-up-chart",
            unit="kr",
        )
    )


def _page(request, association, data, *, failed: dict | None = None):
    """The follow-up for the cut-off date and budget in `data` (the query, or the posted form
    that failed, whose typed values the page shows again at the failing row)."""
    budgets = list(
        selectors.budgets(user=request.user, association=association).order_by(
            "-budget_year", "-version"
        )
    )
    cutoff = _cutoff(data)
    choice = selectors.budget_counting(
        user=request.user, association=association, year=cutoff.year, pk=data.get("budget")
    )
    report = (
        selectors.follow_up(
            user=request.user, association=association, budget=choice.budget, cutoff=cutoff
        )
        if choice.budget
        else None
    )
    if report is not None and data.get("format") in ("xlsx", "csv") and failed is None:
        return _follow_up_file(association, choice.budget, report, data["format"])
    table = follow_up_table(report) if report else []
    context = {
        "budgets": budgets,
        "budget": choice.budget,
        "choice": choice,
        "cutoff": cutoff,
        "report": report,
        "table": _table(table, data),
        "chart": section_chart(table),
        "failed": failed,
    }
    status = 400 if failed else 200
    return render(request, "economy/follow_up.html", context, status=status)


def _table(rows, query) -> list:
    """The board's table (follow_up_table's rows), a long budget's sections folded (see
    folding.py)."""
    keyed, heading = [], ""
    for row in rows:
        heading = row.label if row.kind == "section" else heading
        keyed.append((heading, row))
    folded = fold(
        keyed,
        section=lambda r: r[0],
        is_item=lambda r: r[1].kind == "line",
        label=lambda r: r[0],
        query=query,
        wrap=lambda f, first: ("", {"kind": "fold", "fold": f}),
    )
    return [row for _, row in folded]


@association_view("budget.view")
def follow_up_view(request, association):
    return _page(request, association, request.GET)


@require_POST
@association_view("budget.edit")
def follow_up_entry_view(request, association):
    """Save one line's accrual and forecast; on bad input, the page again (400) with what was
    typed and the errors at the fields, nothing saved."""
    form = forms.FollowUpEntryForm(request.POST)
    if save_form(
        request,
        form,
        lambda d: services.follow_up_entry_set(association=association, by=request.user, **d),
        _("The forecast has been saved."),
    ):
        query = urlencode({k: request.POST.get(k, "") for k in ("datum", "budget")})
        return redirect(f"{reverse('economy:follow_up', args=[association.slug])}?{query}")
    failed = {"label": request.POST.get("line_label", ""), "form": form}
    if form.non_field_errors() or "line_label" in form.errors or "year" in form.errors:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return _page(request, association, request.POST, failed=failed)
