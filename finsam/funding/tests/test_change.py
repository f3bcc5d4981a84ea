"""Ändringsbeslut: the board changes an intervention's money per year or its end date.

History is never edited: a changed year's grants are withdrawn by the change decision and one new
grant carries the new total, with the year's payments moved onto it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import BytesIO

import lxml.html
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.funding import letters, selectors, services
from finsam.funding.models import Decision, DecisionAmount, Grant, InterventionReport, Requisition
from finsam.funding.tests import factories as f
from finsam.funding.tests.test_letters import pdf_text
from finsam.funding.tests.test_views import field_errors, plain
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Meeting, Role
from finsam.organisation.tests.factories import MeetingFactory, user_with_role

D = Decimal
CHANGE_MEETING = dt.date(2022, 5, 20)


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def intervention(association, office):
    """STEGSAM decided at § 12: 600 000 kr for 2022 and 350 000 kr for 2023."""
    return f.approved(association, office=office).intervention


@pytest.fixture
def meeting(association):
    return f.board_meeting(association, date=CHANGE_MEETING)


def change(intervention, meeting, office, paragraph="§ 30", **kwargs) -> Decision:
    return services.intervention_change(
        intervention=intervention, meeting=meeting, paragraph=paragraph, by=office, **kwargs
    )


def granted(intervention) -> dict[int, Decimal]:
    return {y.year: y.granted for y in services.grant_years(intervention)}


def pay(grant, amount, office, *, status=Requisition.Status.APPROVED) -> Requisition:
    """Requested by the office, approved (and paid) by the economist."""
    requisition = services.requisition_request(
        grant=grant, amount=D(amount), date=dt.date(2022, 3, 31), by=office
    )
    economist = f.economist(grant.intervention.association)
    if status in (Requisition.Status.APPROVED, Requisition.Status.PAID):
        services.requisition_transition(
            requisition=requisition, to=Requisition.Status.APPROVED, by=economist
        )
    if status == Requisition.Status.PAID:
        services.requisition_transition(
            requisition=requisition, to=Requisition.Status.PAID, by=economist
        )
    return requisition


def grant_of(intervention, year) -> Grant:
    return intervention.grants.get(year=year, withdrawn_by__isnull=True)


def field_messages(error: ValidationError, key: str) -> str:
    """The messages at one field, with format_sek's no-break spaces as plain spaces."""
    return " ".join(m for e in error.error_dict[key] for m in e.messages).replace("\u00a0", " ")


# --- amounts --------------------------------------------------------------------------------------


def test_a_higher_total_withdraws_the_years_grant_and_grants_the_new_total(
    intervention, meeting, office
):
    old = grant_of(intervention, 2022)
    decision = change(intervention, meeting, office, amounts={2022: D("700000")})

    old.refresh_from_db()
    assert decision.kind == Decision.Kind.CHANGE
    assert decision.outcome == Decision.Outcome.APPROVED
    assert old.withdrawn_by == decision  # kept, marked; never edited
    assert old.amount == D("600000")
    new = grant_of(intervention, 2022)
    assert (new.amount, new.decision) == (D("700000"), decision)
    assert granted(intervention) == {2022: D("700000"), 2023: D("350000")}
    [row] = DecisionAmount.objects.filter(decision=decision)
    assert (row.year, row.previous, row.amount) == (2022, D("600000"), D("700000"))
    assert decision.agenda_item.meeting == meeting
    events = set(AuditEvent.objects.values_list("event", flat=True))
    assert {Event.DECISION_RECORDED, Event.GRANT_WITHDRAWN, Event.GRANT_CREATED} <= events


def test_requisitions_move_to_the_new_grant_and_the_ceiling_follows_the_new_total(
    intervention, meeting, office
):
    old = grant_of(intervention, 2022)
    approved = pay(old, "200000", office)
    requested = pay(old, "50000", office, status=Requisition.Status.REQUESTED)

    change(intervention, meeting, office, amounts={2022: D("300000")})

    new = grant_of(intervention, 2022)
    assert set(new.requisitions.values_list("pk", flat=True)) == {approved.pk, requested.pk}
    moved = AuditEvent.objects.filter(event=Event.REQUISITION_MOVED)
    assert moved.count() == 2
    assert {(e.before["grant"], e.after["grant"]) for e in moved} == {(old.pk, new.pk)}
    [year] = [y for y in services.grant_years(intervention) if y.year == 2022]
    assert (year.granted, year.approved, year.requested, year.remaining) == (
        D("300000"),
        D("200000"),
        D("50000"),
        D("100000"),
    )
    with pytest.raises(ValidationError) as caught:
        services.requisition_request(
            grant=new, amount=D("150000"), date=dt.date(2022, 6, 1), by=office
        )
    assert "Högst 100 000 kr kan betalas ut" in field_messages(caught.value, "amount")


