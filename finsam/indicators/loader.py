"""The instrument file (docs/indicators.md): read and check a JSON file before anything is written.

`parse_instrument` returns the file's content in the shape `services.instrument_load` takes, or
raises a ValidationError listing every problem in Swedish, each with where in the file it is."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from finsam.indicators.models import RespondentGroup

FORMAT = "finsam-indicator-instrument"
FORMAT_VERSION = 1
MAX_SCALE = 10


class _Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.messages.append(f"{where}: {message}")


def _text(
    obj: dict, key: str, where: str, problems: _Problems, *, required=True, limit=None
) -> str:
    value = obj.get(key, "")
    if not isinstance(value, str):
        problems.add(where, _("“%(key)s” must be a text.") % {"key": key})
        return ""
    value = value.strip()
    if required and not value:
        problems.add(where, _("“%(key)s” is missing.") % {"key": key})
    if limit and len(value) > limit:
        problems.add(
            where,
            _("“%(key)s” is longer than %(limit)s characters.") % {"key": key, "limit": limit},
        )
    return value


def _int(obj: dict, key: str, where: str, problems: _Problems, low: int, high: int) -> int:
    value = obj.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
        problems.add(
            where,
            _("“%(key)s” must be a whole number from %(low)s to %(high)s.")
            % {"key": key, "low": low, "high": high},
        )
        return low
    return value


def _scale(obj: Any, where: str, problems: _Problems) -> dict:
    if not isinstance(obj, dict):
        problems.add(where, _("“scale” is missing."))
        return {"min": 1, "max": 5, "min_label": "", "max_label": ""}
    low = _int(obj, "min", where, problems, 0, MAX_SCALE)
    high = _int(obj, "max", where, problems, 1, MAX_SCALE)
    if high <= low:
        problems.add(where, _("The scale's “max” must be greater than its “min”."))
    return {
        "min": low,
        "max": high,
        "min_label": _text(obj, "min_label", where, problems, required=False, limit=100),
        "max_label": _text(obj, "max_label", where, problems, required=False, limit=100),
    }


def parse_instrument(raw: bytes | str) -> dict[str, Any]:
    problems = _Problems()
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError(
            [_("The file is not valid JSON (%(error)s).") % {"error": error}]
        ) from None
    if not isinstance(data, dict):
        raise ValidationError([_("The file must hold one JSON object.")])
    if data.get("format") != FORMAT or data.get("format_version") != FORMAT_VERSION:
        raise ValidationError(
            [
                _(
                    "This is not an instrument file: “format” must be “%(format)s” and “format_version” %(version)s."
                )
                % {"format": FORMAT, "version": FORMAT_VERSION}
            ]
        )
    top = _("the file")
    result: dict[str, Any] = {
        "name": _text(data, "name", top, problems, limit=200),
        "version": _int(data, "version", top, problems, 1, 10_000),
        "description": _text(data, "description", top, problems, required=False),
        "indicators": [],
        "questionnaires": [],
    }
    indicators = data.get("indicators")
    if not isinstance(indicators, list) or not indicators:
        problems.add(top, _("“indicators” must be a non-empty list."))
        indicators = []
    codes: set[str] = set()
    for n, row in enumerate(indicators, start=1):
        where = _("indicator %(n)s") % {"n": n}
        if not isinstance(row, dict):
            problems.add(where, _("must be an object with “code” and “name”."))
            continue
        code = _text(row, "code", where, problems, limit=20)
        if code in codes:
            problems.add(where, _("the code %(code)s is used twice.") % {"code": code})
        codes.add(code)
        result["indicators"].append(
            {"code": code, "name": _text(row, "name", where, problems, limit=300)}
        )
    questionnaires = data.get("questionnaires")
    if not isinstance(questionnaires, list) or not questionnaires:
        problems.add(top, _("“questionnaires” must be a non-empty list."))
        questionnaires = []
    groups: set[str] = set()
    for n, q in enumerate(questionnaires, start=1):
        where = _("questionnaire %(n)s") % {"n": n}
        if not isinstance(q, dict):
            problems.add(where, _("must be an object."))
            continue
        group = q.get("group")
        if group not in RespondentGroup.values:
            problems.add(
                where,
                _("“group” must be one of %(groups)s.")
                % {"groups": ", ".join(RespondentGroup.values)},
            )
        elif group in groups:
            problems.add(where, _("the group %(group)s has two questionnaires.") % {"group": group})
        groups.add(group)
        parsed = {
            "group": group,
            "title": _text(q, "title", where, problems, limit=300),
            "introduction": _text(q, "introduction", where, problems, required=False),
            "items": [],
        }
        items = q.get("items")
        if not isinstance(items, list) or not items:
            problems.add(where, _("“items” must be a non-empty list."))
            items = []
        numbers: set[int] = set()
        scales: dict[str, tuple[int, int]] = {}
        for m, row in enumerate(items, start=1):
            item_where = _("questionnaire %(n)s, item %(m)s") % {"n": n, "m": m}
            if not isinstance(row, dict):
                problems.add(item_where, _("must be an object."))
                continue
            number = _int(row, "number", item_where, problems, 1, 999)
            if number in numbers:
                problems.add(
                    item_where, _("the number %(number)s is used twice.") % {"number": number}
                )
            numbers.add(number)
            indicator = _text(row, "indicator", item_where, problems, limit=20)
            if indicator and indicator not in codes:
                problems.add(
                    item_where,
                    _("the indicator %(code)s is not in “indicators”.") % {"code": indicator},
                )
            scale = _scale(row.get("scale"), item_where, problems)
            span = (scale["min"], scale["max"])
            if scales.setdefault(indicator, span) != span:
                problems.add(
                    item_where,
                    _("every item of one indicator in a questionnaire must have the same scale."),
                )
            parsed["items"].append(
                {
                    "number": number,
                    "indicator": indicator,
                    "text": _text(row, "text", item_where, problems),
                    "scale": scale,
                }
            )
        result["questionnaires"].append(parsed)
    if problems.messages:
        raise ValidationError(problems.messages)
    return result
