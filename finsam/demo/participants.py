"""Demo participants for the seeds' individual interventions: fake people, generated
deterministically (random.Random with a fixed seed), with test identity numbers (see
`fake_identity_number`) that are used once to register and then dropped, like real ones.

The association also gets a few exit-survey questions of its own, which the generated exit surveys
answer. Run after finsam.demo.funding.load_funding_demo. Idempotent: an association that already
has participants is left as it is (only the demo user's staff access is checked again).
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.funding.models import Intervention
from finsam.participants import services
from finsam.participants.models import CodeList, FollowUpCode, Participant, SurveyQuestion

SEED = 20210630
#: (title prefix, participants) per association slug.
DEMO_INTERVENTIONS = {
    "kramfors": [("STEGSAM –", 26), ("STEGSAM Plus", 9), ("Teamkoordinator/Coach Samkraft", 22)],
    "norra-vastmanland": [
        ("Samordningsteam FNS", 14),
        ("Samordningsteam Sala", 14),
        ("Samordningsteam Hallstahammar", 11),
        ("Samordningsteam Surahammar", 10),
    ],
}
#: Per association: the demo login (organisation's load_demo) that is staff of the individual
#: interventions with demo participants, so that every one of them can be opened on the demo.
DEMO_STAFF = {
    "kramfors": ("insats", ("STEGSAM –", "STEGSAM Plus", "Teamkoordinator/Coach Samkraft")),
    "norra-vastmanland": (
        "team",
        (
            "Samordningsteam FNS",
            "Samordningsteam Sala",
            "Samordningsteam Hallstahammar",
            "Samordningsteam Surahammar",
        ),
    ),
}
#: Measurable goals for demo interventions whose plan states none per intervention, so that
#: goal progress shows for every one of them: Norra Västmanland's plan says its four teams
#: reach about 120 people a year together (verksamhetsplan 2022); the demo gives each a quarter.
DEMO_GOALS = {
    "norra-vastmanland": [
        (
            "Deltagarvolym: teamen når tillsammans ca 120 personer per år (demo: en fjärdedel "
            "per team)",
            "30 ärenden per år",
        )
    ],
}
#: Skatteverket's test personal identity numbers ("testpersonnummer", published as open data by
#: Skatteverket and listed on dataportal.se): valid numbers that belong to no real person.
#: Those born 1960–2005, as reproduced from that list in public test suites. The demo uses
#: each at most once per association, for a participant whose age at start fits the
#: intervention.
SKATTEVERKET_TEST_NUMBERS = (
    "196107293059",
    "196108193175",
    "196108283166",
    "196109072972",
    "196201082697",
    "196404153832",
    "197103011032",
    "197907179191",
    "197911109291",
    "197912309296",
    "198101079294",
    "198705212382",
    "198808112380",
    "199001252387",
    "199006022397",
    "199007212393",
    "199007282388",
    "199007302384",
    "199107172380",
    "199212252382",
    "199312162390",
    "199312172381",
    "199504242398",
    "199610202385",
    "199705162387",
    "199710182396",
    "199912282382",
    "200001022391",
    "200001032382",
    "200001042399",
    "200001052380",
    "200002262384",
    "200007312382",
    "200304302383",
    "200510162381",
    "200512312398",
)
FIRST_NAMES = [
    "Alva",
    "Elias",
    "Maja",
    "Noah",
    "Ella",
    "Hugo",
    "Wilma",
    "Liam",
    "Saga",
    "Adam",
    "Alice",
    "Lucas",
    "Vera",
    "Oscar",
    "Selma",
    "Leo",
    "Ebba",
    "Nils",
    "Tyra",
    "Melvin",
    "Linnea",
    "Omar",
    "Amina",
    "Yusuf",
    "Fatima",
    "Ali",
    "Sara",
    "Johan",
    "Emma",
    "Viktor",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Hassan",
    "Lindberg",
    "Berg",
    "Sjöberg",
]


#: The association's own exit-survey questions: (text, kind, low label, high label, required).
DEMO_QUESTIONS = [
    ("Jag har blivit bemött med respekt", "scale", "Stämmer inte alls", "Stämmer helt", True),
    ("Jag vet vad nästa steg är", "yes_no", "", "", False),
    ("Vad kunde vi ha gjort bättre?", "text", "", "", False),
]
DEMO_IMPROVEMENTS = [
    "Fler träffar i början.",
    "Snabbare kontakt med Arbetsförmedlingen.",
    "Det var bra som det var.",
    "Mer stöd i att söka jobb.",
    "Träffarna kunde ha legat närmare där jag bor.",
]


def luhn_check_digit(nine_digits: str) -> int:
    total = 0
    for i, ch in enumerate(nine_digits):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return (10 - total % 10) % 10


def fake_identity_number(
    rng: random.Random,
    *,
    start: dt.date,
    age_from: int,
    age_to: int,
    used: set[str],
) -> tuple[str, dt.date]:
    """An identity number for a demo participant who starts on `start` aged age_from..age_to,
    with its birth date.

    First one of Skatteverket's test personnummer that fits the age and is not in `used`.
    The published list is far shorter than the demo (a hundred people, many of them 16–20), and
    the number plan reserves no series of its own for tests, so the rest get a samordningsnummer
    (birth day + 60, ÅÅÅÅMMDD-NNNC with a valid check digit): a random birth number in that
    form is much less likely to be someone's than a personnummer, since samordningsnummer are
    issued to far fewer people per birth date. Either way the register only ever keeps the
    number's keyed hash.
    """
    fitting = [
        number
        for number in SKATTEVERKET_TEST_NUMBERS
        if number not in used
        and age_from <= _age(_birth(number), start) <= age_to
        and _birth(number) <= start
    ]
    if fitting:
        number = rng.choice(fitting)
        used.add(number)
        return f"{number[:8]}-{number[8:]}", _birth(number)
    age = rng.randint(age_from, age_to)
    birth = start.replace(year=start.year - age - 1, day=1) + dt.timedelta(days=rng.randint(0, 360))
    while True:
        serial = f"{rng.randint(1, 999):03d}"
        day = birth.day + 60
        check = luhn_check_digit(f"{birth:%y%m}{day}{serial}")
        number = f"{birth:%Y%m}{day}-{serial}{check}"
        if number not in used:
            used.add(number)
            return number, birth


def _birth(number: str) -> dt.date:
    return dt.date(int(number[:4]), int(number[4:6]), int(number[6:8]))


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - int((on.month, on.day) < (birth.month, birth.day))


def _codes(association) -> dict[str, dict[str, FollowUpCode]]:
    out: dict[str, dict[str, FollowUpCode]] = {}
    for code in FollowUpCode.objects.filter(association=association):
        out.setdefault(code.list_name, {})[code.code] = code
    return out


def _rating(rng: random.Random, level: float) -> Decimal:
    return Decimal(str(round(min(10.0, max(0.0, rng.gauss(level, 1.2))), 1)))


def _attach_staff(association) -> None:
    from finsam.funding.services import intervention_staff_set
    from finsam.organisation.models import Membership, Role

    username, prefixes = DEMO_STAFF.get(association.slug, ("", ()))
    membership = Membership.objects.filter(
        association=association, role=Role.STAFF, user__username=username
    ).first()
    if membership is None:
        return
    for prefix in prefixes:
        intervention = Intervention.objects.filter(
            association=association, title__startswith=prefix
        ).first()
        if intervention and not intervention.staff.filter(pk=membership.user_id).exists():
            intervention_staff_set(
                intervention=intervention,
                users=[*intervention.staff.all(), membership.user],
                by=SYSTEM,
            )


def load_participants_demo(association, *, today: dt.date | None = None) -> bool:
    """Generate the demo participants; True when something was loaded."""
    plan = DEMO_INTERVENTIONS.get(association.slug)
    loaded = False
    if plan and not Participant.objects.filter(association=association).exists():
        with transaction.atomic():
            _generate(association, plan, today or timezone.localdate())
        loaded = True
    _attach_staff(association)
    _add_goals(association)
    return loaded


def _add_goals(association) -> None:
    from finsam.funding.models import InterventionGoal

    goals = DEMO_GOALS.get(association.slug, [])
    for prefix in DEMO_STAFF.get(association.slug, ("", ()))[1]:
        intervention = Intervention.objects.filter(
            association=association, title__startswith=prefix
        ).first()
        if intervention is None or intervention.goals.exists():
            continue
        for order, (text, target) in enumerate(goals):
            InterventionGoal.objects.create(
                intervention=intervention, text=text, target_value=target, sort_order=order
            )


def _generate(association, plan, today: dt.date) -> None:
    rng = random.Random(f"{SEED}-{association.slug}")
    # The answers draw from their own generator, so the people and their ratings stay the same
    # as before the questions existed.
    answers_rng = random.Random(f"{SEED}-{association.slug}-answers")
    services.codes_ensure_defaults(association=association)
    questions = _questions(association)
    codes = _codes(association)
    members = list(association.members.all())
    used: set[str] = set()
    for prefix, count in plan:
        intervention = Intervention.objects.filter(
            association=association, title__startswith=prefix
        ).first()
        if intervention is None:
            continue
        last_day = min(intervention.period_end or today, today)
        first_day = max(intervention.period_start, last_day - dt.timedelta(days=2 * 365))
        span = (last_day - first_day).days
        age_from, age_to = intervention.age_from or 16, intervention.age_to or 64
        for _n in range(count):
            start = first_day + dt.timedelta(days=rng.randint(0, max(span - 20, 0)))
            number, _birth_date = fake_identity_number(
                rng, start=start, age_from=age_from, age_to=age_to, used=used
            )
            occupation = rng.choice(list(codes[CodeList.OCCUPATION].values())[2:])
            enrolment = services.participant_register(
                association=association,
                intervention=intervention,
                identity_text=number,
                consent_date=start,
                consent_scope="Registrering och uppföljning i insatsen samt rapportering till "
                "Uppföljning Finsam.",
                start_date=start,
                name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                contact=f"07{rng.randint(0, 9)}-{rng.randint(100, 999)} {rng.randint(10, 99)} "
                f"{rng.randint(10, 99)}",
                referring_member=rng.choice(members) if members else None,
                involved_members=rng.sample(members, k=min(2, len(members))),
                entry_occupation=occupation,
                entry_income_source=codes[CodeList.INCOME_SOURCE][occupation.code],
                time_outside=rng.choice(list(codes[CodeList.TIME_OUTSIDE].values())),
                education=rng.choice(list(codes[CodeList.EDUCATION].values())),
                by=SYSTEM,
                today=today,
            )
            level = rng.uniform(3.5, 6.0)
            gain = rng.uniform(-0.3, 1.0)
            day = start
            for _s in range(rng.randint(3, 8)):
                if day > last_day:
                    break
                services.session_record(
                    enrolment=enrolment,
                    date=day,
                    kind="group" if rng.random() < 0.2 else "individual",
                    ors_items=[_rating(rng, level) for _i in range(4)],
                    srs_total=Decimal(str(round(min(40.0, rng.gauss(37.5, 2.0)), 1))),
                    by=SYSTEM,
                    today=today,
                )
                level += gain
                day += dt.timedelta(days=rng.randint(14, 30))
            exit_day = min(day, last_day)
            if _n == 0:
                _demo_corrections(enrolment, codes, today)
            if (
                exit_day < today - dt.timedelta(days=14)
                and rng.random() < 0.65
                or (intervention.period_end and intervention.period_end < today)
            ):
                _exit(rng, enrolment, exit_day, codes, gain, today, questions, answers_rng)


def _questions(association) -> list[SurveyQuestion]:
    if not SurveyQuestion.objects.filter(association=association).exists():
        for text, kind, low, high, required in DEMO_QUESTIONS:
            services.survey_question_create(
                association=association,
                text=text,
                kind=kind,
                scale_low_label=low,
                scale_high_label=high,
                required=required,
                by=SYSTEM,
            )
    return services.survey_questions(association=association, active_only=True)


def _answers(rng: random.Random, questions, *, satisfied: bool) -> dict[int, object]:
    answers: dict[int, object] = {}
    for question in questions:
        if question.kind == SurveyQuestion.Kind.SCALE:
            answers[question.pk] = rng.choice([4, 5, 5]) if satisfied else rng.randint(1, 4)
        elif question.kind == SurveyQuestion.Kind.YES_NO:
            answers[question.pk] = rng.random() < (0.8 if satisfied else 0.4)
        elif rng.random() < 0.35:
            answers[question.pk] = rng.choice(DEMO_IMPROVEMENTS)
    return answers


def _demo_corrections(enrolment, codes, today) -> None:
    """Each intervention's first participant shows a correction history on the demo."""
    time_outside = codes[CodeList.TIME_OUTSIDE]
    corrected = next(c for c in time_outside.values() if c != enrolment.time_outside)
    services.enrolment_correct_entry(
        enrolment=enrolment,
        reason="Fel tid utanför arbete registrerad; rättad efter samtal med deltagaren.",
        start_date=enrolment.start_date,
        referring_member=enrolment.referring_member,
        involved_members=list(enrolment.involved_members.all()),
        entry_occupation=enrolment.entry_occupation,
        entry_income_source=enrolment.entry_income_source,
        time_outside=corrected,
        education=enrolment.education,
        by=SYSTEM,
        today=today,
    )
    session = enrolment.sessions.order_by("date", "id").first()
    if session is not None and session.ors_total is not None:
        items = [getattr(session, name) for name in services.ORS_FIELDS]
        items[0] = items[0] - 1 if items[0] >= 1 else items[0] + 1
        services.session_correct(
            session=session,
            reason="Felskrivet från pappersblanketten.",
            date=session.date,
            kind=session.kind,
            ors_items=items,
            srs_total=session.srs_total,
            by=SYSTEM,
            today=today,
        )


