from django.apps import AppConfig


def _activity_entries(*, user, association, year: int) -> list:
    """The year's activities for the meeting calendar (.ics), to users who may read them."""
    from finsam.goals.selectors import activities
    from finsam.organisation.access import can
    from finsam.organisation.calendar import CalendarEntry

    if not can(user, association, "goals.view"):
        return []
    return [
        CalendarEntry(
            uid=f"activity-{a.pk}",
            date=a.date,
            summary=f"{a.get_kind_display()}: {a.title}",
            description="\n".join(filter(None, [a.audience, a.co_organisers, a.description])),
        )
        for a in activities(user=user, association=association, year=year)
    ]


class GoalsConfig(AppConfig):
    name = "finsam.goals"
    label = "goals"
    verbose_name = "Finsam goals, activities and internal control"

    def ready(self) -> None:
        from finsam.organisation import calendar

        calendar.register_source(_activity_entries)
