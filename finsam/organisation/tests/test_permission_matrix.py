"""Every association URL × every role, derived from the URLconf and the CAPABILITIES matrix.

The table of URLs is read from organisation/urls.py and core/urls.py; the capability each view
requires is read from the view itself (`association_view` sets `view.capability`). Adding a URL
therefore adds its cases here, and a URL whose kwargs this file cannot build fails loudly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import URLPattern, resolve, reverse

from finsam.core.actors import SYSTEM
from finsam.dashboard import urls as dashboard_urls
from finsam.organisation import services
from finsam.organisation import urls as organisation_urls
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AgendaItem, AuditEvent, BoardSeat, Member, Role
from finsam.organisation.tests.factories import (
    BoardSeatFactory,
    CycleItemFactory,
    MeetingFactory,
    MemberFactory,
    UserFactory,
    user_with_role,
)
from finsam.oversight import urls as core_urls

LOGIN_URL = "/konto/logga-in/"
CONTRIBUTION_YEAR = 2024
MEETING_DATE = dt.date(2021, 3, 26)

# Names that exist only in `association` (conftest + the objects below); none may leak elsewhere.
PRIVATE_NAMES = [
    "Samordningsförbundet Västra Testdalen",
    "Köpings kommun",
    "Arboga kommun",
    "Kungsörs kommun",
    "Region Testland",
    "Medlem Att Ta Bort",
    "Ledamot Hemligsson",
    "Sammanträdeslokalen Hemliga Salen",
    "Ärende om hemliga saker",
    "Hemlig punkt i årshjulet",
    "Hemliga Personsson",
]

# For URLs with a pk, which object the pk names. A new URL with a pk must be added here.
PK_OBJECT = {
    "member_edit": "member",
    "member_delete": "member",
    "board_seat_edit": "seat",
    "board_seat_delete": "seat",
    "meeting_detail": "meeting",
    "meeting_edit": "meeting",
    "meeting_delete": "meeting",
    "agenda_item_create": "meeting",
    "agenda_item_delete": "meeting",
    "cycle_item_edit": "cycle_item",
    "cycle_item_delete": "cycle_item",
    "person_grant": "person",
    "person_deactivate": "person",
    "membership_revoke": "membership",
}
YEAR_OBJECT = {
    "contribution_edit": CONTRIBUTION_YEAR,
    "meetings_ics": MEETING_DATE.year,
    "meetings_print": MEETING_DATE.year,
}

# Views behind require_POST and the minimal valid data for each. The allowed-role test proves
# this table right: these answer GET with 405, every other association URL answers GET with 200.
POST_ONLY = {
    "member_delete": {},
    "contribution_project": {
        "base_year": str(CONTRIBUTION_YEAR),
        "annual_decline": "5 333",
        "years": "1",
    },
    "board_seat_delete": {},
    "meeting_delete": {},
    "agenda_item_create": {"title": "Nytt ärende från behörighetstestet"},
    "agenda_item_delete": {},
    "cycle_item_delete": {},
    "person_grant": {"role": Role.BOARD.value},
    "person_deactivate": {},
    "membership_revoke": {},
    "second_factor_setting": {"require_second_factor": "on"},
}


def _association_patterns() -> list[tuple[str, URLPattern]]:
    """(namespaced name, pattern) for every URL that lives under /f/<slug>/."""
    found = []
    for module in (organisation_urls, core_urls, dashboard_urls):
        for pattern in module.urlpatterns:
            if "slug" in pattern.pattern.converters:
                found.append((f"{module.app_name}:{pattern.name}", pattern))
    return found


def _placeholder_kwargs(pattern: URLPattern) -> dict:
    return {name: ("x" if name == "slug" else 1) for name in pattern.pattern.converters}


def _view(url: str):
    func = resolve(url).func
    # require_POST wraps with functools.wraps, which copies `capability`; unwrap to be sure.
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return func


URLS = [
    (name, getattr(_view(reverse(name, kwargs=_placeholder_kwargs(p))), "capability", None))
    for name, p in _association_patterns()
]
ROLES = list(Role)


def _short(name: str) -> str:
    return name.split(":", 1)[1]


def _cases(predicate):
    return [
        pytest.param(name, capability, role, id=f"{_short(name)}-{role.value}")
        for name, capability in URLS
        for role in ROLES
        if predicate(capability, role)
    ]


ALLOWED = _cases(lambda cap, role: role in CAPABILITIES.get(cap, ()))
REFUSED = _cases(lambda cap, role: role not in CAPABILITIES.get(cap, ()))
EVERY_URL = [pytest.param(name, capability, id=_short(name)) for name, capability in URLS]


@pytest.fixture
def objects(association):
    """One of everything the URLs point at, all in `association`, with distinctive names."""
    meeting = MeetingFactory(
        association=association, date=MEETING_DATE, place="Sammanträdeslokalen Hemliga Salen"
    )
    cycle_item = CycleItemFactory(association=association, title="Hemlig punkt i årshjulet")
    agenda_item = AgendaItem.objects.create(meeting=meeting, title="Ärende om hemliga saker")
    seat_member = association.members.get(name="Köpings kommun")
    seat = BoardSeatFactory(
        association=association, member=seat_member, holder_name="Ledamot Hemligsson"
    )
    members = list(association.members.all())
    proposal = services.contributions_propose(members=members, total=Decimal("750000"))
    services.contributions_set(
        association=association,
        year=CONTRIBUTION_YEAR,
        amounts={p.member.pk: p.amount for p in proposal},
        by=SYSTEM,
    )
    # Added after the contributions: no contribution rows and no seat, so it may be deleted.
    member = MemberFactory(association=association, name="Medlem Att Ta Bort", key=Decimal(0))
    # One of the association's people, for the people pages (grant, revoke, deactivate).
    person = user_with_role(association, Role.MEMBER_ORG, last_name="Hemliga Personsson")
    return {
        "person": person,
        "membership": person.memberships.get(),
        "member": member,
        "seat": seat,
        "meeting": meeting,
        "cycle_item": cycle_item,
        "agenda_item": agenda_item,
    }


def url_for(name: str, slug: str, objects: dict) -> str:
    short = _short(name)
    pattern = dict(_association_patterns())[name]
    kwargs: dict = {"slug": slug}
    for kwarg in pattern.pattern.converters:
        if kwarg == "pk":
            kwargs["pk"] = objects[PK_OBJECT[short]].pk
        elif kwarg == "year":
            kwargs["year"] = YEAR_OBJECT[short]
        elif kwarg == "item_pk":
            kwargs["item_pk"] = objects["agenda_item"].pk
        elif kwarg != "slug":
            raise AssertionError(f"{name}: no value for URL kwarg {kwarg!r}; add it to this file")
    return reverse(name, kwargs=kwargs)


def _request(client, name: str, url: str):
    short = _short(name)
    if short in POST_ONLY:
        return client.post(url, POST_ONLY[short])
    return client.get(url)


def test_every_association_url_declares_a_capability():
    missing = [name for name, capability in URLS if capability not in CAPABILITIES]
    assert not missing, f"views without a known capability: {missing}"
    assert len(URLS) >= 29  # the matrix really covers the app, not an empty URLconf


def test_every_post_only_view_is_a_real_url():
    assert set(POST_ONLY) <= {_short(name) for name, _ in URLS}


@pytest.mark.parametrize(("name", "capability", "role"), ALLOWED)
def test_role_with_capability_gets_the_page(
    client, login_as, association, objects, name, capability, role
):
    user = login_as(role)
    url = url_for(name, association.slug, objects)
    short = _short(name)
    if short in POST_ONLY:
        assert client.get(url).status_code == 405  # require_POST: nothing happens on GET
        response = client.post(url, POST_ONLY[short])
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url.startswith(f"/f/{association.slug}/")
        # The write happened and is on record, attributed to this user.
        assert AuditEvent.objects.filter(association=association, actor=user).exists()
    else:
        response = client.get(url)
        assert response.status_code == 200
        body = response.content.decode()
        assert association.name in body
        assert "Behörighet saknas" not in body


@pytest.mark.parametrize(("name", "capability", "role"), REFUSED)
def test_role_without_capability_gets_403_with_reason(
    client, login_as, association, objects, name, capability, role
):
    login_as(role)
    url = url_for(name, association.slug, objects)
    events_before = AuditEvent.objects.count()
    reason = str(REFUSALS[capability])

    response = _request(client, name, url)
    assert response.status_code == 403
    body = response.content.decode()
    assert "Behörighet saknas" in body
    assert reason in body

    # A POST with valid data is refused just the same and changes nothing.
    response = client.post(url, POST_ONLY.get(_short(name), {}))
    assert response.status_code == 403
    assert reason in response.content.decode()
    assert AuditEvent.objects.count() == events_before
    assert Member.objects.filter(pk=objects["member"].pk).exists()
    assert BoardSeat.objects.filter(pk=objects["seat"].pk).exists()


@pytest.mark.parametrize(("name", "capability"), EVERY_URL)
def test_anonymous_is_sent_to_login(client, association, objects, name, capability):
    url = url_for(name, association.slug, objects)
    response = _request(client, name, url)
    assert response.status_code == 302
    assert response.url == f"{LOGIN_URL}?next={url}"
    assert association.name not in response.content.decode()


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
@pytest.mark.parametrize(("name", "capability"), EVERY_URL)
def test_member_of_another_association_gets_404_and_no_data(
    client, association, other_association, objects, name, capability, role
):
    user = user_with_role(other_association, role)
    client.force_login(user)
    url = url_for(name, association.slug, objects)
    events_before = AuditEvent.objects.count()

    response = _request(client, name, url)

    assert response.status_code == 404
    body = response.content.decode()
    assert "Sidan finns inte" in body
    for private in PRIVATE_NAMES:
        assert private not in body
    assert AuditEvent.objects.count() == events_before


@pytest.mark.parametrize(
    "name",
    [pytest.param(n, id=_short(n)) for n, _ in URLS if _short(n) in PK_OBJECT],
)
def test_own_slug_with_another_associations_object_gives_404(
    client, association, other_association, objects, name
):
    """Office of `other_association` puts `association`'s ids into its own URLs: 404, no data."""
    client.force_login(user_with_role(other_association, Role.OFFICE))
    url = url_for(name, other_association.slug, objects)
    events_before = AuditEvent.objects.count()

    response = _request(client, name, url)

    assert response.status_code == 404
    body = response.content.decode()
    for private in PRIVATE_NAMES:
        assert private not in body
    assert AuditEvent.objects.count() == events_before
    assert Member.objects.filter(pk=objects["member"].pk).exists()


def test_pick_and_switch_require_login(client, association):
    for url in (reverse("organisation:pick"), reverse("organisation:switch") + "?slug=x"):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(LOGIN_URL)


# --- the Django admin ---------------------------------------------------------------------------


def test_admin_refuses_staff_user_who_is_not_superuser(client, association):
    staff = UserFactory(is_staff=True, is_superuser=False)
    other = UserFactory(last_name="Dold för personal")
    client.force_login(staff)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url.startswith("/admin/login/")

    # Even a direct link to a changelist shows no users.
    response = client.get("/admin/accounts/user/", follow=True)
    assert response.redirect_chain[0][0].startswith("/admin/login/")
    body = response.content.decode()
    assert 'name="password"' in body  # the admin's login form, not the user list
    assert other.username not in body
    assert "Dold för personal" not in body


def test_admin_admits_superuser(client, association):
    admin = UserFactory(is_staff=True, is_superuser=True)
    other = UserFactory(last_name="Synlig i admin")
    client.force_login(admin)

    response = client.get("/admin/")
    assert response.status_code == 200
    assert "/admin/accounts/user/" in response.content.decode()

    response = client.get("/admin/accounts/user/")
    assert response.status_code == 200
    assert other.username in response.content.decode()
