"""Report identity numbers already stored outside the participant register (#12).

Scans every text column of every Finsam model (JSON columns too, such as the audit log's before
and after), except the participant register's own tables, which hold identity numbers only as a
keyed hash. Prints where — model, row id, field — never the number. Exit status 1 when something
is found, so that a scheduled run can alert.
"""

from __future__ import annotations

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import models

from finsam.core.identity_numbers import contains_identity_number

REGISTER_APPS = {"participants"}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField)


def _texts(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for v in value.values():
            yield from _texts(v)
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _texts(v)


def findings():
    """(model label, pk, field name) for every stored value that holds an identity number."""
    for model in apps.get_models():
        if not model.__module__.startswith("finsam.") or model._meta.app_label in REGISTER_APPS:
            continue
        fields = [f.name for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._default_manager.values_list("pk", *fields).iterator(chunk_size=2000):
            pk, values = row[0], row[1:]
            for name, value in zip(fields, values, strict=True):
                if any(contains_identity_number(text) for text in _texts(value)):
                    yield model._meta.label, pk, name


class Command(BaseCommand):
    help = "Report personal identity numbers stored outside the participant register."

    def handle(self, *args, **options):
        found = list(findings())
        for label, pk, field in found:
            self.stdout.write(f"{label} id={pk} field={field}")
        if found:
            raise CommandError(
                f"{len(found)} stored value(s) hold a personal identity number; remove them."
            )
        self.stdout.write("Inga personnummer hittades utanför deltagarregistret.")
