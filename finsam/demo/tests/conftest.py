import pytest

from finsam.demo.tests.loaded import demo_for_the_package


@pytest.fixture(scope="package")
def _demo_loaded(django_db_setup, django_db_blocker):
    yield from demo_for_the_package(django_db_blocker)
