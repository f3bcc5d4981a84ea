"""Every module here reads the three seed associations of the loaded demo."""

import pytest

from finsam.demo.tests.loaded import demo_for_the_package
from finsam.organisation.models import Association


@pytest.fixture(scope="package")
def _demo_loaded(django_db_setup, django_db_blocker):
    yield from demo_for_the_package(django_db_blocker)


@pytest.fixture
def demo(_demo_loaded, db):
    """{slug: Association} of the loaded demo."""
    return {a.slug: a for a in Association.objects.order_by("slug")}
