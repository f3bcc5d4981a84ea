"""The intervention's steering group: members, meetings and minutes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, render_form, save_form
from finsam.core.formsets import ADD_ROW, adding_row, apply_row_errors, row_formset
from finsam.funding import forms, permissions, selectors, services
from finsam.funding.views._common import _url
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view

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


def _steering_rows(formset) -> list[dict]:
    """The rows to write: new rows typed into, stored rows changed or marked for removal."""
    rows = []
    for index, form in enumerate(formset.forms):
        row = form.row(index)
        if row["id"] is None and (row["delete"] or not form.has_changed()):
            continue
        if row["id"] is not None and not (row["delete"] or form.has_changed()):
            continue
        rows.append(row)
    return rows


@association_view("steering.manage")
def steering_group_edit_view(request, association, pk: int):
    """The whole steering group in one form: add rows, change them, remove them, save once."""
    intervention = _steering_intervention(request, association, pk)
    stored = selectors.steering_group_of(intervention=intervention)
    initial = [{"id": p.pk, "name": p.name, "member": p.member, "role": p.role} for p in stored]
    formset = row_formset(
        forms.SteeringRowFormSet,
        request,
        prefix="rows",
        initial=initial,
        form_kwargs={"association": association},
    )
    status = 200
    if request.method == "POST" and not adding_row(request):
        if formset.is_valid():
            try:
                services.steering_group_save(
                    intervention=intervention, rows=_steering_rows(formset), by=request.user
                )
            except ValidationError as error:
                apply_row_errors(formset, error)
            else:
                messages.success(request, _("The steering group has been saved."))
                return _back_to_steering(association, intervention)
        status = 400
    context = {"intervention": intervention, "formset": formset, "add_row": ADD_ROW}
    return render(request, "funding/steering_group_form.html", context, status=status)


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
