"""The three associations of ../shared/seeds as data: what their 2021/2022 plans print.

Where a plan does not say (names of board members, the municipalities' internal key), the demo says
so in a note instead of inventing it.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal as D

STATE, REGION, MUNI = "state_agency", "region", "municipality"
MANDATE_2019_2023 = (dt.date(2019, 4, 1), dt.date(2023, 3, 31))

# The annual cycle most associations follow: the law's budget deadline (23 §, 30 November), the
# annual report within three months of year end, an interim report per 30 June, and the yearly
# risk analysis and internal control plan at the last meeting of the year.
DEFAULT_CYCLE = [
    (
        "annual_report",
        "Årsredovisning och verksamhetsberättelse föregående år",
        3,
        "Inom tre månader efter årets slut (LKBR 2018:597).",
    ),
    (
        "annual_report",
        "Årsredovisning upprättas och lämnas till revisorerna",
        3,
        "Tre månader efter årets slut: Finsam ställer upp resultat- och balansräkning och "
        "kassaflödesanalys ur bokslutsårets SIE-fil (dokumentet Årsredovisning).",
    ),
    (
        "interim_report",
        "Delårsrapport per 30 juni",
        9,
        "Status per insats, budget mot utfall och prognos.",
    ),
    ("activity_plan", "Verksamhetsplan kommande år", 11, "Beslutas tillsammans med budgeten."),
    (
        "budget",
        "Budget kommande år och plan för två år",
        11,
        "Styrelsen beslutar budgeten senast 30 november efter samråd med medlemmarna (23 § lagen "
        "2003:1210).",
    ),
    (
        "risk_analysis",
        "Risk- och väsentlighetsanalys",
        12,
        "Presenteras för styrelsen senast vid årets sista styrelsemöte.",
    ),
    ("internal_control", "Internkontrollplan kommande år", 12, ""),
]

ASSOCIATIONS = [
    {
        "slug": "vastra-malardalen",
        "name": "Samordningsförbundet Västra Mälardalen",
        "founded_year": 2010,
        "founded_month": 5,
        "vision": "Samordningsförbundet Västra Mälardalen ska stödja människor i utanförskap till "
        "god hälsa och förvärvsarbete och därmed minska klyftorna i samhället.",
        "description": "Stöd till det lokala arbetet för de medborgare i Köping, Arboga och Kungsör "
        "(KAK) som behöver en samordnad arbetslivsinriktad rehabilitering. Förbundet "
        "utför inte egna individinsatser utan mobiliserar samverkan, samt finansierar "
        "och stödjer parternas arbetslivsinriktade rehabiliteringsarbete. Målgruppen "
        "för individinsatserna är personer i åldern 16–64 år.",
        "director_title": "förbundssamordnare",
        "director_name": "",
        "office_note": "Förbundssamordnaren är styrelsens verkställande tjänsteman, formellt anställd "
        "i Köpings kommun. Ekonom och styrelsesekreterare köps av Köpings kommun, "
        "liksom diariesystem och löneadministration. Varje styrelsemöte förbereds av "
        "ett arbetsutskott (AU): ordförande, vice ordförande, förbundssamordnare, "
        "ekonom och sekreterare.",
        "board_size_note": "Sex ledamöter och sex ersättare, en av varje per medlem. Namnen anges inte "
        "i verksamhetsplanen.",
        "members": [
            ("Försäkringskassan", STATE, D(1)),
            ("Arbetsförmedlingen", STATE, D(0)),
            ("Region Västmanland", REGION, D(1)),
            ("Köpings kommun", MUNI, D(50)),
            ("Arboga kommun", MUNI, D(30)),
            ("Kungsörs kommun", MUNI, D(20)),
        ],
        # Resultatbudget 2021, kkr: every year 1 500 (AF+FK) / 750 / 375 / 225 / 150.
        "contributions": [
            (2019, D(3_000_000), False, "Bokslut 2019"),
            (2020, D(3_000_000), False, "Budget 2020"),
            (2021, D(3_000_000), False, "Budget 2021"),
            (2022, D(3_000_000), True, "Plan 2022"),
            (2023, D(3_000_000), True, "Plan 2023"),
        ],
        "seats": [
            (m, kind, "", "", MANDATE_2019_2023)
            for m in (
                "Försäkringskassan",
                "Arbetsförmedlingen",
                "Region Västmanland",
                "Köpings kommun",
                "Arboga kommun",
                "Kungsörs kommun",
            )
            for kind in ("regular", "deputy")
        ],
        "groups": [
            {
                "name": "Utvecklingsgrupp",
                "assesses_applications": True,
                "meetings_per_year": None,
                "purpose": "Tjänstemän från alla parter, utsedda av parterna själva. Identifierar behov "
                "av samverkansinsatser, stödjer förbundssamordnaren i bedömningen av inkomna "
                "ansökningar och återför information till den egna organisationen. Gruppen "
                "har inget formellt ansvar i förhållande till styrelsen.",
            }
        ],
        "meetings": [
            (
                dt.date(2020, 11, 27),
                None,
                None,
                "",
                "board",
                ["Verksamhetsplan och budget 2021, plan 2022–2023"],
                "Verksamhetsplanen beslutad.",
            ),
            (
                dt.date(2020, 12, 9),
                None,
                None,
                "",
                "member_consultation",
                ["Länssamråd: ägarnas beslut om länssamverkan"],
                "",
            ),
        ],
    },
    {
        "slug": "kramfors",
        "name": "Samordningsförbundet Kramfors",
        "founded_year": 2004,
        "founded_month": 12,
        "vision": "",
        "description": "Förbundet finansierar och stödjer samverkan i syfte att individen ska må "
        "bättre och öka sin förmåga till förvärvsarbete och/eller studier för att "
        "kunna bli självförsörjande. Parterna är Försäkringskassan, "
        "Arbetsförmedlingen, Kramfors kommun och Region Västernorrland med ett "
        "lagstiftat delägarskap på 25 % vardera. Målgrupp: medborgare i Kramfors "
        "kommun i förvärvsaktiv ålder (16–64 år); prioriterad målgrupp är ungdomar "
        "och unga vuxna 16–29 år.",
        "director_title": "förbundschef",
        "director_name": "Jerker Byström",
        "office_note": "Förbundet är egen arbetsgivare sedan februari 2019. Löpande avtal med "
        "Kramfors kommun om köp av ekonomtjänst samt löne- och arvodeshantering på "
        "timbasis, och om dataskyddsombud.",
        "board_size_note": "Fyra ordinarie ledamöter och fyra ersättare. Mandatperioden sträcker "
        "sig till och med 2023-03-31.",
        "members": [
            ("Försäkringskassan", STATE, D(1)),
            ("Arbetsförmedlingen", STATE, D(0)),
            ("Region Västernorrland", REGION, D(1)),
            ("Kramfors kommun", MUNI, D(1)),
        ],
        # Resultatbudget 2021: driftsbidrag 2 592 000 kr 2020–2021; 2022–2023 projected with the
        # average decline of the last three years, 5 333 kr per year.
        "contributions": [
            (2020, D(2_592_000), False, "Budget 2020"),
            (2021, D(2_592_000), False, "Budget 2021"),
            (
                2022,
                D(2_586_668),
                True,
                "Uppskattning: snittet av de senaste årens sänkningar, 5 333 kr/år",
            ),
            (
                2023,
                D(2_581_334),
                True,
                "Uppskattning: snittet av de senaste årens sänkningar, 5 333 kr/år",
            ),
        ],
        "seats": [
            ("Kramfors kommun", "regular", "Thomas Näsholm", "chair", MANDATE_2019_2023),
            ("Region Västernorrland", "regular", "Siw Sachs", "", MANDATE_2019_2023),
            ("Försäkringskassan", "regular", "Christina Bergius", "", MANDATE_2019_2023),
            ("Arbetsförmedlingen", "regular", "Jessica Norman", "vice_chair", MANDATE_2019_2023),
            ("Kramfors kommun", "deputy", "Ida Stafrin", "", MANDATE_2019_2023),
            ("Region Västernorrland", "deputy", "Ulla Olofsson", "", MANDATE_2019_2023),
            ("Försäkringskassan", "deputy", "Camilla Steen", "", MANDATE_2019_2023),
            ("Arbetsförmedlingen", "deputy", "Patrik Lockner", "", MANDATE_2019_2023),
        ],
        "groups": [
            {
                "name": "Arbete & Hälsa chefsgrupp",
                "assesses_applications": True,
                "meetings_per_year": 5,
                "purpose": "Chefs- och samverkansgrupp som främjar och utvecklar samverkan mellan "
                "myndigheterna, utbyter information och erfarenheter och vid behov fungerar "
                "som beredningsgrupp åt förbundet. Förbundschefen är sammankallande.",
            }
        ],
        "meetings": [
            (
                dt.date(2020, 11, 20),
                None,
                None,
                "Kramfors",
                "board",
                ["Verksamhetsplan och budget 2021"],
                "Verksamhetsplanen undertecknad av styrelsen.",
            ),
            (
                dt.date(2021, 1, 22),
                dt.time(9),
                dt.time(12),
                "AME Folkets park Kramfors",
                "board",
                [],
                "",
            ),
            (
                dt.date(2021, 3, 26),
                dt.time(9),
                dt.time(12),
                "AME Folkets park Kramfors",
                "board",
                ["Årsredovisningen"],
                "Länsgemensam ”Inspirationsdag” (står vid detta möte i "
                "mötesplanen, utan eget datum).",
            ),
            (
                dt.date(2021, 5, 28),
                None,
                None,
                "Timrå",
                "member_consultation",
                ["Medlemssamråd för hela länet"],
                "",
            ),
            (
                dt.date(2021, 6, 9),
                dt.time(9),
                dt.time(12),
                "AME Folkets park Kramfors",
                "board",
                [],
                "",
            ),
            (
                dt.date(2021, 9, 3),
                dt.time(9),
                dt.time(12),
                "AME Folkets park Kramfors",
                "board",
                ["Delårsbokslut"],
                "",
            ),
            (
                dt.date(2021, 9, 30),
                dt.time(9),
                dt.time(16),
                "",
                "planning",
                ["Verksamhet- och budgetplanering inför 2021"],
                "Texten som i mötesplanen.",
            ),
            (
                dt.date(2021, 11, 19),
                dt.time(9),
                dt.time(12),
                "AME Folkets park Kramfors",
                "board",
                ["Verksamhet- och budgetplan 2021"],
                "Texten som i mötesplanen.",
            ),
        ],
    },
    {
        "slug": "norra-vastmanland",
        "name": "Norra Västmanlands Samordningsförbund",
        "founded_year": 2005,
        "founded_month": None,
        "vision": "Norra Västmanlands Samordningsförbund är en samverkansarena som stödjer "
        "människor till god hälsa och förvärvsarbete och därmed bidrar till ett socialt "
        "hållbart och jämställt samhälle.",
        "description": "Bildat 2005 av Arbetsförmedlingen, Försäkringskassan, Region Västmanland "
        "samt kommunerna Fagersta, Norberg och Skinnskatteberg. 2010 anslöt "
        "Hallstahammar, Sala och Surahammar. I de sex kommunerna bor ca 72 500 "
        "invånare, varav ca 41 000 i åldern 16–64 år. Basen i verksamheten är "
        "finansiering och stöd till fyra Samordningsteam.",
        "director_title": "förbundschef",
        "director_name": "",
        "office_note": "Förbundschefen är anställd av förbundet. Administrativa tjänster köps från "
        "Fagersta kommun, Västmanland-Dalarna Lönenämnd och Norra Västmanlands "
        "ekonomiförvaltning. Ett presidium (ordförande och vice ordförande) bereder "
        "styrelsemötena tillsammans med förbundschefen. Revisorer: två "
        "lekmannarevisorer utsedda av kommunerna respektive regionen och en "
        "auktoriserad revisor utsedd av staten via Försäkringskassan.",
        "board_size_note": "Nio ordinarie ledamöter och nio ersättare. Namnen anges inte i "
        "verksamhetsplanen.",
        "members": [
            ("Försäkringskassan", STATE, D(1)),
            ("Arbetsförmedlingen", STATE, D(0)),
            ("Region Västmanland", REGION, D(1)),
            ("Fagersta kommun", MUNI, D(1)),
            ("Norbergs kommun", MUNI, D(1)),
            ("Skinnskattebergs kommun", MUNI, D(1)),
            ("Hallstahammars kommun", MUNI, D(1)),
            ("Sala kommun", MUNI, D(1)),
            ("Surahammars kommun", MUNI, D(1)),
        ],
        "contributions": [
            (
                2021,
                D(7_046_000),
                False,
                "Prognos 2021. Kommunernas inbördes nyckel anges inte i "
                "verksamhetsplanen: lika delar tills kansliet lagt in den.",
            ),
            (2022, D(7_046_000), False, "Budget 2022"),
            (2023, D(7_046_000), True, "Plan 2023"),
            (2024, D(7_046_000), True, "Plan 2024"),
        ],
        "seats": [
            (m, kind, "", "", MANDATE_2019_2023)
            for m in (
                "Försäkringskassan",
                "Arbetsförmedlingen",
                "Region Västmanland",
                "Fagersta kommun",
                "Norbergs kommun",
                "Skinnskattebergs kommun",
                "Hallstahammars kommun",
                "Sala kommun",
                "Surahammars kommun",
            )
            for kind in ("regular", "deputy")
        ],
        "groups": [
            {
                "name": "Utvecklingsrådet",
                "assesses_applications": True,
                "meetings_per_year": 4,
                "purpose": "Parternas chefsgrupp: minst en tjänsteperson med beslutsmandat från varje "
                "medlem. Kan initiera kartläggningar och analyser för att identifiera behov "
                "och är ett stöd vid beredningen av ansökningar. Finns inte i förbundets "
                "linjeorganisation.",
            }
        ],
        "meetings": [
            (
                dt.date(2021, 11, 18),
                None,
                None,
                "",
                "board",
                ["Verksamhetsplan och budget 2022–2024"],
                "Verksamhetsplanen antagen.",
            ),
        ],
    },
]
