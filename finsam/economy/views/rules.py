"""The association's financial rules: list, export and import (one layout), create, edit, delete."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action, save_form
from finsam.economy import forms, rules_xlsx, selectors, services
from finsam.organisation.tenancy import association_view


def _rules_xlsx(association, rules) -> HttpResponse:
    return xlsx_response(
        filename=f"finansiella-regler-{association.slug}.xlsx",
        title=_("Financial rules"),
        headers=rules_xlsx.headers(),
        rows=rules_xlsx.rows(rules),
    )


def _rules_page(request, association, import_form, status: int = 200):
    rules = selectors.financial_rules(user=request.user, association=association)
    context = {"rules": rules, "import_form": import_form}
    return render(request, "economy/rules.html", context, status=status)


@association_view("budget.view")
def rules_view(request, association):
    if request.GET.get("format") == "xlsx":
        rules = selectors.financial_rules(user=request.user, association=association)
        return _rules_xlsx(association, rules)
    return _rules_page(request, association, forms.RulesImportForm())


@require_POST
@association_view("budget.edit")
def rules_import_view(request, association):
    form = forms.RulesImportForm(request.POST, request.FILES)
    outcome = {}

    def save(data):
        rows = rules_xlsx.read_rules_xlsx(data["file"].read())
        outcome["n"] = services.rules_import(association=association, rows=rows, by=request.user)

    if save_form(request, form, save, _("The rules have been imported.")):
        created, skipped = outcome["n"]
        messages.info(
            request,
            _("%(created)s new rules; %(skipped)s rows were already there.")
            % {"created": created, "skipped": skipped},
        )
        return redirect("economy:rules", association.slug)
    return _rules_page(request, association, form, status=400)


@association_view("budget.edit")
def rule_create_view(request, association):
    form = forms.FinancialRuleForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.rule_create(association=association, by=request.user, **d),
        success_message=_("The rule has been saved."),
        done=lambda: redirect("economy:rules", association.slug),
        context={
            "title": _("New financial rule"),
            "cancel_url": reverse("economy:rules", args=[association.slug]),
        },
    )


@association_view("budget.edit")
def rule_edit_view(request, association, pk: int):
    rule = selectors.financial_rule_get(user=request.user, association=association, pk=pk)
    form = forms.FinancialRuleForm(request.POST or None, instance=rule)
    return form_page(
        request,
        form,
        save=lambda d: services.rule_update(rule=rule, data=d, by=request.user),
        success_message=_("The rule has been updated."),
        done=lambda: redirect("economy:rules", association.slug),
        context={
            "title": _("Edit financial rule"),
            "cancel_url": reverse("economy:rules", args=[association.slug]),
            "delete_url": reverse("economy:rule_delete", args=[association.slug, pk]),
        },
    )


@require_POST
@association_view("budget.edit")
def rule_delete_view(request, association, pk: int):
    rule = selectors.financial_rule_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.rule_delete(rule=rule, by=request.user),
        success_message=_("The rule has been removed."),
        done=lambda: redirect("economy:rules", association.slug),
    )
