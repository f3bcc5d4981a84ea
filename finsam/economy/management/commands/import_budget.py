from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from finsam.core.actors import SYSTEM
from finsam.economy import selectors, services, xlsx
from finsam.economy.management.commands._budget_args import association_from
from finsam.economy.statements import describe


class Command(BaseCommand):
    help = "Importerar en budget från en XLSX-fil i budgetmallens layout (som en ny version)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--association", required=True)

    def handle(self, *args, file: str, association: str, **options):
        assoc = association_from(association)
        try:
            spec = xlsx.read_budget_xlsx(Path(file).read_bytes())
            budget = services.budget_create(association=assoc, spec=spec, by=SYSTEM)
        except FileNotFoundError:
            raise CommandError(f"Filen finns inte: {file}") from None
        except ValidationError as error:
            raise CommandError(
                "Budgeten importerades inte:\n" + "\n".join(error.messages)
            ) from None
        view = selectors.budget_view(budget=budget)
        self.stdout.write(self.style.SUCCESS(f"Importerade {budget} med {len(view.lines)} rader."))
        for d in view.discrepancies:
            self.stdout.write(f"AVVIKELSE: {describe(d)}")
