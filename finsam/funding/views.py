"""Thin views for calls, applications, assessment, decisions, interventions and payments."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import apply_errors, form_page, render_form, save_form
from finsam.core.money import format_sek, plain_number
from finsam.funding import forms, letters, permissions, selectors, services
from finsam.funding.models import (
    REPORT_STATES,
    Application,
    Call,
    GoalMeasure,
    Intervention,
    InterventionKind,
    InterventionReport,
    Payment,
    ReportKind,
)
from finsam.organisation.access import can, check
from finsam.organisation.tenancy import association_view
from finsam.participants import selectors as participant_selectors

Status = Application.Status


def _url(name: str, association, *args) -> str:
    return reverse(f"funding:{name}", args=[association.slug, *args])


# --- calls --------------------------------------------------------------------------------------


@association_view("funding.view")
def call_list_view(request, association):
    calls = selectors.calls(user=request.user, association=association)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"utlysningar-{association.slug}.xlsx",
            title=_("Calls"),
            headers=[
                _("Call"),
                _("Opens"),
                _("Closes"),
                _("Status"),
                _("To allocate (SEK)"),
                _("Granted (SEK)"),
                _("Left to allocate (SEK)"),
            ],
            rows=(
                [
                    c.title,
                    c.opens_on,
                    c.closes_on,
                    c.get_status_display(),
                    c.pot,
                    c.granted,
                    c.remaining,
                ]
                for c in calls
            ),
        )
    return render(request, "funding/call_list.html", {"calls": calls})


@association_view("funding.view")
def call_detail_view(request, association, pk: int):
    call = selectors.call_get(user=request.user, association=association, pk=pk)
    applications = selectors.applications(user=request.user, association=association).filter(
        call=call
    )
    if request.GET.get("format") == "xlsx":
        return _applications_xlsx(
            applications,
            filename=f"ansokningar-{association.slug}-utlysning-{call.pk}.xlsx",
            title=_("Applications in the call"),
        )
    return render(request, "funding/call_detail.html", {"call": call, "applications": applications})


@association_view("funding.edit")
def call_create_view(request, association):
    form = forms.CallForm(request.POST or None)
    created = {}

    def save(d):
        created["call"] = services.call_create(association=association, by=request.user, **d)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The call has been created."),
        done=lambda: redirect("funding:call_detail", association.slug, created["call"].pk),
        context={"title": _("New call"), "cancel_url": _url("calls", association)},
    )


@association_view("funding.edit")
def call_edit_view(request, association, pk: int):
    call = selectors.call_get(user=request.user, association=association, pk=pk)
    form = forms.CallForm(request.POST or None, instance=call)
    return form_page(
        request,
        form,
        save=lambda d: services.call_update(call=call, data=d, by=request.user),
        success_message=_("The call has been updated."),
        done=lambda: redirect("funding:call_detail", association.slug, call.pk),
        context={
            "title": _("Edit %(title)s") % {"title": call.title},
            "cancel_url": _url("call_detail", association, call.pk),
        },
    )


@require_POST
@association_view("funding.edit")
def call_close_view(request, association, pk: int):
    call = selectors.call_get(user=request.user, association=association, pk=pk)
    try:
        services.call_close(call=call, by=request.user)
        messages.success(request, _("The call has been closed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("funding:call_detail", association.slug, call.pk)


# --- criteria and defaults ----------------------------------------------------------------------


CRITERIA_XLSX_HEADERS = [
    gettext_lazy("Order"),
    gettext_lazy("Criterion"),
    gettext_lazy("Description"),
    gettext_lazy("In use"),
]


@association_view("funding.view")
def criteria_view(request, association):
    criteria = selectors.criteria(user=request.user, association=association)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"bedomningskriterier-{association.slug}.xlsx",
            title=_("Assessment criteria"),
            headers=CRITERIA_XLSX_HEADERS,
            rows=(
                [c.sort_order, c.title, c.description, _("Yes") if c.is_active else _("No")]
                for c in criteria
            ),
        )
    return render(
        request,
        "funding/criteria.html",
        {
            "criteria": criteria,
            "settings": services.funding_settings_for(association),
        },
    )


@association_view("funding.edit")
def criterion_create_view(request, association):
    form = forms.CriterionForm(request.POST or None, association=association)
    return form_page(
        request,
        form,
        save=lambda d: services.criterion_create(association=association, by=request.user, **d),
        success_message=_("The criterion has been added."),
        done=lambda: redirect("funding:criteria", association.slug),
        context={
            "title": _("New assessment criterion"),
            "cancel_url": _url("criteria", association),
        },
    )


@association_view("funding.edit")
def criterion_edit_view(request, association, pk: int):
    criterion = selectors.criterion_get(user=request.user, association=association, pk=pk)
    form = forms.CriterionForm(request.POST or None, instance=criterion, association=association)
    return form_page(
        request,
        form,
        save=lambda d: services.criterion_update(criterion=criterion, data=d, by=request.user),
        success_message=_("The criterion has been updated."),
        done=lambda: redirect("funding:criteria", association.slug),
        context={
            "title": _("Edit criterion"),
            "cancel_url": _url("criteria", association),
            "delete_url": _url("criterion_delete", association, criterion.pk),
        },
    )


@require_POST
@association_view("funding.edit")
def criterion_delete_view(request, association, pk: int):
    criterion = selectors.criterion_get(user=request.user, association=association, pk=pk)
    try:
        services.criterion_delete(criterion=criterion, by=request.user)
        messages.success(request, _("The criterion has been removed."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("funding:criteria", association.slug)


@association_view("funding.edit")
def settings_edit_view(request, association):
    form = forms.FundingSettingsForm(
        request.POST or None, instance=services.funding_settings_for(association)
    )
    return form_page(
        request,
        form,
        save=lambda d: services.funding_settings_update(
            association=association, data=d, by=request.user
        ),
        success_message=_("The default terms have been saved."),
        done=lambda: redirect("funding:criteria", association.slug),
        context={
            "title": _("Default reporting terms for decisions"),
            "cancel_url": _url("criteria", association),
        },
    )


# --- applications -------------------------------------------------------------------------------

APPLICATION_XLSX_HEADERS = [
    gettext_lazy("Application"),
    gettext_lazy("Status"),
    gettext_lazy("Applicants"),
    gettext_lazy("Call"),
    gettext_lazy("Intervention type"),
    gettext_lazy("Target group"),
    gettext_lazy("Age"),
    gettext_lazy("Period from"),
    gettext_lazy("Period to"),
    gettext_lazy("Project owner"),
    gettext_lazy("Requested in total (SEK)"),
    gettext_lazy("Submitted"),
]


def _applications_xlsx(applications, *, filename: str, title: str) -> HttpResponse:
    """Applications from `selectors.applications` (with requested_total) as a spreadsheet."""
    return xlsx_response(
        filename=filename,
        title=title,
        headers=APPLICATION_XLSX_HEADERS,
        rows=(
            [
                a.title,
                a.get_status_display(),
                ", ".join(m.name for m in a.applicants.all()),
                a.call.title if a.call else "",
                ", ".join(str(s) for s in a.kind_shares.all()),
                a.target_group,
                a.age_range,
                a.period_start,
                a.period_end,
                a.owner,
                a.requested_total,
                a.submitted_at,
            ]
            for a in applications
        ),
        money_columns=[10],
    )


@association_view("funding.view")
def application_list_view(request, association):
    applications = selectors.applications(user=request.user, association=association)
    status = request.GET.get("status", "")
    if status in Status.values:
        applications = applications.filter(status=status)
    if request.GET.get("format") == "xlsx":
        return _applications_xlsx(
            applications, filename=f"ansokningar-{association.slug}.xlsx", title=_("Applications")
        )
    return render(
        request,
        "funding/application_list.html",
        {"applications": applications, "status": status, "statuses": Status.choices},
    )


def _application_formsets(request, association, application=None):
    data = request.POST if request.method == "POST" else None
    initial = {"goals": None, "budget": None, "steering": None}
    # Only an unbound formset shows the stored rows. A bound one takes the rows from the post:
    # with the stored rows as initial, a row posted unchanged would count as untouched and be
    # dropped (kept_rows), so saving a draft without touching its goals would delete them.
    if application is not None and data is None:
        initial["goals"] = [
            {
                "text": g.text,
                "target_value": g.target_value,
                "measure": g.measure,
                "measure_target": g.measure_target,
            }
            for g in application.goals.all()
        ]
        initial["budget"] = [
            {
                "year": b.year,
                "cost_line": b.cost_line,
                "requested": b.requested,
                "own_financing": b.own_financing,
                "external_funding": b.external_funding,
                "external_source": b.external_source,
            }
            for b in application.budget_lines.all()
        ]
        initial["steering"] = [
            {"name": p.name, "member": p.member, "role": p.role}
            for p in application.steering_group.all()
        ]
    return {
        "goals": forms.GoalFormSet(data, prefix="goals", initial=initial["goals"]),
        "budget": forms.BudgetLineFormSet(data, prefix="budget", initial=initial["budget"]),
        "steering": forms.SteeringFormSet(
            data,
            prefix="steering",
            initial=initial["steering"],
            form_kwargs={"association": association},
        ),
    }


GROUP_ERROR_KEYS = {
    "kind_shares": "kind_shares",
    "goals": "goals",
    "budget_lines": "budget",
    "steering_group": "steering",
}


def _save_application(request, form, formsets, save) -> bool:
    """Validate form and formsets, run the service, and put rule errors where they belong."""
    valid = form.is_valid() and not form.group_errors
    valid = all([fs.is_valid() for fs in formsets.values()]) and valid
    if not valid:
        return False
    content = services.ApplicationContent(
        fields=form.own_fields(),
        applicants=list(form.cleaned_data["applicants"]),
        kind_shares=form.kind_shares(),
        goals=[g.goal() for g in forms.kept_rows(formsets["goals"])],
        budget_lines=[b.line() for b in forms.kept_rows(formsets["budget"])],
        steering_group=[
            {k: s.cleaned_data[k] for k in ("name", "member", "role")}
            for s in forms.kept_rows(formsets["steering"])
        ],
    )
    try:
        save(content)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for key, errs in error.error_dict.items():
                messages_ = [m for e in errs for m in e.messages]
                if key in GROUP_ERROR_KEYS:
                    form.group_errors.setdefault(GROUP_ERROR_KEYS[key], []).extend(messages_)
                elif key in form.fields:
                    form.add_error(key, messages_)
                else:
                    form.add_error(None, messages_)
        else:
            form.add_error(None, error)
        return False
    return True


GROUP_LABELS = {
    "kind_shares": gettext_lazy("Type of intervention"),
    "goals": gettext_lazy("Measurable goals"),
    "budget": gettext_lazy("Budget per year"),
    "steering": gettext_lazy("Proposed steering group"),
}
# Where a link to a group's error leads: the group's first field.
GROUP_TARGETS = {
    "kind_shares": "id_share_" + InterventionKind.values[0],
    "goals": "id_goals-0-text",
    "budget": "id_budget-0-year",
    "steering": "id_steering-0-name",
}


def _field_target(bound) -> str:
    """The id a link to the field should lead to: a checkbox group's first box."""
    return bound.id_for_label or (bound.subwidgets[0].id_for_label if bound.subwidgets else "")


