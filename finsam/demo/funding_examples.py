"""Demo examples beside the seeds' interventions: an example application in Västra Mälardalen,
steering-group meetings with minutes, the demo staff user's interventions and an example of
co-financing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from finsam.core.actors import SYSTEM
from finsam.funding import services
from finsam.funding.models import Application, Intervention

D = Decimal


def load_example_application(association) -> None:
    """One submitted application in a call that is open today, marked as an example: the seeds'
    calls are from 2021, and the office and the advisory group need something to assess on first
    login. Loaded once; nothing is added when the association already has an application."""
    if Application.objects.filter(association=association).exists():
        return
    today = timezone.localdate()
    year = today.year + 1
    call = services.call_create(
        association=association,
        by=SYSTEM,
        title=f"Exempel: sökbara medel {year} (demo)",
        description="En exempelutlysning i demon, så att en ansökan kan bedömas och beslutas.",
        pot=D(500_000),
        opens_on=today - dt.timedelta(days=30),
        closes_on=today + dt.timedelta(days=60),
    )
    members = {m.name: m for m in association.members.all()}
    applicants = [m for name, m in members.items() if name.startswith("Köping")][:1] or [
        m for m in members.values() if m.kind == "municipality"
    ][:1]
    content = services.ApplicationContent(
        fields={
            "title": "Exempel: Unga till arbete (demo)",
            "background": "Exempelansökan i demon. Unga vuxna som varken arbetar eller studerar "
            "behöver ett samlat stöd från kommunen, Arbetsförmedlingen och regionen.",
            "target_group": "Unga vuxna som varken arbetar eller studerar.",
            "age_from": 16,
            "age_to": 29,
            "purpose": "Egen försörjning genom arbete eller studier.",
            "period_start": dt.date(year, 1, 1),
            "period_end": dt.date(year, 12, 31),
            "owner": "Köpings kommun, arbetsmarknadsenheten",
            "responsible_manager": "Förvaltningschef",
            "project_lead": "Enhetschef",
            "reports_per_person": True,
            "evaluation_plan": "Uppföljning per deltagare och enkät vid avslut.",
            "steering_meetings_per_year": "3–4",
            "call": call,
        },
        applicants=applicants,
        kind_shares={"individual": 50, "process_support": 50},
        goals=[
            {"text": "Antal ärenden per år", "target_value": "≥ 30 ärenden per år"},
            {"text": "Nöjda deltagare", "target_value": "≥ 85 % nöjda deltagare"},
        ],
        budget_lines=[
            {
                "year": year,
                "cost_line": "Coach 100 %",
                "requested": D(450_000),
                "own_financing": D(100_000),
                "external_funding": D(0),
                "external_source": "",
            }
        ],
        steering_group=[
            {"name": "", "member": applicants[0] if applicants else None, "role": "Ordförande"},
            {"name": "", "member": None, "role": "Förbundets tjänsteperson"},
        ],
    )
    application = services.application_create(association=association, content=content, by=SYSTEM)
    services.application_submit(application=application, by=SYSTEM, today=today)


def _minutes_pdf(title: str, day: dt.date, points: list[str]) -> bytes:
    """A small but valid one-page PDF (Helvetica, WinAnsi text) so the demo's minutes open in any
    reader without rendering HTML at load time."""

    def text(value: str) -> str:
        raw = value.encode("cp1252", "replace").decode("latin-1")
        return raw.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    lines = [f"Protokoll styrgruppsmöte {day:%Y-%m-%d}", title, ""]
    lines += [f"{n}. {p}" for n, p in enumerate(points, start=1)]
    lines += ["", "Exempelprotokoll i Finsams demo."]
    body = "BT /F1 12 Tf 56 780 Td 16 TL " + " ".join(f"({text(t)}) '" for t in lines) + " ET"
    content = body.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + obj + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


DEMO_POINTS = [
    "Föregående protokoll",
    "Lägesrapport från projektledaren",
    "Ekonomi: utfall mot budget",
    "Deltagare och flöden (sammanställt, inga enskilda)",
    "Nästa möte",
]


def _demo_meetings(association) -> list[tuple[str, list[tuple[dt.date, bool]]]]:
    """[(title prefix, [(date, has minutes)])]. Illustrative: the seeds name no meeting dates.

    STEGSAM's years are fixed (2020 behind, 2021 with minutes missing for the last meeting);
    Samkraft runs until further notice, so its meetings follow the day the demo is loaded."""
    if association.slug != "kramfors":
        return []
    today = timezone.localdate()
    recent = [today - dt.timedelta(days=d) for d in (45, 130, 220, 310, 400, 490)]
    return [
        (
            "STEGSAM –",
            [
                (dt.date(2020, 3, 12), True),
                (dt.date(2020, 10, 8), True),
                (dt.date(2021, 2, 11), True),
                (dt.date(2021, 5, 20), True),
                (dt.date(2021, 9, 16), True),
                (dt.date(2021, 11, 25), False),
            ],
        ),
        ("Teamkoordinator/Coach Samkraft", [(d, d != recent[0]) for d in recent]),
    ]


def load_steering_meetings(association) -> None:
    """A few steering-group meetings per demo intervention; an intervention that already has
    meetings is left alone, so loading twice adds nothing."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    for prefix, meetings in _demo_meetings(association):
        intervention = Intervention.objects.filter(
            association=association, title__startswith=prefix
        ).first()
        if intervention is None or intervention.steering_meetings.exists():
            continue
        for day, with_minutes in meetings:
            minutes = None
            if with_minutes:
                minutes = SimpleUploadedFile(
                    f"Protokoll styrgrupp {day:%Y-%m-%d}.pdf",
                    _minutes_pdf(intervention.title, day, DEMO_POINTS),
                    "application/pdf",
                )
            services.steering_meeting_create(
                intervention=intervention,
                date=day,
                notes="\n".join(DEMO_POINTS),
                minutes=minutes,
                by=SYSTEM,
            )


