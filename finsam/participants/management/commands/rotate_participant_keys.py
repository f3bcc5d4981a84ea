"""Key rotation: `python manage.py rotate_participant_keys [--dry-run]` (docs/operations.md).

Re-encrypts every participant's name and contact details with the first key of
PARTICIPANT_ENCRYPTION_KEYS. Idempotent (tokens already on the first key are left alone), one
transaction per batch, and it never prints clear data: only counts and participant references.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from finsam.participants.keys import KeyRotationError, rotate_participant_keys


class Command(BaseCommand):
    help = (
        "Krypterar om deltagarnas namn och kontaktuppgifter med den första (nyaste) nyckeln i "
        "PARTICIPANT_ENCRYPTION_KEYS. Kan köras flera gånger."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Räkna bara hur många uppgifter som skulle krypteras om; inget sparas.",
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Deltagare per transaktion (standard 500)."
        )

    def handle(self, *args, dry_run: bool, batch_size: int, **options) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size måste vara minst 1.")

        def progress(batch) -> None:
            self.stdout.write(
                f"Omgång {batch.number}: {batch.participants} deltagare, "
                f"{batch.rotated} uppgifter {'att kryptera om' if dry_run else 'omkrypterade'}."
            )

        try:
            summary = rotate_participant_keys(
                batch_size=batch_size, dry_run=dry_run, progress=progress
            )
        except KeyRotationError as exc:
            raise CommandError(str(exc)) from None
        verb = "skulle krypteras om" if dry_run else "omkrypterade"
        self.stdout.write(
            self.style.SUCCESS(
                f"Klart{' (provkörning, inget sparat)' if dry_run else ''}: "
                f"{summary.participants} deltagare med krypterade uppgifter, "
                f"{summary.rotated} uppgifter {verb}, {summary.current} redan på den nyaste "
                f"nyckeln, {summary.batches} omgångar."
            )
        )
