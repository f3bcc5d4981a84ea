"""Building a budget in the app: start one, then add, rename, move and remove lines and sections."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import form_page, post_action, save_form
from finsam.economy import forms, selectors, services
from finsam.economy.folding import fold
from finsam.economy.models import ENTERED_ROLES, BudgetLine, Statement
from finsam.organisation.tenancy import association_view


def _previous_adopted(request, association, year: int):
    choice = selectors.budget_counting(user=request.user, association=association, year=year - 1)
    if choice.budget is None or choice.only_drafts:
        raise ValidationError(
            {
                "start": _("There is no adopted budget for %(year)s to start from.")
                % {"year": year - 1}
            }
        )
    return choice.budget


@association_view("budget.edit")
def budget_start_view(request, association):
    form = forms.BudgetStartForm(request.POST or None)
    created = {}

    def save(data):
        previous = None
        if data["start"] == forms.BudgetStartForm.START_PREVIOUS:
            previous = _previous_adopted(request, association, data["budget_year"])
        created["budget"] = services.budget_start(
            association=association,
            budget_year=data["budget_year"],
            title=data["title"],
            previous=previous,
            by=request.user,
        )

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The budget has been created as a draft."),
        done=lambda: redirect("economy:budget_lines", association.slug, created["budget"].pk),
        context={
            "title": _("New budget"),
            "cancel_url": reverse("economy:budgets", args=[association.slug]),
        },
    )


def _statements(budget, query) -> list[dict]:
    """Each statement's lines in reading order, in blocks by section (a long budget folded)."""
    lines = fold(
        selectors.budget_view(budget=budget).lines,
        section=lambda ln: (ln.statement, ln.section),
        is_item=lambda ln: ln.role in ENTERED_ROLES,
        label=lambda ln: ln.get_section_display(),
        query=query,
        wrap=lambda f, first: {"fold": f, "statement": first.statement, "section": first.section},
    )
    out = []
    for statement in Statement:
        blocks: list[dict] = []
        for line in lines:
            line_statement, section = (
                (line["statement"], line["section"])
                if type(line) is dict
                else (line.statement, line.section)
            )
            if line_statement != statement:
                continue
            if not blocks or blocks[-1]["section"] != section:
                label = line["fold"].label if type(line) is dict else line.get_section_display()
                blocks.append({"section": section, "label": label, "lines": []})
            blocks[-1]["lines"].append(line)
        out.append({"value": statement.value, "label": statement.label, "blocks": blocks})
    return out


def _lines_page(request, association, budget, *, add_form=None, failed=None, status=200):
    context = {
        "budget": budget,
        "statements": _statements(budget, request.GET),
        "add_form": add_form or forms.BudgetLineForm(),
        "failed": failed,
    }
    return render(request, "economy/budget_lines.html", context, status=status)


@association_view("budget.edit")
def budget_lines_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    return _lines_page(request, association, budget)


@require_POST
@association_view("budget.edit")
def budget_line_add_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    form = forms.BudgetLineForm(request.POST, instance=BudgetLine(budget=budget))
    if save_form(
        request,
        form,
        lambda d: services.budget_line_add(budget=budget, by=request.user, **d),
        _("The line has been added."),
    ):
        return redirect("economy:budget_lines", association.slug, budget.pk)
    return _lines_page(request, association, budget, add_form=form, status=400)


@require_POST
@association_view("budget.edit")
def budget_line_edit_view(request, association, pk: int, line: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    found = selectors.budget_line_get(budget=budget, pk=line)
    scratch = BudgetLine(budget=budget, statement=found.statement, role=found.role)
    form = forms.BudgetLineEditForm(request.POST, instance=scratch, prefix=f"l{found.pk}")
    if save_form(
        request,
        form,
        lambda d: services.budget_line_update(line=found, data=d, by=request.user),
        _("The line has been saved."),
    ):
        return redirect("economy:budget_lines", association.slug, budget.pk)
    return _lines_page(
        request, association, budget, failed={"pk": found.pk, "form": form}, status=400
    )


@require_POST
@association_view("budget.edit")
def budget_line_move_view(request, association, pk: int, line: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    found = selectors.budget_line_get(budget=budget, pk=line)
    return post_action(
        request,
        lambda: services.budget_line_move(
            line=found, direction=request.POST.get("direction", ""), by=request.user
        ),
        success_message=_("The line has been moved."),
        done=lambda: redirect("economy:budget_lines", association.slug, budget.pk),
    )


@require_POST
@association_view("budget.edit")
def budget_line_delete_view(request, association, pk: int, line: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    found = selectors.budget_line_get(budget=budget, pk=line)
    return post_action(
        request,
        lambda: services.budget_line_delete(line=found, by=request.user),
        success_message=_("The line has been removed."),
        done=lambda: redirect("economy:budget_lines", association.slug, budget.pk),
    )


@require_POST
@association_view("budget.edit")
def budget_section_view(request, association, pk: int):
    budget = selectors.budget_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.budget_section_change(
            budget=budget,
            statement=request.POST.get("statement", ""),
            section=request.POST.get("section", ""),
            action=request.POST.get("action", ""),
            by=request.user,
        ),
        success_message=_("The section has been changed."),
        done=lambda: redirect("economy:budget_lines", association.slug, budget.pk),
    )
