"""The home page's work list: what waits for this person, per role they hold in the association.

A registry of sources, each a plain function that reads through the lower apps' selectors (which
hold the rules for "waiting", "due" and "approvable") and returns one `WorkGroup` or None. A group
shows at most `LIMIT` items and says how many more there are, with a link to the full list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from finsam.core.money import format_sek
from finsam.documents import selectors as documents
from finsam.funding import selectors as funding
from finsam.funding.models import Requisition
from finsam.organisation import selectors as organisation
from finsam.organisation.access import roles_of
from finsam.organisation.models import Role

LIMIT = 5


@dataclass(frozen=True)
class WorkItem:
    text: str
    url: str
    detail: str = ""
    late: bool = False


@dataclass
class WorkGroup:
    key: str
    heading: str
    total: int
    more_url: str
    items: list[WorkItem] = field(default_factory=list)

    @property
    def more(self) -> int:
        return self.total - len(self.items)

    @property
    def more_text(self) -> str:
        return ngettext("and %(n)s more", "and %(n)s more", self.more) % {"n": self.more}


@dataclass(frozen=True)
class Asking:
    user: object
    association: object
    today: dt.date

    def url(self, name: str, *args, query: str = "") -> str:
        path = reverse(name, args=[self.association.slug, *args])
        return f"{path}?{query}" if query else path


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _group(
    key: str,
    heading: Callable[[int], str],
    rows: QuerySet | Sequence,
    item: Callable[[object], WorkItem],
    more_url: str,
) -> WorkGroup | None:
    """The first LIMIT rows as items and the honest total; None when nothing waits."""
    if isinstance(rows, QuerySet):
        total = rows.count()
        shown = list(rows[:LIMIT]) if total else []
    else:
        total, shown = len(rows), list(rows[:LIMIT])
    if not total:
        return None
    return WorkGroup(
        key=key,
        heading=heading(total),
        total=total,
        more_url=more_url,
        items=[item(row) for row in shown],
    )


# --- applications -------------------------------------------------------------------------------


def applications_to_assess(a: Asking) -> WorkGroup | None:
    rows = funding.applications_awaiting_assessment(user=a.user, association=a.association)
    return _group(
        "assess",
        lambda n: (
            ngettext(
                "%(n)s application waiting for your assessment",
                "%(n)s applications waiting for your assessment",
                n,
            )
            % {"n": n}
        ),
        rows,
        lambda app: WorkItem(
            app.title,
            a.url("funding:assessment", app.pk),
            _("submitted %(date)s") % {"date": _day(app.submitted_at.date())}
            if app.submitted_at
            else "",
        ),
        a.url("funding:applications", query="status=submitted"),
    )


def applications_to_put_on_agenda(a: Asking) -> WorkGroup | None:
    rows = funding.applications_to_put_on_agenda(user=a.user, association=a.association)
    return _group(
        "agenda",
        lambda n: (
            ngettext(
                "%(n)s assessed application to put on the board's agenda",
                "%(n)s assessed applications to put on the board's agenda",
                n,
            )
            % {"n": n}
        ),
        rows,
        lambda app: WorkItem(app.title, a.url("funding:assessment", app.pk)),
        a.url("funding:applications", query="status=assessed"),
    )


def decisions_to_record(a: Asking) -> WorkGroup | None:
    rows = funding.applications_awaiting_decision(user=a.user, association=a.association)

    def item(app) -> WorkItem:
        meeting = app.agenda_item.meeting if app.agenda_item_id else None
        return WorkItem(
            app.title,
            a.url("funding:decision_create", app.pk),
            _("board meeting %(date)s") % {"date": _day(meeting.date)} if meeting else "",
            late=bool(meeting and meeting.date < a.today),
        )

    return _group(
        "decide",
        lambda n: ngettext("%(n)s decision to record", "%(n)s decisions to record", n) % {"n": n},
        rows,
        item,
        a.url("funding:applications", query="status=on_agenda"),
    )


def drafts_to_finish(a: Asking) -> WorkGroup | None:
    rows = funding.application_drafts_of(user=a.user, association=a.association)
    return _group(
        "drafts",
        lambda n: (
            ngettext(
                "%(n)s application draft to finish and submit",
                "%(n)s application drafts to finish and submit",
                n,
            )
            % {"n": n}
        ),
        rows,
        lambda app: WorkItem(
            app.title or _("(untitled)"),
            a.url("funding:application_edit", app.pk),
            _("returned for completion") if app.submitted_at else "",
            late=bool(app.submitted_at),
        ),
        a.url("funding:applications", query="status=draft"),
    )


# --- payments -----------------------------------------------------------------------------------


def _payment_item(a: Asking, requisition) -> WorkItem:
    intervention = requisition.grant.intervention
    detail = _("%(date)s, grant %(year)s") % {
        "date": _day(requisition.date),
        "year": requisition.grant.year,
    }
    if getattr(requisition, "approval_refusal", ""):
        detail += " – " + requisition.approval_refusal
    return WorkItem(
        f"{intervention.title}: {format_sek(requisition.amount)}",
        a.url("funding:intervention_detail", intervention.pk) + "#requisitions",
        detail,
    )


def requisitions_to_approve(a: Asking) -> WorkGroup | None:
    status = Requisition.Status.REQUESTED
    rows = funding.requisitions_awaiting(user=a.user, association=a.association, status=status)
    return _group(
        "approve",
        lambda n: (
            ngettext("%(n)s requisition to approve", "%(n)s requisitions to approve", n) % {"n": n}
        ),
        rows,
        lambda r: _payment_item(a, r),
        a.url("funding:requisitions", query=f"status={status}"),
    )


def payments_to_pay(a: Asking) -> WorkGroup | None:
    status = Requisition.Status.APPROVED
    rows = funding.requisitions_awaiting(user=a.user, association=a.association, status=status)
    return _group(
        "pay",
        lambda n: (
            ngettext("%(n)s approved payment to pay out", "%(n)s approved payments to pay out", n)
            % {"n": n}
        ),
        rows,
        lambda r: _payment_item(a, r),
        a.url("funding:requisitions", query=f"status={status}"),
    )


# --- status reports and presentations ---------------------------------------------------------


def _report_item(a: Asking, report, url_name: str) -> WorkItem:
    late = report.due_date < a.today
    detail = (_("overdue since %(date)s") if late else _("due by %(date)s")) % {
        "date": _day(report.due_date)
    }
    if report.status == report.Status.RETURNED:
        detail += " – " + _("returned for additional information")
    return WorkItem(
        f"{report.intervention.title}: {report.get_kind_display()} {report.period_end.year}",
        a.url(url_name, report.pk),
        detail,
        late=late,
    )


def reports_to_review(a: Asking) -> WorkGroup | None:
    rows = funding.reports_to_review(user=a.user, association=a.association)
    return _group(
        "review",
        lambda n: ngettext("%(n)s report to review", "%(n)s reports to review", n) % {"n": n},
        rows,
        lambda r: WorkItem(
            f"{r.intervention.title}: {r.get_kind_display()} {r.period_end.year}",
            a.url("reporting:report_review", r.pk),
            _("submitted %(date)s") % {"date": _day(r.submitted_at.date())}
            if r.submitted_at
            else "",
        ),
        a.url("reporting:reports", query="status=submitted"),
    )


def reports_due(a: Asking) -> WorkGroup | None:
    """For the office: every report and presentation overdue or due soon, to follow up."""
    rows = funding.reports_waiting(user=a.user, association=a.association, today=a.today)
    return _group(
        "due",
        lambda n: (
            ngettext("%(n)s report or presentation due", "%(n)s reports and presentations due", n)
            % {"n": n}
        ),
        rows,
        lambda r: _report_item(a, r, "reporting:report_detail"),
        a.url("reporting:reports"),
    )


def reports_to_write(a: Asking) -> WorkGroup | None:
    """For the intervention's staff: their written reports overdue or due soon."""
    from finsam.funding.models import ReportKind

    rows = funding.reports_waiting(user=a.user, association=a.association, today=a.today)
    return _group(
        "write",
        lambda n: ngettext("%(n)s report to write", "%(n)s reports to write", n) % {"n": n},
        rows.exclude(kind=ReportKind.ORAL),
        lambda r: _report_item(a, r, "reporting:report_edit"),
        a.url("reporting:reports"),
    )


