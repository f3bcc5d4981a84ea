"""The shared bar chart: exact, escaped, described in words, and never drawing a hidden figure."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from finsam.core.charts import bar_chart_svg, format_value

BAR = re.compile(r'<rect x="([\d.]+)" y="\d+" width="([\d.]+)" height="14"')


def _bars(svg: str) -> list[tuple[Decimal, Decimal]]:
    return [(Decimal(x), Decimal(w)) for x, w in BAR.findall(svg)]


def test_every_value_is_written_and_described_swedish_style():
    svg = bar_chart_svg(
        categories=["Kvinnor", "Män"],
        series=[("Startade", [1234, 7]), ("Avslutade", [Decimal("12.5"), 0])],
        title="Deltagare",
        chart_id="c1",
        unit="%",
    )
    assert svg.startswith("<svg") and 'role="img"' in svg
    assert '<title id="c1-title">Deltagare</title>' in svg
    assert "1\u00a0234\u00a0%" in svg and "12,5\u00a0%" in svg
    desc = re.search(r"<desc[^>]*>(.*)</desc>", svg).group(1)
    assert desc == (
        "Kvinnor: Startade 1\u00a0234\u00a0%, Avslutade 12,5\u00a0%; "
        "Män: Startade 7\u00a0%, Avslutade 0\u00a0%."
    )
    # Two series: a legend with both names.
    assert svg.count(">Startade<") == 1 and svg.count(">Avslutade<") == 1


def test_a_suppressed_figure_is_written_not_drawn():
    svg = bar_chart_svg(
        categories=["Liten", "Stor"],
        series=[("Startade", ["<5", 40]), ("Avslutade", ["–", 9])],
        title="t",
        chart_id="c2",
    )
    # Only the two real figures get a bar (plus two legend swatches of width 14).
    widths = [w for _x, w in _bars(svg)]
    assert sorted(widths) == sorted([Decimal(14), Decimal(14), Decimal(380), Decimal("85.5")])
    assert "&lt;5" in svg and "Liten: Startade &lt;5, Avslutade –" in svg


def test_text_is_escaped_and_ids_checked():
    svg = bar_chart_svg(
        categories=['<script>"x"</script>'], series=[("a&b", [1])], title="<t>", chart_id="ok"
    )
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "a&amp;b" in svg
    with pytest.raises(ValueError):
        bar_chart_svg(categories=["a"], series=[("s", [1])], title="t", chart_id='x" onload="')
    with pytest.raises(ValueError):
        bar_chart_svg(categories=["a", "b"], series=[("s", [1])], title="t", chart_id="c")
    with pytest.raises(TypeError):
        bar_chart_svg(categories=["a"], series=[("s", [1.5])], title="t", chart_id="c")


def test_negative_values_extend_left_of_the_zero_line():
    svg = bar_chart_svg(
        categories=["Resultat", "Eget kapital"],
        series=[("Budget", [-100, 300])],
        title="t",
        chart_id="neg",
        unit="tkr",
    )
    zero = Decimal(re.search(r'<line x1="([\d.]+)"', svg.split("</defs>")[1]).group(1))
    (x1, w1), (x2, w2) = _bars(svg)
    assert x1 + w1 == zero and x2 == zero and w2 == 3 * w1
    assert "-100\u00a0tkr" in svg


@given(
    st.lists(
        st.one_of(st.integers(min_value=-(10**12), max_value=10**12), st.sampled_from(["<5", "–"])),
        min_size=1,
        max_size=12,
    )
)
def test_bars_are_proportional_and_every_value_is_described(values):
    svg = bar_chart_svg(
        categories=[f"k{i}" for i in range(len(values))],
        series=[("s", values)],
        title="t",
        chart_id="p",
    )
    numbers = [Decimal(v) for v in values if isinstance(v, int)]
    bars = _bars(svg)
    assert len(bars) == len(numbers)  # one series: no legend
    span = max([Decimal(0), *numbers]) - min([Decimal(0), *numbers])
    for number, (_x, width) in zip(numbers, bars, strict=True):
        expected = abs(number) * 380 / span if span else Decimal(0)
        assert abs(width - expected) <= Decimal("0.05")
    desc = html.unescape(re.search(r"<desc[^>]*>(.*)</desc>", svg).group(1))
    for i, v in enumerate(values):
        shown = format_value(Decimal(v)) if isinstance(v, int) else v
        assert f"k{i}: s {shown}" in desc