def test_a_total_below_what_is_approved_and_paid_is_refused_at_the_year(
    intervention, meeting, office
):
    grant = grant_of(intervention, 2022)
    pay(grant, "150000", office, status=Requisition.Status.PAID)
    pay(grant, "50000", office)
    decisions, events = Decision.objects.count(), AuditEvent.objects.count()

    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, amounts={2022: D("150000")})

    message = field_messages(caught.value, "amount_2022")
    assert "2022" in message
    assert "200 000 kr redan godkänt eller utbetalt" in message
    assert "150 000 kr" in message and "600 000 kr" in message
    assert (Decision.objects.count(), AuditEvent.objects.count()) == (decisions, events)
    assert grant_of(intervention, 2022) == grant


def test_the_new_total_may_equal_what_is_already_used(intervention, meeting, office):
    pay(grant_of(intervention, 2022), "200000", office, status=Requisition.Status.PAID)
    change(intervention, meeting, office, amounts={2022: D("200000")})
    [year] = [y for y in services.grant_years(intervention) if y.year == 2022]
    assert (year.granted, year.paid, year.remaining) == (D("200000"), D("200000"), D("0"))


def test_zero_withdraws_the_years_money_and_rejects_open_requests(intervention, meeting, office):
    old = grant_of(intervention, 2023)
    requested = pay(old, "10000", office, status=Requisition.Status.REQUESTED)

    decision = change(intervention, meeting, office, amounts={2023: D("0")})

    assert granted(intervention) == {2022: D("600000")}
    old.refresh_from_db()
    requested.refresh_from_db()
    assert old.withdrawn_by == decision
    assert requested.status == Requisition.Status.REJECTED
    assert not Grant.objects.filter(decision=decision).exists()
    row = decision.amounts.get()
    assert (row.year, row.previous, row.amount) == (2023, D("350000"), D("0"))


def test_several_grants_of_one_year_become_one(association, intervention, meeting, office):
    first = change(intervention, meeting, office, amounts={2022: D("650000")})
    second = change(intervention, meeting, office, paragraph="§ 31", amounts={2022: D("500000")})
    active = list(intervention.grants.filter(year=2022, withdrawn_by__isnull=True))
    assert [(g.amount, g.decision) for g in active] == [(D("500000"), second)]
    assert intervention.grants.filter(year=2022, withdrawn_by=second).get().decision == first


def test_a_year_outside_the_period_is_refused(intervention, meeting, office):
    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, amounts={2024: D("100000"), 2021: D("1")})
    assert "2024 ligger utanför insatsens period 2022-01-01–2023-12-31" in field_messages(
        caught.value, "amount_2024"
    )
    assert "amount_2021" in caught.value.error_dict
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()


def test_a_negative_total_is_refused(intervention, meeting, office):
    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, amounts={2022: D("-1")})
    assert "negativt" in field_messages(caught.value, "amount_2022")


def test_nothing_changed_is_refused(intervention, meeting, office):
    with pytest.raises(ValidationError, match="Beslutet ändrar ingenting"):
        change(intervention, meeting, office)
    with pytest.raises(ValidationError, match="Beslutet ändrar ingenting"):
        change(
            intervention,
            meeting,
            office,
            amounts={2022: D("600000"), 2023: D("350000")},
            period_end=dt.date(2023, 12, 31),
            terms=services.intervention_terms(intervention),
            motivation="Bara en motivering",
        )
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()


def test_new_conditions_alone_are_a_change(intervention, meeting, office):
    decision = change(intervention, meeting, office, conditions="Ny styrgrupp senast 2022-09-01.")
    assert decision.conditions == "Ny styrgrupp senast 2022-09-01."
    assert granted(intervention) == {2022: D("600000"), 2023: D("350000")}


# --- the period -----------------------------------------------------------------------------------