def _error_links(form, formsets) -> list[tuple[str, str, str]]:
    """[(field id, label, message)] for the error summary, in the order of the page."""
    links = []
    for _legend, fields in form.grouped():
        for bound in fields:
            links += [(_field_target(bound), str(bound.label), e) for e in bound.errors]
        if any(bound.name.startswith("share_") for bound in fields):
            links += [
                (GROUP_TARGETS["kind_shares"], str(GROUP_LABELS["kind_shares"]), e)
                for e in form.group_errors.get("kind_shares", [])
            ]
    for key, fs in formsets.items():
        links += [(GROUP_TARGETS[key], str(GROUP_LABELS[key]), e) for e in fs.non_form_errors()]
        links += [
            (GROUP_TARGETS[key], str(GROUP_LABELS[key]), e) for e in form.group_errors.get(key, [])
        ]
        for row, row_form in enumerate(fs.forms, start=1):
            for name, errors in row_form.errors.items():
                if name in row_form.fields:
                    label = _("%(group)s, %(field)s (line %(row)s)") % {
                        "group": GROUP_LABELS[key],
                        "field": row_form[name].label,
                        "row": row,
                    }
                    links += [(row_form[name].auto_id, label, e) for e in errors]
                else:
                    links += [
                        (
                            row_form[next(iter(row_form.fields))].auto_id,
                            _("%(group)s (line %(row)s)")
                            % {"group": GROUP_LABELS[key], "row": row},
                            e,
                        )
                        for e in errors
                    ]
    return links


