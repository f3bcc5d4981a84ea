"""Delårsrapport per a cut-off date (30 June, or a tertial).

Events of the period (the office's text); one page per intervention (owner, period, money from
the association, actual to date from the ledger, target group, purpose, goals with attainment,
what happened and forecast from the staff's status report where there is one); goal attainment
per area with the office's assessment; the follow-up table (economy.follow_up.follow_up_table:
sections, subtotals, result, variance = budget − forecast); equity and available funds.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.money import format_number
from finsam.documents import sources
from finsam.documents.blocks import (
    Column,
    Document,
    Flag,
    FreeText,
    Heading,
    KeyFigures,
    Kind,
    PageBreak,
    Paragraph,
    Row,
    Table,
    register,
)
from finsam.economy import selectors as economy_selectors
from finsam.economy.follow_up import follow_up_table
from finsam.funding import selectors as funding_selectors
from finsam.goals import selectors as goals_selectors
from finsam.goals.measuring import measure_goals

ZERO = Decimal(0)
REPORTED = ("submitted", "approved")
ROW_STYLES = {"section": "heading", "subtotal": "subtotal", "result": "total"}


def build(*, association, year: int, cut_off: dt.date | None = None, meeting=None) -> Document:
    cut_off = cut_off or dt.date(year, 6, 30)
    if cut_off.year != year:
        raise ValueError("The cut-off date must lie in the report's year.")
    user = sources.reader(association)
    doc = Document(
        kind="interim",
        title=_("Interim report %(year)s") % {"year": year},
        subtitle=_("Interim report as of %(date)s") % {"date": cut_off.isoformat()},
        association_name=association.name,
    )
    add = doc.blocks.append
    add(Heading(_("Events of the period")))
    add(FreeText("events", "", _("What happened in the association during the period.")))
    budget = sources.counting_budget(association, year)
    report = None
    if budget is None:
        doc.flags.append(sources.no_budget_flag(year))
    else:
        view = economy_selectors.budget_view(budget=budget)
        report = economy_selectors.follow_up(
            user=user, association=association, budget=budget, cutoff=cut_off
        )
        doc.flags.extend(sources.budget_flags(budget, view))
        rules = list(economy_selectors.financial_rules(user=user, association=association))
        doc.flags.extend(sources.rule_flags(budget, view, rules, years={year}))
        if not report.has_actuals:
            doc.flags.append(
                Flag(
                    code=f"no-actuals-{cut_off.isoformat()}",
                    message=_(
                        "No bookkeeping is imported up to %(date)s: the actual figures are zero."
                    )
                    % {"date": cut_off.isoformat()},
                )
            )
        for account, name, amount in report.unmapped:
            doc.flags.append(
                Flag(
                    code="unmapped-" + sources.short_code(account),
                    message=_(
                        "Account %(account)s %(name)s (%(amount)s kr) is not placed on a budget "
                        "line; it is counted under other income or costs."
                    )
                    % {"account": account, "name": name, "amount": format_number(amount)},
                )
            )
    _interventions(doc, user, association, year, cut_off, budget, report)
    _goal_attainment(doc, user, association, year, cut_off)
    _economy(doc, report, cut_off)
    return doc


def _latest_reports(user, association, cut_off: dt.date) -> dict[int, object]:
    """Each intervention's latest written status report covering a period up to the cut-off."""
    latest: dict[int, object] = {}
    qs = (
        funding_selectors.reports(user=user, association=association)
        .filter(period_end__lte=cut_off, status__in=REPORTED)
        .prefetch_related("attainments")
        .order_by("period_end", "pk")
    )
    for r in qs:
        latest[r.intervention_id] = r
    return latest


def _intervention_money(report, labels: set[str]) -> dict[str, Decimal] | None:
    """As economy.selectors.intervention_ledger, from the follow-up computed once for all."""
    if report is None or not labels:
        return None
    rows = [r for r in report.costs if r.label in labels]
    return {
        attr: sum((getattr(r, attr) for r in rows), ZERO)
        for attr in ("budget", "actual", "forecast")
    }


