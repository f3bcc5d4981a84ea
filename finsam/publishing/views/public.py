"""The public pages: no login, read only, the published catalogue and nothing else.

Every response here is the same for every visitor (language aside), so it is cacheable: a
public max-age, an ETag of the body (a repeated request gets 304), Vary on the language cookie.
No page uses the CSRF token (the language switch is a link), so none sets a cookie."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from finsam.core.exports import csv_writer
from finsam.participants.statistics.suppression import suppression_note
from finsam.publishing import forms, public, selectors

MAX_AGE = 300
PAGE_SIZE = 20


def public_page(view):
    """GET only, cacheable by anyone for MAX_AGE seconds, with an ETag (304 when unchanged)."""

    @require_GET
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        response["Cache-Control"] = f"public, max-age={MAX_AGE}"
        patch_vary_headers(response, ["Cookie"])
        return get_conditional_response(request, etag=etag, response=response)

    wrapped.public = True
    return wrapped


def _base(association) -> dict:
    return {"association": association, "settings": association.public_settings}


@public_page
def index_view(request):
    return render(
        request, "publishing/public_index.html", {"associations": selectors.public_associations()}
    )


@public_page
def catalogue_view(request, slug: str):
    association = selectors.public_association(slug=slug)
    form = forms.FacetForm(request.GET or None, association=association)
    facets = form.facets() if form.is_bound else selectors.Facets()
    today = timezone.localdate()
    found = selectors.published_entries(association=association, facets=facets)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("sida"))
    query = request.GET.copy()
    query.pop("sida", None)
    return render(
        request,
        "publishing/public_catalogue.html",
        {
            **_base(association),
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "entries": public.entries_data(page.object_list, today=today),
            "filtered": facets != selectors.Facets(),
            "calls": [public.call_data(c) for c in selectors.open_calls(association=association)],
            "documents": selectors.adopted_documents(association=association),
        },
    )


@public_page
def entry_view(request, slug: str, pk: int):
    association = selectors.public_association(slug=slug)
    entry = selectors.published_entry(association=association, pk=pk)
    decisions = selectors.published_decisions(association=association, entry=entry)
    return render(
        request,
        "publishing/public_entry.html",
        {
            **_base(association),
            "entry": public.entry_data(entry, today=timezone.localdate()),
            "is_intervention": entry.intervention_id is not None,
            "results": public.result_rows([entry]),
            "results_updated_at": entry.results_updated_at,
            "note": suppression_note(),
            "decisions": [public.decision_data(d) for d in decisions],
            "documents": selectors.adopted_documents(association=association, entry=entry),
        },
    )


@public_page
def document_pdf_view(request, slug: str, pk: int):
    """An adopted document's stored PDF, byte for byte what the board adopted."""
    association = selectors.public_association(slug=slug)
    document = selectors.adopted_document(association=association, pk=pk)
    response = HttpResponse(bytes(document.pdf), content_type="application/pdf")
    filename = f"{association.slug}-{document.kind}-{document.year}-v{document.version}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@public_page
def decisions_view(request, slug: str):
    association = selectors.public_association(slug=slug)
    decisions = selectors.published_decisions(association=association)
    return render(
        request,
        "publishing/public_decisions.html",
        {**_base(association), "decisions": [public.decision_data(d) for d in decisions]},
    )


@public_page
def open_data_view(request, slug: str):
    association = selectors.public_association(slug=slug)
    return render(
        request,
        "publishing/public_open_data.html",
        {**_base(association), "datasets": DATASETS, "api_schema": "/api/openapi.json"},
    )


def _catalogue(association):
    today = timezone.localdate()
    return public.entries_data(selectors.published_entries(association=association), today=today)


def _results(association):
    return public.result_rows(selectors.published_entries(association=association))


def _decisions(association):
    return [public.decision_data(d) for d in selectors.published_decisions(association=association)]


# name in the URL: (title, columns, rows)
DATASETS = {
    "katalog": (_("Catalogue of interventions and activities"), public.CATALOGUE_CSV, _catalogue),
    "resultat": (_("Results per intervention and year"), public.RESULTS_CSV, _results),
    "beslut": (_("Published decisions"), public.DECISIONS_CSV, _decisions),
}


def _download(filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@public_page
def csv_view(request, slug: str, dataset: str):
    association = selectors.public_association(slug=slug)
    if dataset not in DATASETS:
        raise Http404
    _title, columns, rows = DATASETS[dataset]
    header, body = public.csv_rows(columns, rows(association))
    response = _download(f"{dataset}-{association.slug}.csv", "text/csv; charset=utf-8")
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    writer = csv_writer(response)
    writer.writerow(header)
    writer.writerows(body)
    return response


@public_page
def insatskatalogen_view(request, slug: str, fmt: str):
    """The published entries in Insatskatalogen's entry shape (docs/publishing.md)."""
    association = selectors.public_association(slug=slug)
    if fmt not in ("json", "csv"):
        raise Http404
    base_url = request.build_absolute_uri("/").rstrip("/")
    today = timezone.localdate()
    entries = list(selectors.published_entries(association=association))
    items = [
        public.insatskatalogen_entry(e, data, base_url=base_url)
        for e, data in zip(entries, public.entries_data(entries, today=today), strict=True)
    ]
    name = f"insatskatalogen-{association.slug}"
    if fmt == "json":
        response = _download(f"{name}.json", "application/json")
        response.write(json.dumps({"insatser": items}, ensure_ascii=False, indent=2))
        return response
    response = _download(f"{name}.csv", "text/csv; charset=utf-8")
    response.write("\ufeff")
    writer = csv_writer(response)
    writer.writerow(public.INSATSKATALOGEN_FIELDS)
    for item in items:
        writer.writerow([public.cell(item[k]) for k in public.INSATSKATALOGEN_FIELDS])
    return response


@require_GET
def language_view(request, language: str):
    """The public pages' language switch: a link (no form, no CSRF cookie) that remembers the
    choice in the same cookie as the app's switch and returns to the page."""
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("publishing:index")
    response = HttpResponseRedirect(target)
    if language in {code for code, _name in settings.LANGUAGES}:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
    response["Cache-Control"] = "no-store"
    return response
