"""The risk and materiality analysis: a risk's score is probability × consequence (each 1–4), and
the heat map counts the risks in each of the 4 × 4 cells."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCALE = (1, 2, 3, 4)
LEVELS = ((3, "low", _("Low")), (8, "medium", _("Medium")), (16, "high", _("High")))


def score(probability: int, consequence: int) -> int:
    if probability not in SCALE or consequence not in SCALE:
        raise ValueError("probability and consequence are 1–4")
    return probability * consequence


def level(value: int) -> tuple[str, str]:
    """(css key, label): 1–3 low, 4–8 medium, 9–16 high."""
    for upper, key, label in LEVELS:
        if value <= upper:
            return key, str(label)
    raise ValueError(value)


def heat_map(risks) -> list[dict]:
    """Rows from consequence 4 down to 1; each cell: probability, score, level and risk count."""
    counts: dict[tuple[int, int], int] = {}
    for risk in risks:
        key = (risk.probability, risk.consequence)
        counts[key] = counts.get(key, 0) + 1
    rows = []
    for consequence in reversed(SCALE):
        cells = []
        for probability in SCALE:
            value = score(probability, consequence)
            cells.append(
                {
                    "probability": probability,
                    "score": value,
                    "level": level(value)[0],
                    "count": counts.get((probability, consequence), 0),
                }
            )
        rows.append({"consequence": consequence, "cells": cells})
    return rows
