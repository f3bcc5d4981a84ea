"""Uppföljning Finsam for one association and calendar year as XLSX or CSV (docs/uppfoljning-finsam.md).

Acts for the system (an operator at the server): every intervention of the association, the
budget the board adopted for the year and the ledger's actual up to 31 December."""

from django.core.management.base import BaseCommand, CommandError

from finsam.core.actors import SYSTEM
from finsam.insights import national
from finsam.organisation.models import Association


class Command(BaseCommand):
    help = "Exporterar Uppföljning Finsam (per insats och kalenderår) till XLSX eller CSV."

    def add_arguments(self, parser):
        parser.add_argument("--association", required=True, help="förbundets kortnamn (slug)")
        parser.add_argument("--year", required=True, type=int, help="kalenderår ÅÅÅÅ")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument(
            "--output", help="filnamn (standard: uppfoljning-finsam-SLUG-ÅR.FORMAT)"
        )

    def handle(self, *args, association, year, format, output, **options):
        assoc = Association.objects.filter(slug=association).first()
        if assoc is None:
            raise CommandError(f"Inget förbund med kortnamnet ”{association}”.")
        if not 2004 <= year <= 2100:
            raise CommandError(f"”{year}” är inget rimligt år; skriv det som 2024.")
        content = national.uppfoljning_file(user=SYSTEM, association=assoc, year=year, fmt=format)
        path = output or f"uppfoljning-finsam-{assoc.slug}-{year}.{format}"
        with open(path, "wb") as fh:
            fh.write(content)
        self.stdout.write(self.style.SUCCESS(f"Skrev {path}"))
