"""Long budgets on a page: sections folded to their totals, one section's lines on demand.

A budget of a few hundred lines is shown whole, as always. A longer one (budgets of tens of
thousands of lines exist) would make a page of that many table rows, slow to send and useless to
read: each section's item lines are folded away, its total and the derived lines stay, and a row
in the table links to the section's lines, a page of them at a time (`?avsnitt=N&sida=P`, the
other query parameters kept). The exports still hold every line.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

from django.http import QueryDict

FOLD_AT = 300  # item lines: a budget with more is shown with its sections folded
PAGE = 200  # lines of an opened section per page


@dataclass(frozen=True)
class Fold:
    """The table row that stands for a folded section's lines, or for the page of them shown."""

    number: int  # the section's number on the page, 1, 2, …
    label: str
    count: int  # item lines in the section
    first: int  # 1-based numbers of the lines shown; 0 when folded
    last: int
    open_url: str = ""
    close_url: str = ""
    previous_url: str = ""
    next_url: str = ""

    @property
    def is_open(self) -> bool:
        return self.first > 0


def _url(query: QueryDict, **params) -> str:
    q = query.copy()
    for name, value in params.items():
        q.pop(name, None)
        if value:
            q[name] = str(value)
    return f"?{q.urlencode()}" if q else "?"


def _int(query: QueryDict, name: str) -> int:
    try:
        return max(int(query.get(name, "0")), 0)
    except ValueError:
        return 0


def fold(
    rows: Iterable,
    *,
    section: Callable[[object], Hashable],
    is_item: Callable[[object], bool],
    label: Callable[[object], str],
    query: QueryDict,
    wrap: Callable[[Fold, object], object] = lambda fold, first: {"fold": fold},
) -> list:
    """`rows` as the page shows them: all of them for a short budget; for a long one, the item
    rows of every section but the opened one left out and `wrap(Fold)` put where the section's
    item rows begin (the opened section: the page of them asked for, after its Fold row)."""
    rows = list(rows)
    items = sum(1 for r in rows if is_item(r))
    if items <= FOLD_AT:
        return rows
    counts: dict[Hashable, int] = {}
    for r in rows:
        if is_item(r):
            counts[section(r)] = counts.get(section(r), 0) + 1
    numbers = {key: n for n, key in enumerate(counts, 1)}
    opened = _int(query, "avsnitt")
    page = max(_int(query, "sida"), 1)
    for key, n in numbers.items():
        if n == opened:
            page = min(page, (counts[key] + PAGE - 1) // PAGE)
    out, seen = [], {}
    for r in rows:
        if not is_item(r):
            out.append(r)
            continue
        key = section(r)
        n, count = numbers[key], counts[key]
        index = seen[key] = seen.get(key, 0) + 1
        if index == 1:
            out.append(wrap(_fold(n, label(r), count, opened, page, query), r))
        if n == opened and (page - 1) * PAGE < index <= page * PAGE:
            out.append(r)
    return out


def _fold(n: int, label: str, count: int, opened: int, page: int, query: QueryDict) -> Fold:
    anchor = f"#avsnitt-{n}"
    if n != opened:
        return Fold(n, label, count, 0, 0, open_url=_url(query, avsnitt=n, sida=None) + anchor)
    pages = (count + PAGE - 1) // PAGE
    return Fold(
        n,
        label,
        count,
        first=(page - 1) * PAGE + 1,
        last=min(page * PAGE, count),
        close_url=_url(query, avsnitt=None, sida=None) + anchor,
        previous_url=_url(query, avsnitt=n, sida=page - 1) + anchor if page > 1 else "",
        next_url=_url(query, avsnitt=n, sida=page + 1) + anchor if page < pages else "",
    )
