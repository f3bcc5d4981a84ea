"""The association's home page: what needs attention, read from every app."""

from __future__ import annotations

import datetime as dt

from django.shortcuts import render
from django.utils import timezone

from finsam.economy.selectors import budget_attention
from finsam.funding.selectors import calls, report_attention
from finsam.organisation import selectors, services
from finsam.organisation.access import can
from finsam.organisation.tenancy import association_view


@association_view("association.view")
def home_view(request, association):
    today = timezone.localdate()
    context = {
        "today": today,
        "upcoming": selectors.meetings_upcoming(
            user=request.user, association=association, today=today
        ),
    }
    if can(request.user, association, "board.view"):
        seats = list(selectors.board_seats(user=request.user, association=association))
        status = services.board_on(seats=seats, day=today)
        context["vacant_seats"] = [s for s in status if not s.filled]
        ending = today + dt.timedelta(days=180)
        context["mandates_ending"] = [
            s for s in seats if s.holder_name and today <= s.mandate_end <= ending
        ]
    if can(request.user, association, "contributions.view"):
        years = {
            cy.year: cy
            for cy in selectors.contribution_years(user=request.user, association=association)
        }
        context["contribution_this_year"] = years.get(today.year)
        context["contribution_next_year_missing"] = (today.year + 1) not in years
        context["next_year"] = today.year + 1
    if can(request.user, association, "budget.view"):
        context["budget_attention"] = budget_attention(
            user=request.user, association=association, year=today.year
        )
    if can(request.user, association, "funding.view"):
        context["report_attention"] = report_attention(
            user=request.user, association=association, today=today
        )
        context["calls_to_allocate"] = list(
            calls(user=request.user, association=association).order_by("-closes_on")[:3]
        )
    return render(request, "dashboard/home.html", context)
