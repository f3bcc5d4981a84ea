from django.core.management.base import BaseCommand

from finsam.economy import selectors, xlsx
from finsam.economy.management.commands._budget_args import association_from, budget_for_year


class Command(BaseCommand):
    help = "Exporterar en budget till XLSX (samma layout som mallen) eller CSV."

    def add_arguments(self, parser):
        parser.add_argument("--association", required=True)
        parser.add_argument("--year", type=int, required=True)
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", help="filnamn (standard: budget-SLUG-ÅR.FORMAT)")

    def handle(
        self, *args, association: str, year: int, format: str, output: str | None, **options
    ):
        assoc = association_from(association)
        budget = budget_for_year(assoc, year)
        view = selectors.budget_view(budget=budget)
        path = output or f"budget-{assoc.slug}-{year}.{format}"
        if format == "csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                fh.write(xlsx.write_budget_csv(view, budget.printed_unit))
        else:
            with open(path, "wb") as fh:
                fh.write(
                    xlsx.write_budget_xlsx(
                        title=budget.title,
                        budget_year=budget.budget_year,
                        view=view,
                        unit=budget.printed_unit,
                    )
                )
        self.stdout.write(self.style.SUCCESS(f"Skrev {path}"))
