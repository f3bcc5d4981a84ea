"""ORS and SRS / G-SRS scores and the rules used to read them.

Only the numbers are handled here: the instruments' wording is licensed and is not shipped.

- ORS (Outcome Rating Scale): four items (individual, interpersonal, social, overall), each a mark
  on a 10 cm line read as 0–10 with at most one decimal; total 0–40.
- SRS (Session Rating Scale) and G-SRS (its group version): four items 0–10; total 0–40.

The thresholds are data, not constants: `RatingRules` holds them, an association may change them,
and `RatingRules.to_mapping()` / `from_mapping()` store them as JSON. The defaults follow the usual
literature values; the cutoffs for children and adolescents are marked unverified.
All values are `Decimal`; a float is refused.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.utils.translation import gettext as _

RatingValue = Decimal | int | str
ReliableChange = Literal["improved", "deteriorated", "none"]
ReliableChangeMethod = Literal["points", "effect_size"]

ITEM_COUNT = 4
ITEM_MAX = Decimal(10)
TOTAL_MAX = Decimal(40)
STEP = Decimal("0.1")  # a 10 cm line is read to the millimetre


class InvalidRating(ValueError):
    """A score outside its scale, with too many decimals, or of the wrong type."""


@dataclass(frozen=True)
class AgeBand:
    """The ORS clinical cutoff for ages `min_age`..`max_age` (inclusive; None: no upper limit)."""

    min_age: int
    max_age: int | None
    cutoff: Decimal
    verified: bool  # False: a value from practice that we could not confirm in the literature

    def contains(self, age: int) -> bool:
        return self.min_age <= age and (self.max_age is None or age <= self.max_age)


DEFAULT_AGE_BANDS: tuple[AgeBand, ...] = (
    AgeBand(min_age=0, max_age=12, cutoff=Decimal(32), verified=False),
    AgeBand(min_age=13, max_age=17, cutoff=Decimal(28), verified=False),
    AgeBand(min_age=18, max_age=None, cutoff=Decimal(25), verified=True),
)


@dataclass(frozen=True)
class RatingRules:
    """How ORS and SRS scores are interpreted. Every field is a setting, not a law of nature.

    Reliable change is measured either in points (`last - first >= reliable_change_points`) or as
    an effect size (`(last - first) / effect_size_sd >= effect_size_threshold`), where
    `effect_size_sd` is the standard deviation of intake scores in a reference population; it has
    no default because it depends on the population. Both comparisons are inclusive.
    """

    age_bands: tuple[AgeBand, ...] = DEFAULT_AGE_BANDS
    reliable_change_method: ReliableChangeMethod = "points"
    reliable_change_points: Decimal = Decimal(5)
    effect_size_threshold: Decimal = Decimal("0.8")
    effect_size_sd: Decimal | None = None
    srs_alert_below: Decimal = Decimal(36)

    def __post_init__(self) -> None:
        for name in ("reliable_change_points", "effect_size_threshold", "srs_alert_below"):
            _require_decimal(getattr(self, name), name)
        if self.effect_size_sd is not None:
            _require_decimal(self.effect_size_sd, "effect_size_sd")
            if self.effect_size_sd <= 0:
                raise ValueError("effect_size_sd must be positive")
        if self.reliable_change_points <= 0 or self.effect_size_threshold <= 0:
            raise ValueError("reliable-change thresholds must be positive")
        if self.reliable_change_method not in ("points", "effect_size"):
            raise ValueError(f"unknown reliable_change_method {self.reliable_change_method!r}")
        if self.reliable_change_method == "effect_size" and self.effect_size_sd is None:
            raise ValueError("the effect_size method needs effect_size_sd")
        _check_age_bands(self.age_bands)

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> RatingRules:
        """Rules from their JSON form (numbers as strings or ints); missing keys take defaults."""
        values: dict[str, Any] = {}
        for name in ("reliable_change_points", "effect_size_threshold", "srs_alert_below"):
            if name in data:
                values[name] = _decimal_setting(data[name], name)
        if data.get("effect_size_sd") is not None:
            values["effect_size_sd"] = _decimal_setting(data["effect_size_sd"], "effect_size_sd")
        if "reliable_change_method" in data:
            values["reliable_change_method"] = data["reliable_change_method"]
        if "age_bands" in data:
            values["age_bands"] = tuple(
                AgeBand(
                    min_age=int(band["min_age"]),
                    max_age=None if band.get("max_age") is None else int(band["max_age"]),
                    cutoff=_decimal_setting(band["cutoff"], "cutoff"),
                    verified=bool(band.get("verified", False)),
                )
                for band in data["age_bands"]
            )
        return cls(**values)

    def to_mapping(self) -> dict[str, Any]:
        """JSON-safe form: decimals as strings."""
        return {
            "age_bands": [
                {
                    "min_age": band.min_age,
                    "max_age": band.max_age,
                    "cutoff": str(band.cutoff),
                    "verified": band.verified,
                }
                for band in self.age_bands
            ],
            "reliable_change_method": self.reliable_change_method,
            "reliable_change_points": str(self.reliable_change_points),
            "effect_size_threshold": str(self.effect_size_threshold),
            "effect_size_sd": None if self.effect_size_sd is None else str(self.effect_size_sd),
            "srs_alert_below": str(self.srs_alert_below),
        }


@dataclass(frozen=True)
class OrsTrajectory:
    """A participant's ORS course from the first to the last rating."""

    first: Decimal
    last: Decimal
    change: Decimal
    first_date: date
    last_date: date
    count: int
    cutoff: Decimal
    #: Started in the clinical range (below the cutoff) and ended at or above it.
    crossed_cutoff: bool
    reliable: ReliableChange
    totals: tuple[Decimal, ...] = field(repr=False)

    @property
    def clinically_significant(self) -> bool:
        """Reliable improvement that also crossed the cutoff (Jacobson & Truax's criterion)."""
        return self.reliable == "improved" and self.crossed_cutoff


