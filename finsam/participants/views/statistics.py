"""Aggregates: the statistics page and the summary CSV (suppressed, never one person)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from finsam.core.charts import bar_chart_svg
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view
from finsam.participants import statistics as register_statistics
from finsam.participants.charts import goal_progress_svgs
from finsam.participants.statistics.suppression import (
    TOTAL,
    published_value,
    suppression_note,
    withheld_note,
)
from finsam.participants.views.common import _year, csv_response


@association_view("participants.statistics")
def statistics_view(request, association):
    year = _year(request, register_statistics.default_statistics_year(association=association))
    stats = register_statistics.statistics(user=request.user, association=association, year=year)
    return render(
        request,
        "participants/statistics.html",
        {
            "stats": stats,
            "year": year,
            "years": register_statistics.statistics_years(association=association),
            **_published(stats),
            "charts": _charts(stats),
            "unmeasured": stats.unmeasured
            if can(request.user, association, "funding.edit")
            else [],
            "note": suppression_note(),
            "withheld_note": withheld_note(),
        },
    )


def _published(stats) -> dict:
    """The year's tables, goal bars and own-question tables as the page shows them."""
    return {
        "tables": [
            (heading, table.as_rows(corner=corner) if table else None, table)
            for heading, corner, table in stats.tables
        ],
        "goals": [
            (intervention, goal_progress_svgs(items, prefix=f"goal-{intervention.pk}", exact=False))
            for intervention, items in stats.goals
        ],
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
    }


def _charts(stats) -> list[dict]:
    """The page's charts, drawn from the published (suppressed) tables only: a hidden cell is
    written as the table writes it, never drawn."""
    charts = []
    status = stats.published.get(register_statistics.STATUS)
    if status and not status.withheld:
        charts.append(
            _chart(
                _("Participants during the year, per intervention"),
                "chart-status",
                status.row_labels,
                [
                    (column, [status.cells[row][column] for row in status.row_labels])
                    for column in status.column_labels
                ],
            )
        )
    flow = stats.published.get(register_statistics.FLOW)
    if flow and not flow.withheld:
        labels = list(dict.fromkeys([*flow.row_labels, *flow.column_labels]))
        charts.append(
            _chart(
                _("Occupation before and after, exited during the year, all interventions"),
                "chart-flow",
                labels,
                [
                    (_("Before"), [published_value(flow, label, TOTAL) for label in labels]),
                    (_("After"), [published_value(flow, TOTAL, label) for label in labels]),
                ],
            )
        )
    # A chart with no bar to draw (every figure hidden or zero) says nothing the table does not.
    return [chart for chart in charts if chart]


def _chart(title: str, chart_id: str, categories, series) -> dict | None:
    if not any(isinstance(v, int) and v > 0 for _name, values in series for v in values):
        return None
    svg = bar_chart_svg(categories=categories, series=series, title=title, chart_id=chart_id)
    return {"title": title, "svg": mark_safe(svg)}  # noqa: S308 - core.charts escapes every text


@association_view("participants.statistics")
def summary_csv_view(request, association):
    year = _year(request, register_statistics.default_statistics_year(association=association))
    rows = register_statistics.intervention_summary_rows(
        user=request.user, association=association, year=year
    )
    return csv_response(
        f"insatser-sammanstallning-{association.slug}-{year}.csv",
        register_statistics.SUMMARY_COLUMNS,
        rows,
    )
