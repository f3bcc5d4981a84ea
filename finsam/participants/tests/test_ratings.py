import json
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.participants.ratings import (
    DEFAULT_RULES,
    AgeBand,
    InvalidRating,
    RatingRules,
    clinical_cutoff,
    ors_total,
    ors_trajectory,
    parse_total,
    reliable_change,
    srs_needs_attention,
    srs_total,
)

tenths = st.integers(min_value=0, max_value=100).map(lambda n: Decimal(n) / 10)


def test_ors_total_adds_items_read_to_the_millimetre():
    total = ors_total([Decimal("7.5"), "6,5", 8, "3.0"])
    assert total == Decimal(25)
    assert isinstance(total, Decimal)
    assert ors_total(["0", 0, Decimal(0), "0,0"]) == 0
    assert ors_total([10, 10, 10, 10]) == 40


def test_srs_total_has_the_same_scale():
    assert srs_total([9, "9,5", 8, Decimal("9.1")]) == Decimal("35.6")


@pytest.mark.parametrize(
    "items",
    [
        [7.5, 6, 8, 3],  # float: never
        [True, 6, 8, 3],
        ["10,5", 6, 8, 3],
        [-1, 6, 8, 3],
        ["7,25", 6, 8, 3],  # two decimals: the line is read to the millimetre
        ["sju", 6, 8, 3],
        ["NaN", 6, 8, 3],
        ["Infinity", 6, 8, 3],
        [7, 6, 8],  # three items
        [7, 6, 8, 3, 2],
        "7683",
    ],
)
def test_invalid_ors_items_are_refused(items):
    with pytest.raises(InvalidRating) as caught:
        ors_total(items)
    assert str(caught.value)  # a Swedish message for the form


def test_out_of_range_message_names_the_scale():
    with pytest.raises(InvalidRating, match="mellan 0 och 10"):
        ors_total([11, 0, 0, 0])
    with pytest.raises(InvalidRating, match="mellan 0 och 40"):
        parse_total("40,5")


def test_equal_scores_get_one_form():
    assert str(parse_total("25.0")) == "25"
    assert str(parse_total("7.50")) == "7.5"
    assert str(parse_total("-0")) == "0"


@pytest.mark.parametrize(
    ("age", "cutoff"), [(0, 32), (8, 32), (12, 32), (13, 28), (17, 28), (18, 25), (90, 25)]
)
def test_clinical_cutoff_by_age_band(age, cutoff):
    assert clinical_cutoff(age, DEFAULT_RULES) == Decimal(cutoff)


def test_only_the_adult_cutoff_is_marked_verified():
    assert [band.verified for band in DEFAULT_RULES.age_bands] == [False, False, True]


def test_an_association_can_set_its_own_cutoffs():
    rules = RatingRules(
        age_bands=(
            AgeBand(min_age=0, max_age=17, cutoff=Decimal(30), verified=False),
            AgeBand(min_age=18, max_age=None, cutoff=Decimal("25.5"), verified=True),
        )
    )
    assert clinical_cutoff(15, rules) == 30
    assert clinical_cutoff(40, rules) == Decimal("25.5")


def test_negative_age_is_refused():
    with pytest.raises(ValueError):
        clinical_cutoff(-1, DEFAULT_RULES)


@pytest.mark.parametrize(
    ("first", "last", "verdict"),
    [
        (18, 23, "improved"),  # exactly 5 points counts
        ("18", "22,9", "none"),
        (30, 25, "deteriorated"),
        (30, "25,1", "none"),
        (20, 20, "none"),
    ],
)
def test_reliable_change_in_points(first, last, verdict):
    assert reliable_change(first, last, DEFAULT_RULES) == verdict


def test_reliable_change_threshold_is_configurable():
    rules = RatingRules(reliable_change_points=Decimal(6))
    assert reliable_change(18, 23, rules) == "none"
    assert reliable_change(18, 24, rules) == "improved"


def test_effect_size_rule_is_an_alternative():
    # 0.8 × SD 7.5 = 6 points.
    rules = RatingRules(reliable_change_method="effect_size", effect_size_sd=Decimal("7.5"))
    assert reliable_change(18, 24, rules) == "improved"
    assert reliable_change(18, "23,9", rules) == "none"
    assert reliable_change(24, 18, rules) == "deteriorated"


def test_effect_size_rule_needs_a_reference_standard_deviation():
    with pytest.raises(ValueError):
        RatingRules(reliable_change_method="effect_size")