def test_a_later_end_with_money_for_the_new_year(intervention, meeting, office):
    decision = change(
        intervention,
        meeting,
        office,
        period_end=dt.date(2024, 12, 31),
        amounts={2024: D("200000")},
    )
    intervention.refresh_from_db()
    assert intervention.period_end == dt.date(2024, 12, 31)
    assert (decision.ends_on, decision.previous_end) == (
        dt.date(2024, 12, 31),
        dt.date(2023, 12, 31),
    )
    assert granted(intervention)[2024] == D("200000")
    periods = set(intervention.reports.values_list("kind", "period_end"))
    assert ("interim", dt.date(2024, 6, 30)) in periods
    assert ("annual", dt.date(2024, 12, 31)) in periods
    assert AuditEvent.objects.filter(event=Event.INTERVENTION_UPDATED).exists()


def test_an_earlier_end_withdraws_the_later_years_as_an_early_end_does(
    intervention, meeting, office
):
    decision = change(intervention, meeting, office, period_end=dt.date(2022, 12, 31))
    intervention.refresh_from_db()
    assert intervention.period_end == dt.date(2022, 12, 31)
    assert granted(intervention) == {2022: D("600000")}
    row = decision.amounts.get()
    assert (row.year, row.previous, row.amount) == (2023, D("350000"), D("0"))
    assert not intervention.reports.filter(period_end__year=2023).exists()


def test_an_earlier_end_is_refused_when_a_later_year_has_money_paid(intervention, meeting, office):
    pay(grant_of(intervention, 2023), "1000", office)
    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, period_end=dt.date(2022, 12, 31))
    assert "godkända eller utbetalda medel för 2023" in field_messages(caught.value, "period_end")
    intervention.refresh_from_db()
    assert intervention.period_end == dt.date(2023, 12, 31)


def test_an_end_before_the_start_is_refused(intervention, meeting, office):
    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, period_end=dt.date(2021, 12, 31))
    assert "innan den har börjat" in field_messages(caught.value, "period_end")


# --- the call's pot -------------------------------------------------------------------------------


@pytest.fixture
def from_call(association, office):
    call = f.CallFactory(association=association, pot=D("1000000"))
    decision = f.approved(association, office=office, fields={"call": call})
    return call, decision.intervention


def test_an_increase_must_fit_the_calls_remaining_pot(from_call, meeting, office):
    call, intervention = from_call
    assert services.call_granted_total(call) == D("950000")
    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, amounts={2022: D("700000")})
    assert field_messages(caught.value, "amounts") == (
        f"Utlysningen ”{call.title}” har 50 000 kr kvar att fördela, men ändringen ökar de "
        "beviljade medlen med 100 000 kr. Minska beloppen med 50 000 kr."
    )
    assert services.call_granted_total(call) == D("950000")


def test_moving_money_between_years_and_decreases_keep_the_pot(from_call, meeting, office):
    call, intervention = from_call
    change(intervention, meeting, office, amounts={2022: D("700000"), 2023: D("250000")})
    assert services.call_granted_total(call) == D("950000")
    change(intervention, meeting, office, paragraph="§ 31", amounts={2023: D("100000")})
    assert services.call_granted_total(call) == D("800000")
    listed = selectors.calls(user=office, association=call.association).get(pk=call.pk)
    assert (listed.granted, listed.remaining) == (D("800000"), D("200000"))
    # What the decrease freed may be granted again, up to the pot.
    change(intervention, meeting, office, paragraph="§ 32", amounts={2023: D("300000")})
    assert services.call_granted_total(call) == D("1000000")


# --- terms, the meeting, the paragraph and who may decide -----------------------------------------


def test_new_reporting_terms_apply_to_every_year_from_the_change(intervention, meeting, office):
    terms = {**services.intervention_terms(intervention), "interim_report_month": 8}
    terms["interim_report_day"] = 31
    decision = change(intervention, meeting, office, terms=terms)
    assert (decision.interim_report_month, decision.interim_report_day) == (8, 31)
    duties = {d for _label, d in services.reporting_duties(intervention)}
    assert {dt.date(2022, 8, 31), dt.date(2023, 8, 31)} <= duties
    assert dt.date(2022, 6, 30) not in duties
    periods = set(intervention.reports.values_list("kind", "period_end"))
    assert ("interim", dt.date(2023, 8, 31)) in periods
    assert services.intervention_terms(intervention)["interim_report_month"] == 8


def test_a_change_without_terms_keeps_the_terms_in_force(intervention, meeting, office):
    before = services.reporting_duties(intervention)
    change(intervention, meeting, office, amounts={2022: D("650000")})
    assert services.reporting_duties(intervention) == before


