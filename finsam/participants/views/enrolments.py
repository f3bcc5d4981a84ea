"""One participation: the participant's page, sessions, exit, survey, extract and erasure."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from finsam.core.forms import form_page
from finsam.organisation.tenancy import association_view
from finsam.participants import forms, selectors, services
from finsam.participants.charts import format_score, ors_chart_svg
from finsam.participants.models import Session
from finsam.participants.permissions import can_change_data, can_change_exit
from finsam.participants.ratings import clinical_cutoff, srs_needs_attention
from finsam.participants.views.common import _enrolment_form, _exit_initial, _refuse_unless


@association_view("participants.register")
def enrolment_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(user=request.user, association=association, pk=pk)
    sessions = selectors.enrolment_sessions(enrolment)
    rules = services.rating_rules_for(association)
    return render(
        request,
        "participants/enrolment.html",
        {
            "enrolment": enrolment,
            "participant": enrolment.participant,
            "name": selectors.participant_name(enrolment),
            "contact": selectors.participant_contact(enrolment),
            **_ratings_context(enrolment, sessions, rules),
            "others": selectors.other_enrolment_count(user=request.user, enrolment=enrolment),
            "corrections": selectors.correction_history(enrolment=enrolment, user=request.user),
            "can_change": can_change_data(enrolment.participant)[0],
            "survey": getattr(enrolment, "exit_survey", None)
            if hasattr(enrolment, "exit_survey")
            else None,
            "survey_answers": selectors.survey_answers(enrolment),
        },
    )


def _ratings_context(enrolment, sessions, rules) -> dict:
    """The sessions with their alert levels, the ORS chart and the SRS / G-SRS flags."""
    # The cutoff of the participant's age band at the start of the participation.
    cutoff = clinical_cutoff(enrolment.age_at_start, rules)
    points = [(s.date, s.ors_total) for s in sessions if s.ors_total is not None]
    chart = ors_chart_svg(
        points,
        cutoff=cutoff,
        title=_("ORS over time – %(ref)s") % {"ref": enrolment.participant.reference},
        rules=rules,
        chart_id="ors-chart",
    )
    for s in sessions:
        s.alert_limit = rules.alert_below(group=s.kind == Session.Kind.GROUP)
    srs_flags = [
        s
        for s in sessions
        if s.srs_total is not None
        and srs_needs_attention(s.srs_total, rules, group=s.kind == Session.Kind.GROUP)
    ]
    last_rated = next((s for s in reversed(sessions) if s.srs_total is not None), None)
    return {
        "sessions": sessions,
        "srs_flag_ids": {s.pk for s in srs_flags},
        "latest_srs_flag": srs_flags[-1] if srs_flags and srs_flags[-1] == last_rated else None,
        "chart": mark_safe(chart),  # noqa: S308 - charts.py escapes every text
        "cutoff": format_score(cutoff),
        "reliable_points": format_score(rules.reliable_change_points)
        if rules.reliable_change_method == "points"
        else "",
    }


@association_view("participants.register")
def participant_log_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user,
        association=association,
        pk=pk,
        detail=_("The participant's access history"),
    )
    page = selectors.participant_access_history(
        user=request.user, enrolment=enrolment, page=request.GET.get("sida")
    )
    return render(
        request,
        "participants/participant_log.html",
        {"enrolment": enrolment, "participant": enrolment.participant, "page": page},
    )


@association_view("participants.register")
def session_create_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    _refuse_unless(can_change_data(enrolment.participant))
    form = forms.SessionForm(
        request.POST or None,
        initial={"date": timezone.localdate().isoformat()},
        rules=services.rating_rules_for(association),
    )

    def save(data):
        result = services.session_record(
            enrolment=enrolment,
            date=data["date"],
            kind=data["kind"],
            ors_items=[data[f] for f in services.ORS_FIELDS],
            srs_total=data["srs_total"],
            by=request.user,
        )
        for flag in result.flags:  # SRS under the alert level: the staff member must see it
            messages.warning(request, flag)

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("The session has been registered."),
        title=_("New session – %(ref)s") % {"ref": enrolment.participant.reference},
    )


@association_view("participants.register")
def exit_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    if enrolment.exit_date:  # changing a registered exit is a correction, with a reason
        return redirect("participants:correct_exit", association.slug, enrolment.pk)
    _refuse_unless(can_change_exit(enrolment.participant))
    form = forms.ExitForm(
        request.POST or None,
        association=association,
        initial=_exit_initial(enrolment),
    )
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.enrolment_exit(enrolment=enrolment, by=request.user, **d),
        success_message=_("The exit has been registered."),
        title=_("End participation – %(ref)s") % {"ref": enrolment.participant.reference},
    )


@association_view("participants.register")
def survey_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    questions = services.survey_questions(association=association, active_only=True)
    if request.method == "POST":
        form = forms.SurveyForm(request.POST, questions=questions)
    else:
        initial = selectors.exit_survey_initial(user=request.user, enrolment=enrolment)
        form = forms.SurveyForm(initial=initial, questions=questions)
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.exit_survey_record(
            enrolment=enrolment, by=request.user, answers=form.answers(), **form.fixed_data()
        ),
        success_message=_("The exit survey has been saved."),
        title=_("Exit survey – %(ref)s") % {"ref": enrolment.participant.reference},
    )


def _export_data(request, association, pk):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    participant = enrolment.participant
    enrolments = selectors.enrolments_for_export(user=request.user, participant=participant)
    return participant, services.participant_export(
        participant=participant,
        enrolments=enrolments,
        by=request.user,
        intervention=enrolment.intervention,
    )


@association_view("participants.register")
def export_json_view(request, association, pk: int):
    participant, data = _export_data(request, association, pk)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="registerutdrag-{participant.reference}.json"'
    )
    return response


@association_view("participants.register")
def export_pdf_view(request, association, pk: int):
    participant, data = _export_data(request, association, pk)
    response = HttpResponse(
        services.participant_export_pdf(data=data), content_type="application/pdf"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="registerutdrag-{participant.reference}.pdf"'
    )
    return response


@association_view("participants.register")
def erase_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    return form_page(
        request,
        forms.EraseForm(request.POST if request.method == "POST" else None),
        save=lambda _data: services.participant_erase(
            participant=enrolment.participant, by=request.user, intervention=enrolment.intervention
        ),
        success_message=_(
            "The personal data for %(ref)s has been erased. Anonymous statistics remain."
        )
        % {"ref": enrolment.participant.reference},
        done=lambda: redirect(
            "participants:intervention", association.slug, enrolment.intervention_id
        ),
        context={"enrolment": enrolment},
        template="participants/erase.html",
    )
