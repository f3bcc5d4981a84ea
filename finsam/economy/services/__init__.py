"""Writes for budgets and financial rules. Every function validates, writes atomically, audits."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from finsam.core.actors import require_actor
from finsam.economy.models import (
    AccountMapping,
    Budget,
    BudgetAmount,
    BudgetColumn,
    BudgetLine,
    FinancialRule,
    FollowUpEntry,
    LedgerObject,
    Role,
    Section,
    Statement,
)
from finsam.organisation import audit
from finsam.organisation.audit import (
    Event,
    audited_create,
    audited_delete,
    audited_update,
    with_changes,
)

# What each edit form sends (finsam/economy/forms.py); an update writes only these fields.
BUDGET_FIELDS = ["title", "status", "decision_ref", "decided_on", "unbalanced_reason", "notes"]
RULE_FIELDS = [
    "kind",
    "value",
    "basis",
    "cost_kind",
    "tolerance",
    "valid_from",
    "valid_to",
    "source",
]
# A follow-up entry is found by association, year and line; these are what the form changes.
FOLLOW_UP_FIELDS = ["forecast", "accrual", "method", "note", "profile"]


def _budget_state(budget: Budget) -> dict[str, Any]:
    return {
        "title": budget.title,
        "status": budget.status,
        "version": budget.version,
        "decision_ref": budget.decision_ref,
        "lines": budget.lines.count(),
    }


@transaction.atomic
def budget_create(*, association, spec: dict[str, Any], by) -> Budget:
    """Create a budget with its columns, lines and amounts from a plain description.

    `spec` holds title, budget_year, columns [(year, basis, label)], lines
    [(statement, section, role, label, values in the printed unit, options)], and optionally
    status, decision_ref, decided_on, printed_unit, scale (kronor per printed unit), step,
    unbalanced_reason, notes. Used by the demo loader and by the XLSX import.
    """
    version = (
        Budget.objects.filter(association=association, budget_year=spec["budget_year"]).aggregate(
            v=Max("version")
        )["v"]
        or 0
    ) + 1
    budget = Budget(
        association=association,
        budget_year=spec["budget_year"],
        version=version,
        title=spec["title"],
        status=spec.get("status", Budget.Status.DRAFT),
        decision_ref=spec.get("decision_ref", ""),
        decided_on=spec.get("decided_on"),
        printed_unit=spec.get("printed_unit", "kr"),
        unbalanced_reason=spec.get("unbalanced_reason", ""),
        notes=spec.get("notes", ""),
    )
    budget.full_clean()
    budget.save()
    columns = []
    for order, (year, basis, label) in enumerate(spec["columns"]):
        column = BudgetColumn(budget=budget, year=year, basis=basis, label=label, sort_order=order)
        column.full_clean(exclude=["budget"])
        column.save()
        columns.append(column)
    scale = Decimal(spec.get("scale", 1))
    default_step = Decimal(spec.get("step", 1))
    errors = []
    amounts = []
    for order, (statement, section, role, label, values, options) in enumerate(spec["lines"]):
        options = dict(options)
        step = Decimal(options.pop("step", default_step))
        steps = options.pop("steps", None) or [step] * len(values)
        line = BudgetLine(
            budget=budget,
            statement=statement,
            section=section,
            role=role,
            label=label,
            sort_order=order,
            **options,
        )
        try:
            _check_line(line)
            line.full_clean(exclude=["budget"])
        except ValidationError as error:
            errors.append(
                _("Line %(n)s (%(label)s): %(error)s")
                % {"n": order + 1, "label": label, "error": " ".join(error.messages)}
            )
            continue
        line.save()
        if len(values) != len(columns):
            errors.append(
                _("Line %(n)s (%(label)s) has %(got)s amounts but the budget has %(want)s columns.")
                % {"n": order + 1, "label": label, "got": len(values), "want": len(columns)}
            )
            continue
        for column, value, value_step in zip(columns, values, steps, strict=True):
            if value is not None:
                amounts.append(
                    BudgetAmount(line=line, column=column, amount=value * scale, step=value_step)
                )
    if errors:
        raise ValidationError(errors)
    BudgetAmount.objects.bulk_create(amounts)
    audit.record(event=Event.BUDGET_CREATED, actor=by, target=budget, after=_budget_state(budget))
    return budget


def _check_line(line: BudgetLine) -> None:
    if line.role in (Role.ITEM, Role.CASH_ITEM) and not line.section:
        raise ValidationError(_("An item must belong to a section."))
    if line.role == Role.CASH_ITEM and line.section != Section.ASSET:
        raise ValidationError(_("Cash and bank belongs to the assets."))
    if line.kind_shares:
        try:
            total = sum(Decimal(str(v)) for v in line.kind_shares.values())
        except ArithmeticError as exc:
            raise ValidationError(_("The split by purpose must be percentages.")) from exc
        if total != 100:
            raise ValidationError(
                _("The split by purpose adds up to %(total)s %%, not 100 %%.") % {"total": total}
            )
    if line.statement not in Statement.values:
        raise ValidationError(_("Unknown statement."))


@transaction.atomic
def budget_amount_set(
    *, budget: Budget, line: BudgetLine, column: BudgetColumn, amount: Decimal | None, by
) -> None:
    if line.budget_id != budget.pk or column.budget_id != budget.pk:
        raise ValidationError(_("The line or column does not belong to the budget."))
    if budget.status != Budget.Status.DRAFT:
        raise ValidationError(_("An adopted budget cannot be changed. Create a new version."))
    existing = BudgetAmount.objects.filter(line=line, column=column).first()
    before = {"amount": str(existing.amount)} if existing else None
    if amount is None:
        if existing:
            existing.delete()
    else:
        BudgetAmount.objects.update_or_create(
            line=line, column=column, defaults={"amount": amount, "step": Decimal(1)}
        )
    audit.record(
        event=Event.BUDGET_AMOUNT_SET,
        actor=by,
        target=budget,
        before=before,
        after={
            "line": line.label,
            "column": column.label,
            "amount": None if amount is None else str(amount),
        },
    )


@transaction.atomic
def budget_new_version(*, budget: Budget, by) -> Budget:
    """A revision is a new version: the adopted budget stays as decided."""
    version = (
        Budget.objects.filter(
            association=budget.association, budget_year=budget.budget_year
        ).aggregate(v=Max("version"))["v"]
        or 0
    ) + 1
    copy = Budget.objects.create(
        association=budget.association,
        budget_year=budget.budget_year,
        version=version,
        title=budget.title,
        status=Budget.Status.DRAFT,
        printed_unit=budget.printed_unit,
        unbalanced_reason=budget.unbalanced_reason,
        notes=_("New version of version %(v)s.") % {"v": budget.version},
    )
    column_map = {}
    for c in budget.columns.all():
        column_map[c.pk] = BudgetColumn.objects.create(
            budget=copy, year=c.year, basis=c.basis, label=c.label, sort_order=c.sort_order
        )
    for line in budget.lines.prefetch_related("amounts"):
        amounts = list(line.amounts.all())
        line.pk, line.budget = None, copy
        line.save()
        BudgetAmount.objects.bulk_create(
            [
                BudgetAmount(
                    line=line, column=column_map[a.column_id], amount=a.amount, step=a.step
                )
                for a in amounts
            ]
        )
    audit.record(event=Event.BUDGET_CREATED, actor=by, target=copy, after=_budget_state(copy))
    return copy


def budget_update(*, budget: Budget, data: dict[str, Any], by) -> Budget:
    status = data.get("status", budget.status)
    decision_ref = data.get("decision_ref", budget.decision_ref)
    if status == Budget.Status.ADOPTED and not decision_ref:
        raise ValidationError(
            {"decision_ref": _("Enter the board's decision (§) for an adopted budget.")}
        )
    return audited_update(budget, data, fields=BUDGET_FIELDS, by=by, event=Event.BUDGET_UPDATED)


def rule_create(*, association, by, **fields: Any) -> FinancialRule:
    _check_rule(FinancialRule(association=association, **fields))
    return audited_create(
        FinancialRule, by=by, event=Event.RULE_CREATED, association=association, **fields
    )


def rule_update(*, rule: FinancialRule, data: dict[str, Any], by) -> FinancialRule:
    _check_rule(with_changes(rule, data, RULE_FIELDS))  # checked before anything is written
    return audited_update(rule, data, fields=RULE_FIELDS, by=by, event=Event.RULE_UPDATED)


@transaction.atomic
def rules_import(*, association, rows: list[tuple[int, dict[str, Any]]], by) -> tuple[int, int]:
    """Create the rules of an imported file (row number, fields), all or none.

    A row identical to a rule the association already has is skipped, so importing the file the
    export wrote changes nothing. Returns (created, skipped).
    """
    require_actor(by)
    errors: list[str] = []
    existing = {_rule_key(r) for r in FinancialRule.objects.filter(association=association)}
    new = []
    for number, fields in rows:
        candidate = FinancialRule(association=association, **fields)
        try:
            _check_rule(candidate)
            candidate.full_clean(exclude=["association"])
        except ValidationError as error:
            errors.append(
                _("Row %(n)s: %(error)s") % {"n": number, "error": " ".join(error.messages)}
            )
            continue
        if _rule_key(candidate) not in existing:
            existing.add(_rule_key(candidate))
            new.append(fields)
    if errors:
        raise ValidationError(errors)
    for fields in new:
        audited_create(
            FinancialRule, by=by, event=Event.RULE_CREATED, association=association, **fields
        )
    return len(new), len(rows) - len(new)


def _rule_key(rule: FinancialRule) -> tuple:
    value = None if rule.value is None else Decimal(rule.value).normalize()
    return (
        rule.kind,
        value,
        rule.basis,
        rule.cost_kind,
        Decimal(rule.tolerance).normalize(),
        rule.valid_from,
        rule.valid_to,
    )


def rule_delete(*, rule: FinancialRule, by) -> None:
    audited_delete(rule, by=by, event=Event.RULE_DELETED)


def _check_rule(rule: FinancialRule) -> None:
    errors: dict[str, str] = {}
    kind = FinancialRule.Kind
    if rule.kind != kind.BALANCED_BUDGET and rule.value is None:
        errors["value"] = _("Enter a value for the rule.")
    if rule.kind == kind.TARGET_SHARE and not rule.basis:
        errors["basis"] = _("Specify what the share is calculated on.")
    if rule.kind in (kind.RESULT_FLOOR, kind.RESULT_CEILING, kind.BALANCED_BUDGET) and rule.basis:
        errors["basis"] = _(
            "This rule is not a share: leave “relative to” blank (a result rule is in kronor)."
        )
    if rule.value is not None and "value" not in errors:
        if rule.is_share and not 0 <= rule.value <= 100:
            errors["value"] = _("A share is entered as a percentage between 0 and 100.")
        elif rule.kind in (kind.EQUITY_CEILING, kind.EQUITY_FLOOR) and rule.value < 0:
            errors["value"] = _("An equity limit in kronor cannot be negative.")
    if rule.kind == kind.TARGET_SHARE and not rule.cost_kind:
        errors["cost_kind"] = _("Specify which purpose the target share applies to.")
    if rule.kind != kind.TARGET_SHARE and rule.cost_kind:
        errors["cost_kind"] = _("A purpose is only specified for target shares.")
    if rule.valid_to and rule.valid_from and rule.valid_to < rule.valid_from:
        errors["valid_to"] = _("The rule cannot stop applying before it starts applying.")
    if errors:
        raise ValidationError(errors)


def account_mapping_create(
    *, association, account_from: str, account_to: str, line_label: str, by
) -> AccountMapping:
    fields = {
        "account_from": account_from.strip(),
        "account_to": (account_to or account_from).strip(),
        "line_label": line_label.strip(),
    }
    errors = {}
    if not _is_budget_line(association, fields["line_label"]):
        errors["line_label"] = _(
            "There is no budget line “%(label)s”. Choose a line from the list."
        ) % {"label": fields["line_label"]}
    for field in ("account_from", "account_to"):
        if not fields[field].isdigit():
            errors[field] = _("Enter an account number in digits, e.g. 4530.")
    if not errors and fields["account_to"].ljust(8, "0") < fields["account_from"].ljust(8, "0"):
        errors["account_to"] = _("The end account cannot be lower than the start account.")
    if errors:
        raise ValidationError(errors)
    return audited_create(
        AccountMapping,
        by=by,
        event=Event.ACCOUNT_MAPPING_CREATED,
        association=association,
        **fields,
    )


def account_mapping_delete(*, mapping: AccountMapping, by) -> None:
    audited_delete(mapping, by=by, event=Event.ACCOUNT_MAPPING_DELETED)


@transaction.atomic
def follow_up_entry_set(
    *,
    profile: list | None = None,
    association,
    year: int,
    line_label: str,
    by,
    forecast: Decimal | None,
    accrual: Decimal | None,
    method: str,
    note: str = "",
) -> FollowUpEntry:
    require_actor(by)
    entry, _created = FollowUpEntry.objects.get_or_create(
        association=association, year=year, line_label=line_label
    )
    if method == FollowUpEntry.Method.PROFILE:
        weights = profile or []
        if len(weights) != 12 or any(w < 0 for w in weights) or sum(weights) <= 0:
            raise ValidationError(
                {
                    "profile": _(
                        "Enter twelve weights, one per month, e.g. 1 1 1 1 1 1 0 1 1 1 1 1 for a "
                        "summer break in July."
                    )
                }
            )
    return audited_update(
        entry,
        {
            "forecast": forecast,
            "accrual": accrual,
            "method": method,
            "note": note,
            "profile": [str(w) for w in profile] if profile else [],
        },
        fields=FOLLOW_UP_FIELDS,
        by=by,
        event=Event.FOLLOW_UP_SET,
    )


def _is_budget_line(association, label: str) -> bool:
    """Whether one of the association's budgets has an income-statement line of that name."""
    return BudgetLine.objects.filter(
        budget__association=association,
        statement=Statement.RESULT,
        role__in=[Role.ITEM, Role.CASH_ITEM],
        label=label,
    ).exists()


