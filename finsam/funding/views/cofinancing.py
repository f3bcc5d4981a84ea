"""An intervention's co-financing (medfinansiering) per funder and year: read by everyone who
sees the intervention, kept by the office."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import render_form, save_form
from finsam.funding import forms, selectors, services
from finsam.funding.views._common import _url
from finsam.organisation.access import can
from finsam.organisation.selectors import member_list
from finsam.organisation.tenancy import association_view

TEMPLATE = "funding/co_financing.html"


def _page(request, association, intervention, form, *, editing=None):
    """The page: the rows, the years' totals and, for the office, the form (new row or the row
    being changed). 400 when the form has errors."""
    context = {
        "intervention": intervention,
        "rows": selectors.co_financing_of(intervention=intervention),
        "years": services.financing_years(intervention),
        "can_edit": can(request.user, association, "funding.edit"),
        "editing": editing,
        "funders": member_list(user=request.user, association=association),
        "funders_list_id": forms.cofinancing.FUNDERS_LIST_ID,
        "form_action": _url("co_financing_edit", association, intervention.pk, editing.pk)
        if editing
        else _url("co_financing_create", association, intervention.pk),
    }
    if form is None:  # a reader: the rows and the years, no form
        return render(request, TEMPLATE, context)
    return render_form(request, TEMPLATE, context, form)


def _back(association, intervention):
    return redirect("funding:co_financing", association.slug, intervention.pk)


@association_view("funding.view")
def co_financing_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.CoFinancingForm() if can(request.user, association, "funding.edit") else None
    return _page(request, association, intervention, form)


@association_view("funding.edit")
def co_financing_create_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.CoFinancingForm(request.POST or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.co_financing_create(intervention=intervention, by=request.user, **d),
        _("The co-financing has been added."),
    ):
        return _back(association, intervention)
    return _page(request, association, intervention, form)


@association_view("funding.edit")
def co_financing_edit_view(request, association, pk: int, row: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    found = selectors.co_financing_get(
        user=request.user, association=association, intervention=intervention, pk=row
    )
    form = forms.CoFinancingForm(request.POST or None, co_financing=found)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.co_financing_update(co_financing=found, data=d, by=request.user),
        _("The co-financing has been changed."),
    ):
        return _back(association, intervention)
    return _page(request, association, intervention, form, editing=found)


@require_POST
@association_view("funding.edit")
def co_financing_delete_view(request, association, pk: int, row: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    found = selectors.co_financing_get(
        user=request.user, association=association, intervention=intervention, pk=row
    )
    services.co_financing_delete(co_financing=found, by=request.user)
    messages.success(
        request,
        _("The co-financing from %(funder)s for %(year)s has been removed.")
        % {"funder": found.funder, "year": found.year},
    )
    return _back(association, intervention)
