"""Who reads when a document kind is built: the office's view of one association.

A document the board adopts is built from the association's data as the office sees it, through
the apps' own selectors (so that no document reads past a rule a page obeys). The page or the
command that offers the document checks who may have it. This reader holds the office's,
the finance officer's, the board's and the auditors' capabilities in that one association and
nothing else: no staff role (so never a participant's data, only the published statistics) and no
other association.
"""

from __future__ import annotations

import datetime as dt

from finsam.organisation.models import Association, BoardSeat, Role

READER_ROLES = frozenset({Role.OFFICE, Role.ECONOMIST, Role.BOARD, Role.AUDITOR})


class DocumentReader:
    """A reader for `finsam.organisation.access.can` and the selectors: authenticated, with
    READER_ROLES in the one association (`roles_of` reads its cache and never the database)."""

    is_authenticated = True
    is_active = True
    is_anonymous = False
    is_superuser = False
    pk = None
    id = None
    username = "document"

    def __init__(self, association: Association) -> None:
        self.association = association
        self._finsam_roles = {association.pk: READER_ROLES}

    def __str__(self) -> str:
        return "document"


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
