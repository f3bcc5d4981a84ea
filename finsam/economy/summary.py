"""The accounts' figures on an intervention's first screen (finsam.funding.summary): the budget
lines linked to the intervention in the year's counting budget, what is booked on them up to
today, and the forecast — the same rows as the board's follow-up (selectors.intervention_ledger).
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from finsam.core.money import format_sek
from finsam.economy.selectors import intervention_ledger
from finsam.funding.summary import Figure, Panel


def intervention_panels(*, user, intervention, year: int) -> list[Panel]:
    today = timezone.localdate()
    cutoff = today if year == today.year else dt.date(year, 12, 31)
    association = intervention.association
    ledger = intervention_ledger(
        user=user, association=association, intervention=intervention, cutoff=cutoff
    )
    if ledger is None:
        return []
    figures = [Figure(_("Budget"), format_sek(ledger["budget"]))]
    if ledger["has_actuals"]:
        figures += [
            Figure(_("Booked to date"), format_sek(ledger["actual"])),
            Figure(_("Forecast"), format_sek(ledger["forecast"])),
        ]
    return [
        Panel(
            key="accounts",
            heading=_("Accounts %(year)s") % {"year": year},
            figures=figures,
            note=_("From %(budget)s.") % {"budget": ledger["budget_name"]}
            if ledger["has_actuals"]
            else _("No accounts imported for the year yet (%(budget)s).")
            % {"budget": ledger["budget_name"]},
            link_url=reverse("economy:follow_up", args=[association.slug])
            + f"?datum={cutoff.isoformat()}",
            link_text=_("The follow-up"),
            order=15,
        )
    ]