def _interventions(doc, user, association, year, cut_off, budget, report) -> None:
    from finsam.economy.models import BudgetLine

    doc.blocks.append(Heading(_("Interventions")))
    interventions = [
        i
        for i in funding_selectors.interventions(user=user, association=association)
        .prefetch_related("grants", "goals")
        .order_by("title", "pk")
        if i.runs_in_year(year) and i.period_start <= cut_off
    ]
    labels: dict[int, set[str]] = {}
    if budget is not None:
        for intervention_id, label in BudgetLine.objects.filter(
            budget=budget, intervention__isnull=False
        ).values_list("intervention_id", "label"):
            labels.setdefault(intervention_id, set()).add(label)
    status_reports = _latest_reports(user, association, cut_off)
    summary = []
    for i in interventions:
        granted = sum(
            (g.amount for g in i.grants.all() if g.year == year and g.withdrawn_by_id is None), ZERO
        )
        money = _intervention_money(report, labels.get(i.pk, set()))
        status = status_reports.get(i.pk)
        actual = money["actual"] if money else None
        forecast = (
            status.forecast
            if status and status.forecast is not None
            else (money["forecast"] if money else None)
        )
        summary.append(Row((i.title, granted, actual, forecast)))
        doc.blocks.append(PageBreak())
        doc.blocks.append(Heading(i.title, 2))
        end = i.period_end.isoformat() if i.period_end else _("until further notice")
        doc.blocks.append(
            KeyFigures(
                (
                    (_("Project owner"), i.owner or "–", "text"),
                    (_("Period"), f"{i.period_start.isoformat()} – {end}", "text"),
                    (
                        _("Granted by the association %(year)s (kr)") % {"year": year},
                        granted,
                        "money",
                    ),
                    (_("Actual to %(date)s (kr)") % {"date": cut_off.isoformat()}, actual, "money"),
                    (_("Forecast for the year (kr)"), forecast, "money"),
                )
            )
        )
        if money is None and budget is not None:
            doc.flags.append(
                Flag(
                    code=f"no-ledger-{i.pk}",
                    message=_(
                        "%(title)s: no budget line is linked to the intervention, so the actual "
                        "to date is not shown."
                    )
                    % {"title": i.title},
                    severity="info",
                )
            )
        if status and status.forecast is not None and money is not None:
            difference = economy_selectors.forecast_difference(
                {**money, "has_actuals": report.has_actuals}, status.forecast
            )
            if difference is not None:
                doc.flags.append(
                    Flag(
                        code=f"forecast-{i.pk}-{status.pk}",
                        message=_(
                            "%(title)s: the status report's forecast differs from the ledger's by "
                            "%(diff)s kr."
                        )
                        % {"title": i.title, "diff": format_number(difference)},
                    )
                )
        if i.target_group:
            doc.blocks.append(Heading(_("Target group"), 3))
            doc.blocks.append(Paragraph(i.target_group))
        if i.purpose:
            doc.blocks.append(Heading(_("Purpose"), 3))
            doc.blocks.append(Paragraph(i.purpose))
        goals = list(i.goals.all())
        if goals:
            attained = {a.goal_id: a for a in status.attainments.all()} if status else {}
            doc.blocks.append(
                Table(
                    key=f"intervention-{i.pk}-goals",
                    title=_("Goals: %(title)s") % {"title": i.title},
                    columns=(Column(_("Goal")), Column(_("Target")), Column(_("Result"))),
                    rows=tuple(
                        Row(
                            (
                                g.text,
                                g.target_value,
                                attained[g.pk].value if g.pk in attained else "",
                            )
                        )
                        for g in goals
                    ),
                )
            )
        doc.blocks.append(Heading(_("What happened"), 3))
        if status is not None:
            doc.blocks.append(
                Paragraph(
                    _("From the status report for the period up to %(date)s.")
                    % {"date": status.period_end.isoformat()}
                )
            )
            for text in (status.what_happened, status.outcome, status.deviations):
                if text:
                    doc.blocks.append(Paragraph(text))
        else:
            doc.blocks.append(Paragraph(_("No status report has been written for the period.")))
        doc.blocks.append(FreeText(f"intervention-{i.pk}", _("The office's comment")))
    if interventions:
        total = Row(
            (
                _("Total"),
                sum((r.cells[1] for r in summary), ZERO),
                sum((r.cells[2] or ZERO for r in summary), ZERO),
                sum((r.cells[3] or ZERO for r in summary), ZERO),
            ),
            "total",
        )
        doc.blocks.insert(
            doc.blocks.index(Heading(_("Interventions"))) + 1,
            Table(
                key="interventions",
                title=_("Interventions at %(date)s (kr)") % {"date": cut_off.isoformat()},
                columns=(
                    Column(_("Intervention")),
                    Column(_("Granted %(year)s") % {"year": year}, "money"),
                    Column(_("Actual to date"), "money"),
                    Column(_("Forecast"), "money"),
                ),
                rows=(*summary, total),
            ),
        )