def _render_application_form(request, association, form, formsets, application=None):
    has_errors = bool(
        form.is_bound
        and (
            form.errors
            or form.group_errors
            or any(fs.total_error_count() for fs in formsets.values())
        )
    )
    form.describe_shares()
    return render(
        request,
        "funding/application_form.html",
        {
            "form": form,
            "formsets": formsets,
            "application": application,
            "has_errors": has_errors,
            "error_links": _error_links(form, formsets) if has_errors else [],
            "cancel_url": _url("application_detail", association, application.pk)
            if application
            else _url("applications", association),
        },
        status=400 if has_errors else 200,
    )


def _submit_after_save(request, application):
    services.application_submit(application=application, by=request.user)


@association_view("applications.draft")
def application_create_view(request, association):
    draft_pk = request.POST.get("draft", "") if request.method == "POST" else ""
    if draft_pk.isdigit():
        # Autosave has already created the draft (the address had not changed yet): save that
        # draft instead of creating a second one.
        return application_edit_view(request, association.slug, pk=int(draft_pk))
    initial = {}
    members = permissions.member_ids_of(request.user, association)
    if members:
        initial["applicants"] = members
    if request.GET.get("utlysning", "").isdigit():
        initial["call"] = int(request.GET["utlysning"])
    form = forms.ApplicationForm(request.POST or None, association=association, initial=initial)
    formsets = _application_formsets(request, association)
    created = {}
    submit = request.POST.get("action") == "submit"

    def save(content):
        with transaction.atomic():
            created["application"] = services.application_create(
                association=association, content=content, by=request.user
            )
            if submit:
                _submit_after_save(request, created["application"])

    if request.method == "POST" and _save_application(request, form, formsets, save):
        messages.success(
            request,
            _("The application has been submitted.") if submit else _("The draft has been saved."),
        )
        return redirect("funding:application_detail", association.slug, created["application"].pk)
    return _render_application_form(request, association, form, formsets)


@association_view("applications.draft")
def application_edit_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_edit_application(request.user, application)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.ApplicationForm(
        request.POST or None, instance=application, association=association
    )
    formsets = _application_formsets(request, association, application)
    submit = request.POST.get("action") == "submit" and application.status == Status.DRAFT

    def save(content):
        with transaction.atomic():
            services.application_update(
                application=application,
                content=content,
                by=request.user,
                reason=request.POST.get("reason", ""),
            )
            if submit:
                _submit_after_save(request, application)

    if request.method == "POST" and _save_application(request, form, formsets, save):
        messages.success(
            request,
            _("The application has been submitted.")
            if submit
            else _("The application has been saved."),
        )
        return redirect("funding:application_detail", association.slug, application.pk)
    return _render_application_form(request, association, form, formsets, application)


def _autosave_missing(form, formsets) -> list[str]:
    """The labels of what keeps a draft from being saved: named in the status line, quietly,
    instead of the errors the explicit save shows at each field."""
    labels = [str(form[name].label) for name in form.errors if name in form.fields]
    if form.non_field_errors():
        labels += [str(e) for e in form.non_field_errors()]
    groups = set(form.group_errors)
    groups |= {key for key, fs in formsets.items() if fs.total_error_count()}
    labels += [str(GROUP_LABELS[key]) for key in GROUP_LABELS if key in groups]
    return list(dict.fromkeys(labels))


def _autosave_response(request, association, form, formsets, saved, application=None):
    """The status line, and for a draft that the autosave has just created: where it lives now."""
    list(messages.get_messages(request))  # the status line below says it; no flash message
    response = render(
        request,
        "funding/partials/autosave_status.html",
        {
            "saved": saved,
            "at": timezone.localtime(),
            "missing": [] if saved else _autosave_missing(form, formsets),
            "created": application,
        },
    )
    if application is not None:
        # The browser's address becomes the draft's edit page: a reload shows the draft and the
        # form's own submit (it has no action) saves the same draft.
        response["HX-Replace-Url"] = _url("application_edit", association, application.pk)
    return response


def _autosave_draft(request, association, pk: int) -> Application:
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_edit_application(request.user, application)
    if not allowed or application.status != Status.DRAFT:
        raise PermissionDenied(reason or _("Only drafts are saved automatically."))
    return application


@require_POST
@association_view("applications.draft")
def application_autosave_view(request, association, pk: int):
    """htmx: save a draft while the applicant types; answers with a short status line only.

    Only drafts autosave: after submission every change is a new version and needs a reason.
    """
    application = _autosave_draft(request, association, pk)
    form = forms.ApplicationForm(request.POST, instance=application, association=association)
    formsets = _application_formsets(request, association, application)

    def save(content):
        services.application_update(application=application, content=content, by=request.user)

    saved = _save_application(request, form, formsets, save)
    return _autosave_response(request, association, form, formsets, saved)


@require_POST
@association_view("applications.draft")
def application_autosave_new_view(request, association):
    """htmx, on the new-application page: the first autosave that passes the draft's rules
    creates the draft (audited, like "Spara utkast"); the answer puts the draft's id in the form
    (`draft`), so every later autosave from the same page updates that draft."""
    draft_pk = request.POST.get("draft", "")
    if draft_pk.isdigit():
        application = _autosave_draft(request, association, int(draft_pk))
        form = forms.ApplicationForm(request.POST, instance=application, association=association)
        formsets = _application_formsets(request, association, application)
        saved = _save_application(
            request,
            form,
            formsets,
            lambda content: services.application_update(
                application=application, content=content, by=request.user
            ),
        )
        return _autosave_response(request, association, form, formsets, saved)
    form = forms.ApplicationForm(request.POST, association=association)
    formsets = _application_formsets(request, association)
    created = {}

    def save(content):
        created["application"] = services.application_create(
            association=association, content=content, by=request.user
        )

    saved = _save_application(request, form, formsets, save)
    return _autosave_response(
        request, association, form, formsets, saved, application=created.get("application")
    )


def _application_context(request, association, application) -> dict:
    user = request.user
    editable, _reason = permissions.can_edit_application(user, application)
    return {
        "application": application,
        "requested_total": selectors.application_requested_total(application),
        "goals": [(g, forms.goal_measure_text(g)) for g in application.goals.all()],
        "decisions": selectors.decisions_for_application(
            user=user, association=association, application=application
        ),
        "can_edit": editable and can(user, association, "applications.draft"),
        "can_submit": application.status == Status.DRAFT
        and can(user, association, "applications.draft"),
        "attachments": selectors.attachments_of(application=application),
        "can_attach": permissions.can_manage_attachments(user, application)[0]
        and can(user, association, "applications.draft"),
        "attachment_form": forms.AttachmentForm(),
        "can_withdraw": application.status in services.TRANSITIONS
        and Status.WITHDRAWN in services.TRANSITIONS[application.status]
        and can(user, association, "applications.draft"),
    }


