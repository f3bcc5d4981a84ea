"""Sections the annual report and the board pack share: goal attainment per area, the members and
their contributions, the board."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.money import ZERO
from finsam.documents import sources
from finsam.documents.blocks import Column, Row, Table
from finsam.documents.kinds.annual_reader import seat_role, sitting_board


def goal_table(association, year: int, *, period: str, key: str = "goals", today=None):
    """Goal attainment per area as the goals page shows it (finsam.goals.measuring): each goal's
    live status and the office's assessment for the period. None when the year has no goals."""
    from finsam.goals.measuring import measure_goals
    from finsam.goals.selectors import goals_for_year

    reader = sources.reader(association)
    rows = []
    for area, goals in goals_for_year(user=reader, association=association, year=year):
        if not goals:
            continue
        rows.append(Row((area.name, "", ""), "heading"))
        results = measure_goals(
            user=reader, association=association, goals=goals, year=year, period=period,
            today=today,
        )  # fmt: skip
        for result in results:
            assessment = result.assessment
            rows.append(
                Row(
                    (
                        result.goal.text,
                        result.status_label,
                        assessment.get_verdict_display() if assessment else "",
                    )
                )
            )
    if not rows:
        return None
    return Table(
        key,
        _("Goal attainment %(year)s") % {"year": year},
        (
            Column(_("Goal")),
            Column(_("Status from the measures")),
            Column(_("Office's assessment")),
        ),
        tuple(rows),
        note=_("Status as Finsam measures each goal's measures; the assessment is the office's."),
    )


def members_table(association, year: int) -> Table | None:
    """The members and their contributions for the year, with each one's share."""
    from finsam.organisation.selectors import contribution_year_get

    reader = sources.reader(association)
    cy = contribution_year_get(user=reader, association=association, year=year)
    if cy is None:
        return None
    contributions = list(cy.contributions.all())
    total = sum((c.amount for c in contributions), ZERO)
    rows = [
        Row(
            (
                c.member.name,
                c.member.get_kind_display(),
                c.amount,
                (c.amount * 100 / total).quantize(Decimal("0.1")) if total else None,
            )
        )
        for c in contributions
    ]
    rows.append(Row((_("Total"), "", total, Decimal(100) if total else None), "total"))
    return Table(
        "members",
        _("Members and contributions %(year)s") % {"year": year},
        (
            Column(_("Member")),
            Column(_("Type")),
            Column(_("Contribution"), "money"),
            Column(_("Share"), "percent"),
        ),
        tuple(rows),
        note=_("Kronor.") + (" " + _("Estimate.") if cy.is_estimate else ""),
    )


def board_table(association, year: int) -> Table | None:
    """The full members and deputies whose mandate covered part of the year, with the period."""
    from finsam.organisation.models import BoardSeat

    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    seats = (
        BoardSeat.objects.filter(
            association=association, mandate_start__lte=end, mandate_end__gte=start
        )
        .exclude(holder_name="")
        .select_related("member")
        .order_by("kind", "member__sort_order", "pk")
    )
    rows = [
        Row(
            (
                s.holder_name,
                seat_role(s) if s.kind == BoardSeat.Kind.REGULAR else
                f"{s.get_kind_display()}, {s.member.name}",
                max(s.mandate_start, start),
                min(s.mandate_end, end),
            )
        )
        for s in seats
    ]  # fmt: skip
    if not rows:
        return None
    return Table(
        "board",
        _("The board %(year)s") % {"year": year},
        (
            Column(_("Name")),
            Column(_("Position")),
            Column(_("From"), "date"),
            Column(_("To"), "date"),
        ),  # fmt: skip
        tuple(rows),
    )


def auditors_table(association) -> Table | None:
    """The people who hold the auditor role in the association (they read its economy in
    Finsam); the auditors' appointment itself is the members' and is written as free text."""
    from finsam.organisation.models import Membership, Role

    names = sorted(
        {
            m.user.get_full_name() or m.user.get_username()
            for m in Membership.objects.filter(
                association=association, role=Role.AUDITOR, user__is_active=True
            ).select_related("user")
        }
    )
    if not names:
        return None
    return Table(
        "auditors",
        _("Auditors with access to the association's accounts in Finsam"),
        (Column(_("Name")),),
        tuple(Row((name,)) for name in names),
    )


__all__ = ["auditors_table", "board_table", "goal_table", "members_table", "sitting_board"]
