"""Helpers for the home page's tests: the work list as the page shows it."""

from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def home(client):
    """home(association) -> (response, {group key: WorkGroup}) for the logged-in user."""

    def _get(association, **query):
        response = client.get(reverse("dashboard:home", args=[association.slug]), query)
        assert response.status_code == 200
        return response, {g.key: g for g in response.context["work_list"]}

    return _get
