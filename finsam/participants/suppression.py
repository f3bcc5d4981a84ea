"""Small-cell suppression for statistics that leave the participant register.

Rules (threshold 5 by default):

1. Primary suppression: every count from 1 to threshold-1 is shown as "<5" — interior cells and
   totals alike, since a total is a count of persons too. Zero is published as 0: it describes no
   person, and hiding zeros would blank out most small tables. (The accepted cost: a 0 shows that
   a group is empty, e.g. that nobody in a row exited to work.)
2. Complementary (secondary) suppression, shown as "–" (en dash): hidden so that "<5" cells cannot
   be worked out from the published cells and totals. Only cells of at least `threshold` are ever
   chosen, never a zero, so a "–" is always a count of `threshold` or more.

How the complementary cells are chosen. The table is extended with its row totals, column totals
and grand total; every row and column of that extended grid (the total row and column included)
is a "line" whose cells add up to its total. Then, until nothing changes:

a. Line rule: a line with exactly one hidden cell gets a second one: the smallest published
   non-zero cell of the line, its own total only when no other cell is left.
b. Audit: the attacker knows everything published, that a "<5" cell holds 1..threshold-1 and that a
   "–" cell holds at least `threshold`. A hidden cell is safe when a second table exists that
   matches all of that and differs in this cell. Such tables differ from the true one by whole
   numbers around a cycle of hidden cells (row, column, row, … — the grid is a network), so the
   audit looks for a cycle through the cell along which every hidden cell can move by ±1 and stay
   inside its range. Against this attacker the search is exact, not a heuristic: a cell without
   such a cycle can be worked out (for example "<5", "–", total 6 in one row: the "–" is at least 5, so
   the "<5" must be 1). An unsafe cell makes us hide the smallest published cell that gives it a
   cycle, or else the smallest published cell in its row or column, and start again.

Every hidden cell — "<5" or "–" — therefore has at least two possible values. The loop ends
because every round hides one more cell. If a cell is still unsafe when every non-zero cell is
hidden, the markers alone give it away (four "<5" cells and a "<5" total: each cell is 1), and the
whole table is withheld: `withheld=True` and every value, zeros too, is "–". Show
`withheld_note()` instead of the table.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from django.utils.translation import gettext as _

Published = int | str
CellKind = Literal["published", "primary", "secondary"]
Position = tuple[int, int]

DEFAULT_THRESHOLD = 5
SECONDARY_MARKER = "–"  # en dash


def primary_marker(threshold: int = DEFAULT_THRESHOLD) -> str:
    return f"<{threshold}"


def suppression_note(threshold: int = DEFAULT_THRESHOLD) -> str:
    """The footnote that goes with every published table."""
    return _(
        "%(marker)s = färre än %(threshold)s personer. %(dash)s = dolt så att små grupper inte "
        "kan räknas fram ur summorna."
    ) % {"marker": primary_marker(threshold), "threshold": threshold, "dash": SECONDARY_MARKER}


def withheld_note() -> str:
    """Shown instead of a table that cannot be published at all."""
    return _(
        "Tabellen visas inte: den bygger på så få personer att enskilda skulle kunna räknas fram."
    )


@dataclass(frozen=True)
class SuppressedTable:
    """A table ready to leave the register: each value is an int, "<5" (primary) or "–".

    `withheld` is True when no safe version exists; then every value is "–".
    """

    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    cells: dict[str, dict[str, Published]]
    row_totals: dict[str, Published]
    column_totals: dict[str, Published]
    grand_total: Published
    threshold: int
    withheld: bool = False

    def as_rows(self, *, corner: str = "", total_label: str | None = None) -> list[list[Published]]:
        """Header row, one row per label with its total, and the totals row: for CSV and HTML."""
        total = _("Totalt") if total_label is None else total_label
        rows: list[list[Published]] = [[corner, *self.column_labels, total]]
        for label in self.row_labels:
            row_cells = [self.cells[label][column] for column in self.column_labels]
            rows.append([label, *row_cells, self.row_totals[label]])
        column_totals = [self.column_totals[column] for column in self.column_labels]
        rows.append([total, *column_totals, self.grand_total])
        return rows


@dataclass(frozen=True)
class SuppressedSeries:
    """A one-dimensional count (e.g. participants per age band) with its total, suppressed."""

    cells: dict[str, Published]
    total: Published
    threshold: int
    withheld: bool = False


TOTAL = object()  # stands for the total row or column in a `hide` position


def suppress_table(
    rows: Mapping[str, Mapping[str, int]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
    hide: Iterable[tuple[object, object]] = (),
) -> SuppressedTable:
    """Suppress a two-dimensional table of counts, with its row, column and grand totals.

    `rows` maps each row label to {column label: count}. Columns are taken in order of first
    appearance; a column missing from a row counts as 0 there. `hide` names cells (row label or
    TOTAL, column label or TOTAL) that must be hidden because another published table hides the
    same count (see `suppress_linked`); labels not in the table are ignored.
    """
    _check_threshold(threshold)
    row_labels = tuple(rows)
    column_labels = tuple(dict.fromkeys(column for row in rows.values() for column in row))
    interior = [
        [_count(rows[row].get(column, 0)) for column in column_labels] for row in row_labels
    ]
    grid = _extend_with_totals(interior)
    row_index = {label: i for i, label in enumerate(row_labels)}
    column_index = {label: j for j, label in enumerate(column_labels)}
    forced = set()
    for row, column in hide:
        i = len(row_labels) if row is TOTAL else row_index.get(row)
        j = len(column_labels) if column is TOTAL else column_index.get(column)
        if i is not None and j is not None and grid[i][j] > 0:
            forced.add((i, j))
    kinds, safe = _protect(grid, threshold, forced)

    def shown(i: int, j: int) -> Published:
        if not safe:
            return SECONDARY_MARKER
        kind = kinds.get((i, j), "published")
        if kind == "primary":
            return primary_marker(threshold)
        if kind == "secondary":
            return SECONDARY_MARKER
        return grid[i][j]

    last_row, last_column = len(row_labels), len(column_labels)
    return SuppressedTable(
        row_labels=row_labels,
        column_labels=column_labels,
        cells={
            row: {column: shown(i, j) for j, column in enumerate(column_labels)}
            for i, row in enumerate(row_labels)
        },
        row_totals={row: shown(i, last_column) for i, row in enumerate(row_labels)},
        column_totals={column: shown(last_row, j) for j, column in enumerate(column_labels)},
        grand_total=shown(last_row, last_column),
        threshold=threshold,
        withheld=not safe,
    )


def suppress_series(
    counts: Mapping[str, int], *, threshold: int = DEFAULT_THRESHOLD
) -> SuppressedSeries:
    """Suppress a one-dimensional count with its total.

    Computed as a one-row table: that table also publishes the column totals (which repeat the
    cells), so the series publishes less than a table that is already safe.
    """
    table = suppress_table({"": counts}, threshold=threshold)
    return SuppressedSeries(
        cells=dict(table.cells[""]) if table.row_labels else {},
        total=table.row_totals[""] if table.row_labels else 0,
        threshold=threshold,
        withheld=table.withheld,
    )


Cell = tuple[str, object, object]  # (table name, row label or TOTAL, column label or TOTAL)


def suppress_linked(
    tables: Mapping[str, Mapping[str, Mapping[str, int]]],
    links: Iterable[Iterable[Cell]],
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> dict[str, SuppressedTable]:
    """Suppress tables that are published together and share counts.

    Each link lists the cells of different tables that hold the same count (the row totals of
    "by gender" and "by age", say). Suppressed one by one, one table may hide such a count and
    another publish it, and the reader subtracts. Here a count hidden in any table is hidden in
    all of them, and every table is suppressed again until nothing changes (each round only adds
    hidden cells, so it ends). A withheld table hides all its counts.
    """
    links = [list(link) for link in links]
    hide: dict[str, set[tuple[object, object]]] = {name: set() for name in tables}
    while True:
        result = {
            name: suppress_table(rows, threshold=threshold, hide=hide[name])
            for name, rows in tables.items()
        }
        changed = False
        for link in links:
            if any(_hidden(result, cell) for cell in link):
                for name, row, column in link:
                    if name in hide and (row, column) not in hide[name]:
                        hide[name].add((row, column))
                        changed = True
        if not changed:
            return result


def published_value(table: SuppressedTable, row: object, column: object) -> Published:
    """What `table` shows for (row, column); 0 for a row or column it leaves out (all zeros)."""
    if row is TOTAL and column is TOTAL:
        return table.grand_total
    if row is TOTAL:
        return table.column_totals.get(column, 0)
    if column is TOTAL:
        return table.row_totals.get(row, 0)
    return table.cells.get(row, {}).get(column, 0)


def _hidden(result: Mapping[str, SuppressedTable], cell: Cell) -> bool:
    name, row, column = cell
    table = result.get(name)
    if table is None:
        return False
    return table.withheld or isinstance(published_value(table, row, column), str)


# --- The extended grid and its lines -------------------------------------------------------------
#
# grid[i][j] for i < r, j < c are the counts; grid[i][c] is row i's total, grid[r][j] column j's
# total and grid[r][c] the grand total. Each line (a grid row or column) says: the sum of its cells
# except the last equals its last cell. So a cell enters its row's equation with coefficient -1
# when it is in the total column, +1 otherwise, and likewise for its column.


def _extend_with_totals(interior: list[list[int]]) -> list[list[int]]:
    column_count = len(interior[0]) if interior else 0
    grid = [[*row, sum(row)] for row in interior]
    column_totals = [sum(row[j] for row in interior) for j in range(column_count)]
    grid.append([*column_totals, sum(column_totals)])
    return grid


def _lines(grid: list[list[int]]) -> Iterator[list[Position]]:
    """Every line, its own total last."""
    height, width = len(grid), len(grid[0])
    for i in range(height):
        yield [(i, j) for j in range(width)]
    for j in range(width):
        yield [(i, j) for i in range(height)]


def _protect(
    grid: list[list[int]], threshold: int, forced: set[Position] = frozenset()
) -> tuple[dict[Position, CellKind], bool]:
    """Which cells to hide, and whether that makes the table safe."""
    kinds: dict[Position, CellKind] = {
        (i, j): "primary"
        for i, row in enumerate(grid)
        for j, value in enumerate(row)
        if 0 < value < threshold
    }
    for cell in forced:
        kinds.setdefault(cell, "secondary")
    if not kinds:
        return kinds, True
    audit = _Audit(grid, threshold, kinds)
    while True:
        _apply_line_rule(grid, kinds)
        unsafe = next((cell for cell in sorted(kinds) if not audit.is_safe(cell)), None)
        if unsafe is None:
            return kinds, True
        addition = _cell_that_protects(grid, kinds, audit, unsafe)
        if addition is None:  # every non-zero cell is hidden, and the markers still tell
            return kinds, False
        kinds[addition] = "secondary"


def _apply_line_rule(grid: list[list[int]], kinds: dict[Position, CellKind]) -> None:
    changed = True
    while changed:
        changed = False
        for line in _lines(grid):
            if sum(cell in kinds for cell in line) != 1:
                continue
            own_total = line[-1]
            candidates = [cell for cell in line if cell not in kinds and grid[cell[0]][cell[1]] > 0]
            # There is always one: a lone hidden cell > 0 makes its line's total or cells > 0.
            chosen = min(
                candidates, key=lambda cell: (cell == own_total, grid[cell[0]][cell[1]], cell)
            )
            kinds[chosen] = "secondary"
            changed = True


def _cell_that_protects(
    grid: list[list[int]], kinds: dict[Position, CellKind], audit: _Audit, unsafe: Position
) -> Position | None:
    candidates = sorted(
        (
            (value, _is_total(grid, (i, j)), (i, j))
            for i, row in enumerate(grid)
            for j, value in enumerate(row)
            if value > 0 and (i, j) not in kinds
        ),
    )
    if not candidates:
        return None
    for _value, _total, cell in candidates:
        kinds[cell] = "secondary"
        protects = audit.is_safe(unsafe)
        del kinds[cell]
        if protects:
            return cell
    in_same_line = [c for c in candidates if c[2][0] == unsafe[0] or c[2][1] == unsafe[1]]
    return (in_same_line or candidates)[0][2]


def _is_total(grid: list[list[int]], cell: Position) -> bool:
    return cell[0] == len(grid) - 1 or cell[1] == len(grid[0]) - 1


class _Audit:
    """Can a hidden cell move by ±1 along a cycle of hidden cells, every cell staying in range?

    Nodes are the grid's rows and columns, hidden cells the edges between them. Moving a cell by
    delta changes its row's and its column's equation by coefficient × delta; the next cell on the
    cycle must cancel that. The coefficients make every cycle consistent (each cycle holds an even
    number of row and column totals), so a breadth-first search over the nodes finds a cycle
    whenever one exists.
    """

    def __init__(self, grid: list[list[int]], threshold: int, kinds: dict[Position, CellKind]):
        self.grid = grid
        self.threshold = threshold
        self.kinds = kinds  # shared and updated by the caller
        self.last_row = len(grid) - 1
        self.last_column = len(grid[0]) - 1

    def row_coefficient(self, cell: Position) -> int:
        return -1 if cell[1] == self.last_column else 1

    def column_coefficient(self, cell: Position) -> int:
        return -1 if cell[0] == self.last_row else 1

    def can_move(self, cell: Position, delta: int) -> bool:
        value = self.grid[cell[0]][cell[1]] + delta
        if self.kinds[cell] == "primary":
            return 1 <= value < self.threshold
        return value >= self.threshold

    def is_safe(self, cell: Position) -> bool:
        return any(self.can_move(cell, d) and self._cycle_exists(cell, d) for d in (1, -1))

    def _cycle_exists(self, start: Position, delta: int) -> bool:
        by_row: dict[int, list[Position]] = {}
        by_column: dict[int, list[Position]] = {}
        for cell in self.kinds:
            if cell != start:
                by_row.setdefault(cell[0], []).append(cell)
                by_column.setdefault(cell[1], []).append(cell)
        # Walk from start's column back to start's row. `push` is what the cells walked so far
        # add to the current node's equation; the next cell must take it away again.
        target_push = -self.row_coefficient(start) * delta
        frontier: list[tuple[str, int, int]] = [
            ("column", start[1], self.column_coefficient(start) * delta)
        ]
        seen = {("column", start[1])}
        while frontier:
            kind, index, push = frontier.pop()
            edges = by_row.get(index, []) if kind == "row" else by_column.get(index, [])
            for cell in edges:
                if kind == "row":
                    move = -push * self.row_coefficient(cell)
                    node, next_push = ("column", cell[1]), self.column_coefficient(cell) * move
                else:
                    move = -push * self.column_coefficient(cell)
                    node, next_push = ("row", cell[0]), self.row_coefficient(cell) * move
                if not self.can_move(cell, move):
                    continue
                if node == ("row", start[0]) and next_push == target_push:
                    return True
                if node not in seen:
                    seen.add(node)
                    frontier.append((*node, next_push))
        return False


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"counts must be int, not {type(value).__name__}")
    if value < 0:
        raise ValueError("counts cannot be negative")
    return value


def _check_threshold(threshold: int) -> None:
    # With threshold 2, "<2" would say the cell is exactly 1.
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 3:
        raise ValueError("threshold must be an int of at least 3")
