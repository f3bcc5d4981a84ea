"""Every read of indicator instruments, campaigns and results, scoped to the association."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from finsam.indicators.models import Campaign, Instrument, Item, Questionnaire
from finsam.organisation.access import can


def _require(user, association, capability: str) -> None:
    if not can(user, association, capability):
        raise PermissionDenied(capability)


def instruments(*, user, association) -> QuerySet[Instrument]:
    """The association's own instruments and the installation-wide ones."""
    _require(user, association, "goals.view")
    return Instrument.objects.filter(Q(association=association) | Q(association=None))


def instrument_get(*, user, association, pk: int) -> Instrument:
    return get_object_or_404(instruments(user=user, association=association), pk=pk)


def item_get(*, user, association, pk: int) -> Item:
    _require(user, association, "goals.view")
    return get_object_or_404(
        Item.objects.select_related("questionnaire__instrument", "indicator").filter(
            Q(questionnaire__instrument__association=association)
            | Q(questionnaire__instrument__association=None)
        ),
        pk=pk,
    )


def questionnaires(*, user, association) -> QuerySet[Questionnaire]:
    return Questionnaire.objects.filter(
        instrument__in=instruments(user=user, association=association)
    ).select_related("instrument")


def campaigns(*, user, association, year: int | None = None) -> QuerySet[Campaign]:
    _require(user, association, "goals.view")
    qs = (
        Campaign.objects.filter(association=association)
        .select_related("questionnaire__instrument")
        .prefetch_related("interventions")
        .annotate(
            link_count=Count("links", distinct=True),
            response_count=Count("responses", distinct=True),
        )
    )
    return qs.filter(year=year) if year is not None else qs


def campaign_get(*, user, association, pk: int) -> Campaign:
    return get_object_or_404(campaigns(user=user, association=association), pk=pk)


def campaign_years(*, user, association) -> list[int]:
    _require(user, association, "goals.view")
    years = set(Campaign.objects.filter(association=association).values_list("year", flat=True))
    years.add(timezone.localdate().year)
    return sorted(years, reverse=True)
