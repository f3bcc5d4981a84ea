"""Onboarding and people: associations created by the installation administrator (page and
command line), one-time expiring invitations, roles granted and revoked by the office and told
in words in the audit log, who reads participant data."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from finsam.accounts.models import User
from finsam.core.actors import SYSTEM
from finsam.organisation import people
from finsam.organisation.audit import Event
from finsam.organisation.models import Association, AuditEvent, Invitation, Membership, Role
from finsam.organisation.tests.factories import UserFactory, user_with_role, with_second_factor

pytestmark = pytest.mark.django_db


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Invitations are mailed after the commit; the test's transaction never commits, so
    `with committed():` runs the callbacks when the block ends."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


NEW = {
    "name": "Samordningsförbundet Nyköping",
    "slug": "nykoping",
    "org_number": "222000-1396",
    "county": "Södermanlands län",
    "state_members": "Försäkringskassan\nArbetsförmedlingen",
    "regions": "Region Sörmland",
    "municipalities": "Nyköpings kommun\nOxelösunds kommun",
    "require_second_factor": "on",
    "office_email": "Karin@Nykoping.se",
}


def link_in_last_mail() -> str:
    return re.search(r"http\S+/inbjudan/\S+/", mail.outbox[-1].body).group(0)


def path_of(link: str) -> str:
    return link.split("127.0.0.1:8000", 1)[-1]


@pytest.fixture
def installer(client):
    user = with_second_factor(UserFactory(is_installation_admin=True))
    client.force_login(user)
    return user


# --- creating an association ------------------------------------------------------------------


def test_the_command_creates_the_association_and_invites_its_office(db, settings, committed):
    out = io.StringIO()
    with committed():
        call_command(
            "create_association",
            "--slug=nykoping",
            "--name=Samordningsförbundet Nyköping",
            "--org-number=222000-1396",
            "--office-email=karin@nykoping.se",
            "--county=Södermanlands län",
            "--region=Region Sörmland",
            "--municipality=Nyköpings kommun",
            "--municipality=Oxelösunds kommun",
            stdout=out,
        )
    association = Association.objects.get(slug="nykoping")
    assert association.county == "Södermanlands län"
    assert list(association.members.values_list("name", "kind", "key")) == [
        ("Försäkringskassan", "state_agency", 1),
        ("Arbetsförmedlingen", "state_agency", 0),
        ("Region Sörmland", "region", 1),
        ("Nyköpings kommun", "municipality", 1),
        ("Oxelösunds kommun", "municipality", 1),
    ]
    invitation = Invitation.objects.get(association=association)
    assert (invitation.email, invitation.role) == ("karin@nykoping.se", Role.OFFICE)
    assert mail.outbox[-1].to == ["karin@nykoping.se"]
    assert "som kansli i Samordningsförbundet Nyköping" in mail.outbox[-1].body
    assert "skapat; inbjudan skickad till karin@nykoping.se" in out.getvalue()
    assert "Inbjudningslänk" not in out.getvalue()  # mail goes out: the link is not printed
    assert AuditEvent.objects.filter(association=association, event=Event.ASSOCIATION_CREATED)

    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    out = io.StringIO()
    call_command(
        "create_association",
        "--slug=ostra",
        "--name=Östra förbundet",
        "--org-number=222000-1396",
        "--office-email=o@example.se",
        stdout=out,
    )
    printed = re.search(r"Inbjudningslänk \(giltig en gång\): (\S+)", out.getvalue()).group(1)
    assert (
        people.invitation_for_token(printed.rstrip("/").rsplit("/", 1)[-1]).email == "o@example.se"
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--org-number=222000-1234"], "kontrollsiffra"),
        (["--office-email=inte-en-adress"], "e-postadress"),
        (["--slug=Stora Bokstäver"], "--slug"),
    ],
)
def test_the_command_refuses_bad_input_and_saves_nothing(db, args, message):
    base = {
        "--slug": "nykoping",
        "--name": "Nytt",
        "--org-number": "222000-1396",
        "--office-email": "k@example.se",
    }
    for arg in args:
        key, value = arg.split("=", 1)
        base[key] = value
    with pytest.raises(CommandError, match=message):
        call_command("create_association", *[f"{k}={v}" for k, v in base.items()])
    assert not Association.objects.exists() and not Invitation.objects.exists()


def test_the_command_refuses_a_slug_that_is_taken(association):
    with pytest.raises(CommandError, match="kortnamnet"):
        call_command(
            "create_association",
            f"--slug={association.slug}",
            "--name=Ett annat namn",
            "--org-number=222000-1396",
            "--office-email=k@example.se",
        )
    assert not Invitation.objects.exists()


def test_the_installation_page_creates_an_association(client, installer, committed):
    page = client.get(reverse("organisation:installation"))
    assert page.status_code == 200
    assert reverse("organisation:association_create") in page.content.decode()
    with committed():
        response = client.post(reverse("organisation:association_create"), NEW)
    assert response.status_code == 302
    association = Association.objects.get(slug="nykoping")
    assert association.require_second_factor
    assert association.members.count() == 5
    assert Invitation.objects.get(association=association).email == "karin@nykoping.se"
    assert mail.outbox[-1].to == ["karin@nykoping.se"]
    body = client.get(response.url).content.decode()
    assert "Förbundet är skapat och kanslianvändaren inbjuden." in body
    assert "Samordningsförbundet Nyköping" in body


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("org_number", "222000-1234", "Organisationsnumret har fel kontrollsiffra."),
        ("office_email", "inte en adress", "Fyll i en giltig e-postadress."),
        ("slug", "vastra-testdalen", "Ett annat förbund har redan det här kortnamnet."),
        ("municipalities", "", "Detta fält måste fyllas i."),
        ("name", "Ring 19870101-1234", "personnummer"),
    ],
)
def test_the_installation_page_refuses_bad_input_at_the_field(
    client, installer, association, field, value, message
):
    count = Association.objects.count()
    response = client.post(reverse("organisation:association_create"), {**NEW, field: value})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Association.objects.count() == count and not Invitation.objects.exists()


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
def test_no_association_role_reaches_the_installation_pages(client, association, role):
    client.force_login(user_with_role(association, role))
    for name in ("organisation:installation", "organisation:association_create"):
        assert client.get(reverse(name)).status_code == 403
        assert client.post(reverse(name), NEW).status_code == 403
    assert not Association.objects.filter(slug="nykoping").exists()


def test_the_superuser_is_not_an_installation_administrator(client, db):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(reverse("organisation:installation")).status_code == 403


def test_anonymous_is_sent_to_login_from_the_installation_pages(client, db):
    for name in ("organisation:installation", "organisation:association_create"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith("/konto/logga-in/")


# --- invitations ------------------------------------------------------------------------------


def invite(association, role=Role.OFFICE, email="ny@example.se", by=SYSTEM, **kwargs):
    return people.invitation_create(
        association=association, email=email, role=role, by=by, **kwargs
    )


ACCEPT = {
    "first_name": "Nina",
    "last_name": "Nyberg",
    "password1": "ett-långt-lösen-7",
    "password2": "ett-långt-lösen-7",
}


def test_an_invitation_is_used_once(client, association, committed):
    with committed():
        sent = invite(association, role=Role.BOARD)
    assert path_of(link_in_last_mail()) == path_of(sent.link)
    page = client.get(path_of(sent.link))
    assert page.status_code == 200
    assert "Du är inbjuden som Styrelseledamot" in page.content.decode()

    response = client.post(path_of(sent.link), ACCEPT)
    assert response.status_code == 302 and response.url == "/konto/logga-in/"
    user = User.objects.get(username="ny@example.se")
    assert user.check_password("ett-långt-lösen-7") and user.get_full_name() == "Nina Nyberg"
    assert Membership.objects.filter(user=user, association=association, role=Role.BOARD).exists()
    assert AuditEvent.objects.filter(event=Event.INVITATION_ACCEPTED, actor=user).exists()

    again = client.post(path_of(sent.link), {**ACCEPT, "first_name": "Inkräktare"})
    assert again.status_code == 410
    assert "Inbjudan har redan använts." in again.content.decode()
    assert User.objects.filter(first_name="Inkräktare").count() == 0


def test_an_invitation_expires(client, association, settings):
    settings.FINSAM_INVITATION_DAYS = 7
    sent = invite(association, now=timezone.now() - dt.timedelta(days=7, minutes=1))
    response = client.get(path_of(sent.link))
    assert response.status_code == 410
    assert "Inbjudan gick ut" in response.content.decode()
    assert client.post(path_of(sent.link), ACCEPT).status_code == 410
    assert not User.objects.filter(username="ny@example.se").exists()
    # One minute inside the week it still works.
    sent = invite(
        association, email="annan@example.se", now=timezone.now() - dt.timedelta(days=6, hours=23)
    )
    assert client.get(path_of(sent.link)).status_code == 200


def test_an_unknown_token_is_refused(client, db):
    response = client.get(reverse("organisation:invitation", args=["gissat"]))
    assert response.status_code == 410
    assert "Inbjudningslänken är inte giltig." in response.content.decode()


def test_only_a_hash_of_the_token_is_stored(association):
    sent = invite(association)
    token = sent.link.rstrip("/").rsplit("/", 1)[-1]
    assert token not in sent.invitation.token_hash
    assert not Invitation.objects.filter(token_hash=token).exists()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"password2": "något-annat-99"}, "De två lösenorden är inte lika."),
        ({"password1": "12345678", "password2": "12345678"}, "Detta lösenord är enbart numeriskt."),
        ({"last_name": ""}, "Detta fält måste fyllas i."),
    ],
)
def test_accepting_refuses_bad_input_and_creates_nobody(client, association, change, message):
    sent = invite(association)
    response = client.post(path_of(sent.link), {**ACCEPT, **change})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not User.objects.filter(username="ny@example.se").exists()
    assert Invitation.objects.get().accepted_at is None


def test_an_existing_user_takes_up_the_role_when_logged_in(client, association, other_association):
    user = user_with_role(other_association, Role.BOARD, email="ny@example.se")
    sent = invite(association, role=Role.AUDITOR)
    assert client.post(path_of(sent.link), ACCEPT).status_code == 400  # no second account
    client.force_login(user)
    response = client.post(path_of(sent.link))
    assert response.status_code == 302
    assert Membership.objects.filter(user=user, association=association, role=Role.AUDITOR).exists()


# --- the office manages its people ------------------------------------------------------------------


@pytest.fixture
def office(client, association):
    user = user_with_role(association, Role.OFFICE, first_name="Karin", last_name="Kansli")
    client.force_login(user)
    return user


def test_the_office_invites_from_the_people_page(client, association, office, committed):
    url = reverse("organisation:people", args=[association.slug])
    with committed():
        response = client.post(url, {"email": "Ny@Example.se", "role": Role.STAFF})
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "ny@example.se",
        Role.STAFF,
        office,
    )
    assert "och aktivera tvåstegsverifiering" in mail.outbox[-1].body  # staff need a factor
    body = client.get(url).content.decode()
    assert "En inbjudan har skickats till ny@example.se." in body
    assert "ny@example.se – Insatspersonal" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"email": "inte en adress", "role": "board"}, "Fyll i en giltig e-postadress."),
        ({"email": "a@example.se", "role": "kung"}, "Välj ett giltigt alternativ."),
    ],
)
def test_a_bad_invitation_is_refused_at_the_field(client, association, office, data, message):
    response = client.post(reverse("organisation:people", args=[association.slug]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Invitation.objects.exists() and not mail.outbox


def test_granting_and_revoking_read_as_sentences_in_the_audit_log(client, association, office):
    person = user_with_role(association, Role.MEMBER_ORG, first_name="Anna", last_name="Andersson")
    grant = reverse("organisation:person_grant", args=[association.slug, person.pk])
    response = client.post(grant, {"role": Role.BOARD})
    assert response.status_code == 302
    membership = Membership.objects.get(user=person, role=Role.BOARD)
    page = client.get(response.url).content.decode()
    assert "Anna Andersson har nu rollen Styrelseledamot." in page

    # Giving the same role twice is refused with the reason, nothing written.
    client.post(grant, {"role": Role.BOARD})
    assert Membership.objects.filter(user=person, role=Role.BOARD).count() == 1

    revoke = reverse("organisation:membership_revoke", args=[association.slug, membership.pk])
    assert client.post(revoke).status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()

    log = client.get(reverse("oversight:audit", args=[association.slug])).content.decode()
    today = timezone.localdate()
    months = [
        "januari",
        "februari",
        "mars",
        "april",
        "maj",
        "juni",
        "juli",
        "augusti",
        "september",
        "oktober",
        "november",
        "december",
    ]
    day = f"{today.day} {months[today.month - 1]} {today.year}"
    assert f"Karin Kansli gav Anna Andersson rollen styrelseledamot den {day} kl. " in log
    assert f"Karin Kansli tog rollen styrelseledamot från Anna Andersson den {day} kl. " in log


def test_the_last_office_user_cannot_be_removed(client, association, office):
    own = Membership.objects.get(user=office, role=Role.OFFICE)
    url = reverse("organisation:membership_revoke", args=[association.slug, own.pk])
    body = client.post(url, follow=True).content.decode()
    assert "Förbundet måste ha minst en kanslianvändare kvar." in body
    assert Membership.objects.filter(pk=own.pk).exists()


def test_deactivating_removes_every_role_here_and_closes_an_account_with_none_left(
    client, association, other_association, office
):
    only_here = user_with_role(association, Role.BOARD)
    Membership.objects.create(user=only_here, association=association, role=Role.AUDITOR)
    elsewhere = user_with_role(association, Role.BOARD)
    Membership.objects.create(user=elsewhere, association=other_association, role=Role.BOARD)
    for person in (only_here, elsewhere):
        url = reverse("organisation:person_deactivate", args=[association.slug, person.pk])
        assert client.post(url).status_code == 302
        assert not Membership.objects.filter(user=person, association=association).exists()
    only_here.refresh_from_db()
    elsewhere.refresh_from_db()
    assert not only_here.is_active
    assert elsewhere.is_active  # another association still needs them
    assert Membership.objects.filter(user=elsewhere, association=other_association).exists()
    row = AuditEvent.objects.get(event=Event.USER_DEACTIVATED)
    assert "password" not in (row.before or {}) and row.association == association
    # The office cannot deactivate itself.
    url = reverse("organisation:person_deactivate", args=[association.slug, office.pk])
    assert "Du kan inte inaktivera dig själv." in client.post(url, follow=True).content.decode()


def test_the_office_requires_a_second_factor_of_everyone(client, association, office):
    url = reverse("organisation:second_factor_setting", args=[association.slug])
    assert client.post(url, {"require_second_factor": "on"}).status_code == 302
    association.refresh_from_db()
    assert association.require_second_factor
    # From now on the office itself is sent to set one up.
    response = client.get(reverse("organisation:people", args=[association.slug]))
    assert response.status_code == 302 and response.url == reverse("mfa_index")
    assert AuditEvent.objects.filter(event=Event.ASSOCIATION_UPDATED, actor=office).exists()


def test_the_people_page_lists_only_this_associations_people(
    client, association, other_association, office
):
    user_with_role(other_association, Role.OFFICE, last_name="Främlingsson")
    user_with_role(association, Role.STAFF, last_name="Insatsdóttir")
    body = client.get(reverse("organisation:people", args=[association.slug])).content.decode()
    assert "Insatsdóttir" in body and "Främlingsson" not in body


def test_the_data_protection_contact_sees_who_reads_participant_data(
    client, association, other_association
):
    staff = user_with_role(association, Role.STAFF, last_name="Läsarsson")
    user_with_role(association, Role.BOARD, last_name="Styrelsesson")
    user_with_role(other_association, Role.STAFF, last_name="Utomsson")
    granted = Membership.objects.get(user=staff).granted_at
    client.force_login(user_with_role(association, Role.PRIVACY, last_name="Dataskyddsson"))
    body = client.get(reverse("organisation:readers", args=[association.slug])).content.decode()
    assert "Läsarsson" in body and "Dataskyddsson" in body
    assert timezone.localtime(granted).strftime("%Y-%m-%d %H:%M") in body
    assert "Styrelsesson" not in body and "Utomsson" not in body


def test_an_unknown_role_is_refused_with_the_reason_and_nothing_written(
    client, association, office
):
    person = user_with_role(association, Role.MEMBER_ORG)
    events = AuditEvent.objects.count()
    url = reverse("organisation:person_grant", args=[association.slug, person.pk])
    body = client.post(url, {"role": "kung"}, follow=True).content.decode()
    assert "Välj ett giltigt alternativ." in body
    assert Membership.objects.filter(user=person).count() == 1
    assert AuditEvent.objects.count() == events


@given(age=st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=30)))
@hypothesis_settings(max_examples=60, deadline=None)
def test_an_invitation_is_open_exactly_until_its_days_have_passed(age):
    sent_at = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
    invitation = Invitation(
        created_at=sent_at, expires_at=sent_at + dt.timedelta(days=7), email="a@example.se"
    )
    assert invitation.is_open(sent_at + age) is (age < dt.timedelta(days=7))
    invitation.accepted_at = sent_at
    assert not invitation.is_open(sent_at + age)  # once used, never again


def test_the_people_page_reads_a_fixed_number_of_queries(
    client, association, office, django_assert_max_num_queries
):
    url = reverse("organisation:people", args=[association.slug])
    client.get(url)  # warm the session and the per-user caches
    with django_assert_max_num_queries(12) as few:
        client.get(url)
    for role in (Role.BOARD, Role.STAFF, Role.AUDITOR, Role.ECONOMIST, Role.MEMBER_ORG):
        people.invitation_create(
            association=association, email=f"{role}@x.se", role=role, by=office
        )
        user_with_role(association, role)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert response.content.decode().count("Inaktivera ") >= 6
