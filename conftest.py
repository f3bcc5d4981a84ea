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
