"""Server-rendered SVG charts any app can show: grouped horizontal bars.

No JavaScript, and readable printed in black and white: the first series is a dark fill, the
second a white bar with a black outline, the third hatched; every value is written beside its bar.
A chart is an `<svg role="img">` with `<title>` and `<desc>` (every value in words) for screen
readers; the page shows the same figures as a table beside or below it (charts never replace
the table). All text is escaped; geometry is exact (Decimal), so the output is reproducible.

Values are ints, Decimals or None/strings for a figure that is not shown (e.g. "<5" after
small-cell suppression): such a bar is not drawn and its text is written instead, so a chart
never reveals more than its table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from finsam.core.money import format_number

SVG_NAMESPACE = "http://www.w3.org/2000/svg"
TENTH = Decimal("0.1")
_CHART_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]*")

# Geometry (user units).
LABEL_WIDTH = 230  # category labels, right-aligned against the bars
BAR_AREA = 380
VALUE_WIDTH = 110  # room for the value written after the longest bar
BAR_HEIGHT = 14
BAR_GAP = 3  # between the bars of one category
GROUP_GAP = 12  # between categories
TOP = 8
LEGEND_HEIGHT = 26
MAX_LABEL_CHARS = 30  # about 200 units at 12 px: never clipped at the left edge

# Black-and-white styles per series: (fill, stroke, pattern id or "").
STYLES = (("#333333", "#000000", ""), ("#ffffff", "#000000", ""), ("", "#000000", "hatch"))

Value = int | Decimal | str | None


def bar_chart_svg(
    *,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Value]]],
    title: str,
    chart_id: str,
    unit: str = "",
) -> str:
    """Grouped horizontal bars: one group per category, one bar per series (at most three).

    `series` is [(name, values)], each with one value per category. Negative values are drawn
    to the left of a zero line. `unit` is written after every value ("%", "kr", "tkr").
    """
    check_chart_id(chart_id)
    if not 1 <= len(series) <= len(STYLES):
        raise ValueError(f"a bar chart has 1 to {len(STYLES)} series")
    for name, values in series:
        if len(values) != len(categories):
            raise ValueError(f"series {name!r} has {len(values)} values for {len(categories)}")
        for value in values:
            if not (_is_number(value) or value is None or isinstance(value, str)):
                raise TypeError(f"a chart value is an int, a Decimal or a text, not {value!r}")
    numbers = [exact(v, "value") for _name, values in series for v in values if _is_number(v)]
    high = max([Decimal(0), *numbers])
    low = min([Decimal(0), *numbers])
    span = (high - low) or Decimal(1)
    scale = Decimal(BAR_AREA) / span
    zero_x = LABEL_WIDTH + 10 + (-low * scale).quantize(TENTH, ROUND_HALF_UP)

    group_height = len(series) * BAR_HEIGHT + (len(series) - 1) * BAR_GAP
    height = TOP + len(categories) * (group_height + GROUP_GAP) + LEGEND_HEIGHT
    width = LABEL_WIDTH + 10 + BAR_AREA + VALUE_WIDTH
    parts = [
        f'<svg xmlns="{SVG_NAMESPACE}" role="img" class="chart" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="12">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(describe(categories, series, unit))}</desc>',
        f'<defs><pattern id="{chart_id}-hatch" width="6" height="6" '
        f'patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#ffffff"/>'
        f'<line x1="0" y1="0" x2="0" y2="6" stroke="#000000" stroke-width="2"/></pattern></defs>',
    ]
    y = TOP
    for index, category in enumerate(categories):
        parts.append(
            svg_text(
                LABEL_WIDTH,
                y + group_height // 2 + 4,
                _shorten(category),
                anchor="end",
            )
        )
        for s, (_name, values) in enumerate(series):
            value = values[index]
            bar_y = y + s * (BAR_HEIGHT + BAR_GAP)
            if _is_number(value):
                number = exact(value, "value")
                length = (abs(number) * scale).quantize(TENTH, ROUND_HALF_UP)
                x = zero_x - length if number < 0 else zero_x
                parts.append(_bar(x, bar_y, length, s, chart_id))
                text_x = (x - 4) if number < 0 else (zero_x + length + 4)
                parts.append(
                    svg_text(
                        _coordinate(text_x),
                        bar_y + BAR_HEIGHT - 3,
                        format_value(number, unit),
                        anchor="end" if number < 0 else "start",
                    )
                )
            else:
                parts.append(
                    svg_text(_coordinate(zero_x + 4), bar_y + BAR_HEIGHT - 3, _absent(value))
                )
        y += group_height + GROUP_GAP
    parts.append(
        f'<line x1="{_coordinate(zero_x)}" y1="{TOP - 4}" x2="{_coordinate(zero_x)}" '
        f'y2="{y - GROUP_GAP + 4}" '
        f'stroke="#000000" stroke-width="1"/>'
    )
    parts.append(_legend(series, y + 4, chart_id))
    parts.append("</svg>")
    return "".join(parts)


def describe(
    categories: Sequence[str], series: Sequence[tuple[str, Sequence[Value]]], unit: str
) -> str:
    """The chart in words, for screen readers: "Kvinnor: Startade 12, Avslutade 4; …"."""
    items = []
    for index, category in enumerate(categories):
        values = ", ".join(
            f"{name} "
            + (
                format_value(exact(values[index], "value"), unit)
                if _is_number(values[index])
                else _absent(values[index])
            )
            for name, values in series
        )
        items.append(f"{category}: {values}")
    return "; ".join(items) + "."


def format_value(number: Decimal, unit: str = "") -> str:
    """Swedish display: 1 234, 7,5 with the unit after a no-break space."""
    text = format_number(number, decimals=0 if number == number.to_integral_value() else 1)
    return f"{text}\u00a0{unit}" if unit else text


def svg_text(
    x: Decimal | int,
    y: Decimal | int,
    content: str,
    *,
    size: int = 12,
    anchor: str = "start",
    weight: str = "normal",
    halo: bool = False,
) -> str:
    """One escaped `<text>`; a white halo keeps it readable where it crosses a line."""
    outline = ' stroke="#ffffff" stroke-width="3" paint-order="stroke"' if halo else ""
    return (
        f'<text x="{x}" y="{y}" font-size="{size}" text-anchor="{anchor}" '
        f'font-weight="{weight}" fill="#000000"{outline}>{escape(content)}</text>'
    )


def exact(number: Decimal | int, name: str) -> Decimal:
    """A chart's number as a Decimal; a float or a bool is a programming error."""
    if isinstance(number, bool) or not isinstance(number, Decimal | int):
        raise TypeError(f"{name} must be a Decimal or an int, not {type(number).__name__}")
    return Decimal(number)


