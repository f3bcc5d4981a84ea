"""Server-rendered SVG charts: ORS over time and goal progress.

No JavaScript, and readable when printed in black and white: black lines, white markers with a
black ring, a dashed cutoff line, values written next to the points. Each chart is an
`<svg role="img">` with `<title>` and `<desc>` (which lists every value) for screen readers. All
text is escaped. Geometry is computed with Decimal, so the output is exact and reproducible.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.core.charts import SVG_NAMESPACE, check_chart_id, exact, svg_text
from finsam.participants.ratings import (
    DEFAULT_RULES,
    TOTAL_MAX,
    RatingRules,
    RatingValue,
    parse_total,
    reliable_change,
)

MINUS = "\u2212"
NBSP = "\u00a0"

# ORS chart geometry (user units). 200 units for 0–40 gives 5 units per ORS point.
WIDTH, HEIGHT = 720, 320  # the right margin holds the cutoff's label, clear of the points
FRAME_LEFT, FRAME_RIGHT = 56, 616
PLOT_LEFT, PLOT_RIGHT = 80, 592  # points stay clear of the frame so their labels fit
PLOT_TOP, PLOT_BOTTOM = 60, 260
UNITS_PER_POINT = Decimal(PLOT_BOTTOM - PLOT_TOP) / TOTAL_MAX
MAX_DATE_LABELS = 10
TENTH = Decimal("0.1")


def ors_chart_svg(
    points: Sequence[tuple[date, RatingValue]],
    *,
    cutoff: RatingValue,
    title: str,
    rules: RatingRules = DEFAULT_RULES,
    chart_id: str = "ors-chart",
) -> str:
    """A line chart of ORS totals (0–40) by date with the clinical cutoff and reliable change.

    `cutoff` is the participant's cutoff (`ratings.clinical_cutoff`); `rules` decide what counts
    as reliable change between the first and the last point. `chart_id` must be unique on the page.
    """
    check_chart_id(chart_id)
    cutoff_value = parse_total(cutoff)
    ordered = sorted(((day, parse_total(total)) for day, total in points), key=lambda p: p[0])

    parts: list[str] = []
    parts.append(f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#ffffff"/>')
    parts.append(svg_text(24, 28, title, size=16, weight="bold"))
    parts.append(svg_text(FRAME_LEFT, PLOT_TOP - 14, _("ORS (0–40)"), size=11, anchor="middle"))
    for level in range(0, 41, 10):
        y = _y(Decimal(level))
        parts.append(
            f'<line x1="{FRAME_LEFT}" y1="{y}" x2="{FRAME_RIGHT}" y2="{y}" '
            f'stroke="#bbbbbb" stroke-width="1"/>'
        )
        parts.append(svg_text(FRAME_LEFT - 8, y + 4, str(level), size=11, anchor="end"))
    parts.append(
        f'<line x1="{FRAME_LEFT}" y1="{PLOT_TOP}" x2="{FRAME_LEFT}" y2="{PLOT_BOTTOM}" '
        f'stroke="#000000" stroke-width="1"/>'
    )

    cutoff_y = _y(cutoff_value)
    cutoff_label = _("Clinical cut-off %(cutoff)s") % {"cutoff": format_score(cutoff_value)}
    parts.append(
        f'<line class="ors-cutoff" x1="{FRAME_LEFT}" y1="{cutoff_y}" x2="{FRAME_RIGHT}" '
        f'y2="{cutoff_y}" stroke="#000000" stroke-width="1.5" stroke-dasharray="8 5"/>'
    )
    parts.append(svg_text(FRAME_RIGHT + 6, cutoff_y + 4, cutoff_label, size=11))

    change_label = ""
    if not ordered:
        parts.append(
            svg_text((PLOT_LEFT + PLOT_RIGHT) // 2, 150, _("No ORS scores yet."), anchor="middle")
        )
        description = _("No ORS scores yet.") + " " + cutoff_label + "."
    else:
        coordinates = [
            (_x(day, ordered[0][0], ordered[-1][0]), _y(total)) for day, total in ordered
        ]
        polyline = " ".join(f"{x},{y}" for x, y in coordinates)
        parts.append(
            f'<polyline points="{polyline}" fill="none" stroke="#000000" stroke-width="2" '
            f'stroke-linejoin="round"/>'
        )
        for (day, total), (x, y) in zip(ordered, coordinates, strict=True):
            value_label = format_score(total)
            parts.append(
                f'<g class="ors-point" data-date="{day.isoformat()}" data-value="{value_label}">'
                f'<circle cx="{x}" cy="{y}" r="4.5" fill="#ffffff" stroke="#000000" '
                f'stroke-width="2"/>'
                f"{svg_text(x, y - 10, value_label, size=12, anchor='middle', halo=True)}</g>"
            )
        step = -(-len(ordered) // MAX_DATE_LABELS)  # ceiling division
        labelled = set(range(0, len(ordered), step)) | {len(ordered) - 1}
        for index in sorted(labelled):
            x = coordinates[index][0]
            parts.append(
                f'<line x1="{x}" y1="{PLOT_BOTTOM}" x2="{x}" y2="{PLOT_BOTTOM + 5}" '
                f'stroke="#000000" stroke-width="1"/>'
            )
            parts.append(
                svg_text(x, PLOT_BOTTOM + 20, _day_month(ordered[index][0]), anchor="middle")
            )

        first, last = ordered[0][1], ordered[-1][1]
        change_label = _reliable_change_label(first, last, rules)
        if change_label:
            parts.append(svg_text(FRAME_LEFT, HEIGHT - 14, change_label, size=13, weight="bold"))
        description = _describe(ordered, cutoff_label, change_label)

    return (
        f'<svg xmlns="{SVG_NAMESPACE}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" width="{WIDTH}" height="{HEIGHT}" '
        f'viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="12">'
        f'<title id="{chart_id}-title">{escape(title)}</title>'
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>' + "".join(parts) + "</svg>"
    )


def progress_bar_svg(
    value: Decimal | int,
    target: Decimal | int,
    *,
    unit: str = "",
    title: str | None = None,
    chart_id: str = "progress",
) -> str:
    """A horizontal bar showing `value` against `target`, with "18 av 30 (60 %)" beside it.

    `unit` is appended to both numbers (e.g. "%" for a share goal). A value above the target fills
    the bar and the percentage goes above 100.
    """
    check_chart_id(chart_id)
    value, target = exact(value, "value"), exact(target, "target")
    if value < 0:
        raise ValueError("value cannot be negative")
    if target <= 0:
        raise ValueError("target must be positive")
    bar_width = 160
    fill = (min(value / target, Decimal(1)) * bar_width).quantize(TENTH, rounding=ROUND_HALF_UP)
    percent = (value * 100 / target).quantize(Decimal(1), rounding=ROUND_HALF_UP)
    suffix = f"{NBSP}{unit}" if unit else ""
    label = _("%(value)s of %(target)s (%(percent)s)") % {
        "value": format_score(value) + suffix,
        "target": format_score(target) + suffix,
        "percent": f"{percent}{NBSP}%",
    }
    accessible_title = (
        title if title is not None else _("Goal attainment: %(label)s") % {"label": label}
    )
    width, height = 340, 28
    return (
        f'<svg xmlns="{SVG_NAMESPACE}" role="img" aria-labelledby="{chart_id}-title" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="13">'
        f'<title id="{chart_id}-title">{escape(accessible_title)}</title>'
        f'<rect x="1" y="5" width="{bar_width}" height="18" fill="#ffffff" stroke="#000000" '
        f'stroke-width="1.5"/>'
        f'<rect class="progress-fill" x="1" y="5" width="{fill}" height="18" fill="#444444"/>'
        + svg_text(bar_width + 10, 19, label)
        + "</svg>"
    )


def format_score(value: Decimal) -> str:
    """Swedish display of a score or count: 25, 7,5."""
    if value == value.to_integral_value():
        return str(int(value))
    return f"{value.normalize():f}".replace(".", ",")


def _reliable_change_label(first: Decimal, last: Decimal, rules: RatingRules) -> str:
    verdict = reliable_change(first, last, rules)
    change = last - first
    signed = ("+" if change > 0 else MINUS if change < 0 else "") + format_score(abs(change))
    if verdict == "improved":
        return _("Reliable improvement (%(change)s)") % {"change": signed}
    if verdict == "deteriorated":
        return _("Reliable deterioration (%(change)s)") % {"change": signed}
    return ""


def _describe(ordered: list[tuple[date, Decimal]], cutoff_label: str, change_label: str) -> str:
    values = "; ".join(f"{day.isoformat()}: {format_score(total)}" for day, total in ordered)
    summary = ngettext(
        "ORS total on %(count)s occasion: %(values)s.",
        "ORS total on %(count)s occasions: %(values)s.",
        len(ordered),
    ) % {
        "count": len(ordered),
        "values": values,
    }
    return " ".join(part for part in (summary, cutoff_label + ".", change_label) if part)


def _x(day: date, first: date, last: date) -> Decimal:
    span = (last - first).days
    if span == 0:
        return Decimal(PLOT_LEFT + PLOT_RIGHT) / 2
    offset = Decimal((day - first).days) * (PLOT_RIGHT - PLOT_LEFT) / span
    return (PLOT_LEFT + offset).quantize(TENTH, rounding=ROUND_HALF_UP)


def _y(total: Decimal) -> Decimal:
    return (PLOT_BOTTOM - total * UNITS_PER_POINT).quantize(TENTH, rounding=ROUND_HALF_UP)


def _day_month(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}"


def goal_progress_svgs(items, *, prefix: str, exact: bool) -> list[dict]:
    """Goal progress as SVG bars. Outside the intervention's staff (`exact=False`) a count of
    1–4 persons is not shown."""
    out = []
    for n, item in enumerate(items):
        entry = {"item": item, "svg": "", "note": "", "exact": exact}
        if item.value is None:
            entry["note"] = _("No data yet.")
        elif not exact and not item.published():
            entry["note"] = _("Not shown: the result would reveal a group of fewer than 5 people.")
        else:
            entry["svg"] = mark_safe(  # noqa: S308 - charts.py escapes every text
                progress_bar_svg(
                    item.value,
                    item.target,
                    unit="%" if item.is_share else "",
                    title=f"{item.goal_text}: {item.value} / {item.target}",
                    chart_id=f"{prefix}-{n}",
                )
            )
        out.append(entry)
    return out