@association_view("funding.view")
def application_detail_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    return render(
        request,
        "funding/application_detail.html",
        _application_context(request, association, application),
    )


@require_POST
@association_view("applications.draft")
def application_submit_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    try:
        services.application_submit(application=application, by=request.user)
    except ValidationError as error:
        context = _application_context(request, association, application)
        context["submit_errors"] = error.messages
        return render(request, "funding/application_detail.html", context, status=400)
    messages.success(
        request,
        _("The application has been submitted. It can no longer be changed by the applicant."),
    )
    return redirect("funding:application_detail", association.slug, application.pk)


@require_POST
@association_view("applications.draft")
def application_withdraw_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    try:
        services.application_withdraw(application=application, by=request.user)
        messages.success(request, _("The application has been withdrawn."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("funding:application_detail", association.slug, application.pk)


@association_view("funding.view")
def application_version_view(request, association, pk: int, number: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    version = next((v for v in application.versions.all() if v.number == number), None)
    if version is None:
        raise Http404
    return render(
        request,
        "funding/application_version.html",
        {
            "application": application,
            "version": version,
            "rows": _version_rows(version.snapshot, association),
        },
    )


VERSION_LABELS = {
    "applicants": gettext_lazy("Applicants"),
    "kind_shares": gettext_lazy("Type of intervention"),
    "goals": gettext_lazy("Target"),
    "budget_lines": gettext_lazy("Budget"),
    "steering_group": gettext_lazy("Steering group"),
}


def _version_goal(goal: dict) -> str:
    words = " – ".join(goal[k] for k in ("text", "target_value") if goal.get(k))
    measure = goal.get("measure")
    if measure in GoalMeasure.values and measure:
        label = str(GoalMeasure(measure).label)
        if goal.get("measure_target"):
            label += f": {plain_number(Decimal(goal['measure_target']))}"
        words += f" ({label})"
    return words


def _version_value(key: str, value, titles: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "status":
        return str(Status(value).label) if value in Status.values else value
    if key in ("call", "continues", "reinforces"):
        return titles.get(value, str(value))
    if key == "submitted_at":
        return value[:16].replace("T", " ")
    if key == "kind_shares":
        return ", ".join(
            f"{InterventionKind(k).label if k in InterventionKind.values else k} {v} %"
            for k, v in value.items()
        )
    if key == "budget_lines":
        line = _(
            "%(year)s %(cost_line)s: requested %(requested)s, own %(own)s, external %(external)s"
        )
        return "; ".join(
            line
            % {
                "year": b["year"],
                "cost_line": b["cost_line"],
                "requested": format_sek(Decimal(b["requested"])),
                "own": format_sek(Decimal(b["own_financing"])),
                "external": format_sek(Decimal(b["external_funding"])),
            }
            + (f" ({b['external_source']})" if b.get("external_source") else "")
            for b in value
        )
    if key == "goals":
        return "; ".join(_version_goal(g) for g in value)
    if isinstance(value, list):
        return "; ".join(
            " – ".join(str(x) for x in item.values() if x not in ("", None))
            if isinstance(item, dict)
            else str(item)
            for item in value
        )
    return str(value)


def _version_rows(snapshot: dict, association) -> list[tuple[str, str]]:
    """A stored version as (Swedish label, readable value) rows."""
    titles = {c.pk: c.title for c in Call.objects.filter(association=association)}
    if snapshot.get("continues") or snapshot.get("reinforces"):
        titles_i = dict(
            Intervention.objects.filter(association=association).values_list("pk", "title")
        )
    else:
        titles_i = {}
    rows = []
    for key, value in snapshot.items():
        if key in VERSION_LABELS:
            label = str(VERSION_LABELS[key])
        else:
            try:
                label = str(Application._meta.get_field(key).verbose_name)
            except (FieldDoesNotExist, AttributeError):  # a field removed since the version
                label = key
        lookup = titles_i if key in ("continues", "reinforces") else titles
        rows.append((label[:1].upper() + label[1:], _version_value(key, value, lookup)))
    return rows


# --- assessment ---------------------------------------------------------------------------------


def _assessment_context(request, association, application, form=None, agenda_form=None):
    criteria = list(selectors.criteria(user=request.user, association=association))
    active = [c for c in criteria if c.is_active]
    summary = services.application_assessment_summary(application)
    can_assess = (
        can(request.user, association, "applications.assess")
        and application.status == Status.SUBMITTED
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
    try:
        service(application=application, by=request.user)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("funding:assessment", association.slug, application.pk)


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


# --- decisions ----------------------------------------------------------------------------------


def _decision_years(application: Application) -> list[int]:
    if application.period_end:
        return list(range(application.period_start.year, application.period_end.year + 1))
    years = sorted({b.year for b in application.budget_lines.all()})
    return years or [application.period_start.year]


@association_view("decisions.record")
def decision_create_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    meetings = selectors.board_meetings(user=request.user, association=association)
    years = _decision_years(application)
    defaults = services.funding_settings_for(association)
    initial = {name: getattr(defaults, name) for name in forms.DecisionForm.TERMS}
    if application.agenda_item_id:
        initial["meeting"] = application.agenda_item.meeting_id
    requested = {}
    for line in application.budget_lines.all():
        requested[line.year] = requested.get(line.year, 0) + line.requested
    form = forms.DecisionForm(request.POST or None, meetings=meetings, years=years, initial=initial)
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

    if request.method == "POST":
        form_valid = form.is_valid()
        if form_valid:
            try:
                save(form.cleaned_data)
            except ValidationError as error:
                if hasattr(error, "error_dict") and "amounts" in error.error_dict:
                    form.amount_errors = [
                        m for e in error.error_dict.pop("amounts") for m in e.messages
                    ]
                    if error.error_dict:
                        apply_errors(form, error)
                else:
                    apply_errors(form, error)
            else:
                decision = created["decision"]
                messages.success(request, _("The decision has been recorded."))
                if decision.intervention_id:
                    return redirect(
                        "funding:intervention_detail", association.slug, decision.intervention_id
                    )
                return redirect("funding:application_detail", association.slug, application.pk)
    amount_errors = getattr(form, "amount_errors", [])
    status = 400 if form.is_bound and (form.errors or amount_errors) else 200
    return render(
        request,
        "funding/decision_form.html",
        {
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
        },
        status=status,
    )


# --- interventions ------------------------------------------------------------------------------

INTERVENTION_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Status"),
    gettext_lazy("Intervention type"),
    gettext_lazy("Project owner"),
    gettext_lazy("Responsible manager"),
    gettext_lazy("Project manager"),
    gettext_lazy("Target group"),
    gettext_lazy("Age"),
    gettext_lazy("Period from"),
    gettext_lazy("Period to"),
    gettext_lazy("Reinforces"),
    gettext_lazy("Granted in total (SEK)"),
    gettext_lazy("Paid (SEK)"),
]


@association_view("funding.view")
def intervention_list_view(request, association):
    today = timezone.localdate()
    qs = selectors.interventions(user=request.user, association=association)
    status = request.GET.get("status", "")
    if status in Intervention.Status.values:
        qs = selectors.with_status(qs, status=status, today=today)
    rows = [(i, i.status_on(today)) for i in qs]
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"insatser-{association.slug}.xlsx",
            title=_("Interventions"),
            headers=INTERVENTION_XLSX_HEADERS,
            rows=(
                [
                    i.title,
                    str(Intervention.Status(st).label),
                    ", ".join(str(s) for s in i.kind_shares.all()),
                    i.owner,
                    i.responsible_manager,
                    i.project_lead,
                    i.target_group,
                    i.age_range,
                    i.period_start,
                    i.period_end,
                    i.reinforces.title if i.reinforces else "",
                    i.granted,
                    i.paid,
                ]
                for i, st in rows
            ),
            money_columns=[11, 12],
        )
    return render(
        request,
        "funding/intervention_list.html",
        {
            "rows": rows,
            "status": status,
            "statuses": Intervention.Status.choices,
            "today": today,
        },
    )


@association_view("funding.view")
def intervention_detail_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    can_request, _reason = permissions.can_request_payment(request.user, intervention)
    return render(
        request,
        "funding/intervention_detail.html",
        {
            "intervention": intervention,
            "status": intervention.status_on(timezone.localdate()),
            "years": services.grant_years(intervention),
            "grants": selectors.grants_of(intervention=intervention),
            "payments": permissions.with_approval_refusals(
                request.user, selectors.payments_of(intervention=intervention)
            ),
            "goals": [(g, forms.goal_measure_text(g)) for g in intervention.goals.all()],
            "duties": services.reporting_duties(intervention),
            "reports": [
                (r, r.state_on(timezone.localdate()))
                for r in intervention.reports.order_by("period_end", "kind")
            ],
            "can_request_payment": can_request
            and can(request.user, association, "payments.request"),
            "today": timezone.localdate(),
            **_steering_context(request, association, intervention),
        },
    )


# The intervention page's tables as spreadsheets, for everyone who may read the page.

YEARS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Year"),
    gettext_lazy("Granted (SEK)"),
    gettext_lazy("Requisitioned (SEK)"),
    gettext_lazy("Awaiting approval (SEK)"),
    gettext_lazy("Approved (SEK)"),
    gettext_lazy("Paid (SEK)"),
    gettext_lazy("Remaining (SEK)"),
]
GRANTS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Year"),
    gettext_lazy("Amount granted (SEK)"),
    gettext_lazy("Decision"),
    gettext_lazy("Comment"),
    pgettext_lazy("grant", "Withdrawn"),
]
PAYMENTS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Date"),
    gettext_lazy("Year"),
    gettext_lazy("Type"),
    gettext_lazy("Amount (kr)"),
    gettext_lazy("Actual costs (SEK)"),
    gettext_lazy("Status"),
    gettext_lazy("Comment"),
    gettext_lazy("Requested by"),
    gettext_lazy("Decided by"),
]
DECISIONS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Meeting"),
    gettext_lazy("Paragraph"),
    gettext_lazy("Type"),
    gettext_lazy("Decision"),
    gettext_lazy("Amount per year"),
    gettext_lazy("Total (SEK)"),
    gettext_lazy("End date"),
    gettext_lazy("Conditions"),
    gettext_lazy("Rationale"),
]
STEERING_MEMBERS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Name"),
    gettext_lazy("Organisation"),
    gettext_lazy("Role"),
]


