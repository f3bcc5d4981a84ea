"""Co-financing (medfinansiering): external money an intervention has per year beside the
association's grant. The office keeps it; the intervention page shows grant, co-financing and
total financing per year."""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils.translation import gettext as _

from finsam.core.money import ZERO
from finsam.funding.models import CoFinancing, Intervention
from finsam.funding.services._common import _require
from finsam.funding.services.interventions import GrantYear, grant_years
from finsam.organisation import audit
from finsam.organisation.audit import Event

CO_FINANCING_FIELDS = ("year", "funder", "amount", "note")


def _check_co_financing(candidate: CoFinancing) -> None:
    """Every rule on one row, all errors at their fields at once: the year within the
    intervention's period, a funder named, an amount above zero, one row per funder and year."""
    intervention = candidate.intervention
    errors: dict[str, list[str]] = {}
    year = candidate.year
    if year is None or not intervention.runs_in_year(year):
        start, end = intervention.period_start.year, intervention.period_end
        errors["year"] = [
            _(
                "The year must fall within the intervention's period (%(start)s – %(end)s). "
                "Check the year."
            )
            % {"start": start, "end": end.year if end else _("until further notice")}
        ]
    funder = (candidate.funder or "").strip()
    if not funder:
        errors["funder"] = [_("Enter who co-finances, e.g. ESF or a member.")]
    elif year is not None:
        clash = CoFinancing.objects.filter(
            intervention=intervention, year=year, funder__iexact=funder
        )
        if candidate.pk:
            clash = clash.exclude(pk=candidate.pk)
        existing = clash.first()
        if existing is not None:
            errors["funder"] = [
                _(
                    "%(funder)s already has co-financing for %(year)s. Change that row instead "
                    "of adding a second one."
                )
                % {"funder": existing.funder, "year": year}
            ]
    if candidate.amount is None or candidate.amount <= 0:
        errors["amount"] = [_("The amount must be greater than 0 kr.")]
    if errors:
        raise ValidationError(errors)


def _cleaned(data: dict[str, Any]) -> dict[str, Any]:
    cleaned = dict(data)
    for key in ("funder", "note"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    return cleaned


@transaction.atomic
def co_financing_create(
    *,
    intervention: Intervention,
    year: int,
    funder: str,
    amount: Decimal,
    by,
    note: str = "",
) -> CoFinancing:
    _require(by, intervention.association, "funding.edit")
    fields = _cleaned({"year": year, "funder": funder, "amount": amount, "note": note})
    _check_co_financing(CoFinancing(intervention=intervention, **fields))
    return audit.audited_create(
        CoFinancing,
        by=by,
        event=Event.CO_FINANCING_CREATED,
        intervention=intervention,
        **fields,
    )


@transaction.atomic
def co_financing_update(*, co_financing: CoFinancing, data: dict[str, Any], by) -> CoFinancing:
    """Change year, funder, amount or note (only those keys of `data`)."""
    intervention = co_financing.intervention
    _require(by, intervention.association, "funding.edit")
    cleaned = _cleaned(data)
    _check_co_financing(audit.with_changes(co_financing, cleaned, CO_FINANCING_FIELDS))
    return audit.audited_update(
        co_financing,
        cleaned,
        fields=CO_FINANCING_FIELDS,
        by=by,
        event=Event.CO_FINANCING_UPDATED,
    )


@transaction.atomic
def co_financing_delete(*, co_financing: CoFinancing, by) -> None:
    _require(by, co_financing.intervention.association, "funding.edit")
    audit.audited_delete(co_financing, by=by, event=Event.CO_FINANCING_DELETED)


def financing_years(
    intervention: Intervention, years: list[GrantYear] | None = None
) -> list[GrantYear]:
    """`grant_years` with each year's co-financing added, and a row (nothing granted) for a
    year that has only co-financing, in year order. `years`: grant_years already read."""
    if years is None:
        years = grant_years(intervention)
    co = dict(
        CoFinancing.objects.filter(intervention=intervention)
        .values("year")
        .annotate(total=Sum("amount"))
        .values_list("year", "total")
    )
    found = {y.year: dataclasses.replace(y, co_financing=co.get(y.year, ZERO)) for y in years}
    for year, total in co.items():
        if year not in found:
            found[year] = GrantYear(
                year=year,
                granted=ZERO,
                requested=ZERO,
                approved=ZERO,
                paid=ZERO,
                co_financing=total,
            )
    return [found[year] for year in sorted(found)]
