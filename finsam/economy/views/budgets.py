"""Budgets: the list, one budget's statements, its amounts, versions, files and comparison."""

from __future__ import annotations

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, save_form
from finsam.core.money import UNIT_DIVISORS, format_number, round_ore, to_decimal
from finsam.economy import forms, selectors, services, xlsx
from finsam.economy.models import Statement
from finsam.economy.statements import describe
from finsam.organisation.tenancy import association_view

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(request) -> str:
    unit = request.GET.get("enhet", "kr")
    return unit if unit in ("kr", "tkr", "kkr") else "kr"


@association_view("budget.view")
def budget_list_view(request, association):
    budgets = list(selectors.budgets(user=request.user, association=association))
    summaries = [(b, len(selectors.budget_view(budget=b).discrepancies)) for b in budgets]
    return render(
        request,
        "economy/budget_list.html",
        {"summaries": summaries, "import_form": forms.BudgetImportForm()},
    )


@association_view("budget.view")
def budget_detail_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    view = selectors.budget_view(budget=budget)
    unit = _unit(request)
    divisor = UNIT_DIVISORS[unit]
    decimals = 1 if unit != "kr" else 0
    flagged = view.flagged()
    statements = []
    for statement in Statement:
        lines = [ln for ln in view.lines if ln.statement == statement]
        if not lines:
            continue
        rows = []
        for line in lines:
            cells = []
            for column in view.columns:
                key = (line.pk, column.pk)
                value = view.values.get(key)
                printed = view.printed.get(key)
                cells.append(
                    {
                        "value": value,
                        "printed": printed,
                        "flagged": key in flagged,
                        "differs": printed is not None and value is not None and printed != value,
                    }
                )
            rows.append({"line": line, "cells": cells})
        statements.append({"label": statement.label, "rows": rows})
    indicators = selectors.budget_indicators(
        user=request.user, association=association, budget=budget, view=view
    )
    return render(
        request,
        "economy/budget_detail.html",
        {
            "budget": budget,
            "view": view,
            "statements": statements,
            "unit": unit,
            "divisor": divisor,
            "decimals": decimals,
            "indicators": indicators,
            "discrepancies": [describe(d) for d in view.discrepancies],
        },
    )


@association_view("budget.view")
def budget_export_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    view = selectors.budget_view(budget=budget)
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            "\ufeff" + xlsx.write_budget_csv(view, budget.printed_unit),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="budget-{association.slug}-{budget.budget_year}.csv"'
        )
        return response
    body = xlsx.write_budget_xlsx(
        title=budget.title, budget_year=budget.budget_year, view=view, unit=budget.printed_unit
    )
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = (
        f'attachment; filename="budget-{association.slug}-{budget.budget_year}-v{budget.version}.xlsx"'
    )
    return response


@association_view("budget.view")
def budget_template_view(request, association):
    year = int(request.GET.get("ar", "0") or 0) or 2025
    body = xlsx.write_budget_xlsx(
        title=_("Budget %(year)s") % {"year": year},
        budget_year=year,
        view=None,
        columns=[
            (year - 1, "forecast", f"Prognos {year - 1}"),
            (year, "budget", f"Budget {year}"),
            (year + 1, "plan", f"Plan {year + 1}"),
            (year + 2, "plan", f"Plan {year + 2}"),
        ],
    )
    response = HttpResponse(body, content_type=XLSX_TYPE)
    response["Content-Disposition"] = 'attachment; filename="budgetmall.xlsx"'
    return response


@require_POST
@association_view("budget.edit")
def budget_import_view(request, association):
    form = forms.BudgetImportForm(request.POST, request.FILES)
    created = {}

    def save(data):
        spec = xlsx.read_budget_xlsx(data["file"].read())
        created["budget"] = services.budget_create(
            association=association, spec=spec, by=request.user
        )

    if save_form(request, form, save, _("The budget has been imported.")):
        return redirect("economy:budget_detail", association.slug, created["budget"].pk)
    budgets = list(selectors.budgets(user=request.user, association=association))
    summaries = [(b, len(selectors.budget_view(budget=b).discrepancies)) for b in budgets]
    return render(
        request,
        "economy/budget_list.html",
        {"summaries": summaries, "import_form": form},
        status=400,
    )


@require_POST
@association_view("budget.edit")
def budget_new_version_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    copy = services.budget_new_version(budget=budget, by=request.user)
    messages.success(request, _("Version %(v)s has been created as a draft.") % {"v": copy.version})
    return redirect("economy:budget_detail", association.slug, copy.pk)


