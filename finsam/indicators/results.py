"""Results per indicator and year: means per item and per indicator, respondents, small-cell
suppression and this year beside last year. Everything shown goes through finsam.indicators.rules."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from finsam.indicators import rules
from finsam.indicators.models import Answer, Campaign, Indicator, RespondentGroup


@dataclass
class Figure:
    """One mean with its respondents; `mean` is None when suppressed or without answers."""

    respondents: int
    mean: Decimal | None

    @property
    def suppressed(self) -> bool:
        return self.respondents > 0 and rules.suppressed(self.respondents)


def figure(answers: list[tuple[int, int]]) -> Figure:
    """answers: [(response id, value)]; respondents are distinct responses."""
    respondents = len({r for r, _v in answers})
    return Figure(respondents, rules.shown_mean([v for _r, v in answers], respondents))


@dataclass
class IndicatorRow:
    code: str
    name: str
    this_year: Figure
    last_year: Figure | None
    items: list[tuple[str, Figure]] = field(default_factory=list)


@dataclass
class GroupResult:
    group: str
    label: str
    campaigns: list[Campaign]
    respondents: int
    rows: list[IndicatorRow]


def _answers(association, year: int, group: str) -> dict[str, dict]:
    """{indicator code: {"name", "answers": [(response, value)], "items": {text: [...]}}}"""
    by_code: dict[str, dict] = {}
    qs = (
        Answer.objects.filter(
            response__campaign__association=association,
            response__campaign__year=year,
            response__campaign__questionnaire__group=group,
        )
        .select_related("item__indicator")
        .order_by("item__indicator__sort_order", "item__number")
    )
    for a in qs:
        ind: Indicator = a.item.indicator
        entry = by_code.setdefault(ind.code, {"name": ind.name, "answers": [], "items": {}})
        entry["answers"].append((a.response_id, a.value))
        entry["items"].setdefault(f"{a.item.number}. {a.item.text}", []).append(
            (a.response_id, a.value)
        )
    return by_code


def year_results(*, association, campaigns: list[Campaign], year: int) -> list[GroupResult]:
    """Per respondent group with a campaign this year: every indicator this year and last year
    (indicators are matched by code, so a new instrument version compares with the old)."""
    by_group: dict[str, list[Campaign]] = defaultdict(list)
    for c in campaigns:
        by_group[c.questionnaire.group].append(c)
    results = []
    for group in RespondentGroup.values:
        if group not in by_group:
            continue
        now = _answers(association, year, group)
        before = _answers(association, year - 1, group)
        rows = [
            IndicatorRow(
                code=code,
                name=entry["name"],
                this_year=figure(entry["answers"]),
                last_year=figure(before[code]["answers"]) if code in before else None,
                items=[(text, figure(values)) for text, values in entry["items"].items()],
            )
            for code, entry in now.items()
        ]
        results.append(
            GroupResult(
                group=group,
                label=str(RespondentGroup(group).label),
                campaigns=by_group[group],
                respondents=sum(c.response_count for c in by_group[group]),
                rows=rows,
            )
        )
    return results


def _shown(fig: Figure | None, suppressed: str):
    if fig is None:
        return None
    return fig.mean if fig.mean is not None or not fig.suppressed else suppressed


def export_rows(groups: list[GroupResult], *, suppressed: str) -> list[list]:
    """One row per indicator (with last year) and per statement: group, code, indicator,
    statement, respondents, mean, last year's respondents and mean; a suppressed mean is the
    text `suppressed`, never the figure."""
    rows = []
    for g in groups:
        for r in g.rows:
            last = r.last_year
            rows.append(
                [
                    g.label,
                    r.code,
                    r.name,
                    "",
                    r.this_year.respondents,
                    _shown(r.this_year, suppressed),
                    last.respondents if last else None,
                    _shown(last, suppressed),
                ]
            )
            rows.extend(
                [
                    g.label,
                    r.code,
                    r.name,
                    text,
                    fig.respondents,
                    _shown(fig, suppressed),
                    None,
                    None,
                ]
                for text, fig in r.items
            )
    return rows
