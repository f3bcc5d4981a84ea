"""Reading an intervention's goal (funding.InterventionGoal) as a number the register can measure.

Goals are free text written by people ("≥ 30 ärenden per år", "1/3 gör stegförflyttning"). A goal
is measured only when its kind and its target can both be read; other goals are shown as text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

PARTICIPANTS = "participants"
SATISFIED = "satisfied"
STEP_PROGRESS = "step_progress"
WORK_OR_STUDIES = "work_or_studies"
SHARE_KINDS = (SATISFIED, STEP_PROGRESS, WORK_OR_STUDIES)

_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*%")
_FRACTION = re.compile(r"(?<![\d/])(\d+)\s*/\s*(\d+)(?![\d/])")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class ParsedGoal:
    kind: str
    target: Decimal  # a count for PARTICIPANTS, a percentage (0–100) for the shares


def parse_goal(text: str, target_value: str = "") -> ParsedGoal | None:
    for source in (target_value, f"{target_value} {text}"):
        parsed = _parse(source.lower())
        if parsed is not None:
            return parsed
    return None


def _parse(source: str) -> ParsedGoal | None:
    if "nöjd" in source:
        kind = SATISFIED
    elif "stegförflytt" in source:
        kind = STEP_PROGRESS
    elif "arbete" in source and ("studier" in source or "utbildning" in source):
        kind = WORK_OR_STUDIES
    elif "ärenden" in source or "deltagare per år" in source or "årsbasis" in source:
        kind = PARTICIPANTS
    else:
        return None
    if kind == PARTICIPANTS:
        number = _NUMBER.search(source)
        return ParsedGoal(kind, Decimal(number.group())) if number else None
    share = _share(source)
    return ParsedGoal(kind, share) if share is not None and 0 < share <= 100 else None


def _share(source: str) -> Decimal | None:
    percent = _PERCENT.search(source)
    if percent:
        return Decimal(percent.group(1).replace(",", "."))
    fraction = _FRACTION.search(source)
    if fraction and int(fraction.group(2)) > 0:
        value = Decimal(100) * int(fraction.group(1)) / int(fraction.group(2))
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return None
