"""`python manage.py backup [--output FILE] [--media]` (docs/operations.md, "Backup and restore")."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from finsam.core.backup import BackupError, Written, backup_database, backup_media, media_output


def human_size(size: int) -> str:
    """1536 -> '1,5 kB' (Swedish decimal comma)."""
    if size < 1024:
        return f"{size} B"
    value = size / 1024
    for unit in ("kB", "MB"):
        if value < 1024:
            return f"{value:.1f} {unit}".replace(".", ",")
        value /= 1024
    return f"{value:.1f} GB".replace(".", ",")


class Command(BaseCommand):
    help = (
        "Säkerhetskopierar databasen medan webbplatsen är igång: SQLite med online-backup, "
        "PostgreSQL med pg_dump (custom-format). Standard: var/backups/finsam-<motor>-<tid>."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--output", help="Filen att skriva (standard var/backups/finsam-<motor>-<tid>...)."
        )
        parser.add_argument(
            "--media",
            action="store_true",
            help="Skriv också en .tar.gz av MEDIA_ROOT (uppladdade filer) bredvid.",
        )
        parser.add_argument(
            "--database", default="default", help="Databasalias (standard default)."
        )

    def handle(self, *args, output: str | None, media: bool, database: str, **options) -> None:
        try:
            written = backup_database(Path(output) if output else None, alias=database)
            self._report("Databasen säkerhetskopierad", written)
            if media:
                archive = backup_media(media_output(written.path))
                if archive is None:
                    self.stdout.write("MEDIA_ROOT finns inte; inga uppladdade filer att kopiera.")
                else:
                    self._report("Uppladdade filer (MEDIA_ROOT) kopierade", archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except OSError as exc:
            raise CommandError(f"Säkerhetskopian kunde inte skrivas: {exc}") from None

    def _report(self, what: str, written: Written) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"{what}: {written.path} ({human_size(written.size)})")
        )
