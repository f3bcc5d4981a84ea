from django.core.management.base import BaseCommand

from finsam.economy import jobs


class Command(BaseCommand):
    help = (
        "Kör SIE-importer som laddats upp i webbläsaren och väntar (FINSAM_JOB_RUNNER=command), "
        "och markerar importer som avbröts när processen stoppades som misslyckade. Säkert att "
        "köra varje minut från cron."
    )

    def handle(self, *args, **options):
        stale = jobs.recover_stale_jobs()
        if stale:
            self.stdout.write(f"{stale} avbrutna importer markerade som misslyckade.")
        for job in jobs.run_queued_jobs():
            self.stdout.write(f"{job.file_name}: {job.get_status_display()} {job.message}".strip())
