"""The board's follow-up table for a cut-off date as XLSX or CSV: exactly the page's rows.

The budget is the one the board adopted for the cut-off's year unless --budget ID chooses another."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from finsam.economy import follow_up_xlsx, selectors
from finsam.economy.follow_up import build_follow_up
from finsam.economy.management.commands._budget_args import (
    association_from,
    budget_from,
    choice_note,
)


class Command(BaseCommand):
    help = "Exporterar uppföljningen per ett brytdatum till XLSX eller CSV (samma rader som sidan)."

    def add_arguments(self, parser):
        parser.add_argument("--association", required=True, help="förbundets kortnamn (slug)")
        parser.add_argument("--date", required=True, help="brytdatum ÅÅÅÅ-MM-DD")
        parser.add_argument("--budget", type=int, metavar="ID", help="en annan budget (id)")
        parser.add_argument("--format", choices=["xlsx", "csv"], default="xlsx")
        parser.add_argument("--output", help="filnamn (standard: uppfoljning-SLUG-DATUM.FORMAT)")

    def handle(self, *args, association, date, budget, format, output, **options):
        assoc = association_from(association)
        try:
            cutoff = dt.date.fromisoformat(date)
        except ValueError:
            raise CommandError(f"”{date}” är inget datum; skriv det som 2021-06-30.") from None
        choice, chosen = budget_from(assoc, cutoff.year, budget)
        if note := choice_note(choice):
            self.stderr.write(note)
        report = build_follow_up(
            association=assoc, view=selectors.budget_view(budget=chosen), cutoff=cutoff
        )
        if report.column_note:
            self.stderr.write(f"OBS: {report.column_note}")
        path = output or f"uppfoljning-{assoc.slug}-{cutoff:%Y-%m-%d}.{format}"
        if format == "csv":
            with open(path, "w", encoding="utf-8-sig", newline="") as fh:
                fh.write(follow_up_xlsx.write_follow_up_csv(report))
        else:
            with open(path, "wb") as fh:
                fh.write(
                    follow_up_xlsx.write_follow_up_xlsx(
                        association_name=assoc.name, budget=chosen, report=report
                    )
                )
        self.stdout.write(self.style.SUCCESS(f"Skrev {path} ({chosen})"))
