"""Interventions: list, detail, the page's tables as spreadsheets, closure and change decisions,
staff, and how the goals are measured."""

from __future__ import annotations

from decimal import Decimal

from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from finsam.core.exports import xlsx_response
from finsam.core.forms import form_page
from finsam.core.money import format_sek
from finsam.funding import forms, permissions, selectors, services, summary
from finsam.funding.models import Intervention
from finsam.funding.views._common import _url, amount_form_status, save_with_amount_errors
from finsam.funding.views.requisitions import REQUISITIONS_XLSX_HEADERS, _requisition_row
from finsam.funding.views.steering import _steering_context
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view

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


def _interventions_xlsx(association, rows):
    """The list's rows [(intervention, status today)] as a spreadsheet."""
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


@association_view("funding.view")
def intervention_list_view(request, association):
    today = timezone.localdate()
    qs = selectors.interventions(user=request.user, association=association)
    status = request.GET.get("status", "")
    if status in Intervention.Status.values:
        qs = selectors.with_status(qs, status=status, today=today)
    rows = [(i, i.status_on(today)) for i in qs]
    if request.GET.get("format") == "xlsx":
        return _interventions_xlsx(association, rows)
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
    can_request, _reason = permissions.can_request_requisition(request.user, intervention)
    today = timezone.localdate()
    years = services.financing_years(intervention)
    reports = [(r, r.state_on(today)) for r in intervention.reports.order_by("period_end", "kind")]
    year = summary.summary_year(intervention, today)
    return render(
        request,
        "funding/intervention_detail.html",
        {
            "intervention": intervention,
            "status": intervention.status_on(today),
            "panels": summary.panels(
                user=request.user,
                intervention=intervention,
                year=year,
                grant_years=years,
                reports=reports,
                today=today,
            ),
            "this_year": year,
            "years": years,
            "grants": selectors.grants_of(intervention=intervention),
            "requisitions": permissions.with_approval_refusals(
                request.user, selectors.requisitions_of(intervention=intervention)
            ),
            "goals": [(g, forms.goal_measure_text(g)) for g in intervention.goals.all()],
            "duties": services.reporting_duties(intervention),
            "reports": reports,
            "can_request_requisition": can_request
            and can(request.user, association, "requisitions.request"),
            "today": today,
            **_steering_context(request, association, intervention),
        },
    )


# The intervention page's tables as spreadsheets, for everyone who may read the page.

YEARS_XLSX_HEADERS = [
    gettext_lazy("Intervention"),
    gettext_lazy("Year"),
    gettext_lazy("Granted (SEK)"),
    gettext_lazy("Co-financing (SEK)"),
    gettext_lazy("Total financing (SEK)"),
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
                y.co_financing,
                y.total_financing,
                y.requisitioned,
                y.requested,
                y.approved,
                y.paid,
                y.remaining,
            ]
            for y in services.financing_years(intervention)
        ),
        money_columns=[2, 3, 4, 5, 6, 7, 8, 9],
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


@association_view("funding.view")
def intervention_requisitions_xlsx_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    return xlsx_response(
        filename=f"utbetalningar-{association.slug}-{intervention.pk}.xlsx",
        title=_("Requisitions"),
        headers=REQUISITIONS_XLSX_HEADERS,
        rows=(
            _requisition_row(p)
            for p in selectors.requisitions_of(intervention=intervention).select_related(
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


def _change_form(request, association, intervention):
    current = {y.year: y.granted for y in services.grant_years(intervention)}
    return forms.InterventionChangeForm(
        request.POST or None,
        meetings=selectors.board_meetings(user=request.user, association=association),
        years=_change_years(intervention, current),
        current=current,
        initial=services.intervention_terms(intervention),
    )


def _change_context(request, association, intervention, form, amount_errors) -> dict:
    return {
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
    }


@association_view("decisions.record")
def intervention_change_view(request, association, pk: int):
    intervention = selectors.intervention_get(user=request.user, association=association, pk=pk)
    form = _change_form(request, association, intervention)

    def save(d):
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

    amount_errors: list[str] = []
    if request.method == "POST":
        saved, amount_errors = save_with_amount_errors(
            request, form, save, _("The change decision is recorded.")
        )
        if saved:
            return redirect("funding:intervention_detail", association.slug, intervention.pk)
    return render(
        request,
        "funding/change_form.html",
        _change_context(request, association, intervention, form, amount_errors),
        status=amount_form_status(form, amount_errors),
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
