"""The next board meeting of each demo association, with agenda items that carry the office's
proposal and a draft decision, so that the board pack (styrelseunderlag) has something to print.

The seeds' meetings all lie in the past; an association without a board meeting ahead gets one
three weeks from today.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.demo.booked_years import BOOKED_YEARS
from finsam.organisation import services
from finsam.organisation.models import AnnualCycleItem, Meeting


def _items(association) -> list[tuple[str, str, str, str]]:
    """(title, annual cycle kind or "", proposal, draft decision)."""
    spec = BOOKED_YEARS.get(association.slug)
    year = spec.year if spec else timezone.localdate().year - 1
    return [
        (
            "Mötets öppnande, val av justerare och godkännande av dagordningen",
            "",
            "",
            "Styrelsen beslutar att godkänna dagordningen.",
        ),
        (
            f"Årsredovisning {year}",
            AnnualCycleItem.Kind.ANNUAL_REPORT,
            f"Kansliet har upprättat årsredovisningen för {year} ur bokslutsårets bokföring: "
            "förvaltningsberättelse, resultaträkning, balansräkning, kassaflödesanalys, noter och "
            "driftredovisning per insats. Revisorerna har fått den för granskning.",
            f"Styrelsen beslutar att fastställa årsredovisningen för {year} och överlämna den "
            "till revisorerna och medlemmarna.",
        ),
        (
            "Ekonomisk uppföljning",
            AnnualCycleItem.Kind.BUDGET_FOLLOW_UP,
            "Uppföljningen av årets budget per sammanträdesdagen bifogas: budget, utfall hittills, "
            "prognos och avvikelse per rad.",
            "Styrelsen beslutar att lägga den ekonomiska uppföljningen till handlingarna.",
        ),
        (
            "Ansökningar om medel",
            "",
            "Inkomna ansökningar med kansliets och beredningens bedömning redovisas i underlaget.",
            "Styrelsen beslutar i enlighet med kansliets förslag för respektive ansökan.",
        ),
        ("Meddelanden och rapporter", "", "", "Styrelsen beslutar att notera informationen."),
    ]


def next_board_meeting(association) -> Meeting | None:
    today = timezone.localdate()
    return (
        Meeting.objects.filter(association=association, kind=Meeting.Kind.BOARD, date__gte=today)
        .order_by("date", "start_time")
        .first()
    )


def load_board_pack_demo(association) -> bool:
    """Give the next board meeting its agenda items with proposals and draft decisions (creating
    the meeting if none lies ahead). Idempotent: a meeting that has them is left alone."""
    meeting = next_board_meeting(association)
    if meeting is None:
        meeting = services.meeting_create(
            association=association,
            by=SYSTEM,
            kind=Meeting.Kind.BOARD,
            date=timezone.localdate() + dt.timedelta(days=21),
            start_time=dt.time(9, 0),
            end_time=dt.time(12, 0),
            notes="Nästa styrelsesammanträde (demo)",
        )
    if meeting.agenda_items.exclude(draft_decision="").exists():
        return False
    cycle = {i.kind: i for i in AnnualCycleItem.objects.filter(association=association)}
    start = meeting.agenda_items.count()
    for order, (title, kind, proposal, draft) in enumerate(_items(association), start=start):
        services.agenda_item_create(
            meeting=meeting,
            title=title,
            by=SYSTEM,
            cycle_item=cycle.get(kind) if kind else None,
            sort_order=order,
            proposal=proposal,
            draft_decision=draft,
        )
    return True
