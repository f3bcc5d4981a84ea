"""The register's figures on an intervention's first screen (finsam.funding.summary).

The intervention's own staff see exact counts and goal values, as on their participant pages.
Everyone else who may read the register's statistics is sent to the statistics page: figures
outside the staff must be suppressed together with every other table of the year (a count
shown here but hidden there would give the hidden one away), and computing the whole year's
suppression on every intervention page would double its cost at national scale. Others see
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


def intervention_panels(*, user, intervention, year: int) -> list[Panel]:
    association = intervention.association
    heading = _("Participants %(year)s") % {"year": year}
    if not is_intervention_staff(user, intervention):
        if not can(user, association, "participants.statistics"):
            return []
        return [
            Panel(
                key="participants",
                heading=heading,
                note=_(
                    "Participants and goal attainment are shown in the statistics, where small "
                    "groups are hidden."
                ),
                link_url=reverse("participants:statistics", args=[association.slug])
                + f"?ar={year}",
                link_text=_("Statistics and goals"),
                order=20,
            )
        ]
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
