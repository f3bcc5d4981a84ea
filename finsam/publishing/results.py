"""The results an entry publishes: a snapshot of the register's published statistics.

Taken by an office user (who may read the statistics) through the same public functions the
statistics page and its summary CSV call, so every figure is suppressed exactly as there —
together with all the association's interventions of the year. The public pages and the API
read the snapshot only: no visitor's request ever reaches the register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam.participants import statistics as register_statistics
from finsam.participants.statistics.suppression import SECONDARY_MARKER, primary_marker

# At most this many calendar years back: what a visitor reads, and what one refresh computes.
YEARS_BACK = 5
# The summary CSV's columns this snapshot keeps (register_statistics.SUMMARY_COLUMNS).
SUMMARY_KEYS = {
    "startade": "started",
    "avslutade": "exited",
    "andel_nojda_procent": "satisfied_percent",
    "andel_stegforflyttning_procent": "step_progress_percent",
    "andel_avslut_till_arbete_eller_studier_procent": "work_or_studies_percent",
}
RESULT_KEYS = ["year", *SUMMARY_KEYS.values(), "goals"]
GOAL_KEYS = ["goal", "target", "value", "unit"]


def result_years(intervention, today: dt.date) -> list[int]:
    last = min(today.year, intervention.period_end.year if intervention.period_end else today.year)
    first = max(intervention.period_start.year, last - YEARS_BACK + 1)
    return list(range(last, first - 1, -1))


def _figure(value):
    """A published count or share as JSON: a number, a suppression marker, or None (nothing to
    measure)."""
    if value in ("", None):
        return None
    if isinstance(value, int):
        return value
    if value in (SECONDARY_MARKER, primary_marker(register_statistics.THRESHOLD)):
        return value
    return str(Decimal(str(value)))


def _goals(stats, intervention) -> list[dict]:
    for item_intervention, items in stats.goals:
        if item_intervention.pk != intervention.pk:
            continue
        return [
            {
                "goal": item.goal_text,
                "target": item.target_value,
                "value": (
                    str(item.value)
                    if item.value is not None and item.published()
                    else None
                    if item.value is None
                    else SECONDARY_MARKER
                ),
                "unit": "percent" if item.is_share else "count",
            }
            for item in items
        ]
    return []


def results_snapshot(*, user, intervention, today: dt.date) -> list[dict]:
    """[{year, started, exited, shares…, goals}] newest year first, as the statistics page
    publishes them for `user` (PermissionDenied when the user may not read the statistics)."""
    association = intervention.association
    rows = []
    for year in result_years(intervention, today):
        summary = register_statistics.intervention_summary_rows(
            user=user, association=association, year=year
        )
        header = register_statistics.SUMMARY_COLUMNS
        mine = next((r for r in summary if r[header.index("insats")] == intervention.title), None)
        if mine is None:  # nobody started or exited in the year: nothing to tell
            continue
        row = {"year": year}
        for column, key in SUMMARY_KEYS.items():
            row[key] = _figure(mine[header.index(column)])
        stats = register_statistics.statistics(user=user, association=association, year=year)
        row["goals"] = _goals(stats, intervention)
        rows.append(row)
    return rows
