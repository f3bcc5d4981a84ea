"""The demo, loaded once per test module: the kinds read the three seed associations' data."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from finsam.organisation.models import Association


@pytest.fixture(scope="module")
def _demo_loaded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("load_demo", stdout=io.StringIO())
    yield
    with django_db_blocker.unblock():
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def demo(_demo_loaded, db):
    """{slug: Association} of the loaded demo."""
    return {a.slug: a for a in Association.objects.order_by("slug")}
