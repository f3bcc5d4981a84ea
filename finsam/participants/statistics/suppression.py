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

3. Tables published together (`suppress_linked`): a count that several tables share is hidden in
   all of them or in none, and the tables are then audited as one system of equations, since a
   count hidden in two tables can have two possible values in each and only one in both. A cell
   pinned that way gets one more published neighbour hidden, or its table withheld.
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
        "%(marker)s = fewer than %(threshold)s people. %(dash)s = hidden so that small groups "
        "cannot be worked out from the totals."
    ) % {"marker": primary_marker(threshold), "threshold": threshold, "dash": SECONDARY_MARKER}


def withheld_note() -> str:
    """Shown instead of a table that cannot be published at all."""
    return _(
        "The table is not shown: it is based on so few people that individuals could be identified."
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
        total = _("Total") if total_label is None else total_label
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

    Then the joint audit (`_JointAudit`): each table alone is safe, but a count hidden in two
    tables may have two possible values in each and only one in both ("<5" + "<5" + "<5" in one
    table says at least 3, "<5" + "<5" in another at most 3). When the tables solved together
    pin a hidden cell, one more published cell next to it is hidden — or, when there is none,
    its table is withheld — and everything is suppressed again.
    """
    links = [list(link) for link in links]
    hide: dict[str, set[tuple[object, object]]] = {name: set() for name in tables}
    withhold: set[str] = set()
    while True:
        result = {
            name: _withheld_table(rows, threshold)
            if name in withhold
            else suppress_table(rows, threshold=threshold, hide=hide[name])
            for name, rows in tables.items()
        }
        changed = False
        for link in links:
            if any(_hidden(result, cell) for cell in link):
                for name, row, column in link:
                    if name in hide and (row, column) not in hide[name]:
                        hide[name].add((row, column))
                        changed = True
        if changed:
            continue
        remedy = _JointAudit(tables, result, links, threshold).remedy()
        if remedy is None:
            return result
        name, cell = remedy
        if cell is None:
            withhold.add(name)
        else:
            hide[name].add(cell)


def _withheld_table(rows: Mapping[str, Mapping[str, int]], threshold: int) -> SuppressedTable:
    table = suppress_table(rows, threshold=threshold)
    return SuppressedTable(
        row_labels=table.row_labels,
        column_labels=table.column_labels,
        cells={row: dict.fromkeys(table.column_labels, SECONDARY_MARKER) for row in table.cells},
        row_totals=dict.fromkeys(table.row_labels, SECONDARY_MARKER),
        column_totals=dict.fromkeys(table.column_labels, SECONDARY_MARKER),
        grand_total=SECONDARY_MARKER,
        threshold=threshold,
        withheld=True,
    )


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


# --- The joint audit of linked tables ------------------------------------------------------------

Variable = tuple[str, int, int]  # (table name, i, j) in the table's extended grid
Equation = tuple[list[tuple[int, int]], int]  # sum(coefficient * x[variable]) == constant


class _JointAudit:
    """Every published table of a group as one system of integer equations, solved exactly.

    Variables are the hidden cells ("<5": 1..threshold-1, "–": threshold..ceiling); each row and
    column of each table adds up to its total; each link says its cells are one count. A hidden
    cell is safe when some solution gives it another value than the true one. The ceiling is far
    above every true count, so a solution under it is a solution for a reader who has none.

    Only the parts of the system that reach over more than one table are solved here: hidden
    cells connected through equations within one table only are the single-table audit's, which
    is exact for them. The search is bounds propagation plus splitting; if it runs out of its
    budget the cell counts as pinned (the safe side).
    """

    BUDGET = 20_000  # search nodes per question

    def __init__(self, tables, result, links, threshold: int):
        self.threshold = threshold
        self.names: list[str] = []
        self.keys: list[Variable] = []
        self.truth: list[int] = []
        self.low: list[int] = []
        self.high: list[int] = []
        self.grids: dict[str, list[list[int]]] = {}
        self.published: dict[str, list[list[Published]]] = {}
        self.labels: dict[str, tuple[list[object], list[object]]] = {}
        self.equations: list[Equation] = []
        index: dict[Variable, int] = {}
        largest = 0
        for name, table in result.items():
            if table.withheld:
                continue
            rows = tables[name]
            grid = _extend_with_totals(
                [[rows[r].get(c, 0) for c in table.column_labels] for r in table.row_labels]
            )
            self.grids[name] = grid
            self.labels[name] = ([*table.row_labels, TOTAL], [*table.column_labels, TOTAL])
            shown = [
                [published_value(table, r, c) for c in self.labels[name][1]]
                for r in self.labels[name][0]
            ]
            self.published[name] = shown
            largest = max(largest, grid[-1][-1])
            for i, row in enumerate(shown):
                for j, value in enumerate(row):
                    if isinstance(value, str):
                        index[(name, i, j)] = len(self.keys)
                        self.keys.append((name, i, j))
                        self.truth.append(grid[i][j])
                        primary = value != SECONDARY_MARKER
                        self.low.append(1 if primary else threshold)
                        self.high.append(threshold - 1 if primary else None)
        ceiling = 2 * largest + threshold
        self.high = [ceiling if h is None else h for h in self.high]
        self.index = index

        def add(parts: list[tuple[int, Variable | int]]) -> None:
            terms = [(index[v], c) for c, v in parts if not isinstance(v, int)]
            constant = -sum(c * v for c, v in parts if isinstance(v, int))
            if terms:
                self.equations.append((terms, constant))

        for name, grid in self.grids.items():
            for line in _lines(grid):
                *cells, total = line
                add(
                    [(1, self._term(name, cell)) for cell in cells]
                    + [(-1, self._term(name, total))]
                )
        for link in links:
            terms = [self._link_term(cell) for cell in link]
            terms = [t for t in terms if t is not None]
            for other in terms[1:]:
                add([(1, terms[0]), (-1, other)])
        self.by_variable: list[list[int]] = [[] for _ in self.keys]
        for e, (terms, _constant) in enumerate(self.equations):
            for v, _c in terms:
                self.by_variable[v].append(e)

    def _term(self, name: str, cell: Position) -> Variable | int:
        key = (name, *cell)
        return key if key in self.index else self.grids[name][cell[0]][cell[1]]

    def _link_term(self, cell: Cell) -> Variable | int | None:
        name, row, column = cell
        if name not in self.grids:
            return None  # withheld, or not in the group
        rows, columns = self.labels[name]
        if row not in rows or column not in columns:
            return 0
        return self._term(name, (rows.index(row), columns.index(column)))

    def remedy(self) -> tuple[str, tuple[object, object] | None] | None:
        """None when no hidden cell is pinned; else (table, cell to hide) or (table, None) to
        withhold the table."""
        for component in self._components():
            if len({self.keys[v][0] for v in component}) < 2:
                continue
            pinned = self._pinned(component)
            if pinned is not None:
                return self._protect(component, pinned)
        return None

    def _components(self) -> list[list[int]]:
        parent = list(range(len(self.keys)))

        def find(v: int) -> int:
            while parent[v] != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for terms, _constant in self.equations:
            first = find(terms[0][0])
            for v, _c in terms[1:]:
                parent[find(v)] = first
        groups: dict[int, list[int]] = {}
        for v in range(len(self.keys)):
            groups.setdefault(find(v), []).append(v)
        return list(groups.values())

    def _pinned(self, component: list[int]) -> int | None:
        root = {u: (self.low[u], self.high[u]) for u in component}
        self._propagate(root, component)  # the truth is a solution: never empty
        certified: set[int] = set()
        for v in component:
            if v in certified:
                continue
            t = self.truth[v]
            for low, high in ((root[v][0], t - 1), (t + 1, root[v][1])):
                if low > high:
                    continue
                solution = self._solve({**root, v: (low, high)}, v, [self.BUDGET])
                if solution is not None:
                    certified |= {u for u, value in solution.items() if value != self.truth[u]}
                    break
            else:
                return v
        return None

    def _solve(self, domains: dict[int, tuple[int, int]], changed: int, budget: list[int]):
        budget[0] -= 1
        if budget[0] < 0 or not self._propagate(domains, [changed]):
            return None
        open_variables = [v for v, (low, high) in domains.items() if low < high]
        if not open_variables:
            return {v: low for v, (low, _high) in domains.items()}
        v = min(open_variables, key=lambda u: (domains[u][1] - domains[u][0], u))
        low, high = domains[v]
        # A solution away from the truth in many cells shows at once that all of them have
        # another possible value: try the values beside the true one first.
        t = min(max(self.truth[v], low), high)
        for part in ((t + 1, high), (low, t - 1), (t, t)):
            if part[0] > part[1]:
                continue
            solution = self._solve({**domains, v: part}, v, budget)
            if solution is not None:
                return solution
        return None

    def _propagate(self, domains: dict[int, tuple[int, int]], changed) -> bool:
        """Narrow `domains` in place from the equations of the `changed` variables on; False
        when some domain becomes empty."""
        pending = {e for v in changed for e in self.by_variable[v]}
        equations, by_variable = self.equations, self.by_variable
        while pending:
            terms, constant = equations[pending.pop()]
            # Coefficients are +1 or -1: c * x lies in [low, high] of x, or in [-high, -low].
            lows, highs = [], []
            for v, c in terms:
                low, high = domains[v]
                if c > 0:
                    lows.append(low)
                    highs.append(high)
                else:
                    lows.append(-high)
                    highs.append(-low)
            sum_low, sum_high = sum(lows), sum(highs)
            for k, (v, c) in enumerate(terms):
                # c * x == constant - rest, the rest lying in [rest_low, rest_high]
                least = constant - (sum_high - highs[k])
                most = constant - (sum_low - lows[k])
                if c < 0:
                    least, most = -most, -least
                low, high = domains[v]
                new_low, new_high = max(low, least), min(high, most)
                if new_low > new_high:
                    return False
                if new_low != low or new_high != high:
                    domains[v] = (new_low, new_high)
                    pending.update(by_variable[v])
        return True

    def _protect(self, component: list[int], pinned: int) -> tuple[str, object]:
        """Hide the smallest published non-zero cell on a line through the component's hidden
        cells (a total last); when there is none, withhold the pinned cell's table."""
        lines = {(self.keys[v][0], "row", self.keys[v][1]) for v in component}
        lines |= {(self.keys[v][0], "column", self.keys[v][2]) for v in component}
        candidates = []
        for name, grid in self.grids.items():
            last_row, last_column = len(grid) - 1, len(grid[0]) - 1
            for i, row in enumerate(grid):
                for j, value in enumerate(row):
                    on_line = (name, "row", i) in lines or (name, "column", j) in lines
                    if on_line and value > 0 and (name, i, j) not in self.index:
                        is_total = i == last_row or j == last_column
                        candidates.append((value, is_total, str(name), i, j, name))
        if not candidates:
            return self.keys[pinned][0], None
        _value, _total, _key, i, j, name = min(candidates)
        rows, columns = self.labels[name]
        return name, (rows[i], columns[j])


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
