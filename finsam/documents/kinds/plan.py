"""Verksamhetsplan och budget: the structure of the seed plans, built from the association's data.

Vision and purpose, members and contributions, organisation and board, goals with their
measures, the interventions with grants and kinds, activities, meeting plan and annual cycle,
risks and internal control, the result, cash-flow and balance budgets with the plan years, the
financial rules and the board's reasons. Budget figures are as printed where the check finds them
right, computed and flagged where it does not (finsam.documents.sources.cell_value).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils.translation import gettext as _

from finsam.core.money import format_number
from finsam.documents import sources
from finsam.documents.blocks import (
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
from finsam.economy import selectors as economy_selectors
from finsam.funding import selectors as funding_selectors
from finsam.goals import selectors as goals_selectors
from finsam.goals.internal_control import score
from finsam.organisation import selectors as organisation_selectors
from finsam.organisation.models import BoardSeat, Meeting
from finsam.organisation.services import annual_cycle_for_year

ZERO = Decimal(0)


def build(*, association, year: int, cut_off=None, meeting=None) -> Document:
    user = sources.reader(association)
    budget = sources.counting_budget(association, year)
    last_year = max([c.year for c in budget.columns.all()] if budget else [year])
    subtitle = (
        _("Operational plan and budget %(year)s, plan %(first)s–%(last)s")
        % {"year": year, "first": year + 1, "last": last_year}
        if last_year > year
        else _("Operational plan and budget %(year)s") % {"year": year}
    )
    doc = Document(
        kind="plan",
        title=_("Operational plan and budget %(year)s") % {"year": year},
        subtitle=subtitle,
        association_name=association.name,
    )
    add = doc.blocks.append
    add(Heading(_("Introduction")))
    add(FreeText("introduction", "", _("The office's introduction to the year's plan.")))
    add(Heading(_("Purpose and vision")))
    if association.vision:
        add(Paragraph(_("Vision: %(vision)s") % {"vision": association.vision}))
    if association.description:
        add(Paragraph(association.description))
    add(FreeText("direction", _("Direction and priorities"), _("What the board gives priority.")))
    _members(doc, user, association, year)
    _organisation(doc, user, association, year)
    _goals(doc, user, association, year)
    _interventions(doc, user, association, year)
    _activities(doc, user, association, year)
    _meetings(doc, user, association, year)
    _risks(doc, user, association, year)
    _budget(doc, user, association, year, budget)
    return doc


def _members(doc: Document, user, association, year: int) -> None:
    doc.blocks.append(Heading(_("Members and contributions")))
    years, sides = organisation_selectors.contribution_table(user=user, association=association)
    shown = [i for i, cy in enumerate(years) if year - 1 <= cy.year <= year + 2]
    if not shown:
        members = organisation_selectors.member_list(user=user, association=association)
        doc.blocks.append(
            Table(
                key="members",
                title=_("Members"),
                columns=(Column(_("Member")), Column(_("Type"))),
                rows=tuple(Row((m.name, m.get_kind_display())) for m in members),
            )
        )
        doc.flags.append(
            Flag(
                code=f"no-contributions-{year}",
                message=_("No member contributions are entered for %(year)s.") % {"year": year},
            )
        )
        return
    rows = []
    for side in sides:
        if not side["rows"]:
            continue
        rows.append(Row((str(side["label"]), *[None] * len(shown)), "heading"))
        rows += [
            Row((member.name, *[amounts[i] for i in shown])) for member, amounts in side["rows"]
        ]
        rows.append(
            Row(
                (
                    _("Total %(side)s") % {"side": side["label"]},
                    *[side["subtotal"][i] for i in shown],
                ),
                "subtotal",
            )
        )
    rows.append(Row((_("Total contributions"), *[years[i].total for i in shown]), "total"))
    labels = [
        f"{years[i].year}" + (" " + _("(estimate)") if years[i].is_estimate else "") for i in shown
    ]
    doc.blocks.append(
        Table(
            key="contributions",
            title=_("Member contributions (kr)"),
            columns=(Column(_("Member")), *(Column(label, "money") for label in labels)),
            rows=tuple(rows),
        )
    )


def _organisation(doc: Document, user, association, year: int) -> None:
    doc.blocks.append(Heading(_("Organisation and board")))
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    seats = [
        s
        for s in organisation_selectors.board_seats(user=user, association=association)
        if s.mandate_start <= end and s.mandate_end >= start
    ]
    rows = [
        Row(
            (
                s.holder_name or _("(vacant)"),
                s.get_kind_display(),
                s.get_position_display() if s.position else "",
                s.member.name,
                s.mandate_end,
            )
        )
        for s in sorted(
            seats, key=lambda s: (s.kind != BoardSeat.Kind.REGULAR, s.member.sort_order, s.pk)
        )
    ]
    doc.blocks.append(Heading(_("Board"), 2))
    if association.board_size_note:
        doc.blocks.append(Paragraph(association.board_size_note))
    doc.blocks.append(
        Table(
            key="board",
            title=_("The board %(year)s") % {"year": year},
            columns=(
                Column(_("Name")),
                Column(_("Seat")),
                Column(_("Position")),
                Column(_("Member")),
                Column(_("Term of office to"), "date"),
            ),
            rows=tuple(rows),
        )
    )
    if association.director_name:
        doc.blocks.append(Heading(association.director_title or _("Director"), 2))
        doc.blocks.append(Paragraph(association.director_name))
    if association.office_note:
        doc.blocks.append(Heading(_("Office and administration"), 2))
        doc.blocks.append(Paragraph(association.office_note))
    for group in organisation_selectors.advisory_groups(user=user, association=association):
        doc.blocks.append(Heading(group.name, 2))
        if group.purpose:
            doc.blocks.append(Paragraph(group.purpose))


def _goals(doc: Document, user, association, year: int) -> None:
    doc.blocks.append(Heading(_("Goals %(year)s") % {"year": year}))
    areas = goals_selectors.goals_for_year(user=user, association=association, year=year)
    if not areas:
        doc.blocks.append(Paragraph(_("No goals are entered for the year.")))
        return
    for n, (area, goals) in enumerate(areas, start=1):
        doc.blocks.append(Heading(area.name, 2))
        if area.description:
            doc.blocks.append(Paragraph(area.description))
        rows = []
        for goal in goals:
            measures = list(goal.measures.all())
            if not measures:
                rows.append(Row((goal.text, "", None)))
            for i, m in enumerate(measures):
                rows.append(Row((goal.text if i == 0 else "", m.text, m.target)))
        doc.blocks.append(
            Table(
                key=f"goals-{n}",
                title=_("Goals: %(area)s") % {"area": area.name},
                columns=(
                    Column(_("Goal")),
                    Column(_("Measured by")),
                    Column(_("Target"), "number"),
                ),
                rows=tuple(rows),
            )
        )


def _interventions(doc: Document, user, association, year: int) -> None:
    doc.blocks.append(Heading(_("Interventions %(year)s") % {"year": year}))
    interventions = [
        i
        for i in funding_selectors.interventions(user=user, association=association)
        .prefetch_related("grants")
        .order_by("period_start", "title")
        if i.runs_in_year(year)
    ]
    rows = []
    total = ZERO
    for i in interventions:
        granted = sum(
            (g.amount for g in i.grants.all() if g.year == year and g.withdrawn_by_id is None),
            ZERO,
        )
        total += granted
        kinds = ", ".join(str(k) for k in i.kind_shares.all())
        period = (
            f"{i.period_start:%Y-%m-%d} – {i.period_end:%Y-%m-%d}"
            if i.period_end
            else (f"{i.period_start:%Y-%m-%d} –")
        )
        rows.append(Row((i.title, i.owner, kinds, period, granted)))
    rows.append(Row((_("Total"), "", "", "", total), "total"))
    doc.blocks.append(
        Table(
            key="interventions",
            title=_("Interventions with funds granted for %(year)s (kr)") % {"year": year},
            columns=(
                Column(_("Intervention")),
                Column(_("Project owner")),
                Column(_("Type")),
                Column(_("Period")),
                Column(_("Granted %(year)s") % {"year": year}, "money"),
            ),
            rows=tuple(rows),
        )
    )
    for i in interventions:
        doc.blocks.append(Heading(i.title, 2))
        if i.purpose:
            doc.blocks.append(Paragraph(i.purpose))
        if i.target_group:
            doc.blocks.append(Paragraph(_("Target group: %(text)s") % {"text": i.target_group}))


def _activities(doc: Document, user, association, year: int) -> None:
    activities = list(
        goals_selectors.activities(user=user, association=association, year=year).order_by(
            "date", "title"
        )
    )
    doc.blocks.append(Heading(_("Activities")))
    doc.blocks.append(FreeText("activities", "", _("The year's planned activities in words.")))
    if activities:
        doc.blocks.append(
            Table(
                key="activities",
                title=_("Activities %(year)s") % {"year": year},
                columns=(
                    Column(_("Date"), "date"),
                    Column(_("Activity")),
                    Column(_("Type")),
                    Column(_("Audience")),
                ),
                rows=tuple(
                    Row((a.date, a.title, a.get_kind_display(), a.audience)) for a in activities
                ),
            )
        )


def _meetings(doc: Document, user, association, year: int) -> None:
    doc.blocks.append(Heading(_("Meeting plan and annual cycle")))
    meetings = list(
        organisation_selectors.meetings(user=user, association=association, year=year).order_by(
            "date"
        )
    )
    doc.blocks.append(
        Table(
            key="meetings",
            title=_("Meeting plan %(year)s") % {"year": year},
            columns=(Column(_("Date"), "date"), Column(_("Meeting")), Column(_("Venue"))),
            rows=tuple(Row((m.date, m.get_kind_display(), m.place)) for m in meetings),
        )
    )
    items = list(organisation_selectors.cycle_items(user=user, association=association))
    placements = annual_cycle_for_year(items=items, meetings=meetings, year=year)
    if placements:
        doc.blocks.append(
            Table(
                key="annual-cycle",
                title=_("Annual cycle %(year)s") % {"year": year},
                columns=(Column(_("Item")), Column(_("Board meeting"), "date")),
                rows=tuple(
                    Row((p.item.title, p.meeting.date if p.meeting else None)) for p in placements
                ),
            )
        )
    board = [m for m in meetings if m.kind == Meeting.Kind.BOARD]
    if not board:
        doc.flags.append(
            Flag(
                code=f"no-board-meetings-{year}",
                message=_("No board meetings are planned for %(year)s.") % {"year": year},
            )
        )


def _risks(doc: Document, user, association, year: int) -> None:
    doc.blocks.append(Heading(_("Risks and internal control")))
    plan = goals_selectors.control_plan(user=user, association=association, year=year)
    if plan is None:
        doc.blocks.append(Paragraph(_("No internal control plan is entered for the year.")))
        return
    risks = list(plan.risks.all())
    doc.blocks.append(
        Table(
            key="risks",
            title=_("Risk and materiality analysis %(year)s") % {"year": year},
            columns=(
                Column(_("Area")),
                Column(_("Risk")),
                Column(_("Probability"), "number"),
                Column(_("Consequence"), "number"),
                Column(_("Risk value"), "number"),
            ),
            rows=tuple(
                Row(
                    (
                        r.area,
                        r.description,
                        r.probability,
                        r.consequence,
                        score(r.probability, r.consequence),
                    )
                )
                for r in risks
            ),
        )
    )
    controls = [(r, c) for r in risks for c in r.controls.all()]
    if controls:
        doc.blocks.append(
            Table(
                key="controls",
                title=_("Internal control plan %(year)s") % {"year": year},
                columns=(
                    Column(_("Control")),
                    Column(_("Responsible")),
                    Column(_("Frequency")),
                    Column(_("Method")),
                ),
                rows=tuple(
                    Row((c.description, c.owner, c.frequency, c.method)) for _r, c in controls
                ),
            )
        )


def _budget(doc: Document, user, association, year: int, budget) -> None:
    doc.blocks.append(Heading(_("Budget %(year)s") % {"year": year}))
    if budget is None:
        doc.flags.append(sources.no_budget_flag(year))
        doc.blocks.append(Paragraph(_("There is no budget for the year.")))
        return
    view = economy_selectors.budget_view(budget=budget)
    if budget.decision_ref:
        doc.blocks.append(Paragraph(budget.decision_ref))
    doc.blocks.extend(sources.statement_tables(budget, view))
    doc.flags.extend(sources.budget_flags(budget, view))
    rules = list(economy_selectors.financial_rules(user=user, association=association))
    years = {c.year for c in view.columns if c.year >= year}
    doc.flags.extend(sources.rule_flags(budget, view, rules, years=years))
    doc.blocks.append(Heading(_("Financial rules and the board's reasons"), 2))
    in_force = [
        r
        for r in rules
        if r.valid_from.year <= year and (r.valid_to is None or r.valid_to.year >= year)
    ]
    if in_force:
        doc.blocks.append(
            Table(
                key="rules",
                title=_("Financial rules in force %(year)s") % {"year": year},
                columns=(Column(_("Rule")), Column(_("Value")), Column(_("Source"))),
                rows=tuple(Row((r.get_kind_display(), _rule_value(r), r.source)) for r in in_force),
            )
        )
    if budget.unbalanced_reason:
        doc.blocks.append(Paragraph(budget.unbalanced_reason))
    doc.blocks.append(
        FreeText(
            "financial_comment", _("Comment on the budget"), _("The board's reasons in words.")
        )
    )


def _rule_value(rule) -> str:
    """'20 % av medlemsavgifterna för året', '500 000 kr' or '' (a balanced budget)."""
    if rule.value is None:
        return ""
    if rule.is_share:
        decimals = 0 if rule.value == rule.value.to_integral_value() else 1
        basis = f" {rule.get_basis_display()}" if rule.basis else ""
        return f"{format_number(rule.value, decimals)}\u00a0%{basis}"
    return f"{format_number(rule.value)}\u00a0kr"


register(Kind(slug="plan", name="Verksamhetsplan och budget", build=build))
