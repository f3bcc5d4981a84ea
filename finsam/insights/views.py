"""Insights pages: national shapes, the comparison (installation and public), the report builder."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from finsam.core.exports import XLSX_TYPE, xlsx_response
from finsam.core.forms import form_page, post_action, render_form
from finsam.insights import datasets, national, selectors, services
from finsam.insights.compare import compare
from finsam.insights.forms import ConsentForm, ReportForm, SaveReportForm
from finsam.insights.permissions import can_change_report
from finsam.organisation.access import can, check
from finsam.organisation.tenancy import association_view

PREVIEW_ROWS = 50
PUBLIC_SECONDS = 600
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8", "xlsx": XLSX_TYPE}


def _year(request, default: int | None = None) -> int:
    default = default or timezone.localdate().year
    try:
        year = int(request.GET.get("ar", default))
    except ValueError:
        return default
    return year if 2004 <= year <= 2100 else default


def _download(content: bytes, *, filename: str, fmt: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- the association's insights page and the national shapes -------------------------------------


@association_view("association.view")
def index_view(request, association):
    year = _year(request)
    return render(
        request,
        "insights/index.html",
        {
            "year": year,
            "years": range(timezone.localdate().year, 2014, -1),
            "may_national": can(request.user, association, "funding.edit"),
            "may_indicators": can(request.user, association, "goals.view"),
            "may_consent": can(request.user, association, "association.edit"),
            "reports": selectors.saved_reports(user=request.user, association=association),
        },
    )


@association_view("funding.edit")
def uppfoljning_view(request, association, year: int, fmt: str):
    content = national.uppfoljning_file(
        user=request.user, association=association, year=year, fmt=fmt
    )
    filename = f"uppfoljning-finsam-{association.slug}-{year}.{fmt}"
    return _download(content, filename=filename, fmt=fmt)


@association_view("goals.view")
def indicators_view(request, association, year: int, fmt: str):
    content = national.indicator_file(
        user=request.user, association=association, year=year, fmt=fmt
    )
    filename = f"indikatorer-nationellt-{association.slug}-{year}.{fmt}"
    return _download(content, filename=filename, fmt=fmt)


# --- comparison -----------------------------------------------------------------------------------


@association_view("association.edit")
def consent_view(request, association):
    public = selectors.comparison_consent(user=request.user, association=association)
    form = ConsentForm(request.POST or None, initial={"public": public})
    return form_page(
        request,
        form,
        save=lambda d: services.comparison_consent_set(
            association=association, public=d["public"], by=request.user
        ),
        success_message=_("Saved. The public comparison page shows the change within minutes."),
        done=lambda: redirect("insights:consent", association.slug),
        context={"title": _("The public comparison"), "public": public, "association": association},
        template="insights/consent.html",
    )


@login_required
def installation_compare_view(request):
    associations = selectors.installation_associations(user=request.user)
    year = _year(request)
    return render(
        request,
        "insights/compare.html",
        {
            "comparison": _cached_compare(associations, year, "installation"),
            "public": False,
            "years": range(timezone.localdate().year, 2014, -1),
        },
    )


def _cached_compare(associations, year: int, audience: str):
    """Read once per audience, year, language and ten minutes: the same for every reader (and
    some 20 queries per association with participants, at national scale)."""
    return cache.get_or_set(
        f"insights:compare:{audience}:{year}:{get_language()}",
        lambda: compare(associations=associations, year=year),
        PUBLIC_SECONDS,
    )


@cache_control(public=True, max_age=PUBLIC_SECONDS)
def public_compare_view(request):
    year = _year(request)
    comparison = _cached_compare(selectors.publicly_compared(), year, "public")
    return render(
        request,
        "insights/compare_public.html",
        {
            "comparison": comparison,
            "public": True,
            "years": range(timezone.localdate().year, 2014, -1),
        },
    )


# --- report builder -------------------------------------------------------------------------------


def _report_context(request, association, form) -> dict:
    """The preview of a valid form: the first rows, and how many there are."""
    if not form.is_bound or not form.is_valid():
        return {}
    dataset, columns, filters = form.report()
    headers, rows, money = datasets.report_rows(
        user=request.user,
        association=association,
        dataset=dataset,
        columns=columns,
        filters=filters,
    )
    return {"headers": headers, "rows": rows[:PREVIEW_ROWS], "row_count": len(rows), "money": money}


@association_view("association.view")
def builder_view(request, association):
    available = datasets.datasets_for(request.user, association)
    if request.method == "POST":
        form = SaveReportForm(request.POST, datasets=available)
        saved = {}
        return form_page(
            request,
            form,
            save=lambda d: saved.update(report=_create(request, association, form)),
            success_message=_("The report has been saved."),
            done=lambda: redirect("insights:report", association.slug, saved["report"].pk),
            context={"title": _("New report"), "datasets": available},
            template="insights/builder.html",
        )
    form = ReportForm(request.GET or None, datasets=available)
    save_form = SaveReportForm(
        initial=request.GET.dict() if form.is_bound else None, datasets=available
    )
    context = {
        "title": _("New report"),
        "datasets": available,
        "save_form": save_form,
        **_report_context(request, association, form),
    }
    return render_form(request, "insights/builder.html", context, form)


def _create(request, association, form):
    dataset, columns, filters = form.report()
    return services.saved_report_create(
        association=association,
        name=form.cleaned_data["name"],
        dataset=dataset.key,
        columns=columns,
        filters=filters,
        shared=form.cleaned_data["shared"],
        by=request.user,
    )


def _saved_form(request, report, form_class=ReportForm, data=None):
    available = datasets.datasets_for(request.user, report.association)
    dataset = datasets.DATASETS.get(report.dataset)
    if dataset is None or dataset not in available:
        capability = dataset.capability if dataset else "association.view"
        raise PermissionDenied(check(request.user, report.association, capability)[1])
    initial = {
        "dataset": report.dataset,
        "columns": report.columns,
        **report.filters,
        "name": report.name,
        "shared": report.shared,
    }
    return form_class(data or initial, datasets=available)


@association_view("association.view")
def report_view(request, association, pk: int):
    report = selectors.saved_report_get(user=request.user, association=association, pk=pk)
    form = _saved_form(request, report)
    if not form.is_valid():
        raise Http404
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        return _export(request, association, report, form, fmt)
    context = {
        "report": report,
        "may_change": can_change_report(request.user, report)[0],
        **_report_context(request, association, form),
    }
    return render(request, "insights/report.html", context)


def _export(request, association, report, form, fmt: str) -> HttpResponse:
    dataset, columns, filters = form.report()
    headers, rows, money = datasets.report_rows(
        user=request.user,
        association=association,
        dataset=dataset,
        columns=columns,
        filters=filters,
    )
    filename = f"rapport-{report.pk}.{fmt}"
    if fmt == "xlsx":
        return xlsx_response(
            filename=filename, title=report.name, headers=headers, rows=rows, money_columns=money
        )
    return _download(national.csv_text(headers, rows).encode("utf-8"), filename=filename, fmt=fmt)


@association_view("association.view")
def report_edit_view(request, association, pk: int):
    report = selectors.saved_report_get(user=request.user, association=association, pk=pk)
    allowed, reason = can_change_report(request.user, report)
    if not allowed:
        raise PermissionDenied(reason)
    form = _saved_form(request, report, SaveReportForm, request.POST or None)

    def save(d):
        dataset, columns, filters = form.report()
        services.saved_report_update(
            report=report,
            by=request.user,
            data={
                "name": d["name"],
                "dataset": dataset.key,
                "columns": columns,
                "filters": filters,
                "shared": d["shared"],
            },
        )

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The report has been changed."),
        done=lambda: redirect("insights:report", association.slug, report.pk),
        context={
            "title": _("Change the report"),
            "report": report,
            "datasets": datasets.datasets_for(request.user, association),
        },
        template="insights/builder.html",
    )


@require_POST
@association_view("association.view")
def report_delete_view(request, association, pk: int):
    report = selectors.saved_report_get(user=request.user, association=association, pk=pk)
    allowed, reason = can_change_report(request.user, report)
    if not allowed:
        raise PermissionDenied(reason)
    return post_action(
        request,
        lambda: services.saved_report_delete(report=report, by=request.user),
        success_message=_("The report has been removed."),
        done=lambda: redirect("insights:index", association.slug),
    )
