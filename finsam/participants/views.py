"""Thin views: parse, check, call one service or selector, respond.

Personal pages are behind `participants.register` (staff only) and the selectors' check that the
user is staff of the intervention; every read is logged by the selectors and services.
"""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from finsam.core.forms import render_form, save_form
from finsam.core.tenancy import association_view
from finsam.participants import forms, selectors, services
from finsam.participants.charts import format_score, ors_chart_svg, progress_bar_svg
from finsam.participants.models import AccessLogEntry, Session
from finsam.participants.ratings import DEFAULT_RULES, clinical_cutoff, srs_needs_attention
from finsam.participants.suppression import suppression_note, withheld_note


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("ar", default))
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _progress_svgs(items, *, prefix: str, exact: bool) -> list[dict]:
    """Goal progress as SVG bars. Outside the intervention's staff (`exact=False`) a count of
    1–4 persons is not shown."""
    out = []
    for n, item in enumerate(items):
        entry = {"item": item, "svg": "", "note": "", "exact": exact}
        if item.value is None:
            entry["note"] = _("Inget underlag ännu.")
        elif not exact and not item.published():
            entry["note"] = _(
                "Visas inte: utfallet skulle avslöja en grupp med färre än 5 personer."
            )
        else:
            entry["svg"] = mark_safe(  # noqa: S308 - charts.py escapes every text
                progress_bar_svg(
                    item.value,
                    item.target,
                    unit="%" if item.is_share else "",
                    title=f"{item.goal_text}: {item.value} / {item.target}",
                    chart_id=f"{prefix}-{n}",
                )
            )
        out.append(entry)
    return out


# --- landing page ---------------------------------------------------------------------------------


@association_view("participants.statistics")
def index_view(request, association):
    return render(
        request,
        "participants/index.html",
        {
            "interventions": selectors.staff_interventions(
                user=request.user, association=association
            ),
        },
    )


# --- an intervention's participants (staff of that intervention) ----------------------------------


@association_view("participants.register")
def intervention_view(request, association, pk: int):
    intervention = selectors.intervention_for_staff(
        user=request.user, association=association, pk=pk
    )
    year = _year(request, timezone.localdate().year)
    rows, page = selectors.enrolments_for_intervention(
        user=request.user, intervention=intervention, page=request.GET.get("sida")
    )
    goals = selectors.goal_progress(interventions=[intervention], year=year)[intervention.pk]
    return render(
        request,
        "participants/intervention.html",
        {
            "intervention": intervention,
            "rows": rows,
            "page": page,
            "year": year,
            "goals": _progress_svgs(goals, prefix="goal", exact=True),
        },
    )


@sensitive_post_parameters("identity_text", "name", "contact")
@association_view("participants.register")
def register_view(request, association, pk: int):
    intervention = selectors.intervention_for_staff(
        user=request.user, association=association, pk=pk
    )
    services.codes_ensure_defaults(association=association)
    form = forms.RegisterForm(request.POST or None, association=association)
    created = {}

    @sensitive_variables("data")
    def save(data):
        created["enrolment"] = services.participant_register(
            association=association, intervention=intervention, by=request.user, **data
        )

    if request.method == "POST" and save_form(request, form, save, _("Deltagaren är registrerad.")):
        return redirect("participants:enrolment", association.slug, created["enrolment"].pk)
    return render_form(
        request,
        "participants/form.html",
        {
            "title": _("Registrera deltagare i %(intervention)s") % {"intervention": intervention},
            "cancel_url": reverse("participants:intervention", args=[association.slug, pk]),
            "intro": _(
                "Registrera bara personer som har lämnat skriftligt samtycke. Personnumret "
                "används för att känna igen personen och sparas inte."
            ),
        },
        form,
    )


@association_view("participants.register")
def national_export_view(request, association, pk: int):
    intervention = selectors.intervention_for_staff(
        user=request.user, association=association, pk=pk
    )
    rows = selectors.national_export_rows(user=request.user, intervention=intervention)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="uppfoljning-insats-{intervention.pk}.csv"'
    )
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(selectors.NATIONAL_EXPORT_COLUMNS)
    writer.writerows(rows)
    return response


# --- one participation ------------------------------------------------------------------------------


