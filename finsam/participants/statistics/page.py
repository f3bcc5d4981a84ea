"""The statistics page's year: from the summary (the page), or counted live (the reference).

`live=False` reads the summary that the services keep (statistics.stored); `live=True` counts the
register as the statistics always did. Both build and suppress the tables with the same code, so
the two must give the same page: the tests hold them to it after every kind of write.
"""

from __future__ import annotations

from dataclasses import replace

from django.utils.translation import gettext as _

from finsam.participants.statistics import register, stored
from finsam.participants.statistics.common import _require
from finsam.participants.statistics.goals import goal_progress, unmeasured_goals
from finsam.participants.statistics.register import (
    ORS,
    RegisterTables,
    Statistics,
    association_codes,
    build_register_tables,
    derivable,
    register_interventions,
    register_tables,
)
from finsam.participants.statistics.suppression import published_value
from finsam.participants.statistics.surveys import (
    SURVEYED,
    SurveyTables,
    build_survey_tables,
    counted_questions,
    survey_tables,
)


def year_tables(
    *, association, interventions, year: int, live: bool = False, surveys: bool = True
) -> tuple[RegisterTables, SurveyTables | None]:
    """The register's and the surveys' tables of the year, for these interventions. The two
    groups are suppressed each on its own (no count links them): `surveys=False` leaves the
    second out (None) for a reader of the register's counts only."""
    if live:
        return (
            register_tables(association=association, interventions=interventions, year=year),
            survey_tables(association=association, interventions=interventions, year=year)
            if surveys
            else None,
        )
    codes = association_codes(association)
    counts, survey_counts = stored.stored_counts(
        association=association, interventions=interventions, year=year, codes=codes
    )
    return (
        build_register_tables(interventions=interventions, year=year, counts=counts, codes=codes),
        build_survey_tables(
            interventions=interventions,
            questions=counted_questions(association=association, year=year),
            counts=survey_counts,
        )
        if surveys
        else None,
    )


def statistics(*, user, association, year: int, live: bool = False) -> Statistics:
    _require(user, association, "participants.statistics")
    interventions = register_interventions(association=association)
    tables, surveys = year_tables(
        association=association, interventions=interventions, year=year, live=live
    )
    published = {**tables.published, SURVEYED: surveys.surveyed}
    headings = [*tables.headings, (SURVEYED, surveys.heading, _("Intervention"))]
    shown_tables = [(heading, corner, published[name]) for name, heading, corner in headings]
    ors_rows = []
    ors_table = tables.published[ORS]
    for row in tables.ors:
        # The count as the linked suppression publishes it; the average only beside a count.
        n = published_value(ors_table, row["intervention"].title, tables.labels["ors_rated"])
        shown = isinstance(n, int) and not ors_table.withheld
        ors_rows.append(
            {**row, "n": n, "published": shown, "average": row["average"] if shown else None}
        )
    goals = goal_progress(interventions=interventions, year=year, counts=tables.counts)
    for intervention in interventions:
        goals[intervention.pk] = [
            replace(
                item,
                derivable=derivable(published, item.kind, intervention.title, tables.labels),
            )
            for item in goals[intervention.pk]
        ]
    return Statistics(
        year=year,
        tables=shown_tables,
        ors=ors_rows,
        # An intervention's goals are followed up in the years it runs, not after it ended.
        goals=[(i, goals[i.pk]) for i in interventions if goals[i.pk] and i.runs_in_year(year)],
        questions=surveys.questions,
        unmeasured=unmeasured_goals(interventions=interventions, year=year),
        published=published,
    )


def statistics_years(*, association, live: bool = False) -> list[int]:
    if live:
        return register.statistics_years(association=association)
    return stored.stored_years(association=association)


def default_statistics_year(*, association, live: bool = False) -> int:
    if live:
        return register.default_statistics_year(association=association)
    return stored.stored_default_year(association=association)