def presentations_to_give(a: Asking) -> WorkGroup | None:
    from finsam.funding.models import ReportKind

    rows = funding.reports_waiting(user=a.user, association=a.association, today=a.today)
    return _group(
        "present",
        lambda n: (
            ngettext(
                "%(n)s presentation to the board to give",
                "%(n)s presentations to the board to give",
                n,
            )
            % {"n": n}
        ),
        rows.filter(kind=ReportKind.ORAL),
        lambda r: _report_item(a, r, "reporting:report_detail"),
        a.url("reporting:reports", query=f"typ={ReportKind.ORAL}"),
    )


def steering_groups_behind(a: Asking) -> WorkGroup | None:
    rows = funding.steering_behind(user=a.user, association=a.association, today=a.today)

    def item(row) -> WorkItem:
        intervention, years, minutes_missing = row
        parts = [
            _("%(held)s of %(expected)s meetings held in %(year)s")
            % {"held": y.held, "expected": y.expected, "year": y.year}
            for y in years
        ]
        if minutes_missing:
            parts.append(
                ngettext(
                    "%(n)s meeting without minutes",
                    "%(n)s meetings without minutes",
                    minutes_missing,
                )
                % {"n": minutes_missing}
            )
        return WorkItem(
            intervention.title,
            a.url("funding:intervention_detail", intervention.pk),
            "; ".join(parts),
            late=True,
        )

    return _group(
        "steering",
        lambda n: (
            ngettext(
                "%(n)s steering group behind with its meetings",
                "%(n)s steering groups behind with their meetings",
                n,
            )
            % {"n": n}
        ),
        rows,
        item,
        a.url("funding:interventions"),
    )


