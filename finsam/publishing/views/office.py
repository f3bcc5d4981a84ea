"""The office's pages: the catalogue's entries and their editorial flow, the public pages'
settings and the open API's tokens."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.forms import form_page, post_action, render_form, save_form
from finsam.organisation.tenancy import association_view
from finsam.publishing import forms, rules, selectors, services
from finsam.publishing.models import CatalogueEntry

FORM = "organisation/form.html"
CAPABILITY = selectors.CAPABILITY


@association_view(CAPABILITY)
def office_view(request, association):
    today = timezone.localdate()
    items = selectors.entries(user=request.user, association=association).order_by(
        "review_by", "pk"
    )
    return render(
        request,
        "publishing/office.html",
        {
            "entries": [(e, e.is_overdue(today)) for e in items],
            "overdue": sum(e.is_overdue(today) for e in items),
            "settings": services.settings_for(association),
        },
    )


@association_view(CAPABILITY)
def entry_create_view(request, association):
    form = forms.EntryCreateForm(request.POST or None, association=association, user=request.user)
    created = {}

    def save(_d):
        created["e"] = services.entry_create(
            association=association, by=request.user, **form.service_kwargs()
        )

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The entry has been added as a draft."),
        done=lambda: redirect("publishing:entry_detail", association.slug, created["e"].pk),
        context={
            "title": _("New catalogue entry"),
            "cancel_url": reverse("publishing:office", args=[association.slug]),
        },
        template=FORM,
    )


@association_view(CAPABILITY)
def entry_detail_view(request, association, pk: int):
    entry = selectors.entry_get(user=request.user, association=association, pk=pk)
    moves = [
        (to, rules.TRANSITION_LABELS[(entry.status, to)])
        for to in sorted(rules.TRANSITIONS.get(entry.status, ()))
    ]
    return render(
        request,
        "publishing/entry_detail.html",
        {
            "entry": entry,
            "moves": moves,
            "overdue": entry.is_overdue(timezone.localdate()),
            "editable": entry.status in rules.EDITABLE,
        },
    )


@association_view(CAPABILITY)
def entry_edit_view(request, association, pk: int):
    entry = selectors.entry_get(user=request.user, association=association, pk=pk)
    form = forms.EntryForm(request.POST or None, instance=entry, association=association)
    detail = reverse("publishing:entry_detail", args=[association.slug, pk])
    return form_page(
        request,
        form,
        save=lambda d: services.entry_update(entry=entry, data=d, by=request.user),
        success_message=_("The entry has been saved."),
        done=lambda: redirect(detail),
        context={"title": _("Change %(entry)s") % {"entry": entry}, "cancel_url": detail},
        template=FORM,
    )


@require_POST
@association_view(CAPABILITY)
def entry_move_view(request, association, pk: int, to: str):
    entry = selectors.entry_get(user=request.user, association=association, pk=pk)
    if to not in CatalogueEntry.Status.values:
        raise Http404
    return post_action(
        request,
        lambda: services.entry_transition(entry=entry, to=to, by=request.user),
        success_message=str(rules.TRANSITION_DONE[to]),
        done=lambda: redirect("publishing:entry_detail", association.slug, pk),
    )


@require_POST
@association_view(CAPABILITY)
def entry_results_view(request, association, pk: int):
    entry = selectors.entry_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.entry_refresh_results(entry=entry, by=request.user),
        success_message=_("The published results have been updated from the statistics."),
        done=lambda: redirect("publishing:entry_detail", association.slug, pk),
    )


@association_view(CAPABILITY)
def settings_view(request, association):
    form = forms.SettingsForm(request.POST or None, instance=services.settings_for(association))
    office = reverse("publishing:office", args=[association.slug])
    return form_page(
        request,
        form,
        save=lambda d: services.settings_update(association=association, data=d, by=request.user),
        success_message=_("The settings of the public pages have been saved."),
        done=lambda: redirect(office),
        context={"title": _("Public pages"), "cancel_url": office},
        template=FORM,
    )


@association_view(CAPABILITY)
def tokens_view(request, association):
    """The association's API tokens; a new one is shown once, on the page that created it."""
    form = forms.TokenForm(request.POST or None)
    created = {}

    def save(d):
        created["token"], created["raw"] = services.token_create(
            association=association, name=d["name"], by=request.user
        )

    context = {
        "tokens": selectors.tokens(user=request.user, association=association),
        "title": _("API tokens"),
    }
    if request.method == "POST" and save_form(
        request, form, save, _("The token has been created. Copy it now: it is shown only once.")
    ):
        context["new_token"] = created["raw"]
        form = forms.TokenForm()
    response = render_form(request, "publishing/tokens.html", context, form)
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@association_view(CAPABILITY)
def token_revoke_view(request, association, pk: int):
    token = selectors.token_get(user=request.user, association=association, pk=pk)
    return post_action(
        request,
        lambda: services.token_revoke(token=token, by=request.user),
        success_message=_("The token has been revoked. It no longer opens the API."),
        done=lambda: redirect("publishing:tokens", association.slug),
    )
