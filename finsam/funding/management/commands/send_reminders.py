"""Daily e-mail reminders about status reports: `python manage.py send_reminders` (from cron).

Safe to run more than once a day: what was sent is remembered (ReminderSent), see
finsam.funding.services.reminders_send for who gets what and when a reminder is repeated.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from finsam.funding.services import REMINDER_DAYS_AHEAD, reminders_send


class Command(BaseCommand):
    help = "Skickar påminnelser om rapporter som snart ska lämnas eller är försenade."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--days",
            type=int,
            default=REMINDER_DAYS_AHEAD,
            help=f"Påminn om rapporter som ska lämnas inom så många dagar (standard "
            f"{REMINDER_DAYS_AHEAD}).",
        )
        parser.add_argument("--date", help="Kör som om det vore detta datum (ÅÅÅÅ-MM-DD).")
        parser.add_argument(
            "--base-url",
            default=getattr(settings, "FINSAM_BASE_URL", "http://localhost:8000"),
            help="Adressen till Finsam i länkarna i e-posten.",
        )

    def handle(self, *args, **options) -> None:
        if options["days"] < 0:
            raise CommandError("--days kan inte vara negativt.")
        today = timezone.localdate()
        if options["date"]:
            try:
                today = dt.date.fromisoformat(options["date"])
            except ValueError as exc:
                raise CommandError("--date ska vara ett datum som 2021-07-20.") from exc
        sent = reminders_send(today=today, days_ahead=options["days"], base_url=options["base_url"])
        self.stdout.write(f"{len(sent)} påminnelser skickade ({today.isoformat()}).")
