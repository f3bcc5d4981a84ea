"""The data-protection contact's access log: page and export."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.exports import xlsx_response
from finsam.organisation.tenancy import association_view
from finsam.participants import forms, selectors, services
from finsam.participants.views.common import csv_response


def _access_log_filters(request, association):
    """The filter form and the entries it selects; an invalid filter selects nothing."""
    query = request.GET.copy()
    query.pop("sida", None)
    form = forms.AccessLogFilterForm(
        query or None,
        usernames=selectors.access_log_usernames(user=request.user, association=association),
        interventions=selectors.access_log_interventions(
            user=request.user, association=association
        ),
    )
    valid = not form.is_bound or form.is_valid()
    filters = form.cleaned_data if form.is_bound and valid else {}
    entries = selectors.access_log(
        user=request.user,
        association=association,
        username=filters.get("username", ""),
        participant_ref=filters.get("participant", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
        intervention=filters.get("intervention"),
    )
    return form, (entries if valid else entries.none()), filters, query


@association_view("participants.access_log")
def access_log_view(request, association):
    form, entries, _filters, query = _access_log_filters(request, association)
    page = selectors.access_log_page(entries=entries, page=request.GET.get("sida"))
    response = render(
        request,
        "participants/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )
    if form.is_bound and form.errors:
        response.status_code = 400
    return response


@association_view("participants.access_log")
def access_log_export_view(request, association, file_format: str):
    form, entries, filters, query = _access_log_filters(request, association)
    if form.is_bound and form.errors:  # the page shows the errors at the fields
        return redirect(
            reverse("participants:access_log", args=[association.slug]) + "?" + query.urlencode()
        )
    rows = selectors.access_log_rows(entries)
    services.access_log_export_record(
        association=association,
        by=request.user,
        filters=filters,
        file_format=file_format,
        count=len(rows),
    )
    stamp = timezone.localdate().isoformat()
    filename = f"atkomstlogg-{association.slug}-{stamp}.{file_format}"
    if file_format == "xlsx":
        return xlsx_response(
            filename=filename,
            title=_("Access log"),
            headers=selectors.ACCESS_LOG_COLUMNS,
            rows=rows,
        )
    return csv_response(
        filename,
        selectors.ACCESS_LOG_COLUMNS,
        [[f"{r[0]:%Y-%m-%d %H:%M:%S}", *r[1:]] for r in rows],
    )
