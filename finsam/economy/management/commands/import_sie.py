from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from finsam.core.actors import SYSTEM
from finsam.economy import ledger
from finsam.economy.management.commands._budget_args import association_from


class Command(BaseCommand):
    help = "Importerar bokföring från en SIE 4-fil (4E/4I). Samma fil igen ändrar ingenting."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--association", required=True)

    def handle(self, *args, file: str, association: str, **options):
        assoc = association_from(association)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Filen finns inte: {file}")

        def progress(rows: int) -> None:
            self.stderr.write(f"\r  {rows:,} transaktioner …".replace(",", " "), ending="")

        try:
            with path.open("rb") as fp:
                outcome = ledger.sie_import(
                    association=assoc, fp=fp, file_name=path.name, by=SYSTEM, progress=progress
                )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stderr.write("")
        imp = outcome.ledger_import
        if outcome.unchanged:
            self.stdout.write(f"{path.name} är redan importerad; ingenting ändrades.")
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Importerade {imp.voucher_count} verifikationer och {imp.transaction_count} "
                f"transaktioner för {imp.fiscal_year_start:%Y}"
                + (f" (ersatte {outcome.replaced} tidigare import)" if outcome.replaced else "")
            )
        )
