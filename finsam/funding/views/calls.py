"""Calls, assessment criteria and the association's default reporting terms."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action
from finsam.funding import forms, selectors, services
from finsam.funding.views._common import _url
from finsam.funding.views.applications import _applications_xlsx
from finsam.organisation.tenancy import association_view

# --- calls --------------------------------------------------------------------------------------


@association_view("funding.view")
def call_list_view(request, association):
    calls = selectors.calls(user=request.user, association=association)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"utlysningar-{association.slug}.xlsx",
            title=_("Calls"),
            headers=[
                _("Call"),
                _("Opens"),
                _("Closes"),
                _("Status"),
                _("To allocate (SEK)"),
                _("Granted (SEK)"),
                _("Left to allocate (SEK)"),
            ],
            rows=(
                [
                    c.title,
                    c.opens_on,
                    c.closes_on,
                    c.get_status_display(),
                    c.pot,
                    c.granted,
                    c.remaining,
                ]
                for c in calls
            ),
        )
    return render(request, "funding/call_list.html", {"calls": calls})


@association_view("funding.view")
def call_detail_view(request, association, pk: int):
    call = selectors.call_get(user=request.user, association=association, pk=pk)
    applications = selectors.applications(user=request.user, association=association).filter(
        call=call
    )
    if request.GET.get("format") == "xlsx":
        return _applications_xlsx(
            applications,
            filename=f"ansokningar-{association.slug}-utlysning-{call.pk}.xlsx",
            title=_("Applications in the call"),
        )
    return render(request, "funding/call_detail.html", {"call": call, "applications": applications})


@association_view("funding.edit")
def call_create_view(request, association):
    form = forms.CallForm(request.POST or None)
    created = {}

    def save(d):
        created["call"] = services.call_create(association=association, by=request.user, **d)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The call has been created."),
        done=lambda: redirect("funding:call_detail", association.slug, created["call"].pk),
        context={"title": _("New call"), "cancel_url": _url("calls", association)},
    )


@association_view("funding.edit")
def call_edit_view(request, association, pk: int):
    call = selectors.call_get(user=request.user, association=association, pk=pk)
    form = forms.CallForm(request.POST or None, instance=call)
    return form_page(
        request,
        form,
        save=lambda d: services.call_update(call=call, data=d, by=request.user),
        success_message=_("The call has been updated."),
        done=lambda: redirect("funding:call_detail", association.slug, call.pk),
        context={
            "title": _("Edit %(title)s") % {"title": call.title},
            "cancel_url": _url("call_detail", association, call.pk),
        },
    )


@require_POST
@association_view("funding.edit")
def call_close_view(request, association, pk: int):
    call = selectors.call_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.call_close(call=call, by=request.user),
        success_message=_("The call has been closed."),
        done=lambda: redirect("funding:call_detail", association.slug, call.pk),
    )


# --- criteria and defaults ----------------------------------------------------------------------


CRITERIA_XLSX_HEADERS = [
    gettext_lazy("Order"),
    gettext_lazy("Criterion"),
    gettext_lazy("Description"),
    gettext_lazy("In use"),
]


@association_view("funding.view")
def criteria_view(request, association):
    criteria = selectors.criteria(user=request.user, association=association)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"bedomningskriterier-{association.slug}.xlsx",
            title=_("Assessment criteria"),
            headers=CRITERIA_XLSX_HEADERS,
            rows=(
                [c.sort_order, c.title, c.description, _("Yes") if c.is_active else _("No")]
                for c in criteria
            ),
        )
    return render(
        request,
        "funding/criteria.html",
        {
            "criteria": criteria,
            "settings": services.funding_settings_for(association),
        },
    )


@association_view("funding.edit")
def criterion_create_view(request, association):
    form = forms.CriterionForm(request.POST or None, association=association)
    return form_page(
        request,
        form,
        save=lambda d: services.criterion_create(association=association, by=request.user, **d),
        success_message=_("The criterion has been added."),
        done=lambda: redirect("funding:criteria", association.slug),
        context={
            "title": _("New assessment criterion"),
            "cancel_url": _url("criteria", association),
        },
    )


@association_view("funding.edit")
def criterion_edit_view(request, association, pk: int):
    criterion = selectors.criterion_get(user=request.user, association=association, pk=pk)
    form = forms.CriterionForm(request.POST or None, instance=criterion, association=association)
    return form_page(
        request,
        form,
        save=lambda d: services.criterion_update(criterion=criterion, data=d, by=request.user),
        success_message=_("The criterion has been updated."),
        done=lambda: redirect("funding:criteria", association.slug),
        context={
            "title": _("Edit criterion"),
            "cancel_url": _url("criteria", association),
            "delete_url": _url("criterion_delete", association, criterion.pk),
        },
    )


@require_POST
@association_view("funding.edit")
def criterion_delete_view(request, association, pk: int):
    criterion = selectors.criterion_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.criterion_delete(criterion=criterion, by=request.user),
        success_message=_("The criterion has been removed."),
        done=lambda: redirect("funding:criteria", association.slug),
    )


@association_view("funding.edit")
def settings_edit_view(request, association):
    form = forms.FundingSettingsForm(
        request.POST or None, instance=services.funding_settings_for(association)
    )
    return form_page(
        request,
        form,
        save=lambda d: services.funding_settings_update(
            association=association, data=d, by=request.user
        ),
        success_message=_("The default terms have been saved."),
        done=lambda: redirect("funding:criteria", association.slug),
        context={
            "title": _("Default reporting terms for decisions"),
            "cancel_url": _url("criteria", association),
        },
    )
