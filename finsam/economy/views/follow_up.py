"""The follow-up table: budget, actuals to a cut-off date, accruals, forecast and variance."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import save_form
from finsam.economy import forms, selectors, services
from finsam.organisation.tenancy import association_view


def _cutoff(request) -> dt.date:
    try:
        return dt.date.fromisoformat(request.GET.get("datum", ""))
    except ValueError:
        today = timezone.localdate()
        return dt.date(today.year, 6, 30) if today.month > 6 else today


def _sections(report) -> tuple:
    return ((_("Income"), report.income), (_("Costs"), report.costs))


def _follow_up_xlsx(association, cutoff: dt.date, report) -> HttpResponse:
    rows = []
    for heading, group in _sections(report):
        for r in group:
            rows.append([heading, r.label, r.budget, r.actual, r.accrued, r.forecast, r.variance])
    return xlsx_response(
        filename=f"uppfoljning-{association.slug}-{cutoff:%Y-%m-%d}.xlsx",
        title=_("Follow-up"),
        headers=[
            _("Section"),
            _("Line"),
            _("Full-year budget"),
            _("Actual up to cut-off date"),
            _("Accrued actual"),
            _("Full-year forecast"),
            _("Variance (budget − forecast)"),
        ],
        rows=rows,
        money_columns=range(2, 7),
    )


def _groups(report) -> list[dict]:
    """Income and costs, each with its rows and the totals of every column."""
    if report is None:
        return []
    groups = []
    for heading, rows in _sections(report):
        totals = {
            attr: report.total(rows, attr)
            for attr in ("budget", "actual", "accrued", "forecast", "variance")
        }
        groups.append({"heading": heading, "rows": rows, "totals": totals})
    return groups


@association_view("budget.view")
def follow_up_view(request, association):
    budgets = list(
        selectors.budgets(user=request.user, association=association).order_by(
            "-budget_year", "-version"
        )
    )
    cutoff = _cutoff(request)
    choice = selectors.budget_counting(
        user=request.user, association=association, year=cutoff.year, pk=request.GET.get("budget")
    )
    chosen = choice.budget
    report = (
        selectors.follow_up(
            user=request.user, association=association, budget=chosen, cutoff=cutoff
        )
        if chosen
        else None
    )
    if report is not None and request.GET.get("format") == "xlsx":
        return _follow_up_xlsx(association, cutoff, report)
    return render(
        request,
        "economy/follow_up.html",
        {
            "budgets": budgets,
            "budget": chosen,
            "choice": choice,
            "cutoff": cutoff,
            "report": report,
            "groups": _groups(report),
        },
    )


@require_POST
@association_view("budget.edit")
def follow_up_entry_view(request, association):
    form = forms.FollowUpEntryForm(request.POST)
    if not save_form(
        request,
        form,
        lambda d: services.follow_up_entry_set(association=association, by=request.user, **d),
        _("The forecast has been saved."),
    ):
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(
                request, f"{form.data.get('line_label', '')}, {label}: {' '.join(errors)}"
            )
    query = urlencode({k: request.POST.get(k, "") for k in ("datum", "budget")})
    return redirect(f"{reverse('economy:follow_up', args=[association.slug])}?{query}")
