"""Building a budget in the app: start one (empty, or from last year's adopted budget), then add,
rename, move and remove its lines and sections. Only a draft changes; every change is audited.

A section is the lines of one statement that share a `Section` (income, operating costs …): it
is added with its first line, renamed through its total line, moved and removed as a block.
Lines keep one `sort_order` across the budget, renumbered after each change in reading order
(statement, then position).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from finsam.core.actors import require_actor
from finsam.economy.models import (
    Budget,
    BudgetAmount,
    BudgetColumn,
    BudgetLine,
    Role,
    Section,
    Statement,
)
from finsam.economy.services import _check_line, budget_create
from finsam.organisation import audit
from finsam.organisation.audit import Event

LINE_FIELDS = ["label", "section", "group", "account", "cost_kind", "member_side"]
STATEMENT_ORDER = {value: i for i, value in enumerate(Statement.values)}


def _skeleton_columns(year: int) -> list[tuple[int, str, str]]:
    return [
        (year - 1, BudgetColumn.Basis.FORECAST, f"Prognos {year - 1}"),
        (year, BudgetColumn.Basis.BUDGET, f"Budget {year}"),
        (year + 1, BudgetColumn.Basis.PLAN, f"Plan {year + 1}"),
        (year + 2, BudgetColumn.Basis.PLAN, f"Plan {year + 2}"),
    ]


def _column_for(previous: Budget, year: int):
    """The previous budget's figure for a year: its budget or plan column, else any column."""
    columns = [c for c in previous.columns.all() if c.year == year]
    for basis in (BudgetColumn.Basis.BUDGET, BudgetColumn.Basis.PLAN):
        for column in columns:
            if column.basis == basis:
                return column
    return columns[0] if columns else None


@transaction.atomic
def budget_start(
    *, association, budget_year: int, title: str, previous: Budget | None, by
) -> Budget:
    """A new draft for `budget_year`: empty but for the result lines, or a copy of `previous`
    (last year's adopted budget) with its figures moved to the new columns by year — last
    year's budget becomes this year's starting forecast, its plan years this year's budget."""
    require_actor(by)
    columns = _skeleton_columns(budget_year)
    if previous is None:
        lines = [
            ("result", "", Role.INCOME_TOTAL, _("Total income"), [None] * 4, {}),
            ("result", "", Role.COST_TOTAL, _("Total costs"), [None] * 4, {}),
            ("result", "", Role.RESULT, _("Result for the year"), [None] * 4, {}),
        ]
        spec = {"title": title, "budget_year": budget_year, "columns": columns, "lines": lines}
        return budget_create(association=association, spec=spec, by=by)
    if previous.association_id != association.pk:
        raise ValidationError(_("The budget to start from belongs to another association."))
    sources = [_column_for(previous, year) for year, _b, _l in columns]
    amounts = {
        (a.line_id, a.column_id): a for a in BudgetAmount.objects.filter(line__budget=previous)
    }
    lines = []
    for line in sorted(
        previous.lines.select_related("intervention"),
        key=lambda ln: (STATEMENT_ORDER.get(ln.statement, 9), ln.sort_order),
    ):
        found = [amounts.get((line.pk, c.pk)) if c else None for c in sources]
        options = {name: getattr(line, name) for name in LINE_FIELDS[2:]}
        options["intervention"] = line.intervention
        options["kind_shares"] = line.kind_shares
        options["steps"] = [a.step if a else Decimal(1) for a in found]
        values = [a.amount if a else None for a in found]
        lines.append((line.statement, line.section, line.role, line.label, values, options))
    spec = {
        "title": title,
        "budget_year": budget_year,
        "columns": columns,
        "lines": lines,
        "printed_unit": previous.printed_unit,
        "notes": _("Started from %(budget)s.") % {"budget": previous},
    }
    return budget_create(association=association, spec=spec, by=by)


def _require_draft(budget: Budget) -> None:
    if budget.status != Budget.Status.DRAFT:
        raise ValidationError(_("An adopted budget cannot be changed. Create a new version."))


