"""python manage.py load_indicator_instrument FILE [--forening SLUG]

Loads an indicator instrument file (docs/indicators.md). Without --forening it is installation-wide:
every association uses it. A bad file is refused with every problem listed, and nothing is saved."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from finsam.core.actors import SYSTEM
from finsam.indicators.loader import parse_instrument
from finsam.indicators.services import instrument_load
from finsam.organisation.models import Association


class Command(BaseCommand):
    help = "Läser in ett indikatorinstrument (JSON, se docs/indicators.md)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--forening", help="förbundets kortnamn (slug); utan: för hela installationen"
        )

    def handle(self, *args, file: Path, forening: str | None = None, **options) -> None:
        association = None
        if forening:
            association = Association.objects.filter(slug=forening).first()
            if association is None:
                raise CommandError(f"Förbundet {forening!r} finns inte.")
        try:
            raw = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Filen kan inte läsas: {error}") from None
        try:
            instrument = instrument_load(
                data=parse_instrument(raw), association=association, by=SYSTEM
            )
        except ValidationError as error:
            raise CommandError(
                "Filen lästes inte in (inget sparades):\n"
                + "\n".join(f"  – {m}" for m in error.messages)
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Inläst: {instrument} med {instrument.indicators.count()} indikatorer och "
                f"{instrument.questionnaires.count()} enkäter."
            )
        )
