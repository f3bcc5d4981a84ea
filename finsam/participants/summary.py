"""The register's figures on an intervention's first screen (finsam.funding.summary).

The intervention's own staff see exact counts and goal values, as on their participant pages.
Everyone else who may read the register's statistics sees the intervention's counts of the year
exactly as the statistics page publishes them: read from the summary the services keep and
suppressed together with every other table of the year (a count shown here but hidden there
would give the hidden one away), so "<5" and "–" stand where the page has them. Others see
nothing from the register.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from finsam.funding.summary import Figure, Panel
from finsam.organisation.access import can
from finsam.participants import statistics as register_statistics
from finsam.participants.access import is_intervention_staff
from finsam.participants.charts import goal_progress_svgs
from finsam.participants.services import rating_rules_for
from finsam.participants.statistics.suppression import (
    SECONDARY_MARKER,
    TOTAL,
    published_value,
    suppression_note,
)


def intervention_panels(*, user, intervention, year: int) -> list[Panel]:
    association = intervention.association
    heading = _("Participants %(year)s") % {"year": year}
    if not is_intervention_staff(user, intervention):
        if not can(user, association, "participants.statistics"):
            return []
        return [_published_panel(intervention, year=year, heading=heading)]
    tables = register_statistics.register_tables(
        association=association,
        interventions=[intervention],
        year=year,
        rules=rating_rules_for(association),
    )
    started = tables.raw[register_statistics.STARTED].get(intervention.title, {})
    goals = register_statistics.goal_progress(
        interventions=[intervention], year=year, counts=tables.counts
    )[intervention.pk]
    return [
        Panel(
            key="participants",
            heading=heading,
            figures=_figures(
                started.get(register_statistics.COUNT, 0),
                tables.raw[register_statistics.STATUS].get(intervention.title, {}),
            ),
            link_url=reverse("participants:intervention", args=[association.slug, intervention.pk]),
            link_text=_("The participants"),
            order=20,
        ),
        _goal_panel(goals, year=year),
    ]


def _published_panel(intervention, *, year: int, heading: str) -> Panel:
    """The intervention's row of the statistics page's tables for the year, suppressed with
    them: participants during the year, started, exited, and exited to work or studies."""
    association = intervention.association
    tables, _surveys = register_statistics.year_tables(
        association=association,
        interventions=register_statistics.register_interventions(association=association),
        year=year,
        surveys=False,  # suppressed on their own: nothing here depends on them
    )
    published, title = tables.published, intervention.title

    def shown(name, column):
        table = published.get(name)
        return str(published_value(table, title, column)) if table is not None else "0"

    to_work = (
        [
            published_value(published[register_statistics.EXIT_OCCUPATION], title, label)
            for label in tables.labels["positive_occupations"]
        ]
        if published.get(register_statistics.EXIT_OCCUPATION) is not None
        else [0]
    )
    return Panel(
        key="participants",
        heading=heading,
        figures=[
            Figure(_("Participants during the year"), shown(register_statistics.STATUS, TOTAL)),
            Figure(_("Started"), shown(register_statistics.STARTED, register_statistics.COUNT)),
            Figure(
                _("Exited during the year"),
                shown(register_statistics.EXITED, register_statistics.COUNT),
            ),
            Figure(_("Exited to work or studies"), _sum_of_published(to_work)),
        ],
        note=suppression_note(),
        link_url=reverse("participants:statistics", args=[association.slug]) + f"?ar={year}",
        link_text=_("Statistics and goals"),
        order=20,
    )


def _sum_of_published(values) -> str:
    """A sum of published cells is published (every one of them is 0 or at least 5); with a
    hidden cell among them it is hidden too: that cell's marker when it is the only one."""
    if all(isinstance(v, int) for v in values):
        return str(sum(values))
    if len(values) == 1:
        return str(values[0])
    return SECONDARY_MARKER


def _figures(started, status: dict) -> list[Figure]:
    labels = _("Ongoing at end of year"), _("Exited during the year")
    return [
        Figure(_("Started"), str(started)),
        Figure(labels[0], str(status.get(labels[0], 0))),
        Figure(labels[1], str(status.get(labels[1], 0))),
    ]


def _goal_panel(goals, *, year: int) -> Panel:
    heading = _("Goals %(year)s") % {"year": year}
    if not goals:
        return Panel(
            key="goals",
            heading=heading,
            note=_("No goal that the register can measure."),
            order=30,
        )
    return Panel(
        key="goals",
        heading=heading,
        charts=[
            {"label": entry["item"].goal_text, "svg": entry["svg"], "note": entry["note"]}
            for entry in goal_progress_svgs(goals, prefix="summary-goal", exact=True)
        ],
        order=30,
    )
