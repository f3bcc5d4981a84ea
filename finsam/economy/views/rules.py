"""The association's financial rules (equity ceiling and floor, target shares, balance)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action
from finsam.economy import forms, selectors, services
from finsam.organisation.tenancy import association_view


def _rules_xlsx(association, rules) -> HttpResponse:
    return xlsx_response(
        filename=f"finansiella-regler-{association.slug}.xlsx",
        title=_("Financial rules"),
        headers=[
            _("Rule"),
            _("Value"),
            _("Relative to"),
            _("Purpose"),
            _("Valid from"),
            _("Valid to"),
            _("Source"),
        ],
        rows=(
            [
                str(r.get_kind_display()),
                r.value,
                str(r.get_basis_display()),
                str(r.get_cost_kind_display()),
                r.valid_from,
                r.valid_to,
                r.source,
            ]
            for r in rules
        ),
    )


@association_view("budget.view")
def rules_view(request, association):
    rules = selectors.financial_rules(user=request.user, association=association)
    if request.GET.get("format") == "xlsx":
        return _rules_xlsx(association, rules)
    return render(request, "economy/rules.html", {"rules": rules})


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
