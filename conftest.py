"""Shared pytest fixtures. Browser fixtures for Debian's Chromium live in e2e/conftest.py."""

import pytest

from finsam.organisation.models import Role
from finsam.organisation.tests.factories import association_with_members, user_with_role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Login rate limits and used TOTP codes live in the cache: no test inherits another's."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def association(db):
    return association_with_members(
        name="Samordningsförbundet Västra Testdalen",
        slug="vastra-testdalen",
        municipalities={"Köpings kommun": "50", "Arboga kommun": "30", "Kungsörs kommun": "20"},
    )


@pytest.fixture
def other_association(db):
    return association_with_members(
        name="Samordningsförbundet Annat", slug="annat", municipalities={"Annanstads kommun": "1"}
    )


@pytest.fixture
def login_as(client, association):
    """login_as(role) -> the logged-in user, with that role in `association`."""

    def _login(role: Role, in_association=None):
        user = user_with_role(in_association or association, role)
        client.force_login(user)
        return user

    return _login


DATABASE_FIXTURES = (
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
)


def uses_database(item) -> bool:
    fixtures = getattr(item, "fixturenames", ())
    return item.get_closest_marker("django_db") is not None or any(
        name in fixtures for name in DATABASE_FIXTURES
    )


def pytest_collection_modifyitems(config, items):
    """`make test-postgres` sets FINSAM_TEST_DATABASE_ONLY: a test that never touches the
    database (a pure rule, a parser, a Hypothesis property of a function) gives the same result
    on every database, and it has already run in the SQLite stage, so it is left out there."""
    import os

    if not os.environ.get("FINSAM_TEST_DATABASE_ONLY"):
        return
    keep = [item for item in items if uses_database(item)]
    if len(keep) != len(items):
        config.hook.pytest_deselected(items=[item for item in items if not uses_database(item)])
        items[:] = keep
