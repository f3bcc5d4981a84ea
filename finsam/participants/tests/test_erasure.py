"""Erasure leaves nothing personal anywhere in the database, and every statistic as it was.

The erased person has a name, contact details, a changed and then withdrawn consent, corrections
with reasons, a free-text comment and answer, and two sessions in one month registered in the
wrong order (which a careless date reduction would turn into the opposite ORS change)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from finsam.core.actors import SYSTEM
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import selectors, services
from finsam.participants.models import AccessLogEntry, CodeList, Enrolment, Participant
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

YEAR = 2023
NAME = "Alva Raderasson"
CONTACT = "alva.raderasson@example.se, 070-765 43 21"
NUMBER = pf.identity_number(dt.date(1991, 2, 27), "384")
FIRST_SCOPE = "Registrering, uppföljning och kontakt med Arbetsförmedlingen"
NEW_SCOPE = "Bara uppföljning i SUS, ingen kontakt med Arbetsförmedlingen"
WITHDRAWAL = "Vill inte vara kvar i registret efter flytten till Dalarna"
REASONS = [
    "Rättat efter samtal med Alvas mamma om sysselsättningen",
    "ORS avläst fel från blanketten den dagen",
    "Bytt telefonnummer efter skilsmässan",
]
COMMENT = "Tack till Kim för stödet med ångesten"
FREE_TEXT = "Promenaderna med gruppen vid sjön"
# The erased person's exact dates; nobody else in the register has them.
DATES = {
    "consent": dt.date(YEAR, 5, 15),
    "start": dt.date(YEAR, 5, 16),
    "late": dt.date(YEAR, 6, 20),
    "early": dt.date(YEAR, 6, 5),
    "scope": dt.date(YEAR, 7, 4),
    "withdrawn": dt.date(YEAR, 8, 14),
    "exit": dt.date(YEAR, 9, 18),
}


@pytest.fixture
def register(association):
    stegsam = pf.staffed_intervention(
        association,
        title="STEGSAM",
        goals=[("ärenden", "≥ 5 ärenden per år"), ("nöjda", "≥ 85 % nöjda deltagare")],
    )
    staff = pf.staff_user(association, stegsam)
    free = services.survey_question_create(
        association=association, by=SYSTEM, text="Vad var bäst?", kind="text"
    )
    yes_no = services.survey_question_create(
        association=association, by=SYSTEM, text="Skulle du rekommendera insatsen?", kind="yes_no"
    )

    def exit_and_survey(enrolment, day, comment="", text=""):
        services.enrolment_exit(
            enrolment=enrolment,
            exit_date=day,
            exit_reason=pf.code(association, CodeList.EXIT_REASON, "planerat-avslut"),
            exit_occupation=pf.code(association, CodeList.OCCUPATION, "arbete"),
            step_progress=pf.code(association, CodeList.STEP_PROGRESS, "narmare"),
            by=staff,
        )
        services.exit_survey_record(
            enrolment=enrolment,
            satisfied=True,
            self_rated_progress=4,
            comment=comment,
            answers={free.pk: text, yes_no.pk: True},
            by=staff,
        )

    # Five others: ORS 12 → 20 (+8) each, on dates the erased person does not share.
    for i in range(5):
        other = pf.register(
            association,
            stegsam,
            by=staff,
            number=pf.identity_number(dt.date(1980 + i, 3, 9), f"{210 + i * 2}"),
            consent_date=dt.date(YEAR, 5, 2),
            start_date=dt.date(YEAR, 5, 2),
            name=f"Annan Person {i}",
        )
        for day, item in ((dt.date(YEAR, 5, 10), 3), (dt.date(YEAR, 7, 10), 5)):
            services.session_record(enrolment=other, date=day, ors_items=[item] * 4, by=staff)
        exit_and_survey(other, dt.date(YEAR, 9, 29), text="Bra bemötande")

    enrolment = pf.register(
        association,
        stegsam,
        by=staff,
        number=NUMBER,
        consent_date=DATES["consent"],
        consent_scope=FIRST_SCOPE,
        start_date=DATES["start"],
        name=NAME,
        contact=CONTACT,
    )
    # The later session is registered first: by id, the order is the wrong way round.
    services.session_record(
        enrolment=enrolment, date=DATES["late"], ors_items=[7, 8, 7, 8], by=staff
    )
    early = services.session_record(
        enrolment=enrolment, date=DATES["early"], ors_items=[2, 3, 3, 4], srs_total="33", by=staff
    ).session
    services.enrolment_correct_entry(
        enrolment=enrolment,
        reason=REASONS[0],
        start_date=DATES["start"],
        entry_occupation=pf.code(association, CodeList.OCCUPATION, "aktivt-arbetssokande"),
        by=staff,
    )
    services.session_correct(
        session=early,
        reason=REASONS[1],
        date=DATES["early"],
        ors_items=[3, 3, 3, 3],
        srs_total="34",
        by=staff,
    )
    services.participant_correct(
        enrolment=enrolment, reason=REASONS[2], name=NAME, contact=CONTACT + " (ny)", by=staff
    )
    services.participant_consent_change(
        enrolment=enrolment, change="scope", changed_on=DATES["scope"], text=NEW_SCOPE, by=staff
    )
    services.participant_consent_change(
        enrolment=enrolment,
        change="withdrawn",
        changed_on=DATES["withdrawn"],
        text=WITHDRAWAL,
        by=staff,
    )
    exit_and_survey(enrolment, DATES["exit"], comment=COMMENT, text=FREE_TEXT)
    return {
        "association": association,
        "intervention": stegsam,
        "staff": staff,
        "enrolment": enrolment,
    }


def figures(association, office):
    """Every statistic the register publishes for the year, and the raw counts behind them."""
    interventions = selectors.register_interventions(association=association)
    return {
        "page": selectors.statistics(user=office, association=association, year=YEAR),
        "raw": selectors.register_tables(
            association=association, interventions=interventions, year=YEAR
        ).raw,
        "ors": selectors.ors_change(interventions=interventions, year=YEAR),
        "goals": selectors.goal_progress(interventions=interventions, year=YEAR),
        "counts": selectors.intervention_counts(
            intervention_ids=[i.pk for i in interventions], year=YEAR
        ),
        "summary": selectors.intervention_summary_rows(
            user=office, association=association, year=YEAR
        ),
    }


def dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    # JSON escapes non-ASCII; read it back so that "ö" is searched as "ö".
    return json.dumps(json.loads(out.getvalue()), ensure_ascii=False)


def test_erasure_leaves_nothing_personal_and_every_statistic_unchanged(client, register):
    association, enrolment = register["association"], register["enrolment"]
    participant = Participant.objects.get(pk=enrolment.participant_id)
    office = user_with_role(association, Role.OFFICE)
    before = figures(association, office)
    assert before["ors"][0]["published"] and str(before["ors"][0]["average"]) == "9.7"
    secrets = [
        participant.identity_hash,
        participant.name_encrypted[:40],
        participant.contact_encrypted[:40],
        NAME,
        "Raderasson",
        "070-765 43 21",
        "alva.raderasson@example.se",
        FIRST_SCOPE,
        NEW_SCOPE,
        WITHDRAWAL,
        *REASONS,
        COMMENT,
        FREE_TEXT,
        *(day.isoformat() for day in DATES.values()),
        NUMBER,
        NUMBER.replace("-", ""),
    ]
    text = dump()
    # The scan sees the data while it is there (names and contact details only as tokens).
    for value in [FIRST_SCOPE, WITHDRAWAL, *REASONS, COMMENT, FREE_TEXT, DATES["late"].isoformat()]:
        assert value in text, value

    client.force_login(register["staff"])
    response = client.post(
        reverse("participants:erase", args=[association.slug, enrolment.pk]), {"confirm": "on"}
    )
    assert response.status_code == 302

    text = dump()
    for value in secrets:
        assert value not in text, value
    assert figures(association, office) == before

    erased = Participant.objects.get(pk=participant.pk)
    assert erased.consent_withdrawn_on is None and erased.consent_withdrawal_note == ""
    assert erased.erased_at is not None and erased.identity_hash is None
    # The trail still shows that something happened: event, time and who, without content.
    rows = AuditEvent.objects.filter(after__participant=participant.pk).order_by("id")
    assert [r.event for r in rows] == [
        Event.ENROLMENT_ENTRY_CORRECTED,
        Event.SESSION_CORRECTED,
        Event.PARTICIPANT_CORRECTED,
        Event.PARTICIPANT_CONSENT_CHANGED,
        Event.PARTICIPANT_CONSENT_WITHDRAWN,
        Event.PARTICIPANT_ERASED,
    ]
    assert all(r.actor == register["staff"] and r.created_at for r in rows)
    assert all(r.before is None and r.target_repr == "(raderad)" for r in rows[:5])
    assert rows.last().after == {"participant": participant.pk, "audit_rows_blanked": 5}
    assert rows.last().intervention_id == register["intervention"].pk
    # The access log keeps who read and changed the data, with dates only to the month.
    details = list(
        AccessLogEntry.objects.filter(participant=participant).values_list("detail", flat=True)
    )
    assert f"Träff {YEAR}-06 registrerad" in details
    assert AccessLogEntry.objects.filter(participant=participant, action="erase").exists()


def test_sessions_keep_their_order_in_time_after_erasure(register):
    enrolment = register["enrolment"]
    ratings = list(enrolment.sessions.order_by("date", "id").values_list("ors_total", flat=True))
    services.participant_erase(participant=enrolment.participant, by=SYSTEM)
    after = Enrolment.objects.get(pk=enrolment.pk).sessions.order_by("date", "id")
    assert list(after.values_list("ors_total", flat=True)) == ratings
    assert {s.date for s in after} == {dt.date(YEAR, 6, 1)}
    assert all(s.staff is None for s in after)


def test_a_scheduled_erasure_is_on_record_as_the_system(register):
    enrolment = register["enrolment"]
    assert services.erase_expired(years=1, today=dt.date(YEAR + 2, 1, 1)) == 6
    row = AuditEvent.objects.get(
        event=Event.PARTICIPANT_ERASED, after__participant=enrolment.participant_id
    )
    assert row.actor_name == "system" and row.intervention_id is None and row.personal_data


def test_exports_after_erasure_cannot_be_linked_to_earlier_exports(client, register):
    """Before erasure the participant is D-<n> in the national CSV and the access log's export;
    after it, a keyed pseudonym of the erasure that no earlier export holds."""
    association, enrolment = register["association"], register["enrolment"]
    participant = Participant.objects.get(pk=enrolment.participant_id)
    before = participant.reference
    assert before == f"D-{participant.pk}"
    national = selectors.national_export_rows(
        user=register["staff"], intervention=register["intervention"]
    )
    assert any(before in row for row in national)

    client.force_login(register["staff"])
    client.post(
        reverse("participants:erase", args=[association.slug, enrolment.pk]), {"confirm": "on"}
    )
    erased = Participant.objects.get(pk=participant.pk)
    after = erased.reference
    assert after.startswith("R-") and after != before
    rows = selectors.national_export_rows(
        user=register["staff"], intervention=register["intervention"]
    )
    cells = [str(cell) for row in rows for cell in row]
    assert after in cells and before not in cells
    log = selectors.access_log_rows(AccessLogEntry.objects.filter(association=association))
    log_cells = [str(cell) for row in log for cell in row]
    assert after in log_cells and before not in log_cells
