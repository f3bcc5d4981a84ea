"""The per-intervention summary CSV, as the statistics page publishes it."""

from __future__ import annotations

from decimal import Decimal

from finsam.funding import goals as goal_rules
from finsam.participants.statistics.common import THRESHOLD, _require
from finsam.participants.statistics.goals import GoalProgress, _share
from finsam.participants.statistics.page import year_tables
from finsam.participants.statistics.register import (
    COUNT,
    EXITED,
    STARTED,
    derivable,
    register_interventions,
)
from finsam.participants.statistics.suppression import (
    SECONDARY_MARKER,
    primary_marker,
    published_value,
)
from finsam.participants.statistics.surveys import SURVEYED


def intervention_summary_rows(*, user, association, year: int, live: bool = False) -> list[list]:
    """Per-intervention summary for CSV: the counts as the statistics page publishes them
    (suppressed together with its tables) and shares only where they give nothing away."""
    _require(user, association, "participants.statistics")
    interventions = register_interventions(association=association)
    register, surveys = year_tables(
        association=association, interventions=interventions, year=year, live=live
    )
    tables = {**register.published, SURVEYED: surveys.surveyed}
    counts = register.counts
    marker = primary_marker(THRESHOLD)
    rows = []
    for intervention in interventions:
        c = counts[intervention.pk]
        if not (c["started"] or c["exited"]):
            continue
        title = intervention.title

        def share(kind, num, den, title=title):
            if den == 0:
                return ""
            progress = GoalProgress("", "", kind, Decimal(0), None, num, den)
            if not (progress.published() and derivable(tables, kind, title, register.labels)):
                return marker if den < THRESHOLD else SECONDARY_MARKER
            return str(_share(num, den))

        rows.append(
            [
                year,
                title,
                published_value(tables[STARTED], title, COUNT) if tables[STARTED] else 0,
                published_value(tables[EXITED], title, COUNT) if tables[EXITED] else 0,
                share(goal_rules.SATISFIED, c["satisfied"], c["surveys"]),
                share(goal_rules.STEP_PROGRESS, c["step_positive"], c["step_known"]),
                share(goal_rules.WORK_OR_STUDIES, c["exited_work"], c["exited"]),
            ]
        )
    return rows


SUMMARY_COLUMNS = [
    "ar",
    "insats",
    "startade",
    "avslutade",
    "andel_nojda_procent",
    "andel_stegforflyttning_procent",
    "andel_avslut_till_arbete_eller_studier_procent",
]
