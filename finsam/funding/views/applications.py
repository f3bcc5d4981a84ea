"""Applications: the form with its formsets, autosave, submission, withdrawal and the stored
versions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import post_action
from finsam.core.money import format_sek, plain_number
from finsam.funding import forms, permissions, selectors, services
from finsam.funding.models import (
    Application,
    Call,
    GoalMeasure,
    Intervention,
    InterventionKind,
)
from finsam.funding.views._common import _url
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view

Status = Application.Status


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


def _stored_rows(application) -> dict[str, list[dict]]:
    """The application's goals, budget lines and proposed steering group as formset rows."""
    return {
        "goals": [
            {
                "text": g.text,
                "target_value": g.target_value,
                "measure": g.measure,
                "measure_target": g.measure_target,
            }
            for g in application.goals.all()
        ],
        "budget": [
            {
                "year": b.year,
                "cost_line": b.cost_line,
                "requested": b.requested,
                "own_financing": b.own_financing,
                "external_funding": b.external_funding,
                "external_source": b.external_source,
            }
            for b in application.budget_lines.all()
        ],
        "steering": [
            {"name": p.name, "member": p.member, "role": p.role}
            for p in application.steering_group.all()
        ],
    }


def _application_formsets(request, association, application=None):
    data = request.POST if request.method == "POST" else None
    initial = {"goals": None, "budget": None, "steering": None}
    # Only an unbound formset shows the stored rows. A bound one takes the rows from the post:
    # with the stored rows as initial, a row posted unchanged would count as untouched and be
    # dropped (kept_rows), so saving a draft without touching its goals would delete them.
    if application is not None and data is None:
        initial = _stored_rows(application)
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
    return post_action(
        request,
        lambda: services.application_withdraw(application=application, by=request.user),
        success_message=_("The application has been withdrawn."),
        done=lambda: redirect("funding:application_detail", association.slug, application.pk),
    )


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


def _version_budget_lines(lines: list[dict]) -> str:
    line = _("%(year)s %(cost_line)s: requested %(requested)s, own %(own)s, external %(external)s")
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
        for b in lines
    )


def _version_value(key: str, value, titles: dict[int, str]) -> str:
    if value is None or value == "" or value == []:
        return "–"
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if key == "status":
        return str(Status(value).label) if value in Status.values else value
    if key in ("call", "continues", "reinforces"):
        return titles.get(value, str(value))
    if key == "submitted_at":  # stored in UTC: shown in Swedish time, as people write it
        moment = dt.datetime.fromisoformat(value)
        return (
            f"{timezone.localtime(moment) if timezone.is_aware(moment) else moment:%Y-%m-%d %H:%M}"
        )
    if key == "kind_shares":
        return ", ".join(
            f"{InterventionKind(k).label if k in InterventionKind.values else k} {v} %"
            for k, v in value.items()
        )
    if key == "budget_lines":
        return _version_budget_lines(value)
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
