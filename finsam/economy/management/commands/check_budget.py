"""Print a budget's discrepancies and rule warnings; exit status 1 when there are any.

The budget is the one the board adopted for --year unless --budget ID chooses another."""

import sys

from django.core.management.base import BaseCommand

from finsam.economy import selectors
from finsam.economy.management.commands._budget_args import (
    add_budget_arguments,
    association_from,
    budget_from,
    choice_note,
)
from finsam.economy.rules import evaluate
from finsam.economy.statements import describe


class Command(BaseCommand):
    help = (
        "Kontrollerar en budget: summor, samband mellan rapporterna och finansiella regler. "
        "Standard är budgeten som styrelsen antagit för året."
    )

    def add_arguments(self, parser):
        add_budget_arguments(parser)

    def handle(self, *args, association: str, year: int | None, budget: int | None, **options):
        assoc = association_from(association)
        choice, chosen = budget_from(assoc, year, budget)
        if note := choice_note(choice):
            self.stderr.write(note)
        view = selectors.budget_view(budget=chosen)
        warnings = [
            f"{ind.column.label}: {w}"
            for ind in evaluate(view=view, rules=list(assoc.financial_rules.all()), budget=chosen)
            for w in ind.warnings
        ]
        self.stdout.write(f"{assoc.name} – {chosen} ({chosen.get_status_display()})")
        for d in view.discrepancies:
            self.stdout.write(f"AVVIKELSE: {describe(d)}")
        for w in warnings:
            self.stdout.write(f"VARNING: {w}")
        for n in view.notes:
            self.stdout.write(f"NOTERING: {n}")
        if not view.discrepancies and not warnings:
            self.stdout.write(self.style.SUCCESS("Inga avvikelser och inga regelvarningar."))
            return
        self.stdout.write(f"{len(view.discrepancies)} avvikelser, {len(warnings)} varningar.")
        sys.exit(1)
