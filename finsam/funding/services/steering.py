"""An intervention's steering group: its members, its meetings with their minutes, and the
follow-up of how many meetings it held against what it should."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from finsam.core.actors import is_system, user_or_none
from finsam.core.formsets import row_error_key
from finsam.funding.models import Intervention, SteeringGroupMeeting, SteeringGroupMember
from finsam.funding.permissions import can_manage_steering_group
from finsam.funding.services.attachments import ATTACHMENT_TYPES, checked_upload
from finsam.organisation import audit
from finsam.organisation.audit import Event
from finsam.organisation.models import Member

STEERING_MEMBER_FIELDS = ("name", "member", "role")


# Minutes are documents, not spreadsheets.
MINUTES_TYPES = {k: ATTACHMENT_TYPES[k] for k in ("pdf", "docx")}


MINUTES_KINDS_ERROR = gettext_lazy("The minutes must be a PDF or Word (DOCX) file.")


# Minutes are expected this many days after the meeting; older meetings without them are flagged.
MINUTES_DUE_DAYS = 30


def _require_steering_manager(intervention: Intervention, by) -> None:
    if is_system(by):  # the system (demo loader, tests building state)
        return
    allowed, why = can_manage_steering_group(by, intervention)
    if not allowed:
        raise PermissionDenied(why)


def _check_steering_person(intervention: Intervention, data: dict[str, Any]) -> None:
    member = data.get("member")
    if member is not None and member.association_id != intervention.association_id:
        raise ValidationError({"member": _("The organisation does not belong to the association.")})
    if not (data.get("name") or "").strip() and member is None and not (data.get("role") or ""):
        raise ValidationError({"name": _("Enter a name, organisation or role.")})


def _person_snapshot(person: SteeringGroupMember) -> dict[str, Any]:
    data = audit.snapshot(person, exclude=("application", "sort_order"))
    data["member"] = str(person.member) if person.member_id else None
    return data


@transaction.atomic
def steering_member_create(
    *, intervention: Intervention, by, name: str = "", member: Member | None = None, role: str = ""
) -> SteeringGroupMember:
    _require_steering_manager(intervention, by)
    data = {"name": name.strip(), "member": member, "role": role.strip()}
    _check_steering_person(intervention, data)
    last = intervention.steering_group.order_by("-sort_order").first()
    person = SteeringGroupMember(
        intervention=intervention, sort_order=(last.sort_order + 1) if last else 0, **data
    )
    person.full_clean()
    person.save()
    audit.record(
        event=Event.STEERING_MEMBER_CREATED,
        actor=by,
        target=person,
        association=intervention.association,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def steering_member_update(
    *, person: SteeringGroupMember, data: dict[str, Any], by
) -> SteeringGroupMember:
    intervention = person.intervention
    _require_steering_manager(intervention, by)
    cleaned = {k: data[k] for k in STEERING_MEMBER_FIELDS if k in data}
    for key in ("name", "role"):
        if key in cleaned:
            cleaned[key] = (cleaned[key] or "").strip()
    _check_steering_person(
        intervention, {**{k: getattr(person, k) for k in ("name", "member", "role")}, **cleaned}
    )
    before = _person_snapshot(person)
    for key, value in cleaned.items():
        setattr(person, key, value)
    person.full_clean()
    person.save()
    audit.record(
        event=Event.STEERING_MEMBER_UPDATED,
        actor=by,
        target=person,
        association=intervention.association,
        before=before,
        after=_person_snapshot(person),
    )
    return person


@transaction.atomic
def steering_member_delete(*, person: SteeringGroupMember, by) -> None:
    intervention = person.intervention
    _require_steering_manager(intervention, by)
    audit.record(
        event=Event.STEERING_MEMBER_DELETED,
        actor=by,
        target=person,
        association=intervention.association,
        before=_person_snapshot(person),
    )
    person.delete()


@transaction.atomic
def steering_group_save(*, intervention: Intervention, rows: list[dict[str, Any]], by) -> int:
    """Save the steering group's rows of one form together, or none of them.

    rows: {"index": the row's place in the form, "id": a stored member or None, "delete": bool,
    "name", "member", "role"}. Every row is checked before anything is written; the errors
    come back keyed "row-<index>". Returns how many rows were written."""
    _require_steering_manager(intervention, by)
    stored = {p.pk: p for p in intervention.steering_group.select_related("member")}
    errors: dict[str, list[str]] = {}
    for row in rows:
        if row["id"] is not None and row["id"] not in stored:
            errors[row_error_key(row["index"])] = [
                _("This member is no longer in the steering group. Reload the page.")
            ]
        elif not row["delete"]:
            try:
                _check_steering_person(intervention, row)
            except ValidationError as error:
                errors[row_error_key(row["index"])] = error.messages
    if errors:
        raise ValidationError(errors)
    for row in rows:
        data = {k: row[k] for k in STEERING_MEMBER_FIELDS}
        if row["id"] is None:
            steering_member_create(intervention=intervention, by=by, **data)
        elif row["delete"]:
            steering_member_delete(person=stored[row["id"]], by=by)
        else:
            steering_member_update(person=stored[row["id"]], data=data, by=by)
    return len(rows)


def _meeting_snapshot(meeting: SteeringGroupMeeting) -> dict[str, Any]:
    return audit.snapshot(
        meeting, exclude=("minutes", "minutes_uploaded_by", "created_by", "minutes_content_type")
    )


def _check_meeting_date(intervention: Intervention, meeting: SteeringGroupMeeting) -> None:
    day = meeting.date
    start, end = intervention.period_start, intervention.period_end
    if day < start or (end is not None and day > end):
        raise ValidationError(
            {
                "date": _(
                    "The meeting must fall within the intervention's period (%(start)s – %(end)s). "
                    "Check the date."
                )
                % {
                    "start": f"{start:%Y-%m-%d}",
                    "end": f"{end:%Y-%m-%d}" if end else _("until further notice"),
                }
            }
        )
    clash = SteeringGroupMeeting.objects.filter(intervention=intervention, date=day)
    if meeting.pk:
        clash = clash.exclude(pk=meeting.pk)
    if clash.exists():
        raise ValidationError(
            {
                "date": _("The steering group already has a meeting on %(date)s.")
                % {"date": f"{day:%Y-%m-%d}"}
            }
        )


def _attach_minutes(meeting: SteeringGroupMeeting, upload, *, by, today: dt.date) -> str | None:
    """Store the minutes on the (unsaved) meeting; returns the file they replace, if any."""
    if meeting.date > today:
        raise ValidationError(
            {"minutes": _("Minutes can only be uploaded once the meeting has been held.")}
        )
    name, content_type = checked_upload(
        upload, field="minutes", types=MINUTES_TYPES, kinds_error=MINUTES_KINDS_ERROR
    )
    replaced = meeting.minutes.name or None
    meeting.minutes.save(name, upload, save=False)
    meeting.minutes_name = name
    meeting.minutes_content_type = content_type
    meeting.minutes_size = upload.size
    meeting.minutes_uploaded_by = user_or_none(by)
    meeting.minutes_uploaded_at = timezone.now()
    return replaced


def _forget_minutes(meeting: SteeringGroupMeeting) -> str | None:
    stored = meeting.minutes.name or None
    meeting.minutes = ""
    meeting.minutes_name = meeting.minutes_content_type = ""
    meeting.minutes_size = meeting.minutes_uploaded_by = meeting.minutes_uploaded_at = None
    return stored


def _delete_stored(name: str | None) -> None:
    # After the commit: a rolled-back change must not lose the file it still points to.
    if name:
        storage = SteeringGroupMeeting.minutes.field.storage
        transaction.on_commit(lambda: storage.delete(name))


def _minutes_audit(meeting: SteeringGroupMeeting, event: Event, by, **extra: Any) -> None:
    audit.record(
        event=event,
        actor=by,
        target=meeting,
        association=meeting.intervention.association,
        **extra,
    )


@transaction.atomic
def steering_meeting_create(
    *,
    intervention: Intervention,
    date: dt.date,
    by,
    notes: str = "",
    minutes=None,
    today: dt.date | None = None,
) -> SteeringGroupMeeting:
    """A meeting of the steering group, with its minutes (a PDF or DOCX upload) if written."""
    _require_steering_manager(intervention, by)
    meeting = SteeringGroupMeeting(
        intervention=intervention,
        date=date,
        notes=notes.strip(),
        created_by=user_or_none(by),
    )
    _check_meeting_date(intervention, meeting)
    if minutes:
        _attach_minutes(meeting, minutes, by=by, today=today or timezone.localdate())
    meeting.full_clean()
    meeting.save()
    _minutes_audit(meeting, Event.STEERING_MEETING_CREATED, by, after=_meeting_snapshot(meeting))
    return meeting


@transaction.atomic
def steering_meeting_update(
    *,
    meeting: SteeringGroupMeeting,
    data: dict[str, Any],
    by,
    minutes=None,
    remove_minutes: bool = False,
    today: dt.date | None = None,
) -> SteeringGroupMeeting:
    """Change date and notes; upload minutes (replacing any earlier file) or remove them."""
    intervention = meeting.intervention
    _require_steering_manager(intervention, by)
    today = today or timezone.localdate()
    before = _meeting_snapshot(meeting)
    if "date" in data:
        meeting.date = data["date"]
    if "notes" in data:
        meeting.notes = (data["notes"] or "").strip()
    _check_meeting_date(intervention, meeting)
    old_file = None
    if minutes:
        old_file = _attach_minutes(meeting, minutes, by=by, today=today)
    elif remove_minutes and meeting.minutes:
        old_file = _forget_minutes(meeting)
    elif meeting.minutes and meeting.date > today:
        raise ValidationError(
            {"date": _("The meeting has minutes and cannot be moved to a future date.")}
        )
    meeting.full_clean()
    meeting.save()
    _minutes_audit(
        meeting,
        Event.STEERING_MEETING_UPDATED,
        by,
        before=before,
        after=_meeting_snapshot(meeting),
    )
    if minutes:
        _minutes_audit(
            meeting,
            Event.STEERING_MINUTES_ADDED,
            by,
            before={"name": before["minutes_name"]} if old_file else None,
            after={"name": meeting.minutes_name, "size": meeting.minutes_size},
        )
    elif old_file:
        _minutes_audit(
            meeting, Event.STEERING_MINUTES_DELETED, by, before={"name": before["minutes_name"]}
        )
    _delete_stored(old_file)
    return meeting


@transaction.atomic
def steering_meeting_delete(*, meeting: SteeringGroupMeeting, by) -> None:
    _require_steering_manager(meeting.intervention, by)
    _minutes_audit(meeting, Event.STEERING_MEETING_DELETED, by, before=_meeting_snapshot(meeting))
    stored = meeting.minutes.name or None
    meeting.delete()
    _delete_stored(stored)


@transaction.atomic
def steering_minutes_downloaded(*, meeting: SteeringGroupMeeting, by) -> None:
    """Audit one read of a meeting's minutes (the view has checked that `by` may read them)."""
    _minutes_audit(
        meeting, Event.STEERING_MINUTES_DOWNLOADED, by, after={"name": meeting.minutes_name}
    )


