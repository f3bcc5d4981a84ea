"""The statistics summary equals the live count after every write (issue #15).

The statistics page reads the summary the services keep (models.StatisticsCount); the live count
of the register stays as the reference. After each service call — registration, sessions, exit,
exit survey, corrections, consent withdrawal, erasure, a code that voids participations — the
stored rows must equal a fresh count, and the page, the summary CSV and the years offered must
be the same read from either.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from finsam.core.actors import SYSTEM
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants import statistics as register_statistics
from finsam.participants.models import (
    CodeList,
    Enrolment,
    FollowUpCode,
    Participant,
    Session,
    StatisticsCount,
)
from finsam.participants.services import statistics_summary
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db

GOALS = [
    ("ärenden per år", "≥ 30 ärenden per år"),
    ("nöjda", "≥ 85 % nöjda deltagare"),
    ("steg", "1/3 gör stegförflyttning"),
    ("till arbete eller studier", "50 %"),
]


class World:
    def __init__(self, association):
        self.association = association
        services.codes_ensure_defaults(association=association)
        self.interventions = [
            pf.staffed_intervention(association, title="Samkraft", goals=GOALS),
            pf.staffed_intervention(association, title="STEGSAM", goals=GOALS[:2]),
        ]
        self.scale = services.survey_question_create(
            association=association,
            by=SYSTEM,
            text="Jag har blivit bemött med respekt",
            kind="scale",
            scale_low_label="Stämmer inte alls",
            scale_high_label="Stämmer helt",
        )
        self.yes_no = services.survey_question_create(
            association=association, by=SYSTEM, text="Jag vet vad nästa steg är", kind="yes_no"
        )
        self.office = user_with_role(association, Role.OFFICE)
        self.this_year = timezone.localdate().year
        self.years = [self.this_year - 2, self.this_year - 1, self.this_year]

    def codes(self, list_name: str) -> list[FollowUpCode]:
        return list(
            FollowUpCode.objects.filter(association=self.association, list_name=list_name).order_by(
                "id"
            )
        )

    def enrolments(self) -> list[Enrolment]:
        return list(
            Enrolment.objects.filter(intervention__association=self.association).order_by("pk")
        )

    def check(self) -> None:
        """The stored summary is a fresh count, and every published figure is the same."""
        assert statistics_summary.differences(self.association) == []
        a, office = self.association, self.office
        assert register_statistics.statistics_years(
            association=a
        ) == register_statistics.statistics_years(association=a, live=True)
        assert register_statistics.default_statistics_year(
            association=a
        ) == register_statistics.default_statistics_year(association=a, live=True)
        for year in self.years:
            stored = register_statistics.statistics(user=office, association=a, year=year)
            live = register_statistics.statistics(user=office, association=a, year=year, live=True)
            assert stored == live
            assert register_statistics.intervention_summary_rows(
                user=office, association=a, year=year
            ) == register_statistics.intervention_summary_rows(
                user=office, association=a, year=year, live=True
            )


@pytest.fixture
def world(association):
    return World(association)


def _day(world: World, parts) -> dt.date:
    back, month, day = parts
    return dt.date(world.this_year - back, month, day)


def _pick(items, index):
    return items[index % len(items)] if items else None


def _code(world, list_name, index):
    codes = world.codes(list_name)
    return None if index >= len(codes) else codes[index]


def apply(world: World, step) -> None:
    """One service call, as a person could make it; a refused call changes nothing."""
    kind, *args = step
    a = world.association
    enrolment = _pick(world.enrolments(), args[0]) if kind not in ("register", "void") else None
    if kind not in ("register", "void") and enrolment is None:
        return
    try:
        if kind == "register":
            intervention, person, day, occupation = args
            serial = f"{20 + person:02d}{person % 2}"
            start = _day(world, day)
            pf.register(
                a,
                world.interventions[intervention],
                number=pf.identity_number(dt.date(1980 + person, 3, 1), serial),
                start_date=start,
                consent_date=start,
                entry_occupation=_code(world, CodeList.OCCUPATION, occupation),
            )
        elif kind in ("exit", "correct_exit"):
            _index, day, reason, occupation, step_code = args
            fields = {
                "enrolment": enrolment,
                "exit_date": _day(world, day),
                "exit_reason": _code(world, CodeList.EXIT_REASON, reason),
                "exit_occupation": _code(world, CodeList.OCCUPATION, occupation),
                "step_progress": _code(world, CodeList.STEP_PROGRESS, step_code),
                "by": SYSTEM,
            }
            if kind == "exit":
                services.enrolment_exit(**fields)
            else:
                services.enrolment_correct_exit(reason="Fel uppgift", **fields)
        elif kind == "survey":
            _index, satisfied, scale, yes_no, day = args
            answers = {
                world.scale.pk: scale or "",
                world.yes_no.pk: {1: True, 2: False}.get(yes_no),
            }
            services.exit_survey_record(
                enrolment=enrolment,
                satisfied=satisfied,
                self_rated_progress=3,
                answers={k: ("" if v is None else v) for k, v in answers.items()},
                answered_on=_day(world, day) if day else None,
                by=SYSTEM,
            )
        elif kind == "session":
            _index, day, level = args
            services.session_record(
                enrolment=enrolment,
                date=_day(world, day),
                ors_items=[str(level), "5", "5,5", "6"],
                by=SYSTEM,
            )
        elif kind == "correct_entry":
            _index, day, occupation = args
            services.enrolment_correct_entry(
                enrolment=enrolment,
                reason="Fel startdatum",
                start_date=_day(world, day),
                entry_occupation=_code(world, CodeList.OCCUPATION, occupation),
                identity_text=pf.identity_number(dt.date(1980, 3, 1), "200"),
                by=SYSTEM,
            )
        elif kind == "delete_session":
            session = Session.objects.filter(enrolment=enrolment).order_by("pk").first()
            if session is not None:
                services.session_delete(session=session, reason="Fel person", by=SYSTEM)
        elif kind == "erase":
            services.participant_erase(participant=enrolment.participant, by=SYSTEM)
        elif kind == "withdraw":
            services.participant_consent_change(
                enrolment=enrolment,
                change="withdrawn",
                changed_on=timezone.localdate(),
                text="Allt",
                by=SYSTEM,
            )
        elif kind == "void":
            reason, voids = args
            code = _code(world, CodeList.EXIT_REASON, reason)
            services.follow_up_code_update(code=code, data={"voids_enrolment": voids}, by=SYSTEM)
    except (ValidationError, PermissionDenied):
        pass


days = st.tuples(st.integers(0, 2), st.integers(1, 12), st.integers(1, 28))
index = st.integers(0, 20)
steps = st.one_of(
    st.tuples(st.just("register"), st.integers(0, 1), st.integers(0, 11), days, st.integers(0, 7)),
    st.tuples(
        st.sampled_from(["exit", "correct_exit"]),
        index,
        days,
        st.integers(0, 3),
        st.integers(0, 7),
        st.integers(0, 3),
    ),
    st.tuples(
        st.just("survey"),
        index,
        st.booleans(),
        st.integers(0, 5),
        st.integers(0, 2),
        st.one_of(st.none(), days),
    ),
    st.tuples(st.just("session"), index, days, st.integers(0, 10)),
    st.tuples(st.just("correct_entry"), index, days, st.integers(0, 7)),
    st.tuples(st.sampled_from(["delete_session", "erase", "withdraw"]), index),
    st.tuples(st.just("void"), st.integers(0, 3), st.booleans()),
)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.lists(
        st.tuples(
            st.just("register"), st.integers(0, 1), st.integers(0, 11), days, st.integers(0, 7)
        ),
        min_size=1,
        max_size=6,
    ),
    sequence=st.lists(steps, max_size=8),
)
def test_the_summary_equals_the_live_count_after_every_service_call(world, start, sequence):
    with transaction.atomic():
        for step in [*start, *sequence]:
            apply(world, step)
            # After every write the stored rows are a fresh count (cheap); the published
            # figures, built from them, once the sequence is done.
            assert statistics_summary.differences(world.association) == []
        world.check()
        transaction.set_rollback(True)


def _seven(world: World, intervention, *, year_back: int = 0, first_serial: int = 300):
    out = []
    for n in range(7):
        start = dt.date(world.this_year - year_back, 1, 1 + n)
        out.append(
            pf.register(
                world.association,
                intervention,
                number=pf.identity_number(dt.date(1990, 1, 1 + n), f"{first_serial + n}"),
                start_date=start,
                consent_date=start,
            )
        )
    return out


def test_each_kind_of_write_keeps_the_summary_equal_to_the_live_count(world):
    samkraft, stegsam = world.interventions
    year = world.this_year
    enrolments = _seven(world, samkraft, year_back=1)
    world.check()
    _seven(world, stegsam, first_serial=400)
    world.check()
    first = enrolments[0]
    for day, level in ((dt.date(year - 1, 3, 1), "2"), (dt.date(year - 1, 4, 1), "7,5")):
        services.session_record(
            enrolment=first, date=day, ors_items=[level, level, level, level], by=SYSTEM
        )
    world.check()
    arbete = pf.code(world.association, CodeList.OCCUPATION, "arbete")
    for e in enrolments[:5]:
        services.enrolment_exit(
            enrolment=e,
            exit_date=dt.date(year, 2, 1),
            exit_reason=pf.code(world.association, CodeList.EXIT_REASON, "planerat-avslut"),
            exit_occupation=arbete,
            step_progress=pf.code(world.association, CodeList.STEP_PROGRESS, "narmare"),
            by=SYSTEM,
        )
        services.exit_survey_record(
            enrolment=e,
            satisfied=True,
            self_rated_progress=4,
            answers={world.scale.pk: 4, world.yes_no.pk: True},
            by=SYSTEM,
        )
    world.check()
    exits = StatisticsCount.objects.filter(
        intervention=samkraft, year=year, dimension="exit_reason"
    ).values_list("n", flat=True)
    assert sum(exits) == 5
    services.enrolment_correct_exit(
        enrolment=first,
        reason="Fel datum",
        exit_date=dt.date(year, 3, 1),
        exit_reason=pf.code(world.association, CodeList.EXIT_REASON, "avbrott"),
        exit_occupation=None,
        step_progress=None,
        by=SYSTEM,
    )
    world.check()
    services.enrolment_correct_entry(
        enrolment=enrolments[6],
        reason="Fel startdatum",
        start_date=dt.date(year - 2, 6, 1),
        entry_occupation=arbete,
        identity_text=pf.identity_number(dt.date(1990, 1, 7), "306"),
        by=SYSTEM,
    )
    world.check()
    session = first.sessions.order_by("date").last()
    services.session_correct(
        session=session,
        reason="Fel skattning",
        date=session.date,
        ors_items=["9", "9", "9", "9"],
        by=SYSTEM,
    )
    world.check()
    services.session_delete(session=session, reason="Fel person", by=SYSTEM)
    world.check()
    services.participant_consent_change(
        enrolment=enrolments[1],
        change="withdrawn",
        changed_on=timezone.localdate(),
        text="Allt",
        by=SYSTEM,
    )
    world.check()
    services.participant_erase(participant=enrolments[2].participant, by=SYSTEM)
    world.check()
    avbrott = pf.code(world.association, CodeList.EXIT_REASON, "avbrott")
    services.follow_up_code_update(code=avbrott, data={"voids_enrolment": True}, by=SYSTEM)
    world.check()
    services.follow_up_code_update(code=arbete, data={"label": "Arbete (alla former)"}, by=SYSTEM)
    world.check()


def test_a_refused_write_leaves_the_summary_as_it_was(world):
    enrolment = _seven(world, world.interventions[0])[0]
    before = statistics_summary.stored_rows(world.association)
    with pytest.raises(ValidationError):
        services.enrolment_exit(
            enrolment=enrolment,
            exit_date=enrolment.start_date - dt.timedelta(days=1),
            exit_reason=None,
            by=SYSTEM,
        )
    assert statistics_summary.stored_rows(world.association) == before
    world.check()


def test_rebuild_counts_what_the_services_kept(world):
    _seven(world, world.interventions[0], year_back=1)
    kept = statistics_summary.stored_rows(world.association)
    assert kept
    StatisticsCount.objects.all().delete()
    assert statistics_summary.rebuild(world.association) == len(kept)
    assert statistics_summary.stored_rows(world.association) == kept


def test_the_command_checks_and_rebuilds(world, other_association, capsys):
    _seven(world, world.interventions[0])
    call_command("rebuild_participant_statistics", "--check")
    assert "stämmer" in capsys.readouterr().out
    # A bulk load past the services (as the benchmark's COPY): the check finds it, exit 1.
    StatisticsCount.objects.filter(dimension="gender").update(n=F("n") + 1)
    with pytest.raises(CommandError) as raised:
        call_command(
            "rebuild_participant_statistics", "--check", "--association", "vastra-testdalen"
        )
    assert raised.value.returncode == 1
    assert "skillnader" in str(raised.value)
    call_command("rebuild_participant_statistics", "--association", "annat")
    with pytest.raises(CommandError):
        call_command("rebuild_participant_statistics", "--check")
    call_command("rebuild_participant_statistics", "--association", "vastra-testdalen")
    call_command("rebuild_participant_statistics", "--check")
    world.check()
    with pytest.raises(CommandError):
        call_command("rebuild_participant_statistics", "--association", "finns-inte")


def test_erased_participants_stay_in_the_summary(world):
    enrolments = _seven(world, world.interventions[0])
    services.participant_erase(participant=enrolments[0].participant, by=SYSTEM)
    assert Participant.objects.filter(erased_at__isnull=False).count() == 1
    gender = StatisticsCount.objects.filter(dimension="gender")
    assert sum(gender.values_list("n", flat=True)) == 7
    world.check()


def test_the_statistics_page_reads_the_summary_in_few_queries(
    world, client, django_assert_max_num_queries
):
    for n, intervention in enumerate(world.interventions):
        _seven(world, intervention, first_serial=300 + 10 * n)
    client.force_login(world.office)
    url = reverse("participants:statistics", args=[world.association.slug])
    client.get(url)  # the session and the user's roles warm up: count the page's own reads
    with django_assert_max_num_queries(16) as captured:
        response = client.get(f"{url}?ar={world.this_year}")
    assert response.status_code == 200
    # The page's own reads: the years, the interventions and their goals, the codes, the
    # summary of the year and of the years before, the questions (the rest is the session,
    # the user and the roles).
    own = [
        q["sql"]
        for q in captured.captured_queries
        if "participants_" in q["sql"] or "funding_intervention" in q["sql"]
    ]
    assert len(own) <= 8, own
    # Nothing counts the register: no grouping over participations, sessions or surveys.
    register = ("participants_enrolment", "participants_session", "participants_exitsurvey")
    assert not any("GROUP BY" in sql and any(t in sql for t in register) for sql in own)
    assert "Samkraft" in response.content.decode()


def test_the_data_migration_counts_an_existing_register(world):
    """Migration 0003 counts the summary for a register that existed before it."""
    import importlib

    from django.apps import apps

    migration = importlib.import_module(
        "finsam.participants.migrations.0003_build_statistics_counts"
    )
    _seven(world, world.interventions[0], year_back=1)
    kept = statistics_summary.stored_rows(world.association)
    migration.unbuild(apps, None)
    assert not StatisticsCount.objects.exists()
    migration.build(apps, None)
    assert statistics_summary.stored_rows(world.association) == kept
    world.check()