def test_srs_below_36_needs_attention():
    assert srs_needs_attention("35,9", DEFAULT_RULES)
    assert not srs_needs_attention(36, DEFAULT_RULES)
    assert not srs_needs_attention(40, DEFAULT_RULES)
    assert srs_needs_attention(37, RatingRules(srs_alert_below=Decimal(38)))


def test_trajectory_of_an_adult_who_crossed_the_cutoff():
    points = [
        (date(2025, 3, 3), "21"),
        (date(2025, 2, 3), "18"),  # out of order on purpose
        (date(2025, 4, 7), "27,5"),
    ]
    summary = ors_trajectory(points, 34, DEFAULT_RULES)
    assert (summary.first, summary.last, summary.change) == (18, Decimal("27.5"), Decimal("9.5"))
    assert (summary.first_date, summary.last_date) == (date(2025, 2, 3), date(2025, 4, 7))
    assert summary.count == 3
    assert summary.totals == (18, 21, Decimal("27.5"))
    assert summary.cutoff == 25
    assert summary.crossed_cutoff is True
    assert summary.reliable == "improved"
    assert summary.clinically_significant is True


def test_same_numbers_do_not_cross_an_adolescents_higher_cutoff():
    summary = ors_trajectory([(date(2025, 2, 3), 18), (date(2025, 4, 7), 27)], 15, DEFAULT_RULES)
    assert summary.cutoff == 28
    assert summary.crossed_cutoff is False
    assert summary.reliable == "improved"
    assert summary.clinically_significant is False


def test_ending_exactly_at_the_cutoff_counts_as_crossed():
    summary = ors_trajectory([(date(2025, 1, 1), 20), (date(2025, 2, 1), 25)], 30, DEFAULT_RULES)
    assert summary.crossed_cutoff is True


def test_starting_above_the_cutoff_never_crosses_it():
    summary = ors_trajectory([(date(2025, 1, 1), 30), (date(2025, 2, 1), 24)], 30, DEFAULT_RULES)
    assert summary.crossed_cutoff is False
    assert summary.reliable == "deteriorated"


def test_a_single_rating_is_no_change():
    summary = ors_trajectory([(date(2025, 1, 1), 20)], 30, DEFAULT_RULES)
    assert summary.change == 0
    assert summary.reliable == "none"


def test_a_trajectory_needs_at_least_one_rating():
    with pytest.raises(InvalidRating):
        ors_trajectory([], 30, DEFAULT_RULES)


def test_rules_refuse_floats():
    with pytest.raises(TypeError):
        RatingRules(reliable_change_points=5.0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        RatingRules.from_mapping({"srs_alert_below": 36.0})


@pytest.mark.parametrize(
    "bands",
    [
        (),
        (AgeBand(min_age=1, max_age=None, cutoff=Decimal(25), verified=True),),  # not from 0
        (
            AgeBand(min_age=0, max_age=12, cutoff=Decimal(32), verified=False),
            AgeBand(min_age=14, max_age=None, cutoff=Decimal(25), verified=True),  # gap at 13
        ),
        (AgeBand(min_age=0, max_age=17, cutoff=Decimal(28), verified=False),),  # not open-ended
        (AgeBand(min_age=0, max_age=None, cutoff=Decimal(41), verified=True),),
    ],
)
def test_age_bands_must_cover_every_age_once(bands):
    with pytest.raises(ValueError):
        RatingRules(age_bands=bands)


def test_rules_survive_a_json_round_trip():
    rules = RatingRules(
        reliable_change_method="effect_size",
        effect_size_sd=Decimal("7.2"),
        srs_alert_below=Decimal("35.5"),
    )
    stored = json.loads(json.dumps(rules.to_mapping()))
    assert RatingRules.from_mapping(stored) == rules
    assert RatingRules.from_mapping({}) == DEFAULT_RULES
    assert RatingRules.from_mapping(DEFAULT_RULES.to_mapping()) == DEFAULT_RULES


@given(st.lists(tenths, min_size=4, max_size=4))
def test_ors_total_is_the_exact_sum_within_the_scale(items):
    total = ors_total(items)
    assert total == sum(items)
    assert 0 <= total <= 40
    assert total == total.quantize(Decimal("0.1"))


@given(tenths.map(lambda d: d * 4), tenths.map(lambda d: d * 4))
def test_reliable_change_is_symmetric(first, last):
    forward, backward = (
        reliable_change(first, last, DEFAULT_RULES),
        reliable_change(last, first, DEFAULT_RULES),
    )
    mirror = {"improved": "deteriorated", "deteriorated": "improved", "none": "none"}
    assert backward == mirror[forward]
    assert (forward != "none") == (abs(last - first) >= 5)
