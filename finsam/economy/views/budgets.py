"""Budgets: the list, one budget's statements, its amounts, versions, files and comparison."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, save_form
from finsam.core.money import (
    UNIT_DIVISORS,
    AmountError,
    format_number,
    parse_amount,
    round_ore,
)
from finsam.economy import forms, selectors, services, xlsx
from finsam.economy.folding import fold
from finsam.economy.models import ENTERED_ROLES, Statement
from finsam.economy.statements import describe
from finsam.organisation.tenancy import association_view

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _unit(request) -> str:
    unit = request.GET.get("enhet", "kr")
    return unit if unit in ("kr", "tkr", "kkr") else "kr"


def _budget_list(request, association, import_form, status: int = 200):
    budgets = list(selectors.budgets(user=request.user, association=association))
    summaries = [(b, len(selectors.budget_view(budget=b).discrepancies)) for b in budgets]
    return render(
        request,
        "economy/budget_list.html",
        {"summaries": summaries, "import_form": import_form},
        status=status,
    )


@association_view("budget.view")
def budget_list_view(request, association):
    return _budget_list(request, association, forms.BudgetImportForm())


def _cell(view, line, column, flagged: set) -> dict:
    key = (line.pk, column.pk)
    value, printed = view.values.get(key), view.printed.get(key)
    return {
        "value": value,
        "printed": printed,
        "flagged": key in flagged,
        "differs": printed is not None and value is not None and printed != value,
    }


def _folded_lines(view, query) -> list:
    """The budget's lines as a page shows them, a long budget's sections folded."""
    return fold(
        view.lines,
        section=lambda ln: (ln.statement, ln.section),
        is_item=lambda ln: ln.role in ENTERED_ROLES,
        label=lambda ln: ln.get_section_display(),
        query=query,
        wrap=lambda fold, first: {"fold": fold, "statement": first.statement},
    )


def _statement_tables(view, query) -> list[dict]:
    """Each statement that has lines: a row per line, a cell per column with the derived value,
    the printed figure, and whether a discrepancy flags it (a long budget folded)."""
    flagged = view.flagged()
    statements, current = [], None
    for line in _folded_lines(view, query):
        folded = type(line) is dict  # a folded section's row
        statement = line["statement"] if folded else line.statement
        if current is None or current["statement"] != statement:
            current = {"statement": statement, "label": Statement(statement).label, "rows": []}
            statements.append(current)
        current["rows"].append(
            line
            if folded
            else {"line": line, "cells": [_cell(view, line, c, flagged) for c in view.columns]}
        )
    return statements


@association_view("budget.view")
def budget_detail_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    view = selectors.budget_view(budget=budget)
    unit = _unit(request)
    statements = _statement_tables(view, request.GET)
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
            "divisor": UNIT_DIVISORS[unit],
            "decimals": 1 if unit != "kr" else 0,
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
    return _budget_list(request, association, form, status=400)


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


def _comparison_xlsx(association, labels: list[str], rows: list[dict]) -> HttpResponse:
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


@association_view("budget.view")
def budget_compare_view(request, association):
    all_budgets = list(selectors.budgets(user=request.user, association=association))
    by_pk = {str(b.pk): b for b in all_budgets}
    a, b = by_pk.get(request.GET.get("a", "")), by_pk.get(request.GET.get("b", ""))
    labels, rows = selectors.budget_comparison(a=a, b=b) if a and b else ([], [])
    if rows and request.GET.get("format") == "xlsx":
        return _comparison_xlsx(association, labels, rows)
    return render(
        request,
        "economy/budget_compare.html",
        {"budgets": all_budgets, "a": a, "b": b, "labels": labels, "rows": rows},
    )


def _amount_key(line, column) -> str:
    return f"a-{line.pk}-{column.pk}"


def _printed_input(view, line, column) -> str:
    """A cell's input as the page first shows it: the printed amount, or empty."""
    printed = view.printed.get((line.pk, column.pk))
    return "" if printed is None else format_number(printed, 2).replace(",00", "")


AMOUNT_ERRORS = {
    "invalid": _lazy("“%(text)s” is not an amount."),
    "too_large": _lazy("“%(text)s” is too large: at most 12 digits before the decimal comma."),
    "too_precise": _lazy(
        "“%(text)s” has more than two decimals; the amount is not rounded for you."
    ),
}


def _read_amounts(data, view, values: dict[str, str]) -> tuple[dict, dict[str, str]]:
    """The posted cells as amounts in kronor (None: an empty cell) and the errors per cell;
    `values` takes each cell's text as typed, to show it again."""
    amounts, errors = {}, {}
    for line in view.lines:
        for column in view.columns:
            key = _amount_key(line, column)
            if key not in data:
                continue  # not on the page (a long budget's folded section): unchanged
            text = data[key].strip()
            values[key] = text
            if not text:
                amounts[(line.pk, column.pk)] = None
                continue
            try:
                amounts[(line.pk, column.pk)] = round_ore(parse_amount(text))  # to öre, exact
            except AmountError as error:
                errors[key] = AMOUNT_ERRORS[error.code] % {"text": text}
    return amounts, errors


def _amount_rows(view, query, values: dict[str, str], errors: dict[str, str]) -> list[dict]:
    return [
        line
        if type(line) is dict  # a folded section's row
        else {
            "line": line,
            "cells": [
                {
                    "key": _amount_key(line, c),
                    "value": values.get(_amount_key(line, c))
                    if _amount_key(line, c) in values
                    else _printed_input(view, line, c),
                    "error": errors.get(_amount_key(line, c)),
                }
                for c in view.columns
            ],
        }
        for line in _folded_lines(view, query)
    ]


def _save_amounts(request, association, budget, amounts):
    try:
        changed = services.budget_amounts_set(budget=budget, amounts=amounts, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(n)s amounts have been saved.") % {"n": changed})
    return redirect("economy:budget_detail", association.slug, budget.pk)


@association_view("budget.edit")
def budget_amounts_view(request, association, pk: int):
    """Edit a draft budget's amounts in kronor; derived lines may be left empty."""
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    view = selectors.budget_view(budget=budget)
    values: dict[str, str] = {}  # as typed, when the page is shown again
    errors: dict[str, str] = {}
    if request.method == "POST":
        amounts, errors = _read_amounts(request.POST, view, values)
        if not errors:
            return _save_amounts(request, association, budget, amounts)
    return render(
        request,
        "economy/budget_amounts.html",
        {
            "budget": budget,
            "view": view,
            "rows": _amount_rows(view, request.GET, values, errors),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