@association_view("participants.register")
def enrolment_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(user=request.user, association=association, pk=pk)
    sessions = selectors.enrolment_sessions(enrolment)
    rules = services.rating_rules_for(association)
    # The cutoff of the participant's age band at the start of the participation.
    cutoff = clinical_cutoff(enrolment.age_at_start, rules)
    points = [(s.date, s.ors_total) for s in sessions if s.ors_total is not None]
    chart = ors_chart_svg(
        points,
        cutoff=cutoff,
        title=_("ORS över tid – %(ref)s") % {"ref": enrolment.participant.reference},
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
    return render(
        request,
        "participants/enrolment.html",
        {
            "enrolment": enrolment,
            "participant": enrolment.participant,
            "name": selectors.participant_name(enrolment),
            "contact": selectors.participant_contact(enrolment),
            "sessions": sessions,
            "srs_flag_ids": {s.pk for s in srs_flags},
            "latest_srs_flag": srs_flags[-1]
            if srs_flags
            and srs_flags[-1]
            == next((s for s in reversed(sessions) if s.srs_total is not None), None)
            else None,
            "chart": mark_safe(chart),  # noqa: S308 - charts.py escapes every text
            "cutoff": format_score(cutoff),
            "reliable_points": format_score(rules.reliable_change_points)
            if rules.reliable_change_method == "points"
            else "",
            "others": selectors.other_enrolment_count(user=request.user, enrolment=enrolment),
            "survey": getattr(enrolment, "exit_survey", None)
            if hasattr(enrolment, "exit_survey")
            else None,
            "survey_answers": selectors.survey_answers(enrolment),
        },
    )


def _enrolment_form_page(request, association, enrolment, form, title):
    return render_form(
        request,
        "participants/form.html",
        {
            "title": title,
            "cancel_url": reverse("participants:enrolment", args=[association.slug, enrolment.pk]),
        },
        form,
    )


@association_view("participants.register")
def session_create_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    form = forms.SessionForm(
        request.POST or None,
        initial={"date": timezone.localdate().isoformat()},
        rules=services.rating_rules_for(association),
    )
    result = {}

    def save(data):
        result["r"] = services.session_record(
            enrolment=enrolment,
            date=data["date"],
            kind=data["kind"],
            ors_items=[data[f] for f in services.ORS_FIELDS],
            srs_total=data["srs_total"],
            by=request.user,
        )

    if request.method == "POST" and save_form(request, form, save, _("Träffen är registrerad.")):
        for flag in result["r"].flags:
            messages.warning(request, flag)
        return redirect("participants:enrolment", association.slug, enrolment.pk)
    return _enrolment_form_page(
        request,
        association,
        enrolment,
        form,
        _("Ny träff – %(ref)s") % {"ref": enrolment.participant.reference},
    )


@association_view("participants.register")
def exit_view(request, association, pk: int):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    form = forms.ExitForm(
        request.POST or None,
        association=association,
        initial={
            "exit_date": (enrolment.exit_date or timezone.localdate()).isoformat(),
            "exit_reason": enrolment.exit_reason_id,
            "exit_occupation": enrolment.exit_occupation_id,
            "exit_income_source": enrolment.exit_income_source_id,
            "step_progress": enrolment.step_progress_id,
        },
    )
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.enrolment_exit(enrolment=enrolment, by=request.user, **d),
        _("Avslutet är registrerat."),
    ):
        return redirect("participants:enrolment", association.slug, enrolment.pk)
    return _enrolment_form_page(
        request,
        association,
        enrolment,
        form,
        _("Avsluta deltagande – %(ref)s") % {"ref": enrolment.participant.reference},
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
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.exit_survey_record(
            enrolment=enrolment, by=request.user, answers=form.answers(), **form.fixed_data()
        ),
        _("Avslutsenkäten är sparad."),
    ):
        return redirect("participants:enrolment", association.slug, enrolment.pk)
    return _enrolment_form_page(
        request,
        association,
        enrolment,
        form,
        _("Avslutsenkät – %(ref)s") % {"ref": enrolment.participant.reference},
    )