def ledger_object_set_line(*, obj: LedgerObject, line_label: str, by) -> LedgerObject:
    """Link an object to a budget line by its name (blank unlinks it)."""
    if line_label.strip() and not _is_budget_line(obj.association, line_label.strip()):
        raise ValidationError(
            _("There is no budget line “%(label)s”. Choose a line from the list.")
            % {"label": line_label.strip()}
        )
    return audited_update(
        obj,
        {"line_label": line_label.strip()},
        fields=["line_label"],
        by=by,
        event=Event.ACCOUNT_MAPPING_CREATED,
    )


@transaction.atomic
def budget_amounts_set(
    *, budget: Budget, amounts: dict[tuple[int, int], Decimal | None], by
) -> int:
    """Set many cells of a draft budget at once; an empty cell removes the amount.

    Returns the number of changed cells. One audit row lists every change.
    """
    require_actor(by)
    if budget.status != Budget.Status.DRAFT:
        raise ValidationError(_("An adopted budget cannot be changed. Create a new version."))
    lines = {ln.pk for ln in budget.lines.all()}
    columns = {c.pk for c in budget.columns.all()}
    if any(line not in lines or column not in columns for line, column in amounts):
        raise ValidationError(_("The amounts do not belong to the budget."))
    existing = {
        (a.line_id, a.column_id): a for a in BudgetAmount.objects.filter(line__budget=budget)
    }
    changes = []
    for (line_id, column_id), amount in amounts.items():
        current = existing.get((line_id, column_id))
        before = None if current is None else str(current.amount)
        if amount is None and current is not None:
            current.delete()
        elif amount is not None and current is None:
            BudgetAmount.objects.create(line_id=line_id, column_id=column_id, amount=amount)
        elif amount is not None and current.amount != amount:
            current.amount, current.step = amount, Decimal(1)
            current.save(update_fields=["amount", "step"])
        else:
            continue
        changes.append(
            {
                "line": line_id,
                "column": column_id,
                "before": before,
                "after": None if amount is None else str(amount),
            }
        )
    if changes:
        audit.record(
            event=Event.BUDGET_AMOUNT_SET, actor=by, target=budget, after={"changes": changes}
        )
    return len(changes)


