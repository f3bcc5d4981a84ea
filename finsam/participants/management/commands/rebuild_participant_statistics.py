"""`python manage.py rebuild_participant_statistics [--association SLUG] [--check]`.

Recounts the register's statistics summary (services.statistics_summary) from the register:
after a bulk load that bypassed the services. `--check` only compares and exits 1 on any
difference (see docs/participants-statistics.md).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from finsam.organisation.models import Association
from finsam.participants.services import statistics_summary


class Command(BaseCommand):
    help = (
        "Räknar om deltagarregistrets statistiksammanställning från registret (efter "
        "massinläsning). Med --check jämförs bara, och kommandot avslutas med 1 vid skillnad."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--association", metavar="SLUG", help="Bara detta förbund.")
        parser.add_argument(
            "--check", action="store_true", help="Jämför bara; skriv skillnaderna, ändra inget."
        )

    def handle(self, *args, association: str | None, check: bool, **options) -> None:
        chosen = None
        if association:
            chosen = Association.objects.filter(slug=association).first()
            if chosen is None:
                raise CommandError(f"Inget förbund med kortnamnet {association!r}.")
        if check:
            differences = statistics_summary.differences(chosen)
            for key, stored, counted in differences[:50]:
                self.stdout.write(f"{key}: sparat {stored}, räknat {counted}")
            if differences:
                raise CommandError(
                    f"{len(differences)} skillnader mellan sammanställningen och registret."
                )
            self.stdout.write("Sammanställningen stämmer med registret.")
            return
        rows = statistics_summary.rebuild(chosen)
        self.stdout.write(f"Statistiken räknades om: {rows} rader.")
