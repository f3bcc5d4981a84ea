"""Small-cell suppression: published tables never reveal a count below the threshold.

The brute-force check below is independent of the implementation's own audit: it plays the
attacker, who knows every published number, that "<5" means 1–4 and that "–" means at least 5
(the code is open), and looks for a second table that fits all of it but differs in the hidden
cell. If there is none, the cell has been disclosed.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.participants.statistics.suppression import (
    SECONDARY_MARKER,
    SuppressedTable,
    suppress_series,
    suppress_table,
    suppression_note,
    withheld_note,
)

Grid = list[list[int | str]]

# --- The attacker -------------------------------------------------------------------------------


def extended_truth(rows: dict[str, dict[str, int]], table: SuppressedTable) -> list[list[int]]:
    grid = [[rows[r].get(c, 0) for c in table.column_labels] for r in table.row_labels]
    grid = [[*row, sum(row)] for row in grid]
    column_totals = [sum(row[j] for row in grid) for j in range(len(table.column_labels) + 1)]
    return [*grid, column_totals]


def extended_published(table: SuppressedTable) -> Grid:
    grid: Grid = [
        [*(table.cells[r][c] for c in table.column_labels), table.row_totals[r]]
        for r in table.row_labels
    ]
    grid.append([*(table.column_totals[c] for c in table.column_labels), table.grand_total])
    return grid


def lines(height: int, width: int) -> list[list[tuple[int, int]]]:
    """Each row and column of the extended grid; the last cell is the total of the others."""
    return [[(i, j) for j in range(width)] for i in range(height)] + [
        [(i, j) for i in range(height)] for j in range(width)
    ]


def other_values_possible(
    published: Grid,
    threshold: int,
    cell: tuple[int, int],
    true_value: int,
    ceiling: int,
    equations_from: list[list[tuple[int, int]]] | None = None,
) -> bool:
    """Is there a table that matches everything published and has another value in `cell`?"""
    height, width = len(published), len(published[0])
    if equations_from is None:
        equations_from = lines(height, width)
    primary = f"<{threshold}"
    domains: dict[tuple[int, int], tuple[int, int]] = {}
    for i in range(height):
        for j in range(width):
            value = published[i][j]
            if value == primary:
                domains[(i, j)] = (1, threshold - 1)
            elif value == SECONDARY_MARKER:
                domains[(i, j)] = (threshold, ceiling)
    equations = []  # sum(coefficient * x) == constant, over hidden cells only
    for line in equations_from:
        terms, constant = [], 0
        for position, (i, j) in enumerate(line):
            coefficient = -1 if position == len(line) - 1 else 1
            if (i, j) in domains:
                terms.append(((i, j), coefficient))
            else:
                constant -= coefficient * int(published[i][j])
        if terms:
            equations.append((terms, constant))
        elif constant != 0:
            raise AssertionError("published numbers do not add up")
    low, high = domains[cell]
    return any(
        _feasible({**domains, cell: part}, equations)
        for part in ((low, true_value - 1), (true_value + 1, high))
        if part[0] <= part[1]
    )


def _feasible(domains, equations) -> bool:
    """Bounds propagation plus splitting: a tiny exact integer solver."""
    domains = dict(domains)
    changed = True
    while changed:
        changed = False
        for terms, constant in equations:
            for variable, coefficient in terms:
                rest_low = sum(
                    min(c * domains[v][0], c * domains[v][1]) for v, c in terms if v != variable
                )
                rest_high = sum(
                    max(c * domains[v][0], c * domains[v][1]) for v, c in terms if v != variable
                )
                # coefficient * x == constant - rest, so x lies in:
                bounds = sorted(
                    (coefficient * (constant - rest_high), coefficient * (constant - rest_low))
                )
                low = max(domains[variable][0], bounds[0])
                high = min(domains[variable][1], bounds[1])
                if low > high:
                    return False
                if (low, high) != domains[variable]:
                    domains[variable] = (low, high)
                    changed = True
    open_variables = [v for v, (low, high) in domains.items() if low < high]
    if not open_variables:
        return True
    variable = min(open_variables, key=lambda v: domains[v][1] - domains[v][0])
    low, high = domains[variable]
    middle = (low + high) // 2
    return _feasible({**domains, variable: (low, middle)}, equations) or _feasible(
        {**domains, variable: (middle + 1, high)}, equations
    )


def disclosed_cells(rows, table: SuppressedTable) -> list[tuple[int, int]]:
    if table.withheld:
        return []  # no number is published
    truth = extended_truth(rows, table)
    published = extended_published(table)
    ceiling = truth[-1][-1] + table.threshold
    return [
        (i, j)
        for i, row in enumerate(published)
        for j, value in enumerate(row)
        if isinstance(value, str)
        and not other_values_possible(published, table.threshold, (i, j), truth[i][j], ceiling)
    ]


def test_the_attacker_finds_a_cell_that_line_counting_alone_would_publish():
    # "<5", "–", total 6: two hidden cells in the row, yet the "–" is at least 5, so "<5" is 1.
    naive = SuppressedTable(
        row_labels=("a", "b"),
        column_labels=("x", "y"),
        cells={"a": {"x": "<5", "y": "–"}, "b": {"x": "–", "y": "–"}},
        row_totals={"a": 6, "b": 20},
        column_totals={"x": 11, "y": 15},
        grand_total=26,
        threshold=5,
    )
    rows = {"a": {"x": 1, "y": 5}, "b": {"x": 10, "y": 10}}
    assert (0, 0) in disclosed_cells(rows, naive)
    # …and the real function does not leave it disclosed.
    assert disclosed_cells(rows, suppress_table(rows)) == []


def test_the_attacker_sees_through_two_ones_with_a_total_of_two():
    naive = SuppressedTable(
        row_labels=("a",),
        column_labels=("x", "y", "z"),
        cells={"a": {"x": "<5", "y": "<5", "z": 20}},
        row_totals={"a": 22},
        column_totals={"x": "<5", "y": "<5", "z": 20},
        grand_total=22,
        threshold=5,
    )
    rows = {"a": {"x": 1, "y": 1, "z": 20}}
    assert disclosed_cells(rows, naive) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert disclosed_cells(rows, suppress_table(rows)) == []


# --- Examples -----------------------------------------------------------------------------------


def test_small_counts_are_shown_as_less_than_five_and_a_complement_is_hidden():
    rows = {
        "Kvinnor": {"16–29": 3, "30–49": 14, "50–": 9},
        "Män": {"16–29": 8, "30–49": 12, "50–": 11},
    }
    table = suppress_table(rows)
    assert table.cells["Kvinnor"]["16–29"] == "<5"
    # Column 16–29 would give 11 - 8 = 3: its other cell is hidden as well.
    assert table.cells["Män"]["16–29"] == SECONDARY_MARKER
    assert table.column_totals["16–29"] == 11
    assert table.grand_total == 57
    assert disclosed_cells(rows, table) == []


def test_zero_is_published_and_large_counts_stay():
    table = suppress_table({"a": {"x": 0, "y": 12}, "b": {"x": 7, "y": 30}})
    assert table.as_rows() == [
        ["", "x", "y", "Totalt"],
        ["a", 0, 12, 12],
        ["b", 7, 30, 37],
        ["Totalt", 7, 42, 49],
    ]


def test_a_total_below_five_is_suppressed_too():
    table = suppress_table({"a": {"x": 2, "y": 1}, "b": {"x": 20, "y": 30}})
    assert table.row_totals["a"] == "<5"
    assert table.cells["a"] == {"x": "<5", "y": "<5"}
    assert disclosed_cells({"a": {"x": 2, "y": 1}, "b": {"x": 20, "y": 30}}, table) == []


def test_a_tiny_table_is_hidden_entirely():
    rows = {"a": {"x": 1, "y": 5}}
    table = suppress_table(rows)
    assert table.as_rows()[1:] == [["a", "<5", "–", "–"], ["Totalt", "<5", "–", "–"]]


def test_missing_columns_count_as_zero_and_keep_first_appearance_order():
    table = suppress_table({"a": {"y": 10}, "b": {"x": 6, "y": 7}})
    assert table.column_labels == ("y", "x")
    assert table.cells["a"]["x"] == 0


def test_empty_tables():
    assert suppress_table({}).grand_total == 0
    assert suppress_table({"a": {}}).row_totals == {"a": 0}


def test_threshold_is_a_parameter():
    table = suppress_table({"a": {"x": 7, "y": 40}, "b": {"x": 30, "y": 50}}, threshold=10)
    assert table.cells["a"]["x"] == "<10"
    assert "<10" in suppression_note(10)


def test_note_explains_both_markers():
    note = suppression_note()
    assert "<5" in note and SECONDARY_MARKER in note


@pytest.mark.parametrize(
    ("rows", "threshold", "error"),
    [
        ({"a": {"x": -1}}, 5, ValueError),
        ({"a": {"x": 1.0}}, 5, TypeError),
        ({"a": {"x": True}}, 5, TypeError),
        ({"a": {"x": 1}}, 2, ValueError),
    ],
)
def test_bad_input_is_refused(rows, threshold, error):
    with pytest.raises(error):
        suppress_table(rows, threshold=threshold)


def test_series_hides_a_second_cell_so_the_total_does_not_reveal_the_first():
    series = suppress_series({"16–29": 3, "30–49": 14, "50–": 9})
    assert series.cells == {"16–29": "<5", "30–49": 14, "50–": SECONDARY_MARKER}
    assert series.total == 26


def test_a_table_that_the_markers_alone_would_give_away_is_withheld():
    # Four "<5" cells and a "<5" total can only be 1 + 1 + 1 + 1 = 4.
    series = suppress_series({"a": 1, "b": 1, "c": 1, "d": 1})
    assert series.withheld
    assert series.total == SECONDARY_MARKER
    table = suppress_table({"r": {"x": 1, "y": 1}}, threshold=3)
    assert table.withheld
    assert {value for row in table.as_rows()[1:] for value in row[1:]} == {SECONDARY_MARKER}
    assert "visas inte" in withheld_note()


def test_series_without_small_counts_is_untouched():
    assert suppress_series({"a": 0, "b": 5}).cells == {"a": 0, "b": 5}


# --- Properties ---------------------------------------------------------------------------------

counts = st.one_of(st.integers(0, 6), st.integers(0, 25))
labels = st.sampled_from(["a", "b", "c", "d"])


@st.composite
def tables(draw) -> dict[str, dict[str, int]]:
    row_count = draw(st.integers(1, 3))
    column_count = draw(st.integers(1, 4))
    return {f"r{i}": {f"c{j}": draw(counts) for j in range(column_count)} for i in range(row_count)}


def check_published_values(rows, table: SuppressedTable) -> None:
    truth = extended_truth(rows, table)
    threshold = table.threshold
    if table.withheld:
        assert all(value == SECONDARY_MARKER for row in extended_published(table) for value in row)
        assert any(0 < value < threshold for row in truth for value in row)
        return
    for i, row in enumerate(extended_published(table)):
        for j, value in enumerate(row):
            true_value = truth[i][j]
            if isinstance(value, int):
                assert value == true_value
                assert not 0 < value < threshold
            elif value == f"<{threshold}":
                assert 0 < true_value < threshold
            else:
                assert value == SECONDARY_MARKER
                assert true_value >= threshold  # so "–" never hides a zero or a small count


def hidden_per_line(table: SuppressedTable) -> list[int]:
    published = extended_published(table)
    height, width = len(published), len(published[0])
    return [sum(isinstance(published[i][j], str) for i, j in line) for line in lines(height, width)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_no_published_number_reveals_a_small_count(rows):
    table = suppress_table(rows)
    # (a) Nothing between 1 and 4 is published, and published numbers are the true ones.
    check_published_values(rows, table)
    # (b) No row or column (totals included) has exactly one hidden cell.
    assert all(count == 0 or count >= 2 for count in hidden_per_line(table))
    # (c) Brute force: every hidden cell has at least two values consistent with what is shown.
    assert disclosed_cells(rows, table) == []


@settings(max_examples=100, deadline=None)
@given(tables(), st.integers(3, 8))
def test_other_thresholds_hold_too(rows, threshold):
    table = suppress_table(rows, threshold=threshold)
    check_published_values(rows, table)
    assert disclosed_cells(rows, table) == []


@settings(max_examples=200, deadline=None)
@given(st.dictionaries(labels, counts, max_size=4))
def test_series_never_reveal_a_small_count(values):
    series = suppress_series(values)
    if series.withheld:
        assert all(value == SECONDARY_MARKER for value in [*series.cells.values(), series.total])
        return
    true_row = [*values.values(), sum(values.values())]
    published_row = [*(series.cells[label] for label in values), series.total]
    for value, true_value in zip(published_row, true_row, strict=True):
        if isinstance(value, int):
            assert value == true_value and not 0 < value < 5
    # A series publishes one equation: its cells add up to its total.
    only_the_row = [[(0, j) for j in range(len(true_row))]]
    for j, value in enumerate(published_row):
        if isinstance(value, str):
            assert other_values_possible(
                [published_row], 5, (0, j), true_row[j], true_row[-1] + 5, only_the_row
            )
