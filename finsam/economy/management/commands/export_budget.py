"""Export a budget as XLSX (the template's layout) or CSV: the one the board adopted for --year
unless --budget ID chooses another."""

from django.core.management.base import BaseCommand

from finsam.economy import selectors, xlsx
from finsam.economy.management.commands._budget_args import (
    add_budget_arguments,
    association_from,
    budget_from,
    choice_note,
)


class Command(BaseCommand):
    help = "Exporterar en budget till XLSX (samma layout som mallen) eller CSV."

    def add_arguments(self, parser):
        add_budget_arguments(parser)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", help="filnamn (standard: budget-SLUG-ÅR.FORMAT)")

    def handle(
        self,
        *args,
        association: str,
        year: int | None,
        budget: int | None,
        format: str,
        output: str | None,
        **options,
    ):
        assoc = association_from(association)
        choice, chosen = budget_from(assoc, year, budget)
        if note := choice_note(choice):
            self.stderr.write(note)
        view = selectors.budget_view(budget=chosen)
        path = output or f"budget-{assoc.slug}-{chosen.budget_year}.{format}"
        if format == "csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                fh.write(xlsx.write_budget_csv(view, chosen.printed_unit))
        else:
            with open(path, "wb") as fh:
                fh.write(
                    xlsx.write_budget_xlsx(
                        title=chosen.title,
                        budget_year=chosen.budget_year,
                        view=view,
                        unit=chosen.printed_unit,
                    )
                )
        self.stdout.write(self.style.SUCCESS(f"Skrev {path} ({chosen})"))
