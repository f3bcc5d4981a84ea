"""How the participant register measures an intervention's goals: the office's setting, its rules,
its page, and the statistics that follow it.

Logged out, 403 per capability and other associations (404) are in test_permissions.py.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from finsam.core.money import plain_number
from finsam.funding import goals as goal_rules
from finsam.funding import services
from finsam.funding.models import Application, GoalMeasure, Intervention, InterventionGoal
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_views import application_post, decision_post, field_errors
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import selectors as participant_selectors
from finsam.participants.tests import factories as pf

GOALS = [
    {"text": "Målet är att 40 personer deltar under året", "target_value": ""},
    {"text": "STEGSAM ska ha minst 85 % nöjda deltagare", "target_value": "≥ 85 % nöjda"},
    {"text": "Deltagarna ska uppleva ökad livskvalitet", "target_value": "70 %"},
]


def url(association, intervention) -> str:
    return reverse("funding:intervention_goal_measures", args=[association.slug, intervention.pk])


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def intervention(association):
    return f.intervention(
        association,
        fields={"title": "Unga i arbete", "period_start": dt.date(2020, 1, 1), "period_end": None},
        goals=GOALS,
    )


def goal(intervention, start: str) -> InterventionGoal:
    return intervention.goals.get(text__startswith=start)


# --- the rule -----------------------------------------------------------------------------------


def test_a_measure_set_by_the_office_wins_over_the_words():
    text = "Målet är att 40 personer deltar under året"
    assert goal_rules.parse_goal(text) is None  # the words alone say no kind
    chosen = goal_rules.parse_goal(text, "", GoalMeasure.PARTICIPANTS)
    assert chosen == goal_rules.ParsedGoal(goal_rules.PARTICIPANTS, Decimal(40))
    figures = goal_rules.parse_goal(text, "", GoalMeasure.PARTICIPANTS, Decimal(45))
    assert figures.target == 45
    assert goal_rules.parse_goal("30 ärenden per år", "", GoalMeasure.NOT_MEASURED) is None


@pytest.mark.parametrize(
    ("text", "kind", "target"),
    [
        ("Minst 40 deltagare per år", goal_rules.PARTICIPANTS, 40),
        ("25 personer/år", goal_rules.PARTICIPANTS, 25),
        ("Minst 70 procent nöjda deltagare", goal_rules.SATISFIED, 70),
        ("Hälften går vidare till arbete eller studier, 50 %", goal_rules.WORK_OR_STUDIES, 50),
    ],
)
def test_other_associations_wordings_are_read(text, kind, target):
    assert goal_rules.parse_goal(text) == goal_rules.ParsedGoal(kind, Decimal(target))


def test_the_office_sets_the_measures_and_the_change_is_audited(intervention, office):
    people, satisfied, quality = (goal(intervention, s) for s in ("Målet", "STEGSAM", "Deltag"))
    services.intervention_goal_measures_set(
        intervention=intervention,
        measures={
            people.pk: (GoalMeasure.PARTICIPANTS, Decimal(40)),
            satisfied.pk: ("", None),
            quality.pk: (GoalMeasure.NOT_MEASURED, None),
        },
        by=office,
    )
    people.refresh_from_db()
    quality.refresh_from_db()
    assert (people.measure, people.measure_target) == ("participants", Decimal(40))
    assert quality.measure == "none" and quality.text == GOALS[2]["text"]
    event = AuditEvent.objects.filter(target_id=str(intervention.pk)).latest("id")
    assert event.before[people.text] == "Läses ur målets text"
    assert event.after[people.text] == "Deltagare som startat per år: 40"
    assert event.after[quality.text] == "Mäts inte i deltagarregistret"


@pytest.mark.parametrize(
    ("measure", "target", "message"),
    [
        (GoalMeasure.PARTICIPANTS, None, "Ange målvärdet i siffror."),
        (GoalMeasure.PARTICIPANTS, Decimal("12.5"), "Ange ett helt antal"),
        (GoalMeasure.PARTICIPANTS, Decimal(0), "Ange ett helt antal"),
        (GoalMeasure.SATISFIED, Decimal(120), "mellan 0 och 100"),
        (GoalMeasure.SATISFIED, Decimal(0), "mellan 0 och 100"),
        ("", Decimal(40), "lämna siffran tom"),
        ("made-up", None, "Välj hur målet mäts."),
    ],
)
def test_bad_measures_are_refused_and_nothing_is_saved(
    intervention, office, measure, target, message
):
    people, satisfied = goal(intervention, "Målet"), goal(intervention, "STEGSAM")
    with pytest.raises(ValidationError) as refused:
        services.intervention_goal_measures_set(
            intervention=intervention,
            measures={
                satisfied.pk: (GoalMeasure.SATISFIED, Decimal(85)),
                people.pk: (measure, target),
            },
            by=office,
        )
    assert message in " ".join(refused.value.message_dict[f"goal_{people.pk}_target"])
    satisfied.refresh_from_db()
    assert satisfied.measure == ""  # the valid row was not saved either


def test_a_goal_of_another_intervention_is_refused(association, intervention, office):
    other = f.intervention(association, fields={"title": "Annan"}, goals=GOALS[:1])
    foreign = other.goals.get()
    with pytest.raises(ValidationError):
        services.intervention_goal_measures_set(
            intervention=intervention,
            measures={foreign.pk: (GoalMeasure.PARTICIPANTS, Decimal(10))},
            by=office,
        )
    foreign.refresh_from_db()
    assert foreign.measure == ""


@pytest.mark.parametrize("role", [Role.STAFF, Role.BOARD, Role.AUDITOR, Role.MEMBER_ORG])
def test_only_the_office_sets_measures(association, intervention, role):
    user = user_with_role(association, role)
    people = goal(intervention, "Målet")
    with pytest.raises(PermissionDenied):
        services.intervention_goal_measures_set(
            intervention=intervention,
            measures={people.pk: (GoalMeasure.PARTICIPANTS, Decimal(40))},
            by=user,
        )


def test_the_statistics_follow_the_chosen_measure(association, intervention, office):
    people = goal(intervention, "Målet")
    services.intervention_goal_measures_set(
        intervention=intervention,
        measures={people.pk: (GoalMeasure.PARTICIPANTS, Decimal(40))},
        by=office,
    )
    pf.register(association, intervention, number=pf.identity_number())
    year = dt.date.today().year
    progress = participant_selectors.goal_progress(interventions=[intervention], year=year)
    measured = {p.goal_text: p for p in progress[intervention.pk]}
    assert measured[people.text].target == 40 and measured[people.text].value == 1
    assert GOALS[2]["text"] not in measured  # "livskvalitet" is not in the register


# --- the page -----------------------------------------------------------------------------------


def test_the_intervention_page_says_how_each_goal_is_measured(
    client, association, intervention, office
):
    client.force_login(office)
    detail = reverse("funding:intervention_detail", args=[association.slug, intervention.pk])
    page = lxml.html.fromstring(client.get(detail).content.decode())
    rows = {
        r.xpath("./td")[0].text_content(): r.xpath("./td")[2].text_content()
        for r in page.xpath('//h2[text()="Mätbara mål"]/following-sibling::table[1]//tbody/tr')
    }
    assert rows[GOALS[0]["text"]] == "Mäts inte: texten nämner ingen siffra som registret för."
    assert rows[GOALS[1]["text"]] == ("Läst ur texten: Andel nöjda deltagare (avslutsenkät): 85 %.")
    assert url(association, intervention) in client.get(detail).content.decode()

    services.intervention_goal_measures_set(
        intervention=intervention,
        measures={goal(intervention, "Målet").pk: (GoalMeasure.PARTICIPANTS, Decimal("40"))},
        by=office,
    )
    page = lxml.html.fromstring(client.get(detail).content.decode())
    cells = page.xpath(f'//td[text()="{GOALS[0]["text"]}"]/../td')
    assert cells[2].text_content() == "40 deltagare per år"  # not "40,0" as stored


def test_numbers_are_written_as_people_write_them():
    assert plain_number(Decimal("40.0")) == "40"
    assert plain_number(Decimal("33.3")) == "33,3"
    assert plain_number(Decimal("100")) == "100"


def test_office_saves_measures_on_the_page(client, association, intervention, office):
    people = goal(intervention, "Målet")
    client.force_login(office)
    assert client.get(url(association, intervention)).status_code == 200
    data = {f"goal_{g.pk}_measure": "" for g in intervention.goals.all()}
    data |= {f"goal_{people.pk}_measure": "participants", f"goal_{people.pk}_target": "40"}
    response = client.post(url(association, intervention), data)
    assert response.status_code == 302
    people.refresh_from_db()
    assert people.measure_target == 40


def test_bad_input_is_shown_at_the_field_and_nothing_is_saved(
    client, association, intervention, office
):
    people, satisfied = goal(intervention, "Målet"), goal(intervention, "STEGSAM")
    client.force_login(office)
    data = {
        f"goal_{satisfied.pk}_measure": "satisfied",
        f"goal_{satisfied.pk}_target": "85,5",
        f"goal_{people.pk}_measure": "satisfied",
        f"goal_{people.pk}_target": "140",
    }
    response = client.post(url(association, intervention), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Ange andelen som en procentsats mellan 0 och 100." in field_errors(
        html, f"goal_{people.pk}_target"
    )
    bad_number = client.post(
        url(association, intervention), {**data, f"goal_{people.pk}_target": "fyrtio"}
    )
    assert bad_number.status_code == 400
    assert field_errors(bad_number.content.decode(), f"goal_{people.pk}_target")
    satisfied.refresh_from_db()
    assert satisfied.measure == "" and satisfied.measure_target is None


def test_staff_may_not_open_the_page(client, association, intervention):
    client.force_login(user_with_role(association, Role.STAFF))
    assert client.get(url(association, intervention)).status_code == 403


# --- the register's figures in a status report --------------------------------------------------


def test_staff_writing_a_report_are_offered_the_registers_figure(client, association, office):
    intervention = f.approved(association, office=office).intervention
    staff = user_with_role(association, Role.STAFF)
    services.intervention_staff_set(intervention=intervention, users=[staff], by=office)
    for serial in ("123", "125"):
        pf.register(
            association,
            intervention,
            number=pf.identity_number(serial=serial),
            consent_date=dt.date(2022, 3, 1),
            start_date=dt.date(2022, 3, 1),
        )
    report = intervention.reports.filter(period_end__year=2022, kind="interim").get()
    cases = intervention.goals.get(text="Antal ärenden per år")
    edit = reverse("reporting:report_edit", args=[association.slug, report.pk])

    client.force_login(staff)
    page = lxml.html.fromstring(client.get(edit).content.decode())
    field = page.get_element_by_id(f"id_goal_{cases.pk}_value")
    assert field.get("value") == "2 deltagare"
    help_text = page.get_element_by_id(f"id_goal_{cases.pk}_value_helptext").text_content()
    assert "Deltagarregistret för 2022 hittills: 2 deltagare." in help_text

    # The office sees aggregates only: two persons are not shown outside the staff.
    client.force_login(office)
    html = client.get(edit).content.decode()
    assert "Deltagarregistret" not in html
    field = lxml.html.fromstring(html).get_element_by_id(f"id_goal_{cases.pk}_value")
    assert not field.get("value")

    # What the staff wrote stays theirs: the figure is only offered while the field is empty.
    services.report_update(report=report, data={}, attainments={cases.pk: ("på väg", "")}, by=staff)
    client.force_login(staff)
    field = lxml.html.fromstring(client.get(edit).content.decode()).get_element_by_id(
        f"id_goal_{cases.pk}_value"
    )
    assert field.get("value") == "på väg"


def test_the_statistics_page_points_the_office_to_goals_the_register_cannot_measure(
    client, association, intervention, office
):
    stats = reverse("participants:statistics", args=[association.slug])
    year = dt.date.today().year
    client.force_login(office)
    page = lxml.html.fromstring(client.get(stats, {"ar": year}).content.decode())
    note = page.get_element_by_id("unmeasured-goals")
    link = note.xpath(".//a")[0]
    assert " ".join(link.text_content().split()) == "Unga i arbete (2 mål)"
    assert link.get("href") == url(association, intervention)

    services.intervention_goal_measures_set(
        intervention=intervention,
        measures={
            goal(intervention, "Målet").pk: (GoalMeasure.PARTICIPANTS, Decimal(40)),
            goal(intervention, "Deltag").pk: (GoalMeasure.NOT_MEASURED, None),
        },
        by=office,
    )
    assert 'id="unmeasured-goals"' not in client.get(stats, {"ar": year}).content.decode()


def test_the_pointer_is_for_those_who_can_set_measures(client, association, intervention):
    client.force_login(user_with_role(association, Role.BOARD))
    stats = reverse("participants:statistics", args=[association.slug])
    response = client.get(stats, {"ar": dt.date.today().year})
    assert response.status_code == 200
    assert 'id="unmeasured-goals"' not in response.content.decode()


# --- chosen already in the application ----------------------------------------------------------


def test_the_applicant_chooses_a_measure_and_the_intervention_inherits_it(
    client, association, office
):
    client.force_login(office)
    data = application_post(
        association,
        **{
            "goals-0-text": "Målet är att 40 personer deltar under året",
            "goals-0-target_value": "",
            "goals-0-measure": "participants",
            "goals-0-measure_target": "40",
        },
    )
    assert client.post(reverse("funding:application_create", args=[association.slug]), data)
    application = Application.objects.get()
    saved = application.goals.get()
    assert (saved.measure, saved.measure_target) == ("participants", Decimal(40))
    detail = reverse("funding:application_detail", args=[association.slug, application.pk])
    assert "40 deltagare per år" in client.get(detail).content.decode()

    services.application_submit(application=application, by=office)
    version = reverse("funding:application_version", args=[association.slug, application.pk, 1])
    assert "(Deltagare som startat per år: 40)" in client.get(version).content.decode()

    criteria = f.criteria_for(association)
    scores = {c.pk: (3, "") for c in criteria}
    services.assessment_set(application=application, scores=scores, by=office)
    services.application_mark_assessed(application=application, by=office)
    meeting = f.board_meeting(association)
    decide = reverse("funding:decision_create", args=[association.slug, application.pk])
    response = client.post(decide, decision_post(meeting, amount_2023=""))
    assert response.status_code == 302, response.content.decode()[:2000]
    inherited = Intervention.objects.get().goals.get()
    assert (inherited.measure, inherited.measure_target) == ("participants", Decimal(40))


def test_a_bad_measure_in_the_application_is_refused_at_the_field(client, association, office):
    client.force_login(office)
    data = application_post(
        association, **{"goals-0-measure": "satisfied", "goals-0-measure_target": "120"}
    )
    response = client.post(reverse("funding:application_create", args=[association.slug]), data)
    assert response.status_code == 400
    assert "mellan 0 och 100" in field_errors(response.content.decode(), "goals-0-measure_target")
    assert not Application.objects.exists()


def test_the_service_refuses_a_bad_measure_whatever_the_form_let_through(association, office):
    municipality = association.members.filter(kind="municipality").first()
    content = services.ApplicationContent(
        fields={"title": "Unga", "period_start": dt.date(2022, 1, 1)},
        applicants=[municipality],
        kind_shares={"individual": 100},
        goals=[{"text": "Nöjda", "target_value": "", "measure": "satisfied"}],
    )
    with pytest.raises(ValidationError) as refused:
        services.application_create(association=association, content=content, by=office)
    assert "Nöjda: Ange målvärdet i siffror." in refused.value.message_dict["goals"]
