"""The rules of indicator results: exact means, small-cell suppression, response rates, tokens."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from finsam.indicators import rules

answers = st.lists(st.integers(min_value=1, max_value=10), min_size=1, max_size=300)


@given(answers)
def test_the_mean_is_the_exact_mean_of_the_answers(values):
    mean = rules.exact_mean(values)
    assert abs(Fraction(mean) - Fraction(sum(values), len(values))) < Fraction(1, 10**20)
    assert min(values) <= mean <= max(values)


@given(answers)
def test_the_shown_mean_is_the_exact_mean_rounded_half_up(values):
    shown = rules.shown_mean(values, respondents=len(values))
    if len(values) < rules.MIN_RESPONDENTS:
        assert shown is None
    else:
        exact = Fraction(sum(values), len(values))
        assert abs(Fraction(shown) - exact) <= Fraction(1, 20)
        assert shown == shown.quantize(Decimal("0.1"))


@given(answers, st.integers(min_value=0, max_value=1000))
def test_suppression_never_shows_a_figure_from_fewer_than_five(values, respondents):
    shown = rules.shown_mean(values, respondents)
    assert (shown is None) == (respondents < 5)


def test_mean_of_no_answers_is_none_and_rounding_is_half_up():
    assert rules.exact_mean([]) is None
    assert rules.shown_mean([4, 4, 4, 4, 5, 5, 5, 5], respondents=8) == Decimal("4.5")
    assert rules.shown_mean(
        [1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2], 20
    ) == Decimal("1.7")


@given(
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=500),
    st.integers(min_value=0, max_value=500),
)
def test_response_rate_is_responses_over_what_was_handed_out(responses, links, paper):
    rate = rules.response_rate(responses=responses, links=links, paper_forms=paper)
    if links + paper == 0:
        assert rate is None
    else:
        exact = Fraction(100 * responses, links + paper)
        assert abs(Fraction(rate) - exact) <= Fraction(1, 20)


def test_response_rate_examples():
    assert rules.response_rate(responses=7, links=10, paper_forms=10) == Decimal("35.0")
    assert rules.response_rate(responses=2, links=3, paper_forms=0) == Decimal("66.7")


def test_tokens_are_random_and_only_their_hash_is_kept():
    tokens = {rules.new_token() for _n in range(200)}
    assert len(tokens) == 200 and all(len(t) >= 32 for t in tokens)
    token = next(iter(tokens))
    assert rules.token_hash(token) == rules.token_hash(token)
    assert len(rules.token_hash(token)) == 64 and token not in rules.token_hash(token)