def test_the_paragraph_must_be_free_and_the_meeting_a_board_meeting(
    association, other_association, intervention, meeting, office
):
    change(intervention, meeting, office, amounts={2022: D("650000")})
    with pytest.raises(ValidationError) as caught:
        change(intervention, meeting, office, paragraph="30", amounts={2022: D("700000")})
    assert "§ 30 finns redan" in field_messages(caught.value, "paragraph")
    committee = MeetingFactory(association=association, kind=Meeting.Kind.PLANNING)
    with pytest.raises(ValidationError, match="styrelsesammanträde"):
        change(intervention, committee, office, paragraph="31", amounts={2022: D("700000")})
    with pytest.raises(ValidationError, match="hör inte till förbundet"):
        change(
            intervention,
            f.board_meeting(other_association),
            office,
            paragraph="1",
            amounts={2022: D("700000")},
        )


@pytest.mark.parametrize("role", [Role.ECONOMIST, Role.STAFF, Role.ADVISORY, Role.AUDITOR])
def test_only_the_board_and_the_office_record_a_change(association, intervention, meeting, role):
    with pytest.raises(PermissionDenied, match="Bara styrelsens ledamöter och kansliet"):
        change(intervention, meeting, user_with_role(association, role), amounts={2022: D("1")})
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()


def test_a_board_member_records_a_change_once_the_meeting_is_held(association, intervention):
    member = user_with_role(association, Role.BOARD)
    coming = f.board_meeting(association, date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="har inte hållits än"):
        change(intervention, coming, member, amounts={2022: D("700000")})
    held = f.board_meeting(association, date=timezone.localdate())
    decision = change(intervention, held, member, amounts={2022: D("700000")})
    assert decision.kind == Decision.Kind.CHANGE and granted(intervention)[2022] == D("700000")


def test_a_change_leaves_the_reports_already_written(intervention, meeting, office):
    report = intervention.reports.get(kind="interim", period_end=dt.date(2023, 6, 30))
    services.report_update(
        report=report, data={"what_happened": "Igång"}, attainments={}, by=office
    )
    change(intervention, meeting, office, period_end=dt.date(2022, 12, 31))
    assert InterventionReport.objects.filter(pk=report.pk).exists()


# --- the invariant --------------------------------------------------------------------------------