@association_view("budget.edit")
def budget_edit_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    form = forms.BudgetForm(request.POST or None, instance=budget)
    return form_page(
        request,
        form,
        save=lambda d: services.budget_update(budget=budget, data=d, by=request.user),
        success_message=_("The budget has been saved."),
        done=lambda: redirect("economy:budget_detail", association.slug, pk),
        context={
            "title": _("Edit budget details"),
            "cancel_url": reverse("economy:budget_detail", args=[association.slug, pk]),
        },
    )


@association_view("budget.view")
def budget_compare_view(request, association):
    all_budgets = list(selectors.budgets(user=request.user, association=association))
    by_pk = {str(b.pk): b for b in all_budgets}
    a, b = by_pk.get(request.GET.get("a", "")), by_pk.get(request.GET.get("b", ""))
    rows, labels = [], []
    if a and b:
        view_a, view_b = selectors.budget_view(budget=a), selectors.budget_view(budget=b)
        labels = sorted(
            {c.label for c in view_a.columns} & {c.label for c in view_b.columns},
            key=lambda label: [c.label for c in view_a.columns].index(label),
        )

        def table(view):
            cols = {c.label: c for c in view.columns}
            return {
                (ln.statement, ln.label): {label: view.value(ln, cols[label]) for label in labels}
                for ln in view.lines
            }

        ta, tb = table(view_a), table(view_b)
        for key in [k for k in ta] + [k for k in tb if k not in ta]:
            cells = []
            for label in labels:
                va, vb = ta.get(key, {}).get(label), tb.get(key, {}).get(label)
                diff = (
                    (vb or Decimal(0)) - (va or Decimal(0))
                    if (va is not None or vb is not None)
                    else None
                )
                cells.append((va, vb, diff))
            rows.append({"statement": Statement(key[0]).label, "label": key[1], "cells": cells})
    if rows and request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"budgetjamforelse-{association.slug}.xlsx",
            title=_("Comparison"),
            headers=[
                _("Report"),
                _("Line"),
                *[f"{label} {part}" for label in labels for part in ("A", "B", "B − A")],
            ],
            rows=(
                [str(r["statement"]), r["label"], *[v for cell in r["cells"] for v in cell]]
                for r in rows
            ),
            money_columns=range(2, 2 + 3 * len(labels)),
        )
    return render(
        request,
        "economy/budget_compare.html",
        {"budgets": all_budgets, "a": a, "b": b, "labels": labels, "rows": rows},
    )


@association_view("budget.edit")
def budget_amounts_view(request, association, pk: int):
    """Edit a draft budget's amounts in kronor; derived lines may be left empty."""
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    view = selectors.budget_view(budget=budget)
    errors: dict[str, str] = {}
    values: dict[str, str] = {}
    for line in view.lines:
        for column in view.columns:
            key = f"a-{line.pk}-{column.pk}"
            printed = view.printed.get((line.pk, column.pk))
            values[key] = "" if printed is None else format_number(printed, 2).replace(",00", "")
    if request.method == "POST":
        amounts = {}
        for line in view.lines:
            for column in view.columns:
                key = f"a-{line.pk}-{column.pk}"
                text = request.POST.get(key, "").strip()
                values[key] = text
                if not text:
                    amounts[(line.pk, column.pk)] = None
                    continue
                try:
                    amounts[(line.pk, column.pk)] = round_ore(to_decimal(text))
                except ValueError:
                    errors[key] = _("“%(text)s” is not an amount.") % {"text": text}
        if not errors:
            try:
                changed = services.budget_amounts_set(
                    budget=budget, amounts=amounts, by=request.user
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                return redirect("economy:budget_detail", association.slug, pk)
            messages.success(request, _("%(n)s amounts have been saved.") % {"n": changed})
            return redirect("economy:budget_detail", association.slug, pk)
    rows = [
        {
            "line": line,
            "cells": [
                {
                    "key": f"a-{line.pk}-{c.pk}",
                    "value": values[f"a-{line.pk}-{c.pk}"],
                    "error": errors.get(f"a-{line.pk}-{c.pk}"),
                }
                for c in view.columns
            ],
        }
        for line in view.lines
    ]
    return render(
        request,
        "economy/budget_amounts.html",
        {"budget": budget, "view": view, "rows": rows, "errors": errors},
        status=400 if errors else 200,
    )
