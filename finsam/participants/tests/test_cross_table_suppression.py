"""Suppression across the tables that leave the register together.

The statistics page and the per-intervention summary CSV publish several tables for a year that
share counts: the starts per intervention are the row totals by gender and by age and the CSV's
"startade"; the exits per intervention are the status table's ended column, the row totals by
exit reason, occupation and step, and the CSV's "avslutade"; the exits per occupation after exit
are column totals of two tables. Suppressed one table at a time, one table could hide such a
count while another printed it, and the reader subtracts (first test). The property below plays
that reader over the whole published set.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.participants import goals as goal_rules
from finsam.participants.selectors import (
    AGE,
    COUNT,
    EXIT_OCCUPATION,
    EXIT_REASON,
    EXITED,
    FLOW,
    GENDER,
    STARTED,
    STATUS,
    STEP,
    derivable,
    publish_register_tables,
    register_links,
)
from finsam.participants.suppression import TOTAL, published_value, suppress_table
from finsam.participants.tests.test_suppression import (
    extended_published,
    extended_truth,
    other_values_possible,
)

ENDED, ONGOING = "Avslutade under året", "Pågående vid årets slut"
GENDERS = ["Kvinnor", "Män"]
AGES = ["16–19", "20–24", "25–29", "30–49", "50–64"]
REASONS = ["Planerat avslut", "Avbrott", "Uppgift saknas"]
OCCUPATIONS = ["Arbete", "Studier", "Sjukskriven", "Uppgift saknas"]
STEPS = ["Ingen förflyttning", "Närmare arbete eller studier", "Uppgift saknas"]
LABELS = {
    "positive_occupations": ["Arbete", "Studier"],
    "positive_steps": ["Närmare arbete eller studier"],
    "missing": "Uppgift saknas",
}


def test_tables_suppressed_one_by_one_let_the_reader_subtract_across_them():
    gender = {"A": {"Kvinnor": 1, "Män": 6}, "B": {"Kvinnor": 12, "Män": 15}}
    age = {"A": {"16–19": 1, "20–24": 5, "25–29": 1}, "B": {"16–19": 11, "20–24": 8, "25–29": 8}}
    by_gender, by_age = suppress_table(gender), suppress_table(age)
    # Alone, each table is safe; but "by gender" prints A's 7 starts, which "by age" hides.
    assert by_gender.row_totals["A"] == 7 and by_age.row_totals["A"] == "–"
    grid = extended_published(by_age)
    grid[0][-1] = 7  # the reader copies the total across: 1..4 + ≥5 + 1..4 = 7
    truth = extended_truth(age, by_age)
    assert not other_values_possible(grid, 5, (0, 0), truth[0][0], 60)  # so 16–19 is 1

    published = publish_register_tables({GENDER: gender, AGE: age}, ended=ENDED)
    assert published[GENDER].row_totals["A"] == published[AGE].row_totals["A"]
    assert disclosed_by_a_reader_of_everything({GENDER: gender, AGE: age}, published) == []


# --- a register, as the statistics selector counts it ---------------------------------------------

person = st.fixed_dictionaries(
    {
        "title": st.sampled_from(["A", "B", "C"]),
        "started": st.booleans(),
        "ended": st.booleans(),
        "gender": st.sampled_from(GENDERS),
        "age": st.sampled_from(AGES[:3]),
        "reason": st.sampled_from(REASONS),
        "entry": st.sampled_from(OCCUPATIONS[1:]),
        "exit": st.sampled_from(OCCUPATIONS),
        "step": st.sampled_from(STEPS),
    }
)
# Mostly a few people per intervention, sometimes a crowd: small counts are what matters.
registers = st.lists(person, min_size=1, max_size=30)


def count(people, rows, columns, row_of, column_of) -> dict[str, dict[str, int]]:
    data = {row: dict.fromkeys(columns, 0) for row in rows}
    for p in people:
        data[row_of(p)][column_of(p)] += 1
    return {row: cells for row, cells in data.items() if any(cells.values())}


def raw_tables(people) -> dict[str, dict[str, dict[str, int]]]:
    titles = ["A", "B", "C"]
    started = [p for p in people if p["started"]]
    ended = [p for p in people if p["ended"]]

    def by_title(column):
        return lambda p: p[column]

    return {
        STATUS: count(
            people,
            titles,
            [ONGOING, ENDED],
            by_title("title"),
            lambda p: ENDED if p["ended"] else ONGOING,
        ),
        GENDER: count(started, titles, GENDERS, by_title("title"), by_title("gender")),
        AGE: count(started, titles, AGES, by_title("title"), by_title("age")),
        EXIT_REASON: count(ended, titles, REASONS, by_title("title"), by_title("reason")),
        EXIT_OCCUPATION: count(ended, titles, OCCUPATIONS, by_title("title"), by_title("exit")),
        STEP: count(ended, titles, STEPS, by_title("title"), by_title("step")),
        FLOW: count(ended, OCCUPATIONS, OCCUPATIONS, by_title("entry"), by_title("exit")),
        STARTED: count(started, titles, [COUNT], by_title("title"), lambda p: COUNT),
        EXITED: count(ended, titles, [COUNT], by_title("title"), lambda p: COUNT),
    }


def shown(published, name, row, column):
    table = published[name]
    return 0 if table is None else published_value(table, row, column)


def disclosed_by_a_reader_of_everything(raw, published) -> list[tuple[str, int, int]]:
    """The attacker of test_suppression, who also copies into each table every count that
    another table prints for the same cell, before solving."""
    links = register_links(raw, ended=ENDED)
    known: dict[tuple, int] = {}
    for link in links:
        values = [shown(published, *cell) for cell in link if cell[0] in published]
        printed = [v for v in values if isinstance(v, int)]
        for cell in link:
            if printed:
                known[cell] = printed[0]
    found = []
    for name, table in published.items():
        if table is None or table.withheld:
            continue
        grid = extended_published(table)
        truth = extended_truth(raw[name], table)
        rows = [*table.row_labels, TOTAL]
        columns = [*table.column_labels, TOTAL]
        for i, row in enumerate(rows):
            for j, column in enumerate(columns):
                if isinstance(grid[i][j], str) and (name, row, column) in known:
                    grid[i][j] = known[(name, row, column)]
        for i, row_values in enumerate(grid):
            for j, value in enumerate(row_values):
                if isinstance(value, str) and not other_values_possible(
                    grid, 5, (i, j), truth[i][j], truth[-1][-1] + 5
                ):
                    found.append((name, i, j))
    return found


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers)
def test_no_count_hidden_in_one_published_table_can_be_read_from_another(people):
    raw = raw_tables(people)
    published = publish_register_tables(raw, ended=ENDED)
    # Every shared count is shown the same way wherever it appears: printed everywhere or
    # hidden everywhere, so there is nothing to subtract across tables. (A withheld table
    # prints nothing at all.)
    printing = {name for name, table in published.items() if table is None or not table.withheld}
    for link in register_links(raw, ended=ENDED):
        values = {
            "hidden" if isinstance(value, str) else value
            for value in (shown(published, *cell) for cell in link if cell[0] in printing)
        }
        assert len(values) <= 1, (link, values)
    # No printed number is a count of 1–4 persons, and printed numbers are the true ones.
    for name, table in published.items():
        if table is None or table.withheld:
            continue
        truth = extended_truth(raw[name], table)
        for i, row_values in enumerate(extended_published(table)):
            for j, value in enumerate(row_values):
                if isinstance(value, int):
                    assert value == truth[i][j] and not 0 < value < 5
    # The reader who copies counts across tables and solves still cannot pin a hidden cell.
    assert disclosed_by_a_reader_of_everything(raw, published) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers)
def test_goal_values_are_published_only_when_the_tables_already_give_them(people):
    raw = raw_tables(people)
    published = publish_register_tables(raw, ended=ENDED)
    for title in ("A", "B", "C"):
        mine = [p for p in people if p["title"] == title]
        started = sum(p["started"] for p in mine)
        if derivable(published, goal_rules.PARTICIPANTS, title, LABELS):
            assert shown(published, STARTED, title, COUNT) == started
        ended = [p for p in mine if p["ended"]]
        if derivable(published, goal_rules.WORK_OR_STUDIES, title, LABELS):
            to_work = sum(
                shown(published, EXIT_OCCUPATION, title, c) for c in ("Arbete", "Studier")
            )
            assert to_work == sum(p["exit"] in ("Arbete", "Studier") for p in ended)
            assert shown(published, EXIT_OCCUPATION, title, TOTAL) == len(ended)
        if derivable(published, goal_rules.STEP_PROGRESS, title, LABELS):
            known = shown(published, STEP, title, TOTAL) - shown(
                published, STEP, title, "Uppgift saknas"
            )
            assert known == sum(p["step"] != "Uppgift saknas" for p in ended)


@pytest.mark.django_db
def test_the_summary_csv_prints_what_the_statistics_page_prints(association):
    from finsam.accounts.models import Role
    from finsam.organisation.tests.factories import user_with_role
    from finsam.participants import selectors
    from finsam.participants.tests import factories as pf

    office = user_with_role(association, Role.OFFICE)
    big = pf.staffed_intervention(association, title="Stor")
    small = pf.staffed_intervention(association, title="Liten")
    for n in range(7):
        pf.register(association, big, number=pf.identity_number(serial=f"{300 + n}"))
    for n in range(2):
        pf.register(association, small, number=pf.identity_number(serial=f"{400 + n}"))
    year = pf.month_start().year
    stats = selectors.statistics(user=office, association=association, year=year)
    by_gender = next(t for h, _c, t in stats.tables if "kön" in h)
    rows = {
        r[1]: r
        for r in selectors.intervention_summary_rows(
            user=office, association=association, year=year
        )
    }
    assert rows["Liten"][2] == by_gender.row_totals["Liten"] == "<5"
    # The CSV hides the larger intervention's starts exactly when the page does.
    assert rows["Stor"][2] == by_gender.row_totals["Stor"]