YEARS = (2022, 2023)
amount = st.integers(min_value=0, max_value=400).map(lambda n: D(n * 2500))
operation = st.one_of(
    st.tuples(st.just("request"), st.sampled_from(YEARS), amount),
    st.tuples(st.just("approve"), st.integers(0, 20), st.just(D(0))),
    st.tuples(st.just("pay"), st.integers(0, 20), st.just(D(0))),
    st.tuples(st.just("change"), st.sampled_from(YEARS), amount),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(operations=st.lists(operation, min_size=1, max_size=12))
def test_no_sequence_lets_approved_and_paid_exceed_the_grant_or_the_pot_go_negative(
    association, operations
):
    with transaction.atomic():
        office = user_with_role(association, Role.OFFICE)
        economist = user_with_role(association, Role.ECONOMIST)
        call = f.CallFactory(association=association, pot=D("1000000"))
        intervention = f.approved(
            association,
            office=office,
            fields={"call": call},
            amounts={2022: D("400000"), 2023: D("300000")},
        ).intervention
        meeting = f.board_meeting(association, date=CHANGE_MEETING)
        requisitions: list[Requisition] = []
        for number, (kind, key, value) in enumerate(operations):
            try:
                with transaction.atomic():
                    if kind == "request":
                        grant = intervention.grants.filter(
                            year=key, withdrawn_by__isnull=True
                        ).first()
                        if grant is not None and value > 0:
                            requisitions.append(
                                services.requisition_request(
                                    grant=grant, amount=value, date=dt.date(key, 3, 1), by=office
                                )
                            )
                    elif kind in ("approve", "pay") and requisitions:
                        requisition = Requisition.objects.get(
                            pk=requisitions[key % len(requisitions)].pk
                        )
                        to = (
                            Requisition.Status.APPROVED
                            if kind == "approve"
                            else Requisition.Status.PAID
                        )
                        services.requisition_transition(
                            requisition=requisition, to=to, by=economist
                        )
                    elif kind == "change":
                        change(
                            intervention,
                            meeting,
                            office,
                            paragraph=f"§ {100 + number}",
                            amounts={key: value},
                        )
            except ValidationError:
                pass
            for year in services.grant_years(intervention):
                assert year.approved + year.paid <= year.granted
            for grant in intervention.grants.filter(withdrawn_by__isnull=True):
                assert services.grant_committed(grant) <= grant.amount
            assert services.call_granted_total(call) <= call.pot
            # A replaced grant keeps no payments: they follow the year's new grant.
            for old in intervention.grants.filter(withdrawn_by__kind=Decision.Kind.CHANGE):
                if Grant.objects.filter(decision=old.withdrawn_by, year=old.year).exists():
                    assert not old.requisitions.exists()
        transaction.set_rollback(True)


# --- the page -------------------------------------------------------------------------------------


def change_url(association, intervention) -> str:
    return reverse("funding:intervention_change", args=[association.slug, intervention.pk])


def change_post(meeting, **overrides) -> dict[str, str]:
    data = {
        "meeting": str(meeting.pk),
        "paragraph": "30",
        "period_end": "",
        "conditions": "",
        "motivation": "Fler deltagare än väntat.",
        "interim_report_month": "6",
        "interim_report_day": "30",
        "annual_report_month": "12",
        "annual_report_day": "31",
        "oral_presentations_per_year": "1",
    }
    data.update(overrides)
    return data


def test_the_office_records_a_change_from_the_intervention_page(
    client, association, intervention, meeting, office
):
    client.force_login(office)
    detail = reverse("funding:intervention_detail", args=[association.slug, intervention.pk])
    page = client.get(detail).content.decode()
    assert change_url(association, intervention) in page
    assert "Registrera ändringsbeslut" in page

    form = client.get(change_url(association, intervention))
    assert form.status_code == 200
    body = plain(form.content.decode())
    assert "Nu beviljat: 600 000 kr" in body
    doc = lxml.html.fromstring(form.content)
    for name in ("amount_2022", "amount_2023", "amount_2025", "period_end", "paragraph"):
        [field] = doc.xpath(f'//*[@name="{name}"]')
        assert doc.xpath(f'//label[@for="{field.get("id")}"]'), name  # every input is labelled

    response = client.post(
        change_url(association, intervention),
        change_post(meeting, amount_2022="700 000", amount_2024="200 000", period_end="2024-12-31"),
    )
    assert response.status_code == 302
    assert response.url == detail
    decision = Decision.objects.get(kind=Decision.Kind.CHANGE)
    assert granted(intervention) == {2022: D("700000"), 2023: D("350000"), 2024: D("200000")}
    history = plain(client.get(detail).content.decode())
    doc = lxml.html.fromstring(history)
    item = plain(doc.get_element_by_id("decisions").text_content())
    assert "§ 30: Ändring av insats" in item
    assert "2022: 600 000 kr → 700 000 kr" in item
    assert "2024: 0 kr → 200 000 kr" in item
    assert "nytt slutdatum 2024-12-31" in item
    letter = reverse("funding:decision_letter_pdf", args=[association.slug, decision.pk])
    assert letter in history


def test_bad_input_is_refused_at_the_field_and_nothing_is_saved(
    client, association, intervention, meeting, office
):
    client.force_login(office)
    pay(grant_of(intervention, 2022), "200000", office)
    events, decisions = AuditEvent.objects.count(), Decision.objects.count()

    below = client.post(
        change_url(association, intervention), change_post(meeting, amount_2022="100 000")
    )
    assert below.status_code == 400
    message = plain(field_errors(below.content.decode(), "amount_2022"))
    assert "För 2022 är 200 000 kr redan godkänt eller utbetalt" in message
    assert "Beslutet är inte registrerat. Inget har sparats." in below.content.decode()

    outside = client.post(
        change_url(association, intervention), change_post(meeting, amount_2025="1")
    )
    assert outside.status_code == 400
    assert "2025 ligger utanför insatsens period" in field_errors(
        outside.content.decode(), "amount_2025"
    )

    nothing = client.post(change_url(association, intervention), change_post(meeting))
    assert nothing.status_code == 400
    assert "Beslutet ändrar ingenting" in nothing.content.decode()

    junk = client.post(
        change_url(association, intervention),
        change_post(meeting, paragraph="tolv", amount_2022="mycket", period_end="igår"),
    )
    assert junk.status_code == 400
    assert "Ange ett belopp i kronor" in field_errors(junk.content.decode(), "amount_2022")
    assert field_errors(junk.content.decode(), "period_end")

    paragraph = client.post(
        change_url(association, intervention),
        change_post(meeting, paragraph="tolv", amount_2022="650 000"),
    )
    assert paragraph.status_code == 400
    assert "Ange paragrafen som ett nummer" in field_errors(paragraph.content.decode(), "paragraph")
    assert (AuditEvent.objects.count(), Decision.objects.count()) == (events, decisions)


def test_more_than_the_calls_pot_is_refused_above_the_amounts(
    client, association, from_call, meeting, office
):
    call, intervention = from_call
    client.force_login(office)
    response = client.post(
        change_url(association, intervention), change_post(meeting, amount_2022="700 000")
    )
    assert response.status_code == 400
    doc = lxml.html.fromstring(response.content)
    assert "har 50 000 kr kvar att fördela" in plain(
        doc.get_element_by_id("amounts-error").text_content()
    )
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()


NOT_DECIDING = [r for r in Role if r not in (Role.OFFICE, Role.BOARD)]


@pytest.mark.parametrize("role", NOT_DECIDING, ids=[r.value for r in NOT_DECIDING])
def test_other_roles_get_403_with_the_reason_and_nothing_is_written(
    client, association, intervention, meeting, role
):
    client.force_login(user_with_role(association, role))
    events = AuditEvent.objects.count()
    assert client.get(change_url(association, intervention)).status_code == 403
    response = client.post(
        change_url(association, intervention), change_post(meeting, amount_2022="1")
    )
    assert response.status_code == 403
    assert (
        "Bara styrelsens ledamöter och kansliet kan registrera styrelsens beslut."
        in response.content.decode()
    )
    assert AuditEvent.objects.count() == events
    assert granted(intervention)[2022] == D("600000")


def test_another_associations_office_gets_404(client, other_association, intervention, meeting):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    response = client.post(
        change_url(other_association, intervention), change_post(meeting, amount_2022="1")
    )
    assert response.status_code == 404
    assert "STEGSAM" not in response.content.decode()
    assert not Decision.objects.filter(kind=Decision.Kind.CHANGE).exists()


def test_anonymous_is_sent_to_login(client, association, intervention):
    response = client.get(change_url(association, intervention))
    assert response.status_code == 302
    assert response.url.startswith("/konto/logga-in/")


# --- the decision letter --------------------------------------------------------------------------


def test_the_letter_prints_old_and_new_amounts_and_the_new_end(
    client, association, intervention, meeting, office
):
    decision = change(
        intervention,
        meeting,
        office,
        amounts={2022: D("700000"), 2024: D("200000")},
        period_end=dt.date(2024, 12, 31),
        conditions="Rapportera antalet deltagare varje kvartal.",
        motivation="Fler deltagare än väntat.",
    )
    context = letters.decision_letter_context(decision)
    text = "\n".join(context.paragraphs()).replace("\u00a0", " ")
    assert "Beslut om ändring av insatsen STEGSAM – steg för steg genom att samverka" in text
    assert "2022: 600 000 kr → 700 000 kr" in text
    assert "2024: 0 kr → 200 000 kr" in text
    assert "Nytt slutdatum: 2024-12-31 (tidigare 2023-12-31)" in text
    assert "Beviljade medel per år" not in text  # a change is not money on top
    assert "Villkor: Rapportera antalet deltagare varje kvartal." in text
    assert "Delårsrapport per 2024-06-30" in text

    pdf = pdf_text(letters.decision_letter_pdf(decision))
    for expected in ["Ändrade medel per år", "600 000 kr", "700 000 kr", "2024-12-31", "§ 30"]:
        assert expected in pdf
    docx = Document(BytesIO(letters.decision_letter_docx(decision)))
    paragraphs = "\n".join(p.text for p in docx.paragraphs).replace("\u00a0", " ")
    assert "2022: 600 000 kr → 700 000 kr" in paragraphs
    assert "Nytt slutdatum: 2024-12-31 (tidigare 2023-12-31)" in paragraphs

    client.force_login(user_with_role(association, Role.BOARD))
    response = client.get(
        reverse("funding:decision_letter_docx", args=[association.slug, decision.pk])
    )
    assert response.status_code == 200


def test_a_withdrawn_year_and_an_open_end_read_sensibly(association, office, meeting):
    intervention = f.intervention(association, fields={"period_end": None})
    decision = change(
        intervention, meeting, office, amounts={2021: D("0")}, period_end=dt.date(2021, 12, 31)
    )
    text = "\n".join(letters.decision_letter_context(decision).paragraphs()).replace("\u00a0", " ")
    assert "2021: 600 000 kr → 0 kr" in text
    assert "Nytt slutdatum: 2021-12-31 (tidigare tills vidare)" in text
