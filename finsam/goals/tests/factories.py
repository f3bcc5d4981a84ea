"""Goals test state built through the real services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from finsam.core.actors import SYSTEM
from finsam.goals import services
from finsam.goals.models import GoalArea

YEAR = 2021


def area(association, name="Metoder och arbetssätt", year=YEAR):
    existing = GoalArea.objects.filter(association=association, year=year, name=name).first()
    return existing or services.goal_area_create(
        association=association, by=SYSTEM, year=year, name=name
    )


def goal(association, text="100 deltagare på utbildningarna", year=YEAR, **links):
    return services.goal_create(area=area(association, year=year), by=SYSTEM, text=text, **links)


def measure(goal, **fields):
    values = {
        "text": "Antal deltagare på utbildningarna",
        "kind": "count",
        "source": "activities",
        "metric": "attendance",
        "target": Decimal(100),
    }
    values.update(fields)
    return services.measure_create(goal=goal, by=SYSTEM, **values)


def activity(association, *, day=dt.date(YEAR, 3, 11), goals=(), attended=None, **fields):
    values = {"title": "Dejta en myndighet", "kind": "agency_dating", "date": day}
    values.update(fields)
    created = services.activity_create(association=association, by=SYSTEM, goals=goals, **values)
    if attended:
        services.attendance_set(activity=created, by=SYSTEM, rows=attended)
    return created
