"""Assessment of an application and placing it on the board's agenda."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.forms import post_action, save_form
from finsam.funding import forms, selectors, services
from finsam.funding.models import Application
from finsam.organisation.access import can, check
from finsam.organisation.tenancy import association_view

Status = Application.Status


# --- assessment ---------------------------------------------------------------------------------


def _assessment_context(request, association, application, form=None, agenda_form=None):
    criteria = list(selectors.criteria(user=request.user, association=association))
    active = [c for c in criteria if c.is_active]
    summary = services.application_assessment_summary(application)
    can_assess = (
        can(request.user, association, "applications.assess")
        and application.status in services.ASSESSABLE_STATUSES
    )
    if form is None and can_assess:
        mine = {row.criterion.pk: row.by_assessor.get(request.user.pk) for row in summary.criteria}
        initial = {}
        for c in active:
            if mine.get(c.pk):
                initial[f"criterion_{c.pk}"] = mine[c.pk].score
                initial[f"comment_{c.pk}"] = mine[c.pk].comment
        form = forms.AssessmentForm(criteria=active, initial=initial)
    meetings = selectors.board_meetings(user=request.user, association=association)
    if agenda_form is None:
        upcoming = meetings.filter(date__gte=timezone.localdate()).order_by("date").first()
        agenda_form = forms.AgendaForm(meetings=meetings, initial={"meeting": upcoming})
    return {
        "application": application,
        "summary": summary,
        "form": form if can_assess else None,
        "agenda_form": agenda_form,
        "can_assess": can_assess,
        "can_manage": can(request.user, association, "assessments.manage"),
        "can_decide": can(request.user, association, "decisions.record")
        and application.status in services.DECIDABLE_STATUSES,
    }


@association_view("assessments.view")
def assessment_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    if request.method == "POST":
        allowed, reason = check(request.user, association, "applications.assess")
        if not allowed:
            raise PermissionDenied(reason)
        criteria = list(
            selectors.criteria(user=request.user, association=association, active_only=True)
        )
        form = forms.AssessmentForm(request.POST, criteria=criteria)
        if save_form(
            request,
            form,
            lambda d: services.assessment_set(
                application=application, scores=form.scores(), by=request.user
            ),
            _("Your assessment has been saved."),
        ):
            return redirect("funding:assessment", association.slug, application.pk)
        context = _assessment_context(request, association, application, form=form)
        return render(request, "funding/assessment.html", context, status=400)
    return render(
        request,
        "funding/assessment.html",
        _assessment_context(request, association, application),
    )


ASSESSMENT_ACTIONS = {
    "assessed": (
        services.application_mark_assessed,
        gettext_lazy("The application has been marked as assessed."),
    ),
    "reopen": (
        services.application_reopen_assessment,
        gettext_lazy("The assessment has been reopened."),
    ),
    "return": (
        services.application_return_to_applicant,
        gettext_lazy(
            "The application has been returned to the applicant for additional information."
        ),
    ),
}


@require_POST
@association_view("assessments.manage")
def assessment_action_view(request, association, pk: int, action: str):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    if action not in ASSESSMENT_ACTIONS:
        raise Http404
    service, success = ASSESSMENT_ACTIONS[action]
    return post_action(
        request,
        lambda: service(application=application, by=request.user),
        success_message=success,
        done=lambda: redirect("funding:assessment", association.slug, application.pk),
    )


@require_POST
@association_view("assessments.manage")
def agenda_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    meetings = selectors.board_meetings(user=request.user, association=association)
    form = forms.AgendaForm(request.POST, meetings=meetings)
    if save_form(
        request,
        form,
        lambda d: services.application_put_on_agenda(
            application=application, meeting=d["meeting"], by=request.user
        ),
        _("The application has been placed on the board's agenda."),
    ):
        return redirect("funding:assessment", association.slug, application.pk)
    context = _assessment_context(request, association, application, agenda_form=form)
    return render(request, "funding/assessment.html", context, status=400)