def _ordered(budget: Budget) -> list[BudgetLine]:
    return sorted(
        BudgetLine.objects.filter(budget=budget),
        key=lambda ln: (STATEMENT_ORDER.get(ln.statement, 9), ln.sort_order, ln.pk),
    )


def _renumber(lines: list[BudgetLine]) -> None:
    changed = []
    for order, line in enumerate(lines):
        if line.sort_order != order:
            line.sort_order = order
            changed.append(line)
    BudgetLine.objects.bulk_update(changed, ["sort_order"])


def _check_label(budget: Budget, statement: str, label: str, exclude: int | None = None) -> None:
    if not label.strip():
        raise ValidationError({"label": _("Enter a name for the line.")})
    clash = BudgetLine.objects.filter(budget=budget, statement=statement, label=label.strip())
    if clash.exclude(pk=exclude).exists():
        raise ValidationError(
            {"label": _("The statement already has a line with this name; choose another.")}
        )


def _record(budget: Budget, by, change: dict[str, Any]) -> None:
    audit.record(event=Event.BUDGET_UPDATED, actor=by, target=budget, after=change)


# Where a line of a section that has no lines yet goes: before the statement's total for it.
CLOSES_SECTION = {
    Section.INCOME: (Role.INCOME_TOTAL, Role.COST_TOTAL, Role.RESULT),
    Section.EXTERNAL_INCOME: (Role.INCOME_TOTAL, Role.COST_TOTAL, Role.RESULT),
    Section.OPERATING_COST: (Role.COST_TOTAL, Role.RESULT),
    Section.INTERVENTION_COST: (Role.COST_TOTAL, Role.RESULT),
    Section.FINANCIAL: (Role.COST_TOTAL, Role.RESULT),
    Section.CF_OPERATING: (Role.CF_OPERATING_TOTAL, Role.CF_TOTAL),
    Section.CF_INVESTING: (Role.CF_TOTAL,),
    Section.CF_FINANCING: (Role.CF_TOTAL,),
    Section.ASSET: (Role.ASSETS_TOTAL,),
    Section.EQUITY: (Role.EQUITY_CLOSING,),
    Section.LIABILITY: (Role.LIABILITIES_TOTAL,),
}


def _position(ordered: list[BudgetLine], line: BudgetLine) -> int:
    """Where a new line goes in the budget's reading order: among its section's items (before
    the section's total), else before the statement's total for its section, else last in its
    statement."""
    same = [ln for ln in ordered if ln.statement == line.statement]
    section = [ln for ln in same if line.section and ln.section == line.section]
    if section:
        items = [ln for ln in section if ln.role != Role.SECTION_TOTAL]
        total = next((ln for ln in section if ln.role == Role.SECTION_TOTAL), None)
        if line.role != Role.SECTION_TOTAL and total is not None:
            return ordered.index(total)
        return ordered.index((items or section)[-1]) + 1
    for role in CLOSES_SECTION.get(line.section, ()):
        closing = next((ln for ln in same if ln.role == role), None)
        if closing is not None:
            return ordered.index(closing)
    if same:
        return ordered.index(same[-1]) + 1
    rank = STATEMENT_ORDER.get(line.statement, 9)
    return sum(1 for ln in ordered if STATEMENT_ORDER.get(ln.statement, 9) <= rank)


@transaction.atomic
def budget_line_add(*, budget: Budget, by, **fields: Any) -> BudgetLine:
    """A new line where a reader expects it (see `_position`)."""
    require_actor(by)
    _require_draft(budget)
    fields = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    line = BudgetLine(budget=budget, **fields)
    _check_label(budget, line.statement, line.label)
    try:
        _check_line(line)
        line.full_clean(exclude=["budget", "sort_order"])
    except ValidationError as error:
        raise ValidationError(getattr(error, "error_dict", None) or error.messages) from None
    ordered = _ordered(budget)
    position = _position(ordered, line)
    line.sort_order = 0
    line.save()
    ordered.insert(position, line)
    _renumber(ordered)
    _record(budget, by, {"line_added": line.label, "statement": line.statement})
    return line


