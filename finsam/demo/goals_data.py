"""Every goal of the three seed plans (../shared/seeds) with how it is measured, as data.

Goal and measure texts are the plans' own words ("Mäts genom att …"). Where a plan states a goal
without a measure, the measure restates what the goal itself asks for ("en inspirationsdag per år":
at least one such activity). Targets a plan does not state in figures are marked "(demo)".
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D
from typing import NamedTuple


class M(NamedTuple):
    text: str
    kind: str  # finsam.goals.models.Measure.Kind
    source: str  # Measure.Source
    metric: str = ""  # Measure.Metric
    target: D | None = None
    due: dt.date | None = None


class G(NamedTuple):
    text: str
    measures: list[M]
    external: tuple[str, ...] = ()  # numbers of the regional plan's goals
    interventions: tuple[str, ...] = ()  # title prefixes


RUS_SOURCE = "Regional utvecklingsstrategi Västmanland (RUS 2030)"
RUS_GOALS = [
    ("Mål 1", "Minska andelen barn i ekonomiskt utsatta hushåll"),
    ("Mål 5", "Öka andelen som anger att deras hälsa är bra eller mycket bra"),
    ("Mål 17", "Öka andelen elever som fullföljer sina studier"),
    ("Mål 19", "Öka andelen sysselsatta"),
    ("Mål 20", "God ekonomisk utveckling"),
]


def described(text: str) -> M:
    return M(text, "described", "manual")


def done_by(text: str, due: dt.date, source: str = "manual", metric: str = "") -> M:
    return M(text, "done_by", source, metric, None, due)


def held(text: str, n: int) -> M:
    return M(text, "count", "activities", "activities_held", D(n))


def counted(text: str, n: int) -> M:
    return M(text, "count", "manual", "", D(n))


END_2021, END_2022 = dt.date(2021, 12, 31), dt.date(2022, 12, 31)
EQUITY_RULES = "financial_rules"

VASTRA_MALARDALEN = {
    "year": 2021,
    "external": RUS_GOALS,
    "areas": [
        (
            "Individinsatser",
            "Ansökningar bedöms utifrån om de stödjer visionen och om de arbetar med "
            "samverkan/samordning, hälsa, arbetslivsfokus och med delaktighet och bemötande.",
            [
                G(
                    "Främja insatser för unga med utgångspunkt från utredningen Vem gör vad för "
                    "unga i KAK?",
                    [described("Insatser för unga som förbundet främjat under året redovisas.")],
                    ("Mål 17", "Mål 19"),
                    ("ESF-Unga SKU",),
                ),
                G(
                    "Det ska vara lätt att hitta tydlig information på hemsidan om hur det går i de "
                    "individinsatser som förbundet finansierar.",
                    [
                        done_by(
                            "Information om resultaten i de individinsatser förbundet finansierar "
                            "finns på hemsidan.",
                            END_2021,
                        )
                    ],
                ),
            ],
        ),
        (
            "Metoder och arbetssätt",
            "Lunchföreläsningar, utbildningar och andra möjligheter för parterna att träffas, till "
            "exempel ”Dejta en myndighet”.",
            [
                G(
                    "100 deltagare på de KAK-gemensamma utbildningarna/satsningarna",
                    [
                        M(
                            "Antal deltagare på de KAK-gemensamma utbildningarna/satsningarna.",
                            "count",
                            "activities",
                            "attendance",
                            D(100),
                        )
                    ],
                    (),
                    ("KAK-gemensamma utbildningar", "Dejta en myndighet"),
                ),
                G(
                    "100 deltagare från KAK ska ta del av det utbud som erbjuds inom de "
                    "länsgemensamma insatserna från de tre samordningsförbunden i Västmanland.",
                    [
                        M(
                            "Antal deltagare från KAK i det länsgemensamma utbudet.",
                            "count",
                            "activities",
                            "attendance",
                            D(100),
                        )
                    ],
                    (),
                    ("Länsgemensamma utb/konferenser",),
                ),
                G(
                    "Det ska genomföras en undersökning via e-post för att se hur olika aktörer "
                    "uppfattar förbundets utbud av insatser kring metoder och arbetssätt. Vi hoppas "
                    "även få förslag på nya insatser.",
                    [done_by("Undersökningen via e-post är genomförd.", END_2021)],
                ),
            ],
        ),
        (
            "Struktur/organisationsnivå",
            "Identifiera och lyfta strukturella hinder för samverkan till rätt beslutandenivå.",
            [
                G(
                    "Samordningsförbundet ska genomföra en lokal informationsinsats i KAK av "
                    "Insatskatalogen och det ska genomföras en enklare undersökning av vad parterna "
                    "tycker om den.",
                    [
                        held("Minst en lokal informationsinsats om Insatskatalogen i KAK.", 1),
                        done_by("En enklare undersökning av vad parterna tycker.", END_2021),
                    ],
                    (),
                    ("Insatskatalog",),
                ),
                G(
                    "Under året ska förbundet, tillsammans med några andra aktörer i länet, bjuda "
                    "in sina medlemmar till information om hur de ansöker om externa fondmedel.",
                    [
                        done_by(
                            "Informationen om externa fondmedel är genomförd.",
                            END_2021,
                            "activities",
                            "activities_held",
                        )
                    ],
                ),
            ],
        ),
        (
            "Övrig samverkan",
            "",
            [
                G(
                    "Samordningsförbundet Västra Mälardalen ska aktivt bidra till att genomföra "
                    "ägarnas beslut som tas på länssamrådet 9 december 2020.",
                    [described("Förbundets bidrag till ägarnas beslut redovisas.")],
                ),
            ],
        ),
        (
            "Finansiella mål",
            "Verksamhet inom ramen för tilldelade ekonomiska medel; förbundet får inte "
            "skuldsätta sig.",
            [
                G(
                    "Det egna kapitalet ska uppgå till maximalt 20% av årets erhållna bidrag",
                    [
                        done_by(
                            "Det egna kapitalet vid årets slut ligger inom förbundets regler.",
                            END_2021,
                            "economy",
                            EQUITY_RULES,
                        )
                    ],
                    ("Mål 20",),
                ),
            ],
        ),
    ],
}

A_H = "chefs- och samverkansgruppen Arbete & Hälsa"
KRAMFORS_INDIVIDUAL = ("Teamkoordinator/Coach Samkraft", "STEGSAM –", "STEGSAM Plus")

KRAMFORS = {
    "year": 2021,
    "external": [],
    "areas": [
        (
            "Övergripande mål",
            "Det övergripande målet med finansiell samordning inom rehabiliteringsområdet är att "
            "samhällets resurser används på ett bättre och mer effektivt sätt för att möjliggöra "
            "förbättrad hälsa och förmåga till förvärvsarbete och/eller studier hos medborgare i "
            "Kramfors kommun.",
            [
                G(
                    "Samordningsförbundet möjliggör ny utveckling inom samverkansområdet och ska "
                    "stödja och utveckla den strukturella samverkan mellan samverkanspartnerna.",
                    [
                        held(
                            "Samordningsförbundet ska genomföra minst fem mötestillfällen per år "
                            f"med {A_H}.",
                            5,
                        ),
                        counted(
                            "Ekvivalenter är ett verktyg som parterna kan använda för en bättre "
                            "behovsanalys kring blivande projekt/insatser. Dessa presenteras för "
                            f"styrelsen och {A_H} minst en gång per år.",
                            1,
                        ),
                    ],
                ),
                G(
                    "Genomföra aktiviteter för att sprida kunskap om samordningsförbundets syfte, "
                    "verksamhet och resultat hos huvudmännen.",
                    [
                        done_by(
                            "Bjuda in parterna till förbundets verksamhets- och planeringsdag för "
                            "att öka kunskapen dels om Samordningsförbundet och dels dess projekt "
                            "och insatser.",
                            dt.date(2021, 9, 30),
                            "activities",
                            "activities_held",
                        ),
                        described(
                            "Besöka våra huvudmäns olika mötesforum för att öka kunskapen om vårt "
                            "uppdrag."
                        ),
                    ],
                ),
                G(
                    "Delta i regionala och nationellt nätverk för samordningsförbund.",
                    [
                        done_by(
                            "Delta på den nationella nätverkskonferensen för Samordningsförbunden.",
                            END_2021,
                        ),
                        done_by("Delta på Norrlandsnätverket.", END_2021),
                        counted(
                            "En gång i månaden delta i det regionala nätverket med "
                            "förbundschefer/verkställande tjänstemän i Västernorrland.",
                            12,
                        ),
                    ],
                ),
            ],
        ),
        (
            "Styrelsens mål",
            "",
            [
                G(
                    "Följa upp de aktiviteter förbundet finansierar utifrån de mål både "
                    "verksamhetsmässiga och ekonomiska som angivits i ansökningarna och framgår i "
                    "beslutsmeddelande.",
                    [
                        described(
                            "Styrelsen får del- och helårsrapporter från samtliga finansierade "
                            "projekt/insatser."
                        ),
                        described(
                            "Minst en gång per år ska samtliga finansierade projekt/insatser besöka "
                            "styrelsen för en muntlig föredragning och presentation."
                        ),
                    ],
                    (),
                    (*KRAMFORS_INDIVIDUAL, "Psykiatridagen"),
                ),
                G(
                    "Att verka för att stimulera till samverkanslösningar mellan förbundets "
                    "medlemmar inom förbundets ansvarsområde.",
                    [
                        done_by(
                            "Styrelsen ska under året aktivt delta på det medelmssamråd som "
                            "genomförs med förbundets huvudmän.",
                            dt.date(2021, 5, 28),
                        ),
                        done_by(
                            "Styrelsen ska under 2021 tillsammans med huvudmännen arbeta fram en "
                            "prioriteringsordning för finansiering av projekt/insatser inför 2022 "
                            "och framåt.",
                            END_2021,
                        ),
                    ],
                ),
                G(
                    "Följa upp budgeten för förbundet.",
                    [
                        described(
                            "Styrelsen vid varje ordinarie sammanträde får ta del av "
                            "budgetuppföljning och en delårsrapport för första halvåret."
                        )
                    ],
                ),
                G(
                    "Styrelsen har tydliga rutiner och följer upp det interna arbetet.",
                    [
                        done_by(
                            "Styrelsen en gång per år säkerställer att interkontrollplan och risk- "
                            "och väsentlighetsanalys är tillräcklig.",
                            dt.date(2021, 11, 19),
                        )
                    ],
                ),
            ],
        ),
        (
            "Verksamhetens mål",
            "",
            [
                G(
                    "Sprida kunskap om Samordningsförbundets syfte, verksamhet och resultat hos "
                    "medlemmarna.",
                    [
                        described(
                            "Styrelsen, förbundschef och chefs- och samverkansgrupp Arbete & Hälsa "
                            "ska inom sitt respektive ansvarsområde bidra till att information "
                            "avseende förbundet sprids på alla nivåer."
                        ),
                        described(
                            "Besöka våra huvudmäns olika mötesforum för att öka kunskapen om "
                            "förbundets uppdrag."
                        ),
                    ],
                ),
                G(
                    "Tillsammans med övriga förbund i länet arrangera en inspirationsdag per år.",
                    [held("En länsgemensam inspirationsdag arrangeras under året.", 1)],
                ),
                G(
                    "Verka för att parterna ska få en ökad kunskap om respektive parts uppdrag och "
                    "ansvarsområde i syfte att identifiera hinder.",
                    [
                        held(
                            "Samordningsförbundet genomför minst fem mötestillfällen per år med "
                            "chefs- och samverkansgruppen Arbeta & Hälsa för att utveckla arbetet "
                            "med samverkan mellan parterna.",
                            5,
                        )
                    ],
                ),
                G(
                    "Ge stöd till att utveckla den strukturella samverkan mellan parterna.",
                    [
                        held(
                            "Chefs- och samverkansgruppen Arbeta & Hälsa träffas fem gånger per år "
                            "för att underlätta och utveckla den strukturella samverkan mellan "
                            "parterna",
                            5,
                        )
                    ],
                ),
                G(
                    "Finansiera och stödja utveckling av projekt/insatser såväl strukturellt som "
                    "individinriktat med fokus på individinriktade insatser.",
                    [
                        M(
                            "Huvuddelen av förbundets tilldelade medel ska gå till "
                            "individinriktade insatser.",
                            "share",
                            "manual",
                            "",
                            D(50),
                        )
                    ],
                    (),
                    KRAMFORS_INDIVIDUAL,
                ),
            ],
        ),
        (
            "Mål för finansierade projekt/insatser",
            "",
            [
                G(
                    "Förbundsfinansierade projekt/insatser ska uppnå angivna mål.",
                    [
                        M(
                            "Målen för de finansierade projekt/insatser framgår av ansökan och "
                            "beslutsmeddelande, resultaten ska redovisas i delårs- och årsrapport.",
                            "share",
                            "intervention_goals",
                            "",
                            D(100),
                        )
                    ],
                    (),
                    (*KRAMFORS_INDIVIDUAL, "Psykiatridagen"),
                ),
                G(
                    "I de individinriktade projekten/insatserna ska deltagarnas förmåga till att nå "
                    "arbetsmarknaden/egen försörjning stärkas.",
                    [
                        M(
                            "Målen för de individinriktade projekten/insatserna framgår av ansökan "
                            "och beslutsmeddelande, resultaten ska redovisas till styrelsen i "
                            "delårs- och årsrapport.",
                            "share",
                            "intervention_goals",
                            "",
                            D(100),
                        ),
                        M(
                            "Andel deltagare med stegförflyttning mot arbete eller studier, varje "
                            "person räknad en gång över insatserna (demo: insatsernas mål 1/3).",
                            "share",
                            "register",
                            "step_progress",
                            D("33.3"),
                        ),
                    ],
                    (),
                    KRAMFORS_INDIVIDUAL,
                ),
            ],
        ),
        (
            "Finansiella mål",
            "God ekonomisk hushållning: förbundet får inte teckna lån eller krediter och ska vara "
            "självfinansierat genom sina medlemsbidrag.",
            [
                G(
                    "Verksamheten ska bedrivas inom den budgetram som beslutats av styrelsen. "
                    "Samlat kapital från tidigare verksamhetsår ska utnyttjas till ändamålsenliga "
                    "projekt/insatser för målgruppen.",
                    [
                        done_by(
                            "Förbundet följer Nationella Rådets rekommendationer om att förbundets "
                            "eget kapital inte ska överstiga 20 procent dock heller inte understiga "
                            "180 000 kronor vilket motsvarar ca: 7 % av driftsbudget 2021, för att "
                            "säkerställa kapital för eventuella oförutsedda utgifter, "
                            "semesterlöneskuld osv.",
                            END_2021,
                            "economy",
                            EQUITY_RULES,
                        ),
                        described(
                            "Om det samlade kapitalet från tidigare verksamhetsår överstiger "
                            "rekommendationerna från Nationella Rådet ska styrelsen besluta om "
                            "insatser utöver årsbudget kommande år."
                        ),
                    ],
                ),
            ],
        ),
    ],
}

NV_TEAMS = (
    "Samordningsteam FNS",
    "Samordningsteam Sala",
    "Samordningsteam Hallstahammar",
    "Samordningsteam Surahammar",
)

NORRA_VASTMANLAND = {
    "year": 2022,
    "external": RUS_GOALS,
    "areas": [
        (
            "Identifiera – Att kartlägga behov av samverkan",
            "Insatser som förbundet finansierar ska bygga på gemensamma analyser av hur de lokala "
            "behoven av samverkan ser ut, men också med ett länsperspektiv.",
            [
                G(
                    "Minst 4 möten med Utvecklingsrådet (parternas chefsgrupp). Rådet analyserar "
                    "relevant statistik och annan fakta/information för att identifiera behov, "
                    "utvecklingsområden och nya idéer om samverkansinsatser.",
                    [held("Antal möten med Utvecklingsrådet.", 4)],
                ),
                G(
                    "Samtal med samtliga förbundsmedlemmars lokala ledning angående vilka lokala "
                    "behov av samordning av rehabilitering och/eller hälsoarbete de ser, samt på "
                    "vilket sätt samordningsförbundet kan vara ett stöd.",
                    [counted("Antal förbundsmedlemmar vars lokala ledning samtalet förts med.", 9)],
                ),
                G(
                    "Styrgrupper och insatspersonal i de individinsatser som förbundet finansierar "
                    "ska medverka till att identifiera nya och/eller förändrade behovsgrupper samt "
                    "identifiera områden där samverkan behöver utvecklas.",
                    [
                        described(
                            "Att frågan om eventuella förändrade behovsgrupper finns med på "
                            "styrgruppernas agenda följs löpande upp vid mötena."
                        )
                    ],
                    (),
                    NV_TEAMS,
                ),
                G(
                    "Minst 1 utvecklingsdag/mötesarena för insatspersonal, remitterter och "
                    "styrgrupper för de individinsatser som förbundet finansierar.",
                    [held("Antal utvecklingsdagar/mötesarenor.", 1)],
                    (),
                    NV_TEAMS,
                ),
                G(
                    "Att erbjuda samordningsförbundets medverkan i samtliga kommuners "
                    "ledningsgrupper för samverkan - psykisk hälsa.",
                    [counted("Antal kommuner som erbjudits förbundets medverkan.", 6)],
                ),
                G(
                    "Fortsätta utveckla samverkan med övriga Samordningsförbund i länet för att "
                    "tillsammans identifiera och möta nya behov av samverkan.",
                    [
                        counted(
                            "Regelbunden kontakt med övriga Samordningsförbund i länet minst 1 "
                            "gång per månad.",
                            12,
                        )
                    ],
                ),
            ],
        ),
        (
            "Förebygga – Att utveckla insatser som förhindrar långvarigt utanförskap",
            "Förebyggande och hälsofrämjande insatser för personer som löper stor risk att hamna i "
            "utanförskap (arbetslöshet, sjukskrivning, försörjningsstöd).",
            [
                G(
                    "Tillsammans med förbundets parter fortsätta sprida kunskap om hur våld i nära "
                    "relationer kan upptäckas tidigare, vilka effekter våld kan ha på människors "
                    "hälsa samt vilket stöd som finns för dem som drabbats.",
                    [
                        held(
                            "Arrangera minst ett seminarium om våld i nära relationer och om "
                            "samordningsteamens erfarenheter av att systematiskt fråga om våld.",
                            1,
                        )
                    ],
                    ("Mål 5",),
                ),
                G(
                    "Kontakt med elevhälsovården och lokala vuxenutbildningarna i "
                    "medlemskommunerna med syfte att identifiera vilka samordnande insatser som "
                    "kan behövas för att förebygga utslagning och ohälsa i skolan.",
                    [described("Kontakterna och vad de visat redovisas.")],
                    ("Mål 17",),
                ),
                G(
                    "Personal på kommunernas högstadie-, gymnasie- och vuxenutbildningar ska "
                    "erbjudas att delta i relevanta myndighetsgemensamma kompetens-"
                    "utvecklingsinsatser, t ex lösningsfokuserat arbetssätt och psykisk "
                    "hälsa/ohälsa.",
                    [described("Vilka utbildningar personalen erbjudits redovisas.")],
                    ("Mål 17",),
                ),
                G(
                    "Fortsatt processtöd till parternas arbete i och runt Samordningsteamen.",
                    [described("Processtödets arbete redovisas i årsrapporten.")],
                    (),
                    ("Processtöd samverkansinsatser",),
                ),
            ],
        ),
        (
            "Stimulera – Att utveckla samverkansstrukturer inom området samordnad rehabilitering",
            "Alla insatser ska ytterst ha som mål att fler personer i utanförskap närmar sig egen "
            "försörjning.",
            [
                G(
                    "De fyra Samordningsteamen utgör basen i förbundets verksamhet och prioriteras "
                    "i förbundets budget/finansiering. Förbundet vill under 2022, tillsammans med "
                    "parterna, utforska hur samordnade arbetslivsinriktade insatser kan komma fler "
                    "medborgare till del.",
                    [
                        M(
                            "Samordningsteamen når totalt ca 120 personer per år (varje person "
                            "räknad en gång).",
                            "count",
                            "register",
                            "participants",
                            D(120),
                        ),
                        M(
                            "Minst 60 % av deltagarna rapporterar bättre hälsa, mätt som "
                            "tillförlitlig förbättring i ORS (demo).",
                            "share",
                            "register",
                            "ors_improved",
                            D(60),
                        ),
                    ],
                    ("Mål 5", "Mål 19"),
                    NV_TEAMS,
                ),
                G(
                    "Aktivt stödja, både formella och informella, nätverk mellan myndigheterna.",
                    [described("Vilka nätverk förbundet stött redovisas.")],
                ),
                G(
                    "Vidareutveckla formerna för att fånga upp och sprida brukarperspektivet på "
                    "samordnad rehabilitering.",
                    [
                        done_by(
                            "En brukarrevison av Samordningsteam Surahammar har under 2021 "
                            "initierats och kommer slutföras under 2022.",
                            END_2022,
                        )
                    ],
                    (),
                    ("Samordningsteam Surahammar",),
                ),
                G(
                    "Arrangera en seminarieserie om minst 6 träffar där chefer, medarbetare och "
                    "förtroendevalda ges möjlighet att mötas för utbyte av kunskap om respektive "
                    "myndighets uppdrag, förutsättningar, verktyg/metoder samt behov av samverkan "
                    '("Dejt med en verkSAMhet")',
                    [held("Antal träffar i seminarieserien.", 6)],
                ),
                G(
                    "Arrangera gemensamma kompetensutvecklingsinsatser inom området psykisk "
                    "hälsa/ohälsa, bemötande och lösningsfokuserat arbetssätt i samverkan.",
                    [
                        done_by(
                            "Minst en grundutbildning i lösningsfokuserat arbetssätt", END_2022
                        ),
                        done_by(
                            "Minst en repetitions- eller vidareutbildning i lösningsfokuserat "
                            "arbetssätt",
                            END_2022,
                        ),
                        done_by("Minst en föreläsning om psykisk hälsa/ohälsa", END_2022),
                        M(
                            "Deltagare i utbildningarna i lösningsfokus, räknade och inte "
                            "registrerade (demo: 40).",
                            "count",
                            "volume",
                            "",
                            D(40),
                        ),
                    ],
                    (),
                    ("Grundutbildning Lösningfokus", "Vidareutbildning Lösningfokus"),
                ),
                G(
                    "Fortsatt finansiering och lokal administration av Insatskatalogen.",
                    [
                        done_by(
                            "Under hösten 2022 ska en ny utvärdering göras, i samarbete med övriga "
                            "Samordningsförbund i länet, inför beslut om förbunden ska fortsätta "
                            "att finansiera Insatskatalogen efter 2022.",
                            END_2022,
                        )
                    ],
                    (),
                    ("Insatskatalogen",),
                ),
                G(
                    "Samordningsförbundet stödjer metodutveckling och spridning av goda "
                    "exempel/lösningar mellan parter och över länet.",
                    [
                        described(
                            "Kontakter ska etableras (helst länsgemensamt) med relevanta "
                            "lärosäten, för uppdatering om kunskapsläge och för att om möjligt "
                            "kunna erbjuda testmiljöer."
                        )
                    ],
                ),
                G(
                    "Under hösten arrangera en konferens med förbundsstyrelsen och Utvecklingsrådet "
                    "för verksamhetsplanering inför kommande år.",
                    [
                        done_by(
                            "Konferensen för verksamhetsplanering är genomförd.",
                            END_2022,
                            "activities",
                            "activities_held",
                        )
                    ],
                ),
                G(
                    "Möjligheterna via Samordningsförbundet behöver bli mer välkända hos parterna "
                    "(förtroendevalda och anställda).",
                    [
                        counted(
                            "Tillsammans med övriga Samordningsförbund i länet ge ut minst 2 "
                            "länsgemensamma nyhetsbrev.",
                            2,
                        )
                    ],
                ),
                G(
                    "Aktivt medverka i den påbörjade processen mot ett framtida "
                    "länsamordningsförbund.",
                    [described("Förbundets medverkan i processen redovisas.")],
                ),
                G(
                    "Fortsatt uppföljning av hur samverkan utvecklas via Indikatorer för Finsam.",
                    [
                        described(
                            "Indikatorerna mäter hur såväl deltagare och personal i individinsatser "
                            "som parternas chefsgrupp och förbundsstyrelsen bedömer och värderar "
                            "förbundets insatser."
                        )
                    ],
                ),
            ],
        ),
        (
            "Ekonomi",
            "God ekonomisk hushållning och en effektiv användning av gemensamma resurser.",
            [
                G(
                    "Det egna kapitalet ska inte överstiga 20 % av förbundets budgeterade intäkter "
                    "vid årets slut, och ska inte understiga 500 tkr.",
                    [
                        done_by(
                            "Eget kapital vid årets slut inom tak och golv.",
                            END_2022,
                            "economy",
                            EQUITY_RULES,
                        )
                    ],
                    ("Mål 20",),
                ),
            ],
        ),
    ],
}

PLANS = {
    "vastra-malardalen": VASTRA_MALARDALEN,
    "kramfors": KRAMFORS,
    "norra-vastmanland": NORRA_VASTMANLAND,
}
