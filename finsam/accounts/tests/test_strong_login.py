"""Strong login: the second factor, who must have one, lockout after failed logins, password
reset by e-mail. Real requests through allauth's login (no force_login where the login is what
is tested)."""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.urls import reverse

from finsam.accounts.models import User
from finsam.organisation.audit import Event
from finsam.organisation.models import AuditEvent, Membership, Role
from finsam.organisation.second_factor import second_factor_required
from finsam.organisation.tests.factories import (
    TEST_TOTP_SECRET,
    UserFactory,
    totp_code,
    user_with_role,
)

LOGIN = "/konto/logga-in/"
PASSWORD = "hemligt-lösen-123"  # set by UserFactory


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def password_login(client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"login": username, "password": password})


def without_factor(association, role: Role, **kwargs) -> User:
    """A user with `role` but no authenticator (as after an invitation, before setting it up)."""
    user = UserFactory(**kwargs)
    Membership.objects.create(user=user, association=association, role=role)
    return user


# --- who must have a second factor -------------------------------------------------------------


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_roles_that_read_participant_data_require_a_second_factor(association, role):
    user = without_factor(association, role)
    assert second_factor_required(user) is (role in {Role.STAFF, Role.PRIVACY})


def test_installation_administrators_require_a_second_factor(db):
    assert second_factor_required(UserFactory(is_installation_admin=True))
    assert not second_factor_required(UserFactory())


def test_an_association_can_require_it_of_everyone(association, other_association):
    board = without_factor(association, Role.BOARD)
    assert not second_factor_required(board)
    association.require_second_factor = True
    association.save()
    assert second_factor_required(board)
    # Another association's setting does not reach its users.
    assert not second_factor_required(without_factor(other_association, Role.BOARD))


@pytest.mark.parametrize("role", [Role.STAFF, Role.PRIVACY])
def test_a_user_without_the_required_factor_is_sent_to_set_one_up(client, association, role):
    user = without_factor(association, role)
    response = password_login(client, user.username)
    assert response.status_code == 302 and logged_in(client)  # the password was right
    home = reverse("dashboard:home", args=[association.slug])
    response = client.get(home)
    assert response.status_code == 302
    assert response.url == reverse("mfa_index")
    page = client.get(response.url).content.decode()
    assert "aktivera tvåstegsverifiering" in page  # the message says why, in Swedish
    # htmx requests are redirected the same way, in a header htmx follows.
    response = client.get(home, headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == reverse("mfa_index")


def test_setting_up_an_authenticator_app_opens_the_pages(client, association):
    user = without_factor(association, Role.STAFF)
    password_login(client, user.username)
    # Adding a factor asks for the password again (a borrowed session cannot add its own).
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_reauthenticate"))
    response = client.post(response.url, {"password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("mfa_activate_totp")).content.decode()
    assert "Aktivera en autentiseringsapp" in page
    secret = re.search(r'id="authenticator_secret" value="([A-Z2-7]+)"', page).group(1)

    wrong = client.post(reverse("mfa_activate_totp"), {"code": "000000"})
    assert wrong.status_code == 200
    assert not Authenticator.objects.filter(user=user, type="totp").exists()

    response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=user, type="totp").exists()
    assert client.get(reverse("dashboard:home", args=[association.slug])).status_code == 200


def test_a_role_without_the_requirement_is_not_stopped(client, association):
    user = without_factor(association, Role.BOARD)
    password_login(client, user.username)
    assert client.get(reverse("dashboard:home", args=[association.slug])).status_code == 200


def test_the_association_setting_stops_its_office_until_a_factor_is_set(client, association):
    user = without_factor(association, Role.OFFICE)
    association.require_second_factor = True
    association.save()
    password_login(client, user.username)
    response = client.get(reverse("organisation:members", args=[association.slug]))
    assert response.status_code == 302 and response.url == reverse("mfa_index")


# --- logging in with the second factor ------------------------------------------------------------


def test_login_asks_for_the_code_and_accepts_the_right_one(client, association):
    user = user_with_role(association, Role.STAFF, username="ingrid.insats")
    response = password_login(client, "ingrid.insats")
    assert response.status_code == 302
    assert response.url == reverse("mfa_authenticate")
    assert not logged_in(client)  # the password alone is not enough
    page = client.get(response.url).content.decode()
    assert "sexsiffriga koden" in page

    response = client.post(reverse("mfa_authenticate"), {"code": "123456"})
    assert response.status_code == 200 and not logged_in(client)
    assert "Felaktig kod" in response.content.decode()

    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(TEST_TOTP_SECRET)})
    assert response.status_code == 302 and logged_in(client)
    assert int(client.session["_auth_user_id"]) == user.pk


