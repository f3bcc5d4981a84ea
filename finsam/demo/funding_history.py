"""The demo's history: what the interventions reported and were paid in the years behind us.

The seeds are plans for 2019–2022, so without this every status report of the demo would be
overdue and every intervention "Utbetalt 0 kr". Everything is replayed through the services, as
the people would have done it: the staff (`insats` in Kramfors, the office elsewhere) write and
submit the reports, the office (`kansli`) returns or approves them and approves requisitions, and
the economist (`ekonom`) pays them. The services stamp each step with `timezone.now()`; here the
clock is set to the day the step happened (`_clock`), so the submitted and reviewed dates and the
audit trail read like the history they tell, and the demo is the same whatever day it is loaded.

Kramfors is written out by hand and left with work to do: two annual reports for 2021 waiting for
the office's review, one overdue (Psykiatridagen 2021, from the region), and Psykiatridagen's
requisition for 2021 waiting for approval. The other associations get a short, generic history:
every report approved and every grant paid. The texts are illustrative; the seeds state none of it,
and no real person is named.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from django.utils import timezone

from finsam.funding import services
from finsam.funding.models import (
    Grant,
    Intervention,
    InterventionReport,
    ReportGoalAttainment,
    ReportKind,
    Requisition,
)

D = Decimal
INTERIM, ANNUAL = ReportKind.INTERIM.value, ReportKind.ANNUAL.value
# A requisition is approved this many days after it is made, and paid this many days after that.
DAYS_TO_APPROVE = 3
DAYS_TO_PAY = 5


@contextmanager
def _clock(day: dt.date, hour: int = 10) -> Iterator[None]:
    """Run the services as if it were `day` at `hour` (Stockholm time)."""
    moment = dt.datetime.combine(day, dt.time(hour), tzinfo=timezone.get_current_timezone())
    real = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real


@dataclass(frozen=True)
class Completion:
    """The office returned the report; the staff completed it and submitted it again."""

    returned: dt.date
    comment: str
    changes: dict[str, str]
    resubmitted: dt.date


@dataclass(frozen=True)
class ReportStory:
    kind: str
    year: int
    what_happened: str = ""
    outcome: str = ""
    forecast: int | None = None
    deviations: str = ""
    # (value, comment) per goal of the intervention, in the goals' order.
    goals: tuple[tuple[str, str], ...] = ()
    submitted: dt.date | None = None  # None: never written (overdue)
    approved: dt.date | None = None  # None: waiting for the office's review
    comment: str = ""
    completion: Completion | None = None


@dataclass(frozen=True)
class RequisitionStory:
    year: int
    requested: dt.date
    amount: int
    actual_costs: int | None
    note: str = ""
    paid: bool = True  # False: waiting for the office's approval


@dataclass(frozen=True)
class History:
    writer: str  # the username that writes the reports and makes the requisitions
    reports: tuple[ReportStory, ...] = ()
    requisitions: tuple[RequisitionStory, ...] = ()
    # Years paid as twelve monthly instalments from a payment plan (the 28th of each month).
    monthly_plan_years: tuple[int, ...] = ()


# --- Kramfors ------------------------------------------------------------------------------------

SAMKRAFT = History(
    writer="insats",
    monthly_plan_years=(2020, 2021),
    reports=(
        ReportStory(
            INTERIM,
            2020,
            what_happened="Beredningsgruppen har träffats varje månad, från april på distans. "
            "Teamkoordinatorn har haft regelbundna samtal med deltagarna och stöttat dem i "
            "kontakterna med myndigheterna.",
            outcome="13 ärenden har varit aktuella under halvåret. 3 deltagare har gått vidare "
            "till arbete eller studier och 2 till fortsatt rehabilitering.",
            forecast=600_000,
            deviations="Färre nya remisser än vanligt under våren. Kostnaderna följer budget.",
            goals=(
                ("6 möten i beredningsgruppen", "Alla fyra myndigheterna har deltagit."),
                ("13 deltagare med egen plan", ""),
                ("13 ärenden hittills i år", "Något färre remisser än planerat under våren."),
            ),
            submitted=dt.date(2020, 7, 24),
            approved=dt.date(2020, 8, 20),
            comment="Tack för rapporten.",
        ),
        ReportStory(
            ANNUAL,
            2020,
            what_happened="Beredningsgruppen har haft elva möten. Under hösten kom fler remisser "
            "från Arbetsförmedlingen och Försäkringskassan. Arbetssättet med gemensam kartläggning "
            "har utvecklats tillsammans med STEGSAM.",
            outcome="24 ärenden under året. 7 deltagare har avslutats mot arbete eller studier och "
            "5 mot fortsatt rehabilitering hos någon av parterna.",
            forecast=600_000,
            deviations="24 ärenden mot målet 25. Kostnaderna blev enligt budget.",
            goals=(
                ("11 möten i beredningsgruppen", ""),
                ("24 deltagare med egen plan", ""),
                ("24 ärenden 2020", "Ett ärende under målet."),
            ),
            submitted=dt.date(2021, 1, 26),
            approved=dt.date(2021, 2, 18),
            comment="Godkänd. Föredras för styrelsen i februari.",
        ),
        ReportStory(
            INTERIM,
            2021,
            what_happened="Beredningsgruppen har träffats varje månad. Samlokaliseringen med "
            "STEGSAM och det kommunala aktivitetsansvaret gör det lättare att slussa unga vuxna "
            "mellan insatserna.",
            outcome="15 ärenden hittills i år.",
            forecast=600_000,
            deviations="Inga avvikelser.",
            goals=(
                ("6 möten i beredningsgruppen", ""),
                ("15 deltagare med egen plan", ""),
                ("15 ärenden hittills i år", "I fas med målet på 25 ärenden per år."),
            ),
            submitted=dt.date(2021, 7, 20),
            completion=Completion(
                returned=dt.date(2021, 8, 10),
                comment="Komplettera gärna utfallet med hur många som har avslutats hittills i "
                "år och vart de har gått.",
                changes={
                    "outcome": "15 ärenden hittills i år. 4 deltagare har avslutats: 2 till "
                    "arbete, 1 till studier och 1 till fortsatt rehabilitering inom regionen."
                },
                resubmitted=dt.date(2021, 8, 17),
            ),
            approved=dt.date(2021, 8, 24),
            comment="Tack för kompletteringen.",
        ),
        ReportStory(
            ANNUAL,
            2021,
            what_happened="Beredningsgruppen har haft elva möten. Teamkoordinatorn har tillsammans "
            "med STEGSAM tagit fram en gemensam rutin för överlämning mellan insatserna.",
            outcome="27 ärenden under året. 9 deltagare har avslutats mot arbete eller studier och "
            "6 mot fortsatt rehabilitering.",
            forecast=600_000,
            deviations="Inga avvikelser mot budget eller plan.",
            goals=(
                ("11 möten i beredningsgruppen", "Rutinen för överlämning är antagen."),
                ("27 deltagare med egen plan", ""),
                ("27 ärenden 2021", "Målet på 25 ärenden är nått."),
            ),
            submitted=dt.date(2022, 1, 25),
        ),
    ),
)

# The four aims STEGSAM and STEGSAM Plus share, then the number of cases, satisfied participants
# and stegförflyttning.
STEGSAM = History(
    writer="insats",
    requisitions=tuple(
        RequisitionStory(
            year,
            dt.date(year, month, day) - dt.timedelta(days=DAYS_TO_APPROVE + DAYS_TO_PAY),
            237_500,
            costs,
            f"Kvartal {quarter}",
        )
        for year, quarters in (
            (2020, (241_260, 238_940, 244_100, 252_700)),
            (2021, (239_800, 243_150, 240_600, 255_300)),
        )
        for quarter, ((month, day), costs) in enumerate(
            zip(((3, 31), (6, 30), (9, 30), (12, 20)), quarters, strict=True), start=1
        )
    ),
    reports=(
        ReportStory(
            INTERIM,
            2020,
            what_happened="Aktivitetscoachen och projektsamordnaren började i januari. Lokal har "
            "ordnats tillsammans med det kommunala aktivitetsansvaret och Samkraft. Under våren "
            "har gruppaktiviteterna delvis ersatts av enskilda samtal och promenadmöten.",
            outcome="18 unga vuxna är inskrivna. 4 har gått vidare till arbete, praktik eller "
            "studier.",
            forecast=950_000,
            deviations="Gruppaktiviteterna kom i gång senare än planerat. Ingen avvikelse mot "
            "budget.",
            goals=(
                ("Öppen verksamhet två dagar i veckan", ""),
                ("Alla anvisade har erbjudits kartläggning", ""),
                ("Stegvis plan för alla inskrivna", ""),
                ("4 har gått vidare till arbete, praktik eller studier", ""),
                ("18 ärenden hittills i år", ""),
                ("Inga svar än", "Enkäten vid avslut används från juni."),
                ("4 av 18 har gjort stegförflyttning", ""),
            ),
            submitted=dt.date(2020, 7, 27),
            approved=dt.date(2020, 8, 20),
            comment="Tack för rapporten.",
        ),
        ReportStory(
            ANNUAL,
            2020,
            what_happened="Under hösten startade två grupper med studiebesök, friskvård och "
            "arbetsförberedande aktiviteter. Samverkan med det kommunala aktivitetsansvaret har "
            "gett fler yngre deltagare, vilket ligger bakom förslaget om STEGSAM Plus.",
            outcome="31 ärenden under året. 11 deltagare har gått vidare till arbete, praktik med "
            "lön eller studier.",
            forecast=950_000,
            deviations="Kostnaderna blev något högre än förbundets medel. Mellanskillnaden står "
            "Kramfors kommun för.",
            goals=(
                ("Öppen verksamhet två dagar i veckan och två grupper", ""),
                ("Alla anvisade har erbjudits kartläggning", ""),
                ("Stegvis plan för alla inskrivna", ""),
                ("11 har gått vidare till arbete, praktik eller studier", ""),
                ("31 ärenden 2020", "Målet är nått."),
                ("87 % nöjda (23 svar)", ""),
                ("11 av 31 har gjort stegförflyttning", "Drygt en tredjedel."),
            ),
            submitted=dt.date(2021, 1, 27),
            approved=dt.date(2021, 2, 18),
            comment="Godkänd. Föredras för styrelsen i februari.",
        ),
        ReportStory(
            INTERIM,
            2021,
            what_happened="Verksamheten har flyttat till gemensamma lokaler med Samkraft och det "
            "kommunala aktivitetsansvaret. STEGSAM Plus förstärker arbetet med de yngsta "
            "deltagarna sedan februari.",
            outcome="21 ärenden hittills i år. 6 har gått vidare till arbete eller studier.",
            forecast=950_000,
            deviations="Inga avvikelser.",
            goals=(
                ("Öppen verksamhet tre dagar i veckan", ""),
                ("Alla anvisade har erbjudits kartläggning", ""),
                ("Stegvis plan för alla inskrivna", ""),
                ("6 har gått vidare till arbete eller studier", ""),
                ("21 ärenden hittills i år", ""),
                ("90 % nöjda (10 svar)", ""),
                ("6 av 21 har gjort stegförflyttning", ""),
            ),
            submitted=dt.date(2021, 7, 22),
            approved=dt.date(2021, 8, 24),
        ),
        ReportStory(
            ANNUAL,
            2021,
            what_happened="Projektet avslutades enligt plan vid årsskiftet. Samlokaliseringen och "
            "den gemensamma kartläggningen lever vidare i kommunens ordinarie verksamhet och i "
            "Samkraft.",
            outcome="34 ärenden under året och 58 deltagare under hela projekttiden. 23 har gått "
            "vidare till arbete, praktik med lön eller studier.",
            forecast=950_000,
            deviations="Kramfors kommun har stått för projektledaren och för kostnaderna utöver "
            "förbundets medel.",
            goals=(
                ("Öppen verksamhet tre dagar i veckan", ""),
                ("Alla anvisade har erbjudits kartläggning", ""),
                ("Stegvis plan för alla inskrivna", ""),
                ("12 har gått vidare till arbete eller studier", ""),
                ("34 ärenden 2021", "Målet är nått."),
                ("88 % nöjda (27 svar)", ""),
                ("12 av 34 har gjort stegförflyttning", ""),
            ),
            submitted=dt.date(2022, 1, 26),
            approved=dt.date(2022, 2, 24),
            comment="Tack för slutrapporten. Erfarenheterna tas med i förbundets fortsatta arbete "
            "med unga vuxna.",
        ),
    ),
)

# The coach started in mid-February, six weeks late: 285 000 kr of the 330 000 kr granted were used.
STEGSAM_PLUS = History(
    writer="insats",
    requisitions=(
        RequisitionStory(2021, dt.date(2021, 6, 22), 120_000, 120_000, "Februari–juni"),
        RequisitionStory(
            2021, dt.date(2021, 12, 12), 165_000, 165_000, "Juli–december, slutrekvisition"
        ),
    ),
    reports=(
        ReportStory(
            INTERIM,
            2021,
            what_happened="Aktivitetscoachen började i mitten av februari efter rekrytering och "
            "arbetar med ungdomar 16–20 år tillsammans med det kommunala aktivitetsansvaret.",
            outcome="8 ungdomar är inskrivna. 2 har börjat studera igen.",
            forecast=285_000,
            deviations="Tjänsten tillsattes sex veckor senare än planerat. Prognosen är därför "
            "285 000 kr mot beviljade 330 000 kr.",
            goals=(
                ("Träffpunkt en eftermiddag i veckan", ""),
                ("Alla anvisade har erbjudits kartläggning", ""),
                ("Stegvis plan för alla inskrivna", ""),
                ("2 har börjat studera igen", ""),
                ("8 ärenden hittills i år", "Tjänsten kom i gång i februari."),
                ("Inga svar än", ""),
                ("2 av 8 har gjort stegförflyttning", ""),
            ),
            submitted=dt.date(2021, 7, 22),
            approved=dt.date(2021, 8, 24),
            comment="Godkänd. Bra att avvikelsen mot budget är förklarad.",
        ),
        ReportStory(
            ANNUAL,
            2021,
            what_happened="Under hösten har aktivitetscoachen haft en grupp för unga som har "
            "avbrutit gymnasiet. Insatsen avslutades vid årsskiftet tillsammans med STEGSAM.",
            outcome="16 ärenden under året. 7 ungdomar har återgått till studier eller fått "
            "arbete.",
            forecast=285_000,
            deviations="Den sena rekryteringen gav 45 000 kr lägre kostnader än beviljat.",
            goals=(
                ("Träffpunkt en eftermiddag i veckan och en grupp", ""),
                ("Alla anvisade har erbjudits kartläggning", ""),
                ("Stegvis plan för alla inskrivna", ""),
                ("7 har återgått till studier eller fått arbete", ""),
                ("16 ärenden 2021", "Målet på 15 är nått trots den sena starten."),
                ("86 % nöjda (7 svar)", ""),
                ("7 av 16 har gjort stegförflyttning", ""),
            ),
            submitted=dt.date(2022, 1, 26),
        ),
    ),
)

# Run by the region's vuxenpsykiatri, which has no login: the office registers what it sends in.
# Its annual report for 2021 has not come in, and the 2021 requisition waits for it.
PSYKIATRIDAGEN = History(
    writer="kansli",
    requisitions=(
        RequisitionStory(
            2020, dt.date(2020, 12, 2), 30_000, 31_450, "Rekvisition från vuxenpsykiatrin"
        ),
        RequisitionStory(
            2021,
            dt.date(2021, 12, 3),
            30_000,
            30_000,
            "Rekvisition från vuxenpsykiatrin",
            paid=False,
        ),
    ),
    reports=(
        ReportStory(
            INTERIM,
            2020,
            what_happened="Planeringen av psykiatridagen i november har börjat tillsammans med "
            "Kramfors kommun och Svenska kyrkan. Formen bestäms efter sommaren.",
            outcome="Inga kostnader hittills.",
            forecast=30_000,
            submitted=dt.date(2020, 7, 28),
            approved=dt.date(2020, 8, 20),
        ),
        ReportStory(
            ANNUAL,
            2020,
            what_happened="Psykiatridagen genomfördes digitalt under psykeveckan i november, med "
            "inspelade föreläsningar om psykisk hälsa.",
            outcome="Föreläsningarna visades omkring 200 gånger.",
            forecast=30_000,
            deviations="Kostnaderna blev 31 450 kr; regionen står för det som överstiger "
            "förbundets 30 000 kr.",
            submitted=dt.date(2021, 1, 28),
            approved=dt.date(2021, 2, 18),
        ),
        ReportStory(
            INTERIM,
            2021,
            what_happened="Planeringen har börjat. Dagen planeras på plats i november, med "
            "möjlighet att följa föreläsningarna digitalt.",
            outcome="Inga kostnader hittills.",
            forecast=30_000,
            submitted=dt.date(2021, 7, 29),
            approved=dt.date(2021, 8, 24),
        ),
        ReportStory(ANNUAL, 2021),
    ),
)

KRAMFORS = {
    "Teamkoordinator/Coach Samkraft": SAMKRAFT,
    "STEGSAM – Steg för steg genom att samverka": STEGSAM,
    "STEGSAM Plus": STEGSAM_PLUS,
    "Psykiatridagen": PSYKIATRIDAGEN,
}

# --- every other association: a short, generic history -----------------------------------------

GENERIC_TEXTS = {
    "individual": (
        "Verksamheten har pågått enligt plan med nya inskrivningar, individuella samtal och "
        "samverkan med parterna.",
        "Deltagarflödet ligger i nivå med planen.",
    ),
    "process_support": (
        "Processtödet har arbetat med parternas gemensamma utvecklingsarbete enligt planen.",
        "De planerade aktiviteterna är genomförda.",
    ),
    "collaboration_support": (
        "De planerade utbildningarna och träffarna för personal hos parterna har genomförts.",
        "Deltagandet har varit gott och utvärderingarna är positiva.",
    ),
    "structural": (
        "Arbetet har bedrivits enligt verksamhetsplanen tillsammans med parterna.",
        "De planerade aktiviteterna är genomförda.",
    ),
    "": (
        "Insatsen har genomförts enligt plan.",
        "Medlen har använts enligt budget.",
    ),
}


def _generic_history(intervention: Intervention) -> History:
    """Every report written a few weeks after its period and approved, every grant paid: half at
    midsummer and half before Christmas, or all at once when it is below 100 000 kr."""
    share = intervention.kind_shares.order_by("-percent", "kind").first()
    what, outcome = GENERIC_TEXTS[share.kind if share else ""]
    goals = list(intervention.goals.all())
    grants = {g.year: g.amount for g in intervention.grants.filter(withdrawn_by__isnull=True)}
    reports = []
    for report in intervention.reports.exclude(kind=ReportKind.ORAL).order_by("period_end", "kind"):
        interim = report.kind == INTERIM
        reports.append(
            ReportStory(
                report.kind,
                report.period_end.year,
                what_happened=what,
                outcome=(
                    "Halvårets aktiviteter är genomförda enligt plan." if interim else outcome
                ),
                forecast=int(grants.get(report.period_end.year, 0)),
                deviations="Inga avvikelser.",
                goals=tuple(("Pågår enligt plan" if interim else "Uppnått", "") for _g in goals),
                submitted=report.due_date - dt.timedelta(days=5),
                approved=report.due_date + dt.timedelta(days=14),
            )
        )
    requisitions = []
    for year, amount in sorted(grants.items()):
        if amount < 100_000:
            parts = [(dt.date(year, 12, 10), amount)]
        else:
            first = (amount / 2).to_integral_value(rounding=ROUND_FLOOR)
            parts = [(dt.date(year, 6, 20), first), (dt.date(year, 12, 10), amount - first)]
        requisitions += [RequisitionStory(year, day, part, part) for day, part in parts]
    return History(writer="kansli", reports=tuple(reports), requisitions=tuple(requisitions))


# --- replay --------------------------------------------------------------------------------------


def _demo_users(association) -> dict[str, object]:
    """{username: user} for the demo logins that hold the role they act in here."""
    from finsam.organisation.models import Membership, Role

    wanted = {"kansli": Role.OFFICE, "ekonom": Role.ECONOMIST, "insats": Role.STAFF}
    memberships = Membership.objects.filter(
        association=association, user__username__in=wanted
    ).select_related("user")
    return {m.user.username: m.user for m in memberships if m.role == wanted[m.user.username]}


def _untouched(intervention: Intervention) -> bool:
    """No payment yet and every report still a blank duty: the history is not loaded yet. An
    intervention someone has started on is left alone."""
    if Requisition.objects.filter(grant__intervention=intervention).exists():
        return False
    reports = intervention.reports.all()
    if reports.exclude(status=InterventionReport.Status.DUE).exists():
        return False
    written = reports.exclude(what_happened="", outcome="", deviations="", forecast=None)
    return (
        not written.exists()
        and not ReportGoalAttainment.objects.filter(report__in=reports).exists()
    )


def _write(report: InterventionReport, story: ReportStory, goals: list, by) -> None:
    data = {
        "what_happened": story.what_happened,
        "outcome": story.outcome,
        "forecast": D(story.forecast) if story.forecast is not None else None,
        "deviations": story.deviations,
    }
    values = list(story.goals) + [("Enligt plan", "")] * (len(goals) - len(story.goals))
    attainments = {goal.pk: value for goal, value in zip(goals, values, strict=False)}
    services.report_update(report=report, data=data, attainments=attainments, by=by)


def _replay_report(report: InterventionReport, story: ReportStory, writer, office) -> None:
    if story.submitted is None:
        return
    goals = list(report.intervention.goals.all())
    with _clock(story.submitted, 9):
        _write(report, story, goals, writer)
    with _clock(story.submitted, 10):
        services.report_submit(report=report, by=writer)
    if story.completion is not None:
        done = story.completion
        with _clock(done.returned, 14):
            services.report_return(report=report, by=office, comment=done.comment)
        with _clock(done.resubmitted, 9):
            services.report_update(report=report, data=done.changes, attainments={}, by=writer)
        with _clock(done.resubmitted, 10):
            services.report_submit(report=report, by=writer)
    if story.approved is not None:
        with _clock(story.approved, 14):
            services.report_approve(report=report, by=office, comment=story.comment)


def _pay(requisition: Requisition, approved: dt.date, *, office, economist) -> None:
    # Whoever asked for the money does not approve it: the economist approves what the office
    # requisitioned on an owner's behalf.
    approver = economist if requisition.requested_by_id == office.pk else office
    with _clock(approved, 13):
        services.requisition_transition(
            requisition=requisition, to=Requisition.Status.APPROVED, by=approver
        )
    with _clock(approved + dt.timedelta(days=DAYS_TO_PAY), 11):
        services.requisition_transition(
            requisition=requisition, to=Requisition.Status.PAID, by=economist
        )


def _replay_requisitions(
    intervention: Intervention, history: History, writer, office, economist
) -> None:
    grants = {g.year: g for g in intervention.grants.filter(withdrawn_by__isnull=True)}
    for year in history.monthly_plan_years:
        if year not in grants:
            continue
        with _clock(dt.date(year, 1, 12), 10):
            plan = services.payment_plan_create(
                grant=grants[year],
                instalments=12,
                first_date=dt.date(year, 1, 28),
                months_between=1,
                # The economist sets up the plan and the office approves each instalment: nobody
                # approves a payment they asked for themselves.
                by=economist,
            )
        for requisition in plan:
            _pay(
                requisition,
                requisition.date - dt.timedelta(days=DAYS_TO_PAY),
                office=office,
                economist=economist,
            )
    for story in history.requisitions:
        if story.year not in grants:
            continue
        with _clock(story.requested, 10):
            requisition = services.requisition_request(
                grant=grants[story.year],
                amount=D(story.amount),
                date=story.requested,
                actual_costs=D(story.actual_costs) if story.actual_costs is not None else None,
                note=story.note,
                by=writer,
            )
        if story.paid:
            approved = story.requested + dt.timedelta(days=DAYS_TO_APPROVE)
            _pay(requisition, approved, office=office, economist=economist)


def _board_meetings_for_presentations(association, office) -> None:
    """The seeds print only the board meetings of their own year. The board meets at least
    before midsummer (the annual report) and in November (the budget, § 23 of the law), so each
    half-year that has an oral presentation due and no board meeting in the demo gets one."""
    from finsam.organisation.models import Meeting
    from finsam.organisation.services import meeting_create

    today = timezone.localdate()
    dues = InterventionReport.objects.filter(
        intervention__association=association, kind=ReportKind.ORAL, due_date__lt=today
    ).values_list("due_date", flat=True)
    for year in sorted({d.year for d in dues}):
        for start, end, day in ((1, 6, dt.date(year, 6, 10)), (7, 12, dt.date(year, 11, 20))):
            held = Meeting.objects.filter(
                association=association,
                kind=Meeting.Kind.BOARD,
                date__gte=dt.date(year, start, 1),
                date__lte=dt.date(year, end, 30 if end == 6 else 31),
            )
            if day < today and not held.exists():
                with _clock(day - dt.timedelta(days=60), 9):
                    meeting_create(
                        association=association,
                        by=office,
                        kind=Meeting.Kind.BOARD,
                        date=day,
                        notes="Styrelsesammanträde (demo: året saknas i verksamhetsplanen)",
                    )


def _replay_oral_presentations(intervention: Intervention, office) -> None:
    """Each oral presentation due in a year with board meetings in the demo was held at the
    latest of them on or before its due date (else the year's first), one meeting per
    presentation. A year without meetings in the demo keeps its duty open."""
    from finsam.organisation.models import Meeting

    meetings = Meeting.objects.filter(
        association=intervention.association,
        kind=Meeting.Kind.BOARD,
        date__lte=timezone.localdate(),
    ).order_by("date")
    used: set[int] = set()
    orals = intervention.reports.filter(kind=ReportKind.ORAL).order_by("due_date")
    for report in orals:
        year = [m for m in meetings if m.date.year == report.due_date.year and m.pk not in used]
        before = [m for m in year if m.date <= report.due_date]
        meeting = before[-1] if before else (year[0] if year else None)
        if meeting is None:
            continue
        used.add(meeting.pk)
        with _clock(meeting.date, 16):
            services.oral_presentation_held(report=report, meeting=meeting, by=office)


def load_history(association) -> bool:
    """Replay the demo history of every intervention that has none yet. True when something was
    loaded; safe to run again. Needs the demo logins `kansli` and `ekonom`."""
    users = _demo_users(association)
    office, economist = users.get("kansli"), users.get("ekonom")
    if office is None or economist is None:
        return False
    stories = KRAMFORS if association.slug == "kramfors" else {}
    _board_meetings_for_presentations(association, office)
    loaded = False
    interventions = Intervention.objects.filter(association=association).prefetch_related("staff")
    for intervention in interventions.order_by("period_start", "title"):
        if not Grant.objects.filter(intervention=intervention).exists():
            continue
        if not _untouched(intervention):
            continue
        history = stories.get(intervention.title) or _generic_history(intervention)
        writer = users.get(history.writer)
        if writer is None or (
            history.writer == "insats" and writer not in intervention.staff.all()
        ):
            writer = office
        reports = {(r.kind, r.period_end.year): r for r in intervention.reports.all()}
        for story in history.reports:
            report = reports.get((story.kind, story.year))
            if report is not None:
                _replay_report(report, story, writer, office)
        _replay_requisitions(intervention, history, writer, office, economist)
        _replay_oral_presentations(intervention, office)
        loaded = True
    return loaded
