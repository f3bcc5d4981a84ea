"""The association's home page: what is waiting for me, where the money stands, and what needs
attention, read from every app."""

from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone

from finsam.dashboard.money import money_panel
from finsam.dashboard.work_list import work_list
from finsam.funding.selectors import calls, report_attention
from finsam.organisation import selectors, services
from finsam.organisation.access import can, roles_of
from finsam.organisation.tenancy import association_view


def _year(request, today) -> int:
    year = request.GET.get("ar", "")
    return int(year) if year.isdigit() and 2004 <= int(year) <= 2100 else today.year


@association_view("association.view")
def home_view(request, association):
    today = timezone.localdate()
    user = request.user
    context = {
        "today": today,
        "roles": sorted(str(role.label) for role in roles_of(user, association)),
        "work_list": work_list(user=user, association=association, today=today),
        "upcoming": selectors.meetings_upcoming(user=user, association=association, today=today),
        "money": money_panel(
            user=user, association=association, year=_year(request, today), today=today
        )
        if can(user, association, "budget.view")
        else None,
    }
    if can(user, association, "board.view"):
        seats = list(selectors.board_seats(user=user, association=association))
        context["vacant_seats"] = [
            s for s in services.board_on(seats=seats, day=today) if not s.filled
        ]
    if can(user, association, "contributions.view"):
        context["contribution_this_year"] = selectors.contribution_year_get(
            user=user, association=association, year=today.year
        )
    if can(user, association, "funding.view"):
        context["report_attention"] = report_attention(
            user=user, association=association, today=today
        )
        context["calls_to_allocate"] = list(
            calls(user=user, association=association).order_by("-closes_on")[:3]
        )
    return render(request, "dashboard/home.html", context)