# --- failed logins: lockout per account and per address, audited --------------------------------------


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client, association):
    user_with_role(association, Role.OFFICE, username="karin.kansli")
    for _ in range(5):
        body = password_login(client, "karin.kansli", "fel-lösen").content.decode()
        assert "Fel användarnamn eller lösenord." in body
    response = password_login(client, "karin.kansli")
    body = response.content.decode()
    assert response.status_code == 200 and not logged_in(client)
    assert "För många misslyckade inloggningsförsök: inloggningen är spärrad i 15 minuter." in body

    failed = AuditEvent.objects.filter(association=association, event=Event.LOGIN_FAILED)
    assert failed.count() == 5
    assert failed.first().after == {"login": "karin.kansli", "address": "127.0.0.1"}
    assert AuditEvent.objects.filter(
        association=association, event=Event.LOGIN_LOCKED_OUT, actor_name="karin.kansli"
    ).exists()
    # Another account is not locked by this one's failures.
    user_with_role(association, Role.BOARD, username="stina.styrelse")
    assert password_login(client, "stina.styrelse").status_code == 302


def test_twenty_failures_from_one_address_lock_that_address(client, association):
    user_with_role(association, Role.BOARD, username="stina.styrelse")
    for i in range(20):
        password_login(client, f"gissning{i}", "fel")  # under five per name
    response = password_login(client, "stina.styrelse")
    assert not logged_in(client)
    assert "För många misslyckade inloggningsförsök" in response.content.decode()
    # From another address the account still logs in.
    response = client.post(
        LOGIN, {"login": "stina.styrelse", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3"
    )
    assert response.status_code == 302 and logged_in(client)


def test_failed_logins_read_as_sentences_in_the_audit_log(client, association):
    user_with_role(association, Role.BOARD, username="stina.styrelse")
    password_login(client, "stina.styrelse", "fel-lösen")
    office = user_with_role(association, Role.OFFICE)
    client.force_login(office)
    body = client.get(reverse("oversight:audit", args=[association.slug])).content.decode()
    assert "Misslyckad inloggning som stina.styrelse från 127.0.0.1 den " in body


# --- password reset by e-mail -------------------------------------------------------------------


def test_password_reset_by_e_mail(client, association):
    user_with_role(association, Role.BOARD, username="stina", email="stina@example.se")
    page = client.get(LOGIN).content.decode()
    assert reverse("account_reset_password") in page and "Glömt lösenordet?" in page

    response = client.post(reverse("account_reset_password"), {"email": "stina@example.se"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+/konto/password/reset/key/\S+/", mail.outbox[0].body).group(0)
    response = client.get(link.split("testserver", 1)[-1], follow=True)
    form_url = response.redirect_chain[-1][0]
    new = "ett-nytt-långt-lösen-42"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    assert password_login(client, "stina", new).status_code == 302 and logged_in(client)


# --- the demo -----------------------------------------------------------------------------------


def test_demo_users_log_in_with_the_printed_password_and_key(client, db):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    printed = out.getvalue()
    secret = re.search(r"nyckel för autentiseringsapp ([A-Z2-7]{32})", printed).group(1)
    assert "installation" in printed and "insats" in printed.split("Tvåstegsverifiering för")[1]

    # A role without the requirement: the password alone.
    assert password_login(client, "kansli", "finsam-demo").url == "/"
    client.post("/konto/logga-ut/")
    # Staff: the password, then a code from the printed key.
    response = password_login(client, "insats", "finsam-demo")
    assert response.url == reverse("mfa_authenticate")
    response = client.post(response.url, {"code": totp_code(secret)})
    assert response.status_code == 302 and logged_in(client)
    assert client.get(reverse("participants:index", args=["kramfors"])).status_code == 200
    admin = User.objects.get(username="installation")
    assert admin.is_installation_admin and not admin.is_superuser


def test_allauths_pages_wear_finsams_layout_in_swedish(client, association):
    anonymous_pages = [reverse("account_reset_password"), LOGIN]
    for url in anonymous_pages:
        html = client.get(url).content.decode()
        assert '<html lang="sv">' in html and 'class="brand"' in html, url
    user = user_with_role(association, Role.STAFF)
    client.force_login(user)
    for name in ("mfa_index", "account_reauthenticate", "account_change_password"):
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        html = response.content.decode()
        assert 'class="brand"' in html and "Logga ut" in html, name
    assert "Tvåfaktorsautentisering" in client.get(reverse("mfa_index")).content.decode()
    # Nobody signs up on their own: the office invites.
    client.logout()
    response = client.get("/konto/signup/")
    assert "Tyvärr är anmälan stängd för närvarande." in response.content.decode()
    response = client.post(
        "/konto/signup/", {"username": "ny", "password1": "x-långt-42", "password2": "x-långt-42"}
    )
    assert not User.objects.filter(username="ny").exists()
