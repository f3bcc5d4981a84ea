"""The rules of goal attainment: the periods, a share, and whether a measure's figure meets its target.

Pure functions on plain values (no database): the figures come from finsam/goals/measuring.py.

- A period is the first half-year (1 January–30 June) or the full year of the goal's year.
- A count, a share or an amount meets its target when it is at least the target. A target set per
  year is also the target of the half-year: at 30 June the figure so far is shown against the
  year's target, and a target not yet reached is "in progress", not "not met", until the year ends.
- "Done by a date" is met when it was done on or before the date (a missing date: by the end of
  the period); not done when the date has passed is "not met".
- A share is rounded half up to one decimal; with no denominator there is no share (no data).
- A figure the statistics may not publish (small cells) is "hidden", and is never judged.
- A period that has ended is judged as it stood at its end (measuring.py passes the day after
  the period as "today"): the first half-year of a past year stays "in progress" for a target of
  the year, while the full year is then "met" or "not met".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _

from finsam.goals.models import Measure, Period

HUNDRED = Decimal(100)


class Status(models.TextChoices):
    MET = "met", _("Met")
    IN_PROGRESS = "in_progress", _("In progress")
    NOT_MET = "not_met", _("Not met")
    NO_DATA = "no_data", _("No data yet")
    HIDDEN = "hidden", _("Hidden (fewer than five persons)")
    DESCRIBED = "described", _("Described in words")


def period_bounds(year: int, period: str) -> tuple[dt.date, dt.date]:
    if period == Period.HALF_YEAR:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def share(numerator: int, denominator: int) -> Decimal | None:
    """numerator / denominator in percent, one decimal, half up; None without a denominator."""
    if denominator <= 0:
        return None
    if not 0 <= numerator <= denominator:
        raise ValueError("a share's numerator lies between 0 and its denominator")
    return (HUNDRED * numerator / denominator).quantize(Decimal("0.1"), ROUND_HALF_UP)


@dataclass(frozen=True)
class Figure:
    """What a measure's source says for a period, with the evidence a reader can check."""

    value: Decimal | None = None  # a count, a percentage or an amount
    done_on: dt.date | None = None  # for "done by a date"
    evidence: list[str] = field(default_factory=list)
    hidden: bool = False  # withheld by small-cell suppression


def judge(
    *,
    kind: str,
    target: Decimal | None,
    due_date: dt.date | None,
    figure: Figure,
    year_end: dt.date,
    today: dt.date,
) -> str:
    """The status of one measure's figure. `year_end`: the end of the goal's year, for every
    period (the half-year's figure is judged against the year's target)."""
    if kind == Measure.Kind.DESCRIBED:
        return Status.DESCRIBED
    if figure.hidden:
        return Status.HIDDEN
    over = today > year_end
    if kind == Measure.Kind.DONE_BY:
        deadline = due_date or year_end
        if figure.done_on is not None and figure.done_on <= deadline:
            return Status.MET
        if today > deadline or (figure.done_on is not None and figure.done_on > deadline):
            return Status.NOT_MET
        return Status.IN_PROGRESS
    if figure.value is None:
        return Status.NOT_MET if over and kind == Measure.Kind.COUNT else Status.NO_DATA
    if target is None:
        return Status.DESCRIBED
    if figure.value >= target:
        return Status.MET
    # A count or an amount only grows during the period; a share can still move either way.
    return Status.NOT_MET if over else Status.IN_PROGRESS
