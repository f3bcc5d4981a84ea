"""The internal control plan: risks with a heat map, controls with their results and actions."""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.core.forms import form_page
from finsam.goals import forms, internal_control, selectors, services
from finsam.goals.views._common import check_year, year_param
from finsam.organisation.tenancy import association_view

FORM = "organisation/form.html"


def _page(association, year: int) -> str:
    return reverse("goals:internal_control", args=[association.slug]) + f"?ar={year}"


@association_view("control.view")
def internal_control_view(request, association):
    year = year_param(request)
    plan = selectors.control_plan(user=request.user, association=association, year=year)
    previous = selectors.control_plan(user=request.user, association=association, year=year - 1)
    risks = list(plan.risks.all()) if plan else []
    return render(
        request,
        "goals/internal_control.html",
        {
            "year": year,
            "years": selectors.control_plan_years(user=request.user, association=association),
            "plan": plan,
            "previous": previous,
            "risks": [(r, internal_control.score(r.probability, r.consequence)) for r in risks],
            "heat_map": internal_control.heat_map(risks),
            "cycle": selectors.control_cycle_meetings(
                user=request.user, association=association, year=year
            ),
        },
    )


@association_view("goals.edit")
def control_plan_edit_view(request, association, year: int):
    check_year(year)
    plan = selectors.control_plan(user=request.user, association=association, year=year)
    cycle = selectors.control_cycle_meetings(user=request.user, association=association, year=year)
    suggested = next((p.meeting for p in cycle if p.meeting is not None), None)
    form = forms.ControlPlanForm(
        request.POST or None,
        instance=plan,
        association=association,
        year=year,
        initial={"report_meeting": suggested} if plan is None else None,
    )

    def save(d):
        if plan is None:
            services.control_plan_create(association=association, by=request.user, year=year, **d)
        else:
            services.control_plan_update(plan=plan, data=d, by=request.user)

    return form_page(
        request,
        form,
        save=save,
        success_message=_("The internal control plan has been saved."),
        done=lambda: redirect(_page(association, year)),
        context={
            "title": _("Internal control plan %(year)s") % {"year": year},
            "cancel_url": _page(association, year),
        },
        template=FORM,
    )


@association_view("goals.edit")
def risk_create_view(request, association, year: int):
    check_year(year)
    plan = selectors.control_plan(user=request.user, association=association, year=year)
    if plan is None:
        return redirect("goals:control_plan_edit", association.slug, year)
    form = forms.RiskForm(request.POST or None)
    return form_page(
        request,
        form,
        save=lambda d: services.risk_create(plan=plan, by=request.user, **d),
        success_message=_("The risk has been added."),
        done=lambda: redirect(_page(association, year)),
        context={"title": _("New risk"), "cancel_url": _page(association, year)},
        template=FORM,
    )


@association_view("goals.edit")
def risk_edit_view(request, association, pk: int):
    risk = selectors.risk_get(user=request.user, association=association, pk=pk)
    form = forms.RiskForm(request.POST or None, instance=risk)
    back = _page(association, risk.plan.year)
    return form_page(
        request,
        form,
        save=lambda d: services.risk_update(risk=risk, data=d, by=request.user),
        success_message=_("The risk has been updated."),
        done=lambda: redirect(back),
        context={"title": _("Edit risk"), "cancel_url": back},
        template=FORM,
    )


@association_view("goals.edit")
def control_create_view(request, association, pk: int):
    risk = selectors.risk_get(user=request.user, association=association, pk=pk)
    form = forms.ControlForm(request.POST or None)
    back = _page(association, risk.plan.year)
    return form_page(
        request,
        form,
        save=lambda d: services.control_create(risk=risk, by=request.user, **d),
        success_message=_("The control has been added."),
        done=lambda: redirect(back),
        context={"title": _("New control: %(risk)s") % {"risk": risk}, "cancel_url": back},
        template=FORM,
    )


@association_view("goals.edit")
def control_edit_view(request, association, pk: int):
    control = selectors.control_get(user=request.user, association=association, pk=pk)
    form = forms.ControlForm(request.POST or None, instance=control)
    back = _page(association, control.risk.plan.year)
    return form_page(
        request,
        form,
        save=lambda d: services.control_update(control=control, data=d, by=request.user),
        success_message=_("The control has been updated."),
        done=lambda: redirect(back),
        context={"title": _("Edit control"), "cancel_url": back},
        template=FORM,
    )
