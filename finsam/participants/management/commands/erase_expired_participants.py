"""Scheduled erasure: `python manage.py erase_expired_participants --years 5` (see README)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from finsam.participants.services import erase_expired


class Command(BaseCommand):
    help = (
        "Raderar personuppgifter för deltagare vars senaste deltagande avslutades för mer än N år "
        "sedan. Anonym statistik finns kvar."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--years", type=int, required=True, help="År efter avslut (minst 1).")

    def handle(self, *args, years: int, **options) -> None:
        if years < 1:
            raise CommandError("--years måste vara minst 1.")
        count = erase_expired(years=years)
        self.stdout.write(f"Raderade personuppgifter för {count} deltagare.")
