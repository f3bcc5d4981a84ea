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

from finsam.funding import goals as goal_rules
from finsam.participants.selectors import (
    AGE,
    COUNT,
    EXIT_OCCUPATION,
    EXIT_REASON,
    EXITED,
    FLOW,
    GENDER,
    ORS,
    STARTED,
    STATUS,
    STEP,
    SURVEYED,
    THRESHOLD,
    derivable,
    publish_register_tables,
    publish_survey_tables,
    register_links,
    survey_links,
)
from finsam.participants.statistics.suppression import TOTAL, published_value, suppress_table
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
RATED, FEWER = "Minst två ORS-skattningar", "Färre än två ORS-skattningar"
SATISFIED, NO_ANSWER = "Nöjda", "Ej besvarad"
SCALE, YES_NO = ["1", "2", "3", "4", "5"], ["Ja", "Nej"]
LABELS = {
    "positive_occupations": ["Arbete", "Studier"],
    "positive_steps": ["Närmare arbete eller studier"],
    "missing": "Uppgift saknas",
    "satisfied": SATISFIED,
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
    raw = {GENDER: gender, AGE: age}
    assert (
        disclosed_by_a_reader_of_everything(raw, published, register_links(raw, ended=ENDED)) == []
    )


def test_tables_safe_one_by_one_are_solved_together():
    """One participation goes on; three ended, each to its own occupation. Alone, each table
    hides every count and none can be solved. Together: three "<5" exits make at least 3, and
    "<5" ongoing + exits = "<5" makes at most 3, so the exits are 3 and each occupation 1."""
    raw = {
        STATUS: {"A": {ONGOING: 1, ENDED: 3}},
        EXIT_OCCUPATION: {"A": {"Arbete": 1, "Studier": 1, "Sjukskriven": 1}},
    }
    links = register_links(raw, ended=ENDED)
    one_by_one = {name: suppress_table(rows) for name, rows in raw.items()}
    assert not any(table.withheld for table in one_by_one.values())
    assert disclosed_by_a_reader_of_everything(raw, one_by_one, links) != []
    published = publish_register_tables(raw, ended=ENDED)
    assert any(table.withheld for table in published.values() if table is not None)
    assert disclosed_by_a_reader_of_everything(raw, published, links) == []


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
        "ors_ratings": st.integers(min_value=0, max_value=3),
        # The exit survey of the year: answered or not, satisfied, and two own questions, the
        # first optional (None: skipped) and the second required.
        "surveyed": st.booleans(),
        "satisfied": st.booleans(),
        "scale": st.sampled_from([None, *SCALE]),
        "yes_no": st.sampled_from(YES_NO),
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
        ORS: count(
            ended,
            titles,
            [RATED, FEWER],
            by_title("title"),
            lambda p: RATED if p["ors_ratings"] >= 2 else FEWER,
        ),
    }


def raw_survey_tables(people) -> dict[object, dict[str, dict[str, int]]]:
    """As selectors.survey_tables counts them: SURVEYED and one table per own question, keyed by
    the question's pk, with the surveys that skipped it in the "no answer" column."""
    titles = ["A", "B", "C"]
    surveyed = [p for p in people if p["surveyed"]]
    return {
        SURVEYED: count(
            surveyed,
            titles,
            [SATISFIED, "Inte nöjda"],
            lambda p: p["title"],
            lambda p: SATISFIED if p["satisfied"] else "Inte nöjda",
        ),
        1: count(
            surveyed,
            titles,
            [*SCALE, NO_ANSWER],
            lambda p: p["title"],
            lambda p: p["scale"] or NO_ANSWER,
        ),
        2: count(
            surveyed, titles, [*YES_NO, NO_ANSWER], lambda p: p["title"], lambda p: p["yes_no"]
        ),
    }


def published_everything(people):
    """(raw, published, links) of both groups the statistics page publishes for a year."""
    raw = raw_tables(people)
    survey_raw = raw_survey_tables(people)
    published = {
        **publish_register_tables(raw, ended=ENDED),
        **publish_survey_tables(survey_raw),
    }
    links = [*register_links(raw, ended=ENDED), *survey_links(survey_raw)]
    return {**raw, **survey_raw}, published, links


def shown(published, name, row, column):
    table = published[name]
    return 0 if table is None else published_value(table, row, column)


