"""Styrelseunderlag (board pack): everything the board needs for one meeting, as one document.

The agenda with § numbers (the agenda items' order), each item's proposal and draft decision,
the latest follow-up of the budget at the meeting date, the status reports due, the applications
to decide with their assessment summary, goal attainment, and the documents up for adoption as
appendices (passed in by the documents app from its stored drafts).
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from finsam.documents import sources
from finsam.documents.blocks import (
    Appendix,
    Column,
    Document,
    Flag,
    FreeText,
    Heading,
    Kind,
    Paragraph,
    Row,
    Table,
    register,
)
from finsam.documents.kinds.annual_sections import goal_table

SLUG = "board-pack"
FOLLOW_UP_STYLES = {
    "section": "heading",
    "line": "normal",
    "subtotal": "subtotal",
    "result": "total",
    "equity": "normal",
    "bank": "normal",
}


def build(*, association, year=None, cut_off=None, meeting=None, appendices=()) -> Document:
    if meeting is None or meeting.association_id != association.pk:
        raise ValueError("A board pack is built for one of the association's meetings.")
    day = meeting.date
    document = Document(
        kind=SLUG,
        title=_("Board pack %(date)s") % {"date": day.isoformat()},
        subtitle=_("%(meeting)s %(date)s%(place)s")
        % {
            "meeting": meeting.get_kind_display(),
            "date": day.isoformat(),
            "place": f", {meeting.place}" if meeting.place else "",
        },
        association_name=association.name,
    )
    items = list(meeting.agenda_items.select_related("cycle_item").order_by("sort_order", "pk"))
    numbers = {item.pk: n for n, item in enumerate(items, start=1)}
    blocks = document.blocks
    blocks += _agenda(items, numbers, document)
    blocks += _follow_up(association, cut_off or day)
    blocks += _reports_due(association, day)
    blocks += _applications(association, meeting, numbers)
    from finsam.goals.models import Period

    blocks.append(Heading(_("Goal attainment")))
    goals = goal_table(association, goal_year(association, day), period=Period.YEAR, today=day)
    blocks.append(goals if goals else Paragraph(_("No goals entered for the year.")))
    for appendix in appendices:
        if not isinstance(appendix, Appendix):
            raise TypeError("appendices are blocks.Appendix")
        blocks.append(appendix)
    return document


def goal_year(association, day: dt.date) -> int:
    """The meeting's year if the association has goals for it, else the newest earlier year
    with goals (the latest attainment the board can be shown)."""
    from finsam.goals.models import GoalArea

    years = GoalArea.objects.filter(
        association=association, year__lte=day.year, goals__isnull=False
    ).values_list("year", flat=True)
    return max(years, default=day.year)


def _agenda(items, numbers, document) -> list:
    blocks: list = [Heading(_("Agenda"))]
    if not items:
        blocks.append(Paragraph(_("No agenda items entered.")))
        document.flags.append(
            Flag("agenda-empty", _("The meeting has no agenda items yet."), "warning")
        )
        return blocks
    blocks.append(
        Table(
            "agenda",
            _("Agenda"),
            (Column("§"), Column(_("Agenda item")), Column(_("Annual cycle item"))),
            tuple(
                Row((f"§ {numbers[i.pk]}", i.title, str(i.cycle_item) if i.cycle_item else ""))
                for i in items
            ),
        )
    )
    for item in items:
        blocks.append(Heading(f"§ {numbers[item.pk]} {item.title}", 2))
        if item.proposal:
            blocks += [Heading(_("Proposal"), 3), Paragraph(item.proposal)]
        if item.draft_decision:
            blocks += [Heading(_("Draft decision"), 3), Paragraph(item.draft_decision)]
        if not (item.proposal or item.draft_decision):
            blocks.append(Paragraph(_("No proposal or draft decision written.")))
    return blocks


def follow_up_year(association, day: dt.date):
    """The budget to follow up at `day`: the year's counting budget, else the newest earlier
    year's (followed up at its year end). (budget, cut-off) or (None, None)."""
    from finsam.economy.models import Budget
    from finsam.economy.selectors import counting_budget

    budgets = Budget.objects.filter(association=association)
    years = sorted(set(budgets.values_list("budget_year", flat=True)), reverse=True)
    for year in [day.year, *(y for y in years if y < day.year)]:
        budget = counting_budget(budgets, year=year).budget
        if budget is not None:
            return budget, min(day, dt.date(year, 12, 31))
    return None, None


