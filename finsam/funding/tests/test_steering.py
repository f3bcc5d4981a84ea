"""The steering group of an intervention: members and meetings kept by the office and the
intervention's staff, minutes checked by content, every change audited, and the rule for how many
meetings a year the steering group should hold."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from docx import Document

from finsam.core.actors import SYSTEM
from finsam.demo.funding_examples import DEMO_POINTS, _minutes_pdf
from finsam.funding import selectors, services
from finsam.funding.models import SteeringGroupMeeting, SteeringGroupMember
from finsam.funding.tests import factories as f
from finsam.organisation.models import AuditEvent, Membership, Role
from finsam.organisation.tests.factories import user_with_role

TODAY = dt.date(2026, 11, 25)


def real_pdf() -> bytes:
    return _minutes_pdf("STEGSAM", dt.date(2021, 3, 10), DEMO_POINTS)


def real_docx() -> bytes:
    document = Document()
    document.add_heading("Protokoll styrgruppsmöte", level=1)
    document.add_paragraph("1. Föregående protokoll")
    buffer = BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content, content_type)


@pytest.fixture
def office(association):
    return user_with_role(association, Role.OFFICE)


@pytest.fixture
def intervention(association):
    return f.intervention(
        association,
        fields={
            "title": "STEGSAM",
            "period_start": dt.date(2020, 1, 1),
            "period_end": dt.date(2021, 12, 31),
            "steering_meetings_per_year": "3–4",
        },
        members=[association.members.filter(kind="municipality").first()],
    )


@pytest.fixture
def staff(association, intervention, office):
    user = user_with_role(association, Role.STAFF)
    services.intervention_staff_set(intervention=intervention, users=[user], by=office)
    return user


def events(name: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(event=name).order_by("id"))


# --- members ------------------------------------------------------------------------------------


def test_office_adds_changes_and_removes_a_member_with_audit(association, intervention, office):
    region = association.members.get(kind="region")
    person = services.steering_member_create(
        intervention=intervention,
        name=" Anna Andersson ",
        member=region,
        role="Ordförande",
        by=office,
    )
    assert person.name == "Anna Andersson" and person.intervention == intervention
    created = events("steering_member.created")[-1]
    assert created.after["name"] == "Anna Andersson"
    assert created.after["member"] == region.name
    assert created.association == association

    services.steering_member_update(
        person=person, data={"name": "Anna Berg", "member": None, "role": "Ledamot"}, by=office
    )
    updated = events("steering_member.updated")[-1]
    assert updated.before["name"] == "Anna Andersson" and updated.after["name"] == "Anna Berg"
    assert updated.before["member"] == region.name and updated.after["member"] is None

    services.steering_member_delete(person=person, by=office)
    assert not SteeringGroupMember.objects.filter(pk=person.pk).exists()
    assert events("steering_member.deleted")[-1].before["name"] == "Anna Berg"


def test_a_new_member_goes_last(association, intervention, office):
    first = services.steering_member_create(intervention=intervention, role="Ledamot", by=office)
    second = services.steering_member_create(
        intervention=intervention, role="Adjungerad", by=office
    )
    assert list(intervention.steering_group.all()) == [first, second]


def test_member_of_another_association_is_refused(
    association, other_association, intervention, office
):
    foreign = other_association.members.first()
    with pytest.raises(ValidationError) as error:
        services.steering_member_create(
            intervention=intervention, name="X", member=foreign, by=office
        )
    assert "hör inte till förbundet" in str(error.value.message_dict["member"])
    assert not intervention.steering_group.exists()


def test_an_empty_member_is_refused(intervention, office):
    with pytest.raises(ValidationError) as error:
        services.steering_member_create(intervention=intervention, name="  ", by=office)
    assert error.value.message_dict["name"] == ["Ange namn, organisation eller roll."]
    assert not AuditEvent.objects.filter(event="steering_member.created").exists()


def test_staff_of_the_intervention_may_change_the_group_but_not_others(
    association, intervention, staff
):
    person = services.steering_member_create(intervention=intervention, role="Ledamot", by=staff)
    assert person.pk
    other_staff = user_with_role(association, Role.STAFF)
    board = user_with_role(association, Role.BOARD)
    for who in (other_staff, board):
        with pytest.raises(PermissionDenied):
            services.steering_member_update(person=person, data={"role": "Ändrad"}, by=who)
        with pytest.raises(PermissionDenied):
            services.steering_meeting_create(
                intervention=intervention, date=dt.date(2021, 3, 1), by=who
            )
    person.refresh_from_db()
    assert person.role == "Ledamot"
    assert not intervention.steering_meetings.exists()


# --- meetings and minutes -----------------------------------------------------------------------


def test_meeting_with_real_pdf_minutes_is_stored_and_audited(intervention, office):
    meeting = services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        notes="Lägesrapport",
        minutes=upload("Protokoll 2021-03-10.pdf", real_pdf()),
        by=office,
        today=TODAY,
    )
    assert meeting.minutes_name == "Protokoll 2021-03-10.pdf"
    assert meeting.minutes_content_type == "application/pdf"
    assert meeting.minutes_uploaded_by == office and meeting.minutes_uploaded_at
    # Stored under the association and a random name, never the user's file name.
    assert meeting.minutes.name.startswith(f"funding/{intervention.association.slug}/styrgrupp/")
    assert "Protokoll" not in meeting.minutes.name
    assert meeting.minutes.read().startswith(b"%PDF-")
    created = events("steering_meeting.created")[-1]
    assert created.after["date"] == "2021-03-10"
    assert created.after["minutes_name"] == "Protokoll 2021-03-10.pdf"


def test_real_docx_minutes_are_accepted(intervention, office):
    meeting = services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        minutes=upload("protokoll.docx", real_docx(), "application/octet-stream"),
        by=office,
        today=TODAY,
    )
    assert meeting.minutes_content_type == services.ATTACHMENT_TYPES["docx"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("protokoll.pdf", "Det här är bara text, ingen PDF.".encode(), "är inte en riktig PDF-fil"),
        ("protokoll.docx", b"PK\x03\x04 inte en zip", "är inte en riktig DOCX-fil"),
        ("protokoll.xlsx", b"PK\x03\x04", "ska vara en PDF- eller Word-fil (DOCX)"),
        ("protokoll.txt", b"text", "ska vara en PDF- eller Word-fil (DOCX)"),
        ("protokoll.pdf", b"", "Filen får inte vara tom"),
    ],
)
def test_minutes_are_checked_by_content_and_nothing_is_saved(
    intervention, office, name, content, message
):
    with pytest.raises(ValidationError) as error:
        services.steering_meeting_create(
            intervention=intervention,
            date=dt.date(2021, 3, 10),
            minutes=upload(name, content),
            by=office,
            today=TODAY,
        )
    assert message in " ".join(error.value.message_dict["minutes"])
    assert not intervention.steering_meetings.exists()
    assert not AuditEvent.objects.filter(event__startswith="steering_").exists()


def test_minutes_over_the_size_limit_are_refused(intervention, office):
    big = upload("protokoll.pdf", b"%PDF-1.4\n" + b"0" * (services.ATTACHMENT_MAX_BYTES))
    with pytest.raises(ValidationError) as error:
        services.steering_meeting_create(
            intervention=intervention, date=dt.date(2021, 3, 10), minutes=big, by=office
        )
    assert "högst 10 MB" in error.value.message_dict["minutes"][0]


def test_application_attachments_still_take_xlsx_after_the_shared_check(association, office):
    application = f.draft(association, by=office)
    xlsx = BytesIO()
    from openpyxl import Workbook

    Workbook().save(xlsx)
    attachment = services.attachment_add(
        application=application, upload=upload("budget.xlsx", xlsx.getvalue()), by=office
    )
    assert attachment.content_type == services.ATTACHMENT_TYPES["xlsx"]
    with pytest.raises(ValidationError) as error:
        services.attachment_add(
            application=application, upload=upload("budget.pdf", b"text"), by=office
        )
    assert "är inte en riktig PDF-fil" in error.value.message_dict["file"][0]


@pytest.mark.parametrize(
    ("day", "ok"),
    [
        (dt.date(2019, 12, 31), False),
        (dt.date(2020, 1, 1), True),
        (dt.date(2021, 12, 31), True),
        (dt.date(2022, 1, 1), False),
    ],
)
def test_a_meeting_lies_within_the_period(intervention, office, day, ok):
    if ok:
        assert services.steering_meeting_create(intervention=intervention, date=day, by=office)
        return
    with pytest.raises(ValidationError) as error:
        services.steering_meeting_create(intervention=intervention, date=day, by=office)
    assert "inom insatsens period (2020-01-01 – 2021-12-31)" in error.value.message_dict["date"][0]


def test_one_meeting_per_day(intervention, office):
    services.steering_meeting_create(intervention=intervention, date=dt.date(2021, 3, 1), by=office)
    with pytest.raises(ValidationError) as error:
        services.steering_meeting_create(
            intervention=intervention, date=dt.date(2021, 3, 1), by=office
        )
    assert error.value.message_dict["date"] == ["Styrgruppen har redan ett möte 2021-03-01."]
    assert intervention.steering_meetings.count() == 1


def test_no_minutes_before_the_meeting_is_held(association, office):
    running = f.intervention(
        association, fields={"period_start": dt.date(2026, 1, 1), "period_end": None}
    )
    with pytest.raises(ValidationError) as error:
        services.steering_meeting_create(
            intervention=running,
            date=TODAY + dt.timedelta(days=1),
            minutes=upload("p.pdf", real_pdf()),
            by=office,
            today=TODAY,
        )
    assert "först när mötet har hållits" in error.value.message_dict["minutes"][0]
    planned = services.steering_meeting_create(
        intervention=running, date=TODAY + dt.timedelta(days=1), by=office, today=TODAY
    )
    assert not planned.minutes


def test_replacing_and_removing_minutes_is_audited_and_old_files_go(
    intervention, office, django_capture_on_commit_callbacks
):
    meeting = services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        minutes=upload("första.pdf", real_pdf()),
        by=office,
    )
    storage = SteeringGroupMeeting.minutes.field.storage
    first = meeting.minutes.name
    with django_capture_on_commit_callbacks(execute=True):
        services.steering_meeting_update(
            meeting=meeting,
            data={"notes": "Nya anteckningar"},
            minutes=upload("andra.docx", real_docx()),
            by=office,
        )
    assert not storage.exists(first)
    assert meeting.minutes_name == "andra.docx" and storage.exists(meeting.minutes.name)
    added = events("steering_minutes.added")[-1]
    assert added.before == {"name": "första.pdf"}
    assert added.after["name"] == "andra.docx"
    updated = events("steering_meeting.updated")[-1]
    assert updated.before["notes"] == "" and updated.after["notes"] == "Nya anteckningar"

    second = meeting.minutes.name
    with django_capture_on_commit_callbacks(execute=True):
        services.steering_meeting_update(meeting=meeting, data={}, remove_minutes=True, by=office)
    meeting.refresh_from_db()
    assert not meeting.minutes and meeting.minutes_name == "" and meeting.minutes_size is None
    assert not storage.exists(second)
    assert events("steering_minutes.deleted")[-1].before == {"name": "andra.docx"}


def test_a_refused_replacement_keeps_the_old_minutes(intervention, office):
    meeting = services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        minutes=upload("första.pdf", real_pdf()),
        by=office,
    )
    with pytest.raises(ValidationError):
        services.steering_meeting_update(
            meeting=meeting, data={}, minutes=upload("fel.pdf", b"text"), by=office
        )
    meeting.refresh_from_db()
    assert meeting.minutes_name == "första.pdf"
    assert meeting.minutes.read().startswith(b"%PDF-")


def test_deleting_a_meeting_removes_its_file(
    intervention, office, django_capture_on_commit_callbacks
):
    meeting = services.steering_meeting_create(
        intervention=intervention,
        date=dt.date(2021, 3, 10),
        minutes=upload("p.pdf", real_pdf()),
        by=office,
    )
    stored = meeting.minutes.name
    with django_capture_on_commit_callbacks(execute=True):
        services.steering_meeting_delete(meeting=meeting, by=office)
    assert not SteeringGroupMeeting.objects.exists()
    assert not SteeringGroupMeeting.minutes.field.storage.exists(stored)
    assert events("steering_meeting.deleted")[-1].before["date"] == "2021-03-10"


# --- the rule: meetings per year ----------------------------------------------------------------


def follow_up(intervention, today, default=3):
    counts = selectors.steering_meeting_counts(
        [intervention.pk], today=today, minutes_due_days=services.MINUTES_DUE_DAYS
    )
    return services.steering_follow_up(
        intervention, counts=counts.get(intervention.pk, {}), default=default, today=today
    )


def meet(intervention, *days, minutes=False):
    for day in days:
        services.steering_meeting_create(
            intervention=intervention,
            date=day,
            minutes=upload("p.pdf", real_pdf()) if minutes else None,
            by=SYSTEM,
        )


@pytest.mark.parametrize(
    ("stated", "expected", "is_stated"),
    [
        ("3–4", 3, True),
        ("4", 4, True),
        (" 2 gånger", 2, True),
        ("", 5, False),
        ("vid behov", 5, False),
    ],
)
def test_expected_number_is_the_interventions_own_else_the_default(
    association, stated, expected, is_stated
):
    intervention = f.intervention(association, fields={"steering_meetings_per_year": stated})
    result = follow_up(intervention, TODAY, default=5)
    assert result.per_year == expected and result.stated is is_stated
    assert result.years[0].expected == expected


def test_a_year_is_behind_only_once_it_is_over(association):
    intervention = f.intervention(
        association,
        fields={
            "period_start": dt.date(2024, 1, 1),
            "period_end": None,
            "steering_meetings_per_year": "",
        },
    )
    meet(intervention, dt.date(2025, 2, 1), dt.date(2025, 6, 1), minutes=True)
    on_new_years_eve = follow_up(intervention, dt.date(2025, 12, 31))
    assert [(y.year, y.held, y.expected, y.behind) for y in on_new_years_eve.years] == [
        (2024, 0, 3, True),
        (2025, 2, 3, False),
    ]
    on_new_years_day = follow_up(intervention, dt.date(2026, 1, 1))
    assert [(y.year, y.behind) for y in on_new_years_day.years] == [
        (2024, True),
        (2025, True),
        (2026, False),
    ]
    meet(intervention, dt.date(2025, 12, 31))
    assert not follow_up(intervention, dt.date(2026, 1, 1)).years[1].behind


def test_a_part_year_expects_its_share_and_ends_with_the_period(association):
    intervention = f.intervention(
        association,
        fields={
            "period_start": dt.date(2023, 9, 1),
            "period_end": dt.date(2024, 4, 30),
            "steering_meetings_per_year": "",
        },
    )
    result = follow_up(intervention, dt.date(2024, 5, 1))
    # Sept–Dec is 122 of 365 days: 3 × 122 / 365 = 1.0; Jan–Apr 2024 is 121 of 366: 0.99 -> 0.
    assert [(y.year, y.expected, y.is_over) for y in result.years] == [
        (2023, 1, True),
        (2024, 0, True),
    ]
    assert [y.behind for y in result.years] == [True, False]
    assert [y.year for y in follow_up(intervention, dt.date(2024, 4, 30)).years if y.is_over] == [
        2023
    ]


def test_planned_meetings_do_not_count_as_held(association):
    intervention = f.intervention(
        association, fields={"period_start": dt.date(2026, 1, 1), "period_end": None}
    )
    meet(intervention, dt.date(2026, 3, 1), dt.date(2026, 12, 10))
    year = follow_up(intervention, TODAY).years[0]
    assert (year.held, year.planned, year.with_minutes) == (1, 1, 0)


@pytest.mark.parametrize(("days_ago", "missing"), [(30, 0), (31, 1)])
def test_minutes_are_missing_after_thirty_days(association, days_ago, missing):
    intervention = f.intervention(
        association, fields={"period_start": dt.date(2026, 1, 1), "period_end": None}
    )
    meet(intervention, TODAY - dt.timedelta(days=days_ago))
    meet(intervention, TODAY - dt.timedelta(days=90), minutes=True)
    assert follow_up(intervention, TODAY).minutes_missing == missing


def test_behind_list_counts_last_year_and_missing_minutes_only(association, office):
    old = f.intervention(
        association,
        fields={"title": "Gammal", "period_start": dt.date(2020, 1, 1), "period_end": None},
    )
    meet(old, dt.date(2025, 2, 1), dt.date(2025, 5, 1), dt.date(2025, 9, 1), minutes=True)
    behind = f.intervention(
        association,
        fields={"title": "Efter", "period_start": dt.date(2025, 1, 1), "period_end": None},
    )
    meet(behind, dt.date(2025, 5, 1), minutes=True)
    no_minutes = f.intervention(
        association,
        fields={"title": "Utan protokoll", "period_start": dt.date(2026, 1, 1), "period_end": None},
    )
    meet(no_minutes, dt.date(2026, 9, 1))
    f.intervention(
        association,
        fields={
            "title": "Slutade 2023",
            "period_start": dt.date(2023, 1, 1),
            "period_end": dt.date(2023, 12, 31),
        },
    )
    rows = selectors.steering_behind(user=office, association=association, today=TODAY)
    # "Gammal" missed 2020–2024 but held three meetings last year: nothing to chase now.
    assert [(i.title, [y.year for y in years], missing) for i, years, missing in rows] == [
        ("Efter", [2025], 0),
        ("Utan protokoll", [], 1),
    ]


def test_an_intervention_without_a_steering_group_is_never_behind(association, office):
    event = f.intervention(
        association,
        fields={
            "title": "Psykiatridagen",
            "period_start": dt.date(2020, 1, 1),
            "period_end": None,
            "steering_meetings_per_year": "0",
        },
    )
    result = follow_up(event, TODAY, default=5)
    assert result.has_no_steering_group
    assert not any(y.behind for y in result.years)
    assert selectors.steering_behind(user=office, association=association, today=TODAY) == []


@pytest.mark.parametrize("count", [2, 5])
def test_behind_list_queries_do_not_grow(association, office, django_assert_num_queries, count):
    for i in range(count):
        intervention = f.intervention(
            association,
            fields={
                "title": f"Insats {i}",
                "period_start": dt.date(2025, 1, 1),
                "period_end": None,
            },
        )
        meet(intervention, dt.date(2025, 3, 1), dt.date(2026, 3, 1))
    selectors.steering_behind(user=office, association=association, today=TODAY)
    # roles (cached on the user after the first call), interventions, counts, settings.
    with django_assert_num_queries(3):
        rows = selectors.steering_behind(user=office, association=association, today=TODAY)
    assert len(rows) == count


def test_member_organisations_read_only_the_interventions_they_take_part_in(
    association, intervention
):
    ours = intervention.members.get()
    other = association.members.exclude(pk=ours.pk).filter(kind="municipality").first()
    outsider = f.intervention(
        association, fields={"title": "Annan kommuns insats"}, members=[other]
    )
    user = user_with_role(association, Role.MEMBER_ORG)
    Membership.objects.filter(user=user, association=association).update(member=ours)
    readable = selectors.steering_readable_interventions(user=user, association=association)
    assert list(readable) == [intervention]
    assert selectors.steering_meetings_of(user=user, intervention=intervention).count() == 0
    with pytest.raises(PermissionDenied):
        selectors.steering_meetings_of(user=user, intervention=outsider)
    economist = user_with_role(association, Role.ECONOMIST)
    with pytest.raises(PermissionDenied):
        selectors.steering_meetings_of(user=economist, intervention=intervention)