def parse_rating(value: RatingValue, *, maximum: Decimal = ITEM_MAX) -> Decimal:
    """A score between 0 and `maximum` with at most one decimal. Accepts "7,5" as well as "7.5"."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise InvalidRating(_("Skattningen måste vara ett tal, till exempel 7 eller 7,5."))
    number: Decimal | None
    if isinstance(value, str):
        number = _decimal_or_none(value.strip().replace(",", "."))
    else:
        number = Decimal(value)
    if number is None or not number.is_finite():
        raise InvalidRating(_("Skattningen måste vara ett tal, till exempel 7 eller 7,5."))
    if number < 0 or number > maximum:
        raise InvalidRating(
            _("Skattningen måste ligga mellan 0 och %(maximum)s.") % {"maximum": maximum}
        )
    if number != number.quantize(STEP):
        raise InvalidRating(_("Skattningen får ha högst en decimal (linjen läses i millimeter)."))
    return _canonical(number)


def parse_total(value: RatingValue) -> Decimal:
    """An ORS or SRS total entered directly: 0–40, at most one decimal."""
    return parse_rating(value, maximum=TOTAL_MAX)


def ors_total(items: Sequence[RatingValue]) -> Decimal:
    """Sum of the four ORS items (individual, interpersonal, social, overall), each 0–10."""
    return _four_item_total(items)


def srs_total(items: Sequence[RatingValue]) -> Decimal:
    """Sum of the four SRS or G-SRS items, each 0–10."""
    return _four_item_total(items)


def clinical_cutoff(age: int, rules: RatingRules) -> Decimal:
    """The ORS cutoff for a person of `age`: below it the score is in the clinical range."""
    if isinstance(age, bool) or not isinstance(age, int) or age < 0:
        raise ValueError("age must be a non-negative int")
    for band in rules.age_bands:
        if band.contains(age):
            return band.cutoff
    raise AssertionError("age bands are checked to cover every age")  # pragma: no cover


def reliable_change(
    first_total: RatingValue, last_total: RatingValue, rules: RatingRules
) -> ReliableChange:
    """Whether the change from the first to the last ORS total is larger than measurement noise."""
    change = parse_total(last_total) - parse_total(first_total)
    if rules.reliable_change_method == "effect_size":
        assert rules.effect_size_sd is not None  # checked by RatingRules
        size = change / rules.effect_size_sd
        threshold = rules.effect_size_threshold
    else:
        size, threshold = change, rules.reliable_change_points
    if size >= threshold:
        return "improved"
    if size <= -threshold:
        return "deteriorated"
    return "none"


def srs_needs_attention(total: RatingValue, rules: RatingRules) -> bool:
    """An SRS / G-SRS total below the alert level signals a problem with the session."""
    return parse_total(total) < rules.srs_alert_below


def ors_trajectory(
    points: Sequence[tuple[date, RatingValue]], age: int, rules: RatingRules
) -> OrsTrajectory:
    """Summarise ORS totals over time. Points are ordered by date (same-day points keep order).

    `age` is the participant's age at the first rating; it selects the cutoff.
    """
    if not points:
        raise InvalidRating(_("Det finns inga ORS-skattningar att sammanfatta."))
    ordered = sorted(((day, parse_total(total)) for day, total in points), key=lambda p: p[0])
    (first_date, first), (last_date, last) = ordered[0], ordered[-1]
    cutoff = clinical_cutoff(age, rules)
    return OrsTrajectory(
        first=first,
        last=last,
        change=last - first,
        first_date=first_date,
        last_date=last_date,
        count=len(ordered),
        cutoff=cutoff,
        crossed_cutoff=first < cutoff <= last,
        reliable=reliable_change(first, last, rules),
        totals=tuple(total for _day, total in ordered),
    )


def _four_item_total(items: Sequence[RatingValue]) -> Decimal:
    if isinstance(items, str | bytes) or len(items) != ITEM_COUNT:
        raise InvalidRating(_("Ange alla fyra delskattningarna, var och en mellan 0 och 10."))
    return sum((parse_rating(item) for item in items), Decimal(0))


def _canonical(number: Decimal) -> Decimal:
    """7.50 -> 7.5, 7.0 -> 7, -0 -> 0: one form per value, so equal scores print alike."""
    tenths = number.quantize(STEP)
    if tenths == tenths.to_integral_value():
        return Decimal(int(tenths))
    return tenths


def _decimal_or_none(text: str) -> Decimal | None:
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _require_decimal(value: object, name: str) -> None:
    if not isinstance(value, Decimal):
        raise TypeError(f"{name} must be a Decimal, not {type(value).__name__}")


def _decimal_setting(value: object, name: str) -> Decimal:
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"{name} must be given as a string or an int, not {type(value).__name__}")
    number = _decimal_or_none(str(value))
    if number is None or not number.is_finite():
        raise ValueError(f"{name} is not a number")
    return number


def _check_age_bands(bands: tuple[AgeBand, ...]) -> None:
    """Bands must start at 0, follow each other without gaps or overlaps, and end open."""
    if not bands:
        raise ValueError("at least one age band is needed")
    expected_min = 0
    for index, band in enumerate(bands):
        _require_decimal(band.cutoff, "cutoff")
        if not Decimal(0) <= band.cutoff <= TOTAL_MAX:
            raise ValueError("a cutoff must lie between 0 and 40")
        if band.min_age != expected_min:
            raise ValueError(f"age band {index} must start at {expected_min}")
        is_last = index == len(bands) - 1
        if band.max_age is None:
            if not is_last:
                raise ValueError("only the last age band may be open-ended")
            return
        if band.max_age < band.min_age:
            raise ValueError(f"age band {index} ends before it starts")
        expected_min = band.max_age + 1
    raise ValueError("the last age band must be open-ended (max_age=None)")


# Defined last: RatingRules validates itself with the helpers above.
DEFAULT_RULES = RatingRules()