@transaction.atomic
def budget_line_update(*, line: BudgetLine, data: dict[str, Any], by) -> BudgetLine:
    """Rename a line or change its section, group, account, purpose or member group."""
    require_actor(by)
    _require_draft(line.budget)
    before = {name: getattr(line, name) for name in LINE_FIELDS}
    for name in LINE_FIELDS:
        if name in data:
            value = data[name]
            setattr(line, name, value.strip() if isinstance(value, str) else value)
    _check_label(line.budget, line.statement, line.label, exclude=line.pk)
    try:
        _check_line(line)
        line.full_clean(exclude=["budget"])
    except ValidationError as error:
        raise ValidationError(getattr(error, "error_dict", None) or error.messages) from None
    line.save(update_fields=LINE_FIELDS)
    after = {name: getattr(line, name) for name in LINE_FIELDS}
    changes = {k: [before[k], after[k]] for k in LINE_FIELDS if before[k] != after[k]}
    if changes:
        _record(line.budget, by, {"line_changed": before["label"], "changes": changes})
    return line


@transaction.atomic
def budget_line_delete(*, line: BudgetLine, by) -> None:
    require_actor(by)
    budget = line.budget
    _require_draft(budget)
    label, statement = line.label, line.statement
    line.delete()  # its amounts go with it
    _renumber(_ordered(budget))
    _record(budget, by, {"line_removed": label, "statement": statement})


@transaction.atomic
def budget_line_move(*, line: BudgetLine, direction: str, by) -> None:
    """One step up or down within its statement."""
    require_actor(by)
    _require_draft(line.budget)
    ordered = _ordered(line.budget)
    same = [ln for ln in ordered if ln.statement == line.statement]
    i = next(k for k, ln in enumerate(same) if ln.pk == line.pk)
    j = i - 1 if direction == "up" else i + 1
    if direction not in ("up", "down"):
        raise ValidationError(_("Move a line up or down."))
    if not 0 <= j < len(same):
        return
    a, b = ordered.index(same[i]), ordered.index(same[j])
    ordered[a], ordered[b] = ordered[b], ordered[a]
    _renumber(ordered)
    _record(line.budget, by, {"line_moved": line.label, "direction": direction})


def _blocks(lines: list[BudgetLine]) -> list[tuple[str, list[BudgetLine]]]:
    """A statement's lines as consecutive blocks by section ('' for the derived lines)."""
    blocks: list[tuple[str, list[BudgetLine]]] = []
    for line in lines:
        if blocks and blocks[-1][0] == line.section:
            blocks[-1][1].append(line)
        else:
            blocks.append((line.section, [line]))
    return blocks


@transaction.atomic
def budget_section_change(*, budget: Budget, statement: str, section: str, action: str, by) -> None:
    """Move a section's lines as one block past the neighbouring section (the derived lines
    between them stay where they are), or remove the section with its lines and amounts."""
    require_actor(by)
    _require_draft(budget)
    if action not in ("up", "down", "delete"):
        raise ValidationError(_("Move a section up or down, or remove it."))
    ordered = _ordered(budget)
    members = [ln for ln in ordered if ln.statement == statement and ln.section == section]
    if not section or not members:
        raise ValidationError(_("The budget has no such section."))
    if action == "delete":
        BudgetLine.objects.filter(pk__in=[ln.pk for ln in members]).delete()
        _renumber(_ordered(budget))
        _record(budget, by, {"section_removed": section, "statement": statement})
        return
    blocks = _blocks([ln for ln in ordered if ln.statement == statement])
    sections = [k for k, (key, _lines) in enumerate(blocks) if key]
    here = next(i for i, k in enumerate(sections) if blocks[k][0] == section)
    there = here - 1 if action == "up" else here + 1
    if not 0 <= there < len(sections):
        return
    a, b = sections[here], sections[there]
    blocks[a], blocks[b] = blocks[b], blocks[a]
    moved = [ln for _key, lines in blocks for ln in lines]
    _renumber(
        [
            ln
            for value in Statement.values
            for ln in (
                moved if value == statement else [x for x in ordered if x.statement == value]
            )
        ]
    )
    _record(budget, by, {"section_moved": section, "direction": action})