def stated_steering_meetings(intervention: Intervention) -> int | None:
    """The number of meetings per year the intervention states itself, the lower bound of a
    range ("3–4" -> 3), or None when it states none (or only words)."""
    found = re.match(r"\s*(\d{1,2})", intervention.steering_meetings_per_year or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class SteeringYear:
    year: int
    expected: int
    held: int
    with_minutes: int
    planned: int
    is_over: bool

    @property
    def behind(self) -> bool:
        return self.is_over and self.held < self.expected


@dataclass(frozen=True)
class SteeringFollowUp:
    per_year: int
    stated: bool  # per_year is the intervention's own number, not the association's default
    years: list[SteeringYear]
    minutes_missing: int  # meetings more than MINUTES_DUE_DAYS ago without minutes

    @property
    def has_no_steering_group(self) -> bool:
        """The intervention states 0 meetings: nothing is expected of it (a yearly event run by
        one member, say)."""
        return self.stated and self.per_year == 0

    def behind_since(self, year: int) -> list[SteeringYear]:
        return [y for y in self.years if y.behind and y.year >= year]

    @property
    def flagged_year(self) -> int | None:
        """The one year whose shortfall is flagged: the latest year that is over. Earlier years
        are history (shown, not flagged again every year)."""
        over = [y.year for y in self.years if y.is_over]
        return max(over) if over else None


def _year_share(year: int, start: dt.date, end: dt.date | None) -> tuple[int, dt.date]:
    """(days of `year` inside the period, the last of those days)."""
    first = max(start, dt.date(year, 1, 1))
    last = min(end or dt.date(year, 12, 31), dt.date(year, 12, 31))
    return (last - first).days + 1, last


def steering_follow_up(
    intervention: Intervention,
    *,
    counts: dict[int, dict[str, int]],
    default: int,
    today: dt.date,
) -> SteeringFollowUp:
    """Per year of the period up to this year: meetings expected, held (up to today), with minutes
    and still planned. `counts` is {year: {"held", "with_minutes", "planned", "minutes_missing"}}
    (selectors.steering_meeting_counts). A year that covers only part of the period expects its
    share of the meetings, rounded down; a year counts as over once its last day in the period
    has passed, so the current year is never behind before it ends."""
    stated = stated_steering_meetings(intervention)
    per_year = default if stated is None else stated
    years = []
    start, end = intervention.period_start, intervention.period_end
    last_year = min(today.year, end.year) if end else today.year
    for year in range(start.year, last_year + 1):
        days, last_day = _year_share(year, start, end)
        year_days = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1
        row = counts.get(year, {})
        years.append(
            SteeringYear(
                year=year,
                expected=per_year * days // year_days,
                held=row.get("held", 0),
                with_minutes=row.get("with_minutes", 0),
                planned=row.get("planned", 0),
                is_over=last_day < today,
            )
        )
    missing = sum(row.get("minutes_missing", 0) for row in counts.values())
    return SteeringFollowUp(
        per_year=per_year, stated=stated is not None, years=years, minutes_missing=missing
    )
