"""The first screen of an intervention's page: how it is going this year.

A manager asks first: are we reaching the goals, how many participants, where is the money, what
report is next. Funding answers the money and the reports; the participant register (a layer
above) adds its figures through `register_source`, as the meeting page's agenda does
(organisation/agenda.py) — funding never imports it. A source returns panels for one
intervention and year, limited to what the user may read (an empty list when nothing).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from finsam.core.money import format_sek


@dataclass(frozen=True)
class Figure:
    label: str
    value: str  # as people read it: "600 000 kr", "12", "<5"
    note: str = ""


@dataclass(frozen=True)
class Panel:
    key: str  # the panel's id on the page
    heading: str
    figures: Sequence[Figure] = ()
    note: str = ""
    link_url: str = ""
    link_text: str = ""
    order: int = 50  # left to right: money 10, participants 20, goals 30, reports 40
    charts: Sequence[dict] = field(default_factory=tuple)  # {"svg": safe SVG, "note": text}


Source = Callable[..., list[Panel]]
_sources: list[Source] = []


def register_source(source: Source) -> None:
    if source not in _sources:
        _sources.append(source)


def summary_year(intervention, today: dt.date) -> int:
    """The year the first screen speaks of: this year, or the intervention's last year once it
    has ended, or its first year while it is still planned."""
    year = today.year
    if intervention.period_end and intervention.period_end.year < year:
        year = intervention.period_end.year
    if intervention.period_start and intervention.period_start.year > year:
        year = intervention.period_start.year
    return year


def panels(*, user, intervention, year: int, grant_years, reports, today: dt.date) -> list[Panel]:
    """Funding's own panels (money, next report) and every registered source's, in order.

    `grant_years` and `reports` are what the page already read (services.financing_years or
    services.grant_years, and the reports with their state), so nothing is asked twice."""
    found = [_money(grant_years, year), _next_report(reports, today)]
    for source in _sources:
        found.extend(source(user=user, intervention=intervention, year=year))
    return sorted(found, key=lambda panel: panel.order)


def _money(grant_years, year: int) -> Panel:
    this_year = next((y for y in grant_years if y.year == year), None)
    heading = _("Money %(year)s") % {"year": year}
    if this_year is None:
        return Panel(
            key="money", heading=heading, note=_("No funds granted for the year."), order=10
        )
    figures = [Figure(pgettext("amount", "Granted"), format_sek(this_year.granted))]
    # External money beside the grant (services.financing_years), only where there is some.
    if this_year.co_financing:
        figures.append(Figure(_("Co-financing"), format_sek(this_year.co_financing)))
    figures += [
        Figure(_("Requisitioned"), format_sek(this_year.requisitioned)),
        Figure(pgettext("amount", "Paid"), format_sek(this_year.paid)),
        Figure(_("Remaining"), format_sek(this_year.remaining)),
    ]
    return Panel(key="money", heading=heading, figures=figures, order=10)


def _next_report(reports, today: dt.date) -> Panel:
    """The earliest report still to be written or completed: overdue ones first."""
    open_reports = [(r, state) for r, state in reports if r.is_open]
    heading = _("Next report")
    if not open_reports:
        return Panel(key="next-report", heading=heading, note=_("No report is due."), order=40)
    report, state = min(open_reports, key=lambda pair: pair[0].due_date)
    due = date_format(report.due_date, "j F Y")
    return Panel(
        key="next-report",
        heading=heading,
        figures=[
            Figure(
                f"{report.get_kind_display()} {report.period_end.year}",
                _("overdue since %(date)s") % {"date": due}
                if report.due_date < today
                else _("due by %(date)s") % {"date": due},
            )
        ],
        note=_("%(n)s more open") % {"n": len(open_reports) - 1} if len(open_reports) > 1 else "",
        order=40,
    )
