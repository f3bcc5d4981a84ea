"""`python manage.py restore FILE [--yes]` (docs/operations.md, "Backup and restore").

Overwrites the configured database with a backup made by `manage.py backup`. Without --yes it
asks first; when nobody can answer (stdin is not a terminal) it says what it would overwrite and
stops with exit status 1.
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finsam.core.backup import BackupError, check_restorable, describe_database, restore_database

YES = {"ja", "j", "yes", "y"}


class Command(BaseCommand):
    help = (
        "Återställer databasen från en säkerhetskopia gjord med `manage.py backup`. ALLT i den "
        "konfigurerade databasen ersätts."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="Säkerhetskopian (.sqlite3 eller .dump).")
        parser.add_argument(
            "--yes", action="store_true", help="Fråga inte; skriv över databasen direkt."
        )
        parser.add_argument(
            "--database", default="default", help="Databasalias (standard default)."
        )

    def handle(self, *args, file: str, yes: bool, database: str, **options) -> None:
        stdin = options.get("stdin", sys.stdin)
        path = Path(file)
        try:
            check_restorable(path, alias=database)
            target = describe_database(database)
            if not yes:
                self._confirm(stdin, path, target)
            restore_database(path, alias=database)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"Säkerhetskopian kunde inte läsas: {exc}") from None
        self.stdout.write(self.style.SUCCESS(f"{target} är återställd från {path}."))

    def _confirm(self, stdin, path: Path, target: str) -> None:
        warning = f"Återställningen skriver över {target} med innehållet i {path}."
        if not (stdin and stdin.isatty()):
            self.stderr.write(warning)
            raise CommandError(
                "Ingen terminal att bekräfta i: kör med --yes för att återställa. Inget ändrades."
            )
        self.stdout.write(warning)
        self.stdout.write("Allt som har ändrats sedan säkerhetskopian gjordes går förlorat.")
        self.stdout.write("Skriv 'ja' för att fortsätta: ", ending="")
        self.stdout.flush()
        answer = stdin.readline().strip().lower()
        if answer not in YES:
            raise CommandError("Avbrutet. Inget ändrades.")
