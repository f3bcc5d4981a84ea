"""The year's goals with live attainment, their measures, figures and the office's assessments."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from finsam.core.charts import bar_chart_svg
from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page, post_action, render_form, save_form
from finsam.core.formsets import ADD_ROW, adding_row, apply_row_errors, row_formset
from finsam.goals import forms, measuring, selectors, services
from finsam.goals.models import Assessment, Period
from finsam.goals.views._common import check_year, period_param, year_param
from finsam.organisation.tenancy import association_view

FORM = "organisation/form.html"


def _goals_url(association, year: int) -> str:
    return reverse("goals:goals", args=[association.slug]) + f"?ar={year}"


def _results(request, association, year: int, period: str):
    areas = selectors.goals_for_year(user=request.user, association=association, year=year)
    return [
        (
            area,
            measuring.measure_goals(
                user=request.user, association=association, goals=goals, year=year, period=period
            ),
        )
        for area, goals in areas
    ]


@association_view("goals.view")
def goal_list_view(request, association):
    year, period = year_param(request), period_param(request)
    trend = selectors.assessment_trend(user=request.user, association=association)
    return render(
        request,
        "goals/goal_list.html",
        {
            "year": year,
            "period": period,
            "periods": Period.choices,
            "years": selectors.goal_years(user=request.user, association=association),
            "areas": _results(request, association, year, period),
            "trend": trend,
            "verdicts": Assessment.Verdict.labels,
            "trend_chart": mark_safe(  # noqa: S308 - core.charts escapes every text
                bar_chart_svg(
                    categories=[str(row["year"]) for row in trend],
                    series=[(_("Met"), [row["cells"][0] for row in trend])],
                    title=_("Goals met per year (the office's assessment of the full year)"),
                    chart_id="trend-chart",
                )
            )
            if len(trend) > 1
            else "",
        },
    )


def _xlsx_rows(areas) -> list[list]:
    """One row per measure (a goal without measures gets one row), with its live figure."""
    rows = []
    for area, results in areas:
        for result in results:
            goal, assessment = result.goal, result.assessment
            for m in result.measures or [None]:
                rows.append(
                    [
                        area.name,
                        goal.text,
                        "; ".join(str(e) for e in goal.external_goals.all()),
                        "; ".join(i.title for i in goal.interventions.all()),
                        m.measure.text if m else "",
                        m.measure.get_kind_display() if m else "",
                        m.measure.target if m else None,
                        m.figure.value if m else None,
                        m.status_label if m else "",
                        " | ".join(m.figure.evidence) if m else "",
                        assessment.get_verdict_display() if assessment else "",
                        assessment.reason if assessment else "",
                    ]
                )
    return rows


XLSX_HEADERS = [
    gettext_lazy("Goal area"),
    gettext_lazy("Goal"),
    gettext_lazy("External goals"),
    gettext_lazy("Interventions"),
    gettext_lazy("Measured by"),
    gettext_lazy("Type of measure"),
    gettext_lazy("Target"),
    gettext_lazy("Value"),
    gettext_lazy("Status"),
    gettext_lazy("Evidence"),
    gettext_lazy("Assessment"),
    gettext_lazy("Why"),
]


@association_view("goals.view")
def goals_xlsx_view(request, association, year: int):
    check_year(year)
    period = period_param(request)
    return xlsx_response(
        filename=f"mal-{association.slug}-{year}-{period}.xlsx",
        title=_("Goals %(year)s") % {"year": year},
        headers=XLSX_HEADERS,
        rows=_xlsx_rows(_results(request, association, year, period)),
    )


@association_view("goals.edit")
def area_create_view(request, association, year: int):
    check_year(year)
    form = forms.GoalAreaForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.goal_area_create(
            association=association, by=request.user, year=year, **d
        ),
        success_message=_("The goal area has been added."),
        done=lambda: redirect(_goals_url(association, year)),
        context={
            "title": _("New goal area %(year)s") % {"year": year},
            "cancel_url": _goals_url(association, year),
        },
        template=FORM,
    )


@association_view("goals.edit")
def external_goal_create_view(request, association):
    form = forms.ExternalGoalForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.external_goal_create(association=association, by=request.user, **d),
        success_message=_("The external goal has been added."),
        done=lambda: redirect("goals:goals", association.slug),
        context={
            "title": _("New external goal"),
            "cancel_url": reverse("goals:goals", args=[association.slug]),
        },
        template=FORM,
    )


@association_view("goals.edit")
def goal_create_view(request, association, year: int):
    check_year(year)
    form = forms.GoalForm(request.POST or None, association=association, year=year)
    created = {}

    def save(d):
        area = d.pop("area")
        created["goal"] = services.goal_create(area=area, by=request.user, **d)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The goal has been added."),
        done=lambda: redirect("goals:goal_detail", association.slug, created["goal"].pk),
        context={
            "title": _("New goal %(year)s") % {"year": year},
            "cancel_url": _goals_url(association, year),
        },
        template=FORM,
    )


@association_view("goals.edit")
def goal_edit_view(request, association, pk: int):
    goal = selectors.goal_get(user=request.user, association=association, pk=pk)
    form = forms.GoalForm(
        request.POST or None, instance=goal, association=association, year=goal.area.year
    )
    detail = reverse("goals:goal_detail", args=[association.slug, pk])
    return form_page(
        request,
        form,
        save=lambda d: services.goal_update(goal=goal, data=d, by=request.user),
        success_message=_("The goal has been updated."),
        done=lambda: redirect(detail),
        context={
            "title": _("Edit goal"),
            "cancel_url": detail,
            "delete_url": reverse("goals:goal_delete", args=[association.slug, pk]),
        },
        template=FORM,
    )


def _detail_context(request, association, goal, assessment_forms=None) -> dict:
    year = goal.area.year
    periods = []
    for period, label in Period.choices:
        result = measuring.measure_goals(
            user=request.user,
            association=association,
            goals=[goal],
            year=year,
            period=period,
        )[0]
        form = (assessment_forms or {}).get(period) or forms.AssessmentForm(
            instance=result.assessment, prefix=period
        )
        periods.append({"period": period, "label": label, "result": result, "form": form})
    return {"goal": goal, "year": year, "periods": periods}


@association_view("goals.view")
def goal_detail_view(request, association, pk: int):
    goal = selectors.goal_get(user=request.user, association=association, pk=pk)
    return render(request, "goals/goal_detail.html", _detail_context(request, association, goal))


@require_POST
@association_view("goals.edit")
def assessment_view(request, association, pk: int, period: str):
    if period not in Period.values:
        raise Http404
    goal = selectors.goal_get(user=request.user, association=association, pk=pk)
    form = forms.AssessmentForm(request.POST, prefix=period)
    saved = save_form(
        request,
        form,
        lambda d: services.assessment_set(goal=goal, by=request.user, period=period, **d),
        _("The assessment has been saved."),
    )
    if saved:
        return redirect("goals:goal_detail", association.slug, pk)
    context = _detail_context(request, association, goal, {period: form})
    return render_form(request, "goals/goal_detail.html", context, form)


@association_view("goals.edit")
def measure_create_view(request, association, pk: int):
    goal = selectors.goal_get(user=request.user, association=association, pk=pk)
    form = forms.MeasureForm(request.POST or None)
    detail = reverse("goals:goal_detail", args=[association.slug, pk])
    return form_page(
        request,
        form,
        save=lambda d: services.measure_create(goal=goal, by=request.user, **d),
        success_message=_("The measure has been added."),
        done=lambda: redirect(detail),
        context={"title": _("New measure"), "cancel_url": detail},
        template=FORM,
    )


@association_view("goals.edit")
def measure_edit_view(request, association, pk: int):
    measure = selectors.measure_get(user=request.user, association=association, pk=pk)
    form = forms.MeasureForm(request.POST or None, instance=measure)
    detail = reverse("goals:goal_detail", args=[association.slug, measure.goal_id])
    return form_page(
        request,
        form,
        save=lambda d: services.measure_update(measure=measure, data=d, by=request.user),
        success_message=_("The measure has been updated."),
        done=lambda: redirect(detail),
        context={
            "title": _("Edit measure"),
            "cancel_url": detail,
            "delete_url": reverse("goals:measure_delete", args=[association.slug, pk]),
        },
        template=FORM,
    )


def _measure_rows(formset) -> list[dict]:
    """Every row of the form but the new ones left empty or removed at once."""
    rows = [form.row(i) for i, form in enumerate(formset.forms)]
    return [r for r in rows if r["id"] is not None or (r["changed"] and not r["delete"])]


@association_view("goals.edit")
def measures_edit_view(request, association, pk: int):
    """All the goal's measures in one form: add rows, change them, remove them, save once."""
    goal = selectors.goal_get(user=request.user, association=association, pk=pk)
    fields = forms.MeasureRowForm.Meta.fields
    initial = [{"id": m.pk, **{f: getattr(m, f) for f in fields}} for m in goal.measures.all()]
    formset = row_formset(forms.MeasureRowFormSet, request, prefix="rows", initial=initial)
    detail = reverse("goals:goal_detail", args=[association.slug, pk])
    status = 200
    if request.method == "POST" and not adding_row(request):
        if formset.is_valid():
            try:
                services.measures_save(goal=goal, rows=_measure_rows(formset), by=request.user)
            except ValidationError as error:
                apply_row_errors(formset, error)
            else:
                messages.success(request, _("The measures have been saved."))
                return redirect(detail)
        status = 400
    context = {"goal": goal, "formset": formset, "add_row": ADD_ROW, "cancel_url": detail}
    return render(request, "goals/measures_form.html", context, status=status)


