"""Who signs the annual report: the board members sitting on the adoption day.

(The kinds read the association's data through `finsam.documents.sources.reader`, the office's
view of that one association.)"""

from __future__ import annotations

import datetime as dt

from finsam.organisation.models import Association, BoardSeat


def sitting_board(association: Association, day: dt.date) -> list[BoardSeat]:
    """The full members who sit on `day` (BoardSeat.is_filled_on, the rule the board page uses),
    chair first, then vice chair, then in the board's order."""
    seats = BoardSeat.objects.filter(
        association=association, kind=BoardSeat.Kind.REGULAR
    ).select_related("member")
    order = {BoardSeat.Position.CHAIR: 0, BoardSeat.Position.VICE_CHAIR: 1}
    sitting = [s for s in seats if s.is_filled_on(day)]
    return sorted(sitting, key=lambda s: (order.get(s.position, 2), s.member.sort_order, s.pk))


def seat_role(seat: BoardSeat) -> str:
    """ "Ordförande, Kramfors kommun": the position (or member of the board) and who appointed."""
    from django.utils.translation import gettext as _

    position = seat.get_position_display() if seat.position else _("Board member")
    return f"{position}, {seat.member.name}"
