"""The status-report pages: the due/overdue list, a report, writing it (with the participant
register's figures per goal), the office's review and the oral presentation held.

The reports' models and services stay in funding (they are written in the same transaction as
the board's decision); these pages sit above funding and participants because the report form
shows the register's figures."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import render_form, save_form
from finsam.economy import selectors as economy_selectors
from finsam.funding import permissions, selectors, services
from finsam.funding.models import (
    REPORT_STATES,
    InterventionReport,
    ReportKind,
)
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view
from finsam.participants import selectors as participant_selectors
from finsam.reporting import forms


def _url(name: str, association, *args) -> str:
    return reverse(f"reporting:{name}", args=[association.slug, *args])


REPORT_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Report"),
    gettext_lazy("Covers up to and including"),
    gettext_lazy("Due by"),
    gettext_lazy("Status"),
    pgettext_lazy("report", "Submitted"),
    gettext_lazy("Forecast for the year (kr)"),
    gettext_lazy("Office's comment"),
    gettext_lazy("Presented at the board meeting"),
]
REPORT_STATE_LABELS = dict(REPORT_STATES)


def _list_filters(request) -> dict[str, str]:
    """The list's filters as the query string gives them ("" = all)."""
    return {
        "status": request.GET.get("status", ""),
        "year": request.GET.get("ar", ""),
        "intervention": request.GET.get("insats", ""),
        "kind": request.GET.get("typ", ""),
    }


def _filtered_reports(request, association, filters: dict[str, str], today):
    qs = selectors.reports(user=request.user, association=association)
    if filters["status"] in REPORT_STATE_LABELS:
        qs = selectors.with_report_state(qs, state=filters["status"], today=today)
    if filters["year"].isdigit():
        qs = qs.filter(period_end__year=int(filters["year"]))
    if filters["intervention"].isdigit():
        qs = qs.filter(intervention_id=int(filters["intervention"]))
    if filters["kind"] in ReportKind.values:
        qs = qs.filter(kind=filters["kind"])
    return qs


def _reports_xlsx(association, rows):
    """The list's rows [(report, state today)] as a spreadsheet."""
    return xlsx_response(
        filename=f"rapporter-{association.slug}.xlsx",
        title=_("Reports"),
        headers=REPORT_XLSX_HEADERS,
        rows=(
            [
                r.intervention.title,
                r.get_kind_display(),
                r.period_end,
                r.due_date,
                str(REPORT_STATE_LABELS[st]),
                r.submitted_at,
                r.forecast,
                r.review_comment,
                r.meeting.date if r.meeting else None,
            ]
            for r, st in rows
        ),
        money_columns=[6],
    )


def _report_list_context(request, association, rows, filters: dict[str, str], today) -> dict:
    user = request.user
    all_reports = selectors.reports(user=user, association=association)
    return {
        "rows": rows,
        **filters,
        "states": REPORT_STATES,
        "years": sorted({d.year for d in all_reports.dates("period_end", "year")}, reverse=True),
        "kinds": ReportKind.choices,
        "interventions": selectors.interventions(user=user, association=association).values_list(
            "pk", "title"
        ),
        "counts": selectors.report_attention(user=user, association=association, today=today),
        "steering_behind": selectors.steering_behind(
            user=user, association=association, today=today
        )
        if can(user, association, "steering.view")
        else [],
        "today": today,
    }


@association_view("funding.view")
def report_list_view(request, association):
    """The reports due, overdue, submitted and approved: the office's dashboard."""
    today = timezone.localdate()
    filters = _list_filters(request)
    rows = [(r, r.state_on(today)) for r in _filtered_reports(request, association, filters, today)]
    if request.GET.get("format") == "xlsx":
        return _reports_xlsx(association, rows)
    return render(
        request,
        "reporting/report_list.html",
        _report_list_context(request, association, rows, filters, today),
    )


def _held_meetings(request, association):
    """Board meetings that have taken place, latest first: where a presentation can have been."""
    return selectors.board_meetings(user=request.user, association=association).filter(
        date__lte=timezone.localdate()
    )