# --- the board and the contributions ------------------------------------------------------------


def mandates_running_out(a: Asking) -> WorkGroup | None:
    rows = organisation.mandates_running_out(user=a.user, association=a.association, today=a.today)

    def item(seat) -> WorkItem:
        after = seat.mandate_end + dt.timedelta(days=1)
        return WorkItem(
            _("%(holder)s, %(kind)s for %(member)s")
            % {
                "holder": seat.holder_name,
                "kind": seat.get_kind_display().lower(),
                "member": seat.member.name,
            },
            a.url("organisation:board", query=f"datum={after.isoformat()}"),
            _("term of office ends %(date)s, no successor appointed")
            % {"date": _day(seat.mandate_end)},
        )

    return _group(
        "mandates",
        lambda n: (
            ngettext(
                "%(n)s term of office running out within six months",
                "%(n)s terms of office running out within six months",
                n,
            )
            % {"n": n}
        ),
        rows,
        item,
        a.url("organisation:board"),
    )


def contributions_missing(a: Asking) -> WorkGroup | None:
    year = a.today.year
    entered, members = organisation.contributions_missing(
        user=a.user, association=a.association, year=year
    )
    items: list[WorkItem] = []
    if not entered:
        items.append(
            WorkItem(
                _("Member contributions for %(year)s have not been entered") % {"year": year},
                a.url("organisation:contribution_create"),
                ngettext(
                    "no amount for the %(n)s member",
                    "no amount for any of the %(n)s members",
                    len(members),
                )
                % {"n": len(members)},
                late=True,
            )
        )
    else:
        edit = a.url("organisation:contribution_edit", year)
        items += [
            WorkItem(
                m.name,
                edit,
                _("no contribution recorded for %(year)s") % {"year": year},
                late=True,
            )
            for m in members
        ]
    next_entered, _missing = organisation.contributions_missing(
        user=a.user, association=a.association, year=year + 1
    )
    if not next_entered:
        items.append(
            WorkItem(
                _("Member contributions for %(year)s have not been entered") % {"year": year + 1},
                a.url("organisation:contribution_create"),
                _("the budget must be adopted by 30 November"),
            )
        )
    return _group(
        "contributions",
        lambda n: (
            ngettext(
                "%(n)s gap in the member contributions", "%(n)s gaps in the member contributions", n
            )
            % {"n": n}
        ),
        items,
        lambda item: item,
        a.url("organisation:contributions"),
    )


def annual_report_due(a: Asking) -> WorkGroup | None:
    due = documents.annual_report_due(user=a.user, association=a.association, today=a.today)
    if due is None:
        return None
    year, day = due
    item = WorkItem(
        _("Annual report %(year)s") % {"year": year},
        a.url("documents:list"),
        _("to be drawn up and given to the auditors by %(day)s") % {"day": _day(day)},
        late=a.today > day,
    )
    return _group(
        "annual_report",
        lambda n: _("The annual report to draw up"),
        [item],
        lambda row: row,
        a.url("documents:list"),
    )


# --- the registry ---------------------------------------------------------------------------------

# (the roles the source speaks to, the source), in the order the page shows them.
SOURCES: list[tuple[frozenset[Role], Callable[[Asking], WorkGroup | None]]] = [
    (frozenset({Role.ADVISORY, Role.OFFICE}), applications_to_assess),
    (frozenset({Role.OFFICE}), applications_to_put_on_agenda),
    (frozenset({Role.BOARD, Role.OFFICE}), decisions_to_record),
    (frozenset({Role.MEMBER_ORG}), drafts_to_finish),
    (frozenset({Role.ECONOMIST, Role.OFFICE}), requisitions_to_approve),
    (frozenset({Role.ECONOMIST, Role.OFFICE}), payments_to_pay),
    (frozenset({Role.OFFICE}), reports_to_review),
    (frozenset({Role.STAFF}), reports_to_write),
    (frozenset({Role.STAFF}), presentations_to_give),
    (frozenset({Role.OFFICE}), reports_due),
    (frozenset({Role.STAFF, Role.OFFICE}), steering_groups_behind),
    (frozenset({Role.OFFICE, Role.BOARD, Role.MEMBER_ORG}), mandates_running_out),
    (frozenset({Role.OFFICE, Role.ECONOMIST}), contributions_missing),
    (frozenset({Role.OFFICE}), annual_report_due),
]


def work_list(*, user, association, today: dt.date) -> list[WorkGroup]:
    """The groups that have something waiting for `user`, in the registry's order."""
    roles = roles_of(user, association)
    asking = Asking(user=user, association=association, today=today)
    groups = [source(asking) for speaks_to, source in SOURCES if roles & speaks_to]
    return [g for g in groups if g is not None]