def _decision_ref(decision) -> str:
    return _("%(paragraph)s, board %(date)s") % {
        "paragraph": decision.paragraph,
        "date": f"{decision.meeting.date:%Y-%m-%d}",
    }


@association_view("funding.view")
def intervention_years_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    return xlsx_response(
        filename=f"medel-per-ar-{association.slug}-{intervention.pk}.xlsx",
        title=_("Granted and paid per year"),
        headers=YEARS_XLSX_HEADERS,
        rows=(
            [
                intervention.title,
                y.year,
                y.granted,
                y.requisitioned,
                y.requested,
                y.approved,
                y.paid,
                y.remaining,
            ]
            for y in services.grant_years(intervention)
        ),
        money_columns=[2, 3, 4, 5, 6, 7],
    )


@association_view("funding.view")
def intervention_grants_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    return xlsx_response(
        filename=f"beviljade-medel-{association.slug}-{intervention.pk}.xlsx",
        title=_("Funding decisions"),
        headers=GRANTS_XLSX_HEADERS,
        rows=(
            [
                intervention.title,
                g.year,
                g.amount,
                _decision_ref(g.decision) if g.decision else g.decision_ref,
                g.note,
                _decision_ref(g.withdrawn_by) if g.withdrawn_by else "",
            ]
            for g in selectors.grants_of(intervention=intervention)
        ),
        money_columns=[2],
    )


def _payment_row(p) -> list:
    return [
        p.grant.intervention.title,
        p.date,
        p.grant.year,
        p.get_kind_display(),
        p.amount,
        p.actual_costs,
        p.get_status_display(),
        p.note,
        str(p.requested_by or ""),
        str(p.decided_by or ""),
    ]


@association_view("funding.view")
def intervention_payments_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    return xlsx_response(
        filename=f"utbetalningar-{association.slug}-{intervention.pk}.xlsx",
        title=_("Payments"),
        headers=PAYMENTS_XLSX_HEADERS,
        rows=(
            _payment_row(p)
            for p in selectors.payments_of(intervention=intervention).select_related(
                "grant__intervention"
            )
        ),
        money_columns=[4, 5],
    )


