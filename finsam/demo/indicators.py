"""Demo indicator surveys: the demo instrument (finsam/indicators/demo/demo-instrument.json,
"Demoinstrument – inte den officiella formuleringen") loaded for the whole installation, and per
seed association one campaign per respondent group for last year and this year, answered through
the real services: most groups by links, some by paper forms typed in by the office. Referrers
answer fewer than five times, so their results show small-cell suppression. Idempotent: an
association that has campaigns is left as it is."""

from __future__ import annotations

import random
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.indicators import services
from finsam.indicators.loader import parse_instrument
from finsam.indicators.models import Campaign, Instrument, RespondentGroup

DEMO_FILE = Path(__file__).resolve().parent.parent / "indicators" / "demo" / "demo-instrument.json"
G = RespondentGroup
# respondents last year, this year (web links, paper forms); fewer than 5 shows suppression
RESPONDENTS = {
    G.PARTICIPANTS_ONGOING: ((8, 3), (9, 4)),
    G.PARTICIPANTS_EXIT: ((5, 2), (6, 1)),
    G.STAFF: ((10, 0), (11, 0)),
    G.BOARD: ((7, 0), (6, 0)),
    G.MANAGERS: ((9, 0), (12, 0)),
    G.REFERRERS: ((3, 0), (2, 1)),
}


def demo_instrument() -> Instrument:
    data = parse_instrument(DEMO_FILE.read_bytes())
    existing = Instrument.objects.filter(
        association=None, name=data["name"], version=data["version"]
    ).first()
    return existing or services.instrument_load(data=data, by=SYSTEM)


def _answers(rng: random.Random, questionnaire, lift: int) -> dict[int, int]:
    answers = {}
    for item in questionnaire.items.all():
        top = item.scale_max
        middle = (item.scale_min + top) / 2 + lift * (top - item.scale_min) / 8
        value = round(rng.gauss(middle, (top - item.scale_min) / 5))
        answers[item.pk] = min(top, max(item.scale_min, value))
    return answers


@transaction.atomic
def load_indicators_demo(association) -> bool:
    if Campaign.objects.filter(association=association).exists():
        return False
    instrument = demo_instrument()
    rng = random.Random(association.slug)
    this_year = timezone.localdate().year
    for questionnaire in instrument.questionnaires.prefetch_related("items"):
        for offset, (web, paper) in enumerate(RESPONDENTS[questionnaire.group]):
            year = this_year - 1 + offset
            campaign = services.campaign_create(
                association=association,
                questionnaire=questionnaire,
                year=year,
                paper_forms=paper + (1 if paper else 0),
                by=SYSTEM,
            )
            tokens = services.links_create(campaign=campaign, count=web + 2, by=SYSTEM)
            for token in tokens[:web]:
                services.response_submit(
                    token=token, answers=_answers(rng, questionnaire, lift=offset)
                )
            for _n in range(paper):
                services.paper_response_record(
                    campaign=campaign, answers=_answers(rng, questionnaire, lift=offset), by=SYSTEM
                )
    return True