def check_chart_id(chart_id: str) -> None:
    if not _CHART_ID.fullmatch(chart_id):
        raise ValueError("chart_id must be a letter followed by letters, digits, - or _")


def _is_number(value: Value) -> bool:
    return isinstance(value, int | Decimal) and not isinstance(value, bool)


def _absent(value: Value) -> str:
    return "–" if value is None or value == "" else str(value)


def _shorten(label: str) -> str:
    label = str(label)
    return label if len(label) <= MAX_LABEL_CHARS else label[: MAX_LABEL_CHARS - 1] + "…"


def _coordinate(value: Decimal | int) -> str:
    return f"{Decimal(value).quantize(TENTH, ROUND_HALF_UP).normalize():f}"


def _bar(x: Decimal, y: int, length: Decimal, index: int, chart_id: str) -> str:
    fill, stroke, pattern = STYLES[index]
    paint = f"url(#{chart_id}-{pattern})" if pattern else fill
    return (
        f'<rect x="{_coordinate(x)}" y="{y}" width="{_coordinate(length)}" '
        f'height="{BAR_HEIGHT}" fill="{paint}" stroke="{stroke}" stroke-width="1"/>'
    )


def _legend(series: Sequence[tuple[str, Sequence[Value]]], y: int, chart_id: str) -> str:
    if len(series) == 1:
        return ""
    parts, x = [], LABEL_WIDTH + 10
    for index, (name, _values) in enumerate(series):
        parts.append(_bar(Decimal(x), y, Decimal(14), index, chart_id))
        parts.append(svg_text(x + 20, y + BAR_HEIGHT - 3, name))
        x += 30 + 7 * len(name)
    return "".join(parts)
