"""The home page × every role: each role of the association reads it; a stranger gets 404 and a
visitor who is not logged in is sent to the login; nothing of another association shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from finsam.funding.tests.factories import submitted
from finsam.organisation.models import Role
from finsam.organisation.tests.factories import UserFactory, user_with_role

pytestmark = pytest.mark.django_db


def url(association) -> str:
    return reverse("dashboard:home", args=[association.slug])


def test_not_logged_in_is_sent_to_the_login(client, association):
    response = client.get(url(association))
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/logga-in/")


def test_a_user_without_a_role_in_the_association_gets_404(client, association, other_association):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    assert client.get(url(association)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(url(association)).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_every_role_reads_its_home_page_and_nothing_foreign(
    client, association, other_association, role
):
    submitted(other_association, fields={"title": "Främmande ansökan"})
    user = user_with_role(association, role)
    user_with_role(other_association, role)  # the other association has its own people
    client.force_login(user)
    response = client.get(url(association))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Väntar på dig" in body
    assert "Samordningsförbundet Annat" not in body
    assert "Främmande ansökan" not in body
    assert "Annanstads kommun" not in body
