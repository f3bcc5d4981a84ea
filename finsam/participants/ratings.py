"""ORS and SRS / G-SRS scores and the rules used to read them.

Only the numbers are handled here: the instruments' wording is licensed and is not shipped.

- ORS (Outcome Rating Scale): four items (individual, interpersonal, social, overall), each a mark
  on a 10 cm line read as 0–10 with at most one decimal; total 0–40.
- SRS (Session Rating Scale) and G-SRS (its group version): four items 0–10; total 0–40. A group
  session's SRS total is a G-SRS and has its own alert level.

The thresholds are data, not constants: `RatingRules` holds them, an association changes them
(`rules_from_input` checks what the office typed, `participants.services.rating_rules_for` reads an
association's rules) and `RatingRules.to_mapping()` / `from_mapping()` store them as JSON.
`DEFAULT_RULES` is the one source of the defaults, which follow the usual literature values; the
cutoffs for children and adolescents are marked unverified.
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
MAX_AGE = 130  # as Enrolment.age_at_start
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


DECIMAL_SETTINGS = (
    "reliable_change_points",
    "effect_size_threshold",
    "srs_alert_below",
    "gsrs_alert_below",
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
    gsrs_alert_below: Decimal = Decimal(36)

    def __post_init__(self) -> None:
        for name in DECIMAL_SETTINGS:
            _require_decimal(getattr(self, name), name)
        for name in ("srs_alert_below", "gsrs_alert_below"):
            if not Decimal(0) <= getattr(self, name) <= TOTAL_MAX:
                raise ValueError(f"{name} must lie between 0 and 40")
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
        for name in DECIMAL_SETTINGS:
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
            "gsrs_alert_below": str(self.gsrs_alert_below),
        }

    def alert_below(self, *, group: bool) -> Decimal:
        """The alert level for an SRS total, or for a G-SRS total when `group` is True."""
        return self.gsrs_alert_below if group else self.srs_alert_below


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
        raise InvalidRating(_("The score must be a number, for example 7 or 7.5."))
    number: Decimal | None
    if isinstance(value, str):
        number = _decimal_or_none(value.strip().replace(",", "."))
    else:
        number = Decimal(value)
    if number is None or not number.is_finite():
        raise InvalidRating(_("The score must be a number, for example 7 or 7.5."))
    if number < 0 or number > maximum:
        raise InvalidRating(
            _("The score must be between 0 and %(maximum)s.") % {"maximum": maximum}
        )
    if number != number.quantize(STEP):
        raise InvalidRating(
            _("The score may have at most one decimal place (the line is read in millimetres).")
        )
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


def srs_needs_attention(total: RatingValue, rules: RatingRules, *, group: bool = False) -> bool:
    """An SRS total (a G-SRS total when `group`) below its alert level signals a problem with
    the session."""
    return parse_total(total) < rules.alert_below(group=group)


def ors_trajectory(
    points: Sequence[tuple[date, RatingValue]], age: int, rules: RatingRules
) -> OrsTrajectory:
    """Summarise ORS totals over time. Points are ordered by date (same-day points keep order).

    `age` is the participant's age at the first rating; it selects the cutoff.
    """
    if not points:
        raise InvalidRating(_("There are no ORS scores to summarise."))
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


class InvalidRules(ValueError):
    """What the office typed cannot become rules. `errors` maps a field name to a Swedish message:
    `band_<n>_min_age`, `band_<n>_max_age`, `band_<n>_cutoff` (n from 0, the row on the settings
    page), `age_bands` (the bands as a whole) and the threshold names."""

    def __init__(self, errors: dict[str, str]):
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))
        self.errors = errors


@dataclass(frozen=True)
class BandInput:
    """One row of the age-band table as typed: ages already parsed as int (None when blank), the
    cutoff as typed ("25,5")."""

    min_age: int | None
    max_age: int | None
    cutoff: RatingValue | None

    @property
    def is_blank(self) -> bool:
        return self.min_age is None and self.max_age is None and _blank(self.cutoff)


def band_field(index: int, name: str) -> str:
    return f"band_{index}_{name}"


def rules_from_input(
    *,
    base: RatingRules,
    age_bands: Sequence[BandInput],
    reliable_change_points: RatingValue | None,
    srs_alert_below: RatingValue | None,
    gsrs_alert_below: RatingValue | None,
) -> RatingRules:
    """New rules from the settings page, with a Swedish message at every field that is wrong.

    Blank rows of the table are skipped. The rows left must start at 0 år, follow each other
    without a gap or an overlap, and the last one must be open-ended ("and older"). A band keeps
    `verified` only while it is exactly a verified default band. What the page does not edit (the
    reliable-change method, the effect-size settings) is taken from `base`.
    """
    errors: dict[str, str] = {}
    rows = [(index, band) for index, band in enumerate(age_bands) if not band.is_blank]
    bands: list[AgeBand] = []
    expected_min = 0
    for position, (index, band) in enumerate(rows):
        is_last = position == len(rows) - 1
        cutoff = _setting(band.cutoff, band_field(index, "cutoff"), errors, _("Enter the cutoff."))
        if band.min_age is None:
            errors[band_field(index, "min_age")] = _("Enter the age the group starts at.")
        elif not 0 <= band.min_age <= MAX_AGE or (
            band.max_age is not None and not 0 <= band.max_age <= MAX_AGE
        ):
            field_name = "min_age" if not 0 <= band.min_age <= MAX_AGE else "max_age"
            errors[band_field(index, field_name)] = _(
                "The age must be between 0 and %(max)s years."
            ) % {"max": MAX_AGE}
        elif band.min_age != expected_min:
            if position == 0:
                message = _("The first age group must start at 0 years.")
            elif band.min_age > expected_min:
                message = _(
                    "Ages %(first)s–%(last)s have no group: start at %(expected)s years."
                ) % {"first": expected_min, "last": band.min_age - 1, "expected": expected_min}
            else:
                message = _("The group overlaps the previous one: start at %(expected)s years.") % {
                    "expected": expected_min
                }
            errors[band_field(index, "min_age")] = message
        elif band.max_age is not None and band.max_age < band.min_age:
            errors[band_field(index, "max_age")] = _(
                "The group ends before it starts: enter an age from %(min)s years."
            ) % {"min": band.min_age}
        if band.max_age is None and not is_last:
            errors[band_field(index, "max_age")] = _(
                "Only the last age group may have no upper age."
            )
        elif band.max_age is not None and is_last:
            errors[band_field(index, "max_age")] = _(
                "The last age group covers everyone older: leave the field empty."
            )
        if band.max_age is not None:
            expected_min = band.max_age + 1
        if band.min_age is not None and cutoff is not None:
            bands.append(_band(band.min_age, band.max_age, cutoff))
    if not rows:
        errors["age_bands"] = _("Enter at least one age group.")

    missing = _("Enter a value between 0 and 40.")
    points = _setting(reliable_change_points, "reliable_change_points", errors, missing)
    if points is not None and points <= 0:
        errors["reliable_change_points"] = _("Reliable change must be greater than 0.")
    srs = _setting(srs_alert_below, "srs_alert_below", errors, missing)
    gsrs = _setting(gsrs_alert_below, "gsrs_alert_below", errors, missing)
    if errors:
        raise InvalidRules(errors)
    return RatingRules(
        age_bands=tuple(bands),
        reliable_change_method=base.reliable_change_method,
        reliable_change_points=points,
        effect_size_threshold=base.effect_size_threshold,
        effect_size_sd=base.effect_size_sd,
        srs_alert_below=srs,
        gsrs_alert_below=gsrs,
    )


def _band(min_age: int, max_age: int | None, cutoff: Decimal) -> AgeBand:
    verified = any(
        (d.min_age, d.max_age, d.cutoff) == (min_age, max_age, cutoff) and d.verified
        for d in DEFAULT_AGE_BANDS
    )
    return AgeBand(min_age=min_age, max_age=max_age, cutoff=cutoff, verified=verified)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _setting(
    value: RatingValue | None, name: str, errors: dict[str, str], missing: str
) -> Decimal | None:
    """A 0–40 value with at most one decimal, or None with the message put in `errors`."""
    if _blank(value):
        errors[name] = missing
        return None
    assert value is not None
    try:
        return parse_total(value)
    except InvalidRating:
        errors[name] = _(
            "Enter a number between 0 and 40 with at most one decimal, for example 25 or 25.5."
        )
        return None


def _four_item_total(items: Sequence[RatingValue]) -> Decimal:
    if isinstance(items, str | bytes) or len(items) != ITEM_COUNT:
        raise InvalidRating(_("Enter all four item scores, each between 0 and 10."))
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
