"""The report builder's data sets: per data set an allow-list of columns and filters, and the
rows read through the owning app's selectors, scoped to the association and the user's role.

A user never gets a column or a row through the builder that the app's own pages would not show
them: each data set names the capability its app's page requires, and its rows come from the
selector that page uses (which narrows further by role, e.g. staff see only their interventions).
Column keys come from `DataSet.columns`, never from the request.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.economy import selectors as economy_selectors
from finsam.economy.models import BudgetAmount, BudgetColumn, BudgetLine
from finsam.funding import selectors as funding_selectors
from finsam.funding.models import Grant, Intervention, Requisition
from finsam.funding.models.terms import InterventionKind
from finsam.goals import selectors as goal_selectors
from finsam.goals.models import Period
from finsam.organisation.access import can
from finsam.participants import statistics as register_statistics

FILTERS = ("year", "status", "kind", "search")


@dataclass(frozen=True)
class Column:
    key: str
    label: Any  # a lazy translation
    money: bool = False


@dataclass(frozen=True)
class DataSet:
    key: str
    label: Any
    capability: str
    columns: tuple[Column, ...]
    filters: tuple[str, ...]
    rows: Callable[..., list[dict]]
    statuses: tuple[tuple[str, Any], ...] = ()
    kinds: tuple[tuple[str, Any], ...] = ()
    needs_year: bool = False

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


# --- interventions ------------------------------------------------------------------------------


def _runs_in(year: int) -> Q:
    return Q(period_start__year__lte=year) & (
        Q(period_end__isnull=True) | Q(period_end__year__gte=year)
    )


def _intervention_rows(*, user, association, filters: dict) -> list[dict]:
    qs = funding_selectors.interventions(user=user, association=association)
    today = timezone.localdate()
    if filters.get("year"):
        qs = qs.filter(_runs_in(filters["year"]))
    if filters.get("status"):
        qs = funding_selectors.with_status(qs, status=filters["status"], today=today)
    if filters.get("kind"):
        qs = qs.filter(kind_shares__kind=filters["kind"]).distinct()
    if filters.get("search"):
        qs = qs.filter(title__icontains=filters["search"])
    return [
        {
            "title": i.title,
            "owner": i.owner,
            "target_group": i.target_group,
            "ages": i.age_range,
            "period_start": i.period_start,
            "period_end": i.period_end,
            "status": str(Intervention.Status(i.status_on(today)).label),
            "kinds": ", ".join(
                f"{s.get_kind_display()} {s.percent} %" for s in i.kind_shares.all()
            ),
            "granted": i.granted,
            "paid": i.paid,
        }
        for i in qs.order_by("title", "pk")
    ]


# --- grants and requisitions --------------------------------------------------------------------


def _grant_rows(*, user, association, filters: dict) -> list[dict]:
    visible = funding_selectors.interventions(user=user, association=association).values("pk")
    qs = Grant.objects.filter(intervention__in=visible).select_related("intervention")
    if filters.get("year"):
        qs = qs.filter(year=filters["year"])
    if filters.get("search"):
        qs = qs.filter(intervention__title__icontains=filters["search"])
    return [
        {
            "intervention": g.intervention.title,
            "year": g.year,
            "amount": g.amount,
            "decision": g.decision_ref,
            "withdrawn": _yes_no(g.withdrawn_by_id is not None),
        }
        for g in qs.order_by("intervention__title", "year", "pk")
    ]


def _requisition_rows(*, user, association, filters: dict) -> list[dict]:
    qs = funding_selectors.requisitions(user=user, association=association)
    if filters.get("year"):
        qs = qs.filter(date__year=filters["year"])
    if filters.get("status"):
        qs = qs.filter(status=filters["status"])
    if filters.get("search"):
        qs = qs.filter(grant__intervention__title__icontains=filters["search"])
    return [
        {
            "intervention": r.grant.intervention.title,
            "date": r.date,
            "grant_year": r.grant.year,
            "amount": r.amount,
            "status": r.get_status_display(),
        }
        for r in qs
    ]


# --- budget lines -------------------------------------------------------------------------------


def _budget_line_rows(*, user, association, filters: dict) -> list[dict]:
    year = filters["year"]
    budget = economy_selectors.budget_counting(user=user, association=association, year=year).budget
    if budget is None:
        return []
    column = BudgetColumn.objects.filter(
        budget=budget, year=year, basis=BudgetColumn.Basis.BUDGET
    ).first()
    amounts = {}
    if column is not None:
        amounts = dict(BudgetAmount.objects.filter(column=column).values_list("line_id", "amount"))
    lines = BudgetLine.objects.filter(budget=budget).select_related("intervention")
    if filters.get("search"):
        lines = lines.filter(label__icontains=filters["search"])
    return [
        {
            "budget": str(budget),
            "statement": line.get_statement_display(),
            "line": line.label,
            "account": line.account,
            "intervention": line.intervention.title if line.intervention else "",
            "amount": amounts.get(line.pk),
        }
        for line in lines.order_by("statement", "sort_order", "pk")
    ]


# --- goals and activities -----------------------------------------------------------------------


def _goal_rows(*, user, association, filters: dict) -> list[dict]:
    rows = []
    search = (filters.get("search") or "").lower()
    for area, goals in goal_selectors.goals_for_year(
        user=user, association=association, year=filters["year"]
    ):
        for goal in goals:
            if search and search not in goal.text.lower():
                continue
            verdicts = {a.period: a.get_verdict_display() for a in goal.assessments.all()}
            rows.append(
                {
                    "area": area.name,
                    "goal": goal.text,
                    "interventions": ", ".join(sorted(i.title for i in goal.interventions.all())),
                    "half_year": verdicts.get(Period.HALF_YEAR, ""),
                    "year": verdicts.get(Period.YEAR, ""),
                }
            )
    return rows


def _activity_rows(*, user, association, filters: dict) -> list[dict]:
    qs = goal_selectors.activities(user=user, association=association, year=filters.get("year"))
    if filters.get("search"):
        qs = qs.filter(title__icontains=filters["search"])
    qs = qs.annotate(
        n_registered=Sum("attendance__registered"), n_attended=Sum("attendance__attended")
    )
    return [
        {
            "title": a.title,
            "kind": a.get_kind_display(),
            "date": a.date,
            "organiser": a.get_organiser_display(),
            "audience": a.audience,
            "registered": a.n_registered or 0,
            "attended": a.n_attended or 0,
        }
        for a in qs.order_by("date", "title", "pk")
    ]


# --- participant aggregates ---------------------------------------------------------------------

SUMMARY_KEYS = ("year", "intervention", "started", "exited", "satisfied", "step", "work")


def _participant_rows(*, user, association, filters: dict) -> list[dict]:
    """The register's per-intervention summary exactly as the statistics page publishes it
    (suppressed: `<5` and `–`), never a raw count."""
    rows = register_statistics.intervention_summary_rows(
        user=user, association=association, year=filters["year"]
    )
    search = (filters.get("search") or "").lower()
    return [
        dict(zip(SUMMARY_KEYS, row, strict=True))
        for row in rows
        if not search or search in str(row[1]).lower()
    ]


L = gettext_lazy
DATASETS: dict[str, DataSet] = {
    d.key: d
    for d in (
        DataSet(
            key="interventions",
            label=L("Interventions"),
            capability="funding.view",
            columns=(
                Column("title", L("Intervention")),
                Column("owner", L("Project owner")),
                Column("target_group", L("Target group")),
                Column("ages", L("Ages")),
                Column("period_start", L("From")),
                Column("period_end", L("To")),
                Column("status", L("Status")),
                Column("kinds", L("Type of intervention")),
                Column("granted", L("Granted"), money=True),
                Column("paid", L("Paid"), money=True),
            ),
            filters=("year", "status", "kind", "search"),
            rows=_intervention_rows,
            statuses=tuple(Intervention.Status.choices),
            kinds=tuple(InterventionKind.choices),
        ),
        DataSet(
            key="grants",
            label=L("Granted funds"),
            capability="funding.view",
            columns=(
                Column("intervention", L("Intervention")),
                Column("year", L("Year")),
                Column("amount", L("Amount"), money=True),
                Column("decision", L("Decision")),
                Column("withdrawn", L("Withdrawn")),
            ),
            filters=("year", "search"),
            rows=_grant_rows,
        ),
        DataSet(
            key="requisitions",
            label=L("Requisitions and payments"),
            capability="requisitions.view",
            columns=(
                Column("intervention", L("Intervention")),
                Column("date", L("Date")),
                Column("grant_year", L("Grant year")),
                Column("amount", L("Amount"), money=True),
                Column("status", L("Status")),
            ),
            filters=("year", "status", "search"),
            rows=_requisition_rows,
            statuses=tuple(Requisition.Status.choices),
        ),
        DataSet(
            key="budget_lines",
            label=L("Budget lines"),
            capability="budget.view",
            columns=(
                Column("budget", L("Budget")),
                Column("statement", L("Report")),
                Column("line", L("Line")),
                Column("account", L("Account")),
                Column("intervention", L("Intervention")),
                Column("amount", L("Budget for the year"), money=True),
            ),
            filters=("year", "search"),
            rows=_budget_line_rows,
            needs_year=True,
        ),
        DataSet(
            key="goals",
            label=L("Goals"),
            capability="goals.view",
            columns=(
                Column("area", L("Goal area")),
                Column("goal", L("Goal")),
                Column("interventions", L("Interventions")),
                Column("half_year", L("Assessment at half-year")),
                Column("year", L("Assessment for the year")),
            ),
            filters=("year", "search"),
            rows=_goal_rows,
            needs_year=True,
        ),
        DataSet(
            key="activities",
            label=L("Activities"),
            capability="goals.view",
            columns=(
                Column("title", L("Activity")),
                Column("kind", L("Type")),
                Column("date", L("Date")),
                Column("organiser", L("Organiser")),
                Column("audience", L("Audience")),
                Column("registered", L("Registrations")),
                Column("attended", L("Attended")),
            ),
            filters=("year", "search"),
            rows=_activity_rows,
        ),
        DataSet(
            key="participant_aggregates",
            label=L("Participants per intervention (suppressed aggregates)"),
            capability="participants.statistics",
            columns=(
                Column("year", L("Year")),
                Column("intervention", L("Intervention")),
                Column("started", L("Started")),
                Column("exited", L("Exited")),
                Column("satisfied", L("Share satisfied (%)")),
                Column("step", L("Share with step progression (%)")),
                Column("work", L("Share exited to work or studies (%)")),
            ),
            filters=("year", "search"),
            rows=_participant_rows,
            needs_year=True,
        ),
    )
}


def datasets_for(user, association) -> list[DataSet]:
    """The data sets whose app pages the user may read in this association."""
    return [d for d in DATASETS.values() if can(user, association, d.capability)]


def default_year() -> int:
    return timezone.localdate().year


def report_rows(*, user, association, dataset: DataSet, columns: list[str], filters: dict):
    """(headers, rows, money column indexes) for the chosen columns, in allow-list order.
    The caller has checked the data set's capability; the selectors check it again."""
    chosen = [c for c in dataset.columns if c.key in columns]
    filters = dict(filters)
    if dataset.needs_year and not filters.get("year"):
        filters["year"] = default_year()
    rows = dataset.rows(user=user, association=association, filters=filters)
    headers = [str(c.label) for c in chosen]
    body = [[_cell(row.get(c.key)) for c in chosen] for row in rows]
    money = [i for i, c in enumerate(chosen) if c.money]
    return headers, body, money


def _cell(value):
    if isinstance(value, dt.datetime):
        return value.date()
    return "" if value is None else value