@association_view("goals.edit")
def entry_create_view(request, association, pk: int):
    measure = selectors.measure_get(user=request.user, association=association, pk=pk)
    form = forms.ManualEntryForm(request.POST or None)
    detail = reverse("goals:goal_detail", args=[association.slug, measure.goal_id])
    return form_page(
        request,
        form,
        save=lambda d: services.entry_record(measure=measure, by=request.user, **d),
        success_message=_("The figure has been recorded."),
        done=lambda: redirect(detail),
        context={
            "title": _("Record a figure: %(measure)s") % {"measure": measure},
            "cancel_url": detail,
        },
        template=FORM,
    )


@association_view("goals.edit")
def volume_count_create_view(request, association):
    form = forms.VolumeCountForm(request.POST or None, association=association)
    return form_page(
        request,
        form,
        save=lambda d: services.volume_count_record(by=request.user, **d),
        success_message=_("The volume count has been recorded."),
        done=lambda: redirect("goals:goals", association.slug),
        context={
            "title": _("Record a volume count"),
            "cancel_url": reverse("goals:goals", args=[association.slug]),
        },
        template=FORM,
    )


@require_POST
@association_view("goals.edit")
def goal_delete_view(request, association, pk: int):
    goal = selectors.goal_get(user=request.user, association=association, pk=pk)
    year = goal.area.year
    return post_action(
        request,
        lambda: services.goal_delete(goal=goal, by=request.user),
        success_message=_("The goal has been removed."),
        done=lambda: redirect(_goals_url(association, year)),
    )


@require_POST
@association_view("goals.edit")
def measure_delete_view(request, association, pk: int):
    measure = selectors.measure_get(user=request.user, association=association, pk=pk)
    goal_pk = measure.goal_id
    return post_action(
        request,
        lambda: services.measure_delete(measure=measure, by=request.user),
        success_message=_("The measure has been removed."),
        done=lambda: redirect("goals:goal_detail", association.slug, goal_pk),
    )
