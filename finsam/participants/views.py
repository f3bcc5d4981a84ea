"""Thin views: parse, check, call one service or selector, respond.

Personal pages are behind `participants.register` (staff only) and the selectors' check that the
user is staff of the intervention; every read is logged by the selectors and services.
"""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, render_form, save_form
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view
from finsam.participants import forms, selectors, services
from finsam.participants.charts import format_score, ors_chart_svg, progress_bar_svg
from finsam.participants.models import AccessLogEntry, Session
from finsam.participants.permissions import can_change_data, can_change_exit
from finsam.participants.ratings import DEFAULT_RULES, clinical_cutoff, srs_needs_attention
from finsam.participants.statistics.suppression import suppression_note, withheld_note


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
            entry["note"] = _("No data yet.")
        elif not exact and not item.published():
            entry["note"] = _("Not shown: the result would reveal a group of fewer than 5 people.")
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

    if request.method == "POST" and save_form(
        request, form, save, _("The participant has been registered.")
    ):
        return redirect("participants:enrolment", association.slug, created["enrolment"].pk)
    return render_form(
        request,
        "participants/form.html",
        {
            "title": _("Register participant in %(intervention)s") % {"intervention": intervention},
            "cancel_url": reverse("participants:intervention", args=[association.slug, pk]),
            "intro": _(
                "Only register people who have given written consent. The personal identity number "
                "is used to recognise the person and is not stored."
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
            "corrections": selectors.correction_history(enrolment=enrolment, user=request.user),
            "can_change": can_change_data(enrolment.participant)[0],
            "survey": getattr(enrolment, "exit_survey", None)
            if hasattr(enrolment, "exit_survey")
            else None,
            "survey_answers": selectors.survey_answers(enrolment),
        },
    )


def _enrolment_form(
    request, association, enrolment, form, *, save, success_message, title, intro=""
):
    """A form about one participation: saved, it returns to the participant's page."""
    return form_page(
        request,
        form,
        save=save,
        success_message=success_message,
        done=lambda: redirect("participants:enrolment", association.slug, enrolment.pk),
        context={
            "title": title,
            "intro": intro,
            "cancel_url": reverse("participants:enrolment", args=[association.slug, enrolment.pk]),
        },
        template="participants/form.html",
    )


def _refuse_unless(decision: tuple[bool, str]) -> None:
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def _enrolment_to_correct(request, association, pk: int, what: str, *, exit_only=False):
    """The participation, refused when it cannot be corrected; a GET shows stored data in the
    form, so it is logged as a read."""
    enrolment = selectors.enrolment_for_staff(
        user=request.user,
        association=association,
        pk=pk,
        action=AccessLogEntry.Action.VIEW if request.method == "GET" else "",
        detail=_("Correction form: %(what)s") % {"what": what},
    )
    check = can_change_exit if exit_only else can_change_data
    _refuse_unless(check(enrolment.participant))
    return enrolment


CORRECTION_INTRO = _(
    "The correction is saved with your reason, and the earlier value stays in the audit log. The "
    "data is checked the same way as at registration."
)


@sensitive_post_parameters("identity_text")
@association_view("participants.register")
def correct_entry_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("entry data"))
    form = forms.EntryCorrectionForm(
        request.POST or None,
        association=association,
        initial={
            "start_date": enrolment.start_date.isoformat(),
            "referring_member": enrolment.referring_member_id,
            "involved_members": [m.pk for m in enrolment.involved_members.all()],
            "entry_occupation": enrolment.entry_occupation_id,
            "entry_income_source": enrolment.entry_income_source_id,
            "time_outside": enrolment.time_outside_id,
            "education": enrolment.education_id,
        },
    )

    @sensitive_variables("data")
    def save(data):
        services.enrolment_correct_entry(enrolment=enrolment, by=request.user, **data)

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("The entry data has been corrected."),
        title=_("Correct entry data – %(ref)s") % {"ref": enrolment.participant.reference},
        intro=CORRECTION_INTRO,
    )


@association_view("participants.register")
def correct_exit_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("exit data"), exit_only=True)
    if not enrolment.exit_date:
        return redirect("participants:exit", association.slug, enrolment.pk)
    form = forms.ExitCorrectionForm(
        request.POST or None,
        association=association,
        initial=_exit_initial(enrolment),
    )
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.enrolment_correct_exit(enrolment=enrolment, by=request.user, **d),
        success_message=_("The exit has been corrected."),
        title=_("Correct exit – %(ref)s") % {"ref": enrolment.participant.reference},
        intro=CORRECTION_INTRO,
    )


@sensitive_post_parameters("name", "contact")
@association_view("participants.register")
def correct_person_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("name and contact"))
    form = forms.PersonCorrectionForm(
        request.POST or None,
        initial={
            "name": selectors.participant_name(enrolment),
            "contact": selectors.participant_contact(enrolment),
        },
    )

    @sensitive_variables("data")
    def save(data):
        services.participant_correct(enrolment=enrolment, by=request.user, **data)

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("Name and contact details have been corrected."),
        title=_("Correct name and contact – %(ref)s") % {"ref": enrolment.participant.reference},
        intro=_(
            "Name and contact details are stored encrypted. The audit log shows that they changed, "
            "never what they were or are."
        ),
    )


