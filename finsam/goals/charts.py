"""Server-rendered SVG bar charts for the goals pages, drawn like finsam.participants.charts: no
JavaScript, black on white, every value written beside its bar, `<title>` and `<desc>` for screen
readers (and the page shows the same numbers as a table). All text is escaped."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from html import escape

from finsam.participants.charts import SVG_NAMESPACE, format_score

LABEL_WIDTH, BAR_WIDTH, ROW, TOP = 230, 300, 26, 36


def bars_svg(rows: Sequence[tuple[str, int]], *, title: str, chart_id: str) -> str:
    """Horizontal bars, one per (label, count), scaled to the largest count."""
    if not chart_id.replace("-", "").isalnum() or not chart_id[0].isalpha():
        raise ValueError("chart_id must be a letter followed by letters, digits or -")
    if any(value < 0 for _label, value in rows):
        raise ValueError("counts cannot be negative")
    largest = max((value for _label, value in rows), default=0) or 1
    height = TOP + ROW * len(rows) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 70
    desc = "; ".join(f"{label}: {format_score(Decimal(value))}" for label, value in rows)
    parts = [
        f'<svg xmlns="{SVG_NAMESPACE}" role="img" aria-labelledby="{chart_id}-title '
        f'{chart_id}-desc" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'font-family="sans-serif" font-size="13">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="0" y="20" font-size="15" font-weight="bold">{escape(title)}</text>',
    ]
    for i, (label, value) in enumerate(rows):
        y = TOP + i * ROW
        length = (Decimal(value) * BAR_WIDTH / largest).quantize(Decimal("0.1"), ROUND_HALF_UP)
        parts += [
            f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" text-anchor="end">{escape(label)}</text>',
            f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{length}" height="18" fill="#444444"/>',
            f'<text x="{LABEL_WIDTH + length + 6}" y="{y + 15}">{value}</text>',
        ]
    parts.append("</svg>")
    return "".join(parts)
