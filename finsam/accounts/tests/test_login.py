"""Logging in and out, and choosing the interface language."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from finsam.organisation.models import Role
from finsam.organisation.tests.factories import UserFactory, user_with_role

LOGIN = "/konto/logga-in/"
LOGOUT = "/konto/logga-ut/"
PASSWORD = "hemligt-lösen-123"  # set by UserFactory


@pytest.fixture
def user(association):
    return user_with_role(association, Role.OFFICE, username="karin.kansli")


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_urls_are_the_swedish_ones():
    assert reverse("accounts:login") == LOGIN
    assert reverse("accounts:logout") == LOGOUT


def test_login_page_is_in_swedish(client, db):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="sv">' in html
    assert "Logga in i Finsam" in html
    assert "Användarnamn" in html and "Lösenord" in html


def test_wrong_password_shows_swedish_error_and_does_not_log_in(client, user):
    response = client.post(LOGIN, {"login": "karin.kansli", "password": "fel-lösen"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Fel användarnamn eller lösenord." in html
    assert "skiljer på stora och små bokstäver" in html
    assert 'value="karin.kansli"' in html  # the username is kept, the password is not
    assert "fel-lösen" not in html
    assert not logged_in(client)


def test_unknown_user_gets_the_same_error(client, user):
    response = client.post(LOGIN, {"login": "finns.inte", "password": PASSWORD})
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    assert not logged_in(client)


def test_empty_form_shows_swedish_required_errors(client, db):
    response = client.post(LOGIN, {"login": "", "password": ""})
    assert response.content.decode().count("Detta fält måste fyllas i.") == 2
    assert not logged_in(client)


def test_correct_login_redirects_to_the_pick_page(client, user, association):
    response = client.post(LOGIN, {"login": "karin.kansli", "password": PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("organisation:pick") == "/"
    assert logged_in(client)
    # With one association the pick page goes straight on to it.
    response = client.get(response.url, follow=True)
    assert response.redirect_chain[-1][0] == f"/f/{association.slug}/"
    assert association.name in response.content.decode()
    assert "Logga ut" in response.content.decode()


def test_login_follows_next_within_the_site(client, user, association):
    target = f"/f/{association.slug}/medlemmar/"
    response = client.get(target)
    assert response.url == f"{LOGIN}?next={target}"
    response = client.post(LOGIN, {"login": "karin.kansli", "password": PASSWORD, "next": target})
    assert response.status_code == 302
    assert response.url == target


def test_login_ignores_next_to_another_site(client, user):
    response = client.post(
        LOGIN,
        {"login": "karin.kansli", "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_logged_in_user_is_sent_on_from_login_page(client, user):
    client.force_login(user)
    response = client.get(LOGIN)
    assert response.status_code == 302
    assert response.url == "/"


def test_inactive_user_cannot_log_in(client, association):
    user_with_role(association, Role.OFFICE, username="slutat", is_active=False)
    response = client.post(LOGIN, {"login": "slutat", "password": PASSWORD})
    assert response.status_code == 200
    assert "Fel användarnamn eller lösenord." in response.content.decode()
    assert not logged_in(client)


def test_language_switch_to_english_and_back(client, user):
    response = client.post("/i18n/setlang/", {"language": "en", "next": LOGIN})
    assert response.status_code == 302
    assert response.url == LOGIN
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"

    html = client.get(LOGIN).content.decode()
    assert '<html lang="en">' in html
    # The switch now offers Swedish instead of English.
    assert 'name="language" value="sv"' in html
    assert 'name="language" value="en"' not in html
    # Django's own messages follow the language.
    html = client.post(LOGIN, {"login": "", "password": ""}).content.decode()
    assert "This field is required." in html
    assert "Detta fält måste fyllas i." not in html

    client.post("/i18n/setlang/", {"language": "sv", "next": LOGIN})
    html = client.get(LOGIN).content.decode()
    assert '<html lang="sv">' in html
    assert 'name="language" value="en"' in html


def test_language_switch_keeps_the_user_on_the_same_page(client, user, association):
    client.force_login(user)
    page = f"/f/{association.slug}/styrelse/"
    response = client.post("/i18n/setlang/", {"language": "en", "next": page})
    assert response.url == page
    html = client.get(page).content.decode()
    assert '<html lang="en">' in html
    assert association.name in html


def test_unsupported_language_is_ignored(client, db):
    client.post("/i18n/setlang/", {"language": "de", "next": LOGIN})
    assert '<html lang="sv">' in client.get(LOGIN).content.decode()


def test_logout_by_post_ends_the_session(client, user, association):
    client.force_login(user)
    home = f"/f/{association.slug}/"
    assert "Logga ut" in client.get(home).content.decode()

    response = client.post(LOGOUT)
    assert response.status_code == 302
    assert response.url == LOGIN
    assert not logged_in(client)
    response = client.get(home)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_logout_by_get_is_refused_and_keeps_the_session(client, user):
    client.force_login(user)
    response = client.get(LOGOUT)
    assert response.status_code == 405
    assert logged_in(client)


def test_session_of_another_user_is_not_reused_after_logout(client, association):
    first = user_with_role(association, Role.OFFICE, username="forsta")
    second = UserFactory(username="andra")  # no association
    client.force_login(first)
    client.post(LOGOUT)
    client.post(LOGIN, {"login": "andra", "password": PASSWORD})
    html = client.get("/").content.decode()
    assert "Du har ännu ingen behörighet i något förbund" in html
    assert association.name not in html
    assert str(second) in html