def _title_key(title: str) -> str:
    # "STEGSAM – Steg för steg genom att samverka" is known by its name before the dash.
    return title.split(" – ")[0].strip().lower()


@transaction.atomic
def budget_link_interventions(*, budget: Budget, interventions, by) -> int:
    """Link the budget's intervention lines to the association's interventions by name.

    A line is linked to the intervention whose name (before any dash) stands in the line's label
    as whole words, the longest name winning ("Aktivitetscoach STEGSAM Plus" is STEGSAM Plus, not
    STEGSAM). Lines already linked are left alone. Returns how many lines were linked.
    """
    require_actor(by)
    candidates = [
        (i, _title_key(i.title)) for i in interventions if i.association_id == budget.association_id
    ]
    linked = 0
    for line in budget.lines.filter(
        section=Section.INTERVENTION_COST, intervention__isnull=True, role__in=[Role.ITEM]
    ):
        label = line.label.lower()
        matches = [
            (len(key), i)
            for i, key in candidates
            if key and re.search(rf"(^|\W){re.escape(key)}($|\W)", label)
        ]
        if not matches:
            continue
        line.intervention = max(matches, key=lambda m: m[0])[1]
        line.save(update_fields=["intervention"])
        linked += 1
    if linked:
        audit.record(
            event=Event.BUDGET_UPDATED,
            actor=by,
            target=budget,
            after={"interventions_linked": linked},
        )
    return linked


# Building a budget in the app (start, lines, sections): its own module, re-exported here.
from finsam.economy.services.lines import (  # noqa: E402, F401
    budget_line_add,
    budget_line_delete,
    budget_line_move,
    budget_line_update,
    budget_section_change,
    budget_start,
)
