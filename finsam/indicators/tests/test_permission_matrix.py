"""Every indicator URL × every role: allowed, refused with the reason, or not found elsewhere.

The capability each view requires is read from the view (`association_view` sets it). The public
answer page has none and is tested in test_answer_page.py."""

from __future__ import annotations

import pytest
from django.urls import resolve, reverse

from finsam.core.actors import SYSTEM
from finsam.core.exports import XLSX_TYPE
from finsam.indicators import services
from finsam.indicators import urls as indicator_urls
from finsam.indicators.models import Campaign, Instrument, ResponseLink
from finsam.indicators.tests import factories as f
from finsam.organisation.access import CAPABILITIES, REFUSALS
from finsam.organisation.models import AuditEvent, Role
from finsam.organisation.tests.factories import user_with_role

YEAR = f.YEAR
PK_OBJECT = {
    "instrument_detail": "instrument",
    "instrument_new_version": "instrument",
    "item_edit": "item",
    "campaign_detail": "campaign",
    "campaign_links": "campaign",
    "campaign_paper_forms": "campaign",
    "paper_entry": "campaign",
}
POST_ONLY = {"instrument_new_version": {}}
XLSX = {"results_xlsx"}
PRIVATE_FORMS = 4711  # paper forms of the private campaign: shown only to its association


def _capability(pattern) -> str | None:
    kwargs = {k: ("x" if k in ("slug", "token") else 1) for k in pattern.pattern.converters}
    func = resolve(reverse(f"indicators:{pattern.name}", kwargs=kwargs)).func
    while not hasattr(func, "capability") and hasattr(func, "__wrapped__"):
        func = func.__wrapped__
    return getattr(func, "capability", None)


URLS = [
    (p.name, _capability(p))
    for p in indicator_urls.urlpatterns
    if p not in indicator_urls.public_urlpatterns
]
ALLOWED = [
    pytest.param(n, c, r, id=f"{n}-{r.value}")
    for n, c in URLS
    for r in Role
    if r in CAPABILITIES[c]
]
REFUSED = [
    pytest.param(n, c, r, id=f"{n}-{r.value}")
    for n, c in URLS
    for r in Role
    if r not in CAPABILITIES[c]
]


@pytest.fixture
def objects(association):
    own = services.instrument_new_version(
        instrument=f.instrument(), association=association, by=SYSTEM
    )
    questionnaire = own.questionnaires.get(group="staff")
    campaign = services.campaign_create(
        association=association,
        questionnaire=questionnaire,
        year=YEAR,
        paper_forms=PRIVATE_FORMS,
        by=SYSTEM,
    )
    return {"instrument": own, "item": questionnaire.items.first(), "campaign": campaign}


def url_for(name: str, slug: str, objects: dict) -> str:
    pattern = next(p for p in indicator_urls.urlpatterns if p.name == name)
    kwargs: dict = {"slug": slug}
    for kwarg in pattern.pattern.converters:
        if kwarg == "pk":
            kwargs["pk"] = objects[PK_OBJECT[name]].pk
        elif kwarg == "year":
            kwargs["year"] = YEAR
        elif kwarg != "slug":
            raise AssertionError(f"{name}: no value for URL kwarg {kwarg!r}; add it to this file")
    return reverse(f"indicators:{name}", kwargs=kwargs)


def _request(client, name, url):
    return client.post(url, POST_ONLY[name]) if name in POST_ONLY else client.get(url)


def test_every_indicator_url_declares_a_known_capability():
    assert len(URLS) == 11
    assert {c for _n, c in URLS} == {"goals.view", "goals.edit"}
    assert set(PK_OBJECT) | set(POST_ONLY) <= {n for n, _c in URLS}


@pytest.mark.parametrize(("name", "capability", "role"), ALLOWED)
def test_role_with_capability_gets_the_page(
    client, login_as, association, objects, name, capability, role
):
    user = login_as(role)
    url = url_for(name, association.slug, objects)
    if name in POST_ONLY:
        assert client.get(url).status_code == 405
        response = client.post(url, POST_ONLY[name])
        assert response.status_code == 302
        assert AuditEvent.objects.filter(association=association, actor=user).exists()
        return
    response = client.get(url)
    assert response.status_code == 200
    if name in XLSX:
        assert response["Content-Type"] == XLSX_TYPE
    else:
        body = response.content.decode()
        assert association.name in body and "Behörighet saknas" not in body


@pytest.mark.parametrize(("name", "capability", "role"), REFUSED)
def test_role_without_capability_gets_403_with_reason(
    client, login_as, association, objects, name, capability, role
):
    login_as(role)
    url = url_for(name, association.slug, objects)
    before = AuditEvent.objects.count()
    response = _request(client, name, url)
    assert response.status_code == 403
    assert str(REFUSALS[capability]) in response.content.decode()
    response = client.post(url, {"count": 5, "paper_forms": 1, "text": "Försök"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before
    assert not ResponseLink.objects.exists()


@pytest.mark.parametrize(("name", "capability"), [pytest.param(n, c, id=n) for n, c in URLS])
def test_anonymous_is_sent_to_login(client, association, objects, name, capability):
    response = _request(client, name, url_for(name, association.slug, objects))
    assert response.status_code == 302 and response.url.startswith("/konto/logga-in/")


@pytest.mark.parametrize("role", list(Role), ids=[r.value for r in Role])
@pytest.mark.parametrize(("name", "capability"), [pytest.param(n, c, id=n) for n, c in URLS])
def test_member_of_another_association_gets_404_and_no_data(
    client, association, other_association, objects, name, capability, role
):
    client.force_login(user_with_role(other_association, role))
    before = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, association.slug, objects))
    assert response.status_code == 404
    assert str(PRIVATE_FORMS) not in response.content.decode()
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("name", [pytest.param(n, id=n) for n in PK_OBJECT])
def test_own_slug_with_another_associations_object_gives_404(
    client, association, other_association, objects, name
):
    client.force_login(user_with_role(other_association, Role.OFFICE))
    before = AuditEvent.objects.count()
    response = _request(client, name, url_for(name, other_association.slug, objects))
    assert response.status_code == 404
    assert str(PRIVATE_FORMS) not in response.content.decode()
    assert AuditEvent.objects.count() == before
    assert Instrument.objects.count() == 2 and Campaign.objects.count() == 1
    assert not ResponseLink.objects.exists()


def test_goals_pages_link_to_the_indicators(client, login_as, association):
    login_as(Role.BOARD)
    target = reverse("indicators:overview", args=[association.slug])
    for name in ("goals:goals", "goals:activities"):
        page = client.get(reverse(name, args=[association.slug])).content.decode()
        assert target in page and "Indikatorer" in page


def test_a_year_outside_the_plausible_range_is_404(client, login_as, association):
    login_as(Role.OFFICE)
    for url in (
        reverse("indicators:results", args=[association.slug, 1999]),
        reverse("indicators:results_xlsx", args=[association.slug, 99999]),
        reverse("indicators:overview", args=[association.slug]) + "?ar=abc",
    ):
        assert client.get(url).status_code == 404, url