def _follow_up(association, day: dt.date) -> list:
    from finsam.economy.follow_up import follow_up_table
    from finsam.economy.selectors import follow_up

    blocks: list = [Heading(_("Budget follow-up"))]
    budget, cutoff = follow_up_year(association, day)
    if budget is None:
        return [*blocks, Paragraph(_("The association has no budget to follow up."))]
    report = follow_up(
        user=sources.reader(association), association=association, budget=budget, cutoff=cutoff
    )
    rows = tuple(
        Row((r.label, *r.figures), FOLLOW_UP_STYLES.get(r.kind, "normal"))
        for r in follow_up_table(report)
    )
    blocks.append(
        Table(
            "follow_up",
            _("Follow-up per %(date)s") % {"date": cutoff.isoformat()},
            (
                Column(_("Line")),
                Column(_("Budget"), "money"),
                Column(_("Actual to date"), "money"),
                Column(_("Accrued"), "money"),
                Column(_("Forecast"), "money"),
                Column(_("Variance"), "money"),
            ),
            rows,
            note=_("Kronor, from %(budget)s. Variance = budget − forecast.")
            % {"budget": budget.title},
        )
    )
    if not report.has_actuals:
        blocks.append(Paragraph(_("No accounts imported for the year yet.")))
    return blocks


def _reports_due(association, day: dt.date) -> list:
    from finsam.funding.selectors import OPEN_REPORT_STATUSES, reports

    blocks: list = [Heading(_("Status reports due"))]
    due = (
        reports(user=sources.reader(association), association=association)
        .filter(status__in=OPEN_REPORT_STATUSES, due_date__lte=day)
        .order_by("due_date", "intervention__title", "pk")
    )
    rows = tuple(
        Row(
            (
                r.intervention.title,
                r.get_kind_display(),
                r.period_end,
                r.due_date,
                _("Overdue") if r.due_date < day else r.get_status_display(),
            )
        )
        for r in due
    )
    if not rows:
        return [*blocks, Paragraph(_("No status report is due by the meeting."))]
    blocks.append(
        Table(
            "reports_due",
            _("Status reports due by %(date)s") % {"date": day.isoformat()},
            (
                Column(_("Intervention")),
                Column(_("Type of report")),
                Column(_("Period up to"), "date"),
                Column(_("Due by"), "date"),
                Column(_("Status")),
            ),
            rows,
        )
    )
    return blocks


def _applications(association, meeting, numbers) -> list:
    from finsam.funding.models import Application
    from finsam.funding.selectors import applications
    from finsam.funding.services.assessments import application_assessment_summary

    blocks: list = [Heading(_("Applications to decide"))]
    qs = applications(user=sources.reader(association), association=association)
    on_agenda = qs.filter(agenda_item__meeting=meeting)
    waiting = qs.filter(
        status__in=[Application.Status.SUBMITTED, Application.Status.ASSESSED],
        agenda_item__isnull=True,
    )
    rows = []
    for application in [*on_agenda.order_by("agenda_item__sort_order", "pk"),
                        *waiting.order_by("submitted_at", "pk")]:  # fmt: skip
        summary = application_assessment_summary(application)
        paragraph = numbers.get(application.agenda_item_id)
        rows.append(
            Row(
                (
                    f"§ {paragraph}" if paragraph else "",
                    application.title,
                    ", ".join(m.name for m in application.applicants.all()),
                    application.requested_total,
                    summary.overall,
                    summary.recommendation_label,
                )
            )
        )
    if not rows:
        return [*blocks, Paragraph(_("No application awaits a decision."))]
    blocks.append(
        Table(
            "applications",
            _("Applications to decide"),
            (
                Column("§"),
                Column(_("Application")),
                Column(_("Applicants")),
                Column(_("Requested"), "money"),
                Column(_("Mean score"), "number"),
                Column(_("Assessment")),
            ),
            tuple(rows),
            note=_(
                "Applications on this meeting's agenda (with their §), then those submitted or "
                "assessed and not yet on an agenda. Mean score 1–4 over the criteria."
            ),
        )
    )
    blocks.append(FreeText("applications", _("The office's comments on the applications")))
    return blocks


register(
    Kind(
        slug=SLUG,
        name=pgettext_lazy("document kind", "Board pack"),
        build=build,
        takes_appendices=True,
    )
)
