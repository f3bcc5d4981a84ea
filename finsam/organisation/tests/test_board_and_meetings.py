import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from finsam.core.actors import SYSTEM
from finsam.organisation import services
from finsam.organisation.calendar import meetings_ics
from finsam.organisation.models import AnnualCycleItem, AuditEvent, BoardSeat, Meeting
from finsam.organisation.tests.factories import BoardSeatFactory, CycleItemFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def test_seat_is_vacant_outside_its_mandate_period(association):
    seat = BoardSeatFactory(
        association=association,
        holder_name="Thomas Näsholm",
        mandate_start=dt.date(2019, 4, 1),
        mandate_end=dt.date(2023, 3, 31),
    )
    assert seat.is_filled_on(dt.date(2019, 4, 1))
    assert seat.is_filled_on(dt.date(2023, 3, 31))
    assert not seat.is_filled_on(dt.date(2023, 4, 1))
    assert not seat.is_filled_on(dt.date(2019, 3, 31))
    status = services.board_on(seats=[seat], day=dt.date(2024, 1, 1))
    assert status[0].filled is False


def test_seat_without_holder_is_vacant(association):
    seat = BoardSeatFactory(association=association, holder_name="")
    assert not seat.is_filled_on(dt.date(2021, 1, 1))


def test_mandate_cannot_end_before_it_starts(association):
    member = association.members.first()
    with pytest.raises(ValidationError) as exc:
        services.board_seat_create(
            association=association,
            by=SYSTEM,
            member=member,
            kind="regular",
            holder_name="A",
            mandate_start=dt.date(2023, 1, 1),
            mandate_end=dt.date(2022, 1, 1),
        )
    assert "mandate_end" in exc.value.message_dict
    assert not BoardSeat.objects.exists()


def test_only_one_chair_per_mandate_period_and_only_regular_members(association):
    member = association.members.first()
    period = {"mandate_start": dt.date(2019, 4, 1), "mandate_end": dt.date(2023, 3, 31)}
    services.board_seat_create(
        association=association,
        by=SYSTEM,
        member=member,
        kind="regular",
        holder_name="Thomas Näsholm",
        position="chair",
        **period,
    )
    with pytest.raises(ValidationError, match="Thomas Näsholm är redan ordförande"):
        services.board_seat_create(
            association=association,
            by=SYSTEM,
            member=member,
            kind="regular",
            holder_name="B",
            position="chair",
            **period,
        )
    with pytest.raises(ValidationError, match="ordinarie ledamot"):
        services.board_seat_create(
            association=association,
            by=SYSTEM,
            member=member,
            kind="deputy",
            holder_name="C",
            position="vice_chair",
            **period,
        )
    # A new chair for the next period is fine.
    services.board_seat_create(
        association=association,
        by=SYSTEM,
        member=member,
        kind="regular",
        holder_name="D",
        position="chair",
        mandate_start=dt.date(2023, 4, 1),
        mandate_end=dt.date(2027, 3, 31),
    )
    assert BoardSeat.objects.filter(position="chair").count() == 2


def test_seat_member_must_belong_to_the_association(association, other_association):
    with pytest.raises(ValidationError):
        services.board_seat_create(
            association=association,
            by=SYSTEM,
            member=other_association.members.first(),
            kind="regular",
            holder_name="X",
            mandate_start=dt.date(2021, 1, 1),
            mandate_end=dt.date(2022, 1, 1),
        )


def test_seat_update_audits_before_and_after(association):
    seat = BoardSeatFactory(association=association, holder_name="Siw Sachs")
    services.board_seat_update(seat=seat, data={"holder_name": "Ulla Olofsson"}, by=SYSTEM)
    event = AuditEvent.objects.get(event="board_seat.updated")
    assert event.before["holder_name"] == "Siw Sachs"
    assert event.after["holder_name"] == "Ulla Olofsson"
    assert ("holder_name", "Siw Sachs", "Ulla Olofsson") in event.changed_fields()