def _export_data(request, association, pk):
    enrolment = selectors.enrolment_for_staff(
        user=request.user, association=association, pk=pk, action=""
    )
    participant = enrolment.participant
    enrolments = selectors.enrolments_for_export(user=request.user, participant=participant)
    return participant, services.participant_export(
        participant=participant, enrolments=enrolments, by=request.user
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
    form = forms.EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.participant_erase(participant=enrolment.participant, by=request.user)
        messages.success(
            request,
            _("Personuppgifterna för %(ref)s är raderade. Anonym statistik finns kvar.")
            % {"ref": enrolment.participant.reference},
        )
        return redirect("participants:intervention", association.slug, enrolment.intervention_id)
    return render_form(
        request,
        "participants/erase.html",
        {"enrolment": enrolment},
        form,
    )


# --- aggregates: statistics, summary CSV ----------------------------------------------------------


@association_view("participants.statistics")
def statistics_view(request, association):
    year = _year(request, selectors.default_statistics_year(association=association))
    stats = selectors.statistics(user=request.user, association=association, year=year)
    goals = [
        (intervention, _progress_svgs(items, prefix=f"goal-{intervention.pk}", exact=False))
        for intervention, items in stats.goals
    ]
    return render(
        request,
        "participants/statistics.html",
        {
            "stats": stats,
            "year": year,
            "years": selectors.statistics_years(association=association),
            "tables": [
                (heading, table.as_rows(corner=corner) if table else None, table)
                for heading, corner, table in stats.tables
            ],
            "goals": goals,
            "questions": [
                {
                    "question": q.question,
                    "table": q.table,
                    "rows": q.as_rows(corner=_("Insats"))
                    if q.table and not q.table.withheld
                    else [],
                }
                for q in stats.questions
            ],
            "note": suppression_note(),
            "withheld_note": withheld_note(),
        },
    )


@association_view("participants.statistics")
def summary_csv_view(request, association):
    year = _year(request, selectors.default_statistics_year(association=association))
    rows = selectors.intervention_summary_rows(
        user=request.user, association=association, year=year
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="insatser-sammanstallning-{association.slug}-{year}.csv"'
    )
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(selectors.SUMMARY_COLUMNS)
    writer.writerows(rows)
    return response


# --- the data-protection contact's pages ----------------------------------------------------------


@association_view("participants.access_log")
def access_log_view(request, association):
    form = forms.AccessLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    entries = selectors.access_log(
        user=request.user,
        association=association,
        username=filters.get("username", ""),
        participant_ref=filters.get("participant", ""),
        action=filters.get("action", ""),
        date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    return render(
        request,
        "participants/access_log.html",
        {"form": form, "entries": entries[:500], "actions": AccessLogEntry.Action},
    )


@association_view("participants.codes")
def codes_view(request, association):
    services.codes_ensure_defaults(association=association)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.follow_up_code_create(association=association, by=request.user, **d),
        _("Koden är tillagd."),
    ):
        return redirect("participants:codes", association.slug)
    codes = selectors.codes_for_office(user=request.user, association=association)
    return render_form(request, "participants/codes.html", {"codes": codes}, form)


@association_view("participants.codes")
def code_edit_view(request, association, pk: int):
    code = get_object_or_404(
        selectors.codes_for_office(user=request.user, association=association), pk=pk
    )
    form = forms.CodeForm(request.POST or None, instance=code)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.follow_up_code_update(code=code, data=d, by=request.user),
        _("Koden är ändrad."),
    ):
        return redirect("participants:codes", association.slug)
    return render_form(
        request,
        "participants/form.html",
        {
            "title": _("Ändra kod"),
            "cancel_url": reverse("participants:codes", args=[association.slug]),
        },
        form,
    )


# --- the office's settings: own survey questions, rules for ORS and SRS -------------------------


@association_view("participants.survey")
def survey_questions_view(request, association):
    form = forms.SurveyQuestionForm(request.POST or None, initial={"kind": "scale"})
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.survey_question_create(association=association, by=request.user, **d),
        _("Frågan är tillagd."),
    ):
        return redirect("participants:survey_questions", association.slug)
    questions = list(
        selectors.survey_questions_for_office(user=request.user, association=association)
    )
    return render_form(
        request, "participants/survey_questions.html", {"questions": questions}, form
    )


def _office_question(request, association, pk: int):
    return get_object_or_404(
        selectors.survey_questions_for_office(user=request.user, association=association), pk=pk
    )


@association_view("participants.survey")
def survey_question_edit_view(request, association, pk: int):
    question = _office_question(request, association, pk)
    form = forms.SurveyQuestionForm(request.POST or None, instance=question)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.survey_question_update(question=question, data=d, by=request.user),
        _("Frågan är ändrad."),
    ):
        return redirect("participants:survey_questions", association.slug)
    return render_form(
        request,
        "participants/form.html",
        {
            "title": _("Ändra fråga i avslutsenkäten"),
            "cancel_url": reverse("participants:survey_questions", args=[association.slug]),
            "intro": _(
                "En fråga som har svar kan inte byta svarstyp. Ändra bara texten så att svaren "
                "fortfarande betyder samma sak."
            )
            if question.answer_count
            else "",
        },
        form,
    )


@require_POST
@association_view("participants.survey")
def survey_question_move_view(request, association, pk: int):
    question = _office_question(request, association, pk)
    services.survey_question_move(
        question=question, up=request.POST.get("riktning") != "ned", by=request.user
    )
    return redirect("participants:survey_questions", association.slug)


@require_POST
@association_view("participants.survey")
def survey_question_delete_view(request, association, pk: int):
    question = _office_question(request, association, pk)
    try:
        services.survey_question_delete(question=question, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("Frågan är borttagen."))
    return redirect("participants:survey_questions", association.slug)


@association_view("participants.ratings")
def rating_settings_view(request, association):
    rules = services.rating_rules_for(association)
    form = forms.RatingSettingsForm(
        request.POST or None, initial=forms.RatingSettingsForm.initial_for(rules)
    )
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.rating_settings_update(
            association=association, by=request.user, **form.service_data()
        ),
        _("Reglerna för ORS och SRS är sparade."),
    ):
        return redirect("participants:rating_settings", association.slug)
    return render_form(
        request,
        "participants/rating_settings.html",
        {"band_rows": form.band_rows(), "defaults": _rules_for_display(DEFAULT_RULES)},
        form,
    )


def _rules_for_display(rules) -> dict:
    return {
        "bands": [
            {
                "min_age": band.min_age,
                "max_age": band.max_age,
                "cutoff": format_score(band.cutoff),
                "verified": band.verified,
            }
            for band in rules.age_bands
        ],
        "points": format_score(rules.reliable_change_points),
        "srs": format_score(rules.srs_alert_below),
        "gsrs": format_score(rules.gsrs_alert_below),
    }