def _report_context(request, association, report, review_form=None, held_form=None) -> dict:
    today = timezone.localdate()
    writable, _reason = permissions.can_write_report(request.user, report)
    attainments = {a.goal_id: a for a in report.attainments.all()}
    can_review = (
        can(request.user, association, "reports.review")
        and report.status == InterventionReport.Status.SUBMITTED
    )
    can_record_held = (
        report.is_oral
        and report.status == InterventionReport.Status.DUE
        and can(request.user, association, "reports.review")
    )
    if can_record_held and held_form is None:
        held_form = forms.OralPresentationForm(meetings=_held_meetings(request, association))
    ledger = economy_selectors.intervention_ledger(
        user=request.user,
        association=association,
        intervention=report.intervention,
        cutoff=report.period_end,
    )
    return {
        "ledger": ledger,
        "ledger_difference": economy_selectors.forecast_difference(ledger, report.forecast),
        "report": report,
        "state": report.state_on(today),
        "state_label": REPORT_STATE_LABELS[report.state_on(today)],
        "goals": [(g, attainments.get(g.pk)) for g in report.intervention.goals.all()],
        "can_write": writable and can(request.user, association, "reports.write"),
        "can_review": can_review,
        "review_form": review_form or (forms.ReportReviewForm() if can_review else None),
        "held_form": held_form if can_record_held else None,
        "today": today,
    }


@association_view("funding.view")
def report_detail_view(request, association, pk: int):
    report = selectors.report_get(user=request.user, association=association, pk=pk)
    return render(
        request, "reporting/report_detail.html", _report_context(request, association, report)
    )


def _report_form(request, report):
    """The report's form, offering per goal what the participant register counts so far."""
    register = participant_selectors.goal_figures_for_report(
        user=request.user, intervention=report.intervention, year=report.period_end.year
    )
    return forms.ReportForm(
        request.POST or None,
        instance=report,
        goals=report.intervention.goals.all(),
        register=register,
    )


@association_view("reports.write")
def report_edit_view(request, association, pk: int):
    report = selectors.report_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_write_report(request.user, report)
    if not allowed:
        raise PermissionDenied(reason)
    form = _report_form(request, report)
    submit = request.POST.get("action") == "submit"

    def save(d):
        with transaction.atomic():
            services.report_update(
                report=report,
                data=form.texts(),
                attainments=form.attainments(),
                by=request.user,
            )
            if submit:
                services.report_submit(report=report, by=request.user)

    if request.method == "POST" and save_form(
        request,
        form,
        save,
        _("The report has been submitted to the office.")
        if submit
        else _("The report has been saved."),
    ):
        return redirect("reporting:report_detail", association.slug, report.pk)
    return render_form(
        request,
        "reporting/report_form.html",
        {"report": report, "cancel_url": _url("report_detail", association, report.pk)},
        form,
    )


@require_POST
@association_view("reports.review")
def report_review_view(request, association, pk: int):
    report = selectors.report_get(user=request.user, association=association, pk=pk)
    form = forms.ReportReviewForm(request.POST)
    approve = request.POST.get("action") == "approve"

    def save(d):
        if approve:
            services.report_approve(report=report, by=request.user, comment=d["review_comment"])
        else:
            services.report_return(report=report, by=request.user, comment=d["review_comment"])

    if save_form(
        request,
        form,
        save,
        _("The report has been approved.")
        if approve
        else _("The report has been returned to the intervention for additional information."),
    ):
        return redirect("reporting:report_detail", association.slug, report.pk)
    if form.non_field_errors() and not form.has_error("action"):
        # A status that no longer allows the review (someone was quicker): say so, change nothing.
        messages.error(request, " ".join(form.non_field_errors()))
    context = _report_context(request, association, report, review_form=form)
    return render(request, "reporting/report_detail.html", context, status=400)


@require_POST
@association_view("reports.review")
def report_held_view(request, association, pk: int):
    """The office records at which board meeting an oral presentation was held."""
    report = selectors.report_get(user=request.user, association=association, pk=pk)
    if not report.is_oral:
        raise Http404
    form = forms.OralPresentationForm(request.POST, meetings=_held_meetings(request, association))
    if save_form(
        request,
        form,
        lambda d: services.oral_presentation_held(
            report=report, meeting=d["meeting"], comment=d["comment"], by=request.user
        ),
        _("The presentation is recorded as held."),
    ):
        return redirect("reporting:report_detail", association.slug, report.pk)
    if form.non_field_errors():
        messages.error(request, " ".join(form.non_field_errors()))
    context = _report_context(request, association, report, held_form=form)
    return render(request, "reporting/report_detail.html", context, status=400)