def _decision_amounts(decision) -> str:
    amounts = decision.amounts.all()
    if decision.kind == decision.Kind.CHANGE:
        return "; ".join(
            f"{a.year}: {format_sek(a.previous or Decimal(0))} → {format_sek(a.amount)}"
            for a in amounts
        )
    return "; ".join(f"{a.year}: {format_sek(a.amount)}" for a in amounts)


@association_view("funding.view")
def intervention_decisions_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    return xlsx_response(
        filename=f"beslut-{association.slug}-{intervention.pk}.xlsx",
        title=_("Decision"),
        headers=DECISIONS_XLSX_HEADERS,
        rows=(
            [
                intervention.title,
                d.meeting.date,
                d.paragraph,
                d.get_kind_display(),
                d.get_outcome_display(),
                _decision_amounts(d),
                None
                if d.kind == d.Kind.CHANGE
                else sum((a.amount for a in d.amounts.all()), Decimal(0)),
                d.ends_on,
                d.conditions,
                d.motivation,
            ]
            for d in intervention.decisions.all()
        ),
        money_columns=[6],
    )


@association_view("funding.view")
def steering_members_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    return xlsx_response(
        filename=f"styrgrupp-{association.slug}-{intervention.pk}.xlsx",
        title=_("Steering group"),
        headers=STEERING_MEMBERS_XLSX_HEADERS,
        rows=(
            [intervention.title, p.name or _("(not appointed)"), str(p.member or ""), p.role]
            for p in intervention.steering_group.all()
        ),
    )


