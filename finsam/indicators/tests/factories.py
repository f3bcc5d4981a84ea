"""Indicator test state built through the real services, from the shipped demo instrument."""

from __future__ import annotations

from pathlib import Path

from finsam.core.actors import SYSTEM
from finsam.indicators import services
from finsam.indicators.loader import parse_instrument
from finsam.indicators.models import Instrument

DEMO_FILE = Path(__file__).resolve().parent.parent / "demo" / "demo-instrument.json"
YEAR = 2024


def instrument(association=None) -> Instrument:
    data = parse_instrument(DEMO_FILE.read_bytes())
    existing = Instrument.objects.filter(association=association, name=data["name"]).first()
    return existing or services.instrument_load(data=data, association=association, by=SYSTEM)


def campaign(association, group="staff", year=YEAR, **fields):
    questionnaire = instrument().questionnaires.get(group=group)
    return services.campaign_create(
        association=association, questionnaire=questionnaire, year=year, by=SYSTEM, **fields
    )


def answer_all(campaign, values: list[int]) -> None:
    """One paper response per value, every statement answered with that value."""
    items = list(campaign.questionnaire.items.all())
    for v in values:
        services.paper_response_record(
            campaign=campaign, answers={i.pk: v for i in items}, by=SYSTEM
        )