def _goal_attainment(doc, user, association, year: int, cut_off: dt.date) -> None:
    doc.blocks.append(Heading(_("Goal attainment")))
    period = "half_year" if cut_off < dt.date(year, 12, 31) else "year"
    areas = goals_selectors.goals_for_year(user=user, association=association, year=year)
    if not areas:
        doc.blocks.append(Paragraph(_("No goals are entered for the year.")))
    for n, (area, goals) in enumerate(areas, start=1):
        results = measure_goals(
            user=user, association=association, goals=goals, year=year, period=period, today=cut_off
        )
        rows = []
        for result in results:
            assessment = result.assessment
            verdict = assessment.get_verdict_display() if assessment else ""
            for k, m in enumerate(result.measures):
                figure = m.figure
                value = None if figure.hidden else figure.value
                rows.append(
                    Row(
                        (
                            result.goal.text if k == 0 else "",
                            m.measure.text,
                            m.measure.target,
                            value,
                            m.status_label,
                            verdict if k == 0 else "",
                        )
                    )
                )
        doc.blocks.append(
            Table(
                key=f"attainment-{n}",
                title=_("Goal attainment: %(area)s") % {"area": area.name},
                columns=(
                    Column(_("Goal")),
                    Column(_("Measured by")),
                    Column(_("Target"), "number"),
                    Column(_("Outcome"), "number"),
                    Column(_("Status")),
                    Column(_("The office's assessment")),
                ),
                rows=tuple(rows),
            )
        )
    doc.blocks.append(
        FreeText("assessment", _("The office's assessment"), _("Goal attainment in words."))
    )


def _economy(doc, report, cut_off: dt.date) -> None:
    doc.blocks.append(Heading(_("Economic follow-up")))
    if report is None:
        doc.blocks.append(Paragraph(_("There is no budget for the year.")))
        return
    rows = tuple(
        Row(
            (row.label, row.budget, row.actual, row.accrued, row.forecast, row.variance),
            ROW_STYLES.get(row.kind, "normal"),
        )
        for row in follow_up_table(report)
    )
    doc.blocks.append(
        Table(
            key="follow-up",
            title=_("Follow-up at %(date)s (kr)") % {"date": cut_off.isoformat()},
            columns=(
                Column(_("Line")),
                Column(_("Budget"), "money"),
                Column(_("Actual to date"), "money"),
                Column(_("Accrued"), "money"),
                Column(_("Forecast"), "money"),
                Column(_("Variance"), "money"),
            ),
            rows=rows,
            note=_("Variance = budget − forecast. %(note)s") % {"note": report.column_note},
        )
    )
    doc.blocks.append(Heading(_("Equity and available funds"), 2))
    doc.blocks.append(
        KeyFigures(
            (
                (_("Equity at start of year"), report.equity_opening, "money"),
                (_("Equity at year end (forecast)"), report.equity_forecast, "money"),
                (
                    _("Available funds (bank) at %(date)s") % {"date": cut_off.isoformat()},
                    report.bank,
                    "money",
                ),
            )
        )
    )
    doc.blocks.append(
        FreeText("analysis", _("Analysis"), _("The office's analysis of the economy."))
    )


register(Kind(slug="interim", name="Delårsrapport", build=build))