@association_view("decisions.record")
def intervention_end_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.InterventionEndForm(
        request.POST or None,
        meetings=selectors.board_meetings(user=request.user, association=association),
    )
    return form_page(
        request,
        form,
        save=lambda d: services.intervention_end(intervention=intervention, by=request.user, **d),
        success_message=_("The closure decision has been recorded."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("End %(title)s by decision") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


def _change_years(intervention, current: dict[int, Decimal]) -> list[int]:
    """The years a change may name: every granted year and the period's, and two more so that
    the period can be lengthened in the same decision."""
    first = min(current) if current else intervention.period_start.year
    end = intervention.period_end or timezone.localdate()
    last = max([*current, end.year, first]) + 2
    return list(range(first, last + 1))


@association_view("decisions.record")
def intervention_change_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    current = {y.year: y.granted for y in services.grant_years(intervention)}
    form = forms.InterventionChangeForm(
        request.POST or None,
        meetings=selectors.board_meetings(user=request.user, association=association),
        years=_change_years(intervention, current),
        current=current,
        initial=services.intervention_terms(intervention),
    )
    amount_errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            services.intervention_change(
                intervention=intervention,
                meeting=d["meeting"],
                paragraph=d["paragraph"],
                amounts=form.amounts(),
                period_end=d["period_end"],
                conditions=d["conditions"],
                motivation=d["motivation"],
                terms=form.terms(),
                by=request.user,
            )
        except ValidationError as error:
            if hasattr(error, "error_dict") and "amounts" in error.error_dict:
                amount_errors = [m for e in error.error_dict.pop("amounts") for m in e.messages]
                if error.error_dict:
                    apply_errors(form, error)
            else:
                apply_errors(form, error)
        else:
            messages.success(request, _("The change decision is recorded."))
            return redirect("funding:intervention_detail", association.slug, intervention.pk)
    status = 400 if form.is_bound and (form.errors or amount_errors) else 200
    return render(
        request,
        "funding/change_form.html",
        {
            "intervention": intervention,
            "form": form,
            "amount_errors": amount_errors,
            "years": services.grant_years(intervention),
            "call": selectors.call_get(
                user=request.user,
                association=association,
                pk=intervention.application.call_id,
            )
            if intervention.application_id and intervention.application.call_id
            else None,
        },
        status=status,
    )


@association_view("funding.edit")
def intervention_staff_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.StaffForm(
        request.POST or None,
        association=association,
        initial={"staff": list(intervention.staff.all())},
    )
    return form_page(
        request,
        form,
        save=lambda d: services.intervention_staff_set(
            intervention=intervention, users=list(d["staff"]), by=request.user
        ),
        success_message=_("The intervention staff have been saved."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("Intervention staff for %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


@association_view("funding.edit")
def intervention_goal_measures_view(request, association, pk: int):
    """How the participant register measures the intervention's goals (the office's setting; the
    goals' words stay as decided)."""
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.GoalMeasuresForm(request.POST or None, goals=intervention.goals.all())
    return form_page(
        request,
        form,
        save=lambda _d: services.intervention_goal_measures_set(
            intervention=intervention, measures=form.measures(), by=request.user
        ),
        success_message=_("How the goals are measured has been saved."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("How the goals of %(title)s are measured") % {"title": intervention.title},
            "intervention": intervention,
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
        template="funding/goal_measures.html",
    )


# --- payments -----------------------------------------------------------------------------------


def _open_grants(intervention):
    return intervention.grants.filter(withdrawn_by__isnull=True).order_by("year")


@association_view("payments.request")
def payment_request_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_request_payment(request.user, intervention)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.PaymentRequestForm(
        request.POST or None,
        grants=_open_grants(intervention),
        initial={"date": timezone.localdate()},
    )
    return form_page(
        request,
        form,
        save=lambda d: services.payment_request(by=request.user, **d),
        success_message=_("The payment has been requested."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("Request payment for %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


@association_view("payments.approve")
def payment_plan_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = forms.PaymentPlanForm(request.POST or None, grants=_open_grants(intervention))
    return form_page(
        request,
        form,
        save=lambda d: services.payment_plan_create(by=request.user, **d),
        success_message=_("The payment plan has been created."),
        done=lambda: redirect("funding:intervention_detail", association.slug, intervention.pk),
        context={
            "title": _("Payment plan for %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


PAYMENT_ACTIONS = {
    "godkann": (Payment.Status.APPROVED, gettext_lazy("The payment has been approved.")),
    "avsla": (Payment.Status.REJECTED, gettext_lazy("The payment has been rejected.")),
    "betald": (Payment.Status.PAID, gettext_lazy("The payment has been marked as paid.")),
}


@require_POST
@association_view("payments.approve")
def payment_action_view(request, association, pk: int, action: str):
    payment = selectors.payment_get(user=request.user, association=association, pk=pk)
    if action not in PAYMENT_ACTIONS:
        raise Http404
    to, success = PAYMENT_ACTIONS[action]
    try:
        services.payment_transition(payment=payment, to=to, by=request.user)
        messages.success(request, success)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as refusal:  # approving one's own request
        messages.error(request, str(refusal))
    back = request.POST.get("next", "")
    if back.startswith(_url("payments", association)) and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)  # the association's list of requisitions, with its filter
    return redirect("funding:intervention_detail", association.slug, payment.grant.intervention_id)


@association_view("payments.view")
def payment_list_view(request, association):
    """Every requisition and planned payment of the association: requested, approved, paid."""
    all_payments = selectors.payments(user=request.user, association=association)
    qs = all_payments
    status = request.GET.get("status", "")
    if status in Payment.Status.values:
        qs = qs.filter(status=status)
    kind = request.GET.get("typ", "")
    if kind in Payment.Kind.values:
        qs = qs.filter(kind=kind)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(
            filename=f"rekvisitioner-{association.slug}.xlsx",
            title=_("Requisitions"),
            headers=PAYMENTS_XLSX_HEADERS,
            rows=(_payment_row(p) for p in qs),
            money_columns=[4, 5],
        )
    return render(
        request,
        "funding/payment_list.html",
        {
            "payments": permissions.with_approval_refusals(request.user, qs),
            "totals": selectors.payment_totals(all_payments),
            "status": status,
            "statuses": Payment.Status.choices,
            "kind": kind,
            "kinds": Payment.Kind.choices,
            "can_approve": can(request.user, association, "payments.approve"),
        },
    )


# --- status reports -----------------------------------------------------------------------------

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


@association_view("funding.view")
def report_list_view(request, association):
    today = timezone.localdate()
    qs = selectors.reports(user=request.user, association=association)
    state = request.GET.get("status", "")
    if state in REPORT_STATE_LABELS:
        qs = selectors.with_report_state(qs, state=state, today=today)
    year = request.GET.get("ar", "")
    if year.isdigit():
        qs = qs.filter(period_end__year=int(year))
    intervention = request.GET.get("insats", "")
    if intervention.isdigit():
        qs = qs.filter(intervention_id=int(intervention))
    kind = request.GET.get("typ", "")
    if kind in ReportKind.values:
        qs = qs.filter(kind=kind)
    rows = [(r, r.state_on(today)) for r in qs]
    if request.GET.get("format") == "xlsx":
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
    all_reports = selectors.reports(user=request.user, association=association)
    return render(
        request,
        "funding/report_list.html",
        {
            "rows": rows,
            "status": state,
            "states": REPORT_STATES,
            "year": year,
            "years": sorted(
                {d.year for d in all_reports.dates("period_end", "year")}, reverse=True
            ),
            "intervention": intervention,
            "kind": kind,
            "kinds": ReportKind.choices,
            "interventions": selectors.interventions(
                user=request.user, association=association
            ).values_list("pk", "title"),
            "counts": selectors.report_attention(
                user=request.user, association=association, today=today
            ),
            "steering_behind": selectors.steering_behind(
                user=request.user, association=association, today=today
            )
            if can(request.user, association, "steering.view")
            else [],
            "today": today,
        },
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
    return {
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
        request, "funding/report_detail.html", _report_context(request, association, report)
    )


@association_view("reports.write")
def report_edit_view(request, association, pk: int):
    report = selectors.report_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_write_report(request.user, report)
    if not allowed:
        raise PermissionDenied(reason)
    register = participant_selectors.goal_figures_for_report(
        user=request.user, intervention=report.intervention, year=report.period_end.year
    )
    form = forms.ReportForm(
        request.POST or None,
        instance=report,
        goals=report.intervention.goals.all(),
        register=register,
    )
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
        return redirect("funding:report_detail", association.slug, report.pk)
    return render_form(
        request,
        "funding/report_form.html",
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
        return redirect("funding:report_detail", association.slug, report.pk)
    if form.non_field_errors() and not form.has_error("action"):
        # A status that no longer allows the review (someone was quicker): say so, change nothing.
        messages.error(request, " ".join(form.non_field_errors()))
    context = _report_context(request, association, report, review_form=form)
    return render(request, "funding/report_detail.html", context, status=400)


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
        return redirect("funding:report_detail", association.slug, report.pk)
    if form.non_field_errors():
        messages.error(request, " ".join(form.non_field_errors()))
    context = _report_context(request, association, report, held_form=form)
    return render(request, "funding/report_detail.html", context, status=400)


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


# --- attachments --------------------------------------------------------------------------------


@require_POST
@association_view("applications.draft")
def attachment_upload_view(request, association, pk: int):
    application = selectors.application_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_manage_attachments(request.user, application)
    if not allowed:
        raise PermissionDenied(reason)
    form = forms.AttachmentForm(request.POST, request.FILES)
    if save_form(
        request,
        form,
        lambda d: services.attachment_add(
            application=application, upload=d["file"], by=request.user
        ),
        _("The attachment has been uploaded."),
    ):
        return redirect("funding:application_detail", association.slug, application.pk)
    context = _application_context(request, association, application)
    context["attachment_form"] = form
    return render(request, "funding/application_detail.html", context, status=400)


@association_view("funding.view")
def attachment_download_view(request, association, pk: int, attachment: int):
    found = selectors.attachment_get(
        user=request.user, association=association, application_pk=pk, pk=attachment
    )
    response = FileResponse(
        found.file.open("rb"),
        as_attachment=True,
        filename=found.original_name,
        content_type=found.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@association_view("applications.draft")
def attachment_delete_view(request, association, pk: int, attachment: int):
    found = selectors.attachment_get(
        user=request.user, association=association, application_pk=pk, pk=attachment
    )
    allowed, reason = permissions.can_manage_attachments(request.user, found.application)
    if not allowed:
        raise PermissionDenied(reason)
    services.attachment_delete(attachment=found, by=request.user)
    messages.success(
        request, _("The attachment “%(name)s” has been removed.") % {"name": found.original_name}
    )
    return redirect("funding:application_detail", association.slug, pk)


# --- steering group -----------------------------------------------------------------------------


def _steering_context(request, association, intervention) -> dict:
    """The steering-group section of the intervention page: counts for every reader, meetings
    and minutes only for those who may read them."""
    today = timezone.localdate()
    user = request.user
    readable = permissions.can_read_steering_meetings(user, intervention)[0] and can(
        user, association, "steering.view"
    )
    return {
        "steering": selectors.steering_follow_up_of(intervention=intervention, today=today),
        "steering_meetings": selectors.steering_meetings_of(user=user, intervention=intervention)
        if readable
        else None,
        "can_manage_steering": permissions.can_manage_steering_group(user, intervention)[0]
        and can(user, association, "steering.manage"),
        "minutes_due_days": services.MINUTES_DUE_DAYS,
        "minutes_overdue_before": today - dt.timedelta(days=services.MINUTES_DUE_DAYS),
    }


def _steering_intervention(request, association, pk: int):
    """The intervention, if the user may change its steering group (403 with the reason)."""
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    allowed, reason = permissions.can_manage_steering_group(request.user, intervention)
    if not allowed:
        raise PermissionDenied(reason)
    return intervention


def _back_to_steering(association, intervention):
    return redirect(
        reverse("funding:intervention_detail", args=[association.slug, intervention.pk])
        + "#styrgrupp"
    )


@association_view("steering.manage")
def steering_member_create_view(request, association, pk: int):
    intervention = _steering_intervention(request, association, pk)
    form = forms.SteeringMemberForm(request.POST or None, association=association)
    return form_page(
        request,
        form,
        save=lambda d: services.steering_member_create(
            intervention=intervention, by=request.user, **d
        ),
        success_message=_("The member has been added to the steering group."),
        done=lambda: _back_to_steering(association, intervention),
        context={
            "title": _("New steering group member in %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
        },
    )


@association_view("steering.manage")
def steering_member_edit_view(request, association, pk: int, person: int):
    intervention = _steering_intervention(request, association, pk)
    found = selectors.steering_person_get(
        user=request.user, association=association, intervention=intervention, pk=person
    )
    form = forms.SteeringMemberForm(
        request.POST or None,
        association=association,
        initial={"name": found.name, "member": found.member, "role": found.role},
    )
    return form_page(
        request,
        form,
        save=lambda d: services.steering_member_update(person=found, data=d, by=request.user),
        success_message=_("The steering group member has been changed."),
        done=lambda: _back_to_steering(association, intervention),
        context={
            "title": _("Change steering group member in %(title)s") % {"title": intervention.title},
            "cancel_url": _url("intervention_detail", association, intervention.pk),
            "delete_url": _url("steering_member_delete", association, intervention.pk, found.pk),
        },
    )


@require_POST
@association_view("steering.manage")
def steering_member_delete_view(request, association, pk: int, person: int):
    intervention = _steering_intervention(request, association, pk)
    found = selectors.steering_person_get(
        user=request.user, association=association, intervention=intervention, pk=person
    )
    services.steering_member_delete(person=found, by=request.user)
    messages.success(request, _("The member has been removed from the steering group."))
    return _back_to_steering(association, intervention)


def _meeting_form_page(request, association, intervention, form, title: str, meeting=None):
    return render_form(
        request,
        "funding/steering_meeting_form.html",
        {
            "title": title,
            "intervention": intervention,
            "meeting": meeting,
            "minutes_due_days": services.MINUTES_DUE_DAYS,
            "cancel_url": _url("intervention_detail", association, intervention.pk) + "#styrgrupp",
            "delete_url": _url("steering_meeting_delete", association, intervention.pk, meeting.pk)
            if meeting
            else None,
        },
        form,
    )


@association_view("steering.manage")
def steering_meeting_create_view(request, association, pk: int):
    intervention = _steering_intervention(request, association, pk)
    form = forms.SteeringMeetingForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.steering_meeting_create(
            intervention=intervention,
            date=d["date"],
            notes=d["notes"],
            minutes=d["minutes"],
            by=request.user,
        ),
        _("The steering group meeting has been recorded."),
    ):
        return _back_to_steering(association, intervention)
    title = _("New steering group meeting in %(title)s") % {"title": intervention.title}
    return _meeting_form_page(request, association, intervention, form, title)


@association_view("steering.manage")
def steering_meeting_edit_view(request, association, pk: int, meeting: int):
    intervention = _steering_intervention(request, association, pk)
    found = selectors.steering_meeting_get(
        user=request.user, association=association, intervention=intervention, pk=meeting
    )
    form = forms.SteeringMeetingForm(request.POST or None, request.FILES or None, meeting=found)
    if request.method == "POST" and save_form(
        request,
        form,
        lambda d: services.steering_meeting_update(
            meeting=found,
            data={"date": d["date"], "notes": d["notes"]},
            minutes=d["minutes"],
            remove_minutes=d.get("remove_minutes", False),
            by=request.user,
        ),
        _("The steering group meeting has been saved."),
    ):
        return _back_to_steering(association, intervention)
    title = _("Steering group meeting %(date)s in %(title)s") % {
        "date": f"{found.date:%Y-%m-%d}",
        "title": intervention.title,
    }
    return _meeting_form_page(request, association, intervention, form, title, found)


@require_POST
@association_view("steering.manage")
def steering_meeting_delete_view(request, association, pk: int, meeting: int):
    intervention = _steering_intervention(request, association, pk)
    found = selectors.steering_meeting_get(
        user=request.user, association=association, intervention=intervention, pk=meeting
    )
    services.steering_meeting_delete(meeting=found, by=request.user)
    messages.success(
        request,
        _("The steering group meeting %(date)s has been removed.")
        % {"date": f"{found.date:%Y-%m-%d}"},
    )
    return _back_to_steering(association, intervention)


@association_view("steering.view")
def steering_minutes_download_view(request, association, pk: int, meeting: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    found = selectors.steering_meeting_get(
        user=request.user, association=association, intervention=intervention, pk=meeting
    )
    if not found.minutes:
        raise Http404
    services.steering_minutes_downloaded(meeting=found, by=request.user)
    response = FileResponse(
        found.minutes.open("rb"),
        as_attachment=True,
        filename=found.minutes_name,
        content_type=found.minutes_content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


STEERING_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Date"),
    gettext_lazy("Agenda and notes"),
    gettext_lazy("Minutes"),
    gettext_lazy("Minutes uploaded"),
    gettext_lazy("Uploaded by"),
]


@association_view("steering.view")
def steering_meetings_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    meetings = selectors.steering_meetings_of(user=request.user, intervention=intervention)
    return xlsx_response(
        filename=f"styrgruppsmoten-{association.slug}-{intervention.pk}.xlsx",
        title=_("Steering group meetings"),
        headers=STEERING_XLSX_HEADERS,
        rows=(
            [
                intervention.title,
                m.date,
                m.notes,
                m.minutes_name or _("Missing"),
                m.minutes_uploaded_at,
                str(m.minutes_uploaded_by or ""),
            ]
            for m in meetings.order_by("date", "id")
        ),
    )