def _exit(rng, enrolment, exit_day, codes, gain, today, questions, answers_rng) -> None:
    occupation = codes[CodeList.OCCUPATION]
    moved = gain > 0.4 and rng.random() < 0.7
    after = (
        rng.choice([occupation["arbete"], occupation["studier"]])
        if moved and rng.random() < 0.5
        else enrolment.entry_occupation
    )
    step = codes[CodeList.STEP_PROGRESS]
    services.enrolment_exit(
        enrolment=enrolment,
        exit_date=exit_day,
        exit_reason=codes[CodeList.EXIT_REASON][
            rng.choices(["planerat-avslut", "avbrott", "flytt"], weights=[8, 2, 1])[0]
        ],
        exit_occupation=after,
        exit_income_source=codes[CodeList.INCOME_SOURCE][after.code],
        step_progress=step["i-arbete-studier"]
        if after.is_positive
        else (step["narmare"] if moved else step["ingen"]),
        by=SYSTEM,
        today=today,
    )
    if rng.random() < 0.8:
        satisfied = rng.random() < 0.86
        services.exit_survey_record(
            enrolment=enrolment,
            satisfied=satisfied,
            self_rated_progress=rng.randint(3, 5) if moved else rng.randint(1, 4),
            answers=_answers(answers_rng, questions, satisfied=satisfied),
            by=SYSTEM,
        )
