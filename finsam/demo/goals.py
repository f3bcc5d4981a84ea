"""Demo goals, activities and internal control for the three seed associations.

Every goal of the seed plans with its measures (finsam/demo/goals_data.py), linked to the regional
plan's goals and to the demo interventions; activities with attendance per member organisation,
figures the office recorded, volume counts and a few assessments, so that attainment shows on the
demo; Kramfors' internal control plan from its plan's "Risker". Run after the funding and
participants demo. Idempotent: an association that has goal areas is left as it is.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

from django.db import transaction

from finsam.core.actors import SYSTEM
from finsam.demo.goals_data import PLANS
from finsam.funding.models import Intervention
from finsam.goals import services
from finsam.goals.models import Activity, Assessment, GoalArea, Measure, Period
from finsam.organisation.models import Meeting

A = Activity.Kind

# (title, kind, date, organiser, co-organisers, audience, goal text starts, attended per member)
ACTIVITIES = {
    "vastra-malardalen": [
        (
            "Dejta en myndighet",
            A.AGENCY_DATING,
            dt.date(2021, 3, 11),
            "",
            "Handläggare i KAK",
            ("100 deltagare på de KAK",),
            38,
        ),
        (
            "Lunchföreläsning: psykisk hälsa och arbete",
            A.LUNCH_LECTURE,
            dt.date(2021, 4, 20),
            "",
            "Parternas personal i KAK",
            ("100 deltagare på de KAK",),
            31,
        ),
        (
            "Utbildning i motiverande samtal",
            A.TRAINING,
            dt.date(2021, 10, 7),
            "",
            "Handläggare och coacher",
            ("100 deltagare på de KAK",),
            24,
        ),
        (
            "Länskonferens: Lösningsfokuserade ledtrådar",
            A.CONFERENCE,
            dt.date(2021, 5, 18),
            "Samordningsförbundet Västerås, Norra Västmanlands Samordningsförbund",
            "Chefer och medarbetare i länet",
            ("100 deltagare från KAK",),
            42,
        ),
        (
            "Information om Insatskatalogen i KAK",
            A.OTHER,
            dt.date(2021, 9, 14),
            "",
            "Handläggare i KAK",
            ("Samordningsförbundet ska genomföra en lokal",),
            19,
        ),
        ("Tillsammansveckan", A.AWARENESS_WEEK, dt.date(2021, 11, 8), "", "Alla parter", (), 55),
    ],
    "kramfors": [
        *[
            (
                f"Arbete & Hälsa, mötesdag {i}",
                A.NETWORK,
                day,
                "",
                "Chefs- och samverkansgruppen",
                ("Samordningsförbundet möjliggör", "Verka för att parterna", "Ge stöd till att"),
                9,
            )
            for i, day in enumerate(
                [
                    dt.date(2021, 2, 5),
                    dt.date(2021, 4, 16),
                    dt.date(2021, 6, 4),
                    dt.date(2021, 9, 17),
                    dt.date(2021, 11, 12),
                ],
                start=1,
            )
        ],
        (
            "Verksamhets- och planeringsdag",
            A.CONFERENCE,
            dt.date(2021, 9, 30),
            "",
            "Parterna, styrelsen och insatserna",
            ("Genomföra aktiviteter för att sprida",),
            26,
        ),
        (
            "Länsgemensam inspirationsdag",
            A.CONFERENCE,
            dt.date(2021, 3, 26),
            "Samordningsförbunden i Västernorrland",
            "Medlemmar, styrelser och chefsgrupper",
            ("Tillsammans med övriga förbund",),
            34,
        ),
        (
            "Psykiatridagen",
            A.CONFERENCE,
            dt.date(2021, 11, 10),
            "",
            "Samverkande myndigheter och invånare",
            (),
            60,
        ),
    ],
    "norra-vastmanland": [
        *[
            (
                f"Dejt med en verkSAMhet {i}",
                A.SEMINAR,
                dt.date(2022, month, 10),
                "",
                "Chefer, medarbetare och förtroendevalda",
                ("Arrangera en seminarieserie",),
                22,
            )
            for i, month in enumerate((2, 3, 4, 5, 9), start=1)
        ],
        *[
            (
                f"Utvecklingsrådet {i}",
                A.NETWORK,
                day,
                "",
                "Parternas chefsgrupp",
                ("Minst 4 möten med Utvecklingsrådet",),
                9,
            )
            for i, day in enumerate((dt.date(2022, 2, 3), dt.date(2022, 5, 12)), start=1)
        ],
        (
            "Seminarium om våld i nära relationer",
            A.SEMINAR,
            dt.date(2022, 4, 7),
            "",
            "Parternas personal",
            ("Tillsammans med förbundets parter",),
            47,
        ),
    ],
}

# (goal text start, measure text start, date, value, evidence)
ENTRIES = {
    "vastra-malardalen": [
        (
            "Det ska genomföras en undersökning",
            "Undersökningen",
            dt.date(2021, 6, 15),
            None,
            "Enkät skickad till 120 mottagare hos parterna; 46 svar, sammanställd till styrelsen.",
        ),
    ],
    "kramfors": [
        (
            "Finansiera och stödja",
            "Huvuddelen",
            dt.date(2021, 1, 22),
            D("82.72"),
            "Budget 2021: individinsatser 82,72 % av insatsmedlen (verksamhetsplanens fördelning).",
        ),
        (
            "Delta i regionala",
            "En gång i månaden",
            dt.date(2021, 6, 30),
            D(5),
            "Regionala förbundschefsnätverket januari–juni (ett möte inställt).",
        ),
        (
            "Att verka för att stimulera",
            "Styrelsen ska under året aktivt",
            dt.date(2021, 5, 28),
            None,
            "Medlemssamråd i Timrå 28 maj; fyra ledamöter deltog.",
        ),
    ],
    "norra-vastmanland": [
        (
            "Fortsätta utveckla samverkan",
            "Regelbunden kontakt",
            dt.date(2022, 6, 30),
            D(6),
            "Länspresidiet och förbundscheferna januari–juni.",
        ),
    ],
}

VOLUME = {
    "norra-vastmanland": [
        ("Grundutbildning Lösningfokus", dt.date(2022, 3, 24), 28, "Grundutbildning, två dagar"),
        ("Vidareutbildning Lösningfokus", dt.date(2022, 10, 13), 17, "Repetitionsdag"),
    ],
}

ASSESSMENTS = {
    "kramfors": [
        (
            "Samordningsförbundet möjliggör",
            Period.HALF_YEAR,
            Assessment.Verdict.WILL_BE_MET,
            "Tre av fem mötesdagar med Arbete & Hälsa hölls under första halvåret; två till är "
            "planerade i september och november.",
        ),
        (
            "Finansiera och stödja",
            Period.YEAR,
            Assessment.Verdict.MET,
            "82,72 % av insatsmedlen gick till individinriktade insatser.",
        ),
    ],
    "vastra-malardalen": [
        (
            "100 deltagare på de KAK",
            Period.YEAR,
            Assessment.Verdict.PARTLY,
            "93 deltagare: digitala utbildningar under pandemin nådde färre än planerat.",
        ),
    ],
}


def _interventions(association, prefixes) -> list[Intervention]:
    found = []
    for prefix in prefixes:
        found += list(
            Intervention.objects.filter(association=association, title__startswith=prefix)
        )
    return found


def _load_goals(association, plan) -> None:
    year = plan["year"]
    external = {
        number: services.external_goal_create(
            association=association,
            by=SYSTEM,
            source="Regional utvecklingsstrategi Västmanland (RUS 2030)",
            number=number,
            text=text,
        )
        for number, text in plan["external"]
    }
    for a_order, (name, description, goals) in enumerate(plan["areas"]):
        area = services.goal_area_create(
            association=association,
            by=SYSTEM,
            year=year,
            name=name,
            description=description,
            sort_order=a_order,
        )
        for g_order, g in enumerate(goals):
            interventions = _interventions(association, g.interventions)
            goal = services.goal_create(
                area=area,
                by=SYSTEM,
                text=g.text,
                sort_order=g_order,
                external_goals=[external[n] for n in g.external],
                interventions=interventions,
                intervention_goals=[ig for i in interventions for ig in i.goals.all()],
            )
            for m_order, m in enumerate(g.measures):
                services.measure_create(
                    goal=goal,
                    by=SYSTEM,
                    text=m.text,
                    kind=m.kind,
                    source=m.source,
                    metric=m.metric,
                    target=m.target,
                    due_date=m.due,
                    sort_order=m_order,
                )


def _goal(association, start: str):
    from finsam.goals.models import Goal

    return Goal.objects.get(area__association=association, text__startswith=start)


def _load_activities(association) -> None:
    members = list(association.members.order_by("pk"))
    for title, kind, day, partners, audience, goal_starts, attended in ACTIVITIES.get(
        association.slug, []
    ):
        activity = services.activity_create(
            association=association,
            by=SYSTEM,
            title=title,
            kind=kind,
            date=day,
            organiser=Activity.Organiser.JOINT if partners else Activity.Organiser.ALONE,
            co_organisers=partners,
            audience=audience,
            goals=[_goal(association, s) for s in goal_starts],
        )
        rows, left = {}, attended
        for i, member in enumerate(members):  # spread the attendance over the members
            share = attended // len(members) + (1 if i < attended % len(members) else 0)
            rows[member] = (share + (1 if i % 3 == 0 else 0), share)
            left -= share
        services.attendance_set(activity=activity, by=SYSTEM, rows=rows)
        services.evaluation_add(
            activity=activity,
            by=SYSTEM,
            question="Hur nöjd är du med aktiviteten som helhet (1–5)?",
            result=f"Medel 4,{(attended % 5) + 2} av {max(attended - 4, 1)} svar.",
        )


def _load_figures(association) -> None:
    for goal_start, measure_start, day, value, evidence in ENTRIES.get(association.slug, []):
        measure = Measure.objects.get(
            goal=_goal(association, goal_start), text__startswith=measure_start
        )
        services.entry_record(measure=measure, by=SYSTEM, date=day, value=value, evidence=evidence)
    for title, day, count, note in VOLUME.get(association.slug, []):
        intervention = Intervention.objects.get(association=association, title=title)
        services.volume_count_record(
            intervention=intervention, by=SYSTEM, date=day, count=count, note=note
        )
    for goal_start, period, verdict, reason in ASSESSMENTS.get(association.slug, []):
        services.assessment_set(
            goal=_goal(association, goal_start),
            by=SYSTEM,
            period=period,
            verdict=verdict,
            reason=reason,
        )


def _load_internal_control(association) -> None:
    """Kramfors' plan names its financial risks and how they are handled ("Risker")."""
    if association.slug != "kramfors":
        return
    meeting = Meeting.objects.filter(association=association, date=dt.date(2021, 11, 19)).first()
    plan = services.control_plan_create(
        association=association,
        by=SYSTEM,
        year=2021,
        adopted_on=dt.date(2020, 11, 20),
        report_meeting=meeting,
        previous_follow_up="Revisionen har rekommenderat att förbundet fortsätter att utveckla och "
        "systematisera arbetet med den interna kontrollen.",
    )
    consumption = services.risk_create(
        plan=plan,
        by=SYSTEM,
        area="Ekonomi",
        description="Medelsförbrukning: mer eller mindre medel nyttjas än vad som är budgeterat "
        "och beslutat av förbundsstyrelsen.",
        probability=3,
        consequence=3,
    )
    services.control_create(
        risk=consumption,
        by=SYSTEM,
        description="Ekonomisk uppföljning presenteras för förbundsstyrelsen.",
        owner="Förbundschef",
        frequency="Vid varje ordinarie styrelsemöte",
        method="Resultatuppföljning mot budget",
        result="Uppföljning redovisad vid samtliga möten till och med september.",
    )
    equity = services.risk_create(
        plan=plan,
        by=SYSTEM,
        area="Ekonomi",
        description="Eget kapital: för lite kapital för att täcka semesterlöneskuld och "
        "oförutsedda kostnader.",
        probability=2,
        consequence=4,
    )
    services.control_create(
        risk=equity,
        by=SYSTEM,
        description="Minst 180 000 kr avsätts i eget kapital.",
        owner="Förbundschef och ekonom",
        frequency="Vid delårs- och årsbokslut",
        method="Avstämning av eget kapital mot golvet",
        action="Budget i balans inför 2022.",
    )
    information = services.risk_create(
        plan=plan,
        by=SYSTEM,
        area="Medlemmar",
        description="Medlemmarna känner inte till möjligheten att söka medel från förbundet.",
        probability=2,
        consequence=2,
    )
    services.control_create(
        risk=information,
        by=SYSTEM,
        description="Information om förbundets finansiella situation i medlemssamråd, "
        "styrgrupper och chefsgruppen Arbete & Hälsa.",
        owner="Förbundschef",
        frequency="Löpande",
        method="Dokumenterat i minnesanteckningar",
    )


def load_goals_demo(association) -> bool:
    plan = PLANS.get(association.slug)
    if plan is None or GoalArea.objects.filter(association=association).exists():
        return False
    with transaction.atomic():
        _load_goals(association, plan)
        _load_activities(association)
        _load_figures(association)
        _load_internal_control(association)
    return True