def disclosed_by_a_reader_of_everything(raw, published, links) -> list[tuple]:
    """The attacker of test_suppression, who solves every published table at once.

    One integer system: each row and column of each table adds up to its total; each link says
    that its cells (in different tables) are one count; a "<5" is 1..4, a "–" at least 5, a
    printed number is itself, and a table that is not there is all zeros. So sums and
    differences of printed cells and totals across tables are all in it, and a cell is
    disclosed when the system leaves it only its true value. A withheld table prints nothing and
    adds nothing. Returns the disclosed cells.
    """
    # Above any grand total: a ceiling at or below a true total would itself tell the reader
    # the total (the largest row's sum is not enough: it once equalled a grand total).
    grand_total = max(
        (sum(sum(cells.values()) for cells in rows.values()) for rows in raw.values()), default=0
    )
    ceiling = grand_total * 2 + THRESHOLD
    domains: dict[tuple, tuple[int, int]] = {}
    truth: dict[tuple, int] = {}
    where: dict[str, tuple[list, list]] = {}
    equations = []

    def term(name, row, column) -> tuple | int | None:
        """The cell's variable, its printed value, or None when its table prints nothing."""
        table = published.get(name)
        if table is None:
            return 0
        if table.withheld:
            return None
        rows, columns = where[name]
        if row not in rows or column not in columns:
            return 0
        key = (name, rows.index(row), columns.index(column))
        return key if key in domains else published_value(table, row, column)

    def equation(parts):  # parts: (coefficient, variable or printed value); their sum is 0
        terms = [(v, c) for c, v in parts if isinstance(v, tuple)]
        constant = -sum(c * v for c, v in parts if not isinstance(v, tuple))
        if terms:
            equations.append((terms, constant))
        else:
            assert constant == 0, "printed numbers do not add up"

    for name, table in published.items():
        if table is None or table.withheld:
            continue
        where[name] = ([*table.row_labels, TOTAL], [*table.column_labels, TOTAL])
        grid, true_grid = extended_published(table), extended_truth(raw[name], table)
        for i, row in enumerate(grid):
            for j, value in enumerate(row):
                if isinstance(value, str):
                    low, high = (
                        (1, THRESHOLD - 1) if value.startswith("<") else (THRESHOLD, ceiling)
                    )
                    domains[(name, i, j)] = (low, high)
                    truth[(name, i, j)] = true_grid[i][j]
                else:
                    assert value == true_grid[i][j] and not 0 < value < THRESHOLD

        def value(i, j, name=name, grid=grid):
            return (name, i, j) if (name, i, j) in domains else grid[i][j]

        height, width = len(grid), len(grid[0])
        for i in range(height):
            equation([(1, value(i, j)) for j in range(width - 1)] + [(-1, value(i, width - 1))])
        for j in range(width):
            equation([(1, value(i, j)) for i in range(height - 1)] + [(-1, value(height - 1, j))])
    for link in links:
        cells = [term(*cell) for cell in link if cell[0] in published]
        cells = [c for c in cells if c is not None]
        for other in cells[1:]:
            equation([(1, cells[0]), (-1, other)])
    equations = Equations(equations)
    assert solve(domains, equations) is not None, "the truth is one solution"
    disclosed, other_value_seen = [], set()
    for key, (low, high) in domains.items():
        t = truth[key]
        if key in other_value_seen:
            continue
        for part in ((low, t - 1), (t + 1, high)):
            if part[0] > part[1]:
                continue
            solution = solve({**domains, key: part}, equations)
            if solution is not None:
                # Every cell this solution gives another value is not disclosed either.
                other_value_seen |= {k for k, v in solution.items() if v != truth[k]}
                break
        else:
            disclosed.append((key, t))
    return disclosed


