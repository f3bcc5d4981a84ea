"""Print a budget's discrepancies and rule warnings; exit status 1 when there are any."""

import sys

from django.core.management.base import BaseCommand

from finsam.economy import selectors
from finsam.economy.management.commands._budget_args import association_from, budget_for_year
from finsam.economy.rules import evaluate
from finsam.economy.statements import describe


class Command(BaseCommand):
    help = "Kontrollerar en budget: summor, samband mellan rapporterna och finansiella regler."

    def add_arguments(self, parser):
        parser.add_argument("--association", required=True, help="förbundets kortnamn (slug)")
        parser.add_argument("--year", type=int, required=True, help="budgetår")

    def handle(self, *args, association: str, year: int, **options):
        assoc = association_from(association)
        budget = budget_for_year(assoc, year)
        view = selectors.budget_view(budget=budget)
        warnings = [
            f"{ind.column.label}: {w}"
            for ind in evaluate(view=view, rules=list(assoc.financial_rules.all()), budget=budget)
            for w in ind.warnings
        ]
        self.stdout.write(f"{assoc.name} – {budget} ({budget.get_status_display()})")
        for d in view.discrepancies:
            self.stdout.write(f"AVVIKELSE: {describe(d)}")
        for w in warnings:
            self.stdout.write(f"VARNING: {w}")
        if not view.discrepancies and not warnings:
            self.stdout.write(self.style.SUCCESS("Inga avvikelser och inga regelvarningar."))
            return
        self.stdout.write(f"{len(view.discrepancies)} avvikelser, {len(warnings)} varningar.")
        sys.exit(1)