def _session_to_correct(request, association, pk: int, session_pk: int, what: str):
    session = selectors.session_for_staff(
        user=request.user, association=association, enrolment_pk=pk, pk=session_pk
    )
    if request.method == "GET":
        services.access_log_write(
            association=association,
            by=request.user,
            action=AccessLogEntry.Action.VIEW,
            participants=[session.enrolment.participant],
            intervention=session.enrolment.intervention,
            detail=what,
        )
    _refuse_unless(can_change_data(session.enrolment.participant))
    return session


@association_view("participants.register")
def session_edit_view(request, association, pk: int, session_pk: int):
    session = _session_to_correct(
        request, association, pk, session_pk, _("Correction form: session")
    )
    enrolment = session.enrolment
    form = forms.SessionCorrectionForm(
        request.POST or None,
        initial={
            "date": session.date.isoformat(),
            "kind": session.kind,
            **{f: session_value(session, f) for f in (*services.ORS_FIELDS, "srs_total")},
        },
        rules=services.rating_rules_for(association),
    )

    def save(data):
        services.session_correct(
            session=session,
            reason=data["reason"],
            date=data["date"],
            kind=data["kind"],
            ors_items=[data[f] for f in services.ORS_FIELDS],
            srs_total=data["srs_total"],
            by=request.user,
        )

    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=save,
        success_message=_("The session has been corrected."),
        title=_("Correct session %(date)s – %(ref)s")
        % {"date": session.date.isoformat(), "ref": enrolment.participant.reference},
        intro=CORRECTION_INTRO,
    )


def session_value(session, name: str) -> str:
    value = getattr(session, name)
    return "" if value is None else str(value)


@association_view("participants.register")
def session_delete_view(request, association, pk: int, session_pk: int):
    session = _session_to_correct(request, association, pk, session_pk, _("Delete session (form)"))
    enrolment = session.enrolment
    form = forms.SessionDeleteForm(request.POST or None)
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.session_delete(session=session, by=request.user, **d),
        success_message=_("The session has been deleted."),
        title=_("Delete session %(date)s – %(ref)s")
        % {"date": session.date.isoformat(), "ref": enrolment.participant.reference},
        intro=_(
            "Only delete a session registered by mistake. What the session held stays in the audit "
            "log, with your reason."
        ),
    )


@association_view("participants.register")
def consent_view(request, association, pk: int):
    enrolment = _enrolment_to_correct(request, association, pk, _("consent"), exit_only=True)
    form = forms.ConsentForm(
        request.POST or None, initial={"changed_on": timezone.localdate().isoformat()}
    )
    return _enrolment_form(
        request,
        association,
        enrolment,
        form,
        save=lambda d: services.participant_consent_change(
            enrolment=enrolment, by=request.user, **d
        ),
        success_message=_("The change of consent has been registered."),
        title=_("Changed or withdrawn consent – %(ref)s")
        % {"ref": enrolment.participant.reference},
        intro=_(
            "A withdrawn consent to registration stops new sessions and corrections; only the exit "
            "can be registered. The change is kept in the audit log."
        ),
    )


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
    form = forms.EraseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        services.participant_erase(
            participant=enrolment.participant, by=request.user, intervention=enrolment.intervention
        )
        messages.success(
            request,
            _("The personal data for %(ref)s has been erased. Anonymous statistics remain.")
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
            "unmeasured": stats.unmeasured
            if can(request.user, association, "funding.edit")
            else [],
            "questions": [
                {
                    "question": q.question,
                    "table": q.table,
                    "rows": q.as_rows(corner=_("Intervention"))
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
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # Swedish Excel reads UTF-8 only with the byte-order mark
    writer = csv.writer(response, delimiter=";")
    writer.writerow(selectors.ACCESS_LOG_COLUMNS)
    writer.writerows([[f"{r[0]:%Y-%m-%d %H:%M:%S}", *r[1:]] for r in rows])
    return response


@association_view("participants.codes")
def codes_view(request, association):
    services.codes_ensure_defaults(association=association)
    form = forms.CodeForm(request.POST or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.follow_up_code_create(association=association, by=request.user, **d),
        _("The code has been added."),
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
        _("The code has been updated."),
    ):
        return redirect("participants:codes", association.slug)
    return render_form(
        request,
        "participants/form.html",
        {
            "title": _("Edit code"),
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
        _("The question has been added."),
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
        _("The question has been changed."),
    ):
        return redirect("participants:survey_questions", association.slug)
    return render_form(
        request,
        "participants/form.html",
        {
            "title": _("Change exit survey question"),
            "cancel_url": reverse("participants:survey_questions", args=[association.slug]),
            "intro": _(
                "A question that has answers cannot change its answer type. Change the text only "
                "so that the answers still mean the same thing."
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
        messages.success(request, _("The question has been deleted."))
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
        _("The rules for ORS and SRS have been saved."),
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


def _exit_initial(enrolment) -> dict:
    """The exit form's values: what is registered, or today for a new exit."""
    return {
        "exit_date": (enrolment.exit_date or timezone.localdate()).isoformat(),
        "exit_reason": enrolment.exit_reason_id,
        "exit_occupation": enrolment.exit_occupation_id,
        "exit_income_source": enrolment.exit_income_source_id,
        "step_progress": enrolment.step_progress_id,
    }
