"""Count the statistics summary for the register as it stands (services.statistics_summary)."""

from django.db import migrations


def build(apps, schema_editor):
    # Nothing to count in a new database: the services keep the summary from the first write.
    if not apps.get_model("participants", "Enrolment").objects.exists():
        return
    # The summary's own counting (the models of today): a later migration that changes the
    # register's columns must run before this one counts, or rebuild afterwards
    # (`manage.py rebuild_participant_statistics`).
    from finsam.participants.services import statistics_summary

    statistics_summary.rebuild()


def unbuild(apps, schema_editor):
    apps.get_model("participants", "StatisticsCount").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("participants", "0002_statistics_count")]

    operations = [migrations.RunPython(build, unbuild)]
