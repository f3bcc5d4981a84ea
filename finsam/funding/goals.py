"""Reading an intervention's goal (funding.InterventionGoal) as a number the register can measure.

Goals are free text written by people ("≥ 30 ärenden per år", "1/3 gör stegförflyttning"). The
office can say how a goal is measured (InterventionGoal.measure and measure_target); otherwise the
kind and the target are read from the words. A goal is measured only when its kind and its target
are both known; other goals are shown as text.
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
KINDS = (PARTICIPANTS, *SHARE_KINDS)
NOT_MEASURED = "none"  # funding.models.GoalMeasure.NOT_MEASURED

_PERCENT = re.compile(r"(\d+(?:[,.]\d+)?)\s*(?:%|procent)")
_FRACTION = re.compile(r"(?<![\d/])(\d+)\s*/\s*(\d+)(?![\d/])")
_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class ParsedGoal:
    kind: str
    target: Decimal  # a count for PARTICIPANTS, a percentage (0–100) for the shares


_PER_YEAR = re.compile(r"(deltagare|personer|ärenden)\s*(per|/|om|i)\s*år")


def parse_goal(
    text: str,
    target_value: str = "",
    measure: str = "",
    measure_target: Decimal | None = None,
) -> ParsedGoal | None:
    """The goal as the register measures it, or None. A measure set by the office wins over the
    words; its target in figures wins over a number read from them."""
    if measure == NOT_MEASURED:
        return None
    if measure in KINDS:
        if measure_target is not None:
            return ParsedGoal(measure, measure_target)
        for source in (target_value, f"{target_value} {text}"):
            target = _target(measure, source.lower())
            if target is not None:
                return ParsedGoal(measure, target)
        return None
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
    elif "ärenden" in source or "årsbasis" in source or _PER_YEAR.search(source):
        kind = PARTICIPANTS
    else:
        return None
    target = _target(kind, source)
    return ParsedGoal(kind, target) if target is not None else None


def _target(kind: str, source: str) -> Decimal | None:
    if kind == PARTICIPANTS:
        number = _NUMBER.search(source)
        return Decimal(number.group()) if number else None
    share = _share(source)
    return share if share is not None and 0 < share <= 100 else None


def _share(source: str) -> Decimal | None:
    percent = _PERCENT.search(source)
    if percent:
        return Decimal(percent.group(1).replace(",", "."))
    fraction = _FRACTION.search(source)
    if fraction and int(fraction.group(2)) > 0:
        value = Decimal(100) * int(fraction.group(1)) / int(fraction.group(2))
        return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return None
