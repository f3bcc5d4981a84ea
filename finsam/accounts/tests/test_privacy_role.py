"""The data-protection contact (Role.PRIVACY): reads and exports the participant access log and
nothing else personal; the office no longer reads that log. The participants app's URLs × this
role are derived from its URLconf, like the other apps' permission matrices (which take every
Role and so cover this one too)."""

from __future__ import annotations

import io

import lxml.html
import pytest
from django.core.management import call_command
from django.urls import URLPattern, resolve, reverse

from finsam.accounts.models import User
from finsam.core.actors import SYSTEM
from finsam.organisation.access import ALL_ROLES, CAPABILITIES, REFUSALS, can
from finsam.organisation.models import Membership, Role
from finsam.organisation.tests.factories import user_with_role
from finsam.participants import services
from finsam.participants import urls as participant_urls
from finsam.participants.models import AccessLogEntry, FollowUpCode
from finsam.participants.tests import factories as pf

pytestmark = pytest.mark.django_db


def test_the_role_has_a_swedish_label():
    assert Role.PRIVACY == "privacy"
    assert str(Role.PRIVACY.label) == "Dataskyddskontakt"


def test_the_access_log_is_the_only_capability_beyond_what_every_role_has():
    extra = {cap for cap, roles in CAPABILITIES.items() if Role.PRIVACY in roles} - {
        cap for cap, roles in CAPABILITIES.items() if roles == ALL_ROLES
    }
    # … and the list of who can read participant data, since when (people.readers).
    assert extra == {"participants.access_log", "people.readers"}
    # Least privilege: the office and everyone else lost the log.
    assert CAPABILITIES["participants.access_log"] == frozenset({Role.PRIVACY})
    assert "dataskyddskontakt" in str(REFUSALS["participants.access_log"])


def test_an_office_member_reads_the_log_only_when_also_given_the_role(association):
    office = user_with_role(association, Role.OFFICE)
    assert not can(office, association, "participants.access_log")
    Membership.objects.create(user=office, association=association, role=Role.PRIVACY)
    office = User.objects.get(pk=office.pk)  # roles are cached per user object
    assert can(office, association, "participants.access_log")
    assert can(office, association, "participants.codes")  # still the office too


# --- the participants URLconf × the data-protection contact ---------------------------------------


@pytest.fixture
def world(association):
    intervention = pf.staffed_intervention(association)
    staff = pf.staff_user(association, intervention)
    enrolment = pf.register(association, intervention, by=staff)
    session = services.session_record(
        enrolment=enrolment, date=enrolment.start_date, ors_items=[4, 5, 5, 4], by=staff
    ).session
    question = services.survey_question_create(
        association=association, by=SYSTEM, text="Fick du hjälp?", kind="yes_no"
    )
    return {
        "enrolment": enrolment,
        "intervention": intervention,
        "session": session,
        "code": FollowUpCode.objects.filter(association=association).first(),
        "question": question,
    }


def _pk_object(pattern: URLPattern) -> str:
    route = str(pattern.pattern)
    if "/insats/<int:pk>" in route:
        return "intervention"
    if "/koder/<int:pk>" in route:
        return "code"
    if "/enkatfragor/<int:pk>" in route:
        return "question"
    return "enrolment"


def _participant_urls(association, world) -> list[tuple[str, str, str]]:
    """(name, url, capability) for every URL of the participants app."""
    out = []
    for pattern in participant_urls.urlpatterns:
        kwargs = {"slug": association.slug}
        for name in pattern.pattern.converters:
            if name == "pk":
                kwargs["pk"] = world[_pk_object(pattern)].pk
            elif name == "session_pk":
                kwargs["session_pk"] = world["session"].pk
            elif name != "slug":
                raise AssertionError(f"{pattern.name}: no value for URL kwarg {name!r}")
        address = reverse(f"participants:{pattern.name}", kwargs=kwargs)
        func = resolve(address).func
        while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
            func = func.__wrapped__
        out.append((pattern.name, address, func.capability))
    return out


def test_the_contact_reaches_the_access_log_and_no_participant_page(
    client, login_as, association, world
):
    contact = login_as(Role.PRIVACY)
    urls = _participant_urls(association, world)
    assert len(urls) >= 30  # the whole URLconf, not an empty list
    log_urls = [(n, a) for n, a, cap in urls if cap == "participants.access_log"]
    assert {n for n, _a in log_urls} == {"access_log", "log_xlsx", "log_csv"}
    for name, address in log_urls:
        assert client.get(address).status_code == 200, name
    for name, address, capability in urls:
        if capability == "participants.access_log":
            continue
        for response in (client.get(address), client.post(address, {"reason": "x"})):
            # 405 only for POST-only views asked with GET: nothing is shown either way.
            assert response.status_code in (403, 405), name
            assert "Alva" not in response.content.decode(), name
        assert client.post(address, {}).status_code == 403, name
        assert str(REFUSALS[capability]) in client.post(address, {}).content.decode(), name
    # Reading the log is not a read of anyone's data; only the two exports are on record.
    assert set(AccessLogEntry.objects.filter(user=contact).values_list("action", flat=True)) == {
        AccessLogEntry.Action.EXPORT
    }


def test_the_menu_shows_the_log_to_the_contact_only(client, login_as, association, world):
    log = reverse("participants:access_log", args=[association.slug])
    home = reverse("dashboard:home", args=[association.slug])
    login_as(Role.PRIVACY)
    page = lxml.html.fromstring(client.get(home).content.decode())
    links = [a.get("href") for a in page.xpath('//nav[@class="main"]//a')]
    assert log in links
    assert reverse("participants:index", args=[association.slug]) not in links
    # The log page offers no links the contact cannot follow (statistics, code lists …).
    page = lxml.html.fromstring(client.get(log).content.decode())
    sub = [a.get("href") for a in page.xpath('//main//nav[@class="actions"]//a')]
    assert sub == [log]
    login_as(Role.OFFICE)
    assert log not in client.get(home).content.decode()
    assert (
        log
        not in client.get(reverse("participants:codes", args=[association.slug])).content.decode()
    )


# --- the demo ---------------------------------------------------------------------------------------


def test_the_demo_has_a_data_protection_contact_in_every_association(client):
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    user = User.objects.get(username="dataskydd")
    assert user.check_password("finsam-demo")
    memberships = Membership.objects.filter(user=user)
    assert {m.role for m in memberships} == {Role.PRIVACY}
    slugs = {m.association.slug for m in memberships}
    assert slugs == {"kramfors", "vastra-malardalen", "norra-vastmanland"}
    printed = out.getvalue()
    assert "dataskydd" in printed and "Dataskyddskontakt i kramfors" in printed
    # The demo's participants have logged reads to browse; the office no longer sees them.
    client.force_login(user)
    response = client.get(reverse("participants:access_log", args=["kramfors"]))
    assert response.status_code == 200 and "Registrering" in response.content.decode()
    client.force_login(User.objects.get(username="kansli"))
    assert client.get(reverse("participants:access_log", args=["kramfors"])).status_code == 403
    call_command("load_demo", stdout=io.StringIO())
    assert Membership.objects.filter(user=user).count() == 3  # idempotent