def solve(domains, equations, touched=None) -> dict | None:
    """One integer solution within the domains, or None: bounds propagation from the equations
    of the `touched` variables (all at first), then splitting."""
    if not isinstance(equations, Equations):
        equations = Equations(equations)
    domains = dict(domains)
    pending = set(range(len(equations.items))) if touched is None else set()
    for variable in touched or ():
        pending |= equations.of[variable]
    while pending:
        terms, constant = equations.items[pending.pop()]
        for variable, c in terms:
            others = [(v, k) for v, k in terms if v != variable]
            low_sum = sum(min(k * domains[v][0], k * domains[v][1]) for v, k in others)
            high_sum = sum(max(k * domains[v][0], k * domains[v][1]) for v, k in others)
            # c * x == constant - (the others), the others in [low_sum, high_sum]
            a, b = c * (constant - high_sum), c * (constant - low_sum)
            low = max(domains[variable][0], min(a, b))
            high = min(domains[variable][1], max(a, b))
            if low > high:
                return None
            if (low, high) != domains[variable]:
                domains[variable] = (low, high)
                pending |= equations.of[variable]
    open_variables = [v for v, (low, high) in domains.items() if low < high]
    if not open_variables:
        return {v: low for v, (low, _high) in domains.items()}
    variable = min(open_variables, key=lambda v: domains[v][1] - domains[v][0])
    low, high = domains[variable]
    middle = (low + high) // 2
    for part in ((low, middle), (middle + 1, high)):
        solution = solve({**domains, variable: part}, equations, [variable])
        if solution is not None:
            return solution
    return None


class Equations:
    def __init__(self, items):
        self.items = items
        self.of: dict = {}
        for e, (terms, _constant) in enumerate(items):
            for v, _c in terms:
                self.of.setdefault(v, set()).add(e)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers)
def test_no_count_hidden_in_one_published_table_can_be_read_from_another(people):
    raw, published, links = published_everything(people)
    # Every shared count is shown the same way wherever it appears: printed everywhere or
    # hidden everywhere, so there is nothing to subtract across tables. (A withheld table
    # prints nothing at all.)
    printing = {name for name, table in published.items() if table is None or not table.withheld}
    for link in links:
        values = {
            "hidden" if isinstance(value, str) else value
            for value in (shown(published, *cell) for cell in link if cell[0] in printing)
        }
        assert len(values) <= 1, (link, values)
    # No printed number is a count of 1–4 persons, printed numbers are the true ones, and the
    # reader who solves all tables at once (sums and differences of printed cells and totals,
    # across tables) cannot pin a hidden cell.
    assert disclosed_by_a_reader_of_everything(raw, published, links) == []


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers)
def test_goal_values_are_published_only_when_the_tables_already_give_them(people):
    _raw, published, _links = published_everything(people)
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
        surveys = [p for p in mine if p["surveyed"]]
        if derivable(published, goal_rules.SATISFIED, title, LABELS):
            # The share satisfied follows from SURVEYED's printed cells, whose row total is
            # also every question table's: publishing the share tells nothing new.
            assert shown(published, SURVEYED, title, TOTAL) == len(surveys)
            assert shown(published, SURVEYED, title, SATISFIED) == sum(
                p["satisfied"] for p in surveys
            )
            for question in (1, 2):
                assert shown(published, question, title, TOTAL) == len(surveys)
        else:
            assert (
                any(
                    isinstance(shown(published, SURVEYED, title, c), str)
                    for c in (TOTAL, SATISFIED)
                )
                or published[SURVEYED].withheld
            )


def test_exits_without_two_ors_ratings_are_not_a_difference_of_printed_counts():
    """Seven exits, five with two ORS ratings: printing both would tell that two participations
    ended with fewer than two ratings."""
    people = [{"title": "A", "ended": True, "ors_ratings": 2 if n < 5 else 0} for n in range(7)] + [
        {"title": "B", "ended": True, "ors_ratings": 3} for _n in range(12)
    ]
    raw = {
        EXITED: count(people, ["A", "B"], [COUNT], lambda p: p["title"], lambda p: COUNT),
        ORS: count(
            people,
            ["A", "B"],
            [RATED, FEWER],
            lambda p: p["title"],
            lambda p: RATED if p["ors_ratings"] >= 2 else FEWER,
        ),
    }
    published = publish_register_tables(raw, ended=ENDED)
    # The exits are printed; the ORS count is hidden beside its "<5" complement, and 7 = "–" +
    # "<5" leaves it 5 or 6.
    assert published[EXITED].row_totals["A"] == published[ORS].row_totals["A"] == 7
    assert published[ORS].cells["A"] == {RATED: "–", FEWER: "<5"}
    assert (
        disclosed_by_a_reader_of_everything(raw, published, register_links(raw, ended=ENDED)) == []
    )


@pytest.mark.django_db
def test_the_summary_csv_prints_what_the_statistics_page_prints(association):
    from finsam.organisation.models import Role
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
