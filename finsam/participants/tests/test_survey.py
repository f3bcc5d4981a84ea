"""The association's own exit-survey questions: managing them, answering them, the registerutdrag,
erasure and the suppressed statistics (counted and averaged in the database)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import selectors, services
from finsam.participants.models import ExitSurvey, SurveyAnswer, SurveyQuestion
from finsam.participants.statistics.suppression import suppress_table
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


def scale(association, text="Jag har blivit bemött med respekt", **extra):
    fields = {
        "text": text,
        "kind": "scale",
        "scale_low_label": "Stämmer inte alls",
        "scale_high_label": "Stämmer helt",
    }
    fields.update(extra)
    return services.survey_question_create(association=association, by=SYSTEM, **fields)


def yes_no(association, text="Jag vet vad nästa steg är", **extra):
    return services.survey_question_create(
        association=association, by=SYSTEM, text=text, kind="yes_no", **extra
    )


def free_text(association, text="Vad kunde vi ha gjort bättre?", **extra):
    return services.survey_question_create(
        association=association, by=SYSTEM, text=text, kind="text", **extra
    )


def answer(enrolment, answers, *, satisfied=True, by=SYSTEM):
    return services.exit_survey_record(
        enrolment=enrolment, satisfied=satisfied, self_rated_progress=4, answers=answers, by=by
    )


@pytest.fixture
def enrolment(association):
    intervention = pf.staffed_intervention(association)
    return pf.register(association, intervention)


# --- managing the questions ------------------------------------------------------------------------


def test_questions_are_added_last_and_audited(association):
    office = user_with_role(association, Role.OFFICE)
    first = scale(association)
    second = services.survey_question_create(
        association=association,
        by=office,
        text="  Jag vet vad nästa steg är ",
        kind="yes_no",
        scale_low_label="ignoreras",
    )
    assert first.sort_order < second.sort_order
    assert second.text == "Jag vet vad nästa steg är" and second.scale_low_label == ""
    event = AuditEvent.objects.get(event="survey_question.created", target_id=str(second.pk))
    assert event.actor == office and event.after["kind"] == "yes_no"


def test_a_scale_needs_both_ends_labelled_and_a_question_needs_text(association):
    with pytest.raises(ValidationError) as caught:
        services.survey_question_create(
            association=association, by=SYSTEM, text=" ", kind="scale", scale_high_label="Helt"
        )
    assert set(caught.value.message_dict) == {"text", "scale_low_label"}
    assert not SurveyQuestion.objects.exists()


def test_an_answered_question_keeps_its_kind_but_can_be_reworded_and_retired(
    association, enrolment
):
    question = scale(association)
    answer(enrolment, {question.pk: 4})
    with pytest.raises(ValidationError) as caught:
        services.survey_question_update(question=question, data={"kind": "yes_no"}, by=SYSTEM)
    assert "kind" in caught.value.message_dict
    question.refresh_from_db()
    assert question.kind == "scale"
    services.survey_question_update(
        question=question,
        data={"text": "Jag blev bemött med respekt", "is_active": False},
        by=SYSTEM,
    )
    question.refresh_from_db()
    assert (question.text, question.is_active) == ("Jag blev bemött med respekt", False)
    assert SurveyAnswer.objects.filter(question=question).count() == 1


def test_an_unanswered_question_may_change_kind(association):
    question = yes_no(association)
    services.survey_question_update(
        question=question,
        data={"kind": "scale", "scale_low_label": "Nej", "scale_high_label": "Ja"},
        by=SYSTEM,
    )
    question.refresh_from_db()
    assert question.kind == "scale"


def test_only_an_unanswered_question_can_be_deleted(association, enrolment):
    answered, unanswered = scale(association), yes_no(association)
    answer(enrolment, {answered.pk: 5})
    with pytest.raises(ValidationError, match="kan inte tas bort"):
        services.survey_question_delete(question=answered, by=SYSTEM)
    services.survey_question_delete(question=unanswered, by=SYSTEM)
    assert list(SurveyQuestion.objects.all()) == [answered]
    assert AuditEvent.objects.filter(event="survey_question.deleted").count() == 1


def test_moving_swaps_neighbours_and_stops_at_the_ends(association):
    a, _b, c = scale(association, "A"), yes_no(association, "B"), free_text(association, "C")
    services.survey_question_move(question=c, up=True, by=SYSTEM)
    assert [q.text for q in services.survey_questions(association=association)] == ["A", "C", "B"]
    services.survey_question_move(question=a, up=True, by=SYSTEM)  # already first
    services.survey_question_move(question=a, up=False, by=SYSTEM)
    assert [q.text for q in services.survey_questions(association=association)] == ["C", "A", "B"]


# --- answering ---------------------------------------------------------------------------------------


def test_answers_are_saved_per_kind_and_a_blank_answer_removes_an_earlier_one(
    association, enrolment
):
    s, y, t = scale(association), yes_no(association), free_text(association)
    answer(enrolment, {s.pk: 5, y.pk: False, t.pk: "  Fler träffar.  "})
    saved = {a.question_id: a.value for a in SurveyAnswer.objects.all()}
    assert saved == {s.pk: 5, y.pk: False, t.pk: "Fler träffar."}
    answer(enrolment, {s.pk: 3, y.pk: None, t.pk: ""})
    assert {a.question_id: a.value for a in SurveyAnswer.objects.all()} == {s.pk: 3}
    assert ExitSurvey.objects.count() == 1


@pytest.mark.parametrize(
    ("kind", "value", "words"),
    [
        ("scale", 6, "1 till 5"),
        ("scale", "fem", "1 till 5"),
        ("scale", True, "1 till 5"),
        ("yes_no", "kanske", "ja eller nej"),
        ("text", "x" * 2001, "högst 2000"),
    ],
)
def test_a_wrong_answer_is_refused_at_its_field_and_nothing_is_saved(
    association, enrolment, kind, value, words
):
    maker = {"scale": scale, "yes_no": yes_no, "text": free_text}[kind]
    question = maker(association)
    with pytest.raises(ValidationError) as caught:
        answer(enrolment, {question.pk: value})
    assert words in caught.value.message_dict[f"q_{question.pk}"][0]
    assert not ExitSurvey.objects.exists() and not SurveyAnswer.objects.exists()


def test_a_required_question_must_be_answered(association, enrolment):
    question = scale(association, required=True)
    with pytest.raises(ValidationError) as caught:
        answer(enrolment, {})
    assert "obligatorisk" in caught.value.message_dict[f"q_{question.pk}"][0]
    assert not ExitSurvey.objects.exists()


def test_retired_and_foreign_questions_cannot_be_answered_but_old_answers_stay(
    association, other_association, enrolment
):
    question = scale(association)
    answer(enrolment, {question.pk: 2})
    services.survey_question_update(question=question, data={"is_active": False}, by=SYSTEM)
    answer(enrolment, {})  # the retired question is not asked again, its answer stays
    assert SurveyAnswer.objects.get().scale_value == 2
    foreign = scale(other_association)
    with pytest.raises(ValidationError) as caught:
        answer(enrolment, {question.pk: 4, foreign.pk: 4})
    assert "Ladda om" in caught.value.message_dict["__all__"][0]
    assert SurveyAnswer.objects.get().scale_value == 2


def test_only_the_intervention_staff_record_a_survey(association, enrolment):
    question = scale(association)
    office = user_with_role(association, Role.OFFICE)
    with pytest.raises(PermissionDenied):
        answer(enrolment, {question.pk: 4}, by=office)
    assert not ExitSurvey.objects.exists()


# --- registerutdrag and erasure --------------------------------------------------------------------


def test_the_registerutdrag_holds_the_answers(association, enrolment):
    s, y, t = scale(association), yes_no(association), free_text(association)
    answer(enrolment, {s.pk: 4, y.pk: True, t.pk: "Mer stöd i att söka jobb."})
    data = services.participant_export(
        participant=enrolment.participant, enrolments=[enrolment], by=SYSTEM
    )
    own = data["deltaganden"][0]["avslutsenkat"]["egna_fragor"]
    assert own == [
        {"fraga": "Jag har blivit bemött med respekt", "typ": "scale", "svar": 4},
        {"fraga": "Jag vet vad nästa steg är", "typ": "yes_no", "svar": True},
        {
            "fraga": "Vad kunde vi ha gjort bättre?",
            "typ": "text",
            "svar": "Mer stöd i att söka jobb.",
        },
    ]
    pdf = services.participant_export_pdf(data=data)
    assert pdf.startswith(b"%PDF")


def test_erasure_removes_free_text_answers_and_keeps_the_rest(association, enrolment):
    s, t = scale(association), free_text(association)
    answer(enrolment, {s.pk: 4, t.pk: "Jag heter Alva och bor på Storgatan."})
    services.participant_erase(participant=enrolment.participant, by=SYSTEM)
    assert [a.question_id for a in SurveyAnswer.objects.all()] == [s.pk]


# --- statistics --------------------------------------------------------------------------------------


def _answered_enrolments(association, intervention, values, question):
    for i, value in enumerate(values):
        e = pf.register(association, intervention, number=pf.identity_number(serial=f"{500 + i}"))
        pf.exit_enrolment(e)
        answer(e, {question.pk: value})


def test_statistics_count_and_average_in_the_database_with_suppression(
    association, django_assert_max_num_queries
):
    stegsam = pf.staffed_intervention(association, title="STEGSAM")
    samkraft = pf.staffed_intervention(association, title="Samkraft")
    s, y = scale(association), yes_no(association)
    free_text(association)
    _answered_enrolments(association, stegsam, [5] * 5 + [4] * 5, s)
    _answered_enrolments(association, samkraft, [5] * 5 + [3] * 5, s)
    year = timezone.localdate().year
    interventions = selectors.register_interventions(association=association)
    with django_assert_max_num_queries(5):
        result = selectors.survey_statistics(
            association=association, interventions=interventions, year=year
        )
    assert [r.question for r in result] == [s, y]  # never the free-text question
    stats = result[0]
    assert stats.table.cells["STEGSAM"] == {
        "1 – Stämmer inte alls": 0,
        "2": 0,
        "3": 0,
        "4": 5,
        "5 – Stämmer helt": 5,
        "Ej besvarad": 0,
    }
    assert stats.table.grand_total == 20
    assert stats.means == {"STEGSAM": Decimal("4.5"), "Samkraft": Decimal(4), "": Decimal("4.3")}
    rows = stats.as_rows(corner="Insats")
    assert rows[0][-1] == "Medelvärde" and rows[-1][-1] == "4,3"
    assert result[1].table is None  # the yes/no question has no answers this year

    # One low answer: a cell of 1, and the mean of its row would give it away.
    late = pf.register(association, samkraft, number=pf.identity_number(serial="777"))
    pf.exit_enrolment(late)
    answer(late, {s.pk: 1})
    stats = selectors.survey_statistics(
        association=association, interventions=interventions, year=year
    )[0]
    assert stats.table.cells["Samkraft"]["1 – Stämmer inte alls"] == "<5"
    assert stats.means["Samkraft"] is None and stats.means[""] is None
    assert "<5" in stats.as_rows(corner="Insats")[2]


def test_voided_participations_and_other_years_are_not_counted(association):
    intervention = pf.staffed_intervention(association)
    question = yes_no(association)
    _answered_enrolments(association, intervention, [True] * 5, question)
    ExitSurvey.objects.filter(pk=ExitSurvey.objects.first().pk).update(
        answered_on=timezone.localdate().replace(year=2001)
    )
    result = selectors.survey_statistics(
        association=association, interventions=[intervention], year=timezone.localdate().year
    )
    assert result[0].table.row_totals[intervention.title] == "<5"


def test_a_retired_question_shows_only_in_years_it_has_answers(association):
    intervention = pf.staffed_intervention(association)
    question = yes_no(association)
    services.survey_question_update(question=question, data={"is_active": False}, by=SYSTEM)
    year = timezone.localdate().year
    assert (
        selectors.survey_statistics(
            association=association, interventions=[intervention], year=year
        )
        == []
    )


counts = st.integers(min_value=0, max_value=12)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.lists(counts, min_size=5, max_size=5), min_size=1, max_size=4))
def test_a_published_mean_never_tells_more_than_the_published_counts(grid):
    data = {
        f"I{r}": {str(v): n for v, n in zip(range(1, 6), row, strict=True)}
        for r, row in enumerate(grid)
    }
    data = {k: v for k, v in data.items() if any(v.values())}
    if not data:
        return
    table = suppress_table(data)
    true_means = {
        label: Decimal(sum(int(v) * n for v, n in row.items())) / sum(row.values())
        for label, row in data.items()
    }
    everyone = [(int(v), n) for row in data.values() for v, n in row.items()]
    true_means[""] = Decimal(sum(v * n for v, n in everyone)) / sum(n for _v, n in everyone)
    shown = selectors.publishable_means(table, true_means)
    if table.withheld:
        assert set(shown.values()) == {None}
        return
    for label, row in data.items():
        cells = table.cells[label]
        for value, n in row.items():
            if 0 < n < 5:
                assert cells[value] == "<5"
        row_published = all(isinstance(c, int) for c in [*cells.values(), table.row_totals[label]])
        if row_published:
            # The mean follows from the published counts, so showing it tells nothing new.
            published = sum(int(v) * c for v, c in cells.items()) / Decimal(sum(cells.values()))
            assert shown[label] == published.quantize(Decimal("0.1"), "ROUND_HALF_UP")
        else:
            assert shown[label] is None
    totals = [*table.column_totals.values(), table.grand_total]
    if all(isinstance(c, int) for c in totals):
        columns = table.column_totals
        published = sum(int(v) * c for v, c in columns.items()) / Decimal(table.grand_total)
        assert shown[""] == published.quantize(Decimal("0.1"), "ROUND_HALF_UP")
    else:
        assert shown[""] is None


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0, max_value=14), st.integers(min_value=0, max_value=14)),
        min_size=1,
        max_size=4,
    ),
    st.randoms(use_true_random=False),
)
def test_required_questions_never_print_a_total_another_question_hides(rows, rng):
    """Every survey answers both required questions, so their row totals are one count: a total
    hidden in one question's table must not be readable in the other's."""
    first, second = {}, {}
    for r, (yes, no) in enumerate(rows):
        total = yes + no
        if not total:
            continue
        other_yes = rng.randint(0, total)
        first[f"I{r}"] = {"Ja": yes, "Nej": no}
        second[f"I{r}"] = {"Ja": other_yes, "Nej": total - other_yes}
    if not first:
        return
    published = selectors.publish_survey_tables({1: first, 2: second})
    a, b = published[1], published[2]
    for label in first:
        assert isinstance(a.row_totals[label], int) == isinstance(b.row_totals[label], int)
    assert isinstance(a.grand_total, int) == isinstance(b.grand_total, int)


def test_a_skipped_optional_question_is_a_cell_so_its_total_is_the_surveys(association):
    """Seven surveys, five answer the optional question: "5 answers" next to "7 surveys" would
    tell that two skipped it. The skipped are a cell ("Ej besvarad"), suppressed like any
    other, and the row total is the surveys."""
    intervention = pf.staffed_intervention(association)
    question = scale(association, required=False)
    for i in range(7):
        e = pf.register(association, intervention, number=pf.identity_number(serial=f"{600 + i}"))
        pf.exit_enrolment(e)
        answer(e, {question.pk: 4} if i < 5 else {})
    year = timezone.localdate().year
    surveys = selectors.survey_tables(
        association=association, interventions=[intervention], year=year
    )
    table = surveys.questions[0].table
    assert table.cells[intervention.title]["Ej besvarad"] == "<5"
    assert table.cells[intervention.title]["4"] == "–"
    assert table.row_totals[intervention.title] == 7
    assert surveys.surveyed.row_totals[intervention.title] == 7
    assert surveys.surveyed.cells[intervention.title] == {"Nöjda": 7, "Inte nöjda": 0}


def test_the_share_satisfied_is_shown_only_where_the_survey_tables_print_its_counts(
    association,
):
    """STEGSAM: five surveys, all satisfied — alone, 100 % of 5 gives nothing away. But Samkraft's
    two surveys are hidden, so STEGSAM's five are hidden beside them in the satisfied column
    and as the row total of the own question's table: the goal would print what they hide."""
    goal = [("Andel nöjda deltagare", "≥ 85 % nöjda")]
    stegsam = pf.staffed_intervention(association, title="STEGSAM", goals=goal)
    samkraft = pf.staffed_intervention(association, title="Samkraft", goals=goal)
    question = yes_no(association, required=True)
    for i in range(5):
        e = pf.register(association, stegsam, number=pf.identity_number(serial=f"{700 + i}"))
        pf.exit_enrolment(e)
        answer(e, {question.pk: True})
    for i in range(2):
        e = pf.register(association, samkraft, number=pf.identity_number(serial=f"{720 + i}"))
        pf.exit_enrolment(e)
        answer(e, {question.pk: i == 0}, satisfied=i == 0)
    office = user_with_role(association, Role.OFFICE)
    stats = selectors.statistics(
        user=office, association=association, year=timezone.localdate().year
    )
    surveyed = next(t for h, _c, t in stats.tables if "nöjdhet" in h)
    assert surveyed.cells["STEGSAM"]["Nöjda"] == "–"
    assert stats.questions[0].table.row_totals["STEGSAM"] == surveyed.row_totals["STEGSAM"]
    assert isinstance(surveyed.row_totals["STEGSAM"], str)
    goals = dict((i.title, items) for i, items in stats.goals)
    (progress,) = goals["STEGSAM"]
    assert progress.value == Decimal(100) and not progress.derivable
    assert not progress.published()
    csv_rows = {
        row[1]: row
        for row in selectors.intervention_summary_rows(
            user=office, association=association, year=timezone.localdate().year
        )
    }
    assert csv_rows["STEGSAM"][4] == "–"  # andel_nojda_procent, as hidden as on the page