def kramfors_2021(association):
    dates = [(1, 22), (3, 26), (6, 9), (9, 3), (11, 19)]
    meetings = [MeetingFactory(association=association, date=dt.date(2021, m, d)) for m, d in dates]
    meetings.append(
        MeetingFactory(
            association=association, date=dt.date(2021, 9, 30), kind=Meeting.Kind.PLANNING
        )
    )
    return meetings


def test_annual_cycle_puts_each_item_on_the_last_board_meeting_before_its_deadline(association):
    meetings = kramfors_2021(association)
    items = [
        CycleItemFactory(
            association=association, kind="annual_report", title="Årsredovisning", month=3
        ),
        CycleItemFactory(
            association=association, kind="interim_report", title="Delårsrapport", month=9
        ),
        CycleItemFactory(association=association, kind="budget", title="Budget", month=11),
        CycleItemFactory(
            association=association, kind="risk_analysis", title="Riskanalys", month=12
        ),
    ]
    placed = {
        p.item.title: p
        for p in services.annual_cycle_for_year(items=items, meetings=meetings, year=2021)
    }
    assert placed["Årsredovisning"].meeting.date == dt.date(2021, 3, 26)
    # The planning day on 30 September is not a board meeting.
    assert placed["Delårsrapport"].meeting.date == dt.date(2021, 9, 3)
    assert placed["Budget"].meeting.date == dt.date(2021, 11, 19)
    assert placed["Riskanalys"].meeting.date == dt.date(2021, 11, 19)
    assert not any(p.late for p in placed.values())


def test_cycle_item_before_the_first_meeting_is_placed_late_and_flagged(association):
    MeetingFactory(association=association, date=dt.date(2021, 3, 26))
    item = CycleItemFactory(association=association, kind=AnnualCycleItem.Kind.OTHER, month=1)
    [placement] = services.annual_cycle_for_year(
        items=[item], meetings=list(Meeting.objects.all()), year=2021
    )
    assert placement.meeting.date == dt.date(2021, 3, 26)
    assert placement.late


def test_cycle_without_meetings_is_unplaced(association):
    item = CycleItemFactory(association=association)
    [placement] = services.annual_cycle_for_year(items=[item], meetings=[], year=2021)
    assert placement.meeting is None


def test_meeting_with_agenda_is_created_and_audited(association):
    meeting = services.meeting_create(
        association=association,
        by=SYSTEM,
        date=dt.date(2021, 3, 26),
        start_time=dt.time(9),
        end_time=dt.time(12),
        place="AME Folkets park Kramfors",
        agenda=["Årsredovisningen", "Budgetuppföljning"],
    )
    assert [a.title for a in meeting.agenda_items.all()] == [
        "Årsredovisningen",
        "Budgetuppföljning",
    ]
    assert AuditEvent.objects.filter(event="meeting.created").count() == 1
    assert AuditEvent.objects.filter(event="agenda_item.created").count() == 2


def test_meeting_must_end_after_it_starts(association):
    with pytest.raises(ValidationError):
        services.meeting_create(
            association=association,
            by=SYSTEM,
            date=dt.date(2021, 3, 26),
            start_time=dt.time(12),
            end_time=dt.time(9),
        )
    assert not Meeting.objects.exists()


def test_ics_has_one_event_per_meeting_in_utc_with_folded_lines(association):
    meetings = kramfors_2021(association)
    meetings[1].notes = "Länsgemensam ”Inspirationsdag”, med en lång anteckning " * 3
    meetings[1].save()
    body = meetings_ics(association=association, meetings=meetings, cycle_by_meeting={})
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert body.count("BEGIN:VEVENT") == len(meetings)
    # 09:00 in Stockholm in January (CET, UTC+1) is 08:00 UTC; in June (CEST) 07:00 UTC.
    assert "DTSTART:20210122T080000Z" in body
    assert "DTSTART:20210609T070000Z" in body
    assert all(len(line.encode()) <= 75 for line in body.split("\r\n"))
    assert "\\," in body  # commas in text are escaped
