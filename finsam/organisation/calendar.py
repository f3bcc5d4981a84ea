"""iCalendar (RFC 5545) export of a meeting plan, written by hand: a few VEVENTs need no library.

Higher layers add their own dated events (goals' activities) the way agenda.py works: they register
a source when Django starts, and the export asks every source for the year's entries, limited to
what the user may read. organisation never imports them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _escape(text: str) -> str:
    return (
        text.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def _fold(line: str) -> str:
    """Lines longer than 75 octets are folded with CRLF + space (RFC 5545 3.1)."""
    out, current = [], b""
    for ch in line:
        encoded = ch.encode("utf-8")
        if len(current) + len(encoded) > 75:
            out.append(current.decode("utf-8"))
            current = b" "
        current += encoded
    out.append(current.decode("utf-8"))
    return "\r\n".join(out)


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


@dataclass(frozen=True)
class CalendarEntry:
    """An all-day event from another app: `uid` unique within the association."""

    uid: str
    date: dt.date
    summary: str
    description: str = ""


_sources: list[Callable[..., list[CalendarEntry]]] = []


def register_source(source: Callable[..., list[CalendarEntry]]) -> None:
    if source not in _sources:
        _sources.append(source)


def entries(*, user, association, year: int) -> list[CalendarEntry]:
    found: list[CalendarEntry] = []
    for source in _sources:
        found += source(user=user, association=association, year=year)
    return sorted(found, key=lambda e: (e.date, e.uid))


def meetings_ics(
    *, association, meetings, cycle_by_meeting: dict[int, list], extra: list[CalendarEntry] = ()
) -> str:
    stamp = _utc(timezone.now())
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//Finsam//Sammanträden//SV",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{_escape(association.name)}",
    ]
    for m in meetings:
        lines += [
            "BEGIN:VEVENT",
            f"UID:meeting-{m.pk}@{association.slug}.finsam",
            f"DTSTAMP:{stamp}",
        ]
        if m.start_time:
            start = dt.datetime.combine(m.date, m.start_time, tzinfo=STOCKHOLM)
            # Without an end time a meeting lasts three hours, past midnight if need be.
            end = (
                dt.datetime.combine(m.date, m.end_time, tzinfo=STOCKHOLM)
                if m.end_time
                else start + dt.timedelta(hours=3)
            )
            lines += [f"DTSTART:{_utc(start)}", f"DTEND:{_utc(end)}"]
        else:
            lines += [
                f"DTSTART;VALUE=DATE:{m.date:%Y%m%d}",
                f"DTEND;VALUE=DATE:{m.date + dt.timedelta(days=1):%Y%m%d}",
            ]
        lines.append(f"SUMMARY:{_escape(f'{m.get_kind_display()} – {association.name}')}")
        if m.place:
            lines.append(f"LOCATION:{_escape(m.place)}")
        agenda = [a.title for a in m.agenda_items.all()]
        agenda += [
            p.item.title for p in cycle_by_meeting.get(m.pk, []) if p.item.title not in agenda
        ]
        description = "\n".join([*(f"• {t}" for t in agenda), m.notes]).strip()
        if description:
            lines.append(f"DESCRIPTION:{_escape(description)}")
        lines.append("END:VEVENT")
    for entry in extra:
        lines += [
            "BEGIN:VEVENT",
            f"UID:{entry.uid}@{association.slug}.finsam",
            f"DTSTAMP:{stamp}",
            f"DTSTART;VALUE=DATE:{entry.date:%Y%m%d}",
            f"DTEND;VALUE=DATE:{entry.date + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(entry.summary)}",
        ]
        if entry.description:
            lines.append(f"DESCRIPTION:{_escape(entry.description)}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
