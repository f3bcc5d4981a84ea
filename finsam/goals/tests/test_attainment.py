"""The attainment rules as unit tests and properties (no database)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.goals.attainment import Figure, Status, judge, period_bounds, share
from finsam.goals.internal_control import heat_map, level, score
from finsam.goals.models import Measure, Period

K = Measure.Kind
YEAR_END = dt.date(2021, 12, 31)
DURING = dt.date(2021, 8, 1)
AFTER = dt.date(2022, 1, 10)


def _judge(kind, target, figure, today=DURING, due=None):
    return judge(
        kind=kind, target=target, due_date=due, figure=figure, year_end=YEAR_END, today=today
    )


def test_periods_are_the_first_half_year_and_the_full_year():
    assert period_bounds(2022, Period.HALF_YEAR) == (dt.date(2022, 1, 1), dt.date(2022, 6, 30))
    assert period_bounds(2022, Period.YEAR) == (dt.date(2022, 1, 1), dt.date(2022, 12, 31))


def test_share_rounds_half_up_to_one_decimal_and_needs_a_denominator():
    assert share(1, 3) == Decimal("33.3")
    assert share(2, 3) == Decimal("66.7")
    assert share(1, 8) == Decimal("12.5")
    assert share(0, 0) is None
    with pytest.raises(ValueError):
        share(4, 3)


@given(st.integers(min_value=1, max_value=10_000), st.data())
def test_share_lies_between_0_and_100_and_grows_with_the_numerator(den, data):
    num = data.draw(st.integers(min_value=0, max_value=den))
    value = share(num, den)
    assert Decimal(0) <= value <= Decimal(100)
    if num < den:
        assert share(num + 1, den) >= value
    # Within half a tenth of the exact share.
    assert abs(value - Decimal(100) * num / den) <= Decimal("0.05")


@given(
    st.sampled_from([K.COUNT, K.SHARE, K.AMOUNT]),
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.decimals(min_value=0, max_value=10**6, places=2),
    st.sampled_from([DURING, AFTER]),
)
def test_a_figure_at_or_above_its_target_is_met_below_it_never(kind, target, value, today):
    status = _judge(kind, target, Figure(value=value), today=today)
    if value >= target:
        assert status == Status.MET
    else:
        assert status == (Status.NOT_MET if today > YEAR_END else Status.IN_PROGRESS)


def test_the_half_year_is_judged_against_the_years_target_and_stays_in_progress():
    # 3 of 5 meetings by 30 June: not yet met, and not "not met" before the year has ended.
    assert _judge(K.COUNT, Decimal(5), Figure(value=Decimal(3))) == Status.IN_PROGRESS
    assert _judge(K.COUNT, Decimal(5), Figure(value=Decimal(3)), today=AFTER) == Status.NOT_MET


def test_done_by_a_date():
    due = dt.date(2021, 5, 28)
    assert _judge(K.DONE_BY, None, Figure(done_on=dt.date(2021, 5, 28)), due=due) == Status.MET
    assert _judge(K.DONE_BY, None, Figure(done_on=dt.date(2021, 6, 1)), due=due) == Status.NOT_MET
    assert _judge(K.DONE_BY, None, Figure(), today=dt.date(2021, 5, 1), due=due) == (
        Status.IN_PROGRESS
    )
    assert _judge(K.DONE_BY, None, Figure(), due=due) == Status.NOT_MET
    # Without a date: by the end of the goal's year.
    assert _judge(K.DONE_BY, None, Figure()) == Status.IN_PROGRESS
    assert _judge(K.DONE_BY, None, Figure(), today=AFTER) == Status.NOT_MET


def test_hidden_figures_and_described_measures_are_never_judged():
    assert _judge(K.SHARE, Decimal(60), Figure(hidden=True)) == Status.HIDDEN
    assert _judge(K.DESCRIBED, None, Figure(value=Decimal(1))) == Status.DESCRIBED
    assert _judge(K.SHARE, Decimal(60), Figure()) == Status.NO_DATA
    # A count with nothing counted at the end of the year is not met.
    assert _judge(K.COUNT, Decimal(1), Figure(), today=AFTER) == Status.NOT_MET


@given(st.integers(min_value=1, max_value=4), st.integers(min_value=1, max_value=4))
def test_risk_score_is_probability_times_consequence_with_a_level(p, c):
    value = score(p, c)
    assert value == p * c and 1 <= value <= 16
    assert level(value)[0] == ("low" if value <= 3 else "medium" if value <= 8 else "high")


def test_score_refuses_values_outside_the_scale():
    with pytest.raises(ValueError):
        score(0, 3)
    with pytest.raises(ValueError):
        score(2, 5)


@given(st.lists(st.tuples(st.integers(1, 4), st.integers(1, 4)), max_size=30))
def test_heat_map_counts_every_risk_once(pairs):
    class R:
        def __init__(self, p, c):
            self.probability, self.consequence = p, c

    rows = heat_map([R(p, c) for p, c in pairs])
    assert [r["consequence"] for r in rows] == [4, 3, 2, 1]
    assert sum(cell["count"] for r in rows for cell in r["cells"]) == len(pairs)
    for r in rows:
        for cell in r["cells"]:
            assert cell["count"] == pairs.count((cell["probability"], r["consequence"]))
