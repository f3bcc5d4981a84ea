from __future__ import annotations

from django.http import Http404
from django.utils import timezone

from finsam.goals.models import Period


def year_param(request, default: int | None = None) -> int:
    """?ar=YYYY, a plausible year; anything else is 404 rather than a 500."""
    raw = request.GET.get("ar")
    if raw is None:
        return default or timezone.localdate().year
    if not raw.isdigit() or not 2000 <= int(raw) <= 2100:
        raise Http404
    return int(raw)


def period_param(request) -> str:
    period = request.GET.get("period", Period.YEAR)
    if period not in Period.values:
        raise Http404
    return period


def check_year(year: int) -> int:
    if not 2000 <= year <= 2100:
        raise Http404
    return year
