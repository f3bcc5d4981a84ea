"""What the register's statistics share: the threshold, the counted participations, codes."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import DecimalField

from finsam.organisation.access import can
from finsam.participants.models import FollowUpCode
from finsam.participants.services.statistics_summary import (  # noqa: F401 (re-exported)
    AGE_BANDS,
    OTHER_AGES,
    age_band_expression,
    valid_enrolments,
)

THRESHOLD = 5
RATING_FIELD = DecimalField(max_digits=4, decimal_places=1)


# --- code lists -----------------------------------------------------------------------------------


def follow_up_codes(*, association, list_name: str, active_only: bool = True):
    qs = FollowUpCode.objects.filter(association=association, list_name=list_name)
    return qs.filter(is_active=True) if active_only else qs


def _round_mean(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def _require(user, association, capability: str) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def _counts(
    rows: list[str], columns: list[str], grouped, row_key: str, column_key: str, labels=None
) -> dict[str, dict[str, int]]:
    data = {row: dict.fromkeys(columns, 0) for row in rows}
    for item in grouped:
        row = labels[item[row_key]] if labels else item[row_key]
        column = item[column_key]
        if row in data and column in data[row]:
            data[row][column] += item["n"]
    return {row: cells for row, cells in data.items() if any(cells.values())}
