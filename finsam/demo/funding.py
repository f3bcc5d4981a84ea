"""Demo interventions, criteria and calls for the three seed associations.

Everything here is what the seed documents print; where a seed does not say something (a start
date, an owner, a kind) the field is left empty or the gap is stated in the text, never invented.
The interventions were decided before Finsam, so they are imported with a reference to the
verksamhetsplan that decided them instead of a decision with a paragraph number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from finsam.core.actors import SYSTEM
from finsam.demo.funding_examples import (
    attach_demo_staff,
    load_co_financing,
    load_example_application,
    load_steering_meetings,
)
from finsam.demo.funding_history import load_history
from finsam.funding import services
from finsam.funding.models import FundingSettings, Intervention

D = Decimal
KRAMFORS_DECISION = "Verksamhetsplan och budget 2021, styrelsen 2020-11-20"
# The 2021 plan prints the adopted 2020 budget next to 2021 and says STEGSAM was granted both years.
KRAMFORS_2020_DECISION = "Budget 2020 (kolumnen i verksamhetsplan och budget 2021)"
NV_DECISION = "Verksamhetsplan och budget 2022 (Budget 2022)"
VM_DECISION = "Verksamhetsplan och budget 2021, beslutad 2020-11-27"

KRAMFORS_COMMON = {
    "owner": "Kramfors kommun via Bildningsförvaltningen",
    "responsible_manager": "Förvaltningschef Bildningsförvaltningen",
    "project_lead": "Enhetschef Arbetsmarknadsenheten (AME)",
    "employer": "Kramfors kommun, Bildningsförvaltningen",
    "steering_meetings_per_year": "3–4",
    "steering_group_convener": "Projektägaren, Kramfors kommun Bildningsförvaltningen",
    "reports_per_person": True,
    "sus_responsible": "Projektledaren",
    "evaluation_plan": "Delårsrapport 2021-06-30 och årsredovisning 2021-12-31. Muntlig "
    "föredragning för styrelsen i samband med delårs- och årsredovisning. Övrig rapportering och "
    "uppföljning sker via styrgruppen.",
}

# "Mål" under STEGSAM and, word for word, under STEGSAM Plus.
STEGSAM_AIMS = [
    {"text": text, "target_value": ""}
    for text in (
        "Att genom aktiviteter och insatser skapa trygga arenor som lockar målgruppen.",
        "De ska kontaktas och bjudas in att delta, erbjudas individuell kartläggning och "
        "aktiviteter utifrån behov.",
        "Att bryta utanförskap, att ledas in i ett sammanhang där olika insatser stegvis leder "
        "fram till personlig utveckling, anställningsbarhet och egen försörjning.",
        "Målet är en meningsfull sysselsättning, egen försörjning och ett bättre mående genom "
        "ökad självkänsla och ett ökat egenvärde.",
    )
]
STEGSAM_TARGETS = [
    {
        "text": "STEGSAM ska ha minst 85 % nöjda deltagare efter genomförd insats.",
        "target_value": "≥ 85 % nöjda deltagare",
    },
    {
        "text": "1/3 av 30 deltagare ska ha gjort stegförflyttning mot ökad "
        "anställningsbarhet och/eller egen försörjning.",
        "target_value": "1/3 gör stegförflyttning",
    },
]

VM_CRITERIA = [
    ("Stödjer visionen", "Stödja människor i utanförskap till god hälsa och förvärvsarbete."),
    ("Samverkan/samordning", ""),
    ("Hälsa", ""),
    ("Arbetslivsfokus", ""),
    ("Delaktighet och bemötande", ""),
]


def _members(association, *names: str) -> list:
    return list(association.members.filter(name__in=names))


def _steering(association, *rows: tuple[str | None, str]) -> list[dict]:
    """[(member name or None for the association itself, role)] with names not yet known."""
    members = {m.name: m for m in association.members.all()}
    return [
        {"name": "", "member": members.get(member) if member else None, "role": role}
        for member, role in rows
    ]


def _kramfors(association) -> None:
    """The four projekt/insatser of the 2021 plan with the 2020 and 2021 budget columns. Left out:
    "Nya projekt under året/Kvar att fördela" (money not yet given to any insats) and "Övriga
    aktiviteter" (Arbete & Hälsa, medlemssamråd: the association's own work, without money of
    their own in the budget). Budget 2022–2023 is an overview, not a decision, so no grants."""
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            **KRAMFORS_COMMON,
            "title": "Teamkoordinator/Coach Samkraft",
            "background": "Samkraft startade 2016 utifrån tidigare arbetsgrupp Kramkraft, i syfte "
            "att genom samordning mellan myndigheter underlätta arbetet för att få personer med mer "
            "komplex problematik att närma sig arbetsmarknaden, studier eller alternativ anpassad "
            "sysselsättning. Teamkoordinator/coach samordnar Samkrafts beredningsgrupp, som möts "
            "varje månad, och är kontaktperson och coach åt de enskilda deltagarna. Samkraft är "
            "både en individinsats och en strukturinsats.",
            "target_group": "Individer mellan 16–64 år (ungdomar och unga vuxna upp till 30 år är "
            "prioriterade) som är aktuella hos minst två av de samverkande myndigheterna, har en "
            "komplex problematik och har behov av samordning mellan myndigheterna för att lyckas "
            "komma vidare i sin process mot egen försörjning.",
            "age_from": 16,
            "age_to": 64,
            "purpose": "Att individerna ska komma vidare i sin process mot egen försörjning.",
            "period_start": dt.date(2016, 1, 1),
            "period_end": None,
        },
        kind_shares={"process_support": 50, "individual": 50},
        members=_members(association, "Kramfors kommun"),
        goals=[
            {
                "text": "Teamkoordinator/coach ska samordna, bereda och vara ansvarig över den "
                "myndighetsgemensamma beredningsgruppen och vidareutveckla Samkrafts arbetssätt.",
                "target_value": "",
            },
            {
                "text": "Teamkoordinator/coach ska ha det övergripande ansvaret över de personer "
                "som är aktuella inom Samkraft och jobba aktivt med vägledning och motiverande "
                "samtal för att de ska komma vidare i sin utveckling mot egen försörjning.",
                "target_value": "",
            },
            {
                "text": "Antalet ärenden inom Samkraft bör kunna uppgå till 25 st på årsbasis.",
                "target_value": "25 ärenden per år",
            },
        ],
        steering_group=_steering(
            association,
            ("Kramfors kommun", "Representant"),
            ("Region Västernorrland", "Representant"),
            ("Arbetsförmedlingen", "Representant"),
            ("Försäkringskassan", "Representant"),
            (None, "Förbundets tjänsteman"),
            (None, "Teamkoordinator/Coach – adjungerad och föredragande"),
        ),
        grants=[
            (2020, D(600_000), KRAMFORS_2020_DECISION),
            (2021, D(600_000), KRAMFORS_DECISION),
        ],
    )
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            "title": "Psykiatridagen",
            "background": "Samordningsförbundet har sedan många år tillbaka medfinansierat "
            "psykiatridagen. Under dagen, som genomförs i november i samband med psykeveckan, "
            "erbjuds föreläsningar med aktuella ämnen. Startåret anges inte; budgeten visar "
            "30 000 kr för 2020 och 2021 och budgetöversikten 30 000 kr per år 2022–2023.",
            "target_group": "Alla samverkande myndigheter och brett till invånarna i kommunen.",
            "purpose": "",
            "owner": "Region Västernorrland via vuxenpsykiatrin i Kramfors",
            "partners": "Kramfors kommun, Svenska kyrkan och Samordningsförbundet Kramfors.",
            # The first year the plan prints; it carries on in the overview like Samkraft.
            "period_start": dt.date(2020, 1, 1),
            "period_end": None,
            # A yearly day of lectures run by the region: the plan names no steering group.
            "steering_meetings_per_year": "0",
        },
        kind_shares={"collaboration_support": 100},
        members=_members(association, "Region Västernorrland", "Kramfors kommun"),
        grants=[
            (2020, D(30_000), KRAMFORS_2020_DECISION),
            (2021, D(30_000), KRAMFORS_DECISION),
        ],
    )
    stegsam = services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            **KRAMFORS_COMMON,
            "title": "STEGSAM – Steg för steg genom att samverka",
            "background": "Aktivitetscoach och projektsamordnare (halvtid) som samverkar med det "
            "kommunala aktivitetsansvaret (KAA), teamkoordinator/coach Samkraft och projektet "
            "Framtid Kramfors. Aktivitetscoachen har fokus på åldersgruppen 20–29 år. Kramfors "
            "kommun bidrar med kostnaden för en projektledare. Beviljat för åren 2020 och 2021.",
            "target_group": "Ungdomar och unga vuxna 16–29 år som har hamnat i eller riskerar att "
            "hamna i utanförskap.",
            "age_from": 16,
            "age_to": 29,
            "purpose": "Att stärka ungdomarnas och de unga vuxnas utveckling och öka deras "
            "anställningsbarhet och möjlighet till egen försörjning.",
            "period_start": dt.date(2020, 1, 1),
            "period_end": dt.date(2021, 12, 31),
            "evaluation_plan": KRAMFORS_COMMON["evaluation_plan"]
            + " Kontakt med Umeå universitet (projektet KAMSO) för att mäta insatsernas effekt i "
            "ekonomiska termer.",
        },
        kind_shares={"individual": 100},
        members=_members(association, "Kramfors kommun"),
        goals=[
            *STEGSAM_AIMS,
            {
                "text": "Antalet ärenden inom STEGSAM bör kunna uppgå till 30 st på årsbasis.",
                "target_value": "≥ 30 ärenden per år",
            },
            *STEGSAM_TARGETS,
        ],
        steering_group=_steering(
            association,
            ("Kramfors kommun", "Representant"),
            ("Region Västernorrland", "Representant"),
            ("Arbetsförmedlingen", "Representant"),
            (None, "Förbundets tjänsteman"),
            (None, "Projektsamordnare – adjungerad och föredragande"),
            (None, "Aktivitetscoach – adjungerad och föredragande"),
        ),
        grants=[
            (2020, D(950_000), KRAMFORS_2020_DECISION),
            (2021, D(950_000), KRAMFORS_DECISION),
        ],
    )
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            **KRAMFORS_COMMON,
            "title": "STEGSAM Plus",
            "background": "Förstärkningsinsats till STEGSAM: en halvtidstjänst som aktivitetscoach "
            "med fokus på ungdomar 16–20 år, eftersom behovet ökar i den gruppen. Kopplingen till "
            "det kommunala aktivitetsansvaret (KAA) är tydlig. Styrgruppen samordnas med "
            "styrgruppen för STEGSAM.",
            "target_group": "Ungdomar i åldern 16–20 år som har hamnat i eller riskerar att hamna i "
            "utanförskap.",
            "age_from": 16,
            "age_to": 20,
            "purpose": "Att stärka ungdomarnas utveckling och öka deras anställningsbarhet och "
            "möjlighet till egen försörjning.",
            "period_start": dt.date(2021, 1, 1),
            "period_end": dt.date(2021, 12, 31),
            "steering_meetings_per_year": "",
        },
        kind_shares={"individual": 100},
        members=_members(association, "Kramfors kommun"),
        reinforces=stegsam,
        # The plan prints the same aims and the same two targets under STEGSAM Plus as under
        # STEGSAM (word for word, "1/3 av 30 deltagare" included), with its own number of cases.
        goals=[
            *STEGSAM_AIMS,
            {
                "text": "Antalet ärenden inom STEGSAM PLUS bör kunna uppgå till 15 på årsbasis.",
                "target_value": "15 ärenden per år",
            },
            *STEGSAM_TARGETS,
        ],
        grants=[
            (
                2021,
                D(330_000),
                KRAMFORS_DECISION + " – finansieras i huvudsak via förbundets eget kapital",
            )
        ],
    )


NV_TEAMS = [
    (
        "Samordningsteam FNS",
        D(1_523_000),
        ("Fagersta kommun", "Norbergs kommun", "Skinnskattebergs kommun"),
    ),
    ("Samordningsteam Sala", D(1_590_000), ("Sala kommun",)),
    ("Samordningsteam Hallstahammar", D(1_120_000), ("Hallstahammars kommun",)),
    ("Samordningsteam Surahammar", D(1_053_000), ("Surahammars kommun",)),
]


NV_TARGET_GROUP = (
    "Personer i åldern 16–64 år som har behov av samordnade rehabiliteringsinsatser från flera "
    "aktörer för att öka förmågan och förutsättningarna för egen försörjning."
)
NV_STAFF_TRAINING = (
    "Alla aktiva i samverkan hos förbundets parter; personal på kommunernas högstadie-, gymnasie- "
    "och vuxenutbildningar ska också erbjudas att delta."
)

# Budget 2022 lines that stay budget lines, not interventions:
# - "Utvärdering/Extern medbedömning Samordningsteam" (65 000 kr): the association's own cost.
#   "I enlighet med Finsamlagen ska Samordningsförbunden svara för uppföljning och utvärdering av
#   de insatser som förbunden finansierar": it buys an assessment of the four teams it already
#   finances; no party runs it, it has no target group and reports to no one but the association.
# - "Utvecklingsdag Samordningsteam", "Andra utbildningar/seminarier", "Andra
#   utvärderingsinsatser" and "Samverkansmedel – ofördelat": 0 kr in Budget 2022 (money only in
#   the 2021 forecast or the 2023–2024 plan, which decide nothing).
# - Styrelse and gemensam administration: the association's own running costs.


def _norra_vastmanland(association) -> None:
    """Budget 2022: the four Samordningsteam, the kurator, the structural lines with money in
    2022 and the process support, each granted what the Budget 2022 column states."""
    for title, amount, municipalities in NV_TEAMS:
        services.intervention_import(
            association=association,
            by=SYSTEM,
            fields={
                "title": title,
                "background": "Samordningsteam är en samverkansplattform som drivs av myndigheterna "
                "gemensamt och som ger ett samlat och individuellt anpassat rehabiliteringsstöd. "
                "Arbetslag om 2–4 personal; de fyra teamen når tillsammans ca 120 personer per år. "
                "Förbundets långsiktiga stöd till teamen är basen i verksamheten.",
                "target_group": NV_TARGET_GROUP,
                "age_from": 16,
                "age_to": 64,
                "purpose": "Att hållbart bryta långvarigt utanförskap.",
                "period_start": dt.date(2022, 1, 1),
                "period_end": None,
                "evaluation_plan": "Uppföljning av deltagarvolym och andel avslut i arbete/utbildning "
                "respektive fortsatta aktiva rehabiliteringsåtgärder. ORS och SRS (FIT Outcomes). "
                "Teamet och styrgruppen lämnar årsvis en helårsrapport till förbundsstyrelsen och "
                "parterna.",
            },
            kind_shares={"individual": 100},
            members=_members(association, *municipalities),
            grants=[(2022, amount, NV_DECISION)],
        )
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            "title": "Kurator till samordningsteam",
            "background": "Kurator till Samordningsteamen, i budgeten bland de individinriktade "
            "insatserna (prognos 2021: 175 000 kr; plan 2023 och 2024: 210 000 kr per år). Vilka "
            "team och vem som är arbetsgivare anges inte i verksamhetsplanen.",
            "target_group": NV_TARGET_GROUP,
            "age_from": 16,
            "age_to": 64,
            "period_start": dt.date(2022, 1, 1),
            "period_end": None,
        },
        kind_shares={"individual": 100},
        grants=[(2022, D(235_000), NV_DECISION)],
    )
    # Training for the parties' staff is samverkansstödjande ("utbildningar, konferenser o
    # liknande för personal inom de samverkande myndigheterna"); the plan books it among the
    # structural lines, which is its own grouping of everything that is not individual support.
    for title, goal, target in (
        (
            "Grundutbildning Lösningfokus",
            "Minst en grundutbildning i lösningsfokuserat arbetssätt.",
            "≥ 1 grundutbildning",
        ),
        (
            "Vidareutbildning Lösningfokus",
            "Minst en repetitions- eller vidareutbildning i lösningsfokuserat arbetssätt.",
            "≥ 1 repetitions- eller vidareutbildning",
        ),
    ):
        services.intervention_import(
            association=association,
            by=SYSTEM,
            fields={
                "title": title,
                "background": "Gemensam kompetensutveckling i lösningsfokuserat arbetssätt, som "
                "samordningsförbunden i länet satsar på gemensamt och uthålligt som en "
                "sammanhållande röd tråd i myndigheternas rehabiliterings- och hälsoarbete. "
                "20 000 kr per år även i plan 2023–2024.",
                "target_group": NV_STAFF_TRAINING,
                "purpose": "Stärka förmågor och färdigheter hos alla aktiva i samverkan.",
                "period_start": dt.date(2022, 1, 1),
                "period_end": None,
            },
            kind_shares={"collaboration_support": 100},
            goals=[{"text": goal, "target_value": target}],
            grants=[(2022, D(20_000), NV_DECISION)],
        )
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            "title": "Länsgemensamma aktiviteter",
            "background": "Presidierna i länets tre samordningsförbund förfogar gemensamt över en "
            "länsgemensam pott pengar. Förbunden arrangerar länsgemensamma konferenser och "
            "utbildningar (t ex konferensen Lösningfokuserade ledtrådar och Lösningfokuserat "
            "ledarskap) och har gemensamt metodutvecklat och kartlagt (t ex förstudie Fontänhus "
            "2021). 250 000 kr per år även i plan 2023–2024.",
            "partners": "De två andra samordningsförbunden i Västmanland.",
            "period_start": dt.date(2022, 1, 1),
            "period_end": None,
        },
        # What the plan names for the pot are conferences and training for the parties' staff.
        kind_shares={"collaboration_support": 100},
        grants=[(2022, D(250_000), NV_DECISION)],
    )
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            "title": "Insatskatalogen",
            "background": "Fortsatt finansiering och lokal administration av Insatskatalogen, ett "
            "digitalt sökverktyg som ska underlätta sökandet efter rätt insatser till rätt person. "
            "Insatserna i katalogen riktar sig till personer i åldrarna 16–64 år och drivs av "
            "aktörer inom välfärden. Om förbunden ska finansiera katalogen efter 2022 beslutas "
            "efter en utvärdering hösten 2022.",
            "target_group": "Parternas chefer och handläggare.",
            "purpose": "Att underlätta sökandet efter rätt insatser till rätt person.",
            "partners": "Övriga samordningsförbund i länet.",
            "period_start": dt.date(2022, 1, 1),
            "period_end": dt.date(2022, 12, 31),
        },
        kind_shares={"structural": 100},
        goals=[
            {
                "text": "Förbundet ska intensivt arbeta med att göra Insatskatalogen mer känd hos "
                "parternas chefer och handläggare.",
                "target_value": "",
            },
            {
                "text": "Under hösten 2022 ska en ny utvärdering göras, i samarbete med övriga "
                "samordningsförbund i länet, inför beslut om förbunden ska fortsätta att "
                "finansiera Insatskatalogen efter 2022.",
                "target_value": "Utvärdering hösten 2022",
            },
        ],
        grants=[(2022, D(75_000), NV_DECISION)],
    )
    services.intervention_import(
        association=association,
        by=SYSTEM,
        fields={
            "title": "Processtöd samverkansinsatser",
            "background": "Fortsatt processtöd till parternas arbete i och runt Samordningsteamen. "
            "En egen post i budgeten (6 %), skild från styrelse och kansli (16 %). Vem som ger "
            "stödet anges inte i verksamhetsplanen.",
            "purpose": "Teamens arbete syftar till att hållbart bryta långvarigt utanförskap; de "
            "förväntas också sprida kunskap och erfarenheter om samverkansmetoder som kan ligga "
            "till grund för tidigare och förebyggande insatser.",
            "period_start": dt.date(2022, 1, 1),
            "period_end": None,
        },
        kind_shares={"process_support": 100},
        grants=[(2022, D(430_600), NV_DECISION)],
    )


VM_COLUMNS = {
    2019: "Bokslut 2019 (utfall; kolumnen i verksamhetsplan och budget 2021)",
    2020: "Budget 2020 (kolumnen i verksamhetsplan och budget 2021)",
    2021: VM_DECISION,
}


@dataclass(frozen=True)
class VmRow:
    """One line of "Kostnader insatser" (kkr). The plan prints no kinds, owners or periods: the
    period runs from the first to the last column with money (open when Plan 2023 has money),
    and the grants are the Bokslut 2019, Budget 2020 and Budget 2021 columns; Plan 2022–2023
    decides nothing."""

    title: str
    tkr: dict[int, int]
    last_year: int | None
    background: str
    kinds: dict[str, int] = field(default_factory=dict)
    goals: tuple[tuple[str, str], ...] = ()
    members: tuple[str, ...] = ()
    target_group: str = ""
    partners: str = ""

    @property
    def first_year(self) -> int:
        return min(year for year, tkr in self.tkr.items() if tkr)


NOT_STATED = " Insatstyp och projektägare anges inte i verksamhetsplanen."
ONLY_2019 = "Bara i bokslut 2019; start, insatstyp och projektägare anges inte i verksamhetsplanen."
KAK = "Myndigheterna i Köping, Arboga och Kungsör (KAK)."
# Kinds only where the name says what it is under the national grouping the Kramfors plan
# prints: training, conferences and meeting places for the parties' staff are samverkansstödjande.
# Insatskatalogen and (self-)evaluation are structural, as Norra Västmanland books them
# ("Strukturinriktade insatser (inkl. utvärderingsinsatser)"). "Självutvärderingar" stays an
# insats: it is booked among the insatser, and a self-evaluation is the insats's own, unlike the
# external assessment Norra Västmanland buys of its teams (a budget line there, see above).
# "Sökbara medel" is the call below, not an insats; the first five cost lines are the
# association's own running costs.
VM_INTERVENTIONS = [
    VmRow(
        "Processtödjare",
        {2020: 381, 2021: 410},
        None,
        "I budgeten sedan 2020; plan 2022 420 tkr och 2023 430 tkr.",
        kinds={"process_support": 100},
    ),
    VmRow(
        "Länsgemensamma utb/konferenser",
        {2019: 199, 2020: 250, 2021: 250},
        None,
        "Utbildningar och nätverksträffar som planeras tillsammans med de andra förbunden i länet, "
        "där myndigheterna bjuds in för kompetensutveckling och nätverkande; 2021 i stor "
        "utsträckning digitalt. Plan 2022–2023: 250 tkr per år.",
        kinds={"collaboration_support": 100},
        goals=(
            (
                "100 deltagare från KAK ska ta del av det utbud som erbjuds inom de "
                "länsgemensamma insatserna från de tre samordningsförbunden i Västmanland.",
                "≥ 100 deltagare från KAK",
            ),
        ),
        target_group=KAK,
        partners="Samordningsförbundet Västerås och Norra Västmanlands Samordningsförbund.",
    ),
    VmRow(
        "KAK-gemensamma utbildningar",
        {2019: 202, 2020: 250, 2021: 200},
        None,
        "Förbundets utbud av lunchföreläsningar, utbildningar och andra möjligheter för parterna "
        "att träffas. Plan 2022–2023: 200 tkr per år.",
        kinds={"collaboration_support": 100},
        goals=(
            ("100 deltagare på de KAK-gemensamma utbildningarna/satsningarna.", "≥ 100 deltagare"),
        ),
        target_group=KAK,
    ),
    VmRow(
        "Dejta en myndighet",
        {2019: 24, 2020: 15, 2021: 30},
        None,
        "En av förbundets möjligheter för parterna att träffas. Plan 2022–2023: 30 tkr per år.",
        kinds={"collaboration_support": 100},
        target_group=KAK,
    ),
    VmRow(
        "Tillsammansveckan",
        {2019: 10, 2020: 0, 2021: 30},
        None,
        "Inget 2020; plan 2022–2023: 30 tkr per år. Verksamhetsplanen beskriver den inte."
        + NOT_STATED,
    ),
    VmRow(
        "Insatskatalog",
        {2019: 36 + 45, 2020: 36, 2021: 37 + 50},
        None,
        "Två budgetposter: månadsavgift (36 tkr 2019 och 2020, 37 tkr 2021) och resurs (45 tkr "
        "2019, inget 2020, 50 tkr 2021). Plan 2022–2023: 37 + 50 tkr per år.",
        kinds={"structural": 100},
        goals=(
            (
                "Samordningsförbundet ska genomföra en lokal informationsinsats i KAK av "
                "Insatskatalogen.",
                "1 informationsinsats",
            ),
            (
                "Det ska genomföras en enklare undersökning av vad parterna tycker om "
                "Insatskatalogen.",
                "1 undersökning",
            ),
        ),
    ),
    VmRow(
        "Självutvärderingar",
        {2021: 40},
        None,
        "40 tkr i budget 2021 och per år i plan 2022–2023. Verksamhetsplanen beskriver inte vilka "
        "insatser som utvärderas.",
        kinds={"structural": 100},
    ),
    VmRow(
        "ESF-Unga SKU",
        {2019: 250, 2020: 250, 2021: 250},
        2021,
        "Medfinansiering av ESF-projekt, 250 tkr per år 2019–2021." + NOT_STATED,
    ),
    VmRow(
        "Hälsoinsatser (ViiA)",
        {2021: 100},
        2022,
        "100 tkr i budget 2021 och i plan 2022." + NOT_STATED,
    ),
    VmRow(
        "Integrationssamarbete Regionen",
        {2019: 85, 2020: 500, 2021: 0},
        2020,
        "Samarbete med regionen: 85 tkr i bokslut 2019 och 500 tkr i budget 2020, inget 2021."
        + NOT_STATED,
        members=("Region Västmanland",),
    ),
    VmRow(
        "Vem gör vad för unga i KAK",
        {2019: 99},
        2019,
        "Utredningen ”Vem gör vad för unga i KAK?”, som förbundets mål 2021 för individinsatser "
        "utgår från. " + ONLY_2019,
    ),
    VmRow("LF och ensamkommandes hälsa", {2019: 637}, 2019, ONLY_2019),
    VmRow("Boskola", {2019: 279}, 2019, ONLY_2019),
    VmRow(
        "Chefsutbildning",
        {2019: 10},
        2019,
        "Bara i bokslut 2019; start och projektägare anges inte i verksamhetsplanen.",
        kinds={"collaboration_support": 100},
    ),
    VmRow("Dans för hälsa", {2019: 20}, 2019, ONLY_2019),
]


def _vastra_malardalen(association) -> None:
    for i, (title, description) in enumerate(VM_CRITERIA):
        services.criterion_create(
            association=association, by=SYSTEM, title=title, description=description, sort_order=i
        )
    services.call_create(
        association=association,
        by=SYSTEM,
        title="Sökbara medel 2021",
        description="Medel i budget 2021 som parterna kan söka. Ansökningar bedöms utifrån om de "
        "stödjer visionen och om de arbetar med samverkan/samordning, hälsa, arbetslivsfokus och "
        "med delaktighet och bemötande. Den som söker medel till en större individinsats ska ha en "
        "uppföljning eller utvärdering som visar resultat enligt förbundets mall.",
        pot=D(569_000),
        opens_on=dt.date(2021, 1, 1),
        closes_on=dt.date(2021, 12, 31),
    )
    for row in VM_INTERVENTIONS:
        services.intervention_import(
            association=association,
            by=SYSTEM,
            fields={
                "title": row.title,
                "background": row.background,
                "target_group": row.target_group,
                "partners": row.partners,
                "period_start": dt.date(row.first_year, 1, 1),
                "period_end": dt.date(row.last_year, 12, 31) if row.last_year else None,
            },
            kind_shares=row.kinds,
            members=_members(association, *row.members),
            goals=[{"text": text, "target_value": target} for text, target in row.goals],
            grants=[
                (year, D(tkr) * 1000, VM_COLUMNS[year]) for year, tkr in row.tkr.items() if tkr
            ],
        )


# The reporting each seed asks of the interventions, as the association's defaults (they are set
# before the interventions are loaded, so the report duties follow them).
REPORTING_DEFAULTS = {
    # "Delårsrapport 2021-06-30. Årsredovisning 2021-12-31. Muntlig föredragning i samband med
    # delårs- och årsredovisning för styrelsen." "Styrgruppen ska träffas 3 – 4 gånger per år."
    "kramfors": {
        "annual_report_only": False,
        "interim_report_month": 6,
        "interim_report_day": 30,
        "annual_report_month": 12,
        "annual_report_day": 31,
        "oral_presentations_per_year": 2,
        "steering_meetings_expected": 3,
    },
    # "Samordningsteamerna och dess styrgrupper lämnar årsvis en helårsrapport till
    # förbundsstyrelsen och förbundets parter." Nothing about an interim report or an oral one.
    "norra-vastmanland": {
        "annual_report_only": True,
        "annual_report_month": 12,
        "annual_report_day": 31,
        "oral_presentations_per_year": 0,
    },
    # Västra Mälardalen's plan states no report dates: the standard defaults apply.
}


def _load_funding_settings(association) -> None:
    """The seed's reporting defaults, unless the association has saved its own."""
    data = REPORTING_DEFAULTS.get(association.slug)
    if data and not FundingSettings.objects.filter(association=association).exists():
        services.funding_settings_update(association=association, data=data, by=SYSTEM)


LOADERS = {
    "kramfors": _kramfors,
    "norra-vastmanland": _norra_vastmanland,
    "vastra-malardalen": _vastra_malardalen,
}


def load_funding_demo(association) -> bool:
    """Load the association's seed reporting defaults and interventions (and criteria and call)
    unless it has any.

    Returns True when something was loaded. Safe to run again. Also gives the demo user `insats`
    (intervention staff in Kramfors) access to STEGSAM, STEGSAM Plus and Samkraft when they exist,
    adds example steering-group meetings to interventions that have none, an example of
    co-financing to STEGSAM, and replays the reports
    and payments of the years behind us (`finsam.demo.funding_history`) where an intervention has none.
    """
    loader = LOADERS.get(association.slug)
    loaded = False
    with transaction.atomic():
        _load_funding_settings(association)
    if loader is not None and not Intervention.objects.filter(association=association).exists():
        with transaction.atomic():
            loader(association)
        loaded = True
    attach_demo_staff(association)
    with transaction.atomic():
        load_steering_meetings(association)
    with transaction.atomic():
        load_co_financing(association)
    with transaction.atomic():
        load_history(association)
    if association.slug == "vastra-malardalen":
        with transaction.atomic():
            load_example_application(association)
    return loaded
