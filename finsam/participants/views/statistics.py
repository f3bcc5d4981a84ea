"""Aggregates: the statistics page and the summary CSV (suppressed, never one person)."""

from __future__ import annotations

from django.shortcuts import render
from django.utils.translation import gettext as _

from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view
from finsam.participants import statistics as register_statistics
from finsam.participants.statistics.suppression import suppression_note, withheld_note
from finsam.participants.views.common import _progress_svgs, _year, csv_response


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
            (intervention, _progress_svgs(items, prefix=f"goal-{intervention.pk}", exact=False))
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