# STEGSAM's plan says "Kramfors kommun bidrar med kostnaden för en projektledare" without an
# amount: the demo shows it as co-financing with an example figure, and says so in the note.
DEMO_CO_FINANCING = {
    "kramfors": (
        "STEGSAM –",
        2021,
        "Kramfors kommun",
        D(450_000),
        "Kostnaden för en projektledare. Exempelbelopp i demon: verksamhetsplanen anger inte "
        "beloppet.",
    ),
}


def load_co_financing(association) -> None:
    """The example co-financing row; an intervention that has co-financing is left alone, so
    loading twice adds nothing."""
    example = DEMO_CO_FINANCING.get(association.slug)
    if example is None:
        return
    prefix, year, funder, amount, note = example
    intervention = Intervention.objects.filter(
        association=association, title__startswith=prefix
    ).first()
    if intervention is None or intervention.co_financing.exists():
        return
    services.co_financing_create(
        intervention=intervention, year=year, funder=funder, amount=amount, note=note, by=SYSTEM
    )


# The interventions the demo user `insats` works in (the project of Kramfors kommun's AME).
DEMO_STAFF_PREFIXES = ("STEGSAM –", "STEGSAM Plus", "Teamkoordinator/Coach Samkraft")


def attach_demo_staff(association) -> None:
    from finsam.organisation.models import Membership, Role

    if association.slug != "kramfors":
        return
    staff = Membership.objects.filter(
        association=association, role=Role.STAFF, user__username="insats"
    ).first()
    # Report reminders (send_reminders, console backend in the demo) need an address to go to.
    from finsam.accounts.models import User

    for username in ("insats", "kansli"):
        User.objects.filter(username=username, email="").update(
            email=f"{username}@demo.finsam.invalid"
        )
    if staff is None:
        return
    for prefix in DEMO_STAFF_PREFIXES:
        intervention = Intervention.objects.filter(
            association=association, title__startswith=prefix
        ).first()
        if intervention and not intervention.staff.filter(pk=staff.user_id).exists():
            services.intervention_staff_set(
                intervention=intervention,
                users=[*intervention.staff.all(), staff.user],
                by=SYSTEM,
            )
