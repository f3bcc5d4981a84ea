"""Activities for the members' staff: list, create, edit, attendance per member, evaluation."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from finsam.core.charts import bar_chart_svg
from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action
from finsam.goals import forms, selectors, services
from finsam.goals.views._common import check_year, year_param
from finsam.organisation.tenancy import association_view

FORM = "organisation/form.html"


def _totals(activity) -> tuple[int, int]:
    rows = activity.attendance.all()
    return sum(r.registered for r in rows), sum(r.attended for r in rows)


@association_view("goals.view")
def activity_list_view(request, association):
    year = year_param(request)
    items = selectors.activities(user=request.user, association=association, year=year)
    by_member = selectors.attendance_by_member(
        user=request.user, association=association, year=year
    )
    return render(
        request,
        "goals/activity_list.html",
        {
            "year": year,
            "years": selectors.activity_years(user=request.user, association=association),
            "activities": [(a, *_totals(a)) for a in items],
            "by_member": by_member,
            "chart": mark_safe(  # noqa: S308 - core.charts escapes every text
                bar_chart_svg(
                    categories=[name for name, _registered, _attended in by_member],
                    series=[
                        (_("Registered"), [registered for _n, registered, _a in by_member]),
                        (_("Attended"), [attended for _n, _r, attended in by_member]),
                    ],
                    title=_("Attended per member organisation %(year)s") % {"year": year},
                    chart_id="attendance-chart",
                )
            )
            if by_member
            else "",
        },
    )


@association_view("goals.view")
def activity_xlsx_view(request, association, year: int):
    check_year(year)
    items = selectors.activities(user=request.user, association=association, year=year)
    rows = []
    for a in items:
        for r in a.attendance.all() or [None]:
            rows.append(
                [
                    a.date,
                    a.title,
                    a.get_kind_display(),
                    a.get_organiser_display(),
                    a.co_organisers,
                    a.audience,
                    (r.member.name if r.member else _("Others")) if r else "",
                    r.registered if r else None,
                    r.attended if r else None,
                ]
            )
    return xlsx_response(
        filename=f"aktiviteter-{association.slug}-{year}.xlsx",
        title=_("Activities %(year)s") % {"year": year},
        headers=[
            _("Date"),
            _("Title"),
            _("Type"),
            _("Organiser"),
            _("Organised together with"),
            _("Audience"),
            _("Member organisation"),
            _("Registered"),
            _("Attended"),
        ],
        rows=rows,
    )


@association_view("goals.view")
def activity_detail_view(request, association, pk: int):
    activity = selectors.activity_get(user=request.user, association=association, pk=pk)
    registered, attended = _totals(activity)
    return render(
        request,
        "goals/activity_detail.html",
        {"activity": activity, "registered": registered, "attended": attended},
    )


@association_view("goals.edit")
def activity_create_view(request, association):
    form = forms.ActivityForm(request.POST or None, association=association)
    created = {}

    def save(d):
        created["a"] = services.activity_create(association=association, by=request.user, **d)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The activity has been added."),
        done=lambda: redirect("goals:activity_attendance", association.slug, created["a"].pk),
        context={
            "title": _("New activity"),
            "cancel_url": reverse("goals:activities", args=[association.slug]),
        },
        template=FORM,
    )


@association_view("goals.edit")
def activity_edit_view(request, association, pk: int):
    activity = selectors.activity_get(user=request.user, association=association, pk=pk)
    form = forms.ActivityForm(request.POST or None, instance=activity, association=association)
    detail = reverse("goals:activity_detail", args=[association.slug, pk])
    return form_page(
        request,
        form,
        save=lambda d: services.activity_update(activity=activity, data=d, by=request.user),
        success_message=_("The activity has been updated."),
        done=lambda: redirect(detail),
        context={
            "title": _("Edit activity"),
            "cancel_url": detail,
            "delete_url": reverse("goals:activity_delete", args=[association.slug, pk]),
        },
        template=FORM,
    )


@association_view("goals.edit")
def activity_attendance_view(request, association, pk: int):
    activity = selectors.activity_get(user=request.user, association=association, pk=pk)
    counts = {r.member_id: (r.registered, r.attended) for r in activity.attendance.all()}
    form = forms.AttendanceForm(
        request.POST or None, members=association.members.all(), initial_counts=counts
    )
    detail = reverse("goals:activity_detail", args=[association.slug, pk])
    return form_page(
        request,
        form,
        save=lambda d: services.attendance_set(
            activity=activity, by=request.user, rows=form.counts()
        ),
        success_message=_("The attendance has been saved."),
        done=lambda: redirect(detail),
        context={
            "title": _("Attendance: %(activity)s") % {"activity": activity},
            "cancel_url": detail,
        },
        template="goals/attendance_form.html",
    )


@association_view("goals.edit")
def activity_evaluation_view(request, association, pk: int):
    activity = selectors.activity_get(user=request.user, association=association, pk=pk)
    form = forms.EvaluationForm(request.POST or None)
    detail = reverse("goals:activity_detail", args=[association.slug, pk])
    return form_page(
        request,
        form,
        save=lambda d: services.evaluation_add(activity=activity, by=request.user, **d),
        success_message=_("The evaluation question has been added."),
        done=lambda: redirect(detail),
        context={
            "title": _("Evaluation: %(activity)s") % {"activity": activity},
            "cancel_url": detail,
        },
        template=FORM,
    )


@require_POST
@association_view("goals.edit")
def activity_delete_view(request, association, pk: int):
    activity = selectors.activity_get(user=request.user, association=association, pk=pk)
    year = activity.date.year
    return post_action(
        request,
        lambda: services.activity_delete(activity=activity, by=request.user),
        success_message=_("The activity has been removed."),
        done=lambda: redirect(reverse("goals:activities", args=[association.slug]) + f"?ar={year}"),
    )
