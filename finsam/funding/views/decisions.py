"""The board's decisions on applications and their decision letters."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from finsam.funding import forms, letters, selectors, services
from finsam.funding.models import Application
from finsam.funding.views._common import amount_form_status, save_with_amount_errors
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view

# --- decisions ----------------------------------------------------------------------------------


def _decision_years(application: Application) -> list[int]:
    if application.period_end:
        return list(range(application.period_start.year, application.period_end.year + 1))
    years = sorted({b.year for b in application.budget_lines.all()})
    return years or [application.period_start.year]


def _decision_form(request, association, application):
    defaults = services.funding_settings_for(association)
    initial = {name: getattr(defaults, name) for name in forms.DecisionForm.TERMS}
    if application.agenda_item_id:
        initial["meeting"] = application.agenda_item.meeting_id
    return forms.DecisionForm(
        request.POST or None,
        meetings=selectors.board_meetings(user=request.user, association=association),
        years=_decision_years(application),
        initial=initial,
    )


def _decision_context(request, association, application, form, amount_errors) -> dict:
    requested = {}
    for line in application.budget_lines.all():
        requested[line.year] = requested.get(line.year, 0) + line.requested
    return {
        "application": application,
        "form": form,
        "amount_errors": amount_errors,
        "requested": requested,
        "summary": services.application_assessment_summary(application)
        if can(request.user, association, "assessments.view")
        else None,
        "call": selectors.call_get(
            user=request.user, association=association, pk=application.call_id
        )
        if application.call_id
        else None,
    }


def _after_decision(association, application, decision):
    """To the intervention the decision started, else back to the application."""
    if decision.intervention_id:
        return redirect("funding:intervention_detail", association.slug, decision.intervention_id)
    return redirect("funding:application_detail", association.slug, application.pk)


@association_view("decisions.record")
def decision_create_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    form = _decision_form(request, association, application)
    created = {}

    def save(d):
        created["decision"] = services.decision_record(
            application=application,
            meeting=d["meeting"],
            paragraph=d["paragraph"],
            outcome=d["outcome"],
            amounts=form.amounts(),
            conditions=d["conditions"],
            motivation=d["motivation"],
            terms=form.terms(),
            by=request.user,
        )

    amount_errors: list[str] = []
    if request.method == "POST":
        saved, amount_errors = save_with_amount_errors(
            request, form, save, _("The decision has been recorded.")
        )
        if saved:
            return _after_decision(association, application, created["decision"])
    return render(
        request,
        "funding/decision_form.html",
        _decision_context(request, association, application, form, amount_errors),
        status=amount_form_status(form, amount_errors),
    )


# --- decision letters ---------------------------------------------------------------------------


def _letter_response(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@association_view("funding.view")
def decision_letter_pdf_view(request, association, pk: int):
    decision = selectors.decision_get(user=request.user, association=association, pk=pk)
    return _letter_response(
        letters.decision_letter_pdf(decision),
        "application/pdf",
        letters.letter_filename(decision, "pdf"),
    )


@association_view("funding.view")
def decision_letter_docx_view(request, association, pk: int):
    decision = selectors.decision_get(user=request.user, association=association, pk=pk)
    return _letter_response(
        letters.decision_letter_docx(decision),
        letters.DOCX_TYPE,
        letters.letter_filename(decision, "docx"),
    )
